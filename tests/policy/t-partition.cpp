// Claim C7 (partition): known answers for the decision procedure, the predicate semantics, the
// representatives, classification, and every kind of bad policy (with its JSON path).
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "policy/partition.hpp"
#include "policy/policy.hpp"
#include "io/matrix_io.hpp"
#include "numeric/exact.hpp"

using namespace fim::policy;
using fim::num::parse_rational;

namespace {

Policy policy(const std::string& text) { return parse_policy(text, "test.json"); }

const char* kExample = R"({"coordinates": {
   "sigma":  {"type": "real", "special": ["nan", "+inf", "-inf", "undefined"]},
   "dsigma": {"type": "real"},
   "bits":   {"type": "discrete", "values": [2, 3, 4, 8, 16]},
   "hyp":    {"type": "bool"}},
 "cells": [
   {"name": "nominal", "when": [["sigma", "<", "1.5"], ["bits", "in", [4, 8, 16]]]},
   {"name": "alarm",   "when": [["sigma", ">=", "1.5"]]},
   {"name": "invalid", "when": [["sigma", "is", "nan"]]}]})";

std::string sigma_policy(const std::string& special, const std::string& cells) {
  return R"({"coordinates": {"sigma": {"type": "real", "special": [)" + special + R"(]}}, "cells": [)" +
         cells + "]}";
}

/// The JSON path (InputError::place) reported for a bad policy; "" when it parses.
std::string error_place(const std::string& text) {
  try {
    policy(text);
  } catch (const fim::io::InputError& e) {
    return e.place;
  }
  return "";
}

Value q(const char* s) { return Value::finite(parse_rational(s)); }

}  // namespace

TEST_CASE("the issue's example policy: two gaps, witnesses as documented, no overlap") {
  const Policy p = policy(kExample);
  const PartitionResult r = decide_partition(p);
  REQUIRE(r.gaps.size() == 2);
  CHECK(r.disjoint());
  // gap 1: finite sigma < 1.5 or -inf, with bits 2 or 3; witness sigma = 0, bits = 2
  CHECK(describe(p, r.space, r.gaps[0].region, 0) == "finite sigma < 1.5 or sigma is -inf");
  CHECK(describe(p, r.space, r.gaps[0].region, 2) == "bits in {2, 3}");
  CHECK(r.gaps[0].witness[0] == q("0"));
  CHECK(r.gaps[0].witness[2] == q("2"));
  // gap 2: sigma undefined, everything else free
  CHECK(r.gaps[1].witness[0] == Value::special(Value::Kind::Undefined));
  CHECK(describe(p, r.space, r.gaps[1].region, 2) == "any");
  for (const Gap& g : r.gaps) {
    CHECK(region_contains(r.space, g.region, g.witness));
    for (const Cell& c : p.cells) CHECK_FALSE(cell_contains(c, g.witness));
  }
}

