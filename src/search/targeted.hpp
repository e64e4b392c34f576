// Targeted search (S7): an optimizer maximizes a claim's unverified violation margin from seeded
// starts; the best candidate counts only once certified VIOLATED, and is then simplified while it
// stays certified.
#pragma once
#include <functional>
#include <optional>

#include "search/run.hpp"

namespace fim::search {

struct SearchOptions {
  double budget_seconds = 30;     // wall clock; infinity when only max_evaluations limits the search
  long max_evaluations = 0;       // > 0: stop after this many margin evaluations (deterministic)
  int evaluations_per_start = 3000;
};

struct SearchResult {
  std::optional<Counterexample> counterexample;
  int starts = 0;
  long evaluations = 0;
  double best_margin = -1e300;  // unverified, for the report
  double seconds = 0;
};

/// Nelder-Mead from starts drawn like run_cases' cases (seed, dimensions, family), maximizing
/// claim.approx_margin; every candidate with a positive margin is certified with claims::check.
/// Deterministic for a given seed when only max_evaluations limits it (tests use that); a wall-clock
/// budget makes the number of starts depend on the machine.
SearchResult targeted_search(const claims::Claim& claim, const RunOptions& run, const SearchOptions& s);

/// An unverified estimate of a quantity of a case to maximize (nullopt: none).
using Objective = std::function<std::optional<double>(const claims::MatrixCase&)>;

struct BestCase {
  std::optional<claims::MatrixCase> best;  // exact binary64 entries
  double value = -1e300;                   // the objective there: unverified
  int starts = 0;
  long evaluations = 0;
};

/// The case with the largest objective that Nelder-Mead finds from the same seeded starts as
/// targeted_search, within s's limits. Nothing is certified: the caller certifies what it uses.
BestCase maximize(const Objective& objective, bool diagonal_a, const RunOptions& run, const SearchOptions& s);

}  // namespace fim::search
