// fimcheck models (SPEC S5): per-sample scores of real models, in any scalar.
//
// Interface, for the checks built on it:
//   ModelSpec s = parse_spec("mlp:hidden=16x16,act=gelu,d_in=8,classes=4,n=512,seed=3");
//   Model m = build_model(s);                 // synthetic data + deterministic training, double
//   LabelPlan plan = label_plan(m, FisherMode::expected);    // which labels the FIM uses
//   Dense<double> g = score_matrix(m, plan);  // rows x d; the FIM is g^T g / rows (S1)
//   linalg::Top t = enclose_model_top(m, plan, p);            // certified lambda_1 (enclose_fim.hpp)
// Generic forms take the scalar S explicitly (double, num::MpReal, num::Ival, num::MpIval,
// num::Jet<...>), with parameters and inputs as S so either may vary:
//   score_matrix<S>(m.arch, theta_S, inputs_S, plan)          // e.g. inputs x0 + t u, t an Ival
//   fim_along<S>(m.arch, theta_S, delta_S, inputs_S, plan)    // F, L[delta], Q[delta, delta]
// with the convention F(theta + t delta) = F + t L + (t^2 / 2) Q + O(t^3), i.e. L = dF/dt(0) and
// Q = d^2F/dt^2(0) (proofs/models.md, Lemma 7); score_jets<S> gives the score rows as jets for
// callers that need v^T L w or v^T Q w without forming d x d matrices (Gram form, large d).
// Labels: FisherMode data | expected | sampled | argmax (proofs/models.md, section 3). Sampled and
// argmax labels are drawn once, in double, from the trained model at the stored inputs; expected
// has no labels and is recomputed in S (probabilities included) wherever it is evaluated, so it
// is the mode to use for inputs that vary (x(t)) and for interval or jet evaluation.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "fim/network.hpp"
#include "fim/spec.hpp"

