#include "claims/monotonicity.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "fim/enclose_fim.hpp"
#include "fim/grammar.hpp"
#include "fim/monitor.hpp"
#include "linalg/enclose_spectrum.hpp"
#include "linalg/product_bounds.hpp"
#include "report/enclosure_json.hpp"
#include "report/svg.hpp"

namespace fim::claims {
namespace {

using model::Dense;
using num::Ival;
using IJet = num::Jet<Ival>;

// The enclosures here are limited by the width of the interval scores, which escalation cannot
// shrink; binary64 with its a-priori bounds is the whole ladder.
const linalg::Precision kPrecision{53, 1e-10};

// x_i + t u for every t in the interval t (proofs/monotonicity.md, section 1: direction path).
template <class S>
Dense<S> shifted(const Dense<Ival>& x, const std::vector<double>& u, const Ival& t) {
  Dense<S> r(x.rows, x.cols);
  for (std::size_t i = 0; i < x.rows; ++i)
    for (std::size_t j = 0; j < x.cols; ++j) {
      if constexpr (std::is_same_v<S, IJet>) r(i, j) = IJet::line(x(i, j) + t * Ival(u[j]), Ival(u[j]));
      else r(i, j) = x(i, j) + t * Ival(u[j]);
    }
  return r;
}

// Rows of a and b stacked with weights wa, wb (the mixture path's G(t), section 1).
Dense<Ival> stacked(const Dense<Ival>& a, const Ival& wa, const Dense<Ival>& b, const Ival& wb) {
  Dense<Ival> r(a.rows + b.rows, a.cols);
  for (std::size_t i = 0; i < a.rows; ++i)
    for (std::size_t j = 0; j < a.cols; ++j) r(i, j) = wa * a(i, j);
  for (std::size_t i = 0; i < b.rows; ++i)
    for (std::size_t j = 0; j < b.cols; ++j) r(a.rows + i, j) = wb * b(i, j);
  return r;
}

// A unit-or-shorter approximate top right singular vector of the scores (for Lemma 3).
std::vector<double> top_direction(const Dense<Ival>& g) {
  const Eigen::MatrixXd mid = model::box_of(g).mid;
  const Eigen::MatrixXd k = mid * mid.transpose();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(k);
  Eigen::VectorXd v = mid.transpose() * es.eigenvectors().col(k.rows() - 1);
  v /= v.norm();
  std::vector<double> out(v.data(), v.data() + v.size());
  for (double scale = 1 - 1e-14;; scale *= 1 - 1e-12) {  // certify ||v|| <= 1 in interval arithmetic
    Ival n2(0.0);
    for (double& x : out) n2 = n2 + Ival(x) * Ival(x);
    if (n2.hi <= 1) return out;
    for (double& x : out) x *= scale;
  }
}

// Lemma 3: lo of ||G v||^2 / N bounds lambda_1 from below for every matrix in the box G.
Ival rayleigh_lower(const Dense<Ival>& g, const std::vector<double>& v) {
  Ival sum(0.0);
  for (std::size_t i = 0; i < g.rows; ++i) {
    Ival w(0.0);
    for (std::size_t j = 0; j < g.cols; ++j) w = w + g(i, j) * Ival(v[j]);
    sum = sum + sqr(w);
  }
  return sum / Ival(static_cast<double>(g.rows));
}

// Lemma 4's hypothesis, certified: every symmetric matrix in the interval matrix m is PSD.
bool psd_certified(const Dense<Ival>& m) {
  if (m.rows > 256) return false;  // the binary64 spectrum enclosure of a d x d matrix: kept small
  // m(i, j) and m(j, i) are the same interval (symmetric_product), so the box's centre is symmetric
  const linalg::Spectrum sp = linalg::enclose_spectrum_fp(linalg::ball_of(model::box_of(m)));
  return sp.ok && sp.eig.back().lo >= 0;
}

// (A^T B + B^T A) / n, enclosed.
Dense<Ival> symmetric_product(const Dense<Ival>& a, const Dense<Ival>& b) {
  Dense<Ival> r(a.cols, a.cols);
  const Ival n(static_cast<double>(a.rows));
  for (std::size_t i = 0; i < a.cols; ++i)
    for (std::size_t j = 0; j <= i; ++j) {
      Ival s(0.0);
      for (std::size_t k = 0; k < a.rows; ++k) s = s + a(k, i) * b(k, j) + b(k, i) * a(k, j);
      r(i, j) = r(j, i) = s / n;
    }
  return r;
}

Dense<Ival> jet_part(const Dense<IJet>& g, bool derivative) {
  Dense<Ival> r(g.rows, g.cols);
  for (std::size_t k = 0; k < g.v.size(); ++k) r.v[k] = derivative ? g.v[k].c1 : g.v[k].c0;
  return r;
}

// One path: the scores of the ensemble at any t (point or interval), and F'(t) over an interval.
struct Path {
  const model::Model& m;
  model::LabelPlan plan;
  std::vector<Ival> theta;
  Dense<Ival> x, ood;  // reference inputs; out-of-distribution inputs (mixture)
  Dense<Ival> g_ref, g_ood;
  std::vector<double> u;
  PathKind kind;

