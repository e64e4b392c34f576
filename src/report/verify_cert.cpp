#include "report/verify_cert.hpp"

#include <cmath>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <vector>

#include <mpfr.h>

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

// For messages only (decisions use the rationals): the exact text when short, else 17 significant
// digits rounded toward -inf (down) or +inf (up), so the printed inequality stays true.
std::string display(const Rational& x, mpfr_rnd_t rounding) {
  const std::string exact = x.str();
  if (exact.size() <= 40) return exact;
  mpfr_t v;
  mpfr_init2(v, 80);
  mpfr_set_q(v, x.backend().data(), rounding);
  char buf[64];
  mpfr_snprintf(buf, sizeof buf, rounding == MPFR_RNDD ? "%.16RDe" : "%.16RUe", v);
  mpfr_clear(v);
  return buf;
}
std::string down(const Rational& x) { return display(x, MPFR_RNDD); }
std::string up(const Rational& x) { return display(x, MPFR_RNDU); }

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
    RatMatrix sum = a_, diff = a_;
    for (std::size_t i = 0; i < a_.size(); ++i)
      for (std::size_t j = 0; j < a_.size(); ++j) sum[i][j] += e_[i][j], diff[i][j] -= e_[i][j];
    add("A", a_);
    add("E", e_);
    add("A+E", sum);
    add("A-E", diff);
  }
  /// Names the matrix scale * (the matrix the bounds speak of); scale > 0 keeps it dyadic.
  void add(const std::string& name, RatMatrix m, const Rational& scale = 1) {
    raw_[name] = {std::move(m), scale};
  }
  int dim() const { return static_cast<int>(a_.size()); }
  const oracle::ExactSym& get(const std::string& name) {
    auto it = exact_.find(name);
    if (it == exact_.end()) {
      const auto raw = raw_.find(name);
      if (raw == raw_.end()) throw Malformed("unknown matrix '" + name + "'");
      it = exact_.emplace(name, oracle::ExactSym(raw->second.first)).first;
    }
    return it->second;
  }
  const Rational& scale(const std::string& name) const { return raw_.at(name).second; }
  const RatMatrix& a() const { return a_; }
  const RatMatrix& e() const { return e_; }

 private:
  RatMatrix a_, e_;
  std::map<std::string, std::pair<RatMatrix, Rational>> raw_;
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
    const Rational scale = m.scale(name);
    if (x.contains("lower")) {
      const Rational r = exact_number(x["lower"], label + " lower");
      if (s.count_below(r * scale) > n - k) refuted = label + " >= " + down(r) + " is false";
      b.lower[{name, k}] = r;
    }
    if (x.contains("upper")) {
      const Rational r = exact_number(x["upper"], label + " upper");
      if (s.count_above(r * scale) > k - 1) refuted = label + " <= " + up(r) + " is false";
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

// ||E|| in [N_lo, N_hi] from confirmed bounds on lambda_1(E) and lambda_n(E) (LA Lemma 8).
std::pair<Rational, Rational> norm_range(const EigBounds& b, int n) {
  const Rational top_hi = need(b.upper, "E", 1, "upper"), bot_lo = need(b.lower, "E", n, "lower");
  const Rational top_lo = need(b.lower, "E", 1, "lower"), bot_hi = need(b.upper, "E", n, "upper");
  const Rational n_hi = top_hi > -bot_lo ? top_hi : Rational(-bot_lo);
  Rational n_lo = top_lo > -bot_hi ? top_lo : Rational(-bot_hi);
  if (n_lo < 0) n_lo = 0;
  return {n_lo, n_hi};
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
  if (lhs > rhs) return {CertStatus::Confirmed, "left side >= " + down(lhs) + " > right side <= " + up(rhs)};
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
  if (abs_lo > b.hi) return {CertStatus::Confirmed, "|R3| >= " + down(abs_lo) + " > bound <= " + up(b.hi)};
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
  const auto [n_lo, n_hi] = norm_range(b, n);
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
    return {CertStatus::Confirmed, "|R3| >= " + down(abs_lo) + " > bound <= " + up(worst)};
  return {CertStatus::Refuted, "the bounds do not show |R3| above the bound"};
}


// ---- C4 genericity, the exact-expectation mode (proofs/genericity.md, sections 4.5 and 6) ----

struct MeanCheck {
  Rational delta_lo, delta_hi;  // E[lambda_1(perturbed)] - lambda_1, enclosed by confirmed bounds
  Rational predicted;           // coef * c2 of the reading
  Rational bound;               // Proposition 7's B (reading "proposition-7")
  bool prop7;
};

CertCheck decide_mean(const MeanCheck& q) {
  if (!q.prop7) {
    if (q.delta_hi < q.predicted)
      return {CertStatus::Confirmed, "E[lambda_1] - lambda_1 <= " + up(q.delta_hi) + " < " + down(q.predicted)};
    return {CertStatus::Refuted, "the bounds do not put the mean below the prediction"};
  }
  const Rational miss = q.delta_lo - q.predicted > q.predicted - q.delta_hi ? Rational(q.delta_lo - q.predicted)
                                                                           : Rational(q.predicted - q.delta_hi);
  if (miss > q.bound)
    return {CertStatus::Confirmed, "|E[lambda_1] - lambda_1 - prediction| >= " + down(miss) + " > B <= " + up(q.bound)};
  return {CertStatus::Refuted, "the bounds do not put the mean outside prediction +- B"};
}

Rational reading_number(const nlohmann::json& reading, const char* key, const char* fallback) {
  return exact_number(reading.contains(key) ? reading[key] : nlohmann::json(fallback), key);
}

void require_diagonal(const RatMatrix& a) {
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < a.size(); ++j)
      if (i != j && a[i][j] != 0) throw Malformed("genericity certificates need a diagonal A");
}

