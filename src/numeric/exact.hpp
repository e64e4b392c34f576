// Exact rational values of interval end points, for certificates (re-checked in rationals).
#pragma once
#include <string>

#include "numeric/mp.hpp"

namespace fim::num {

/// The exact rational value of a finite MPFR number.
Rational to_rational(const MpReal& x);
/// "p/q" (or "p") in lowest terms.
std::string rational_text(const Rational& x);
/// Reads "p/q", "p", or a decimal such as "-1.25e-3" exactly; throws std::invalid_argument.
Rational parse_rational(const std::string& text);

}  // namespace fim::num