namespace fim::model {

/// A dense row-major matrix over any scalar (Eigen is not instantiated on interval and jet types).
template <class S>
struct Dense {
  std::size_t rows = 0, cols = 0;
  std::vector<S> v;
  Dense() = default;
  Dense(std::size_t r, std::size_t c) : rows(r), cols(c), v(r * c, S(0.0)) {}
  S& operator()(std::size_t i, std::size_t j) { return v[i * cols + j]; }
  const S& operator()(std::size_t i, std::size_t j) const { return v[i * cols + j]; }
  std::span<const S> row(std::size_t i) const { return {v.data() + i * cols, cols}; }
  std::span<S> row(std::size_t i) { return {v.data() + i * cols, cols}; }
};

/// Which labels the FIM's score rows use (proofs/models.md, section 3).
enum class FisherMode { data, expected, sampled, argmax };
/// "data" etc.; parse throws io::InputError naming "--fisher" on anything else.
const char* name_of(FisherMode m);
FisherMode parse_fisher_mode(const std::string& text);

/// The labels of the score rows: one Target per input (data, sampled, argmax), or none (expected:
/// one row per input and label value, weighted so that G^T G / rows is the FIM).
struct LabelPlan {
  FisherMode mode = FisherMode::data;
  std::vector<Target> targets;
};

/// A trained model with its data: inputs (n x d_in), their observed targets, and theta (double).
struct Model {
  ModelSpec spec;
  Architecture arch;
  Dense<double> inputs;
  std::vector<Target> targets;
  std::vector<double> theta;
  double final_loss = 0;  // mean negative log-likelihood after training (double)
};

/// Generates the data of s from its seed and trains the model (Adam, full batch, double); the
/// same s gives the same bits (same build and C library). Generator and training: model.cpp.
Model build_model(const ModelSpec& s);

/// The labels for mode; `seed` only matters for sampled. Throws io::InputError ("--fisher") for
/// argmax with the Gaussian head, whose most likely y is the mean, where every score is 0.
LabelPlan label_plan(const Model& m, FisherMode mode, std::uint64_t seed = 0);

/// Score rows per input: 1, or for expected the number of label values (1 for the Gaussian head,
/// whose expected FIM is one row (1/sigma) J^T, Lemma 8 (a)).
std::size_t rows_per_input(const Architecture& a, FisherMode mode);

/// Exact conversion of binary64 values to S.
template <class S>
std::vector<S> cast(std::span<const double> x) {
  return std::vector<S>(x.begin(), x.end());
}
template <class S>
Dense<S> cast(const Dense<double>& x) {
  Dense<S> r;
  r.rows = x.rows;
  r.cols = x.cols;
  r.v = cast<S>(std::span<const double>(x.v));
  return r;
}

/// Writes the score rows of input x into rows [first, first + rows_per_input) of g.
/// Expected mode (Lemma 8): row c is sqrt(C p(c | x)) g_c with C the number of label values, so
/// that the rows' contribution to G^T G / (n C) is sum_c p(c | x) g_c g_c^T / n.
template <class S>
void write_score_rows(const Architecture& a, std::span<const S> theta, std::span<const S> x,
                      const LabelPlan& plan, std::size_t input, Dense<S>& g, std::size_t first) {
  const Trace<S> tr = forward(a, theta, x);
  if (plan.mode != FisherMode::expected) {
    backprop<S>(a, theta, tr, head_score(a, tr.logits(), plan.targets[input]), g.row(first));
    return;
  }
  if (a.head == Head::gaussian) {  // E[(y - z)^2] / sigma^4 = 1 / sigma^2: one row J^T / sigma
    backprop<S>(a, theta, tr, {S(1.0) / S(a.sigma)}, g.row(first));
    return;
  }
  using O = ScalarOps<S>;
  const int classes = a.classes();
  const S root_classes = O::sqrt(S(static_cast<double>(classes)));
  for (int c = 0; c < classes; ++c) {
    const Target t{c, 0.0};
    // sqrt(C p) = sqrt(C) exp(log p / 2): smooth in theta even where p underflows
    const S weight = root_classes * O::exp(S(0.5) * head_log_prob(a, tr.logits(), t));
    std::vector<S> dz = head_score(a, tr.logits(), t);
    for (S& v : dz) v = weight * v;
    backprop<S>(a, theta, tr, std::move(dz), g.row(first + c));
  }
}

/// The score matrix G (rows = inputs.rows * rows_per_input, cols = num_params) at parameters
/// theta and inputs (n x d_in); the FIM is G^T G / rows.
template <class S>
Dense<S> score_matrix(const Architecture& a, std::span<const S> theta, const Dense<S>& inputs,
                      const LabelPlan& plan) {
  const std::size_t k = rows_per_input(a, plan.mode);
  Dense<S> g(inputs.rows * k, a.num_params());
  for (std::size_t i = 0; i < inputs.rows; ++i)
    write_score_rows<S>(a, theta, inputs.row(i), plan, i, g, i * k);
  return g;
}

/// The binary64 score matrix of a model at its own theta and inputs.
Dense<double> score_matrix(const Model& m, const LabelPlan& plan);

/// F = G^T G / rows, in S.
template <class S>
Dense<S> fim_of(const Dense<S>& g) {
  Dense<S> f(g.cols, g.cols);
  const S rows(static_cast<double>(g.rows));
  for (std::size_t i = 0; i < g.cols; ++i)
    for (std::size_t j = 0; j <= i; ++j) {
      S s(0.0);
      for (std::size_t r = 0; r < g.rows; ++r) s += g(r, i) * g(r, j);
      f(i, j) = f(j, i) = s / rows;
    }
  return f;
}

/// Score rows along theta + t delta, as jets in t (Lemma 7): G(t) = G0 + t G1 + t^2 G2 + O(t^3).
template <class S>
Dense<num::Jet<S>> score_jets(const Architecture& a, std::span<const S> theta,
                              std::span<const S> delta, const Dense<S>& inputs,
                              const LabelPlan& plan) {
  using J = num::Jet<S>;
  std::vector<J> line(theta.size());
  for (std::size_t k = 0; k < theta.size(); ++k) line[k] = J::line(theta[k], delta[k]);
  Dense<J> x;
  x.rows = inputs.rows;
  x.cols = inputs.cols;
  x.v = std::vector<J>(inputs.v.begin(), inputs.v.end());
  return score_matrix<J>(a, line, x, plan);
}

/// F(theta), L[delta] = dF/dt(0) and Q[delta, delta] = d^2F/dt^2(0) of F(theta + t delta).
template <class S>
struct FimAlong {
  Dense<S> F, L, Q;
};

/// F, L, Q from score jets (Lemma 7): L = (G0^T G1 + G1^T G0) / N,
/// Q = 2 (G0^T G2 + G1^T G1 + G2^T G0) / N, with N the number of rows.
template <class S>
FimAlong<S> fim_along(const Architecture& a, std::span<const S> theta, std::span<const S> delta,
                      const Dense<S>& inputs, const LabelPlan& plan) {
  const Dense<num::Jet<S>> g = score_jets<S>(a, theta, delta, inputs, plan);
  const std::size_t d = g.cols;
  FimAlong<S> r{Dense<S>(d, d), Dense<S>(d, d), Dense<S>(d, d)};
  const S rows(static_cast<double>(g.rows));
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t j = 0; j <= i; ++j) {
      num::Jet<S> s(S(0.0));
      for (std::size_t k = 0; k < g.rows; ++k) s += g(k, i) * g(k, j);  // Cauchy product
      r.F(i, j) = r.F(j, i) = s.c0 / rows;
      r.L(i, j) = r.L(j, i) = s.c1 / rows;
      r.Q(i, j) = r.Q(j, i) = s.second_derivative() / rows;
    }
  return r;
}

/// Mean negative log-likelihood of the data at theta (double), the training loss.
double mean_nll(const Model& m, std::span<const double> theta);

}  // namespace fim::model
