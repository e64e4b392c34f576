// Exact rational values of interval end points, for certificates (re-checked in rationals).
#pragma once
#include <string>

#include "numeric/mp.hpp"

namespace fim::num {

/// The exact rational value of a finite MPFR number.
Rational to_rational(const MpReal& x);
/// End points of an enclosure as exact rationals (binary64 or MPFI).
inline Rational lower_rational(const Ival& x) { return to_rational(x.lo); }
inline Rational upper_rational(const Ival& x) { return to_rational(x.hi); }
inline Rational lower_rational(const MpIval& x) { return to_rational(MpReal(lower(x))); }
inline Rational upper_rational(const MpIval& x) { return to_rational(MpReal(upper(x))); }

/// "p/q" (or "p") in lowest terms.
std::string rational_text(const Rational& x);
/// Reads "p/q", "p", or a decimal such as "-1.25e-3" exactly (num::read_exact, the one strict
/// reader); throws std::invalid_argument on anything else, trailing text included.
Rational parse_rational(const std::string& text);

}  // namespace fim::num
