// Ival: every operation encloses the exact result (checked in exact rationals), on hard operands.
#include <doctest/doctest.h>

#include <cfenv>
#include <cfloat>
#include <random>

#include "numeric/interval.hpp"
#include "numeric/mp.hpp"
#include "numeric/outward.hpp"
#include "support/exact.hpp"

using fim::num::Ival;
using fim::num::Rational;
using fim::num::to_rational;

using fim::test::encloses;

namespace {
// Operands biased to the hard cases: binade boundaries, subnormals, huge, exact small integers.
std::vector<double> hard_values() {
  std::vector<double> v = {0.0, -0.0, 1.0, -1.0, 0.1, 1.0 / 3, 3.0, 0x1p-1074, 0x1p-1022,
                           0x1.fffffffffffffp-1023, 0x1p-969, 0x1p-900, 0x1p52, 0x1p53 + 2,
                           1e300, -1e300, 1e-300, DBL_MAX / 4, 0x1.0000000000001p0,
                           0x1.fffffffffffffp-1};
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<int> e(-1074, 1000);
  std::uniform_real_distribution<double> m(-2, 2);
  for (int i = 0; i < 60; ++i) v.push_back(std::ldexp(m(rng), e(rng)));
  return v;
}
}  // namespace

TEST_CASE("add, sub, mul, div enclose the exact rational result") {
  const auto vals = hard_values();
  int checked = 0;
  for (double a : vals)
    for (double b : vals) {
      const Rational ra = to_rational(a), rb = to_rational(b);
      const Ival s = Ival(a) + Ival(b), d = Ival(a) - Ival(b), p = Ival(a) * Ival(b);
      if (s.is_finite()) CHECK(encloses(s, ra + rb));
      if (d.is_finite()) CHECK(encloses(d, ra - rb));
      if (p.is_finite()) CHECK(encloses(p, ra * rb));
      if (b != 0) {
        const Ival q = Ival(a) / Ival(b);
        if (q.is_finite()) CHECK(encloses(q, ra / rb));
      }
      checked += 4;
    }
  CHECK(checked > 1000);
}

TEST_CASE("exact operations are not widened; inexact ones are") {
  CHECK((Ival(1.0) + Ival(2.0)).lo == 3.0);
  CHECK((Ival(0.5) * Ival(6.0)).hi == 3.0);
  CHECK((Ival(1.0) / Ival(4.0)).lo == 0.25);
  const Ival third = Ival(1.0) / Ival(3.0);
  CHECK(third.lo < third.hi);
}

TEST_CASE("sqrt encloses: lo^2 <= a <= hi^2 exactly") {
  for (double a : hard_values()) {
    if (a < 0) continue;
    const Ival r = fim::num::sqrt(Ival(a));
    const Rational ra = to_rational(a);
    CHECK(to_rational(r.lo) * to_rational(r.lo) <= ra);
    CHECK(to_rational(r.hi) * to_rational(r.hi) >= ra);
  }
}

TEST_CASE("overflow gives an unbounded side, never a finite wrong bound") {
  const Ival p = Ival(1e300) * Ival(1e300);
  CHECK(p.hi == fim::num::inf);
  CHECK(p.lo == DBL_MAX);
}

TEST_CASE("a deliberately flipped rounding direction is caught by the exact check") {
  const Ival q = Ival(1.0) / Ival(3.0);
  const Ival flipped(q.hi, q.hi);  // what an upward-only rounding of both ends would give
  CHECK_FALSE(encloses(flipped, Rational(1) / 3));
}

TEST_CASE("outward decimals: lo string <= value <= hi string, exactly") {
  for (double a : hard_values()) {
    const Rational ra = to_rational(a);
    CHECK(fim::test::parse_decimal(fim::num::decimal_down(a)) <= ra);
    CHECK(fim::test::parse_decimal(fim::num::decimal_up(a)) >= ra);
  }
  CHECK(fim::num::decimal_down(0.7) == "6.9999999999999995e-01");
  CHECK(fim::num::decimal_up(0.7) == "6.9999999999999996e-01");
  CHECK(fim::num::decimal_up(3.0) == "3.0000000000000000e+00");
}

TEST_CASE("the process rounds to nearest with subnormals, and the check can fail") {
  CHECK(fim::num::arithmetic_is_ieee_nearest());
  std::fesetround(FE_UPWARD);
  const bool upward = fim::num::arithmetic_is_ieee_nearest();
  std::fesetround(FE_TONEAREST);
  CHECK_FALSE(upward);
}

TEST_CASE("TwoSum overflow inside add_down widens instead of lying") {
  const double a = -3 * 0x1p970, b = DBL_MAX;
  const Ival s = Ival(a) + Ival(b);
  CHECK(encloses(s, to_rational(a) + to_rational(b)));
}

TEST_CASE("next_up / next_down agree with std::nextafter on hard values") {
  for (double a : hard_values())
    for (double x : {a, -a}) {
      CHECK(fim::num::next_up(x) == std::nextafter(x, fim::num::inf));
      CHECK(fim::num::next_down(x) == std::nextafter(x, -fim::num::inf));
    }
  CHECK(fim::num::next_up(-0x1p-1074) == 0.0);
  CHECK(fim::num::next_up(DBL_MAX) == fim::num::inf);
  CHECK(fim::num::next_down(-DBL_MAX) == -fim::num::inf);
}

TEST_CASE("parse_rational reads decimals exactly, leading zeros included") {
  using fim::num::parse_rational;
  CHECK(parse_rational("0.123") == Rational(123) / 1000);
  CHECK(parse_rational("000.0533") == Rational(533) / 10000);
  CHECK(parse_rational("-0.08") == Rational(-8) / 100);
  CHECK(parse_rational("1e-3") == Rational(1) / 1000);
  CHECK(parse_rational("-17/6") == Rational(-17) / 6);
  CHECK(parse_rational("0") == 0);
  CHECK_THROWS(parse_rational("1.2.3"));
  CHECK_THROWS(parse_rational("abc"));
}
