// The inflation experiment (C8) shared by `fimcheck experiment inflation` and the demo: options,
// per-model results and the report (proofs/inflation.md).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claims/inflation.hpp"
#include "numeric/interval.hpp"

namespace fim::cli {

struct InflationOptions {
  int trajectories = 90, steps = 16, window = 32, reference = 128, group_size = 128, threads = 2, bootstrap = 1000;
  double quantile = 0.99;
  std::uint64_t seed = 1;
  std::vector<int> bits = {2, 3, 4, 8};
};

/// One precision of one model: lambda_base, thresholds (own and shared baseline), and against full
/// precision the inflation enclosures, the false-alarm rate and the statistical bootstrap interval.
struct PrecisionResult {
  int bits = 0;  // 0: full precision
  num::Ival lambda_base, threshold, threshold_shared, inflation, inflation_shared, false_alarm;
  claims::BootstrapCi bootstrap;
  std::vector<num::Ival> id_trace, ood_trace;  // lambda_1(F_t) of one trajectory each, for plots
};

struct ModelInflation {
  std::string spec;
  std::vector<PrecisionResult> precisions;  // full precision first, then o.bits in order
};

/// The twelve default models, and the three of --quick.
std::vector<std::string> default_models();
std::vector<std::string> quick_models();
/// o reduced for --quick (few trajectories and steps, bits 4 and 8).
InflationOptions quick_options(InflationOptions o);

/// Trains the model of `spec`, runs every trajectory at full precision and each bit width.
ModelInflation run_model(const std::string& spec, const InflationOptions& o,
                         const std::function<void(const std::string&)>& progress = {});

nlohmann::json inflation_json(const std::vector<ModelInflation>& r, const InflationOptions& o, double seconds);
/// A few lines for the terminal, including the plain answer about the paper's 244x.
std::string inflation_summary(const std::vector<ModelInflation>& r, const InflationOptions& o, double seconds);
/// DIR/report.json, report.md, inflation.svg and traces.svg, each written atomically.
void write_inflation_report(const std::string& dir, const std::vector<ModelInflation>& r, const InflationOptions& o,
                            const nlohmann::json& j);

}  // namespace fim::cli
