// report/rounded.hpp: short figures rounded outward, checked exactly in rationals. A lower end
// printed from an enclosure is never above it and an upper end never below it; round-to-nearest
// printing (the false variant, "%.3g") is caught printing 126.7 as "127".
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include <boost/multiprecision/gmp.hpp>

#include "report/rounded.hpp"
#include "support/printed_checks.hpp"

namespace {

using fim::test::Q;

using fim::test::exact_decimal;
Q exact(const std::string& s) { return exact_decimal(s); }
Q exact(double x) { return Q(x); }  // a binary64 value is an exact rational

std::string nearest(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", x);
  return buf;
}

}  // namespace

TEST_CASE("the issue's example: 126.7 as a lower end prints 126, as an upper end 127") {
  CHECK(fim::report::round_down(126.7) == "126");
  CHECK(fim::report::round_up(126.7) == "127");
  CHECK(fim::report::rounded({126.7, 126.9}) == "[126, 127]");
  CHECK(fim::report::round_down(0.9995) == "0.999");
  CHECK(fim::report::round_up(0.9995) == "1");
  CHECK(fim::report::round_down(-126.7) == "-127");  // toward -inf, also for negatives
  CHECK(fim::report::round_down(2.0) == "2");         // exact values print exactly, both ways
  CHECK(fim::report::round_up(2.0) == "2");
  CHECK(fim::report::round_up(INFINITY) == "inf");
  CHECK(fim::report::round_down(0.1) == "0.1");  // the binary64 0.1 lies just above 1/10 ...
  CHECK(fim::report::round_up(0.1) == "0.101");  // ... so its upper end is the next 3-digit decimal
}

TEST_CASE("outward for every value: down <= x <= up exactly, within one unit of the last digit") {
  std::mt19937_64 gen(7);
  std::uniform_real_distribution<double> mant(-10, 10);
  std::uniform_int_distribution<int> ex(-300, 300);
  for (int i = 0; i < 20000; ++i) {
    const double x = std::ldexp(mant(gen), ex(gen));
    const Q v = exact(x), lo = exact(fim::report::round_down(x)), hi = exact(fim::report::round_up(x));
    REQUIRE(lo <= v);
    REQUIRE(v <= hi);
    REQUIRE(hi - lo <= abs(v) / 49);  // 3 significant digits: a step of at most 1/100 of the leading digit
  }
}

TEST_CASE("the false variant, round to nearest, is caught printing a lower end above the value") {
  const double x = 126.7;
  CHECK(exact(nearest(x)) > exact(x));                         // "127" > 126.7: not a lower bound
  CHECK(exact(fim::report::round_down(x)) <= exact(x));        // and the helper's is
  int caught = 0;
  std::mt19937_64 gen(11);
  std::uniform_real_distribution<double> u(1, 1000);
  for (int i = 0; i < 1000; ++i) {
    const double y = u(gen);
    caught += exact(nearest(y)) > exact(y);
  }
  CHECK(caught > 100);  // round to nearest overshoots about half the time
}
