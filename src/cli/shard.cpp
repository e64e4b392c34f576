#include "cli/shard.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "io/matrix_io.hpp"

namespace fim::cli {

std::string version() { return FIMCHECK_VERSION; }

void add_shard_option(CLI::App& cmd, std::string& shard) {
  cmd.add_option("--shard", shard,
                 "I/N: run only slice I (0-based) of N of the independent units and write it to --report DIR; "
                 "`fimcheck merge` makes the slices the single run's report")
      ->default_str("");
}

bool split_run(const std::string& shard) { return !shard.empty() || cluster::world().size > 1; }

void refuse_split(bool applies, const std::string& shard, const std::string& option, const std::string& reason) {
  if (!applies || !split_run(shard)) return;
  throw io::InputError(shard.empty() ? "mpirun" : "--shard " + shard, option, "cannot be split: " + reason);
}

namespace {

// Runs slice `range` of s into a slice report; an error becomes the report's `error` when `keep_error`.
report::SliceReport run_slice(const Sliced& s, report::ShardSpec shard, bool keep_error) {
  const auto t0 = std::chrono::steady_clock::now();
  report::SliceReport r{s.command, s.arguments, shard, s.units, cluster::slice_of(s.units, shard.index, shard.count),
                        nullptr, 0, "", ""};
  try {
    r.result = s.run(r.range);
  } catch (const std::exception& e) {
    if (!keep_error) throw;
    r.error = e.what();
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

// Under mpirun: every rank runs its slice and reaches the gather, with its result or its error.
int run_ranks(const Sliced& s, const std::function<int(const std::vector<report::SliceReport>&)>& merge) {
  const cluster::World w = cluster::world();
  const report::SliceReport mine = run_slice(s, {w.rank, w.size}, true);
  const std::vector<std::string> all = cluster::gather(report::slice_json(mine, version()).dump());
  if (!w.root()) return mine.error.empty() ? kOk : kBadInput;
  std::vector<report::SliceReport> slices;
  for (int r = 0; r < w.size; ++r) {
    const std::string source = "rank " + std::to_string(r);
    slices.push_back(report::slice_from_json(nlohmann::json::parse(all[static_cast<std::size_t>(r)]), source, version()));
    if (!slices.back().error.empty()) {
      std::fprintf(stderr, "fimcheck: %s of %d: %s\n", source.c_str(), w.size, slices.back().error.c_str());
      return kBadInput;
    }
  }
  return merge(report::whole_run(std::move(slices)));
}

}  // namespace

int run_sliced(const Sliced& s, const std::string& shard, const std::string& slice_dir,
               const std::function<int(const std::vector<report::SliceReport>&)>& merge) {
  if (shard.empty()) return run_ranks(s, merge);
  const auto spec = report::parse_shard(shard);
  if (!spec) throw io::InputError("--shard", "'" + shard + "'", "expected I/N with integers 0 <= I < N");
  if (cluster::world().size > 1)
    throw io::InputError("--shard " + shard, "mpirun", "the ranks split the " + s.unit_name + " themselves: give one or the other");
  if (slice_dir.empty())
    throw io::InputError("--shard " + shard, "--report", "missing: the slice is written to DIR/slice.json for fimcheck merge");
  const report::SliceReport r = run_slice(s, *spec, false);
  report::write_slice(slice_dir, r, version());
  std::cout << "slice " << shard << " of " << s.command << ": " << s.unit_name << " [" << r.range.begin << ", "
            << r.range.end << ") of " << s.units << " written to " << slice_dir
            << "/slice.json; fimcheck merge OUT_DIR SLICE_DIR... writes the run's report\n";
  return kOk;
}

}  // namespace fim::cli
