// fimcheck experiment inflation: the calibration threshold of sigma_t at full precision and under
// RTN quantization, on fimcheck's own trained models, every sigma_t a certified enclosure
// (C8, proofs/inflation.md). read (train) -> enclose -> decide (quantiles) -> report.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>
#include <unistd.h>

#include <mpfr.h>

#include "claims/inflation.hpp"
#include "cli/commands.hpp"
#include "cli/experiment.hpp"
#include "fim/enclose_fim.hpp"
#include "fim/language_model.hpp"
#include "fim/monitor.hpp"
#include "fim/spec.hpp"
#include "numeric/decimal.hpp"
#include "report/atomic_file.hpp"
#include "report/enclosure_json.hpp"
#include "report/svg.hpp"

namespace fim::cli {
namespace {

using num::Ival;
using model::Dense;

const linalg::Precision kBinary64{53, 1e-10};  // interval scores fix the width; no escalation

Ival lambda_of(const Dense<Ival>& g) { return model::enclose_fim_top(g, kBinary64).lambda1; }

// Rows of observations [t, t + window) of one trajectory, from per-observation rows.
Dense<Ival> window_of(const std::vector<Dense<Ival>>& obs, int t, int window) {
  Dense<Ival> g(0, obs.front().cols);
  for (int s = t; s < t + window; ++s) {
    g.v.insert(g.v.end(), obs[s].v.begin(), obs[s].v.end());
    g.rows += obs[s].rows;
  }
  return g;
}

// lambda_1(F_t) for every step of one trajectory at theta.
std::vector<Ival> trajectory_lambdas(const model::Monitored& m, std::span<const double> theta, std::uint64_t seed,
                                     const InflationOptions& o, bool ood) {
  std::vector<Dense<Ival>> obs;
  for (int s = 0; s < o.steps + o.window - 1; ++s) obs.push_back(m.observation_scores(theta, seed, s, ood));
  std::vector<Ival> out;
  for (int t = 0; t < o.steps; ++t) out.push_back(lambda_of(window_of(obs, t, o.window)));
  return out;
}

// Runs fn(j) for j in [0, count) on `threads` workers (binary64-only enclosures: no shared state).
void parallel_for(int count, int threads, const std::function<void(int)>& fn) {
  std::atomic<int> next{0};
  std::vector<std::thread> pool;
  for (int w = 0; w < std::max(1, threads); ++w)
    pool.emplace_back([&] {
      for (int j; (j = next++) < count;) fn(j);
      mpfr_free_cache2(MPFR_FREE_LOCAL_CACHE);  // MPFR keeps per-thread constant caches (interval exp, log)
    });
  for (auto& t : pool) t.join();
}

std::vector<Ival> divide_all(const std::vector<std::vector<Ival>>& lambdas, const Ival& base) {
  std::vector<Ival> out;
  for (const auto& traj : lambdas)
    for (const Ival& l : traj) out.push_back(base.lo > 0 ? l / base : Ival(0.0, num::inf));
  return out;
}

std::vector<std::vector<double>> midpoints(const std::vector<std::vector<Ival>>& lambdas, const Ival& base) {
  std::vector<std::vector<double>> out;
  const double b = num::midpoint(base);
  for (const auto& traj : lambdas) {
    out.emplace_back();
    for (const Ival& l : traj) out.back().push_back(num::midpoint(l) / b);
  }
  return out;
}

}  // namespace

ModelInflation run_model(const std::string& spec, const InflationOptions& o,
                         const std::function<void(const std::string&)>& progress) {
  const bool language = model::is_language_model_spec(spec);
  const model::Model trained = language ? model::Model{} : model::build_model(model::parse_spec(spec));
  const auto m = language ? model::monitored_language_model(spec, o.reference) : model::monitored_network(trained, o.reference);
  ModelInflation r;
  r.spec = m->spec();
  r.labels = m->labels();
  std::vector<int> precisions = {0};  // 0: full precision
  precisions.insert(precisions.end(), o.bits.begin(), o.bits.end());
  std::vector<std::vector<std::vector<Ival>>> lambdas, ood;  // [precision][trajectory][step]
  for (int bits : precisions) {
    const std::vector<double> theta = bits == 0 ? m->theta() : model::quantized_theta(*m, bits, o.group_size);
    PrecisionResult p;
    p.bits = bits;
    p.lambda_base = lambda_of(m->reference_scores(theta));
    std::vector<std::vector<Ival>> per(o.trajectories);
    parallel_for(o.trajectories, o.threads, [&](int j) { per[j] = trajectory_lambdas(*m, theta, o.seed + j, o, false); });
    std::vector<std::vector<Ival>> away(o.ood_trajectories);
    parallel_for(o.ood_trajectories, o.threads, [&](int j) { away[j] = trajectory_lambdas(*m, theta, o.seed + 1000003 + j, o, true); });
    p.ood_trace = away.empty() ? std::vector<Ival>{} : away.front();
    p.id_trace = per.front();
    lambdas.push_back(std::move(per));
    ood.push_back(std::move(away));
    r.precisions.push_back(std::move(p));
    if (progress) progress(r.spec + (bits == 0 ? ": full precision" : ": " + std::to_string(bits) + " bits"));
  }
  const Ival base_fp = r.precisions.front().lambda_base;
  for (std::size_t k = 0; k < precisions.size(); ++k) {
    PrecisionResult& p = r.precisions[k];
    p.threshold = claims::quantile_enclosure(divide_all(lambdas[k], p.lambda_base), o.quantile);
    p.threshold_shared = claims::quantile_enclosure(divide_all(lambdas[k], base_fp), o.quantile);
    if (o.ood_trajectories > 0) {  // Lemma 3 with the threshold 1: sigma_t > 1 iff lambda_1(F_t) > lambda_base
      p.ood_elevation = claims::exceedance_rate(divide_all(ood[k], p.lambda_base), Ival(1.0));
      p.ood_elevation_shared = claims::exceedance_rate(divide_all(ood[k], base_fp), Ival(1.0));
    }
  }
  const PrecisionResult& fp = r.precisions.front();
  for (std::size_t k = 1; k < precisions.size(); ++k) {
    PrecisionResult& p = r.precisions[k];
    p.inflation = claims::inflation_enclosure(p.threshold, fp.threshold);
    p.inflation_shared = claims::inflation_enclosure(p.threshold_shared, fp.threshold);
    p.false_alarm = claims::exceedance_rate(divide_all(lambdas[k], base_fp), fp.threshold);
    p.bootstrap = claims::bootstrap_inflation(midpoints(lambdas[k], p.lambda_base), midpoints(lambdas[0], fp.lambda_base),
                                              o.quantile, o.bootstrap, o.seed);
  }
  return r;
}

namespace {

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
  cmd->add_option("--threads", a->o.threads, "Worker threads")->check(CLI::Range(1, 256));
  cmd->add_flag("--quick", a->quick, "A reduced run (3 models, few trajectories) for tests and the demo");
  cmd->add_option("--report", a->report_dir, "Directory for report.json, report.md and plots");
  cmd->add_flag("--json", a->json, "Print report.json on stdout");
  cmd->callback([a, &exit_code] { exit_code = run_experiment(*a); });
}

}  // namespace fim::cli
