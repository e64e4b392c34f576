#include "numeric/exact.hpp"

#include <algorithm>
#include <stdexcept>

#include <mpfr.h>

namespace fim::num {

Rational to_rational(const MpReal& x) {
  Rational r;
  mpfr_get_q(r.backend().data(), x.backend().data());
  return r;
}

std::string rational_text(const Rational& x) { return x.str(); }

Rational parse_rational(const std::string& text) {
  if (text.find('/') != std::string::npos) {
    Rational r(text);  // throws on malformed text
    return r;
  }
  std::string s = text;
  long exp10 = 0;
  if (const auto e = s.find_first_of("eE"); e != std::string::npos) {
    exp10 = std::stol(s.substr(e + 1));
    s.erase(e);
  }
  if (const auto dot = s.find('.'); dot != std::string::npos) {
    exp10 -= static_cast<long>(s.size() - dot - 1);
    s.erase(dot, 1);
  }
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.erase(0, 1);
  }
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || std::labs(exp10) > 100000)
    throw std::invalid_argument("not an exact number: '" + text + "'");
  s.erase(0, std::min(s.find_first_not_of('0'), s.size() - 1));  // a leading 0 would mean octal
  const Rational mant{negative ? bmp::mpz_int(-bmp::mpz_int(s)) : bmp::mpz_int(s)};
  const Rational ten{bmp::pow(bmp::mpz_int(10), static_cast<unsigned>(std::labs(exp10)))};
  return exp10 >= 0 ? Rational(mant * ten) : Rational(mant / ten);
}

}  // namespace fim::num
