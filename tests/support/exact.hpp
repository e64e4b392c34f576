// Test helpers in exact rational arithmetic.
#pragma once
#include <string>

#include "numeric/exact.hpp"
#include "numeric/interval.hpp"
#include "numeric/mp.hpp"

namespace fim::test {

/// The exact rational value of a decimal string such as "-3.25e-02" or "7".
inline num::Rational parse_decimal(const std::string& s) { return num::parse_rational(s); }

/// True when the binary64 interval x contains the exact value v.
inline bool encloses(const num::Ival& x, const num::Rational& v) {
  return num::to_rational(x.lo) <= v && v <= num::to_rational(x.hi);
}

}  // namespace fim::test
