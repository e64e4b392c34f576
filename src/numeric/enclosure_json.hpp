// JSON forms of enclosures: {"lo": S, "hi": S} with outward-rounded decimal strings (S9).
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "numeric/interval.hpp"

namespace fim::num {

/// {"lo", "hi"} printed outward with as many digits as the width needs (num::decimal_enclosure).
nlohmann::json to_json(const num::Ival& x);
/// Whether the printed interval {"lo", "hi"}, read as exact decimals, has hi - lo <= rel_width *
/// max(|lo|, |hi|): what a reader of the JSON can check for itself.
bool printed_within(const nlohmann::json& j, double rel_width);
nlohmann::json to_json(const std::optional<num::Ival>& x);  // null when absent
/// "[lo, hi]" with outward-rounded decimals, for people.
std::string to_text(const num::Ival& x);

}  // namespace fim::num
