// The policy `fimcheck calibrate` writes (proofs/inflation.md, Lemma 4): complete and disjoint as
// decided by the partition checker, the threshold itself nominal, and a variant with the boundary
// left open caught as a gap.
#include <doctest/doctest.h>

#include <string>

#include "numeric/exact.hpp"
#include "policy/calibrated.hpp"
#include "policy/partition.hpp"
#include "policy/policy.hpp"

using namespace fim::policy;
using fim::num::parse_rational;

namespace {

Classification at(const Policy& p, const Value& v) {
  ValueSet s;
  s.point = v;
  return classify(p, 0, s, {});
}

Classification between(const Policy& p, const char* lo, const char* hi) {
  ValueSet s;
  s.lo = parse_rational(lo);
  s.hi = parse_rational(hi);
  return classify(p, 0, s, {});
}

std::string cell_of(const Policy& p, const Classification& k) {
  return k.kind == ClassKind::Cell ? p.cells[k.candidates[0]].name : describe(p, k);
}

}  // namespace

TEST_CASE("the calibrated policy is complete and disjoint, and the threshold is nominal") {
  const std::string text = threshold_policy("sigma", "1.1920168437290702e+00", "test");
  const Policy p = parse_policy(text, "calibrated.json");
  const PartitionResult r = decide_partition(p);
  CHECK(r.complete());
  CHECK(r.disjoint());
  const Rational t = parse_rational("1.1920168437290702");
  CHECK(cell_of(p, at(p, Value::finite(t))) == "nominal");
  CHECK(cell_of(p, at(p, Value::finite(t + Rational(1, 1000000000)))) == "alarm");
  CHECK(cell_of(p, at(p, Value::special(Value::Kind::PosInf))) == "alarm");
  CHECK(cell_of(p, at(p, Value::special(Value::Kind::NegInf))) == "nominal");
  CHECK(cell_of(p, at(p, Value::special(Value::Kind::NaN))) == "invalid");
  CHECK(cell_of(p, at(p, Value::special(Value::Kind::Undefined))) == "no_base");
  CHECK(cell_of(p, between(p, "1", "1.1920168437290702")) == "nominal");   // up to T included
  CHECK(cell_of(p, between(p, "1.19201684372907021", "3")) == "alarm");    // wholly above T
  CHECK(between(p, "1.19", "1.2").kind == ClassKind::Ambiguous);           // straddles T
}

TEST_CASE("false variants: the boundary left open is a gap at T; a missing nan cell is a gap") {
  std::string text = threshold_policy("sigma", "2.5", "test");
  const std::string closed = R"(["sigma","<=","2.5"])";
  const auto pos = text.find(closed);
  REQUIRE(pos != std::string::npos);
  std::string open = text;
  open.replace(pos, closed.size(), R"(["sigma","<","2.5"])");
  const PartitionResult r = decide_partition(parse_policy(open, "open.json"));
  REQUIRE(r.gaps.size() == 1);
  CHECK(r.gaps[0].witness[0] == Value::finite(parse_rational("2.5")));
  std::string no_nan = text;
  const std::string nan_cell = R"(["sigma","is","nan"])";
  no_nan.replace(no_nan.find(nan_cell), nan_cell.size(), R"(["sigma","is","undefined"])");
  const PartitionResult r2 = decide_partition(parse_policy(no_nan, "no_nan.json"));
  CHECK(!r2.complete());
  CHECK(!r2.disjoint());  // two cells for undefined now
}

TEST_CASE("another coordinate name, and a threshold that is not a number is refused") {
  const Policy p = parse_policy(threshold_policy("s", "3", "d"), "s.json");
  CHECK(p.coords.size() == 1);
  CHECK(p.coords[0].name == "s");
  CHECK(decide_partition(p).complete());
  CHECK_THROWS_AS(threshold_policy("sigma", "inf", "d"), std::invalid_argument);
  CHECK_THROWS_AS(threshold_policy("sigma", "1.5x", "d"), std::invalid_argument);
}
