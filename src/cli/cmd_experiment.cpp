// fimcheck experiment inflation: the calibration threshold of sigma_t at full precision and under
// RTN quantization, on fimcheck's own trained models, every sigma_t a certified enclosure
// (C8, proofs/inflation.md). Parses the options, runs monitor::run_model per model, writes the
// report (report/experiment_report.hpp).
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <unistd.h>

#include "cli/commands.hpp"
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
  std::string models, bits = "2,3,4,8", report_dir = "inflation-report";
  bool quick = false, json = false;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, sep);)
    if (!item.empty()) out.push_back(item);
  return out;
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
  std::fprintf(stderr, "fimcheck: experiment inflation writes report.md, report.json and plots to %s/\n",
               a.report_dir.c_str());
  const bool tty = isatty(STDERR_FILENO);
  std::vector<ModelInflation> results;
  int done = 0;
  for (const std::string& s : specs) {
    results.push_back(run_model(s, o, [&](const std::string& what) {
      if (tty) std::fprintf(stderr, "\r[%d/%zu] %-90.90s", done + 1, specs.size(), what.c_str());
    }));
    ++done;
  }
  if (tty) std::fprintf(stderr, "\n");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const nlohmann::ordered_json j = inflation_json(results, o, seconds);
  write_inflation_report(a.report_dir, results, o, j);
  if (a.json) std::cout << j.dump(2) << "\n";
  else std::cout << inflation_summary(results, o, seconds) << "Report: " << a.report_dir << "/report.md\n";
  return kOk;
}

}  // namespace

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
  cmd->add_flag("--quick", a->quick, "A reduced run (3 models, few trajectories) for tests and the demo");
  cmd->add_option("--report", a->report_dir, "Directory for report.json, report.md and plots");
  cmd->add_flag("--json", a->json, "Print report.json on stdout");
  cmd->callback([a, &exit_code] { exit_code = run_experiment(*a); });
}

}  // namespace fim::cli
