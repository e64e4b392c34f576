// search::run_cases on several jobs gives what one job gives: counts, the undecided list, tightness
// in case order, and the same counterexamples (the first VIOLATED cases, shrunk to the same case).
// A run with another seed differs, so the comparison below can fail.
#include <doctest/doctest.h>

#include "claims/claim.hpp"
#include "claims/registry.hpp"
#include "search/run.hpp"

using namespace fim;

namespace {

search::RunResult run(const std::string& claim, const std::string& variant, int jobs, std::uint64_t seed = 1) {
  search::RunOptions o;
  o.variant = variant;
  o.cases = 300;
  o.seed = seed;
  o.jobs = jobs;
  o.precision.max_bits = 53;  // binary64 only: what is compared here is the order, not the escalation
  return search::run_cases(*claims::find_claim(claim), o);
}

// Everything of a run but its time.
bool same(const search::RunResult& a, const search::RunResult& b) {
  if (a.counts != b.counts || a.rungs.by_rung() != b.rungs.by_rung() || a.tightness != b.tightness ||
      a.tightness_points != b.tightness_points || a.undecided != b.undecided ||
      a.hypothesis_failures != b.hypothesis_failures || a.holds_scopes != b.holds_scopes ||
      a.counterexamples.size() != b.counterexamples.size())
    return false;
  for (std::size_t k = 0; k < a.counterexamples.size(); ++k) {
    const auto &x = a.counterexamples[k], &y = b.counterexamples[k];
    if (x.case_index != y.case_index || x.shrink_steps != y.shrink_steps || x.shrunk.a != y.shrunk.a ||
        x.shrunk.e != y.shrunk.e || x.outcome.certificate != y.outcome.certificate || x.outcome.where != y.outcome.where)
      return false;
  }
  return true;
}

}  // namespace

TEST_CASE("weyl as stated and its false variant half-top: 1, 2 and 3 jobs agree") {
  for (const char* variant : {"stated", "half-top"}) {
    const search::RunResult one = run("weyl", variant, 1);
    CHECK(same(one, run("weyl", variant, 2)));
    CHECK(same(one, run("weyl", variant, 3)));
    if (std::string(variant) == "half-top") CHECK(one.counterexamples.size() == 5);
  }
}

TEST_CASE("directional and remainder: 1 and 2 jobs agree") {
  for (const char* claim : {"directional", "remainder"}) CHECK(same(run(claim, "stated", 1), run(claim, "stated", 2)));
}

TEST_CASE("the comparison can fail: another seed gives another run") {
  CHECK_FALSE(same(run("weyl", "half-top", 1, 1), run("weyl", "half-top", 2, 2)));
}
