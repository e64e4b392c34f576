// Lemmas 1, 2 and 5 of proofs/monotonicity.md: a certified drop (first and largest) only when the
// enclosures prove it, HOLDS only when every neighbour pair is ordered, a certified negative right
// derivative at 0 as a hypothesis failure, the strict and non-strict conclusions per grid point,
// and the right derivative's enclosure against difference quotients of certified lambda_1.
#include <doctest/doctest.h>

#include "audit/monotonicity.hpp"
#include "fim/spec.hpp"

using fim::audit::Fact;
using fim::audit::PathAudit;
using fim::claims::Verdict;
using fim::num::Ival;

PathAudit grid(std::vector<Ival> lambda, std::optional<Ival> derivative = {}) {
  PathAudit p;
  for (std::size_t k = 0; k < lambda.size(); ++k) p.t.push_back(static_cast<double>(k));
  p.lambda = std::move(lambda);
  p.derivative.value = derivative;
  fim::audit::decide_grid(p);
  return p;
}

TEST_CASE("ordered enclosures: monotone on the grid") {
  const auto p = grid({{1, 2}, {2, 3}, {3, 3}, {3, 5}});
  CHECK(p.hypothesis == Verdict::Holds);
  CHECK(!p.witness);
  CHECK(!p.first_drop);
}

TEST_CASE("overlapping neighbours without a certified drop: undecided, not a failure") {
  const auto p = grid({{1, 2}, {1.5, 2.5}, {2.4, 3}});
  CHECK(p.hypothesis == Verdict::Undecided);
  CHECK(!p.witness);
  CHECK(p.overlapping.size() == 2);  // (0, 1) and (1, 2) both overlap
}

TEST_CASE("a drop is a hypothesis failure only when certified; first and largest drops are reported") {
  CHECK(grid({{1, 2}, {1.5, 1.9}}).hypothesis == Verdict::Undecided);  // touching, not certified
  CHECK(grid({{1, 2}, {0.5, 1}}).hypothesis == Verdict::Undecided);    // hi = lo: not strict
  const auto p = grid({{5, 6}, {7, 8}, {4, 4.5}, {1, 2}, {9, 10}});
  REQUIRE(p.hypothesis == Verdict::HypothesisFails);  // a finding about the hypothesis, never VIOLATED
  REQUIRE(p.witness);
  CHECK(p.witness->first == 1);   // lo 7 ...
  CHECK(p.witness->second == 3);  // ... above hi 2: the largest drop, not between neighbours
  REQUIRE(p.first_drop);
  CHECK(p.first_drop->second == 2);  // t = 2 is the first point below an earlier one (lo 5 > hi 4.5)
}

TEST_CASE("a certified negative right derivative at 0 fails the hypothesis even on a monotone grid") {
  CHECK(grid({{1, 2}, {2, 3}}, Ival(-2, -1)).hypothesis == Verdict::HypothesisFails);
  CHECK(grid({{1, 2}, {2, 3}}, Ival(-1, 1)).hypothesis == Verdict::Holds);  // sign undecided: no finding
  CHECK(grid({{1, 2}, {2, 3}}, Ival(0, 1)).hypothesis == Verdict::Holds);   // 0 is not a decrease
  CHECK(grid({{1, 2}, {2, 3}}, Ival(-1, 0)).hypothesis == Verdict::Holds);  // nor may it be: hi = 0
}

TEST_CASE("the conclusion, strict (as in Proposition 3.2) and non-strict, per grid point t > 0") {
  PathAudit p = grid({{1, 1}, {1, 1}, {2, 3}, {0.5, 0.9}, {0.9, 1.1}});
  fim::audit::decide_conclusion(p, Ival(1, 1));
  REQUIRE(p.strict.size() == 4);  // t_0 = 0 is the reference itself
  CHECK(p.strict == std::vector<Fact>{Fact::no, Fact::yes, Fact::no, Fact::undecided});
  CHECK(p.nonstrict == std::vector<Fact>{Fact::yes, Fact::yes, Fact::no, Fact::undecided});
  CHECK(fim::audit::on_grid(p.strict) == Fact::no);
  CHECK(fim::audit::on_grid({Fact::yes, Fact::undecided}) == Fact::undecided);
  CHECK(fim::audit::on_grid({Fact::yes, Fact::yes}) == Fact::yes);
}

// Difference quotients (lambda(h) - lambda(0)) / h of certified enclosures approach the right
// derivative with an O(h) error: the enclosure must sit within that of every quotient, and a
// sign-flipped value (the false variant) must not.
TEST_CASE("the right derivative at 0 agrees with difference quotients of certified lambda_1") {
  const fim::model::Model m = fim::model::build_model(fim::model::parse_spec("logistic:d_in=8,n=256,seed=1"));
  for (int path = 1; path <= 3; ++path) {
    fim::audit::AuditOptions o;
    o.paths = path;  // the same seeded directions: path k of a run with k paths
    o.grid = 1;
    o.t_max = 1e-4;
    const auto a = fim::audit::audit_monotonicity(m, o);
    const PathAudit& p = a.paths.back();
    REQUIRE(p.derivative.value);
    const Ival d = *p.derivative.value;
    CHECK(d.hi - d.lo < 1e-8 * std::fabs(d.lo));
    const Ival q = (p.lambda[1] - p.lambda[0]) / Ival(o.t_max);
    const double tol = 1e-2 * std::fabs(d.lo);
    CHECK(q.lo - tol <= d.hi);
    CHECK(d.lo <= q.hi + tol);
    const Ival flipped(-d.hi, -d.lo);
    CHECK_FALSE((q.lo - tol <= flipped.hi && flipped.lo <= q.hi + tol));
  }
}

TEST_CASE("the mixture path's right derivative is v_1^T (F_ood - F_ref) v_1, and its sign is what the grid shows") {
  const fim::model::Model m = fim::model::build_model(fim::model::parse_spec("softmax:d_in=8,classes=4,n=256,seed=1"));
  fim::audit::AuditOptions o;
  o.kind = fim::audit::PathKind::mixture;
  o.grid = 10;  // t_1 = 0.1
  const auto a = fim::audit::audit_monotonicity(m, o);
  const PathAudit& p = a.paths.front();
  REQUIRE(p.derivative.value);
  CHECK(p.derivative.sign() == "negative");  // lambda_max first falls (README): so does lambda(t_1)
  CHECK(p.lambda[1].hi < p.lambda[0].lo);
  CHECK(p.hypothesis == Verdict::HypothesisFails);
}
