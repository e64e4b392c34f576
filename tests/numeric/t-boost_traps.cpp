// Boost 1.74's known traps with MPFI, pinned as they are today in Boost itself, with the Boost types
// used directly (not fimcheck's wrappers): fimcheck's code must never hit them. If Boost changes,
// one of these tests fails and says which trap moved, so the workarounds can be reviewed.
//   1. Self-assignment `x = x` of number<mpfi_float_backend<0>> leaves x NaN (both ends NaN, not
//      bounded) instead of x: an interval that contains nothing a comparison could trust.
//   2. Converting number<mpfr_float_backend<0>> to number<mpfi_float_backend<0>> yields NaN for
//      short-mantissa values in [2^61, 2^62) (e.g. 2^61, 1.5 * 2^61, -2^61), while MPFI's own
//      mpfi_set_fr and the two-argument constructor I(r, r) give the exact point.
#include <doctest/doctest.h>

#include <cmath>

#include <boost/multiprecision/gmp.hpp>
#include <boost/multiprecision/mpfi.hpp>
#include <boost/multiprecision/mpfr.hpp>

namespace {

namespace bmp = boost::multiprecision;
using R = bmp::number<bmp::mpfr_float_backend<0>, bmp::et_off>;
using I = bmp::number<bmp::mpfi_float_backend<0>, bmp::et_off>;
using Q = bmp::mpq_rational;

bool is_nan(const I& x) { return mpfi_nan_p(x.backend().data()) != 0; }

// True when x is exactly the point v: both ends equal v (compared in exact rationals).
bool is_point(const I& x, double v) {
  if (is_nan(x) || !mpfi_bounded_p(x.backend().data())) return false;
  const R lo = bmp::lower(x), hi = bmp::upper(x);
  return Q(lo) == Q(v) && Q(hi) == Q(v);
}

// Sets the default precisions of both types for one test (Boost keeps them per thread).
struct Precision {
  explicit Precision(unsigned bits) {
    R::default_precision(bits);
    I::default_precision(bits);
  }
};

}  // namespace

TEST_CASE("trap 1: MPFI self-assignment x = x gives NaN, at every precision fimcheck uses") {
  for (unsigned bits : {53u, 113u, 256u, 1024u, 4096u}) {
    CAPTURE(bits);
    const Precision p(bits);
    I x(3);
    REQUIRE(is_point(x, 3.0));  // the check below can tell a correct x from a broken one
    I& alias = x;               // through a reference, as generic code would do it
    x = alias;
    CHECK(is_nan(x));                                    // Boost's trap, as it is today
    CHECK_FALSE(mpfi_bounded_p(x.backend().data()));
    CHECK_FALSE(is_point(x, 3.0));
    I y(3), z(0);
    z = y;  // assignment between different objects is fine: the trap is only x = x
    CHECK(is_point(z, 3.0));
  }
}

TEST_CASE("trap 2: number<mpfi>(number<mpfr>) is NaN for short values in [2^61, 2^62)") {
  const Precision p(113);
  int nan_count = 0, total = 0;
  for (int e = -200; e <= 200; ++e)
    for (double m : {1.0, 1.25, 1.5, 1.75}) {
      const double v = std::ldexp(m, e);
      const R r = v;
      const I converted(r);
      ++total;
      if (e == 61) {
        CAPTURE(v);
        CHECK(is_nan(converted));  // Boost's trap, as it is today
        nan_count += is_nan(converted);
      } else {
        CAPTURE(e);
        CHECK(is_point(converted, v));
      }
    }
  CHECK(nan_count == 4);
  CHECK(total == 401 * 4);
  const R minus = -std::ldexp(1.0, 61);
  CHECK(is_nan(I(minus)));  // the negative side too
  for (unsigned bits : {53u, 256u, 4096u}) {
    CAPTURE(bits);
    const Precision q(bits);
    CHECK(is_nan(I(R(std::ldexp(1.0, 61)))));  // at every precision
  }
}

TEST_CASE("trap 2's safe routes: mpfi_set_fr and I(r, r) give the exact point 2^61") {
  const Precision p(113);
  const R r = std::ldexp(1.0, 61);
  I direct;
  mpfi_set_fr(direct.backend().data(), r.backend().data());
  CHECK(is_point(direct, std::ldexp(1.0, 61)));
  CHECK(is_point(I(r, r), std::ldexp(1.0, 61)));
  // A long mantissa in the same binade converts fine: the trap needs a short one.
  const R long_mantissa = R(std::ldexp(1.0, 61)) + R(1) / 3;
  const I converted(long_mantissa);
  CHECK_FALSE(is_nan(converted));
  CHECK(Q(bmp::lower(converted)) <= Q(long_mantissa));
  CHECK(Q(long_mantissa) <= Q(bmp::upper(converted)));
}
