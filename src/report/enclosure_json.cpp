#include "report/enclosure_json.hpp"

#include "numeric/outward.hpp"

namespace fim::report {

nlohmann::json to_json(const num::Ival& x) {
  return {{"lo", num::decimal_down(x.lo)}, {"hi", num::decimal_up(x.hi)}};
}

nlohmann::json to_json(const std::optional<num::Ival>& x) {
  return x ? to_json(*x) : nlohmann::json(nullptr);
}

std::string to_text(const num::Ival& x) {
  return "[" + num::decimal_down(x.lo) + ", " + num::decimal_up(x.hi) + "]";
}

}  // namespace fim::report
