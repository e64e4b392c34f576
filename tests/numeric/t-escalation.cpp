// The one escalation mechanism (numeric/escalation.hpp): the ladder's rungs, escalate()'s order,
// stop, keep and progress rules, and the per-rung labels of the counts.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "numeric/escalation.hpp"

using fim::num::Ladder;
using fim::num::RungCounts;

TEST_CASE("the ladder: 53 -> 113 -> 256 -> 1024 -> 4096, capped; a cap between rungs is the last") {
  CHECK(Ladder(4096).rungs() == std::vector<int>{53, 113, 256, 1024, 4096});
  CHECK(Ladder(1024).rungs() == std::vector<int>{53, 113, 256, 1024});
  CHECK(Ladder(256).rungs() == std::vector<int>{53, 113, 256});
  CHECK(Ladder(100).rungs() == std::vector<int>{53, 100});
  CHECK(Ladder(2000).rungs() == std::vector<int>{53, 113, 256, 1024, 2000});
  CHECK(Ladder(53).rungs() == std::vector<int>{53});
  CHECK(Ladder(4096, 160).rungs(161) == std::vector<int>{53});  // large problems stay binary64
  CHECK(Ladder::of({53, fim::num::kDoubleDouble}).rungs(10000) == std::vector<int>{53, 106});
}

TEST_CASE("escalate climbs until done, keeps the last accepted result and says which rung") {
  std::vector<int> tried, announced;
  const auto attempt = [&](int bits) { tried.push_back(bits); return bits; };
  auto e = fim::num::escalate<int>(Ladder(4096).rungs(), attempt, [](const int& r) { return r >= 256; }, {},
                                   [&](int bits) { announced.push_back(bits); });
  CHECK(e.decided);
  CHECK(e.rung == 256);
  CHECK(e.result == 256);
  CHECK(tried == std::vector<int>{53, 113, 256});  // never past the deciding rung
  CHECK(announced == std::vector<int>{113, 256});   // progress only above the first rung
  // a rung whose result is not kept (a failed enclosure) leaves the previous one in place
  e = fim::num::escalate<int>(Ladder(1024).rungs(), [](int bits) { return bits == 256 ? -1 : bits; },
                              [](const int&) { return false; }, [](const int& r) { return r > 0; });
  CHECK_FALSE(e.decided);
  CHECK(e.result == 1024);
  e = fim::num::escalate<int>(Ladder(256).rungs(), [](int bits) { return bits == 256 ? -1 : bits; },
                              [](const int&) { return false; }, [](const int& r) { return r > 0; });
  CHECK(e.result == 113);  // the last rung failed: the 113-bit result stands
  CHECK(e.rung == 113);
}

TEST_CASE("each rung is counted under its own label") {
  RungCounts c;
  c.add(53, 3);
  c.add(1024);
  c.add(4096, 2);
  c.add(fim::num::kExact);
  CHECK(c.at(1024) == 1);
  CHECK(c.at(4096) == 2);  // not lumped with 1024
  CHECK(c.at(256) == 0);
  CHECK(RungCounts::label(4096) == "4096");
  CHECK(RungCounts::label(fim::num::kExact) == "exact");
  CHECK(RungCounts::label(fim::num::kDoubleDouble) == "double-double");
  RungCounts d;
  d.add(c);
  d.add(c);
  CHECK(d.at(53) == 6);
}
