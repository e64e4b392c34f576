// fimcheck experiment inflation: the calibration threshold of sigma_t at full precision and under
// RTN quantization, on fimcheck's own trained models, every sigma_t a certified enclosure
// (C8, proofs/inflation.md). Parses the options, runs monitor::run_model per model, writes the
// report (report/experiment_report.hpp).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <unistd.h>

#include "cli/commands.hpp"
#include "cli/shard.hpp"
#include "io/matrix_io.hpp"
#include "report/run_json.hpp"
#include "fim/language_model.hpp"
#include "fim/spec.hpp"
#include "monitor/experiment.hpp"
#include "numeric/decimal.hpp"
#include "numeric/parallel.hpp"
#include "report/experiment_report.hpp"

namespace fim::cli {
namespace {

using namespace monitor;
using report::inflation_json;
using report::inflation_summary;
using report::write_inflation_report;

struct ExperimentArgs {
  InflationOptions o;
  std::string models, bits = "2,3,4,8", report_dir = "inflation-report", shard;
  bool quick = false, json = false, report_given = false;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, sep);)
    if (!item.empty()) out.push_back(item);
  return out;
}

// Writes the report of the models' results, prints the summary, and returns the exit code.
int report_experiment(const ExperimentArgs& a, const std::vector<ModelInflation>& results, double seconds) {
  const nlohmann::ordered_json j = inflation_json(results, a.o, seconds);
  write_inflation_report(a.report_dir, results, a.o, j);
  if (a.json) std::cout << j.dump(2) << "\n";
  else std::cout << inflation_summary(results, a.o, seconds) << "Report: " << a.report_dir << "/report.md\n";
  return kOk;
}

// The arguments a slice of the experiment records (the options in effect, --quick applied): all
// that change what it computes, prints or writes (not --jobs, --shard, --report).
nlohmann::json slice_arguments(const ExperimentArgs& a, const std::vector<std::string>& specs) {
  const InflationOptions& o = a.o;
  return {{"models", specs}, {"trajectories", o.trajectories}, {"steps", o.steps}, {"window", o.window},
          {"reference", o.reference}, {"group_size", o.group_size}, {"bootstrap", o.bootstrap},
          {"ood_trajectories", o.ood_trajectories}, {"quantile", report::exact_json(o.quantile)}, {"seed", o.seed},
          {"bits", o.bits}, {"json", a.json}};
}

ExperimentArgs from_slice_arguments(const nlohmann::json& j) {
  ExperimentArgs a;
  InflationOptions& o = a.o;
  try {
    o.trajectories = j.at("trajectories").get<int>();
    o.steps = j.at("steps").get<int>();
    o.window = j.at("window").get<int>();
    o.reference = j.at("reference").get<int>();
    o.group_size = j.at("group_size").get<int>();
    o.bootstrap = j.at("bootstrap").get<int>();
    o.ood_trajectories = j.at("ood_trajectories").get<int>();
    o.quantile = report::exact_double(j.at("quantile"));
    o.seed = j.at("seed").get<std::uint64_t>();
    o.bits = j.at("bits").get<std::vector<int>>();
    a.json = j.at("json").get<bool>();
  } catch (const nlohmann::json::exception& e) {
    throw io::InputError("slice", "arguments", std::string("malformed arguments of experiment: ") + e.what());
  }
  return a;
}

// Trajectory units [begin, end): the in-distribution ones first, then the out-of-distribution ones.
std::pair<Range, Range> trajectory_ranges(const InflationOptions& o, cluster::Slice s) {
  const auto n = static_cast<long long>(o.trajectories);
  const auto in = [&](long long u) { return static_cast<int>(std::min(u, n)); };
  const auto away = [&](long long u) { return static_cast<int>(std::max(u, n) - n); };
  return {{in(s.begin), in(s.end)}, {away(s.begin), away(s.end)}};
}

