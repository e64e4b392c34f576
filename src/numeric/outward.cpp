#include "numeric/outward.hpp"

#include <cmath>
#include <cstdio>

#include <mpfr.h>

namespace fim::num {
namespace {

std::string decimal(double x, mpfr_rnd_t mode) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  if (std::isnan(x)) return "nan";
  if (x == 0) x = 0.0;  // -0 and +0 are the same number: print it without a sign
  mpfr_t m;
  mpfr_init2(m, 53);
  mpfr_set_d(m, x, MPFR_RNDN);  // exact
  char buf[64];
  mpfr_snprintf(buf, sizeof buf, mode == MPFR_RNDD ? "%.16RDe" : "%.16RUe", m);
  mpfr_clear(m);
  return buf;
}

}  // namespace

std::string decimal_down(double x) { return decimal(x, MPFR_RNDD); }
std::string decimal_up(double x) { return decimal(x, MPFR_RNDU); }

}  // namespace fim::num
