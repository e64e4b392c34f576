// C6 approx: the built-in approximations (approx_builtins.hpp).
#include "claims/approx_builtins.hpp"

#include <mpfr.h>

#include <algorithm>
#include <cmath>

#include "exact/inertia.hpp"
#include "numeric/exact.hpp"

namespace fim::claims {
using num::Ival;
using num::MpIval;
using num::MpReal;
using num::Rational;

namespace {

using num::ival_of;
using num::mp_of;

}  // namespace

Rational trace(const RatMatrix& m) {
  Rational t = 0;
  for (std::size_t i = 0; i < m.size(); ++i) t += m[i][i];
  return t;
}
namespace {

Rational frobenius2(const RatMatrix& m) {
  Rational t = 0;
  for (const auto& row : m)
    for (const Rational& x : row) t += x * x;
  return t;
}
std::vector<Rational> times(const RatMatrix& m, const std::vector<Rational>& x) {
  std::vector<Rational> y(m.size(), Rational(0));
  for (std::size_t i = 0; i < m.size(); ++i)
    for (std::size_t j = 0; j < x.size(); ++j) y[i] += m[i][j] * x[j];
  return y;
}
Rational dot(const std::vector<Rational>& x, const std::vector<Rational>& y) {
  Rational t = 0;
  for (std::size_t i = 0; i < x.size(); ++i) t += x[i] * y[i];
  return t;
}

// ---- the closed-form built-ins (proofs/approx.md, sections 2-4) ----

template <class I>
I score_max(const Scores<I>& s) {
  I m = s.row_norm2(0);
  for (int i = 1; i < s.n(); ++i) m = max_of(m, s.row_norm2(i));
  return m;
}
template <class I>
I trace_f(const Scores<I>& s) {
  I t = I(0);
  for (int i = 0; i < s.n(); ++i) t = t + s.row_norm2(i);
  return t / I(s.n());
}
template <class I>
I trace_f2(const Scores<I>& s) {
  I t = I(0);
  for (int j = 0; j < s.d(); ++j)
    for (int k = 0; k < s.d(); ++k) t = t + s.f(j, k) * s.f(j, k);
  return t;
}
bool all_zero(const Eigen::MatrixXd& g) { return (g.array() == 0).all(); }

std::optional<ExactValue> exact_score_max(const ExactScores& e, bool scaled) {
  Rational m = 0;
  for (const auto& row : e.g) m = std::max(m, dot(row, row));
  return ExactValue{scaled ? Rational(m / e.n) : m};
}

struct ClosedForm {
  const char* name;
  const char* statement;
  ApproxKind kind;
};

// One built-in closed form by id: its interval evaluator and exact value.
struct ScoreMax {
  template <class I> I operator()(const Scores<I>& s) const { return score_max(s) / I(s.n()); }
};
struct ScoreMaxUnscaled {
  template <class I> I operator()(const Scores<I>& s) const { return score_max(s); }
};
struct ScoreSum {
  template <class I> I operator()(const Scores<I>& s) const { return trace_f(s); }
};
struct FrobeniusRatio {  // tr(F^2) / tr(F), and 0 when G = 0 (proofs/approx.md, section 3)
  template <class I> I operator()(const Scores<I>& s) const {
    if (all_zero(s.matrix())) return I(0);
    return trace_f2(s) / trace_f(s);
  }
};
struct FrobeniusNorm {
  template <class I> I operator()(const Scores<I>& s) const { return sqrt(trace_f2(s)); }
};
struct Gershgorin {
  template <class I> I operator()(const Scores<I>& s) const {
    I m = I(0);
    for (int j = 0; j < s.d(); ++j) {
      I row = I(0);
      for (int k = 0; k < s.d(); ++k) row = row + abs(s.f(j, k));
      m = max_of(m, row);
    }
    return m;
  }
};

template <class Eval>
class Builtin final : public Approximation {
 public:
  Builtin(std::string id, std::string statement, ApproxKind kind,
          std::function<std::optional<ExactValue>(const ExactScores&)> exact_form)
      : Approximation(id, std::move(statement), kind), id_(id), exact_(std::move(exact_form)) {}
  Ival enclose(const Scores<Ival>& s, int) const override { return Eval{}(s); }
  MpIval enclose(const Scores<MpIval>& s, int) const override { return Eval{}(s); }
  std::optional<ExactValue> exact(const ExactScores& e) const override { return exact_(e); }
  nlohmann::json formula() const override { return {{"id", id_}}; }