TEST_CASE("single-point gap: < on both sides of 1.5, witness 1.5 exactly") {
  const Policy p = policy(sigma_policy("", R"({"name": "a", "when": [["sigma", "<", "1.5"]]},
                                             {"name": "b", "when": [["sigma", ">", "1.5"]]})"));
  const PartitionResult r = decide_partition(p);
  REQUIRE(r.gaps.size() == 1);
  CHECK(r.gaps[0].witness[0] == q("1.5"));
  CHECK(describe(p, r.space, r.gaps[0].region, 0) == "sigma = 1.5");
  CHECK(r.disjoint());
}

TEST_CASE("NaN and undefined not covered; infinities not covered") {
  const PartitionResult nan = decide_partition(policy(sigma_policy(
      R"("nan", "undefined")", R"({"name": "a", "when": [["sigma", "<", "1.5"]]},
                                 {"name": "b", "when": [["sigma", ">=", "1.5"]]})")));
  REQUIRE(nan.gaps.size() == 1);
  CHECK(nan.gaps[0].witness[0] == Value::special(Value::Kind::NaN));
  CHECK(nan.gaps[0].region.atoms[0].size() == 2);  // nan and undefined, nothing finite

  const Policy p = policy(sigma_policy(R"("+inf", "-inf")",
                                       R"({"name": "a", "when": [["sigma", ">", "-1e3"], ["sigma", "<", "1e3"]]},
                                          {"name": "b", "when": [["sigma", "<=", "-1e3"], ["sigma", "is not", "-inf"]]},
                                          {"name": "c", "when": [["sigma", ">=", "1e3"], ["sigma", "is not", "+inf"]]})"));
  const PartitionResult inf = decide_partition(p);
  REQUIRE(inf.gaps.size() == 1);
  CHECK(describe(p, inf.space, inf.gaps[0].region, 0) == "sigma is -inf or sigma is +inf");
  CHECK(inf.disjoint());
}

TEST_CASE("a missing discrete value and an overlap are reported with witnesses") {
  const Policy p = policy(R"({"coordinates": {"sigma": {"type": "real"},
      "bits": {"type": "discrete", "values": [2, 3, 4]}, "hyp": {"type": "bool"}},
    "cells": [{"name": "a", "when": [["sigma", "<=", "1.5"], ["bits", "!=", 2]]},
              {"name": "b", "when": [["sigma", ">=", "1.5"]]},
              {"name": "c", "when": [["sigma", "<", "0"], ["hyp", "==", true], ["bits", "!=", 2]]}]})");
  const PartitionResult r = decide_partition(p);
  REQUIRE(r.gaps.size() == 1);
  CHECK(describe(p, r.space, r.gaps[0].region, 1) == "bits = 2");
  CHECK(describe(p, r.space, r.gaps[0].region, 0) == "sigma < 1.5");
  REQUIRE(r.overlaps.size() == 2);
  CHECK(r.overlaps[0].first == 0);
  CHECK(r.overlaps[0].second == 1);
  CHECK(r.overlaps[0].witness[0] == q("1.5"));
  CHECK(r.overlaps[1].second == 2);
  CHECK(r.overlaps[1].witness[0] == q("-1"));
  CHECK(r.overlaps[1].witness[2] == Value::boolean(true));
}

TEST_CASE("a complete, disjoint policy passes") {
  const PartitionResult r = decide_partition(policy(sigma_policy(
      R"("nan", "+inf", "-inf", "undefined")",
      R"({"name": "low", "when": [["sigma", "<", "1.5"]]},
         {"name": "high", "when": [["sigma", ">=", "1.5"]]},
         {"name": "nan", "when": [["sigma", "is", "nan"]]},
         {"name": "undef", "when": [["sigma", "is", "undefined"]]})")));
  CHECK(r.complete());
  CHECK(r.disjoint());
}

TEST_CASE("predicates follow IEEE 754: NaN and undefined are unordered, != is the negation of ==") {
  Predicate p;
  p.operand = q("1.5");
  const Value nan = Value::special(Value::Kind::NaN), undef = Value::special(Value::Kind::Undefined);
  for (Op op : {Op::Lt, Op::Le, Op::Gt, Op::Ge, Op::Eq}) {
    p.op = op;
    CHECK_FALSE(holds(p, nan));
    CHECK_FALSE(holds(p, undef));
  }
  p.op = Op::Ne;
  CHECK(holds(p, nan));
  CHECK(holds(p, undef));
  p.op = Op::Gt;
  CHECK(holds(p, Value::special(Value::Kind::PosInf)));
  CHECK_FALSE(holds(p, Value::special(Value::Kind::NegInf)));
  CHECK_FALSE(holds(p, q("1.5")));
  p.op = Op::Ge;
  CHECK(holds(p, q("1.5")));
  p.op = Op::Is;
  p.operand = undef;
  CHECK(holds(p, undef));
  CHECK_FALSE(holds(p, nan));
}

TEST_CASE("representatives: the shortest decimal strictly inside, nearest 0") {
  using O = std::optional<fim::num::Rational>;
  const auto r = [](const char* s) { return O(parse_rational(s)); };
  CHECK(shortest_decimal_between(r("1.5"), r("3")) == parse_rational("2"));
  CHECK(shortest_decimal_between(r("0.1"), r("0.2")) == parse_rational("0.11"));
  CHECK(shortest_decimal_between(std::nullopt, r("1.5")) == 0);
  CHECK(shortest_decimal_between(r("1.5"), std::nullopt) == parse_rational("2"));
  CHECK(shortest_decimal_between(r("1e300"), std::nullopt) == parse_rational("2e300"));
  CHECK(shortest_decimal_between(r("-3"), r("-1.5")) == parse_rational("-2"));
  CHECK(shortest_decimal_between(r("1/3"), r("1/2")) == parse_rational("0.4"));
  CHECK(shortest_decimal_between(r("1"), r("1.0000000001")) == parse_rational("1.00000000001"));
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    const fim::num::Rational a(static_cast<long>(rng() % 2001) - 1000, 1 + static_cast<long>(rng() % 97));
    const fim::num::Rational b = a + fim::num::Rational(1 + static_cast<long>(rng() % 50), 1 + static_cast<long>(rng() % 10007));
    const fim::num::Rational m = shortest_decimal_between(a, b);
    CHECK(a < m);
    CHECK(m < b);
  }
}

TEST_CASE("decimal text of rationals") {
  CHECK(decimal_text(parse_rational("1.5")) == "1.5");
  CHECK(decimal_text(parse_rational("-0.001")) == "-0.001");
  CHECK(decimal_text(parse_rational("2e300")) == "2e300");
  CHECK(decimal_text(parse_rational("1/3")) == "1/3");
  CHECK(decimal_text(parse_rational("1200")) == "1200");
  for (const char* s : {"1.25e-9", "-7.5e40", "0.5", "123.456"})
    CHECK(parse_rational(decimal_text(parse_rational(s))) == parse_rational(s));
}

TEST_CASE("classification: one cell, ambiguous across a threshold, uncovered, outside the domain") {
  const Policy p = policy(kExample);
  const std::vector<std::pair<std::size_t, Value>> bits4 = {{2, q("4")}};
  ValueSet inside;
  inside.lo = parse_rational("1");
  inside.hi = parse_rational("1.2");
  Classification k = classify(p, 0, inside, bits4);
  CHECK(k.kind == ClassKind::Cell);
  CHECK(p.cells[k.candidates[0]].name == "nominal");
  // bits free: bits 2 and 3 are in no cell, so the answer is not one cell
  k = classify(p, 0, inside, {});
  CHECK(k.kind == ClassKind::Ambiguous);
  CHECK(k.partly_uncovered);
  ValueSet straddle;
  straddle.lo = parse_rational("1.4");
  straddle.hi = parse_rational("1.5");  // the threshold itself is alarm
  k = classify(p, 0, straddle, bits4);
  CHECK(k.kind == ClassKind::Ambiguous);
  CHECK(k.candidates == std::vector<std::size_t>{0, 1});
  ValueSet at;
  at.point = q("1.5");
  CHECK(classify(p, 0, at, bits4).kind == ClassKind::Cell);
  at.point = Value::special(Value::Kind::Undefined);
  CHECK(classify(p, 0, at, bits4).kind == ClassKind::Uncovered);
  const Policy no_specials = policy(sigma_policy("", R"({"name": "a", "when": []})"));
  CHECK(classify(no_specials, 0, at, {}).kind == ClassKind::OutsideDomain);
}

TEST_CASE("bad policies name the JSON path of the problem") {
  const std::string coords = R"("coordinates": {"sigma": {"type": "real", "special": ["nan"]},
                                 "bits": {"type": "discrete", "values": [2, 4]}, "hyp": {"type": "bool"}})";
  const auto with_when = [&](const std::string& when) {
    return "{" + coords + R"(, "cells": [{"name": "ok", "when": []}, {"name": "x", "when": [)" + when + "]}]}";
  };
  CHECK(error_place(with_when(R"(["sigmaa", "<", "1"])")) == "$.cells[1].when[0][0]");
  CHECK(error_place(with_when(R"(["sigma", "~", "1"])")) == "$.cells[1].when[0][1]");
  CHECK(error_place(with_when(R"(["sigma", "<", "abc"])")) == "$.cells[1].when[0][2]");
  CHECK(error_place(with_when(R"(["sigma", "<", true])")) == "$.cells[1].when[0][2]");
  CHECK(error_place(with_when(R"(["sigma", "<", "1/0"])")) == "$.cells[1].when[0][2]");
  CHECK(error_place(with_when(R"(["bits", "==", 3])")) == "$.cells[1].when[0][2]");
  CHECK(error_place(with_when(R"(["bits", "in", [2, 5]])")) == "$.cells[1].when[0][2][1]");
  CHECK(error_place(with_when(R"(["sigma", "is", "+inf"])")) == "$.cells[1].when[0][2]");
  CHECK(error_place(with_when(R"(["sigma", "in", [1]])")) == "$.cells[1].when[0][1]");
  CHECK(error_place(with_when(R"(["hyp", "==", "true"])")) == "$.cells[1].when[0][2]");
  CHECK(error_place(with_when(R"(["sigma", "<"])")) == "$.cells[1].when[0]");
  CHECK(error_place(with_when(R"(["bits", "<", 3])")) == "");  // an order threshold may lie between values
  CHECK(error_place("{" + coords + R"(, "cells": [{"name": "a", "when": []}, {"name": "a", "when": []}]})") ==
        "$.cells[1].name");
  CHECK(error_place(R"({"coordinates": {"s": {"type": "complex"}}, "cells": []})") == "$.coordinates.s.type");
  CHECK(error_place(R"({"coordinates": {"s": {"type": "real"}, "s": {"type": "real"}}, "cells": []})") ==
        "$.coordinates.s");
  CHECK(error_place(R"({"coordinates": {"s": {"type": "discrete", "values": [1, 1]}}, "cells": []})") ==
        "$.coordinates.s.values[1]");
  CHECK(error_place(R"({"coordinates": {}, "cells": [], "extra": 1})") == "$.extra");
  CHECK(error_place("{\"coordinates\": {},\n \"cells\": [}") == "line 2, column 12");
  CHECK(error_place("") == "line 1, column 1");
}

TEST_CASE("decimal thresholds are exact: 0.1 + 0.2 is not 0.3, and the policy knows it") {
  const Policy p = policy(sigma_policy("", R"({"name": "a", "when": [["sigma", "<", 0.3]]},
                                             {"name": "b", "when": [["sigma", ">=", "0.30000000000000000001"]]})"));
  const PartitionResult r = decide_partition(p);
  REQUIRE(r.gaps.size() == 1);
  CHECK(r.gaps[0].witness[0] == q("0.3"));  // 0.3 read exactly, not as the nearest binary64
}
