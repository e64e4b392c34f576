// Splitting a run into slices and putting them back together (SPEC S13): `--shard I/N` runs one
// slice anywhere and writes DIR/slice.json; `fimcheck merge OUT SLICE...` writes and prints what
// the single run would have; under mpirun each rank runs its slice and rank 0 merges them.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cluster/cluster.hpp"
#include "report/slice.hpp"

namespace fim::cli {

/// The fimcheck version that stamps every slice (slices of other versions are refused).
std::string version();

/// A command whose run is a sequence of independent units, each decided the same in any slice.
struct Sliced {
  std::string command;      // "check", "audit monotonicity", "experiment inflation"
  nlohmann::json arguments;  // every argument that changes what is decided, printed or written
  long long units = 0;
  std::string unit_name;    // "cases", "paths", "trajectories"
  std::function<nlohmann::json(cluster::Slice)> run;  // the result of units [begin, end)
};

/// `--shard I/N` on cmd, stored in `shard` (checked when the command runs).
void add_shard_option(CLI::App& cmd, std::string& shard);

/// Whether this run is split: --shard given, or several ranks under mpirun.
bool split_run(const std::string& shard);

/// Refuses --shard and mpirun's ranks for a mode that cannot be split faithfully: throws
/// io::InputError naming `option` and the reason when `applies` and the run is split.
void refuse_split(bool applies, const std::string& shard, const std::string& option, const std::string& reason);

/// Runs `s` split: with --shard I/N, that slice into slice_dir/slice.json (slice_dir empty: refused)
/// with one line printed, exit 0; under mpirun, this rank's slice, gathered on rank 0, which merges
/// them with `merge` (whose exit code it returns; 2 naming the rank when one failed).
int run_sliced(const Sliced& s, const std::string& shard, const std::string& slice_dir,
               const std::function<int(const std::vector<report::SliceReport>&)>& merge);

/// The merge of each sliceable command: from the slices of one whole run (report::whole_run),
/// writes out_dir and prints what the single run writes and prints; returns its exit code.
int merge_check(const std::vector<report::SliceReport>& slices, const std::string& out_dir);
int merge_audit(const std::vector<report::SliceReport>& slices, const std::string& out_dir);
int merge_experiment(const std::vector<report::SliceReport>& slices, const std::string& out_dir);

}  // namespace fim::cli
