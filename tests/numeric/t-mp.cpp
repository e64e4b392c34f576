// fimcheck's MPFR and MPFI scalars (numeric/mp.hpp): every operation's result contains (MpIval) or
// is the correctly rounded (MpReal) exact value, checked in exact rationals; precision travels with
// the values and the working precision is per thread; Boost's two traps (t-boost_traps.cpp) cannot
// happen here: x = x keeps x, and an MPFR number converts to its exact point.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <thread>

#include "numeric/mp.hpp"

namespace {

using fim::num::MpIval;
using fim::num::MpReal;
using fim::num::Rational;
using fim::num::ScopedPrecision;

Rational exact(const MpReal& x) {
  Rational q;
  mpfr_get_q(q.backend().data(), x.data());
  return q;
}
bool contains(const MpIval& x, const Rational& v) { return exact(lower(x)) <= v && v <= exact(upper(x)); }
bool is_point(const MpIval& x, const Rational& v) { return exact(lower(x)) == v && exact(upper(x)) == v; }
Rational pow2(int k) {
  Rational r = 1;
  for (int i = 0; i < k; ++i) r *= 2;
  return r;
}
// |r - v| <= |v| 2^-(p-1): r is within an ulp of v at precision p (round to nearest gives half that).
bool rounds(const MpReal& r, const Rational& v) { return abs(exact(r) - v) <= abs(v) / pow2(r.precision() - 1); }

// Random doubles over many binades, both signs, some integers.
double draw(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> m(0.5, 1.0);
  std::uniform_int_distribution<int> e(-60, 60), s(0, 1), kind(0, 5);
  if (kind(rng) == 0) return static_cast<double>(static_cast<int>(rng() % 2001) - 1000);
  return (s(rng) ? -1 : 1) * std::ldexp(m(rng), e(rng));
}

}  // namespace

TEST_CASE("interval arithmetic contains the exact result and is no wider than two roundings") {
  std::mt19937_64 rng(7);
  for (int bits : {68, 114, 257, 1025}) {
    ScopedPrecision p(bits);
    for (int t = 0; t < 2000; ++t) {
      const double a = draw(rng), b = draw(rng);
      const Rational qa = fim::num::to_rational(a), qb = fim::num::to_rational(b);
      const MpIval x(a), y(b);
      CHECK(is_point(x, qa));
      CHECK(contains(x + y, qa + qb));
      CHECK(contains(x - y, qa - qb));
      CHECK(contains(x * y, qa * qb));
      if (b != 0) CHECK(contains(x / y, qa / qb));
      CHECK(contains(x + b, qa + qb));
      CHECK(contains(a - y, qa - qb));
      CHECK(contains(x * 3, qa * 3));
      CHECK(contains(abs(x), abs(qa)));
      // success comes: at >= 68 bits a sum or product of two doubles is exact or one ulp wide
      const MpIval s = x * y;
      CHECK(exact(upper(s)) - exact(lower(s)) <= abs(qa * qb) / pow2(s.precision() - 2));
    }
  }
}

TEST_CASE("MpReal operations are rounded to nearest at the operands' precision") {
  std::mt19937_64 rng(8);
  ScopedPrecision p(114);
  for (int t = 0; t < 2000; ++t) {
    const double a = draw(rng), b = draw(rng);
    const Rational qa = fim::num::to_rational(a), qb = fim::num::to_rational(b);
    const MpReal x(a), y(b);
    CHECK(rounds(x + y, qa + qb));
    CHECK(rounds(x * y, qa * qb));
    if (b != 0) CHECK(rounds(x / y, qa / qb));
    CHECK(rounds(x - 2.5, qa - Rational(5, 2)));
    CHECK((x < y) == (qa < qb));
    CHECK((x <= b) == (qa <= qb));
    CHECK((x == a));
  }
  // the false variant this check exists for: a point "interval" from a rounded quotient misses 1/3
  const MpReal third = MpReal(1.0) / MpReal(3.0);
  CHECK_FALSE(contains(fim::num::to_mp(third), Rational(1, 3)));
  CHECK(contains(MpIval(1.0) / MpIval(3.0), Rational(1, 3)));
}

