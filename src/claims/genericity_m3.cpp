#include "claims/genericity_m3.hpp"

#include <cmath>
#include <sstream>

#include "claims/genericity.hpp"
#include "fim/enclose_fim.hpp"
#include "fim/monitored.hpp"
#include "fim/top_eigenvector.hpp"
#include "linalg/enclose_spectrum.hpp"
#include "linalg/product_bounds.hpp"
#include "numeric/enclosure_json.hpp"

namespace fim::claims {
namespace {

using model::Dense;
using num::Ival;
using model::IVec;
using model::TopPair;
using model::dot;
using model::times;

const linalg::Precision kBinary64{53, 1e-10};

// The quantized weights and, per parameter, the variances of the two random error models
// (0 for biases and degenerate groups): uniform s^2 / 12; stochastic rounding f (1 - f) s^2.
struct Quantization {
  std::vector<double> theta_q;
  IVec var_uniform, var_stochastic;
  int quantized = 0;
};

Ival stochastic_variance(double w, double s) {
  const Ival x = Ival(w) / Ival(s), fl(std::floor(x.lo));
  const Ival f = std::floor(x.lo) == std::floor(x.hi) ? x - fl : Ival(0.0, 1.0);
  Ival v = f * (Ival(1.0) - f) * Ival(s) * Ival(s);
  v.lo = std::max(v.lo, 0.0);
  return v;
}

Quantization quantize_weights(const model::Model& m, const quant::QuantSpec& q) {
  Quantization r{m.theta, IVec(m.theta.size(), Ival(0.0)), IVec(m.theta.size(), Ival(0.0)), 0};
  for (int l = 0; l < m.arch.layers(); ++l) {
    const std::size_t off = m.arch.weight_offset(l);
    const int rows = m.arch.fan_out(l), cols = m.arch.fan_in(l);
    quant::RowMatrix w(rows, cols);
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j) w(i, j) = m.theta[off + static_cast<std::size_t>(i) * cols + j];
    const quant::Quantized qw = quant::quantize(w, q);
    for (const quant::Group& g : qw.groups)
      for (Eigen::Index i = g.row0; i < g.row0 + g.rows; ++i)
        for (Eigen::Index j = g.col0; j < g.col0 + g.cols; ++j) {
          const std::size_t k = off + static_cast<std::size_t>(i) * cols + j;
          r.theta_q[k] = qw.w_q(i, j);
          ++r.quantized;
          if (g.degenerate || q.scheme == quant::Scheme::nf4) continue;  // nf4: no uniform step
          r.var_uniform[k] = Ival(g.scale) * Ival(g.scale) / Ival(12.0);
          r.var_stochastic[k] = stochastic_variance(w(i, j), g.scale);
        }
  }
  return r;
}

IVec transpose_times(const Dense<Ival>& g, const IVec& a) {
  IVec r(g.cols, Ival(0.0));
  for (std::size_t i = 0; i < g.rows; ++i)
    for (std::size_t j = 0; j < g.cols; ++j) r[j] = r[j] + g(i, j) * a[i];
  return r;
}

Eigen::MatrixXd magnitude(const Dense<Ival>& m) {  // entrywise max |x| over each interval
  Eigen::MatrixXd r(m.rows, m.cols);
  for (std::size_t i = 0; i < m.rows; ++i)
    for (std::size_t j = 0; j < m.cols; ++j) r(i, j) = std::max(std::fabs(m(i, j).lo), std::fabs(m(i, j).hi));
  return r;
}

// ||M^-1 - X|| <= ||X|| rho / (1 - rho) with rho >= ||I - M X|| (Lemma 10), M = lambda_1 I - F + v v^T.
struct Resolvent {
  Eigen::MatrixXd x;
  double eta = num::inf;
};

Resolvent enclose_resolvent(const Dense<Ival>& f, const TopPair& t) {
  const std::size_t d = f.rows;
  Dense<Ival> m(d, d);
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t j = 0; j < d; ++j) m(i, j) = (i == j ? t.lambda1 : Ival(0.0)) - f(i, j) + t.v1[i] * t.v1[j];
  Resolvent r{model::box_of(m).mid.inverse(), num::inf};
  Dense<Ival> residual(d, d);
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t j = 0; j < d; ++j) {
      Ival s(i == j ? 1.0 : 0.0);
      for (std::size_t k = 0; k < d; ++k) s = s - m(i, k) * Ival(r.x(k, j));
      residual(i, j) = s;
    }
  const double rho = linalg::norm2_up(magnitude(residual));
  if (rho < 1) r.eta = num::div_up(num::mul_up(linalg::norm2_up(r.x.cwiseAbs()), rho), num::add_down(1.0, -rho));
  return r;
}

// c2 = (1/2) sum_k var_k v^T Q_k v + sum_k var_k w_k^T M^-1 w_k, w_k = (I - v v^T) L_k v (Lemma 11).
struct C2Sums {
  Ival half_q{0.0}, resolvent{0.0}, norms{0.0};
  Ival value(double eta) const { return half_q + resolvent + Ival(-1.0, 1.0) * Ival(eta) * norms; }
};