// M1: E = xi B, P(xi = +-1) = 1/2, B = matrix E; c2 = sum_j B_tj^2 / (lambda_1 - a_jj) (Lemma 5).
CertCheck genericity_m1(const nlohmann::json& c, Matrices& m, const EigBounds& b) {
  const RatMatrix &a = m.a(), &e = m.e();
  require_diagonal(a);
  const int n = m.dim(), t = c.at("top_index").get<int>() - 1;
  if (t < 0 || t >= n) throw Malformed("top_index out of range");
  const auto& reading = c.at("reading");
  const bool distinct = reading.value("gap", "all") == "distinct";
  const Rational l1 = a[t][t];
  Rational c2 = 0, l2;
  bool have_l2 = false;
  for (int j = 0; j < n; ++j) {
    if (j == t) continue;
    if (a[j][j] > l1 || (!distinct && a[j][j] == l1)) throw Malformed("top_index is not the unique top eigenvalue");
    if (a[j][j] == l1) continue;
    c2 += e[t][j] * e[t][j] / (l1 - a[j][j]);
    if (!have_l2 || a[j][j] > l2) l2 = a[j][j];
    have_l2 = true;
  }
  if (!have_l2) throw Malformed("no eigenvalue below lambda_1");
  const Rational g = l1 - l2;
  MeanCheck q{(need(b.lower, "A+E", 1, "lower") + need(b.lower, "A-E", 1, "lower")) / 2 - l1,
              (need(b.upper, "A+E", 1, "upper") + need(b.upper, "A-E", 1, "upper")) / 2 - l1,
              reading_number(reading, "coef", "1") * c2, 0, reading.value("remainder", "") == "proposition-7"};
  if (q.prop7) {
    const Rational ell = norm_range(b, n).second;
    if (!(2 * ell < g)) return {CertStatus::Refuted, "the hypothesis ||B|| < g/2 is not certified"};
    q.bound = 2 * ell * ell * ell / (g * (g - 2 * ell));  // Proposition 7, q = 0; increasing in ||B||
  }
  return decide_mean(q);
}

struct ScoreDraws {
  std::vector<Rational> gamma;
  std::vector<int> columns;  // nonzero columns of C
  int draws = 0;
};

// M2: scores g_i = gamma_i e_i (gamma = diag A), eps_i = C xi_i; draw K has xi_ik = -1 where bit
// (i m + k) of K is set. Names "draw K" = n F(eps_K) (dyadic), its bounds scaled by n.
ScoreDraws add_score_draws(Matrices& m) {
  const RatMatrix &a = m.a(), &c = m.e();
  require_diagonal(a);
  const int n = m.dim();
  ScoreDraws s;
  for (int i = 0; i < n; ++i) s.gamma.push_back(a[i][i]);
  for (int k = 0; k < n; ++k)
    for (int r = 0; r < n; ++r)
      if (c[r][k] != 0) {
        s.columns.push_back(k);
        break;
      }
  const int m_cols = static_cast<int>(s.columns.size());
  if (n * m_cols > 10) throw Malformed("more than 2^10 draws");  // the producer stops at 2^6
  s.draws = 1 << (n * m_cols);
  for (int d = 0; d < s.draws; ++d) {
    RatMatrix f(n, std::vector<Rational>(n, Rational(0)));
    for (int i = 0; i < n; ++i) {
      std::vector<Rational> u(n, Rational(0));
      u[i] = s.gamma[i];
      for (int k = 0; k < m_cols; ++k) {
        const bool minus = (d >> (i * m_cols + k)) & 1;
        for (int r = 0; r < n; ++r) u[r] += minus ? Rational(-c[r][s.columns[k]]) : c[r][s.columns[k]];
      }
      for (int r = 0; r < n; ++r)
        for (int col = 0; col < n; ++col) f[r][col] += u[r] * u[col];
    }
    m.add("draw " + std::to_string(d), std::move(f), n);
  }
  return s;
}