 private:
  std::string id_;
  std::function<std::optional<ExactValue>(const ExactScores&)> exact_;
};

// k-step power iteration from the all-ones start, in exact arithmetic: x_k = S^k 1 and the Rayleigh
// quotient r_k = x_k^T F x_k / x_k^T x_k (0 when x_k = 0); proofs/approx.md, section 5.
class PowerIteration final : public Approximation {
 public:
  explicit PowerIteration(int k)
      : Approximation("power-" + std::to_string(k),
                      "Rayleigh quotient of x_k = (G^T G)^k 1, k = " + std::to_string(k) + " (heuristic)",
                      ApproxKind::Heuristic),
        k_(k) {}
  Ival enclose(const Scores<Ival>& s, int) const override {
    const Rational r = exact(ExactScores(s.matrix()))->r;
    return ival_of(r, r);
  }
  MpIval enclose(const Scores<MpIval>& s, int) const override {
    const Rational r = exact(ExactScores(s.matrix()))->r;
    return mp_of(r, r);
  }
  std::optional<ExactValue> exact(const ExactScores& e) const override {
    std::vector<Rational> x(e.d, Rational(1));
    for (int step = 0; step < k_; ++step) x = times(e.s, x);
    const Rational xx = dot(x, x);
    if (xx == 0) return ExactValue{0};
    return ExactValue{dot(x, times(e.s, x)) / (e.n * xx)};
  }
  nlohmann::json formula() const override { return {{"id", "power"}, {"k", k_}}; }

 private:
  int k_;
};

// The Krylov pencil of S = n F from the all-ones start: C_ij = 1^T S^(i+j) 1, B_ij = 1^T S^(i+j+1) 1
// (i, j < k); the Ritz value theta' = n theta satisfies theta' <= x iff x C - B is PSD (section 6).
struct Pencil {
  RatMatrix c, b;
};
Pencil krylov_pencil(const ExactScores& e, int k) {
  std::vector<std::vector<Rational>> v{std::vector<Rational>(e.d, Rational(1))};
  for (int m = 0; m < k; ++m) v.push_back(times(e.s, v.back()));
  Pencil p{RatMatrix(k, std::vector<Rational>(k)), RatMatrix(k, std::vector<Rational>(k))};
  for (int i = 0; i < k; ++i)
    for (int j = 0; j < k; ++j) {
      p.c[i][j] = dot(v[i], v[j]);
      p.b[i][j] = dot(v[i], v[j + 1]);
    }
  return p;
}
// x C - B is PSD, x = p / 2^q dyadic (scaled by 2^q to stay dyadic).
bool pencil_psd(const Pencil& p, const Rational& x) {
  const std::size_t k = p.c.size();
  RatMatrix m(k, std::vector<Rational>(k));
  const Rational num = numerator(x), den = denominator(x);
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = 0; j < k; ++j) m[i][j] = num * p.c[i][j] - den * p.b[i][j];
  return oracle::ExactSym(m).count_below(0) == 0;
}

class Lanczos final : public Approximation {
 public:
  explicit Lanczos(int k)
      : Approximation("lanczos-" + std::to_string(k),
                      "largest Ritz value of F on span{1, F 1, ..., F^(k-1) 1}, k = " + std::to_string(k) +
                          " (heuristic)",
                      ApproxKind::Heuristic),
        k_(k) {}
  Ival enclose(const Scores<Ival>& s, int bits) const override {
    const auto [lo, hi] = bisect(ExactScores(s.matrix()), bits);
    return ival_of(lo, hi);
  }
  MpIval enclose(const Scores<MpIval>& s, int bits) const override {
    const auto [lo, hi] = bisect(ExactScores(s.matrix()), bits);
    return mp_of(lo, hi);
  }
  nlohmann::json formula() const override { return {{"id", "lanczos"}, {"k", k_}}; }
  /// When the Krylov space is the line through 1 (1 is an eigenvector of S), theta is its
  /// Rayleigh quotient 1^T S 1 / (n d), a rational; otherwise no exact form.
  std::optional<ExactValue> exact(const ExactScores& e) const override {
    if (krylov_rank(e) != 1) return std::nullopt;
    const Pencil p = krylov_pencil(e, 1);
    return ExactValue{p.b[0][0] / (Rational(e.n) * p.c[0][0])};
  }
  /// Dimension of the Krylov space (the rank of C): when it is d, theta = lambda_1 exactly.
  int krylov_rank(const ExactScores& e) const {
    return k_ - oracle::ExactSym(krylov_pencil(e, k_).c).inertia(0).zero;
  }
  /// theta in [lo, hi] (rationals): 0 <= theta' <= lambda_1(S) <= tr S, then bisection on the
  /// PSD test to a relative width of about 2^-min(bits, 256).
  std::pair<Rational, Rational> bisect(const ExactScores& e, int bits) const {
    const Pencil p = krylov_pencil(e, k_);
    Rational lo = 0, hi = trace(e.s);
    const int steps = std::min(bits, 256) + 8;
    for (int i = 0; i < steps && hi > 0; ++i) {
      const Rational mid = (lo + hi) / 2;
      if (pencil_psd(p, mid)) hi = mid;
      else lo = mid;
    }
    return {lo / e.n, hi / e.n};
  }

