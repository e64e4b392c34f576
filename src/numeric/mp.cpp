#include "numeric/mp.hpp"

#include <mpfi.h>
#include <mpfr.h>

#include <cmath>
#include <stdexcept>

namespace fim::num {

namespace {
unsigned digits10_for_bits(int bits) {
  unsigned d = 1;
  while (static_cast<int>(bmp::detail::digits10_2_2(d)) < bits) ++d;
  return d;
}
}  // namespace

ScopedPrecision::ScopedPrecision(int bits)
    : old_real_(MpReal::default_precision()), old_ival_(MpIval::default_precision()) {
  const unsigned d10 = digits10_for_bits(bits);
  MpReal::default_precision(d10);
  MpIval::default_precision(d10);
  bits_ = static_cast<int>(bmp::detail::digits10_2_2(d10));
}

ScopedPrecision::~ScopedPrecision() {
  MpReal::default_precision(old_real_);
  MpIval::default_precision(old_ival_);
}

Ival to_ival(const MpIval& x) {
  mpfr_t t;
  mpfr_init2(t, mpfi_get_prec(x.backend().data()));
  mpfi_get_left(t, x.backend().data());
  const double lo = mpfr_get_d(t, MPFR_RNDD);
  mpfi_get_right(t, x.backend().data());
  const double hi = mpfr_get_d(t, MPFR_RNDU);
  mpfr_clear(t);
  return Ival(lo, hi);
}

MpIval to_mp(const Ival& x) {
  MpIval r;
  mpfi_interv_d(r.backend().data(), x.lo, x.hi);
  return r;
}

MpIval to_mp(const MpReal& x) {
  MpIval r;
  mpfi_set_fr(r.backend().data(), x.backend().data());
  return r;
}

MpIval to_mp(const MpReal& lo, const MpReal& hi) {
  MpIval r;
  mpfi_interv_fr(r.backend().data(), lo.backend().data(), hi.backend().data());
  return r;
}

Rational to_rational(double x) {
  if (!std::isfinite(x)) throw std::invalid_argument("to_rational: non-finite value");
  Rational r;
  mpq_set_d(r.backend().data(), x);  // exact for finite binary64
  return r;
}

}  // namespace fim::num
