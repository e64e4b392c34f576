#include "report/verify_cert.hpp"

#include <cmath>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <vector>

#include "claims/bound_expr.hpp"
#include "numeric/exact.hpp"
#include "numeric/rational_interval.hpp"
#include "report/exact_inertia.hpp"

namespace fim::report {
using num::Rational;
using RatMatrix = std::vector<std::vector<Rational>>;

namespace {

struct Malformed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

Rational exact_number(const nlohmann::json& j, const std::string& what) {
  if (!j.is_string()) throw Malformed(what + " must be a string");
  try {
    return num::parse_rational(j.get<std::string>());
  } catch (const std::exception&) {
    throw Malformed(what + ": '" + j.get<std::string>() + "' is not an exact number");
  }
}

// A hex-float matrix, exactly (strtod reads C99 hex floats without rounding).
RatMatrix parse_matrix(const nlohmann::json& rows, const std::string& name) {
  if (!rows.is_array() || rows.empty()) throw Malformed("matrix " + name + " missing or empty");
  const std::size_t n = rows.size();
  RatMatrix m(n, std::vector<Rational>(n));
  for (std::size_t i = 0; i < n; ++i) {
    if (!rows[i].is_array() || rows[i].size() != n) throw Malformed("matrix " + name + " not square");
    for (std::size_t j = 0; j < n; ++j) {
      const std::string s = rows[i][j].is_string() ? rows[i][j].get<std::string>() : "";
      char* end = nullptr;
      const double x = std::strtod(s.c_str(), &end);
      if (s.empty() || *end != '\0' || !std::isfinite(x))
        throw Malformed("matrix " + name + " entry (" + std::to_string(i) + ", " +
                        std::to_string(j) + ") is not a finite number");
      m[i][j] = num::to_rational(x);
    }
  }
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (m[i][j] != m[j][i]) throw Malformed("matrix " + name + " is not symmetric");
  return m;
}

class Matrices {
 public:
  explicit Matrices(const nlohmann::json& m) : a_(parse_matrix(m.value("A", nlohmann::json()), "A")),
                                                e_(parse_matrix(m.value("E", nlohmann::json()), "E")) {
    if (a_.size() != e_.size()) throw Malformed("A and E differ in size");
    sum_ = a_;
    for (std::size_t i = 0; i < a_.size(); ++i)
      for (std::size_t j = 0; j < a_.size(); ++j) sum_[i][j] += e_[i][j];
  }
  int dim() const { return static_cast<int>(a_.size()); }
  const oracle::ExactSym& get(const std::string& name) {
    if (name != "A" && name != "E" && name != "A+E") throw Malformed("unknown matrix '" + name + "'");
    auto it = exact_.find(name);
    if (it == exact_.end())
      it = exact_.emplace(name, oracle::ExactSym(name == "A" ? a_ : name == "E" ? e_ : sum_)).first;
    return it->second;
  }
  const RatMatrix& a() const { return a_; }
  const RatMatrix& e() const { return e_; }