void add_direction(const model::Model& m, const std::vector<Ival>& theta, const Dense<Ival>& inputs,
                   const model::LabelPlan& plan, std::size_t k, const TopPair& t, const Resolvent& res,
                   const Ival& var_u, const Ival& var_s, C2Sums& u, C2Sums& s) {
  std::vector<Ival> e(theta.size(), Ival(0.0));
  e[k] = Ival(1.0);
  const Dense<num::Jet<Ival>> g = model::score_jets<Ival>(m.arch, theta, e, inputs, plan);
  Dense<Ival> g0(g.rows, g.cols), g1(g.rows, g.cols), g2(g.rows, g.cols);
  for (std::size_t i = 0; i < g.v.size(); ++i) g0.v[i] = g.v[i].c0, g1.v[i] = g.v[i].c1, g2.v[i] = g.v[i].c2;
  const Ival n(static_cast<double>(g.rows));
  const IVec a = times(g0, t.v1), b = times(g1, t.v1), c = times(g2, t.v1);
  const Ival vqv = Ival(2.0) * (dot(b, b) + Ival(2.0) * dot(a, c)) / n;  // Q = 2 (G1'G1 + G0'G2 + G2'G0) / N
  IVec lv = transpose_times(g0, b), tail = transpose_times(g1, a);
  for (std::size_t i = 0; i < lv.size(); ++i) lv[i] = (lv[i] + tail[i]) / n;  // L v = (G0'G1 + G1'G0) v / N
  const Ival along = dot(t.v1, lv);
  IVec w(lv.size());
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = lv[i] - along * t.v1[i];
  IVec xw(w.size(), Ival(0.0));
  for (std::size_t i = 0; i < w.size(); ++i)
    for (std::size_t j = 0; j < w.size(); ++j) xw[i] = xw[i] + Ival(res.x(i, j)) * w[j];
  const Ival wxw = dot(w, xw), ww = dot(w, w);
  for (auto [sums, var] : {std::pair<C2Sums*, Ival>{&u, var_u}, {&s, var_s}}) {
    sums->half_q = sums->half_q + var * vqv / Ival(2.0);
    sums->resolvent = sums->resolvent + var * wxw;
    sums->norms = sums->norms + var * ww;
  }
}

}  // namespace

M3Verdict m3_verdict(bool c2_certified, const Ival& c2, const std::string& c2_note) {
  if (!c2_certified) return {Verdict::Undecided, "c2 not certified: " + c2_note};
  if (c2.hi <= 0)
    return {Verdict::HypothesisFails, std::string("c2 ") + (c2.hi < 0 ? "< 0" : "<= 0") +
                                          " certified: the genericity hypothesis c2 > 0 fails; outside Theorem "
                                          "4.3's scope, not a counterexample"};
  if (c2.lo > 0)
    return {Verdict::Holds, "hypothesis certified: g > 0, c2 > 0; mean not checked: M3 has no exact mean, "
                            "so Theorem 4.3's conclusion is not checked"};
  return {Verdict::Undecided, "the enclosure of c2 contains 0"};
}

namespace {

// The deterministic quantization's effect on lambda_1, from the two enclosures.
OneDraw observe_one_draw(const Ival& before, const Ival& after) {
  if (after.hi < before.lo) return OneDraw::Lowered;
  if (before.hi < after.lo) return OneDraw::Raised;
  return OneDraw::Unresolved;
}

// c2 of both error models (Lemma 11), or r.c2_note saying why not.
void enclose_c2(const model::Model& m, const M3Options& o, const Quantization& q, const std::vector<Ival>& theta,
                const Dense<Ival>& inputs, const model::LabelPlan& plan, const Dense<Ival>& g, M3Result& r) {
  if (o.quantizer.scheme == quant::Scheme::nf4) return void(r.c2_note = "nf4 has no uniform step: c2 not modeled");
  if (r.params > o.max_params)
    return void(r.c2_note = "c2 is certified for up to " + std::to_string(o.max_params) + " parameters");
  const Dense<Ival> f = model::fim_of<Ival>(g);
  const TopPair top = model::enclose_top_pair(f);
  r.gap = top.ok ? top.lambda1 - Ival(top.lambda2_hi) : Ival(0.0);
  if (!top.ok) return void(r.c2_note = top.note);
  const Resolvent res = enclose_resolvent(f, top);
  if (!std::isfinite(res.eta)) return void(r.c2_note = "the reduced resolvent could not be enclosed");
  C2Sums u, s;
  for (std::size_t k = 0; k < theta.size(); ++k)
    if (q.var_uniform[k].hi > 0 || q.var_stochastic[k].hi > 0)
      add_direction(m, theta, inputs, plan, k, top, res, q.var_uniform[k], q.var_stochastic[k], u, s);
  r.c2_uniform = u.value(res.eta);
  r.c2_stochastic = s.value(res.eta);
  r.c2_certified = true;
}

const char* one_draw_name(OneDraw d) {
  return d == OneDraw::Lowered ? "lowered" : d == OneDraw::Raised ? "raised" : "unresolved";
}

const char* kOneDrawNote =
    "one deterministic quantization is one draw: an observation, not a verdict (Theorem 4.3 is about "
    "the expected change; a single draw can lower lambda_1 in M1 and M2 as well)";

}  // namespace

