// Synthetic data and deterministic training of the models (SPEC S5).
//
// Generator (proofs/models.md, section 4). Random words come from std::mt19937_64, whose output
// sequence the C++ standard fixes; stream k of seed s is seeded with splitmix64(4 s + k) (wrapping):
// k = 0 teacher, 1 inputs, 2 targets, 3 student initialisation. u = (word >> 11) 2^-53 is uniform
// on [0, 1); a normal is Box-Muller's sqrt(-2 log(1 - u1)) cos(2 pi u2) (one per pair of words).
//   inputs x_i ~ N(0, I_d_in), i = 1..n, drawn row by row;
//   teacher: the same architecture, weights N(0, 4 / fan_in), biases N(0, 1/4);
//   targets: gaussian y = z_teacher(x) + noise * N(0, 1); bernoulli 1[u < s(z_teacher)]; categorical
//   the first c with u < p_0 + ... + p_c of softmax(z_teacher) (the last class if none);
//   student: weights N(0, 1 / fan_in), biases 0.
// Training: Adam (beta1 = 0.9, beta2 = 0.999, eps = 1e-8, bias-corrected) on the mean negative
// log-likelihood over all n inputs (full batch, summed in input order), `steps` steps of size lr.
#include "fim/model.hpp"

#include "fim/adam.hpp"

#include <cmath>
#include <numbers>
#include <random>

#include "io/matrix_io.hpp"

