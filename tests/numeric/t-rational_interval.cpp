// RatIval: + - * / are exact interval hulls (each end is attained by end points of the operands),
// every point result lies inside, sqrt encloses within 2^-190 relative with squares compared
// exactly (exact where the root is dyadic), and the whole line propagates. The false variant, the end-point product
// [a.lo b.lo, a.hi b.hi], is caught missing products of mixed signs.
#include <doctest/doctest.h>

#include <random>
#include <vector>

#include "numeric/rational_interval.hpp"

using fim::num::RatIval;
using fim::num::Rational;
using Z = boost::multiprecision::mpz_int;

namespace {

bool contains(const RatIval& x, const Rational& v) { return x.whole || (x.lo <= v && v <= x.hi); }

// Intervals with small rational ends of every sign pattern, points and zero ends included.
std::vector<RatIval> operands() {
  std::vector<RatIval> v = {RatIval(0), RatIval(1), RatIval(Rational(-1, 3)), RatIval(-2, 3),
                            RatIval(Rational(1, 7), Rational(5, 2)), RatIval(Rational(-9, 4), Rational(-1, 5)),
                            RatIval(0, Rational(3, 8)), RatIval(Rational(-5, 6), 0)};
  std::mt19937_64 rng(13);
  std::uniform_int_distribution<int> num(-40, 40), den(1, 17);
  for (int i = 0; i < 40; ++i) {
    Rational a(num(rng), den(rng)), b(num(rng), den(rng));
    if (b < a) std::swap(a, b);
    v.emplace_back(a, b);
  }
  return v;
}

// Points of x: both ends, the midpoint and two interior rationals.
std::vector<Rational> points(const RatIval& x) {
  const Rational w = x.hi - x.lo;
  return {x.lo, x.hi, (x.lo + x.hi) / 2, x.lo + w / 3, x.lo + w * Rational(5, 7)};
}

// True when v equals one of the candidates: the end is attained, so the hull is not widened.
bool attained(const Rational& v, const std::vector<Rational>& candidates) {
  for (const auto& c : candidates)
    if (c == v) return true;
  return false;
}

}  // namespace

TEST_CASE("+ - * / contain every point result and are the exact hull") {
  const auto ops = operands();
  long checked = 0;
  for (const auto& a : ops)
    for (const auto& b : ops) {
      const RatIval s = a + b, d = a - b, p = a * b, q = a / b;
      REQUIRE_FALSE(s.whole);
      CHECK(s.lo == a.lo + b.lo);
      CHECK(s.hi == a.hi + b.hi);
      CHECK(d.lo == a.lo - b.hi);
      CHECK(d.hi == a.hi - b.lo);
      const std::vector<Rational> ends = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
      CHECK(attained(p.lo, ends));
      CHECK(attained(p.hi, ends));
      const bool zero_in_b = b.lo <= 0 && 0 <= b.hi;
      CHECK(q.whole == zero_in_b);
      if (!zero_in_b) {
        const std::vector<Rational> qends = {a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi};
        CHECK(attained(q.lo, qends));
        CHECK(attained(q.hi, qends));
      }
      for (const auto& x : points(a))
        for (const auto& y : points(b)) {
          CHECK(contains(s, x + y));
          CHECK(contains(d, x - y));
          CHECK(contains(p, x * y));
          if (!zero_in_b) CHECK(contains(q, x / y));
          checked += 4;
        }
    }
  CHECK(checked > 40000);
}

TEST_CASE("negation, abs and point arithmetic are exact") {
  CHECK((-RatIval(Rational(-1, 3), 2)).lo == -2);
  CHECK((-RatIval(Rational(-1, 3), 2)).hi == Rational(1, 3));
  const RatIval third = RatIval(1) / RatIval(3);
  CHECK(third.lo == Rational(1, 3));
  CHECK(third.hi == Rational(1, 3));
  const RatIval m = abs(RatIval(Rational(-5, 2), Rational(3, 2)));
  CHECK(m.lo == 0);
  CHECK(m.hi == Rational(5, 2));
  CHECK(abs(RatIval(-3, -1)).lo == 1);
  CHECK(abs(RatIval(-3, -1)).hi == 3);
  for (const auto& a : operands())
    for (const auto& x : points(a)) CHECK(contains(abs(a), x < 0 ? Rational(-x) : x));
}

TEST_CASE("sqrt: lo^2 <= a.lo and hi^2 >= a.hi exactly, within 2^-190 relative, exact on dyadic squares") {
  std::mt19937_64 rng(17);
  std::uniform_int_distribution<int> num(0, 1000), den(1, 999);
  for (int i = 0; i < 300; ++i) {
    Rational a(num(rng), den(rng)), b(num(rng), den(rng));
    if (b < a) std::swap(a, b);
    const RatIval r = sqrt(RatIval(a, b));
    REQUIRE_FALSE(r.whole);
    CHECK(r.lo >= 0);
    CHECK(r.lo * r.lo <= a);
    CHECK(r.hi * r.hi >= b);
    const Rational tol(Z(1), Z(1) << 190);  // 2^-190
    CHECK(r.hi * r.hi - b <= b * tol);
    CHECK(a - r.lo * r.lo <= a * tol);
  }
  const RatIval exact = sqrt(RatIval(Rational(1, 4), Rational(25, 16)));  // dyadic roots are exact
  CHECK(exact.lo == Rational(1, 2));
  CHECK(exact.hi == Rational(5, 4));
  const RatIval third = sqrt(RatIval(Rational(4, 9)));  // 2/3 is not dyadic: enclosed, not exact
  CHECK(third.lo < Rational(2, 3));
  CHECK(third.hi > Rational(2, 3));
  CHECK(sqrt(RatIval(-1, 4)).lo == 0);  // the nonnegative part is enclosed
}

TEST_CASE("the whole line propagates through every operation") {
  const RatIval w = RatIval::entire(), one(1);
  CHECK((w + one).whole);
  CHECK((one - w).whole);
  CHECK((w * one).whole);
  CHECK((one / w).whole);
  CHECK((w / one).whole);
  CHECK((-w).whole);
  CHECK(sqrt(w).whole);
  CHECK(abs(w).whole);
  CHECK((one / RatIval(-1, 1)).whole);
  CHECK((one / RatIval(0)).whole);
}

TEST_CASE("the false variant, the product of like ends, is caught") {
  const auto naive = [](const RatIval& a, const RatIval& b) {
    const Rational lo = a.lo * b.lo, hi = a.hi * b.hi;
    return lo <= hi ? RatIval(lo, hi) : RatIval(hi, lo);
  };
  int caught = 0, total = 0;
  const auto ops = operands();
  for (const auto& a : ops)
    for (const auto& b : ops) {
      bool missed = false;
      for (const auto& x : points(a))
        for (const auto& y : points(b)) {
          CHECK(contains(a * b, x * y));  // the real product never misses
          missed = missed || !contains(naive(a, b), x * y);
        }
      caught += missed;
      ++total;
    }
  CHECK(caught > total / 10);
  const RatIval a(-2, 1), b(-3, 1);
  CHECK_FALSE(contains(naive(a, b), Rational(-3)));  // x = 1, y = -3 is missed by the variant
  CHECK(contains(a * b, Rational(-3)));
}