// c2 with first-term weight w (Lemma 6): w Sigma_tt + (1/n) sum_j (l_j Sigma_tt + l_t Sigma_jj)/(l_t - l_j).
CertCheck genericity_m2(const nlohmann::json& c, Matrices& m, const EigBounds& b, const ScoreDraws& s) {
  const RatMatrix& cm = m.e();
  const int n = m.dim(), t = c.at("top_index").get<int>() - 1;
  if (t < 0 || t >= n) throw Malformed("top_index out of range");
  std::vector<Rational> lambda, sigma(n, Rational(0));
  for (int j = 0; j < n; ++j) {
    lambda.push_back(s.gamma[j] * s.gamma[j] / n);
    for (int k = 0; k < n; ++k) sigma[j] += cm[j][k] * cm[j][k];
  }
  Rational rest = 0, l2 = -1;
  for (int j = 0; j < n; ++j) {
    if (j == t) continue;
    if (lambda[j] >= lambda[t]) throw Malformed("top_index is not the unique top eigenvalue");
    rest += (lambda[j] * sigma[t] + lambda[t] * sigma[j]) / (lambda[t] - lambda[j]);
    if (lambda[j] > l2) l2 = lambda[j];
  }
  const auto& reading = c.at("reading");
  const Rational c2 = reading_number(reading, "first_term", "1") * sigma[t] + rest / n;
  Rational lo = 0, hi = 0;
  for (int d = 0; d < s.draws; ++d) {
    lo += need(b.lower, "draw " + std::to_string(d), 1, "lower");
    hi += need(b.upper, "draw " + std::to_string(d), 1, "upper");
  }
  MeanCheck q{lo / s.draws - lambda[t], hi / s.draws - lambda[t], reading_number(reading, "coef", "1") * c2, 0,
              reading.value("remainder", "") == "proposition-7"};
  if (q.prop7) {  // l, q of Proposition 7 for Rademacher xi (proofs/genericity.md, Lemma 8)
    const Rational g = lambda[t] - l2;
    Rational c1 = 0, gsum = 0;
    for (const auto& row : cm)
      for (const Rational& x : row) c1 += abs(x);
    for (const Rational& x : s.gamma) gsum += abs(x);
    const Rational ell = 2 * gsum * c1 / n, qq = 2 * c1 * c1, rho = ell + qq / 2;
    if (!(2 * rho < g)) return {CertStatus::Refuted, "the hypothesis 2 rho < g is not certified"};
    q.bound = (ell * qq + qq * qq / 4) / g + 2 * rho * rho * rho / (g * (g - 2 * rho));
  }
  return decide_mean(q);
}

// ---- C6 approx (proofs/approx.md, section 8): G is read exactly, S = G^T G = n F is formed in
// rationals, the approximation's value is recomputed from G by its formula (or, for the Lanczos
// Ritz value, its recorded bounds are confirmed by exact inertia of the Krylov pencil; for user
// code they are taken as recorded), and bounds on lambda_1(F) are confirmed by inertia counts of S.

RatMatrix approx_parse_scores(const nlohmann::json& rows) {
  if (!rows.is_array() || rows.empty() || !rows[0].is_array() || rows[0].empty())
    throw Malformed("matrix G missing or empty");
  const std::size_t n = rows.size(), d = rows[0].size();
  RatMatrix g(n, std::vector<Rational>(d));
  for (std::size_t i = 0; i < n; ++i) {
    if (!rows[i].is_array() || rows[i].size() != d) throw Malformed("matrix G has ragged rows");
    for (std::size_t j = 0; j < d; ++j) {
      const std::string s = rows[i][j].is_string() ? rows[i][j].get<std::string>() : "";
      char* end = nullptr;
      const double x = std::strtod(s.c_str(), &end);
      if (s.empty() || *end != '\0' || !std::isfinite(x)) throw Malformed("matrix G entry is not a finite number");
      g[i][j] = num::to_rational(x);
    }
  }
  return g;
}