namespace fim::model {
namespace {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

enum Stream : std::uint64_t { kTeacher = 0, kInputs = 1, kTargets = 2, kInit = 3 };

std::mt19937_64 stream(std::uint64_t seed, std::uint64_t k) {
  return std::mt19937_64(splitmix64(4 * seed + k));
}

double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1p-53; }

double normal(std::mt19937_64& rng) {
  const double u1 = uniform01(rng), u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(1.0 - u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

// Weights N(0, gain^2 / fan_in), biases N(0, bias_sd^2) (or 0), layer by layer in layout order.
std::vector<double> random_parameters(const Architecture& a, std::mt19937_64& rng, double gain,
                                      double bias_sd) {
  std::vector<double> theta(a.num_params());
  for (int l = 0; l < a.layers(); ++l) {
    const std::size_t w0 = a.weight_offset(l), nw = std::size_t(a.fan_out(l)) * a.fan_in(l);
    const double sd = gain / std::sqrt(static_cast<double>(a.fan_in(l)));
    for (std::size_t k = 0; k < nw; ++k) theta[w0 + k] = sd * normal(rng);
    for (int i = 0; i < a.fan_out(l); ++i) theta[w0 + nw + i] = bias_sd == 0 ? 0 : bias_sd * normal(rng);
  }
  return theta;
}

Dense<double> random_inputs(const ModelSpec& s) {
  std::mt19937_64 rng = stream(s.seed, kInputs);
  Dense<double> x(static_cast<std::size_t>(s.n), static_cast<std::size_t>(s.d_in));
  for (double& v : x.v) v = normal(rng);
  return x;
}

// The first c with u < p_0 + ... + p_c (the last class when rounding leaves none).
int inverse_cdf(const std::vector<double>& p, double u) {
  double cumulative = 0;
  for (std::size_t c = 0; c + 1 < p.size(); ++c)
    if (u < (cumulative += p[c])) return static_cast<int>(c);
  return static_cast<int>(p.size()) - 1;
}

// A label drawn from the head's distribution at logits z (y for the Gaussian head).
Target draw_target(const Architecture& a, const std::vector<double>& z, std::mt19937_64& rng) {
  if (a.head == Head::gaussian) return {0, z[0] + a.sigma * normal(rng)};
  return {inverse_cdf(head_probabilities(a, z), uniform01(rng)), 0.0};
}

std::vector<double> logits_at(const Architecture& a, std::span<const double> theta,
                              std::span<const double> x) {
  return forward(a, theta, x).logits();
}

std::vector<Target> teacher_targets(const ModelSpec& s, const Architecture& a,
                                    const Dense<double>& x) {
  std::mt19937_64 teacher_rng = stream(s.seed, kTeacher), target_rng = stream(s.seed, kTargets);
  const std::vector<double> teacher = random_parameters(a, teacher_rng, 2.0, 0.5);
  std::vector<Target> t;
  for (std::size_t i = 0; i < x.rows; ++i)
    t.push_back(draw_target(a, logits_at(a, teacher, x.row(i)), target_rng));
  return t;
}

// Gradient of the mean negative log-likelihood: -(1/n) sum_i g_i, summed in input order.
std::vector<double> loss_gradient(const Model& m, std::span<const double> theta) {
  std::vector<double> grad(theta.size(), 0.0);
  for (std::size_t i = 0; i < m.inputs.rows; ++i) {
    const std::vector<double> g = score<double>(m.arch, theta, m.inputs.row(i), m.targets[i]);
    for (std::size_t k = 0; k < g.size(); ++k) grad[k] -= g[k];
  }
  const double n = static_cast<double>(m.inputs.rows);
  for (double& v : grad) v /= n;
  return grad;
}

void train_adam(Model& m) {
  Adam adam(m.theta.size());
  for (int step = 0; step < m.spec.steps; ++step) adam.step(m.theta, loss_gradient(m, m.theta), m.spec.lr);
}

int most_likely(const std::vector<double>& p) {
  int best = 0;  // ties go to the smallest label
  for (std::size_t c = 1; c < p.size(); ++c)
    if (p[c] > p[best]) best = static_cast<int>(c);
  return best;
}

}  // namespace

const char* name_of(FisherMode m) {
  switch (m) {
    case FisherMode::data: return "data";
    case FisherMode::expected: return "expected";
    case FisherMode::sampled: return "sampled";
    case FisherMode::argmax: return "argmax";
  }
  return "?";
}

FisherMode parse_fisher_mode(const std::string& text) {
  for (FisherMode m : {FisherMode::data, FisherMode::expected, FisherMode::sampled, FisherMode::argmax})
    if (text == name_of(m)) return m;
  throw io::InputError("--fisher", "'" + text + "'", "not one of data, expected, sampled, argmax");
}

Model build_model(const ModelSpec& s) {
  Model m;
  m.spec = s;
  m.arch = s.architecture();
  m.inputs = random_inputs(s);
  m.targets = teacher_targets(s, m.arch, m.inputs);
  std::mt19937_64 init_rng = stream(s.seed, kInit);
  m.theta = random_parameters(m.arch, init_rng, 1.0, 0.0);
  train_adam(m);
  m.final_loss = mean_nll(m, m.theta);
  return m;
}

double mean_nll(const Model& m, std::span<const double> theta) {
  double sum = 0;
  for (std::size_t i = 0; i < m.inputs.rows; ++i)
    sum -= log_prob<double>(m.arch, theta, m.inputs.row(i), m.targets[i]);
  return sum / static_cast<double>(m.inputs.rows);
}

std::size_t rows_per_input(const Architecture& a, FisherMode mode) {
  if (mode != FisherMode::expected || a.head == Head::gaussian) return 1;
  return static_cast<std::size_t>(a.classes());
}

LabelPlan label_plan(const Model& m, FisherMode mode, std::uint64_t seed) {
  LabelPlan plan{mode, {}};
  if (mode == FisherMode::data) plan.targets = m.targets;
  if (mode == FisherMode::argmax && m.arch.head == Head::gaussian)
    throw io::InputError("--fisher", "argmax",
                         "the most likely y of linear-Gaussian regression is its mean, where every "
                         "score is 0; use data, expected or sampled");
  if (mode != FisherMode::sampled && mode != FisherMode::argmax) return plan;
  // sampled labels: their own stream, seeded from --seed alone (the model's seed is not used)
  std::mt19937_64 rng(splitmix64(splitmix64(seed)));
  for (std::size_t i = 0; i < m.inputs.rows; ++i) {
    const std::vector<double> z = logits_at(m.arch, m.theta, m.inputs.row(i));
    plan.targets.push_back(mode == FisherMode::sampled
                               ? draw_target(m.arch, z, rng)
                               : Target{most_likely(head_probabilities(m.arch, z)), 0.0});
  }
  return plan;
}

Dense<double> score_matrix(const Model& m, const LabelPlan& plan) {
  return score_matrix<double>(m.arch, m.theta, m.inputs, plan);
}

}  // namespace fim::model
