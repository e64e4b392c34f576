#include "numeric/exact.hpp"

#include <stdexcept>

#include <mpfr.h>

#include "numeric/decimal.hpp"

namespace fim::num {

Rational to_rational(const MpReal& x) {
  Rational r;
  mpfr_get_q(r.backend().data(), x.data());
  return r;
}

std::string rational_text(const Rational& x) { return x.str(); }

Rational parse_rational(const std::string& text) {
  if (const std::optional<Rational> r = read_exact(text)) return *r;
  throw std::invalid_argument("not an exact number: '" + text + "'");
}

Ival ival_of(const Rational& lo, const Rational& hi) {
  mpfr_t t;
  mpfr_init2(t, 53);
  mpfr_set_q(t, lo.backend().data(), MPFR_RNDD);
  const double l = mpfr_get_d(t, MPFR_RNDD);  // beyond DBL_MAX: DBL_MAX below, +inf above
  mpfr_set_q(t, hi.backend().data(), MPFR_RNDU);
  const double h = mpfr_get_d(t, MPFR_RNDU);
  mpfr_clear(t);
  return Ival(l, h);
}

MpIval mp_of(const Rational& lo, const Rational& hi) {
  MpReal l, h;
  mpfr_set_q(l.data(), lo.backend().data(), MPFR_RNDD);
  mpfr_set_q(h.data(), hi.backend().data(), MPFR_RNDU);
  return to_mp(l, h);
}

}  // namespace fim::num
