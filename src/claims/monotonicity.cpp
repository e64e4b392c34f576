#include "claims/monotonicity.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "fim/enclose_fim.hpp"
#include "fim/grammar.hpp"
#include "fim/monitor.hpp"
#include "fim/top_eigenvector.hpp"
#include "linalg/enclose_spectrum.hpp"
#include "linalg/product_bounds.hpp"
#include "report/enclosure_json.hpp"
#include "report/rounded.hpp"
#include "report/svg.hpp"

namespace fim::claims {
namespace {

using model::Dense;
using num::Ival;
using IJet = num::Jet<Ival>;

// The enclosures here are limited by the width of the interval scores, which escalation cannot
// shrink; binary64 with its a-priori bounds is the whole ladder.
const linalg::Precision kPrecision{53, 1e-10};
// The right derivative boxes v_1 from the dense d x d interval FIM (its spectrum enclosure).
constexpr std::size_t kMaxDenseParams = 512;

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
  // Lemma 5: d lambda_1(F(t)) / dt at 0+ = v_1^T F'(0+) v_1 with v_1 boxed by genericity.md Lemma 9.
  RightDerivative right_derivative() const {
    RightDerivative r;
    const std::size_t d = m.arch.num_params();
    if (d > kMaxDenseParams) {
      r.reason = std::to_string(d) + " parameters: the top eigenvector is boxed from the dense d x d FIM, up to " +
                 std::to_string(kMaxDenseParams);
      return r;
    }
    if (kind == PathKind::mixture) {  // F'(0) = F_ood - F_ref (constant)
      const model::TopPair top = model::enclose_top_pair(model::fim_of<Ival>(g_ref));
      if (!top.ok) return r.reason = top.note, r;
      const model::IVec a = model::times(g_ood, top.v1), b = model::times(g_ref, top.v1);
      r.value = (model::dot(a, a) - model::dot(b, b)) / Ival(static_cast<double>(g_ref.rows));
      return r;
    }
    const std::vector<IJet> th(theta.begin(), theta.end());
    const Dense<IJet> g = model::score_matrix<IJet>(m.arch, th, shifted<IJet>(x, u, Ival(0.0)), plan);
    const Dense<Ival> g0 = jet_part(g, false), g1 = jet_part(g, true);
    const model::TopPair top = model::enclose_top_pair(model::fim_of<Ival>(g0));
    if (!top.ok) return r.reason = top.note, r;
    // v^T F'(0) v = v^T (G0^T G1 + G1^T G0) v / N = 2 (G0 v) . (G1 v) / N
    r.value = Ival(2.0) * model::dot(model::times(g0, top.v1), model::times(g1, top.v1)) / Ival(static_cast<double>(g0.rows));
    return r;
  }
};

}  // namespace

const char* to_string(Fact f) { return f == Fact::yes ? "true" : f == Fact::no ? "false" : "undecided"; }

std::string RightDerivative::sign() const {
  if (!value) return "not certified";
  return value->lo > 0 ? "positive" : value->hi < 0 ? "negative" : "undecided";
}

void decide_grid(PathAudit& p) {
  const auto& l = p.lambda;
  double best = 0;
  p.witness.reset();
  p.first_drop.reset();
  for (std::size_t j = 1; j < l.size(); ++j)
    for (std::size_t k = 0; k < j; ++k)
      if (l[j].hi < l[k].lo) {  // Lemma 1.1: a certified drop from t_k to t_j
        const std::pair<int, int> kj(static_cast<int>(k), static_cast<int>(j));
        if (!p.first_drop) p.first_drop = kj;  // j increases: the first drop found has the smallest t_j
        if (num::add_down(l[k].lo, -l[j].hi) > best) best = num::add_down(l[k].lo, -l[j].hi), p.witness = kj;
      }
  p.overlapping.clear();
  for (std::size_t k = 0; k + 1 < l.size(); ++k)
    if (!(l[k].hi <= l[k + 1].lo)) p.overlapping.emplace_back(static_cast<int>(k), static_cast<int>(k + 1));
  const bool falls_at_0 = p.derivative.value && p.derivative.value->hi < 0;  // Lemma 5: lambda < lambda_base just after 0
  p.hypothesis = p.first_drop || falls_at_0 ? Verdict::HypothesisFails
                 : p.overlapping.empty()    ? Verdict::Holds
                                            : Verdict::Undecided;
}