int run_experiment(ExperimentArgs a) {
  const auto t0 = std::chrono::steady_clock::now();
  InflationOptions& o = a.o;
  if (a.quick) o = quick_options(o);
  o.bits.clear();
  for (const std::string& b : split(a.bits, ',')) {
    const std::optional<long long> v = num::read_integer(b, 2, 16);
    if (!v) throw CLI::ValidationError("--bits", "bit widths 2..16, got '" + b + "'");
    o.bits.push_back(int(*v));
  }
  const std::vector<std::string> specs = a.models.empty() ? (a.quick ? quick_models() : default_models()) : split(a.models, ';');
  for (const std::string& s : specs)  // bad SPECs fail before any work
    model::is_language_model_spec(s) ? void(model::parse_lm_spec(s)) : void(model::parse_spec(s));
  // Said before the run (minutes for the full one), also when stdout carries the JSON.
  if (cluster::world().root())  // one line for the run, not one per rank
    std::fprintf(stderr, "fimcheck: experiment inflation writes %s to %s/\n",
                 a.shard.empty() ? "report.md, report.json and plots" : "slice.json", a.report_dir.c_str());
  const bool tty = isatty(STDERR_FILENO);
  // Every model's trajectories `in` and `away`, with a progress line per model and precision.
  const auto trajectories = [&](Range in, Range away) {
    std::vector<ModelTrajectories> out;
    for (const std::string& s : specs) {
      out.push_back(run_trajectories(s, o, in, away, [&](const std::string& what) {
        if (tty) std::fprintf(stderr, "\r[%zu/%zu] %-90.90s", out.size() + 1, specs.size(), what.c_str());
      }));
    }
    if (tty) std::fprintf(stderr, "\n");
    return out;
  };
  if (split_run(a.shard)) {
    const Sliced s{"experiment inflation", slice_arguments(a, specs), o.trajectories + o.ood_trajectories,
                   "trajectories", [&](cluster::Slice range) {
                     const auto [in, away] = trajectory_ranges(o, range);
                     return report::trajectories_json(trajectories(in, away));
                   }};
    const std::string dir = a.report_dir;  // --report's default is for a whole run, not for a slice
    return run_sliced(s, a.shard, a.report_given ? dir : "", [dir](const auto& slices) { return merge_experiment(slices, dir); });
  }
  std::vector<ModelInflation> results;
  for (const ModelTrajectories& m : trajectories({0, o.trajectories}, {0, o.ood_trajectories}))
    results.push_back(conclude(m, o));
  return report_experiment(a, results, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
}

}  // namespace

int merge_experiment(const std::vector<report::SliceReport>& slices, const std::string& out_dir) {
  ExperimentArgs a = from_slice_arguments(slices.front().arguments);
  a.report_dir = out_dir;
  std::vector<std::vector<ModelTrajectories>> parts;
  for (const report::SliceReport& s : slices) parts.push_back(report::trajectories_from_json(s.result));
  std::vector<ModelInflation> results;
  for (const ModelTrajectories& m : join_trajectories(parts)) results.push_back(conclude(m, a.o));
  return report_experiment(a, results, report::slowest_seconds(slices));
}

void add_experiment(CLI::App& app, int& exit_code) {
  auto* exp = app.add_subcommand("experiment", "Reproduce a measurement of the paper");
  exp->require_subcommand(1);
  auto* cmd = exp->add_subcommand("inflation",
                                  "Calibration threshold of sigma_t at full precision and quantized, on fimcheck's "
                                  "own models (C8); every sigma_t certified");
  auto a = std::make_shared<ExperimentArgs>();
  cmd->add_option("--models", a->models, "Model SPECs separated by ';' (default: the twelve of the README)");
  cmd->add_option("--trajectories", a->o.trajectories, "In-distribution trajectories per model")->check(CLI::Range(1, 100000));
  cmd->add_option("--steps", a->o.steps, "Steps per trajectory")->check(CLI::Range(1, 100000));
  cmd->add_option("--window", a->o.window, "Observations per F_t window")->check(CLI::Range(1, 100000));
  cmd->add_option("--bits", a->bits, "Bit widths, comma separated (RTN symmetric per group)");
  cmd->add_option("--group-size", a->o.group_size, "Quantizer group size along rows")->check(CLI::Range(1, 1 << 20));
  cmd->add_option("--quantile", a->o.quantile, "Calibration quantile q, 0 < q <= 1")->check(CLI::Range(1e-9, 1.0));
  cmd->add_option("--ood-trajectories", a->o.ood_trajectories,
                  "Out-of-distribution trajectories per model and precision (the elevation rate)")
      ->check(CLI::Range(0, 100000));
  cmd->add_option("--reference", a->o.reference, "Reference inputs for lambda_base")->check(CLI::Range(1, 1000000));
  cmd->add_option("--seed", a->o.seed, "Seed of the trajectories and the bootstrap");
  a->o.jobs = num::all_cores();
  add_jobs_option(*cmd, a->o.jobs, "trajectories");
  add_shard_option(*cmd, a->shard);
  cmd->add_flag("--quick", a->quick, "A reduced run (3 models, few trajectories) for tests and the demo");
  cmd->add_option("--report", a->report_dir, "Directory for report.json, report.md and plots");
  cmd->add_flag("--json", a->json, "Print report.json on stdout");
  cmd->callback([a, cmd, &exit_code] {
    a->report_given = cmd->count("--report") > 0;
    exit_code = run_experiment(*a);
  });
}

}  // namespace fim::cli
