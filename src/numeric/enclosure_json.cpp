#include "numeric/enclosure_json.hpp"

#include <algorithm>

#include "numeric/decimal.hpp"
#include "numeric/exact.hpp"
#include "numeric/outward.hpp"

namespace fim::num {

nlohmann::json to_json(const num::Ival& x) {
  const auto [lo, hi] = num::decimal_enclosure(x.lo, x.hi);  // as many digits as the width needs
  return {{"lo", lo}, {"hi", hi}};
}

bool printed_within(const nlohmann::json& j, double rel_width) {
  const auto lo = num::read_exact(j.at("lo").get<std::string>());
  const auto hi = num::read_exact(j.at("hi").get<std::string>());
  if (!lo || !hi) return false;  // an infinite end
  const num::Rational mag = std::max(abs(*lo), abs(*hi));
  return *hi - *lo <= num::to_rational(num::MpReal(rel_width)) * mag;
}

nlohmann::json to_json(const std::optional<num::Ival>& x) {
  return x ? to_json(*x) : nlohmann::json(nullptr);
}

std::string to_text(const num::Ival& x) {
  return "[" + num::decimal_down(x.lo) + ", " + num::decimal_up(x.hi) + "]";
}

}  // namespace fim::num