void decide_conclusion(PathAudit& p, const Ival& base) {
  p.strict.clear();
  p.nonstrict.clear();
  for (std::size_t k = 1; k < p.lambda.size(); ++k) {  // Lemma 2
    const Ival& l = p.lambda[k];
    p.strict.push_back(l.lo > base.hi ? Fact::yes : l.hi <= base.lo ? Fact::no : Fact::undecided);
    p.nonstrict.push_back(l.lo >= base.hi ? Fact::yes : l.hi < base.lo ? Fact::no : Fact::undecided);
  }
}

Fact on_grid(const std::vector<Fact>& per_point) {
  Fact r = Fact::yes;
  for (Fact f : per_point)
    if (f == Fact::no) return Fact::no;
    else if (f == Fact::undecided) r = Fact::undecided;
  return r;
}

Ival in_typical_norms(double t, const Ival& typical_norm) { return Ival(t) / typical_norm; }

namespace {

// RMS of ||x_i|| over the reference inputs: sqrt(sum_i ||x_i||^2 / n), enclosed.
Ival rms_norm(const Dense<Ival>& x) {
  Ival s(0.0);
  for (const Ival& v : x.v) s = s + sqr(v);
  return sqrt(s / Ival(static_cast<double>(x.rows)));
}

}  // namespace

