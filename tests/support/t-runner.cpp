// The property runners' harness (properties/runner.hpp) can fail: a property that does not hold
// is reported as failed, and one failure makes the exit code non-zero.
#include <doctest/doctest.h>
#include <rapidcheck.h>

#include "../properties/runner.hpp"

TEST_CASE("runner: a property that holds passes, one that fails is caught and fails the run") {
  fim::props::Runner run;
  CHECK(run.property("x + 0 == x", 50, [](int x) { RC_ASSERT(x + 0 == x); }));
  CHECK(run.check("a plain check that holds", true));
  CHECK(run.finish() == 0);
  CHECK_FALSE(run.property("every int is below 10 (false)", 50, [](int x) { RC_ASSERT(x < 10); }));
  CHECK(run.finish() == 1);
  CHECK_FALSE(run.property("a property that throws", 5, [] { throw std::runtime_error("boom"); }));
}

TEST_CASE("runner: a failed plain check fails the run") {
  fim::props::Runner run;
  CHECK_FALSE(run.check("a check that does not hold", false, "detail"));
  CHECK(run.finish() == 1);
}

TEST_CASE("runner: FIMCHECK_TEST_MULTIPLIER scales the case counts") {
  setenv("FIMCHECK_TEST_MULTIPLIER", "3", 1);
  CHECK(fim::testing::scaled_count(100) == 300);
  setenv("FIMCHECK_TEST_MULTIPLIER", "0.001", 1);
  CHECK(fim::testing::scaled_count(100) == 1);  // at least one case
  int runs = 0;
  setenv("FIMCHECK_TEST_MULTIPLIER", "0.5", 1);
  fim::props::Runner run;
  run.property("counted", 40, [&] { ++runs; });
  CHECK(runs == 20);
  unsetenv("FIMCHECK_TEST_MULTIPLIER");
  CHECK(fim::testing::scaled_count(100) == 100);
}
