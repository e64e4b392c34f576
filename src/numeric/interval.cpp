#include "numeric/interval.hpp"

namespace fim::num {
namespace {

// Error-free sum (Knuth's TwoSum): s + e == a + b exactly when s is finite.
double two_sum_err(double a, double b, double s) {
  const double bb = s - a;
  return (a - (s - bb)) + (b - bb);
}
// Products whose magnitude is at least 2^-969 keep fma's residual exact (Boldo-Muller).
constexpr double kExactFmaFloor = 0x1p-969;

}  // namespace

double add_down(double a, double b) {
  const double s = a + b;
  if (!std::isfinite(s)) return std::isnan(s) ? -inf : (s > 0 ? next_down(s) : s);
  const double e = two_sum_err(a, b, s);
  // e is NaN when s - a overflows (a = -3 2^970, b = DBL_MAX): then widen unconditionally
  return (e < 0 || !std::isfinite(e)) ? next_down(s) : s;
}
double add_up(double a, double b) { return -add_down(-a, -b); }

double mul_down(double a, double b) {
  const double p = a * b;
  if (std::isnan(p)) return (a == 0 || b == 0) ? 0 : -inf;  // 0 * inf counts as 0 here
  if (!std::isfinite(p)) return p > 0 ? next_down(p) : p;
  if (std::fabs(p) >= kExactFmaFloor) {
    const double e = std::fma(a, b, -p);
    return e < 0 ? next_down(p) : p;
  }
  return (a == 0 || b == 0) ? 0.0 : next_down(p);
}
double mul_up(double a, double b) { return -mul_down(-a, b); }

double div_down(double a, double b) {
  const double q = a / b;
  if (std::isnan(q)) return -inf;
  if (!std::isfinite(q)) return q > 0 ? next_down(q) : q;
  if (a == 0) return 0.0;
  if (std::fabs(a) >= 0x1p-900 && std::fabs(q) >= kExactFmaFloor && std::isfinite(b)) {
    // a - q b is exact here; its sign against b's says on which side of q the quotient lies.
    const double r = std::fma(-q, b, a);
    if (r == 0) return q;
    return ((r > 0) == (b > 0)) ? q : next_down(q);
  }
  return next_down(q);
}
double div_up(double a, double b) { return -div_down(-a, b); }

// s^2 - a is exact for s = fl(sqrt(a)) when a is not tiny (proofs/linear-algebra.md, Lemma 0).
constexpr double kExactSqrtFloor = 0x1p-900;

double sqrt_down(double a) {
  if (a <= 0) return 0.0;
  const double s = std::sqrt(a);
  if (!std::isfinite(s)) return s;
  if (a < kExactSqrtFloor) return next_down(s);
  return std::fma(s, s, -a) > 0 ? next_down(s) : s;
}
double sqrt_up(double a) {
  if (a <= 0) return 0.0;
  const double s = std::sqrt(a);
  if (!std::isfinite(s)) return s;
  if (a < kExactSqrtFloor) return next_up(s);
  return std::fma(s, s, -a) < 0 ? next_up(s) : s;
}

Ival operator+(const Ival& a, const Ival& b) { return {add_down(a.lo, b.lo), add_up(a.hi, b.hi)}; }
Ival operator-(const Ival& a) { return {-a.hi, -a.lo}; }
Ival operator-(const Ival& a, const Ival& b) { return a + (-b); }

Ival operator*(const Ival& a, const Ival& b) {
  const double lo = std::min({mul_down(a.lo, b.lo), mul_down(a.lo, b.hi), mul_down(a.hi, b.lo),
                              mul_down(a.hi, b.hi)});
  const double hi = std::max({mul_up(a.lo, b.lo), mul_up(a.lo, b.hi), mul_up(a.hi, b.lo),
                              mul_up(a.hi, b.hi)});
  return {lo, hi};
}

Ival operator/(const Ival& a, const Ival& b) {
  if (b.contains_zero()) return Ival::entire();
  const double lo = std::min({div_down(a.lo, b.lo), div_down(a.lo, b.hi), div_down(a.hi, b.lo),
                              div_down(a.hi, b.hi)});
  const double hi = std::max({div_up(a.lo, b.lo), div_up(a.lo, b.hi), div_up(a.hi, b.lo),
                              div_up(a.hi, b.hi)});
  return {lo, hi};
}

Ival sqrt(const Ival& a) { return {sqrt_down(a.lo), sqrt_up(a.hi)}; }

Ival sqr(const Ival& a) {
  const double m = a.mag();
  const double lo = a.contains_zero() ? 0.0 : std::min(mul_down(a.lo, a.lo), mul_down(a.hi, a.hi));
  return {lo, mul_up(m, m)};
}

Ival abs(const Ival& a) {
  if (a.contains_zero()) return {0.0, a.mag()};
  return a.lo > 0 ? a : -a;
}


}  // namespace fim::num
