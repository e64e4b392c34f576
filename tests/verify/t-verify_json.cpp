// The verifier's strict JSON reading (src/verify/strict_json.hpp) on its own: duplicate keys at
// any depth, nesting beyond 16, missing and extra fields, JSON numbers where exact string numbers
// are expected, integers out of range, and malformed matrices are refused. The false variant,
// nlohmann's ordinary parse, is shown accepting a duplicate key (the last value silently wins).
#include <doctest/doctest.h>

#include <string>

#include "verify/number.hpp"
#include "verify/strict_json.hpp"

using fim::verify::Json;
using fim::verify::parse_strict;
using fim::verify::Refused;

namespace {
std::string nested(int depth) {
  std::string s;
  for (int i = 0; i < depth; ++i) s += "[";
  s += "1";
  for (int i = 0; i < depth; ++i) s += "]";
  return s;
}
}  // namespace

TEST_CASE("duplicate keys are refused at any depth; the ordinary parser accepts them") {
  for (const char* dup : {R"({"a": 1, "a": 2})", R"({"x": {"k": "1", "k": "1"}})", R"([{"b": 0}, {"c": 1, "c": 1}])",
                          R"({"m": [[{"z": null, "z": null}]]})"}) {
    CAPTURE(dup);
    CHECK_THROWS_AS(parse_strict(dup), Refused);
    CHECK_NOTHROW(Json::parse(dup));  // the false variant: a duplicate goes unnoticed
  }
  CHECK(Json::parse(R"({"a": 1, "a": 2})")["a"] == 2);
  CHECK(parse_strict(R"({"a": 1, "b": {"a": 2}})")["b"]["a"] == 2);  // equal keys in different objects
}

TEST_CASE("invalid JSON and deep nesting are refused; depth 16 is read") {
  for (const char* bad : {"", "{", "[1,]", "{'a': 1}", "nul", "1 2", "{\"a\" 1}"}) CHECK_THROWS_AS(parse_strict(bad), Refused);
  CHECK_NOTHROW(parse_strict(nested(16)));
  CHECK_THROWS_AS(parse_strict(nested(17)), Refused);
  CHECK_THROWS_AS(parse_strict(nested(5000)), Refused);
}

TEST_CASE("fields: required, optional, extra; strings and numbers as strings only") {
  const Json j = parse_strict(R"({"kind": "weyl", "n": 3, "x": "1/3", "y": 0.5, "big": 99})");
  CHECK_NOTHROW(fim::verify::expect_keys(j, "cert", {"kind", "n", "x", "y", "big"}));
  CHECK_NOTHROW(fim::verify::expect_keys(j, "cert", {"kind", "n"}, {"x", "y", "big", "unused"}));
  CHECK_THROWS_AS(fim::verify::expect_keys(j, "cert", {"kind", "n", "x", "y"}), Refused);          // extra "big"
  CHECK_THROWS_AS(fim::verify::expect_keys(j, "cert", {"kind", "n", "x", "y", "big", "z"}), Refused);  // missing
  CHECK_THROWS_AS(fim::verify::expect_keys(Json::array(), "cert", {}), Refused);                   // not an object
  CHECK(fim::verify::text_of(j["kind"], "kind") == "weyl");
  CHECK_THROWS_AS(fim::verify::text_of(j["n"], "n"), Refused);
  CHECK(fim::verify::number_of(j["x"], "x") == mpq_class(1, 3));
  CHECK_THROWS_AS(fim::verify::number_of(j["y"], "y"), Refused);  // 0.5 as a JSON number: refused
  CHECK(fim::verify::integer_of(j["n"], "n", 1, 200) == 3);
  CHECK_THROWS_AS(fim::verify::integer_of(j["big"], "big", 1, 50), Refused);
  CHECK_THROWS_AS(fim::verify::integer_of(j["y"], "y", 0, 1), Refused);
  CHECK_THROWS_AS(fim::verify::integer_of(j["x"], "x", 0, 1), Refused);
}

TEST_CASE("matrices: square, symmetric, 1 to 200 rows, no ragged rows, string numbers only") {
  using fim::verify::matrix_of;
  const auto m = matrix_of(parse_strict(R"([["1", "1/2"], ["0.5", "0x1p-2"]])"), "A", true);
  REQUIRE(m.size() == 2);
  CHECK(m[0][1] == m[1][0]);  // "1/2" and "0.5" are the same number exactly
  CHECK(m[1][1] == mpq_class(1, 4));
  CHECK_THROWS_AS(matrix_of(parse_strict(R"([["1", "2"], ["3", "1"]])"), "A", true), Refused);  // not symmetric
  CHECK_NOTHROW(matrix_of(parse_strict(R"([["1", "2"], ["3", "1"]])"), "A", true, false));
  CHECK_THROWS_AS(matrix_of(parse_strict(R"([["1", "2"], ["2"]])"), "A", false), Refused);   // ragged
  CHECK_THROWS_AS(matrix_of(parse_strict(R"([["1", "2"]])"), "A", true), Refused);           // not square
  CHECK_NOTHROW(matrix_of(parse_strict(R"([["1", "2"]])"), "A", false));
  CHECK_THROWS_AS(matrix_of(parse_strict(R"([])"), "A", false), Refused);                    // empty
  CHECK_THROWS_AS(matrix_of(parse_strict(R"([[1]])"), "A", true), Refused);                  // JSON number
  Json big = Json::array();
  for (int i = 0; i < 201; ++i) big.push_back(Json::array({"0"}));
  CHECK_THROWS_AS(matrix_of(big, "A", false), Refused);
  big.erase(big.begin());
  CHECK(matrix_of(big, "A", false).size() == 200);
}