 private:
  RatMatrix a_, e_, sum_;
  std::map<std::string, oracle::ExactSym> exact_;
};

// A confirmed one-sided bound on lambda_index(matrix).
struct EigBounds {
  std::map<std::pair<std::string, int>, Rational> lower, upper;
};

// Each bound {"matrix", "index", "lower"|"upper"} is confirmed by an exact inertia count:
// lambda_k >= r iff #{lambda < r} <= n - k; lambda_k <= r iff #{lambda > r} <= k - 1.
EigBounds confirm_bounds(const nlohmann::json& bounds, Matrices& m, std::string& refuted) {
  EigBounds b;
  if (!bounds.is_array()) throw Malformed("bounds must be an array");
  const int n = m.dim();
  for (const auto& x : bounds) {
    const std::string name = x.value("matrix", "");
    const int k = x.value("index", 0);
    if (k < 1 || k > n) throw Malformed("bound index out of range");
    const auto& s = m.get(name);
    const std::string label = "lambda_" + std::to_string(k) + "(" + name + ")";
    if (x.contains("lower")) {
      const Rational r = exact_number(x["lower"], label + " lower");
      if (s.count_below(r) > n - k) refuted = label + " >= " + r.str() + " is false";
      b.lower[{name, k}] = r;
    }
    if (x.contains("upper")) {
      const Rational r = exact_number(x["upper"], label + " upper");
      if (s.count_above(r) > k - 1) refuted = label + " <= " + r.str() + " is false";
      b.upper[{name, k}] = r;
    }
  }
  return b;
}

const Rational& need(const std::map<std::pair<std::string, int>, Rational>& m, const std::string& name,
                     int k, const char* side) {
  const auto it = m.find({name, k});
  if (it == m.end())
    throw Malformed(std::string("no ") + side + " bound for lambda_" + std::to_string(k) + "(" + name + ")");
  return it->second;
}

// sum(lhs) <= sum(rhs) + constant is violated when sum(coef * lower) > sum(coef * upper) + constant.
CertCheck linear(const nlohmann::json& c, Matrices& m, const EigBounds& b) {
  const auto& q = c.at("inequality");
  Rational lhs = 0, rhs = exact_number(q.at("constant"), "constant");
  for (const auto& t : q.at("lhs")) {
    const Rational coef = exact_number(t.at("coef"), "coef");
    if (coef < 0) throw Malformed("negative coefficient");
    lhs += coef * need(b.lower, t.at("matrix"), t.at("index"), "lower");
  }
  for (const auto& t : q.at("rhs")) {
    const Rational coef = exact_number(t.at("coef"), "coef");
    if (coef < 0) throw Malformed("negative coefficient");
    rhs += coef * need(b.upper, t.at("matrix"), t.at("index"), "upper");
  }
  (void)m;
  if (lhs > rhs) return {CertStatus::Confirmed, "left side >= " + lhs.str() + " > right side <= " + rhs.str()};
  return {CertStatus::Refuted, "the bounds do not contradict the inequality"};
}

Rational cube_or_power(const Rational& x, int p) {
  Rational r = 1;
  for (int i = 0; i < p; ++i) r *= x;
  return r;
}

struct Spectrum2 {
  Rational l1, l2;
  const RatMatrix &a, &e;
  int t;
};

// |R3| > EXPR for every ||E|| in [N_lo, N_hi]: EXPR is parsed (the only code shared with the
// producer) and evaluated in exact rational intervals.
CertCheck conjectured_bound(const nlohmann::json& bd, const Rational& abs_lo, const Rational& n_lo,
                            const Rational& n_hi, const Rational& g, const Spectrum2& s) {
  if (!bd.at("expr").is_string()) throw Malformed("bound expr must be a string");
  claims::BoundExpr expr;
  try {
    expr = claims::BoundExpr::parse(bd["expr"].get<std::string>());
  } catch (const claims::BoundExprError& e) {
    throw Malformed(e.what());
  }
  if (bd.value("needs_hypothesis", true) && !(2 * n_hi < g))
    return {CertStatus::Refuted, "the hypothesis ||E|| < g/2 is not certified"};
  Rational lmin = s.a[0][0];
  for (std::size_t i = 0; i < s.a.size(); ++i) lmin = std::min(lmin, s.a[i][i]);
  using num::RatIval;
  const std::map<std::string, RatIval> vars = {
      {"normE", RatIval(n_lo, n_hi)}, {"gap", g}, {"d", static_cast<int>(s.a.size())},
      {"lambda1", s.l1}, {"lambda2", s.l2}, {"lambda_min", lmin}, {"e11", s.e[s.t][s.t]}};
  const RatIval b = expr.eval(vars);
  if (b.whole) return {CertStatus::Refuted, "the bound is unbounded over the certified ||E|| range"};
  if (abs_lo > b.hi) return {CertStatus::Confirmed, "|R3| >= " + abs_lo.str() + " > bound <= " + b.hi.str()};
  return {CertStatus::Refuted, "the bounds do not show |R3| above the conjectured bound"};
}

// |R3| > c N^p / (g^(p-2) (g - 2N)) for every N in [N_lo, N_hi], all exact (proofs/remainder.md).
CertCheck remainder(const nlohmann::json& c, Matrices& m, const EigBounds& b) {
  const int n = m.dim(), t = c.at("top_index").get<int>() - 1;
  if (t < 0 || t >= n) throw Malformed("top_index out of range");
  const RatMatrix &a = m.a(), &e = m.e();
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      if (i != j && a[i][j] != 0) throw Malformed("remainder certificates need a diagonal A");
  Rational l2;
  bool have_l2 = false;
  for (int j = 0; j < n; ++j)
    if (j != t) {
      if (a[j][j] >= a[t][t]) throw Malformed("top_index is not the unique top eigenvalue");
      if (!have_l2 || a[j][j] > l2) l2 = a[j][j];
      have_l2 = true;
    }
  if (!have_l2) throw Malformed("n = 1 has no gap");
  const Rational l1 = a[t][t], g = l1 - l2;
  Rational s = l1 + e[t][t];
  for (int j = 0; j < n; ++j)
    if (j != t) s += e[t][j] * e[t][j] / (l1 - a[j][j]);
  const Rational r_lo = need(b.lower, "A+E", 1, "lower") - s, r_hi = need(b.upper, "A+E", 1, "upper") - s;
  const Rational abs_lo = r_lo > 0 ? r_lo : r_hi < 0 ? Rational(-r_hi) : Rational(0);
  // ||E|| in [N_lo, N_hi]
  const Rational top_hi = need(b.upper, "E", 1, "upper"), bot_lo = need(b.lower, "E", n, "lower");
  const Rational n_hi = top_hi > -bot_lo ? top_hi : Rational(-bot_lo);
  const Rational top_lo = need(b.lower, "E", 1, "lower"), bot_hi = need(b.upper, "E", n, "upper");
  Rational n_lo = top_lo > -bot_hi ? top_lo : Rational(-bot_hi);
  if (n_lo < 0) n_lo = 0;
  const auto& bd = c.at("bound");
  if (bd.contains("expr")) return conjectured_bound(bd, abs_lo, n_lo, n_hi, g, {l1, l2, a, e, t});
  const Rational k = exact_number(bd.at("constant"), "bound constant");
  const int p = bd.at("power").get<int>();
  if (p < 3 || p > 6 || k <= 0) throw Malformed("unsupported bound");
  if (bd.at("needs_hypothesis").get<bool>() && !(2 * n_hi < g))
    return {CertStatus::Refuted, "the hypothesis ||E|| < g/2 is not certified"};
  if (n_lo <= g / 2 && g / 2 <= n_hi) return {CertStatus::Refuted, "the bound is unbounded on [N_lo, N_hi]"};
  // the maximum over [N_lo, N_hi] is at an end or at the critical point N* = p g / (2 (p - 1)),
  // where f'(N) = 0 (N^(p-1) (p g - 2 (p - 1) N) = 0).
  auto f = [&](const Rational& x) { return k * cube_or_power(x, p) / (cube_or_power(g, p - 2) * (g - 2 * x)); };
  Rational worst = f(n_lo) > f(n_hi) ? f(n_lo) : f(n_hi);
  const Rational crit = Rational(p) * g / (2 * (p - 1));
  if (n_lo < crit && crit < n_hi && f(crit) > worst) worst = f(crit);
  if (abs_lo > worst)
    return {CertStatus::Confirmed, "|R3| >= " + abs_lo.str() + " > bound <= " + worst.str()};
  return {CertStatus::Refuted, "the bounds do not show |R3| above the bound"};
}

}  // namespace

CertCheck verify_certificate(const nlohmann::json& cert) {
  try {
    if (!cert.is_object() || cert.value("fimcheck_certificate", 0) != 1)
      throw Malformed("not a fimcheck certificate (version 1)");
    Matrices m(cert.at("matrices"));
    std::string refuted;
    const EigBounds b = confirm_bounds(cert.at("bounds"), m, refuted);
    if (!refuted.empty()) return {CertStatus::Refuted, refuted};
    const std::string kind = cert.value("kind", "");
    if (kind == "linear-eigenvalue-inequality") return linear(cert, m, b);
    if (kind == "remainder") return remainder(cert, m, b);
    throw Malformed("unknown certificate kind '" + kind + "'");
  } catch (const Malformed& e) {
    return {CertStatus::Malformed, e.what()};
  } catch (const nlohmann::json::exception& e) {
    return {CertStatus::Malformed, std::string("certificate JSON: ") + e.what()};
  } catch (const std::invalid_argument& e) {
    return {CertStatus::Malformed, e.what()};
  }
}

}  // namespace fim::report
