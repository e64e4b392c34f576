// Slices of a run: `--shard I/N` (any machine, any scheduler) or the ranks of mpirun each decide a
// contiguous range of a run's independent units (check: cases, audit: paths, experiment:
// trajectories); `fimcheck merge` and rank 0 put them back together into the report a single run
// writes (SPEC S13). This file is the envelope every slice travels in and the checks that a set of
// slices is one whole run; what a slice carries is each command's own.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <Eigen/Dense>

#include "cluster/cluster.hpp"
#include "numeric/interval.hpp"

namespace fim::report {

/// `--shard I/N`: slice `index` (0-based) of `count`.
struct ShardSpec {
  int index = 0, count = 1;
};

/// "I/N" with integers 0 <= I < N <= 1000000; nullopt for anything else.
std::optional<ShardSpec> parse_shard(const std::string& text);

/// One slice of a run, as written to DIR/slice.json or sent from a rank to rank 0.
struct SliceReport {
  std::string command;         // "check", "audit monotonicity", "experiment inflation"
  nlohmann::json arguments;    // every argument that changes what the run decides, prints or writes
  ShardSpec shard;             // which slice
  long long units = 0;         // the run's independent units (all slices)
  cluster::Slice range;        // this slice's units: cluster::slice_of(units, shard.index, shard.count)
  nlohmann::json result;       // the command's own result for its units
  double seconds = 0;          // time this slice took
  std::string error;           // under mpirun: why this rank has no result (result is then null)
  std::string source;          // where it came from (a folder, "rank 3"), for messages; not written
};

/// A digest of the command and its arguments: slices with equal fingerprints belong to one run.
std::string fingerprint(const std::string& command, const nlohmann::json& arguments);

/// The slice as JSON, stamped with the fimcheck `version` that wrote it and the fingerprint.
nlohmann::json slice_json(const SliceReport& s, const std::string& version);

/// Reads a slice back; throws io::InputError naming `source` when it is no slice, was written by
/// another fimcheck version than `version`, or its fingerprint does not match its arguments.
SliceReport slice_from_json(const nlohmann::json& j, const std::string& source, const std::string& version);

/// DIR/slice.json, written atomically (DIR created if needed).
void write_slice(const std::string& dir, const SliceReport& s, const std::string& version);

/// Reads DIR/slice.json (or the file DIR itself); throws io::InputError naming it.
SliceReport read_slice(const std::string& dir, const std::string& version);

/// Checks that `slices` are the slices 0..N-1 of one run, each exactly once, each holding the units
/// slice_of gives it, and returns them in slice order; throws io::InputError naming the first slice
/// that is from another run (different command or arguments), duplicated, or of another N, or the
/// first missing slice.
std::vector<SliceReport> whole_run(std::vector<SliceReport> slices);

/// Exact transport of binary64 values between a slice and the merge: C99 hex floats ("%a"), read
/// back to the same double (NaN and infinities included). Each reader throws io::InputError on
/// anything else.
nlohmann::json exact_json(double x);
double exact_double(const nlohmann::json& j);
nlohmann::json exact_json(const num::Ival& x);  // [lo, hi]
num::Ival exact_ival(const nlohmann::json& j);
nlohmann::json exact_json(const Eigen::MatrixXd& m);  // rows of entries
Eigen::MatrixXd exact_matrix(const nlohmann::json& j);

/// The longest slice's time: the time a merged report shows (the run's wall time when the slices
/// run side by side, as mpirun's ranks do).
double slowest_seconds(const std::vector<SliceReport>& slices);

}  // namespace fim::report
