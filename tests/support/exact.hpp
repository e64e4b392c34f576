// Test helpers in exact rational arithmetic.
#pragma once
#include <cstdlib>
#include <string>

#include "numeric/interval.hpp"
#include "numeric/mp.hpp"

namespace fim::test {

/// The exact rational value of a decimal string such as "-3.25e-02" or "7".
inline num::Rational parse_decimal(std::string s) {
  int exp10 = 0;
  if (const auto e = s.find_first_of("eE"); e != std::string::npos) {
    exp10 = std::stoi(s.substr(e + 1));
    s.erase(e);
  }
  if (const auto dot = s.find('.'); dot != std::string::npos) {
    exp10 -= static_cast<int>(s.size() - dot - 1);
    s.erase(dot, 1);
  }
  if (!s.empty() && s[0] == '+') s.erase(0, 1);
  num::Rational r{num::bmp::mpz_int(s)};
  const num::Rational ten{num::bmp::pow(num::bmp::mpz_int(10), static_cast<unsigned>(std::abs(exp10)))};
  return exp10 >= 0 ? num::Rational(r * ten) : num::Rational(r / ten);
}

/// True when the binary64 interval x contains the exact value v.
inline bool encloses(const num::Ival& x, const num::Rational& v) {
  return num::to_rational(x.lo) <= v && v <= num::to_rational(x.hi);
}

}  // namespace fim::test
