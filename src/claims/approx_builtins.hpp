// C6 approx: the built-in approximations of lambda_1(F) (proofs/approx.md, sections 2-6), apart
// from the claim's framework in approx.cpp: closed forms of the scores, power iteration and
// Lanczos, each with its interval evaluator and, where there is one, its exact value.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "claims/approx.hpp"

namespace fim::claims {

using RatMatrix = std::vector<std::vector<num::Rational>>;

/// The built-in approximation with this id (score-max, ..., lanczos-3), or nullptr.
std::shared_ptr<const Approximation> make_builtin(const std::string& id);

/// For a built-in Lanczos approximation, the dimension of its Krylov space for the scores e
/// (section 6: when it is d, the Ritz value is lambda_1); nullopt for any other approximation.
std::optional<int> krylov_rank_of(const Approximation& a, const ExactScores& e);

/// The trace of a square rational matrix.
num::Rational trace(const RatMatrix& m);

}  // namespace fim::claims
