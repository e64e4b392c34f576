#include "report/rounded.hpp"

#include <cmath>

#include <mpfr.h>

namespace fim::report {
namespace {

// MPFR prints the exact binary64 value rounded in the given direction (its %R conversions are
// correctly rounded), so no decimal step can move the figure past x.
std::string directed(double x, int digits, mpfr_rnd_t mode) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  if (x == 0) return "0";
  mpfr_t m;
  mpfr_init2(m, 53);
  mpfr_set_d(m, x, MPFR_RNDN);  // exact
  char buf[64];
  mpfr_snprintf(buf, sizeof buf, mode == MPFR_RNDD ? "%.*RDg" : "%.*RUg", digits, m);
  mpfr_clear(m);
  return buf;
}

}  // namespace

std::string round_down(double x, int digits) { return directed(x, digits, MPFR_RNDD); }
std::string round_up(double x, int digits) { return directed(x, digits, MPFR_RNDU); }
std::string rounded(const num::Ival& x, int digits) { return "[" + round_down(x.lo, digits) + ", " + round_up(x.hi, digits) + "]"; }

}  // namespace fim::report
