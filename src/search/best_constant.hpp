// check remainder --best-constant: certified lower bounds on the best constant c of the two forms
// |R3| <= c ||E||^3 / g^2 and |R3| <= c ||E||^3 / (g (g - 2||E||)) under g > 0, ||E|| < g/2
// (proofs/remainder.md, section 2.5: a certified violation of c * form proves best constant > c, Lemma 8).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "search/run.hpp"

namespace fim::search {

/// One form of the bound and what the search certified about its best constant.
struct ConstantBound {
  std::string form;                  // the bound with c, as a --bound expression: "c*normE^3/gap^2"
  std::optional<std::string> lower;  // certified: the best constant exceeds this exact decimal
  std::string expr;                  // the refuted bound, lower substituted for c
  double estimate = 0;               // the unverified binary64 ratio at the witness
  std::optional<claims::MatrixCase> witness;
  claims::Outcome outcome;           // VIOLATED for expr, with its remainder certificate
  int starts = 0;
  long evaluations = 0;
};

/// For each form: Nelder-Mead maximizes the ratio |R3| / (||E||^3 / g^2) (resp. the second form)
/// from run's seeded starts for `evaluations` evaluations, then the largest c with three decimals
/// below the estimate whose bound c * form the witness certifiably violates (a few tries down).
std::vector<ConstantBound> best_constants(const RunOptions& run, long evaluations);

}  // namespace fim::search
