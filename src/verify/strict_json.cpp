#include "verify/strict_json.hpp"

#include <set>
#include <vector>

#include "verify/number.hpp"

namespace fim::verify {
namespace {

constexpr int kMaxDepth = 16;
// At each object's end the callback parser scans its parent for discarded values, so k objects in
// one array cost k^2 / 2 steps: a cap on objects bounds that (the checker writes at most ~5000).
constexpr std::size_t kMaxObjects = 20000;
constexpr std::size_t kMaxRows = 200;

// "string", "number", ...: the JSON type, for messages.
std::string json_type(const Json& j) { return j.type_name(); }

}  // namespace

Json parse_strict(const std::string& text) {
  std::vector<std::set<std::string>> keys;  // the keys seen in each open object
  std::size_t objects = 0;
  const Json::parser_callback_t cb = [&](int depth, Json::parse_event_t event, Json& parsed) {
    if (depth > kMaxDepth) throw Refused("JSON nested deeper than " + std::to_string(kMaxDepth));
    if (event == Json::parse_event_t::object_start && ++objects > kMaxObjects)
      throw Refused("more than " + std::to_string(kMaxObjects) + " JSON objects");
    if (event == Json::parse_event_t::object_start) keys.emplace_back();
    else if (event == Json::parse_event_t::object_end && !keys.empty()) keys.pop_back();
    else if (event == Json::parse_event_t::key && !keys.empty() &&
             !keys.back().insert(parsed.get<std::string>()).second)
      throw Refused("duplicate key \"" + parsed.get<std::string>() + "\"");
    return true;
  };
  try {
    return Json::parse(text, cb);
  } catch (const Json::exception& e) {
    throw Refused(std::string("not valid JSON: ") + e.what());
  }
}

void expect_keys(const Json& j, const std::string& what, std::initializer_list<const char*> required,
                 std::initializer_list<const char*> optional) {
  if (!j.is_object()) throw Refused(what + " must be a JSON object, not " + json_type(j));
  for (const char* k : required)
    if (!j.contains(k)) throw Refused(what + " lacks the field \"" + k + "\"");
  for (const auto& [k, v] : j.items()) {
    bool known = false;
    for (const char* r : required) known = known || k == r;
    for (const char* o : optional) known = known || k == o;
    if (!known) throw Refused(what + " has an unexpected field \"" + k + "\"");
  }
}

std::string text_of(const Json& j, const std::string& what) {
  if (!j.is_string()) throw Refused(what + " must be a string, not " + json_type(j));
  return j.get<std::string>();
}

mpq_class number_of(const Json& j, const std::string& what) {
  if (!j.is_string()) throw Refused(what + " must be a number written as a string (exact decimal, p/q or hex float), not a JSON " + json_type(j));
  try {
    return read_number(j.get<std::string>());
  } catch (const Refused& e) {
    throw Refused(what + ": " + e.reason);
  }
}

int integer_of(const Json& j, const std::string& what, int lo, int hi) {
  if (!j.is_number_integer()) throw Refused(what + " must be a JSON integer");
  const auto v = j.get<long long>();
  if (v < lo || v > hi) throw Refused(what + " = " + std::to_string(v) + " is out of range " + std::to_string(lo) + ".." + std::to_string(hi));
  return static_cast<int>(v);
}

Matrix matrix_of(const Json& j, const std::string& what, bool square, bool symmetric) {
  if (!j.is_array() || j.empty() || j.size() > kMaxRows) throw Refused("matrix " + what + " must be an array of 1 to 200 rows");
  const std::size_t rows = j.size();
  const std::size_t cols = j[0].is_array() ? j[0].size() : 0;
  if (cols == 0 || cols > kMaxRows || (square && cols != rows)) throw Refused("matrix " + what + " has the wrong shape");
  Matrix m(rows, std::vector<mpq_class>(cols));
  for (std::size_t r = 0; r < rows; ++r) {
    if (!j[r].is_array() || j[r].size() != cols) throw Refused("matrix " + what + " has ragged rows");
    for (std::size_t c = 0; c < cols; ++c)
      m[r][c] = number_of(j[r][c], what + " entry (" + std::to_string(r + 1) + ", " + std::to_string(c + 1) + ")");
  }
  if (square && symmetric)
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t c = 0; c < r; ++c)
        if (m[r][c] != m[c][r]) throw Refused("matrix " + what + " is not symmetric");
  return m;
}

}  // namespace fim::verify