  Dense<Ival> scores(const Ival& t) const {
    if (kind == PathKind::mixture)  // G(t)^T G(t) / 2n = (1 - t) F_ref + t F_ood
      return stacked(g_ref, sqrt(Ival(2.0) * (Ival(1.0) - t)), g_ood, sqrt(Ival(2.0) * t));
    return model::score_matrix<Ival>(m.arch, theta, shifted<Ival>(x, u, t), plan);
  }
  // Lemma 4: F'(t) for every t in the interval (mixture: the constant F_ood - F_ref).
  bool nondecreasing_on(const Ival& t) const {
    if (kind == PathKind::mixture) {
      Dense<Ival> d = symmetric_product(g_ood, g_ood);
      const Dense<Ival> r = symmetric_product(g_ref, g_ref);
      for (std::size_t k = 0; k < d.v.size(); ++k) d.v[k] = (d.v[k] - r.v[k]) / Ival(2.0);
      return psd_certified(d);
    }
    if (m.arch.num_params() > 256) return false;
    const std::vector<IJet> th(theta.begin(), theta.end());
    const Dense<IJet> g = model::score_matrix<IJet>(m.arch, th, shifted<IJet>(x, u, t), plan);
    return psd_certified(symmetric_product(jet_part(g, false), jet_part(g, true)));
  }
};

}  // namespace

void decide_grid(PathAudit& p) {
  const auto& l = p.lambda;
  double best = 0;
  for (std::size_t k = 0; k < l.size(); ++k)
    for (std::size_t j = k + 1; j < l.size(); ++j)
      if (l[j].hi < l[k].lo && num::add_down(l[k].lo, -l[j].hi) > best) {  // Lemma 1.1
        best = num::add_down(l[k].lo, -l[j].hi);
        p.witness = std::pair<int, int>(static_cast<int>(k), static_cast<int>(j));
      }
  p.overlapping.clear();
  for (std::size_t k = 0; k + 1 < l.size(); ++k)
    if (!(l[k].hi <= l[k + 1].lo)) p.overlapping.emplace_back(static_cast<int>(k), static_cast<int>(k + 1));
  p.hypothesis = p.witness ? Verdict::Violated : p.overlapping.empty() ? Verdict::Holds : Verdict::Undecided;
}

Audit audit_monotonicity(const model::Model& m, const AuditOptions& o, const std::function<void(int, int)>& progress) {
  Audit a{m.spec.text(), Ival::entire(), {}};
  model::Rng rng(o.seed);
  Path path{m, model::label_plan(m, model::FisherMode::expected), model::cast<Ival>(std::span<const double>(m.theta)),
            model::reference_inputs(m, o.ensemble), {}, {}, {}, {}, o.kind};
  if (o.kind == PathKind::mixture) {  // out-of-distribution inputs: x_i + 3 w_i, w_i random unit
    path.ood = path.x;
    for (std::size_t i = 0; i < path.ood.rows; ++i) {
      const auto w = rng.unit_vector(path.ood.cols);
      for (std::size_t j = 0; j < path.ood.cols; ++j) path.ood(i, j) = path.ood(i, j) + Ival(3.0) * Ival(w[j]);
    }
    path.g_ref = model::score_matrix<Ival>(m.arch, path.theta, path.x, path.plan);
    path.g_ood = model::score_matrix<Ival>(m.arch, path.theta, path.ood, path.plan);
  }
  const int count = o.kind == PathKind::mixture ? 1 : o.paths;
  const double t_max = o.kind == PathKind::mixture ? 1.0 : o.t_max;
  const int total = count * (o.grid + 1) * (o.continuous ? 2 : 1);
  int done = 0;
  for (int p = 0; p < count; ++p) {
    PathAudit pa;
    if (o.kind == PathKind::direction) {
      path.u = o.direction ? *o.direction : rng.unit_vector(path.x.cols);
      pa.description = o.direction ? "x(t) = x + t u, u given" : "x(t) = x + t u, u random unit #" + std::to_string(p + 1);
    } else {
      pa.description = "(1 - t) F_ref + t F_ood, F_ood at x + 3 w (w random unit per input)";
    }
    for (int k = 0; k <= o.grid; ++k) {
      const double t = t_max * k / o.grid;
      pa.t.push_back(t);
      pa.lambda.push_back(model::enclose_fim_top(path.scores(Ival(t)), kPrecision).lambda1);
      if (progress) progress(++done, total);
    }
    if (p == 0) a.lambda_base = pa.lambda.front();
    decide_grid(pa);
    for (int k = 0; k <= o.grid; ++k)  // t_0 = 0 is the reference itself: equal by construction
      pa.conclusion.push_back(k == 0 ? Verdict::Holds : decide_le(a.lambda_base, pa.lambda[k]));
    if (o.continuous)
      for (int k = 0; k < o.grid; ++k) {
        const Ival span(pa.t[k], pa.t[k + 1]);
        const Dense<Ival> g = path.scores(span);
        pa.continuous.push_back({rayleigh_lower(g, top_direction(path.scores(Ival(pa.t[k])))), path.nondecreasing_on(span)});
        if (progress) progress(++done, total);
      }
    a.paths.push_back(std::move(pa));
  }
  return a;
}

nlohmann::json audit_json(const Audit& a, const AuditOptions& o) {
  nlohmann::json paths = nlohmann::json::array();
  for (const PathAudit& p : a.paths) {
    nlohmann::json lam = nlohmann::json::array(), concl = nlohmann::json::array(), cont = nlohmann::json::array();
    for (const Ival& x : p.lambda) lam.push_back(report::to_json(x));
    for (Verdict v : p.conclusion) concl.push_back(to_string(v));
    for (const SubInterval& s : p.continuous)
      cont.push_back({{"lambda_lower", report::to_json(s.rayleigh_lower)}, {"monotone_certified", s.monotone},
                      {"conclusion_certified", s.rayleigh_lower.lo >= a.lambda_base.hi}});
    nlohmann::json w = nullptr;
    if (p.witness)
      w = {{"t_a", p.t[p.witness->first]}, {"t_b", p.t[p.witness->second]},
           {"lambda_a", report::to_json(p.lambda[p.witness->first])},
           {"lambda_b", report::to_json(p.lambda[p.witness->second])}};
    paths.push_back({{"path", p.description}, {"t", p.t}, {"lambda_max", lam},
                     {"hypothesis", to_string(p.hypothesis)}, {"witness", w},
                     {"overlapping_neighbours", p.overlapping.size()}, {"conclusion", concl},
                     {"continuous", o.continuous ? cont : nlohmann::json(nullptr)}});
  }
  return {{"claim", "monotonicity"}, {"model", a.spec}, {"fisher", "expected"},
          {"path", o.kind == PathKind::direction ? "direction" : "mixture"}, {"grid", o.grid},
          {"t_max", o.kind == PathKind::direction ? o.t_max : 1.0}, {"ensemble", o.ensemble}, {"seed", o.seed},
          {"lambda_base", report::to_json(a.lambda_base)}, {"paths", paths}};
}

std::string audit_svg(const Audit& a) {
  std::vector<report::Series> series;
  report::Series witnesses{"certified drop (witness)", {}, {}};
  for (std::size_t p = 0; p < a.paths.size(); ++p) {
    const PathAudit& pa = a.paths[p];
    report::Series s{"path " + std::to_string(p + 1) + " (" + to_string(pa.hypothesis) + ")", pa.t, {}, true};
    for (const Ival& x : pa.lambda) s.y.push_back(num::midpoint(x));
    if (pa.witness)
      for (int k : {pa.witness->first, pa.witness->second}) witnesses.x.push_back(pa.t[k]), witnesses.y.push_back(s.y[k]);
    series.push_back(std::move(s));
  }
  if (!witnesses.x.empty()) series.push_back(witnesses);
  return report::plot_svg(a.spec + ": lambda_max(F(t)) along the paths", {"t", false},
                          {"lambda_max (certified enclosures; widths below the line width)", false}, series,
                          {{num::midpoint(a.lambda_base), "lambda_base"}});
}

std::string audit_markdown(const Audit& a, const AuditOptions& o, const std::string& command) {
  std::ostringstream s;
  s << "# fimcheck audit monotonicity\n\nModel `" << a.spec << "`, FIM with expected labels over "
    << o.ensemble << " reference inputs; lambda_base in " << report::to_text(a.lambda_base) << ".\n\n"
    << "Reproduce: `" << command << "`\n\nHypothesis audited (proofs/monotonicity.md): lambda_max(F(t)) "
    << "nondecreasing along each path; Proposition 3.2's conclusion lambda_max(F(t)) >= lambda_base.\n\n"
    << "![lambda_max along the paths](monotonicity.svg)\n\n| path | hypothesis | witness t_a < t_b | "
       "lambda(t_a) | lambda(t_b) | conclusion fails at |\n|---|---|---|---|---|---|\n";
  for (const PathAudit& p : a.paths) {
    s << "| " << p.description << " | " << to_string(p.hypothesis) << " | ";
    if (p.witness)
      s << p.t[p.witness->first] << " < " << p.t[p.witness->second] << " | " << report::to_text(p.lambda[p.witness->first])
        << " | " << report::to_text(p.lambda[p.witness->second]) << " | ";
    else s << "- | - | - | ";
    int fails = 0;
    for (Verdict v : p.conclusion) fails += v == Verdict::Violated;
    s << fails << " of " << p.conclusion.size() << " grid points |\n";
  }
  s << "\nA witness is certified: hi(lambda(t_b)) < lo(lambda(t_a)) with t_a < t_b (Lemma 1). "
       "\"Monotone\" (HOLDS) is certified on the grid only";
  if (o.continuous) s << "; between grid points, sub-intervals where F'(t) is certified PSD (Lemma 4) are listed in report.json";
  s << ".\n";
  return s.str();
}

}  // namespace fim::claims
