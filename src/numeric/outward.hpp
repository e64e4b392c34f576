// Decimal strings that keep enclosures valid when read back as exact decimals (Lemma 11).
#pragma once
#include <string>
#include <utility>

namespace fim::num {

/// 17 significant digits, e.g. "3.9871234567890123e+00", whose exact value is <= x ("-inf" for -inf).
std::string decimal_down(double x);
/// 17 significant digits whose exact value is >= x ("inf" for +inf).
std::string decimal_up(double x);
/// lo rounded down and hi rounded up (Lemma 11) with as many significant digits (17 at least) as
/// it takes for the printed interval to be at most 1/16 wider than [lo, hi] itself: the printed
/// width shows the true width (exactly the end points when lo == hi).
std::pair<std::string, std::string> decimal_enclosure(double lo, double hi);

}  // namespace fim::num
