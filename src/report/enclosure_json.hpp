// JSON forms of enclosures: {"lo": S, "hi": S} with outward-rounded decimal strings (S9).
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "numeric/interval.hpp"

namespace fim::report {

nlohmann::json to_json(const num::Ival& x);
nlohmann::json to_json(const std::optional<num::Ival>& x);  // null when absent
/// "[lo, hi]" with outward-rounded decimals, for people.
std::string to_text(const num::Ival& x);

}  // namespace fim::report
