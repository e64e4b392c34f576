#include "numeric/rational_interval.hpp"

#include <algorithm>

#include <mpfr.h>

#include "numeric/exact.hpp"

namespace fim::num {

RatIval operator+(const RatIval& a, const RatIval& b) {
  if (a.whole || b.whole) return RatIval::entire();
  return {a.lo + b.lo, a.hi + b.hi};
}
RatIval operator-(const RatIval& a) {
  if (a.whole) return a;
  return {-a.hi, -a.lo};
}
RatIval operator-(const RatIval& a, const RatIval& b) { return a + (-b); }

RatIval operator*(const RatIval& a, const RatIval& b) {
  if (a.whole || b.whole) return RatIval::entire();
  const Rational p[] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
  return {*std::min_element(p, p + 4), *std::max_element(p, p + 4)};
}

RatIval operator/(const RatIval& a, const RatIval& b) {
  if (b.whole || (b.lo <= 0 && 0 <= b.hi)) return RatIval::entire();
  return a * RatIval(1 / b.hi, 1 / b.lo);
}

namespace {
// A rational r with r^2 <= x (down) or r^2 >= x (up), x >= 0, within about 2^-200 relative.
Rational sqrt_bound(const Rational& x, bool up) {
  if (x <= 0) return 0;
  mpfr_t m;
  mpfr_init2(m, 256);
  mpfr_set_q(m, x.backend().data(), up ? MPFR_RNDU : MPFR_RNDD);
  mpfr_sqrt(m, m, up ? MPFR_RNDU : MPFR_RNDD);
  Rational r;
  mpfr_get_q(r.backend().data(), m);
  mpfr_clear(m);
  // directed MPFR rounding makes this hold; the exact check makes it independent of MPFR
  while (up ? r * r < x : r * r > x) r = up ? Rational(r * 2 + 1) : Rational(r / 2);
  return r;
}
}  // namespace

RatIval sqrt(const RatIval& a) {
  if (a.whole) return a;
  return {sqrt_bound(std::max(a.lo, Rational(0)), false), sqrt_bound(a.hi, true)};
}

RatIval abs(const RatIval& a) {
  if (a.whole) return a;  // [0, inf) is not representable: keep the whole line (still an enclosure)
  if (a.lo >= 0) return a;
  if (a.hi <= 0) return -a;
  return {0, std::max(Rational(-a.lo), a.hi)};
}

}  // namespace fim::num