std::vector<Rational> approx_times(const RatMatrix& m, const std::vector<Rational>& x) {
  std::vector<Rational> y(m.size(), Rational(0));
  for (std::size_t i = 0; i < m.size(); ++i)
    for (std::size_t j = 0; j < x.size(); ++j) y[i] += m[i][j] * x[j];
  return y;
}
Rational approx_dot(const std::vector<Rational>& x, const std::vector<Rational>& y) {
  Rational t = 0;
  for (std::size_t i = 0; i < x.size(); ++i) t += x[i] * y[i];
  return t;
}

// The approximation's value: exactly r, exactly sqrt(r), or within [lo, hi].
struct ApproxValue {
  enum { Rat, Sqrt, Range } form = Rat;
  Rational r, lo, hi;
  bool gt(const Rational& x) const {  // value > x, certainly
    if (form == Rat) return r > x;
    if (form == Sqrt) return x < 0 || r > x * x;
    return lo > x;
  }
  bool lt(const Rational& x) const {  // value < x, certainly
    if (form == Rat) return r < x;
    if (form == Sqrt) return x > 0 && r < x * x;
    return hi < x;
  }
};

// x C - B is PSD for the Krylov pencil (C_ij = v_i.v_j, B_ij = v_i.v_(j+1), v_m = S^m 1), scaled by
// the denominator of x so that the matrix stays dyadic.
bool approx_pencil_psd(const RatMatrix& c, const RatMatrix& b, const Rational& x) {
  RatMatrix m = c;
  for (std::size_t i = 0; i < c.size(); ++i)
    for (std::size_t j = 0; j < c.size(); ++j) m[i][j] = numerator(x) * c[i][j] - denominator(x) * b[i][j];
  return oracle::ExactSym(m).count_below(0) == 0;
}

ApproxValue approx_value(const nlohmann::json& c, const RatMatrix& g, const RatMatrix& s, std::string& note) {
  const Rational n = static_cast<long>(g.size());
  const nlohmann::json& f = c.at("approximation").at("formula");
  ApproxValue v;
  const std::string id = f.is_object() ? f.value("id", "") : "";
  Rational tr = 0, fro = 0, rmax = 0, gmax = 0;
  for (std::size_t j = 0; j < s.size(); ++j) {
    tr += s[j][j];
    Rational row = 0;
    for (const Rational& x : s[j]) fro += x * x, row += abs(x);
    if (row > gmax) gmax = row;
  }
  for (const auto& row : g) rmax = std::max(rmax, approx_dot(row, row));
  if (id == "score-max") v.r = rmax / n;
  else if (id == "score-max-unscaled") v.r = rmax;
  else if (id == "score-sum") v.r = tr / n;
  else if (id == "frobenius-ratio") v.r = tr == 0 ? Rational(0) : Rational(fro / (n * tr));
  else if (id == "frobenius-norm") v.form = ApproxValue::Sqrt, v.r = fro / (n * n);
  else if (id == "gershgorin") v.r = gmax / n;
  else if (id == "power" || id == "lanczos") {
    const int k = f.value("k", 0);
    if (k < 1 || k > 64) throw Malformed("iteration count k out of range");
    std::vector<std::vector<Rational>> vs{std::vector<Rational>(s.size(), Rational(1))};
    for (int m = 0; m < k; ++m) vs.push_back(approx_times(s, vs.back()));
    if (id == "power") {
      const Rational xx = approx_dot(vs[k], vs[k]);
      v.r = xx == 0 ? Rational(0) : Rational(approx_dot(vs[k], approx_times(s, vs[k])) / (n * xx));
      return v;
    }
    RatMatrix cm(k, std::vector<Rational>(k)), bm = cm;
    for (int i = 0; i < k; ++i)
      for (int j = 0; j < k; ++j) cm[i][j] = approx_dot(vs[i], vs[j]), bm[i][j] = approx_dot(vs[i], vs[j + 1]);
    const auto& vb = c.at("value_bounds");
    v.form = ApproxValue::Range;
    v.lo = exact_number(vb.at("lower"), "value lower bound");
    v.hi = exact_number(vb.at("upper"), "value upper bound");
    if (!approx_pencil_psd(cm, bm, n * v.hi)) throw Malformed("Ritz value upper bound not confirmed");
    if (v.lo > 0 && approx_pencil_psd(cm, bm, n * v.lo)) throw Malformed("Ritz value lower bound not confirmed");
  } else if (f.is_string() && f.get<std::string>().empty()) {
    const auto& vb = c.at("value_bounds");
    v.form = ApproxValue::Range;
    v.lo = exact_number(vb.at("lower"), "value lower bound");
    v.hi = exact_number(vb.at("upper"), "value upper bound");
    note = " (user approximation: its value bounds are taken from the certificate)";
  } else {
    throw Malformed("unknown approximation formula");
  }
  return v;
}

