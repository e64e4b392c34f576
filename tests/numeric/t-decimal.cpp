// The one strict number reader: what it accepts (with its exact value) and what it refuses,
// trailing text above all ("1e5.5" was once read as 1e5); binary64 roundings checked exactly.
#include <doctest/doctest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>

#include "numeric/decimal.hpp"
#include "numeric/exact.hpp"
#include "numeric/fp.hpp"

using fim::num::Rational;
using fim::num::read_exact;
using fim::num::read_integer;

namespace {
Rational q(long long p, long long d = 1) { return Rational(p) / Rational(d); }
Rational exact(double x) { return fim::num::to_rational(fim::num::MpReal(x)); }
}  // namespace

TEST_CASE("read_exact accepts decimals and p/q with their exact values") {
  CHECK(*read_exact("0") == 0);
  CHECK(*read_exact("-0.0") == 0);
  CHECK(*read_exact("1e5") == q(100000));
  CHECK(*read_exact("1E+5") == q(100000));
  CHECK(*read_exact("+2.50") == q(5, 2));
  CHECK(*read_exact(".5") == q(1, 2));
  CHECK(*read_exact("5.") == q(5));
  CHECK(*read_exact("-1.25e-3") == q(-125, 100000));
  CHECK(*read_exact("000.0533") == q(533, 10000));
  CHECK(*read_exact("-17/6") == q(-17, 6));
  CHECK(*read_exact("010/003") == q(10, 3));  // leading zeros are decimal, not octal
  CHECK(*read_exact("1e100000") > 0);
}

TEST_CASE("read_exact refuses trailing text, malformed exponents and zero denominators") {
  for (const char* bad : {"1e5.5", "1e5e5", "1.2.3", "2abc", "1,5", "1 ", " 1", "1e", "1e+", "e5",
                          ".", "-", "+", "", "0x10", "inf", "nan", "1/0", "1/00", "1/-2", "-4/-1",
                          "1/", "/2", "1/2/3", "1.5/2", "1e100001", "1e-100001", "--1", "1_000"})
    CHECK_MESSAGE(!read_exact(bad), bad);
  CHECK_THROWS_AS(fim::num::parse_rational("1e5.5"), std::invalid_argument);
}

TEST_CASE("read_integer: whole decimal integers in range only") {
  CHECK(*read_integer("4", 2, 16) == 4);
  CHECK(*read_integer("+16", 2, 16) == 16);
  CHECK(*read_integer("-3", -5, 5) == -3);
  for (const char* bad : {"4x", "4.0", "1e1", "", "+", "+-3", " 4", "17", "1", "99999999999999999999"})
    CHECK_MESSAGE(!read_integer(bad, 2, 16), bad);
}

TEST_CASE("read_unsigned64: whole unsigned integers below 2^64 only") {
  CHECK(*fim::num::read_unsigned64("18446744073709551615") == UINT64_MAX);
  CHECK(*fim::num::read_unsigned64("0") == 0);
  for (const char* bad : {"18446744073709551616", "-1", "+1", "1x", "1e3", "", " 1"})
    CHECK_MESSAGE(!fim::num::read_unsigned64(bad), bad);
}

TEST_CASE("to_binary64 and enclose_binary64 are the exact roundings, checked in rationals") {
  using fim::num::Round;
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> exp10(-330, 310), ndig(1, 40), digit(0, 9);
  for (int i = 0; i < 2000; ++i) {
    std::string text = (i % 2 ? "-" : "");
    const int n = ndig(rng);
    for (int k = 0; k < n; ++k) text += char('0' + (k == 0 ? 1 + digit(rng) % 9 : digit(rng)));
    text += "e" + std::to_string(exp10(rng));
    const auto d = fim::num::parse_decimal(text);
    REQUIRE(d);
    const Rational x = *read_exact(text);
    const double lo = to_binary64(*d, Round::down), hi = to_binary64(*d, Round::up);
    const double near = to_binary64(*d, Round::nearest);
    CHECK_MESSAGE(near == std::strtod(text.c_str(), nullptr), text);  // glibc rounds correctly
    if (std::isinf(lo) || std::isinf(hi)) {
      CHECK(!fim::num::enclose_binary64(*d));
      continue;
    }
    CHECK_MESSAGE((exact(lo) <= x && x <= exact(hi)), text);
    CHECK_MESSAGE((lo == hi || fim::num::next_up(lo) == hi), text);  // tightest
  }
}