TEST_CASE("precision travels with the values") {
  CHECK(fim::num::working_bits() == 68);  // the precision new values had before any scope
  CHECK(fim::num::rung_bits(53) == 55);
  CHECK(fim::num::rung_bits(100) == 101);
  CHECK(fim::num::rung_bits(113) == 114);
  CHECK(fim::num::rung_bits(256) == 257);
  CHECK(fim::num::rung_bits(1024) == 1025);
  CHECK(fim::num::rung_bits(4096) == 4098);
  MpIval wide;
  MpReal wide_r;
  {
    ScopedPrecision p(1024);
    CHECK(fim::num::working_bits() == 1025);
    wide = sqrt(MpIval(2.0));
    wide_r = sqrt(MpReal(2.0));
  }
  CHECK(fim::num::working_bits() == 68);
  CHECK(wide.precision() == 1025);  // kept after the scope ended
  CHECK((wide + 1.0).precision() == 1025);
  CHECK((wide * MpIval(3.0)).precision() == 1025);  // the larger operand precision
  CHECK((MpIval(3.0) - wide).precision() == 1025);
  CHECK((wide_r / 7).precision() == 1025);
  CHECK(lower(wide).precision() == 1025);
  MpIval narrow(1.0);
  CHECK(narrow.precision() == 68);
  narrow = wide;  // assignment takes the source's precision, as before
  CHECK(narrow.precision() == 1025);
  CHECK(exact(upper(wide)) - exact(lower(wide)) <= Rational(1) / pow2(1000));  // sqrt 2 at 1025 bits
}

TEST_CASE("two threads work at two precisions at once") {
  auto work = [](int bits, int& seen, bool& ok) {
    ScopedPrecision p(bits);
    ok = true;
    for (int k = 0; k < 300; ++k) {
      MpIval s = 0.0;
      for (int i = 1; i <= 20; ++i) s = s + sqrt(MpIval(static_cast<double>(i)));
      seen = s.precision();
      ok = ok && s.precision() == fim::num::rung_bits(bits) && fim::num::working_bits() == fim::num::rung_bits(bits);
    }
    mpfr_free_cache2(MPFR_FREE_LOCAL_CACHE);
  };
  int seen_a = 0, seen_b = 0;
  bool ok_a = false, ok_b = false;
  std::thread a(work, 113, std::ref(seen_a), std::ref(ok_a)), b(work, 4096, std::ref(seen_b), std::ref(ok_b));
  a.join();
  b.join();
  CHECK(ok_a);
  CHECK(ok_b);
  CHECK(seen_a == 114);
  CHECK(seen_b == 4098);
  CHECK(fim::num::working_bits() == 68);  // this thread untouched
}

TEST_CASE("Boost's traps cannot happen with fimcheck's types") {
  for (int bits : {68, 114, 257, 1025, 4098}) {
    ScopedPrecision p(bits);
    MpIval x(0.1);
    const Rational v = fim::num::to_rational(0.1);
    x = *&x;  // self-assignment: Boost 1.74 leaves NaN here
    CHECK(is_point(x, v));
    MpReal r(0.1);
    r = *&r;
    CHECK(exact(r) == v);
    // MPFR -> MPFI: Boost 1.74 gives NaN for short mantissas in [2^61, 2^62)
    for (double d : {std::ldexp(1.0, 61), 1.5 * std::ldexp(1.0, 61), -std::ldexp(1.0, 61), std::ldexp(1.0, 62)}) {
      const MpReal m(d);
      CHECK(is_point(MpIval(m), fim::num::to_rational(d)));
      CHECK(is_point(fim::num::to_mp(m), fim::num::to_rational(d)));
    }
  }
}
