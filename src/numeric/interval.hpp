// Ival: a closed interval of binary64 numbers with outward rounding in round-to-nearest.
// Every operation widens its round-to-nearest result by one ulp unless an error-free check shows
// it exact (proofs/linear-algebra.md, Lemma 0: the exact result of one operation lies between the
// neighbours of its rounded value). No rounding-mode switches, so it needs no -frounding-math.
#pragma once
#include <algorithm>
#include <cmath>

#include "numeric/fp.hpp"

namespace fim::num {

struct Ival {
  double lo = 0, hi = 0;
  Ival() = default;
  Ival(double x) : lo(x), hi(x) {}  // NOLINT: a binary64 value is an exact point
  Ival(double l, double h) : lo(l), hi(h) {
    if (std::isnan(l) || std::isnan(h)) *this = entire();
  }
  static Ival entire() { Ival r; r.lo = -inf; r.hi = inf; return r; }
  bool contains(double x) const { return lo <= x && x <= hi; }
  bool contains_zero() const { return lo <= 0 && 0 <= hi; }
  bool is_finite() const { return std::isfinite(lo) && std::isfinite(hi); }
  double width_up() const { return next_up(hi - lo); }
  double mag() const { return std::max(std::fabs(lo), std::fabs(hi)); }
};

/// The rounded midpoint of a finite x: a point of x, for centres and estimates (never a bound).
inline double midpoint(const Ival& x) { return 0.5 * x.lo + 0.5 * x.hi; }

/// End points, named as for MPFI intervals so code templated on the interval type reads the same.
inline double lower(const Ival& x) { return x.lo; }
inline double upper(const Ival& x) { return x.hi; }

/// Lower and upper bounds of the exact sum / product of two binary64 numbers.
double add_down(double a, double b);
double add_up(double a, double b);
double mul_down(double a, double b);
double mul_up(double a, double b);
double div_down(double a, double b);
double div_up(double a, double b);
double sqrt_down(double a);
double sqrt_up(double a);

Ival operator+(const Ival& a, const Ival& b);
Ival operator-(const Ival& a, const Ival& b);
Ival operator-(const Ival& a);
Ival operator*(const Ival& a, const Ival& b);
/// Encloses a / b; the whole line when b contains 0.
Ival operator/(const Ival& a, const Ival& b);
/// Encloses sqrt over the nonnegative part of a (callers pass quantities known to be >= 0).
Ival sqrt(const Ival& a);
/// Encloses x^2 (tighter than x * x when x contains 0).
Ival sqr(const Ival& a);
/// Encloses |x| for every x in a.
Ival abs(const Ival& a);
inline Ival& operator+=(Ival& a, const Ival& b) { return a = a + b; }
inline Ival& operator*=(Ival& a, const Ival& b) { return a = a * b; }

}  // namespace fim::num
