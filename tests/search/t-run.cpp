// search/run.hpp: run_cases' verdict counts sum to the number of cases (and so do the precision
// rungs); the false variant weyl/half-top is caught VIOLATED, each counterexample shrunk to a case
// re-certified VIOLATED here and never of larger dimension than the one generated; the claim as
// stated has no VIOLATED case on the same cases; a run is deterministic and --case K reproduces.
#include <doctest/doctest.h>

#include <numeric>

#include "claims/claim.hpp"
#include "search/run.hpp"
#include "support/case_checks.hpp"

using fim::claims::Verdict;
using fim::test::identical;
using fim::test::valid_case;

namespace {
const fim::claims::Claim& weyl() { return *fim::claims::find_claim("weyl"); }

fim::search::RunOptions options(const std::string& variant) {
  fim::search::RunOptions o;
  o.variant = variant;
  o.cases = 80;
  o.seed = 1;
  o.dim_lo = 2;
  o.dim_hi = 6;
  return o;
}

int total(const std::array<int, 4>& a) { return std::accumulate(a.begin(), a.end(), 0); }
long total(const fim::num::RungCounts& c) {
  long t = 0;
  for (const auto& [rung, n] : c.by_rung()) t += n;
  return t;
}
}  // namespace

TEST_CASE("the false variant half-top is caught: certified, shrunk, re-certified counterexamples") {
  const auto o = options("half-top");
  const auto r = fim::search::run_cases(weyl(), o);
  CHECK(total(r.counts) == o.cases);
  CHECK(total(r.rungs) == o.cases);  // every case counted under exactly one rung
  CHECK(r.count(Verdict::Violated) > 0);
  CHECK(r.count(Verdict::HypothesisFails) == 0);  // weyl has no hypothesis
  REQUIRE(!r.counterexamples.empty());
  CHECK(static_cast<int>(r.counterexamples.size()) <= o.max_counterexamples);
  CHECK(static_cast<int>(r.counterexamples.size()) == std::min(o.max_counterexamples, r.count(Verdict::Violated)));
  for (const auto& cx : r.counterexamples) {
    CAPTURE(cx.case_index);
    CHECK(valid_case(cx.original, o.dim_lo, o.dim_hi, false));
    CHECK(valid_case(cx.shrunk, o.dim_lo, o.dim_hi, false));
    CHECK(cx.shrunk.a.rows() <= cx.original.a.rows());
    CHECK(cx.outcome.verdict == Verdict::Violated);
    CHECK_FALSE(cx.outcome.certificate.is_null());
    const auto again = fim::claims::check(weyl(), cx.shrunk, o.variant, o.precision);
    CHECK(again.verdict == Verdict::Violated);  // re-certified here, not taken from the run
    CHECK(fim::claims::check(weyl(), cx.original, o.variant, o.precision).verdict == Verdict::Violated);
    if (cx.shrink_steps == 0) CHECK(identical(cx.shrunk, cx.original));
    // --case K reproduces the generated case alone
    auto single = o;
    single.only_case = cx.case_index;
    const auto one = fim::search::run_cases(weyl(), single);
    CHECK(total(one.counts) == 1);
    REQUIRE(one.single.has_value());
    CHECK(one.single->verdict == Verdict::Violated);
    REQUIRE(one.counterexamples.size() == 1);
    CHECK(identical(one.counterexamples[0].original, cx.original));
  }
}

TEST_CASE("the claim as stated: no VIOLATED case on the same cases; counts still sum") {
  const auto o = options("stated");
  const auto r = fim::search::run_cases(weyl(), o);
  CHECK(total(r.counts) == o.cases);
  CHECK(r.count(Verdict::Violated) == 0);
  CHECK(r.count(Verdict::Holds) + r.count(Verdict::Undecided) == o.cases);
  CHECK(r.count(Verdict::Holds) >= o.cases - 2);  // certification succeeds, not just fails to refute
  CHECK(r.counterexamples.empty());
  CHECK(static_cast<int>(r.undecided.size()) == r.count(Verdict::Undecided));
  CHECK_FALSE(r.search.ran);
}

TEST_CASE("a run is deterministic: the same counts and counterexamples, bit for bit") {
  auto o = options("index-shift");
  o.cases = 40;
  const auto a = fim::search::run_cases(weyl(), o), b = fim::search::run_cases(weyl(), o);
  CHECK(a.counts == b.counts);
  CHECK(a.rungs.by_rung() == b.rungs.by_rung());
  REQUIRE(a.counterexamples.size() == b.counterexamples.size());
  for (std::size_t i = 0; i < a.counterexamples.size(); ++i) {
    CHECK(a.counterexamples[i].case_index == b.counterexamples[i].case_index);
    CHECK(identical(a.counterexamples[i].shrunk, b.counterexamples[i].shrunk));
  }
}

TEST_CASE("shrink on its own: greedy steps each re-certified, budget respected") {
  const auto o = options("half-top");
  const auto gen = fim::search::cases(o.family, o.dim_lo, o.dim_hi, false);
  int found = 0;
  for (int k = 0; k < 80 && found < 3; ++k) {
    const auto s = fim::search::nth_case(gen, o.seed, k);
    if (fim::claims::check(weyl(), s.value(), o.variant, o.precision).verdict != Verdict::Violated) continue;
    ++found;
    const auto cx = fim::search::shrink(weyl(), o.variant, s, o.precision, 50);
    CHECK(cx.shrink_steps <= 50);
    CHECK(cx.shrunk.a.rows() <= s.value().a.rows());
    CHECK(fim::claims::check(weyl(), cx.shrunk, o.variant, o.precision).verdict == Verdict::Violated);
    const auto none = fim::search::shrink(weyl(), o.variant, s, o.precision, 0);  // no budget: no step
    CHECK(none.shrink_steps == 0);
    CHECK(identical(none.shrunk, s.value()));
  }
  CHECK(found > 0);
}
