// Internal to src/expr: the interval primitives both expression languages (bound_expr, claim_lang)
// evaluate with, one overload per interval type (binary64 Ival, MPFI MpIval, exact RatIval), and
// the generic operations built on them. Every operation encloses its exact result outward.
#pragma once
#include <mpfi.h>
#include <mpfr.h>

#include <type_traits>

#include "numeric/exact.hpp"
#include "numeric/interval.hpp"
#include "numeric/mp.hpp"
#include "numeric/rational_interval.hpp"

namespace fim::expr::ops {

using num::Ival;
using num::MpIval;
using num::Rational;
using num::RatIval;

template <class I>
using Tag = std::type_identity<I>;

/// The tightest binary64 interval containing the rational q (an end is infinite on overflow).
inline Ival enclose_binary64(const Rational& q) { return num::ival_of(q); }

// ---- binary64 ----
inline int lo_sign(const Ival& x) { return (x.lo > 0) - (x.lo < 0); }
inline int hi_sign(const Ival& x) { return (x.hi > 0) - (x.hi < 0); }
inline bool lo_le(const Ival& a, const Ival& b) { return a.lo <= b.lo; }
inline bool hi_le(const Ival& a, const Ival& b) { return a.hi <= b.hi; }
/// upper(a) <= lower(b): every point of a is <= every point of b.
inline bool hi_le_lo(const Ival& a, const Ival& b) { return a.hi <= b.lo; }
/// upper(a) < lower(b): every point of a is < every point of b.
inline bool hi_lt_lo(const Ival& a, const Ival& b) { return a.hi < b.lo; }
/// [lower(a), upper(b)], given lower(a) <= upper(b).
inline Ival between(const Ival& a, const Ival& b) { return {a.lo, b.hi}; }
/// The point interval at lower(x).
inline Ival low_point(const Ival& x) { return Ival(x.lo); }
inline Ival entire(Tag<Ival>) { return Ival::entire(); }
/// Encloses the rational q (integers below 2^53 exactly, without MPFR).
inline Ival from_rational(const Rational& q, Tag<Ival>) {
  if (boost::multiprecision::denominator(q) == 1 && boost::multiprecision::abs(q) < (1LL << 53))
    return Ival(static_cast<double>(boost::multiprecision::numerator(q).convert_to<long long>()));
  return enclose_binary64(q);
}
/// Ival maps NaN ends to the whole line on construction already.
inline Ival no_nan(const Ival& x) { return x; }

// ---- MPFI ----
inline mpfr_srcptr lo_end(const MpIval& x) { return &x.data()->left; }
inline mpfr_srcptr hi_end(const MpIval& x) { return &x.data()->right; }
inline int lo_sign(const MpIval& x) { return mpfr_sgn(lo_end(x)); }
inline int hi_sign(const MpIval& x) { return mpfr_sgn(hi_end(x)); }
inline bool lo_le(const MpIval& a, const MpIval& b) {
  return mpfr_lessequal_p(lo_end(a), lo_end(b));
}
inline bool hi_le(const MpIval& a, const MpIval& b) {
  return mpfr_lessequal_p(hi_end(a), hi_end(b));
}
inline bool hi_le_lo(const MpIval& a, const MpIval& b) {
  return mpfr_lessequal_p(hi_end(a), lo_end(b));
}
inline bool hi_lt_lo(const MpIval& a, const MpIval& b) { return mpfr_less_p(hi_end(a), lo_end(b)); }
inline MpIval between(const MpIval& a, const MpIval& b) {
  MpIval r;
  mpfi_interv_fr(r.data(), lo_end(a), hi_end(b));  // rounded outward
  return r;
}
inline MpIval low_point(const MpIval& x) {
  MpIval r;
  mpfi_set_fr(r.data(), lo_end(x));  // rounded outward if x is more precise
  return r;
}
inline MpIval entire(Tag<MpIval>) {
  MpIval r;
  mpfi_interv_d(r.data(), -num::inf, num::inf);
  return r;
}
inline MpIval from_rational(const Rational& q, Tag<MpIval>) {
  MpIval r;
  mpfi_set_q(r.data(), q.backend().data());  // rounded outward
  return r;
}
/// The whole line in place of an interval with a NaN end (from an indeterminate form).
inline MpIval no_nan(const MpIval& x) { return mpfi_nan_p(x.data()) ? entire(Tag<MpIval>{}) : x; }

// ---- exact rationals (verify-cert): ends compared exactly, the whole line as a flag ----
inline int sign_of(const Rational& x) { return (x > 0) - (x < 0); }
inline int lo_sign(const RatIval& x) { return x.whole ? -1 : sign_of(x.lo); }
inline int hi_sign(const RatIval& x) { return x.whole ? 1 : sign_of(x.hi); }
inline bool lo_le(const RatIval& a, const RatIval& b) {
  return a.whole || (!b.whole && a.lo <= b.lo);
}
inline bool hi_le(const RatIval& a, const RatIval& b) {
  return b.whole || (!a.whole && a.hi <= b.hi);
}
inline bool hi_le_lo(const RatIval& a, const RatIval& b) {
  return !a.whole && !b.whole && a.hi <= b.lo;
}
inline bool hi_lt_lo(const RatIval& a, const RatIval& b) {
  return !a.whole && !b.whole && a.hi < b.lo;
}
inline RatIval between(const RatIval& a, const RatIval& b) {
  return a.whole || b.whole ? RatIval::entire() : RatIval(a.lo, b.hi);
}
inline RatIval low_point(const RatIval& x) { return x.whole ? x : RatIval(x.lo); }
inline RatIval entire(Tag<RatIval>) { return RatIval::entire(); }
inline RatIval from_rational(const Rational& q, Tag<RatIval>) { return RatIval(q); }
inline RatIval no_nan(const RatIval& x) { return x; }

// ---- Operations, generic over the interval type ----

template <class I>
bool contains_zero(const I& x) {
  return lo_sign(x) <= 0 && hi_sign(x) >= 0;
}
/// x is the point 0.
template <class I>
bool is_zero(const I& x) {
  return lo_sign(x) == 0 && hi_sign(x) == 0;
}

/// The point interval at upper(x).
template <class I>
I high_point(const I& x) {
  return -low_point(-x);
}

/// Encloses x / y; the whole line when y contains 0.
template <class I>
I divide(const I& x, const I& y) {
  return contains_zero(y) ? entire(Tag<I>{}) : x / y;
}

/// Encloses sqrt over the nonnegative part of x; the whole line when x < 0 throughout.
template <class I>
I sqrt_part(const I& x) {
  if (hi_sign(x) < 0) return entire(Tag<I>{});
  return lo_sign(x) < 0 ? sqrt(between(I(0), x)) : sqrt(x);
}

/// Encloses {min(a, b)}: [min of the lower ends, min of the upper ends].
template <class I>
I min_of(const I& a, const I& b) {
  return between(lo_le(a, b) ? a : b, hi_le(a, b) ? a : b);
}
/// Encloses {max(a, b)}: [max of the lower ends, max of the upper ends].
template <class I>
I max_of(const I& a, const I& b) {
  return between(lo_le(a, b) ? b : a, hi_le(a, b) ? b : a);
}

/// Encloses p^n by binary powering (p a point or a narrow interval, n >= 0).
template <class I>
I power_by_squaring(I p, unsigned long n) {
  I r(1);
  for (; n; n >>= 1) {
    if (n & 1) r = r * p;
    if (n > 1) p = p * p;
  }
  return r;
}

/// Encloses x^n for n >= 1 where t -> t^n increases on x: powers of the two ends.
template <class I>
I monotone_power(const I& x, unsigned long n) {
  return between(power_by_squaring(low_point(x), n), power_by_squaring(high_point(x), n));
}

/// Encloses x^n (0^0 = 1); for even n it works on |x|, so the lower end is 0 when x contains 0.
template <class I>
I int_power(const I& x, long n) {
  if (n == 0) return I(1);
  if (n < 0) return divide(I(1), int_power(x, -n));
  const auto m = static_cast<unsigned long>(n);
  return m % 2 == 0 ? monotone_power(I(abs(x)), m) : monotone_power(x, m);
}

}  // namespace fim::expr::ops