Audit audit_monotonicity(const model::Model& m, const AuditOptions& o, const std::function<void(int, int)>& progress) {
  Audit a{m.spec.text(), Ival::entire(), Ival::entire(), {}};
  model::Rng rng(o.seed);
  Path path{m, model::label_plan(m, model::FisherMode::expected), model::cast<Ival>(std::span<const double>(m.theta)),
            model::reference_inputs(m, o.ensemble), {}, {}, {}, {}, o.kind};
  a.typical_norm = rms_norm(path.x);
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
    pa.derivative = path.right_derivative();
    decide_grid(pa);
    decide_conclusion(pa, a.lambda_base);
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

namespace {

nlohmann::json facts_json(const std::vector<Fact>& fs) {
  nlohmann::json j = nlohmann::json::array();
  for (Fact f : fs) j.push_back(to_string(f));
  return j;
}

nlohmann::json drop_json(const PathAudit& p, const std::optional<std::pair<int, int>>& d, const Audit& a, bool direction) {
  if (!d) return nullptr;
  nlohmann::json j = {{"t_a", p.t[d->first]}, {"t_b", p.t[d->second]}, {"lambda_a", report::to_json(p.lambda[d->first])},
                      {"lambda_b", report::to_json(p.lambda[d->second])}};
  if (direction) j["t_b_in_typical_norms"] = report::to_json(in_typical_norms(p.t[d->second], a.typical_norm));
  return j;
}

// Counts of true / false / undecided over the grid points t > 0, for people.
std::string tally(const std::vector<Fact>& fs) {
  int n[3] = {0, 0, 0};
  for (Fact f : fs) ++n[static_cast<int>(f)];
  return "true at " + std::to_string(n[0]) + ", false at " + std::to_string(n[1]) + ", undecided at " +
         std::to_string(n[2]) + " of " + std::to_string(fs.size()) + " grid points t > 0";
}

// Both forms of the conclusion for all small t > 0, from the sign of the right derivative (Lemma 5).
Fact just_after_0(const RightDerivative& d) {
  const std::string sign = d.sign();
  return sign == "positive" ? Fact::yes : sign == "negative" ? Fact::no : Fact::undecided;
}

std::string derivative_text(const RightDerivative& d) {
  if (!d.value) return "not certified (" + d.reason + ")";
  return d.sign() + ", in " + report::to_text(*d.value);
}

// "t = 2.5 (0.81 typical input norms)" on direction paths, "t = 0.2 (mixture weight)" otherwise.
std::string t_text(double t, const Audit& a, bool direction) {
  std::ostringstream s;
  s << "t = " << t;
  if (direction) s << " (" << report::rounded(in_typical_norms(t, a.typical_norm)) << " typical input norms)";
  else s << " (mixture weight)";
  return s.str();
}

}  // namespace

nlohmann::json audit_json(const Audit& a, const AuditOptions& o) {
  const bool direction = o.kind == PathKind::direction;
  nlohmann::json paths = nlohmann::json::array();
  for (const PathAudit& p : a.paths) {
    nlohmann::json lam = nlohmann::json::array(), cont = nlohmann::json::array();
    for (const Ival& x : p.lambda) lam.push_back(report::to_json(x));
    for (const SubInterval& s : p.continuous)
      cont.push_back({{"lambda_lower", report::to_json(s.rayleigh_lower)}, {"monotone_certified", s.monotone},
                      {"strict_conclusion_certified", s.rayleigh_lower.lo > a.lambda_base.hi},
                      {"nonstrict_conclusion_certified", s.rayleigh_lower.lo >= a.lambda_base.hi}});
    nlohmann::json der = {{"sign", p.derivative.sign()}, {"value", report::to_json(p.derivative.value)}};
    if (!p.derivative.value) der["reason"] = p.derivative.reason;
    paths.push_back({{"path", p.description}, {"t", p.t}, {"lambda_max", lam},
                     {"hypothesis", to_string(p.hypothesis)}, {"right_derivative_at_0", der},
                     {"first_certified_drop", drop_json(p, p.first_drop, a, direction)},
                     {"largest_certified_drop", drop_json(p, p.witness, a, direction)},
                     {"overlapping_neighbours", p.overlapping.size()},
                     {"conclusion_strict", facts_json(p.strict)}, {"conclusion_nonstrict", facts_json(p.nonstrict)},
                     {"strict_on_grid", to_string(on_grid(p.strict))}, {"nonstrict_on_grid", to_string(on_grid(p.nonstrict))},
                     {"conclusion_for_small_t", to_string(just_after_0(p.derivative))},
                     {"continuous", o.continuous ? cont : nlohmann::json(nullptr)}});
  }
  return {{"claim", "monotonicity"}, {"model", a.spec}, {"fisher", "expected"},
          {"hypothesis", "lambda_max(F(t)) nondecreasing in t on [0, t_max] (local curvature monotonicity)"},
          {"conclusion", "lambda_max(F(t)) > lambda_base for t > 0 (Proposition 3.2); conclusion_strict and "
                         "conclusion_nonstrict list grid points t_1..t_K"},
          {"path", direction ? "direction" : "mixture"}, {"grid", o.grid},
          {"t_max", direction ? o.t_max : 1.0}, {"ensemble", o.ensemble}, {"seed", o.seed},
          {"typical_input_norm", {{"definition", "sqrt(mean_i ||x_i||^2) over the reference inputs"},
                                  {"value", report::to_json(a.typical_norm)}}},
          {"lambda_base", report::to_json(a.lambda_base)}, {"paths", paths}};
}

std::string audit_text(const Audit& a, const AuditOptions& o) {
  const bool direction = o.kind == PathKind::direction;
  std::ostringstream s;
  for (const PathAudit& p : a.paths) {
    s << "  " << p.description << ": " << to_string(p.hypothesis);
    if (p.hypothesis == Verdict::HypothesisFails) s << " (the monotonicity hypothesis fails on this path)";
    else if (p.hypothesis == Verdict::Holds) s << " (monotone on the grid)";
    else s << " (" << p.overlapping.size() << " neighbouring grid points not ordered by their enclosures)";
    s << "\n    d lambda_max / dt at t = 0+: " << derivative_text(p.derivative) << "\n";
    if (p.first_drop)
      s << "    first certified drop at " << t_text(p.t[p.first_drop->second], a, direction) << ": lambda(" << p.t[p.first_drop->first]
        << ") in " << report::to_text(p.lambda[p.first_drop->first]) << " > lambda(" << p.t[p.first_drop->second] << ") in "
        << report::to_text(p.lambda[p.first_drop->second]) << "\n";
    if (p.witness && p.witness != p.first_drop)
      s << "    largest certified drop: t = " << p.t[p.witness->first] << " < " << p.t[p.witness->second] << ": lambda "
        << report::to_text(p.lambda[p.witness->first]) << " > " << report::to_text(p.lambda[p.witness->second]) << "\n";
    s << "    conclusion lambda(t) > lambda_base (strict, as in Proposition 3.2): " << tally(p.strict) << "\n"
      << "    non-strict lambda(t) >= lambda_base: " << tally(p.nonstrict) << "\n";
    if (just_after_0(p.derivative) != Fact::undecided)
      s << "    both forms are " << to_string(just_after_0(p.derivative)) << " for all sufficiently small t > 0 (the sign of the "
        << "right derivative, Lemma 5)\n";
  }
  return s.str();
}

std::string audit_svg(const Audit& a) {
  std::vector<report::Series> series;
  report::Series witnesses{"certified drop (largest)", {}, {}};
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
                          {"lambda_max(F(t)), certified (widths < line width)", false}, series,
                          {{num::midpoint(a.lambda_base), "lambda_base"}});
}

