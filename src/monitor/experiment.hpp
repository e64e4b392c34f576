// The inflation experiment (C8) shared by `fimcheck experiment inflation` and the demo: options,
// per-model runs and their results (proofs/inflation.md). The report is report/experiment_report.hpp.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "monitor/inflation.hpp"
#include "numeric/interval.hpp"

namespace fim::monitor {

struct InflationOptions {
  int trajectories = 90, steps = 16, window = 32, reference = 128, group_size = 128, bootstrap = 1000;
  int jobs = 0;  // threads computing trajectories (0: every core); no effect on the results
  int ood_trajectories = 10;  // out-of-distribution trajectories per precision (the elevation rate)
  double quantile = 0.99;
  std::uint64_t seed = 1;
  std::vector<int> bits = {2, 3, 4, 8};
};

/// One precision of one model: lambda_base, thresholds (shared and own baseline), the rate at which
/// out-of-distribution steps raise sigma_t above 1 (Proposition 3.2's elevation), and against full
/// precision the inflation enclosures, the false-alarm rate and the statistical bootstrap interval.
/// "Shared": sigma_t of this precision over the full-precision lambda_base (the paper's reading of
/// its 244x); "own": over this precision's own lambda_base.
struct PrecisionResult {
  int bits = 0;  // 0: full precision
  num::Ival lambda_base, threshold, threshold_shared, inflation, inflation_shared, false_alarm;
  num::Ival ood_elevation, ood_elevation_shared;  // fraction of out-of-distribution steps with sigma_t > 1
  BootstrapCi bootstrap;
  std::vector<num::Ival> id_trace, ood_trace;  // lambda_1(F_t) of one trajectory each, for plots
};

struct ModelInflation {
  std::string spec, labels;                 // labels: what the score rows of this model used
  std::vector<PrecisionResult> precisions;  // full precision first, then o.bits in order
};

/// The certified direction of lambda_base under quantization, from the two enclosures: "up" when
/// lo(quantized) > hi(full), "down" when hi(quantized) < lo(full), else "undecided".
std::string base_direction(const num::Ival& quantized, const num::Ival& full);

/// The twelve default models, and the three of --quick.
std::vector<std::string> default_models();
std::vector<std::string> quick_models();
/// o reduced for --quick (few trajectories and steps, bits 4 and 8).
InflationOptions quick_options(InflationOptions o);

/// The certified lambda_1(F_t) of some trajectories of one model at one precision: in-distribution
/// trajectories `in` and out-of-distribution ones `away`, each [trajectory][step], for the
/// trajectories of a Range (all of them, or a slice's).
struct PrecisionTrajectories {
  int bits = 0;  // 0: full precision
  num::Ival lambda_base;
  std::vector<std::vector<num::Ival>> in, away;
};
struct ModelTrajectories {
  std::string spec, labels;
  std::vector<PrecisionTrajectories> precisions;  // full precision first, then o.bits in order
};
/// Trajectories [begin, end) (trajectory j is seeded by o.seed + j alone: the same in every slice).
struct Range {
  int begin = 0, end = 0;
};

/// Trains the model of `spec` and runs the in-distribution trajectories `in` and the
/// out-of-distribution trajectories `away` at full precision and each bit width.
ModelTrajectories run_trajectories(const std::string& spec, const InflationOptions& o, Range in, Range away,
                                   const std::function<void(const std::string&)>& progress = {});

/// The thresholds, inflations, rates and bootstrap interval from every trajectory of a model
/// (those of run_trajectories over all of them, or the slices' concatenated in order).
ModelInflation conclude(const ModelTrajectories& t, const InflationOptions& o);

/// Every model's trajectories from the slices' (each a run_trajectories per model over one slice of
/// the trajectories), concatenated in slice order; throws std::invalid_argument when the slices are
/// of different models or their lambda_base differ (they are computed alike in every slice).
std::vector<ModelTrajectories> join_trajectories(const std::vector<std::vector<ModelTrajectories>>& slices);

/// Trains the model of `spec`, runs every trajectory at full precision and each bit width.
ModelInflation run_model(const std::string& spec, const InflationOptions& o,
                         const std::function<void(const std::string&)>& progress = {});

}  // namespace fim::monitor
