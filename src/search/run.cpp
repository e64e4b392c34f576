#include "search/run.hpp"

#include <algorithm>
#include <chrono>
#include <limits>

#include "numeric/parallel.hpp"
#include "search/targeted.hpp"

namespace fim::search {
using claims::Outcome;
using claims::Verdict;

Counterexample shrink(const claims::Claim& claim, const std::string& variant,
                      const rc::Shrinkable<claims::MatrixCase>& failing,
                      const linalg::Precision& p, int budget) {
  Counterexample cx;
  cx.original = failing.value();
  rc::Shrinkable<claims::MatrixCase> current = failing;
  cx.outcome = claims::check(claim, current.value(), variant, p);
  bool moved = true;
  while (moved && budget > 0) {
    moved = false;
    auto seq = current.shrinks();
    while (auto next = seq.next()) {
      if (--budget <= 0) break;
      const Outcome o = claims::check(claim, next->value(), variant, p);
      if (o.verdict == Verdict::Violated) {
        current = *next;
        cx.outcome = o;
        ++cx.shrink_steps;
        moved = true;
        break;
      }
    }
  }
  cx.shrunk = current.value();
  return cx;
}

namespace {

// Cases decided per round: one round's outcomes are held in memory, however many cases a run has.
// Large, since threads that run out of cases wait at a round's end for the slowest case (a tie
// escalated to 4096 bits); small outcomes (below) keep a round at a few megabytes.
constexpr int kRound = 1 << 16;

// Adds case k's outcome to the counts and lists of r; called in case order.
void tally(RunResult& r, int k, const Outcome& out, const RunOptions& o) {
  ++r.counts[static_cast<std::size_t>(out.verdict)];
  r.rungs.add(out.rung);
  if (out.tightness) r.tightness.push_back(*out.tightness);
  if (out.tightness && out.perturbation) r.tightness_points.emplace_back(*out.perturbation, *out.tightness);
  if (o.only_case) r.single = out;
  if (out.verdict == Verdict::Undecided) r.undecided.emplace_back(k, out.where);
  if (out.verdict == Verdict::HypothesisFails) ++r.hypothesis_failures[out.where];
  if (out.verdict == Verdict::Holds && !out.holds_scope.empty()) ++r.holds_scopes[out.holds_scope];
}

}  // namespace

// Cases are decided on o.jobs threads, a round at a time, into slots indexed by case; counting and
// the choice of which counterexamples to shrink then go in case order, so the result is the one a
// single job gives (each case and each shrink is a function of the seed and the case index alone).
RunResult run_cases(const claims::Claim& claim, const RunOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  RunResult r;
  const auto gen = cases(o.family, o.dim_lo, o.dim_hi, claim.shape());
  const int first = o.only_case.value_or(o.slice_begin);
  const int last = o.only_case ? first + 1 : o.slice_end >= 0 ? o.slice_end : o.cases;
  std::vector<Outcome> outcomes;
  for (int lo = first; lo < last; lo += kRound) {
    const int hi = std::min(last, lo + kRound);
    outcomes.assign(static_cast<std::size_t>(hi - lo), Outcome{});
    std::function<void(int)> done;
    if (o.progress) done = [&](int n) { o.progress(lo - first + n, last - first); };
    num::parallel_for(lo, hi, o.jobs, [&](int k) {
      Outcome out = claims::check(claim, nth_case(gen, o.seed, k).value(), o.variant, o.precision);
      if (!o.only_case) out.evidence = out.certificate = nullptr;  // not counted; a shrunk case gets its own
      outcomes[static_cast<std::size_t>(k - lo)] = std::move(out);
    }, done);
    std::vector<int> to_shrink;  // the first max_counterexamples VIOLATED cases of the run (or slice)
    for (int k = lo; k < hi; ++k) {
      const Outcome& out = outcomes[static_cast<std::size_t>(k - lo)];
      tally(r, k, out, o);
      if (out.verdict == Verdict::Violated &&
          static_cast<int>(r.counterexamples.size() + to_shrink.size()) < o.max_counterexamples)
        to_shrink.push_back(k);
    }
    std::vector<Counterexample> shrunk(to_shrink.size());
    num::parallel_for(0, static_cast<int>(to_shrink.size()), o.jobs, [&](int j) {
      const int k = to_shrink[static_cast<std::size_t>(j)];
      shrunk[static_cast<std::size_t>(j)] = shrink(claim, o.variant, nth_case(gen, o.seed, k), o.precision);
      shrunk[static_cast<std::size_t>(j)].case_index = k;
    });
    for (auto& cx : shrunk) r.counterexamples.push_back(std::move(cx));
  }
  if ((o.search_budget > 0 || o.search_evaluations > 0) && r.counterexamples.empty() && !o.only_case) {
    SearchOptions so;
    so.budget_seconds = o.search_budget > 0 ? o.search_budget : std::numeric_limits<double>::infinity();
    so.max_evaluations = o.search_evaluations;
    const SearchResult sr = targeted_search(claim, o, so);
    r.search = {true, sr.counterexample.has_value(), sr.starts, sr.evaluations, sr.best_margin, sr.seconds};
    if (sr.counterexample) r.counterexamples.push_back(*sr.counterexample);
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

RunResult merge_runs(const std::vector<RunResult>& slices, const RunOptions& o) {
  RunResult r;
  for (const RunResult& s : slices) {
    for (std::size_t v = 0; v < r.counts.size(); ++v) r.counts[v] += s.counts[v];
    r.tightness.insert(r.tightness.end(), s.tightness.begin(), s.tightness.end());
    r.tightness_points.insert(r.tightness_points.end(), s.tightness_points.begin(), s.tightness_points.end());
    for (const Counterexample& cx : s.counterexamples)
      if (static_cast<int>(r.counterexamples.size()) < o.max_counterexamples) r.counterexamples.push_back(cx);
    r.undecided.insert(r.undecided.end(), s.undecided.begin(), s.undecided.end());
    for (const auto& [why, n] : s.hypothesis_failures) r.hypothesis_failures[why] += n;
    for (const auto& [scope, n] : s.holds_scopes) r.holds_scopes[scope] += n;
    r.rungs.add(s.rungs);
    r.seconds = std::max(r.seconds, s.seconds);
  }
  return r;
}

}  // namespace fim::search
