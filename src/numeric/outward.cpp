#include "numeric/outward.hpp"

#include <cmath>
#include <cstdio>

#include <mpfr.h>

#include <algorithm>
#include <vector>

#include "numeric/decimal.hpp"
#include "numeric/exact.hpp"

namespace fim::num {
namespace {

// x with `digits` significant digits, rounded in direction mode (Lemma 11).
std::string decimal(double x, mpfr_rnd_t mode, int digits = 17) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  if (std::isnan(x)) return "nan";
  if (x == 0) x = 0.0;  // -0 and +0 are the same number: print it without a sign
  mpfr_t m;
  mpfr_init2(m, 53);
  mpfr_set_d(m, x, MPFR_RNDN);  // exact
  std::vector<char> buf(std::size_t(digits) + 32);
  mpfr_snprintf(buf.data(), buf.size(), mode == MPFR_RNDD ? "%.*RDe" : "%.*RUe", digits - 1, m);
  mpfr_clear(m);
  return buf.data();
}

// The exact value of a decimal this file wrote.
Rational value_of(const std::string& s) { return *read_exact(s); }

}  // namespace

std::string decimal_down(double x) { return decimal(x, MPFR_RNDD); }
std::string decimal_up(double x) { return decimal(x, MPFR_RNDU); }

std::pair<std::string, std::string> decimal_enclosure(double lo, double hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {decimal_down(lo), decimal_up(hi)};
  const Rational width = to_rational(MpReal(hi)) - to_rational(MpReal(lo));
  // Every binary64 value is a decimal of at most 767 significant digits: the loop ends with the
  // exact end points at the latest.
  for (int digits = 17;; digits = std::min(800, digits + digits / 2)) {
    std::pair<std::string, std::string> p{decimal(lo, MPFR_RNDD, digits), decimal(hi, MPFR_RNDU, digits)};
    const Rational shown = value_of(p.second) - value_of(p.first);
    if (16 * (shown - width) <= width || digits == 800) return p;
  }
}

}  // namespace fim::num
