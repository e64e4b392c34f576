// Comparisons that no enclosure can decide because they are exact equalities of eigenvalues
// (lambda_k(A + cI) = lambda_k(A) + c, lambda_3(A) <= lambda_2(A)), proved true from the structure
// of the eigenvalues they name (proofs/claim-language.md, section 5): each side is written as a
// linear form in the eigenvalues of base matrices, and the form is bounded by the ordering
// lambda_1 >= ... >= lambda_n instead of by enclosures.
#pragma once
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "expr/claim_lang.hpp"
#include "numeric/rational_interval.hpp"

namespace fim::claims {

/// Matrix m of a ground claim as base + shift * I: base is the first matrix of the ground claim
/// that differs from m by an exact multiple of the identity (m itself when none does), or -1 when
/// m is itself shift * I.
struct Shift {
  int base = -1;
  num::Rational shift = 0;
  std::optional<num::Rational> trace;  // this matrix's exact trace, when known
};

/// sum coef * lambda_k(base) + constant <= 0 (strict: < 0) for every spectrum of every base, by the
/// order lambda_1 >= ... >= lambda_n (proofs/claim-language.md, Lemma 5); terms by (base, k). With
/// the dimension n and the bases' exact traces (shifts[base].trace), also by the order and the trace.
bool nonpositive_by_order(const std::map<std::pair<int, int>, num::Rational>& terms, const num::RatIval& constant,
                          bool strict, int n = 0, const std::vector<Shift>* shifts = nullptr);

/// The truth of f where every comparison the values leave Unknown may still be proved True by
/// structure; a structural step never proves a comparison False (a violation always comes from
/// enclosures, and so has a certificate). `values` are the atoms' exact values or enclosures.
expr::Truth structural_truth(const expr::Ground& g, const expr::Formula& f,
                             const std::vector<expr::Value<num::RatIval>>& values,
                             const std::vector<Shift>& shifts);

}  // namespace fim::claims
