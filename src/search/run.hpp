// Running a claim over generated cases: decide each, shrink each counterexample (S7).
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "claims/claim.hpp"
#include "numeric/escalation.hpp"
#include "search/case_gen.hpp"

namespace fim::search {

struct RunOptions {
  std::string variant = "stated";
  int cases = 200;
  std::uint64_t seed = 1;
  int dim_lo = 1, dim_hi = 8;
  Family family = Family::All;
  linalg::Precision precision{4096};  // small cases: the 4096-bit rung is cheap and settles ties
  std::optional<int> only_case;            // --case K: run that case alone
  int slice_begin = 0, slice_end = -1;     // a slice of a run (--shard, mpirun): cases [begin, end); -1: cases
  int max_counterexamples = 5;             // shrunk and reported in full
  std::string bound;                       // --bound EXPR, repeated in reproducing commands
  std::string noise;                       // --noise M1|M2 (genericity), repeated likewise
  double search_budget = 0;                // --search: seconds of targeted search after the cases
  long search_evaluations = 0;             // --budget-evals: evaluations of targeted search (0: none)
  int jobs = 0;                            // --jobs: threads deciding cases (0: every core); no effect on results
  std::function<void(int done, int total)> progress;
};

/// A certified counterexample: the case as generated and after shrinking (re-certified).
struct Counterexample {
  int case_index = 0;
  claims::MatrixCase original, shrunk;
  int shrink_steps = 0;
  claims::Outcome outcome;  // of the shrunk case
};

struct RunResult {
  std::array<int, 4> counts{};  // indexed by claims::Verdict
  std::vector<double> tightness;
  std::vector<std::pair<double, double>> tightness_points;  // (||E|| / g, tightness) for plots
  std::vector<Counterexample> counterexamples;
  std::vector<std::pair<int, std::string>> undecided;  // case index, what was undecided
  std::map<std::string, int> hypothesis_failures;      // which hypothesis, how many cases
  std::map<std::string, int> holds_scopes;             // Outcome::holds_scope of each HOLDS
  std::optional<claims::Outcome> single;               // --case K: that case's whole outcome
  num::RungCounts rungs;                                // which rung decided each case
  double seconds = 0;
  struct Search {
    bool ran = false, found = false;
    int starts = 0;
    long evaluations = 0;
    double best_margin = 0, seconds = 0;
  } search;
  int count(claims::Verdict v) const { return counts[static_cast<std::size_t>(v)]; }
};

/// Decides `options.cases` cases of `claim` (or the one case `only_case`) on `options.jobs` threads;
/// the result does not depend on the number of jobs.
RunResult run_cases(const claims::Claim& claim, const RunOptions& options);

/// The result of the whole run from the results of its slices, in case order (each from
/// run_cases with slice_begin/slice_end, together covering [0, cases) once): counts and lists
/// concatenated, and the first `max_counterexamples` counterexamples of the run, which are among
/// the first of their slices. The run's time is the longest slice's.
RunResult merge_runs(const std::vector<RunResult>& slices, const RunOptions& options);

/// Greedy shrinking: moves to the first smaller case that is still certified VIOLATED, until none
/// is (at most `budget` checks). Every accepted step is re-certified, never assumed.
Counterexample shrink(const claims::Claim& claim, const std::string& variant,
                      const rc::Shrinkable<claims::MatrixCase>& failing,
                      const linalg::Precision& p, int budget = 400);

}  // namespace fim::search
