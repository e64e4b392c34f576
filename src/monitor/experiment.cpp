// The inflation experiment (C8, proofs/inflation.md): for each model, lambda_base and the
// calibration thresholds of sigma_t at full precision and at each RTN bit width, every lambda_1
// a certified enclosure. read (train) -> enclose -> decide (quantiles); the report is written by
// report/experiment_report.hpp.
#include "monitor/experiment.hpp"

#include "fim/enclose_fim.hpp"
#include "fim/language_model.hpp"
#include "fim/monitored.hpp"
#include "fim/spec.hpp"
#include "numeric/parallel.hpp"

#include <stdexcept>

namespace fim::monitor {
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

ModelTrajectories run_trajectories(const std::string& spec, const InflationOptions& o, Range in, Range away,
                                   const std::function<void(const std::string&)>& progress) {
  const bool language = model::is_language_model_spec(spec);
  const model::Model trained = language ? model::Model{} : model::build_model(model::parse_spec(spec));
  const auto m = language ? model::monitored_language_model(spec, o.reference) : model::monitored_network(trained, o.reference);
  ModelTrajectories r;
  r.spec = m->spec();
  r.labels = m->labels();
  std::vector<int> precisions = {0};  // 0: full precision
  precisions.insert(precisions.end(), o.bits.begin(), o.bits.end());
  for (int bits : precisions) {
    const std::vector<double> theta = bits == 0 ? m->theta() : model::quantized_theta(*m, bits, o.group_size);
    PrecisionTrajectories p;
    p.bits = bits;
    p.lambda_base = lambda_of(m->reference_scores(theta));
    p.in.resize(static_cast<std::size_t>(in.end - in.begin));
    num::parallel_for(in.begin, in.end, o.jobs, [&](int j) {
      p.in[static_cast<std::size_t>(j - in.begin)] = trajectory_lambdas(*m, theta, o.seed + j, o, false);
    });
    p.away.resize(static_cast<std::size_t>(away.end - away.begin));
    num::parallel_for(away.begin, away.end, o.jobs, [&](int j) {
      p.away[static_cast<std::size_t>(j - away.begin)] = trajectory_lambdas(*m, theta, o.seed + 1000003 + j, o, true);
    });
    r.precisions.push_back(std::move(p));
    if (progress) progress(r.spec + (bits == 0 ? ": full precision" : ": " + std::to_string(bits) + " bits"));
  }
  return r;
}

ModelInflation conclude(const ModelTrajectories& t, const InflationOptions& o) {
  ModelInflation r;
  r.spec = t.spec;
  r.labels = t.labels;
  for (const PrecisionTrajectories& q : t.precisions) {
    PrecisionResult p;
    p.bits = q.bits;
    p.lambda_base = q.lambda_base;
    p.ood_trace = q.away.empty() ? std::vector<Ival>{} : q.away.front();
    p.id_trace = q.in.front();
    r.precisions.push_back(std::move(p));
  }
  const Ival base_fp = r.precisions.front().lambda_base;
  for (std::size_t k = 0; k < r.precisions.size(); ++k) {
    PrecisionResult& p = r.precisions[k];
    const PrecisionTrajectories& q = t.precisions[k];
    p.threshold = quantile_enclosure(divide_all(q.in, p.lambda_base), o.quantile);
    p.threshold_shared = quantile_enclosure(divide_all(q.in, base_fp), o.quantile);
    if (o.ood_trajectories > 0) {  // Lemma 3 with the threshold 1: sigma_t > 1 iff lambda_1(F_t) > lambda_base
      p.ood_elevation = exceedance_rate(divide_all(q.away, p.lambda_base), Ival(1.0));
      p.ood_elevation_shared = exceedance_rate(divide_all(q.away, base_fp), Ival(1.0));
    }
  }
  const PrecisionResult& fp = r.precisions.front();
  for (std::size_t k = 1; k < r.precisions.size(); ++k) {
    PrecisionResult& p = r.precisions[k];
    const PrecisionTrajectories& q = t.precisions[k];
    p.inflation = inflation_enclosure(p.threshold, fp.threshold);
    p.inflation_shared = inflation_enclosure(p.threshold_shared, fp.threshold);
    p.false_alarm = exceedance_rate(divide_all(q.in, base_fp), fp.threshold);
    p.bootstrap = bootstrap_inflation(midpoints(q.in, p.lambda_base), midpoints(t.precisions[0].in, fp.lambda_base),
                                      o.quantile, o.bootstrap, o.seed);
  }
  return r;
}

std::vector<ModelTrajectories> join_trajectories(const std::vector<std::vector<ModelTrajectories>>& slices) {
  std::vector<ModelTrajectories> all = slices.front();
  for (auto& m : all)
    for (auto& p : m.precisions) p.in.clear(), p.away.clear();
  for (const auto& slice : slices) {
    if (slice.size() != all.size()) throw std::invalid_argument("slices of experiments with different models");
    for (std::size_t k = 0; k < all.size(); ++k) {
      ModelTrajectories& m = all[k];
      const ModelTrajectories& s = slice[k];
      if (s.spec != m.spec || s.precisions.size() != m.precisions.size())
        throw std::invalid_argument("slices of experiments with different models: " + s.spec + ", " + m.spec);
      for (std::size_t b = 0; b < m.precisions.size(); ++b) {
        PrecisionTrajectories& p = m.precisions[b];
        const PrecisionTrajectories& q = s.precisions[b];
        // the same model and quantizer in every slice: the same enclosure, bit for bit
        if (q.bits != p.bits || q.lambda_base.lo != p.lambda_base.lo || q.lambda_base.hi != p.lambda_base.hi)
          throw std::invalid_argument("slices disagree on lambda_base of " + m.spec + " at bits " + std::to_string(p.bits) +
                                      ": they were not computed alike");
        p.in.insert(p.in.end(), q.in.begin(), q.in.end());
        p.away.insert(p.away.end(), q.away.begin(), q.away.end());
      }
    }
  }
  return all;
}

ModelInflation run_model(const std::string& spec, const InflationOptions& o,
                         const std::function<void(const std::string&)>& progress) {
  return conclude(run_trajectories(spec, o, {0, o.trajectories}, {0, o.ood_trajectories}, progress), o);
}

std::string base_direction(const Ival& quantized, const Ival& full) {
  return quantized.lo > full.hi ? "up" : quantized.hi < full.lo ? "down" : "undecided";
}

std::vector<std::string> default_models() {
  return {"linear:d_in=8,n=256,seed=1",
          "linear:d_in=32,n=512,seed=2",
          "logistic:d_in=8,n=256,seed=3",
          "logistic:d_in=32,n=512,seed=4",
          "softmax:d_in=8,classes=4,n=256,seed=5",
          "softmax:d_in=16,classes=8,n=512,seed=6",
          "mlp:hidden=16,act=tanh,d_in=8,classes=4,n=256,seed=7",
          "mlp:hidden=32x32,act=gelu,d_in=8,classes=4,n=512,seed=8",
          "mlp:hidden=16x16x16,act=relu,d_in=8,classes=4,n=512,seed=9",
          "lm:arch=mlp,seed=1",
          "lm:arch=mlp,act=gelu,embed=8,hidden=64,seed=2",
          "lm:arch=attention,seed=3"};
}

std::vector<std::string> quick_models() {
  return {"logistic:d_in=8,n=256,seed=3", "softmax:d_in=8,classes=4,n=256,seed=5",
          "mlp:hidden=16,act=tanh,d_in=8,classes=4,n=256,seed=7"};
}

InflationOptions quick_options(InflationOptions o) {
  o.trajectories = 8;
  o.ood_trajectories = 2;
  o.steps = 8;
  o.window = 16;
  o.bootstrap = 200;
  return o;
}

}  // namespace fim::monitor
