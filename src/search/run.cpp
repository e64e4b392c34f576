#include "search/run.hpp"

#include <chrono>
#include <limits>

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

RunResult run_cases(const claims::Claim& claim, const RunOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  RunResult r;
  const auto gen = cases(o.family, o.dim_lo, o.dim_hi, claim.diagonal_a());
  const int first = o.only_case.value_or(0);
  const int last = o.only_case ? first + 1 : o.cases;
  for (int k = first; k < last; ++k) {
    const auto shrinkable = nth_case(gen, o.seed, k);
    const Outcome out = claims::check(claim, shrinkable.value(), o.variant, o.precision);
    ++r.counts[static_cast<std::size_t>(out.verdict)];
    r.rungs.add(out.rung);
    if (out.tightness) r.tightness.push_back(*out.tightness);
    if (out.tightness && out.perturbation) r.tightness_points.emplace_back(*out.perturbation, *out.tightness);
    if (o.only_case) r.single = out;
    if (out.verdict == Verdict::Undecided) r.undecided.emplace_back(k, out.where);
    if (out.verdict == Verdict::HypothesisFails) ++r.hypothesis_failures[out.where];
    if (out.verdict == Verdict::Holds && !out.holds_scope.empty()) ++r.holds_scopes[out.holds_scope];
    if (out.verdict == Verdict::Violated &&
        static_cast<int>(r.counterexamples.size()) < o.max_counterexamples) {
      Counterexample cx = shrink(claim, o.variant, shrinkable, o.precision);
      cx.case_index = k;
      r.counterexamples.push_back(std::move(cx));
    }
    if (o.progress) o.progress(k - first + 1, last - first);
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

}  // namespace fim::search
