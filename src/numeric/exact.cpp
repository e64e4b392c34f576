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

}  // namespace fim::num
