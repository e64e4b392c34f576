// Short figures for people, rounded outward: a lower end is printed rounded down and an upper end
// rounded up, so a printed figure never claims more than its enclosure proves (126.7 as a lower
// end prints "126", never "127"). Full outward decimals are in the JSON (enclosure_json.hpp).
#pragma once
#include <string>

#include "numeric/interval.hpp"

namespace fim::report {

/// x with `digits` significant digits (printf %g style), rounded toward -inf: its value is <= x.
std::string round_down(double x, int digits = 3);
/// x with `digits` significant digits, rounded toward +inf: its value is >= x.
std::string round_up(double x, int digits = 3);
/// "[round_down(lo), round_up(hi)]": an enclosure of everything x encloses.
std::string rounded(const num::Ival& x, int digits = 3);

}  // namespace fim::report
