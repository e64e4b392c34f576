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

/// The binary64 interval [lo rounded down, hi rounded up] of rationals lo <= hi (an end is
/// infinite beyond the binary64 range).
Ival ival_of(const Rational& lo, const Rational& hi);
inline Ival ival_of(const Rational& x) { return ival_of(x, x); }
/// The MPFI interval enclosing [lo, hi] at the working precision (num::ScopedPrecision).
MpIval mp_of(const Rational& lo, const Rational& hi);
inline MpIval mp_of(const Rational& x) { return mp_of(x, x); }

/// "p/q" (or "p") in lowest terms.
std::string rational_text(const Rational& x);
/// Reads "p/q", "p", or a decimal such as "-1.25e-3" exactly (num::read_exact, the one strict
/// reader); throws std::invalid_argument on anything else, trailing text included.
Rational parse_rational(const std::string& text);

}  // namespace fim::num