M3Result check_m3(const model::Model& m, const M3Options& o) {
  M3Result r;
  r.spec = m.spec.text();
  r.params = static_cast<int>(m.arch.num_params());
  const model::LabelPlan plan = model::label_plan(m, model::FisherMode::expected);
  const Dense<Ival> inputs = model::reference_inputs(m, o.reference);
  const Quantization q = quantize_weights(m, o.quantizer);
  r.quantized_weights = q.quantized;
  const std::vector<Ival> theta = model::cast<Ival>(std::span<const double>(m.theta));
  const Dense<Ival> g = model::score_matrix<Ival>(m.arch, theta, inputs, plan);
  r.lambda_before = model::enclose_fim_top(g, kBinary64).lambda1;
  r.lambda_after = model::enclose_fim_top(
      model::score_matrix<Ival>(m.arch, model::cast<Ival>(std::span<const double>(q.theta_q)), inputs, plan), kBinary64).lambda1;
  r.one_draw = observe_one_draw(r.lambda_before, r.lambda_after);
  enclose_c2(m, o, q, theta, inputs, plan, g, r);
  r.uniform = m3_verdict(r.c2_certified, r.c2_uniform, r.c2_note);
  r.stochastic = m3_verdict(r.c2_certified, r.c2_stochastic, r.c2_note);
  return r;
}

nlohmann::json m3_json(const M3Result& r, const M3Options& o) {
  using num::to_json;
  nlohmann::json counts = {{"HOLDS", 0}, {"VIOLATED", 0}, {"UNDECIDED", 0}, {"HYPOTHESIS_FAILS", 0}};
  for (const M3Verdict* v : {&r.uniform, &r.stochastic}) counts[to_string(v->verdict)] = counts[to_string(v->verdict)].get<int>() + 1;
  const int certified = counts["HOLDS"].get<int>();
  nlohmann::json j = {{"claim", "genericity"}, {"noise", "M3"}, {"model", r.spec}, {"params", r.params},
                      {"quantizer", {{"bits", o.quantizer.bits}, {"scheme", o.quantizer.scheme == quant::Scheme::sym ? "sym" : o.quantizer.scheme == quant::Scheme::asym ? "asym" : "nf4"},
                                     {"group_size", o.quantizer.group_size}}},
                      {"reference_inputs", o.reference},
                      {"verdicts", {{"uniform_noise", {{"verdict", to_string(r.uniform.verdict)}, {"where", r.uniform.where}}},
                                    {"stochastic_rounding", {{"verdict", to_string(r.stochastic.verdict)}, {"where", r.stochastic.where}}}}},
                      {"counts", counts},
                      {"holds_detail", {{"hypothesis_certified", certified}, {kMeanCheckedExactly, 0},
                                        {kMeanNotChecked, certified}}},  // M3 has no exact mean
                      {"one_draw_observation", {{"lambda_before", to_json(r.lambda_before)},
                                                {"lambda_after", to_json(r.lambda_after)},
                                                {"lambda_1", one_draw_name(r.one_draw)},
                                                {"certified", r.one_draw != OneDraw::Unresolved},
                                                {"note", kOneDrawNote}}},
                      {"c2_certified", r.c2_certified}};
  if (r.c2_certified) {
    j["gap"] = to_json(r.gap);
    j["c2_uniform_noise"] = to_json(r.c2_uniform);
    j["c2_stochastic_rounding"] = to_json(r.c2_stochastic);
  } else {
    j["c2_note"] = r.c2_note;
  }
  return j;
}

std::string m3_text(const M3Result& r) {
  using num::to_text;
  std::ostringstream s;
  s << "model " << r.spec << " (" << r.params << " parameters, " << r.quantized_weights << " quantized)\n";
  if (r.c2_certified)
    s << "  c2, uniform noise of the step     " << to_text(r.c2_uniform) << "\n"
      << "  c2, stochastic rounding           " << to_text(r.c2_stochastic) << "\n";
  s << "  uniform noise of the step: " << to_string(r.uniform.verdict) << " (" << r.uniform.where << ")\n"
    << "  stochastic rounding:       " << to_string(r.stochastic.verdict) << " (" << r.stochastic.where << ")\n"
    << "  observation about one draw (not a verdict): the deterministic quantization ";
  if (r.one_draw == OneDraw::Lowered) s << "certifiably LOWERS lambda_1\n";
  else if (r.one_draw == OneDraw::Raised) s << "certifiably raises lambda_1\n";
  else s << "changes lambda_1 by less than the enclosures resolve\n";
  s << "    lambda_1 before  " << to_text(r.lambda_before) << "\n    lambda_1 after   " << to_text(r.lambda_after) << "\n";
  return s.str();
}

}  // namespace fim::claims