 private:
  int k_;
};

}  // namespace

std::shared_ptr<const Approximation> make_builtin(const std::string& id) {
  using K = ApproxKind;
  if (id == "score-max")
    return std::make_shared<Builtin<ScoreMax>>(id, "max_i ||g_i||^2 / n", K::Lower,
                                               [](const ExactScores& e) { return exact_score_max(e, true); });
  if (id == "score-max-unscaled")
    return std::make_shared<Builtin<ScoreMaxUnscaled>>(id, "max_i ||g_i||^2", K::Lower,
                                                       [](const ExactScores& e) { return exact_score_max(e, false); });
  if (id == "score-sum")
    return std::make_shared<Builtin<ScoreSum>>(id, "sum_i ||g_i||^2 / n = tr(F)", K::Upper,
                                               [](const ExactScores& e) { return std::optional(ExactValue{trace(e.s) / e.n}); });
  if (id == "frobenius-ratio")
    return std::make_shared<Builtin<FrobeniusRatio>>(id, "tr(F^2) / tr(F)", K::Lower, [](const ExactScores& e) {
      const Rational t = trace(e.s);
      return std::optional(ExactValue{t == 0 ? Rational(0) : Rational(frobenius2(e.s) / (e.n * t))});
    });
  if (id == "frobenius-norm")
    return std::make_shared<Builtin<FrobeniusNorm>>(id, "sqrt(tr(F^2))", K::Upper, [](const ExactScores& e) {
      return std::optional(ExactValue{frobenius2(e.s) / (Rational(e.n) * e.n), true});
    });
  if (id == "gershgorin")
    return std::make_shared<Builtin<Gershgorin>>(id, "max_i sum_j |F_ij|", K::Upper, [](const ExactScores& e) {
      Rational m = 0;
      for (const auto& row : e.s) {
        Rational r = 0;
        for (const Rational& x : row) r += abs(x);
        m = std::max(m, r);
      }
      return std::optional(ExactValue{m / e.n});
    });
  if (id == "power-4") return std::make_shared<PowerIteration>(4);
  if (id == "lanczos-3") return std::make_shared<Lanczos>(3);
  return nullptr;
}


std::optional<int> krylov_rank_of(const Approximation& a, const ExactScores& e) {
  const auto* lz = dynamic_cast<const Lanczos*>(&a);
  return lz ? std::optional<int>(lz->krylov_rank(e)) : std::nullopt;
}

}  // namespace fim::claims
