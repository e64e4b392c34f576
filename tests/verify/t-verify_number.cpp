// The verifier's number reader (src/verify/number.hpp, proofs/verify.md section 2) on its own:
// decimals, p/q and hex floats read to their exact values (random round trips against GMP), and
// the refusals; show_down / show_up bracket the exact value. The false variant, reading through
// strtod, is caught rounding 0.1 and 1e-400.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "verify/number.hpp"

using fim::verify::read_number;
using fim::verify::Refused;

namespace {

mpz_class pow10(unsigned long e) {
  mpz_class p;
  mpz_ui_pow_ui(p.get_mpz_t(), 10, e);
  return p;
}

// m * 10^e exactly.
mpq_class scaled(const mpz_class& m, long e) {
  mpq_class x = e >= 0 ? mpq_class(m * pow10(static_cast<unsigned long>(e)))
                       : mpq_class(m, pow10(static_cast<unsigned long>(-e)));
  x.canonicalize();
  return x;
}

}  // namespace

TEST_CASE("decimals m.f e k read as their exact rational value") {
  std::mt19937_64 rng(21);
  std::uniform_int_distribution<long> mant(-999999999, 999999999);
  std::uniform_int_distribution<int> frac_digits(0, 6), ex(-350, 350);
  for (int i = 0; i < 2000; ++i) {
    const long m = mant(rng);
    const int f = frac_digits(rng), e = ex(rng);
    std::string digits = std::to_string(std::labs(m));
    while (static_cast<int>(digits.size()) <= f) digits = "0" + digits;  // "0.00123", not ".00123"
    std::string text = (m < 0 ? "-" : "") + digits;
    if (f > 0) text.insert(text.size() - static_cast<std::size_t>(f), ".");
    if (i % 2) text += "e" + std::to_string(e);
    CAPTURE(text);
    REQUIRE(read_number(text) == scaled(mpz_class(m), (i % 2 ? e : 0) - f));
  }
}

TEST_CASE("p/q reads as the fraction in lowest terms; hex floats as the binary64 value, exactly") {
  std::mt19937_64 rng(22);
  std::uniform_int_distribution<long> p(-100000, 100000), q(1, 100000);
  for (int i = 0; i < 1000; ++i) {
    const long a = p(rng), b = q(rng);
    mpq_class expect(a, b);
    expect.canonicalize();
    REQUIRE(read_number(std::to_string(a) + "/" + std::to_string(b)) == expect);
  }
  std::uniform_real_distribution<double> u(-2, 2);
  std::uniform_int_distribution<int> ex(-1074, 1023);
  for (int i = 0; i < 1000; ++i) {
    const double x = std::ldexp(u(rng), ex(rng));
    char buf[64];
    std::snprintf(buf, sizeof buf, "%a", x);
    CAPTURE(buf);
    REQUIRE(read_number(buf) == mpq_class(x));  // mpq_class(double) is exact
  }
  CHECK(read_number("0x1p-1074") == mpq_class(mpz_class(1), mpz_class(1) << 1074));
}

TEST_CASE("refusals: signs, spaces, empty parts, non-numbers, oversized exponents") {
  int refused = 0;
  for (const char* bad : {"", "-", "1/0", "0/0", "1/-2", "+1", "1.", ".5", "1e", "1e+", "0x1.p", "0xg", "1 /2",
                          "1/ 2", "1_000", "1,5", "Infinity", "NaN", "1e1000000", "0x1p1000000", "--1", "1/2e3"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(read_number(bad), Refused);
    ++refused;
  }
  CHECK(refused == 22);
  CHECK_NOTHROW(read_number("1e300"));
  CHECK_NOTHROW(read_number("-0"));
}

TEST_CASE("show_down <= x <= show_up, read back exactly") {
  std::mt19937_64 rng(23);
  std::uniform_int_distribution<long> p(-1000000007, 1000000007), q(1, 1000000007);
  for (int i = 0; i < 500; ++i) {
    mpq_class x(p(rng), q(rng));
    x.canonicalize();
    const std::string lo = fim::verify::show_down(x), hi = fim::verify::show_up(x);
    CAPTURE(lo);
    CAPTURE(hi);
    CHECK(read_number(lo) <= x);
    CHECK(x <= read_number(hi));
  }
}

TEST_CASE("the false variant, strtod, is caught: 0.1 and 1e-400 are not their binary64 values") {
  const auto via_strtod = [](const char* s) { return mpq_class(std::strtod(s, nullptr)); };
  CHECK(via_strtod("0.1") != mpq_class(1, 10));
  CHECK(read_number("0.1") == mpq_class(1, 10));
  CHECK(via_strtod("1e-400") == 0);  // flushed
  CHECK(read_number("1e-400") > 0);
}