std::string audit_markdown(const Audit& a, const AuditOptions& o, const std::string& command) {
  const bool direction = o.kind == PathKind::direction;
  std::ostringstream s;
  s << "# fimcheck audit monotonicity\n\nModel `" << a.spec << "`, FIM with expected labels over "
    << o.ensemble << " reference inputs; lambda_base in " << report::to_text(a.lambda_base)
    << "; typical input norm (RMS of ||x_i||) " << report::rounded(a.typical_norm) << ".\n\n"
    << "Reproduce: `" << command << "`\n\nHypothesis audited (proofs/monotonicity.md): lambda_max(F(t)) "
    << "nondecreasing along each path. HYPOTHESIS_FAILS is a finding about this hypothesis on this model, "
       "not a counterexample to Proposition 3.2, which assumes it. The proposition's conclusion, "
       "lambda_max(F(t)) > lambda_base for t > 0, is reported in its strict form and in the non-strict form "
       "lambda_max(F(t)) >= lambda_base, at the grid points t > 0.\n\n"
    << "![lambda_max along the paths](monotonicity.svg)\n\n| path | hypothesis | d lambda_max / dt at 0+ | "
       "first certified drop | strict conclusion on the grid | non-strict | both, for small t > 0 |\n"
       "|---|---|---|---|---|---|---|\n";
  for (const PathAudit& p : a.paths) {
    s << "| " << p.description << " | " << to_string(p.hypothesis) << " | " << derivative_text(p.derivative) << " | ";
    if (p.first_drop) s << t_text(p.t[p.first_drop->second], a, direction) << " | ";
    else s << "- | ";
    s << to_string(on_grid(p.strict)) << " (" << tally(p.strict) << ") | " << to_string(on_grid(p.nonstrict)) << " | "
      << to_string(just_after_0(p.derivative)) << " |\n";
  }
  s << "\nA certified drop is hi(lambda(t_b)) < lo(lambda(t_a)) with t_a < t_b (Lemma 1); the right derivative "
       "at 0 is v_1^T F'(0) v_1, enclosed when the top eigenvalue of F(0) is certified simple (Lemma 5). "
       "\"Monotone\" (HOLDS) is certified on the grid only";
  if (o.continuous) s << "; between grid points, sub-intervals where F'(t) is certified PSD (Lemma 4) are listed in report.json";
  s << ".\n";
  return s.str();
}

}  // namespace fim::claims
