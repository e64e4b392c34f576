// fimcheck merge OUT_DIR SLICE_DIR...: the slices of one run (--shard I/N --report SLICE_DIR) put
// back together into the report the single run writes, printing what it prints (SPEC S13).
#include "cli/commands.hpp"
#include "cli/shard.hpp"
#include "io/matrix_io.hpp"

namespace fim::cli {
namespace {

int run_merge(const std::string& out_dir, const std::vector<std::string>& dirs) {
  std::vector<report::SliceReport> slices;
  for (const std::string& d : dirs) slices.push_back(report::read_slice(d, version()));
  slices = report::whole_run(std::move(slices));
  const std::string& command = slices.front().command;
  if (command == "check") return merge_check(slices, out_dir);
  if (command == "audit monotonicity") return merge_audit(slices, out_dir);
  if (command == "experiment inflation") return merge_experiment(slices, out_dir);
  throw io::InputError(slices.front().source, "slice", "fimcheck " + command + " has no slices to merge");
}

}  // namespace

void add_merge(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("merge",
                                 "Merge the slices of a check, audit or experiment run (each written by --shard I/N "
                                 "--report DIR) into the report the single run writes, printing what it prints");
  auto out = std::make_shared<std::string>();
  auto dirs = std::make_shared<std::vector<std::string>>();
  cmd->add_option("OUT_DIR", *out, "Where the run's report is written")->required();
  cmd->add_option("SLICE_DIR", *dirs, "Every slice's --report DIR (or its slice.json), in any order")
      ->default_str("")
      ->required();
  cmd->callback([out, dirs, &exit_code] { exit_code = run_merge(*out, *dirs); });
}

}  // namespace fim::cli
