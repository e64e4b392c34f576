// Lemma 1 of proofs/monotonicity.md on hand-made enclosures: a witness only for a certified drop
// (the largest one), HOLDS only when every neighbour pair is ordered, UNDECIDED otherwise.
#include <doctest/doctest.h>

#include "claims/monotonicity.hpp"

using fim::claims::PathAudit;
using fim::claims::Verdict;
using fim::num::Ival;

PathAudit grid(std::vector<Ival> lambda) {
  PathAudit p;
  for (std::size_t k = 0; k < lambda.size(); ++k) p.t.push_back(static_cast<double>(k));
  p.lambda = std::move(lambda);
  fim::claims::decide_grid(p);
  return p;
}

TEST_CASE("ordered enclosures: monotone on the grid") {
  const auto p = grid({{1, 2}, {2, 3}, {3, 3}, {3, 5}});
  CHECK(p.hypothesis == Verdict::Holds);
  CHECK(!p.witness);
}

TEST_CASE("overlapping neighbours without a certified drop: undecided, not violated") {
  const auto p = grid({{1, 2}, {1.5, 2.5}, {2.4, 3}});
  CHECK(p.hypothesis == Verdict::Undecided);
  CHECK(!p.witness);
  CHECK(p.overlapping.size() == 2);  // (0, 1) and (1, 2) both overlap
}

TEST_CASE("a drop is a witness only when certified, and the largest certified drop is reported") {
  CHECK(grid({{1, 2}, {1.5, 1.9}}).hypothesis == Verdict::Undecided);  // touching, not certified
  CHECK(grid({{1, 2}, {0.5, 1}}).hypothesis == Verdict::Undecided);    // hi = lo: not strict
  const auto p = grid({{5, 6}, {7, 8}, {4, 4.5}, {1, 2}, {9, 10}});
  REQUIRE(p.hypothesis == Verdict::Violated);
  REQUIRE(p.witness);
  CHECK(p.witness->first == 1);   // lo 7 ...
  CHECK(p.witness->second == 3);  // ... above hi 2: the largest drop, not between neighbours
}
