// Jet<Ival> (numeric/jet.hpp, proofs/models.md Lemma 5): value, first Taylor coefficient and
// second derivative of test functions along lines u(t) = x + d t contain the exact derivatives,
// derived by hand and evaluated in exact rationals, at binary64 points x and at d = 1/3 (itself an
// enclosure). The false variants, a reciprocal with the wrong sign of f'' and reading c2 as the
// second derivative, are caught.
#include <doctest/doctest.h>

#include <random>
#include <vector>

#include "numeric/interval.hpp"
#include "numeric/jet.hpp"
#include "support/exact.hpp"

using fim::num::Ival;
using fim::num::Rational;
using fim::num::to_rational;
using fim::test::encloses;
using J = fim::num::Jet<Ival>;

namespace {

// Points x where the test functions are evaluated: signs, small and large, not integers.
std::vector<double> points() {
  std::vector<double> v = {0.1, -0.75, 1.0, 3.0, -2.5, 1e-3, 17.25};
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(-8, 8);
  for (int i = 0; i < 40; ++i) v.push_back(u(rng));
  return v;
}

const Ival third = Ival(1.0) / Ival(3.0);  // encloses d = 1/3
const Rational d_exact(1, 3);

// Value, f'(0) and f''(0) exactly, of t -> f(x + d t) given f, f', f'' at u = x (chain rule).
struct Exact3 {
  Rational f0, f1, f2;
};
Exact3 along(const Rational& f, const Rational& df, const Rational& ddf) {
  return {f, df * d_exact, ddf * d_exact * d_exact};
}

bool contains_all(const J& j, const Exact3& e) {
  return encloses(j.c0, e.f0) && encloses(j.c1, e.f1) && encloses(j.second_derivative(), e.f2);
}

}  // namespace

TEST_CASE("u^3 / (1 + u^2): f' = (3u^2 + u^4) / (1 + u^2)^2, f'' = (6u - 2u^3) / (1 + u^2)^3") {
  int checked = 0;
  for (double x : points()) {
    CAPTURE(x);
    const J u = J::line(Ival(x), third);
    const J f = u * u * u / (J(Ival(1.0)) + u * u);
    const Rational q = to_rational(x), w = 1 + q * q;
    const Exact3 e = along(q * q * q / w, (3 * q * q + q * q * q * q) / (w * w), (6 * q - 2 * q * q * q) / (w * w * w));
    CHECK(contains_all(f, e));
    CHECK(f.c0.hi - f.c0.lo <= 1e-12 * (1 + std::abs(f.c0.lo)));  // enclosures, not the whole line
    CHECK(f.c1.hi - f.c1.lo <= 1e-12 * (1 + std::abs(f.c1.lo)));
    ++checked;
  }
  CHECK(checked == 47);
}

TEST_CASE("1 / u^2 by reciprocal: f' = -2 / u^3, f'' = 6 / u^4") {
  for (double x : points()) {
    CAPTURE(x);
    const J u = J::line(Ival(x), third);
    const J f = fim::num::reciprocal(u * u);
    const Rational q = to_rational(x);
    CHECK(contains_all(f, along(1 / (q * q), -2 / (q * q * q), 6 / (q * q * q * q))));
  }
}

TEST_CASE("products with a curved operand: Cauchy product of two jets is exact coefficient-wise") {
  // (x + t)(y + e t + k t^2) = x y + (x e + y) t + (x k + e) t^2: every coefficient exact in Ival
  // when the operands are small dyadics, so the enclosure must be a point.
  const J a(Ival(1.5), Ival(1.0), Ival(0.0)), b(Ival(-2.25), Ival(0.5), Ival(3.0));
  const J p = a * b;
  CHECK(p.c0.lo == -3.375);
  CHECK(p.c0.hi == -3.375);
  CHECK(p.c1.lo == 1.5 * 0.5 - 2.25);
  CHECK(p.c1.hi == p.c1.lo);
  CHECK(p.c2.lo == 1.5 * 3.0 + 0.5);
  CHECK(p.c2.hi == p.c2.lo);
  CHECK(p.second_derivative().lo == 2 * (1.5 * 3.0 + 0.5));
  const J s = a - b;
  CHECK(s.c1.lo == 0.5);
  CHECK(s.c2.lo == -3.0);
}

TEST_CASE("compose: sqrt along a line, with f, f', f'' given as enclosures") {
  for (double x : points()) {
    if (x <= 0) continue;
    CAPTURE(x);
    const J u = J::line(Ival(x), third);
    const Ival s = fim::num::sqrt(Ival(x));
    const J f = fim::num::compose(u, s, Ival(0.5) / s, -(Ival(0.25) / (s * Ival(x))));
    // exact check on squares: c0 = sqrt(x), c1 = d / (2 sqrt x), f'' = -d^2 / (4 x^{3/2}):
    // compare c0^2 with x, (c1 * 2 sqrt x)... instead square the claims: c1^2 = d^2 / (4x),
    // f''^2 = d^4 / (16 x^3), with signs c1 > 0 > f''.
    const Rational q = to_rational(x);
    CHECK(to_rational(f.c0.lo) * to_rational(f.c0.lo) <= q);
    CHECK(to_rational(f.c0.hi) * to_rational(f.c0.hi) >= q);
    const Rational c1sq = d_exact * d_exact / (4 * q), f2sq = d_exact * d_exact * d_exact * d_exact / (16 * q * q * q);
    CHECK(f.c1.lo > 0);
    CHECK(to_rational(f.c1.lo) * to_rational(f.c1.lo) <= c1sq);
    CHECK(to_rational(f.c1.hi) * to_rational(f.c1.hi) >= c1sq);
    const Ival f2 = f.second_derivative();
    CHECK(f2.hi < 0);
    CHECK(to_rational(f2.hi) * to_rational(f2.hi) <= f2sq);
    CHECK(to_rational(f2.lo) * to_rational(f2.lo) >= f2sq);
  }
}

TEST_CASE("false variants are caught: f'' of 1/x with the wrong sign, and c2 read as f''") {
  int wrong_sign = 0, c2_as_f2 = 0, total = 0;
  for (double x : points()) {
    const J u = J::line(Ival(x), third);
    const J b = u * u;
    const Ival inv = Ival(1.0) / b.c0, inv2 = inv * inv;
    const J forged = fim::num::compose(b, inv, -inv2, -((inv2 + inv2) * inv));  // f'' = -2/x^3
    const Rational q = to_rational(x);
    const Exact3 e = along(1 / (q * q), -2 / (q * q * q), 6 / (q * q * q * q));
    CHECK(contains_all(fim::num::reciprocal(b), e));  // the real one holds
    wrong_sign += !contains_all(forged, e);
    c2_as_f2 += !encloses(fim::num::reciprocal(b).c2, e.f2);
    ++total;
  }
  CHECK(wrong_sign == total);
  CHECK(c2_as_f2 == total);
}
