#include "policy/calibrated.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "numeric/decimal.hpp"

namespace fim::policy {

std::string threshold_policy(const std::string& coordinate, const std::string& threshold,
                                        const std::string& description) {
  if (!num::read_exact(threshold)) throw std::invalid_argument("threshold policy: '" + threshold + "' is not a number");
  using J = nlohmann::ordered_json;
  const auto pred = [&](const char* op, const std::string& operand) { return J::array({coordinate, op, operand}); };
  J coords;
  coords[coordinate] = {{"type", "real"}, {"special", {"nan", "+inf", "-inf", "undefined"}}};
  // <= and > split every ordered value, -inf and +inf included (Definition 2 of proofs/partition.md);
  // nan and undefined satisfy neither, so each gets its own cell (Lemma 4 of proofs/inflation.md).
  const J cells = J::array({J{{"name", "nominal"}, {"when", J::array({pred("<=", threshold)})}},
                            J{{"name", "alarm"}, {"when", J::array({pred(">", threshold)})}},
                            J{{"name", "invalid"}, {"when", J::array({pred("is", "nan")})}},
                            J{{"name", "no_base"}, {"when", J::array({pred("is", "undefined")})}}});
  std::string text = "{\"description\": " + J(description).dump() + ",\n \"coordinates\": " + coords.dump() +
                     ",\n \"cells\": [";
  for (std::size_t i = 0; i < cells.size(); ++i) text += (i ? ",\n   " : "\n   ") + cells[i].dump();
  return text + "]}\n";
}

}  // namespace fim::policy
