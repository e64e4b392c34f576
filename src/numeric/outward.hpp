// Decimal strings that keep enclosures valid when read back as exact decimals (Lemma 11).
#pragma once
#include <string>

namespace fim::num {

/// 17 significant digits, e.g. "3.9871234567890123e+00", whose exact value is <= x ("-inf" for -inf).
std::string decimal_down(double x);
/// 17 significant digits whose exact value is >= x ("inf" for +inf).
std::string decimal_up(double x);

}  // namespace fim::num