CertCheck approximation(const nlohmann::json& c) {
  const RatMatrix g = approx_parse_scores(c.at("matrices").at("G"));
  const std::size_t d = g[0].size();
  RatMatrix s(d, std::vector<Rational>(d, Rational(0)));
  for (const auto& row : g)
    for (std::size_t j = 0; j < d; ++j)
      for (std::size_t k = 0; k < d; ++k) s[j][k] += row[j] * row[k];
  const Rational n = static_cast<long>(g.size());
  const oracle::ExactSym sx(s);
  std::optional<Rational> lo, hi;
  for (const auto& b : c.at("bounds")) {
    if (b.value("matrix", "") != "F" || b.value("index", 0) != 1) throw Malformed("bounds must be on lambda_1(F)");
    if (b.contains("upper")) {
      hi = exact_number(b["upper"], "lambda_1(F) upper");
      if (sx.count_above(n * *hi) != 0) return {CertStatus::Refuted, "lambda_1(F) <= " + hi->str() + " is false"};
    }
    if (b.contains("lower")) {
      lo = exact_number(b["lower"], "lambda_1(F) lower");
      if (sx.count_below(n * *lo) > static_cast<int>(d) - 1)
        return {CertStatus::Refuted, "lambda_1(F) >= " + lo->str() + " is false"};
    }
  }
  std::string note;
  const ApproxValue v = approx_value(c, g, s, note);
  const std::string claimed = c.value("claimed", "");
  bool contradicted = false;
  if (claimed == "lower") {  // value <= lambda_1 claimed; value > hi >= lambda_1
    if (!hi) throw Malformed("no upper bound on lambda_1(F)");
    contradicted = v.gt(*hi);
  } else if (claimed == "upper") {  // lambda_1 <= value claimed; lambda_1 >= lo > value
    if (!lo) throw Malformed("no lower bound on lambda_1(F)");
    contradicted = v.lt(*lo);
  } else if (claimed == "relative-error") {  // |value - lambda_1| <= eps lambda_1 claimed
    if (!lo || !hi) throw Malformed("relative-error certificates need both bounds on lambda_1(F)");
    const Rational eps = exact_number(c.at("eps"), "eps");
    if (eps < 0) throw Malformed("negative eps");
    const Rational a = (1 - eps) * *lo, b = (1 - eps) * *hi;
    contradicted = v.gt((1 + eps) * *hi) || v.lt(a < b ? a : b);
  } else {
    throw Malformed("claimed must be lower, upper or relative-error");
  }
  if (contradicted)
    return {CertStatus::Confirmed, "the " + claimed + " reading of " +
                                       c.at("approximation").value("name", std::string("?")) +
                                       " is contradicted by confirmed bounds on lambda_1(F)" + note};
  return {CertStatus::Refuted, "the bounds do not contradict the reading"};
}

}  // namespace

CertCheck verify_certificate(const nlohmann::json& cert) {
  try {
    if (!cert.is_object() || cert.value("fimcheck_certificate", 0) != 1)
      throw Malformed("not a fimcheck certificate (version 1)");
    if (cert.value("kind", "") == "approximation") return approximation(cert);
    Matrices m(cert.at("matrices"));
    const std::string kind = cert.value("kind", "");
    const bool score_noise = kind == "genericity-mean" && cert.value("model", "") == "M2";
    const ScoreDraws draws = score_noise ? add_score_draws(m) : ScoreDraws{};
    std::string refuted;
    const EigBounds b = confirm_bounds(cert.at("bounds"), m, refuted);
    if (!refuted.empty()) return {CertStatus::Refuted, refuted};
    if (kind == "linear-eigenvalue-inequality") return linear(cert, m, b);
    if (kind == "remainder") return remainder(cert, m, b);
    if (kind == "genericity-mean") return score_noise ? genericity_m2(cert, m, b, draws) : genericity_m1(cert, m, b);
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
