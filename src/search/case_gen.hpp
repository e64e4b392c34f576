// Generators of claim cases (A, E): composed from the matrix generators, so they shrink too.
#pragma once
#include <string>

#include <rapidcheck.h>

#include "claims/claim.hpp"

namespace fim::search {

/// Families of cases, as `fimcheck check --family` names them.
enum class Family { Random, Adversarial, All };
/// "random", "adversarial", "all"; throws std::invalid_argument otherwise.
Family parse_family(const std::string& name);

/// Pairs (A, E) of one dimension in [dim_lo, dim_hi]. With diagonal_a, A = diag(lambda) in its
/// eigenbasis (repeated, near-degenerate and well separated tops); E symmetric from the matrix
/// families, scaled by 2^-s (s in 0..40) so that ||E|| ranges from far below the gap to above it,
/// with equality cases on purpose (E = c I, E e_1 parallel to e_1, E = 0).
rc::Gen<claims::MatrixCase> cases(Family family, int dim_lo, int dim_hi, bool diagonal_a);

/// Cases of a claim's shape: (A, E) as above, then B drawn like A when shape.with_b, then each
/// matrix shape.psd names made positive semidefinite by positive_semidefinite(). A shape with
/// neither gives exactly the cases of cases(family, dim_lo, dim_hi, shape.diagonal_a).
rc::Gen<claims::MatrixCase> cases(Family family, int dim_lo, int dim_hi, const claims::CaseShape& shape);

/// m with its diagonal raised to the absolute row sums (rounded upward): symmetric, exact binary64
/// and diagonally dominant with a nonnegative diagonal, hence positive semidefinite (Gershgorin;
/// proofs/claim-language.md, section 5). Off-diagonal entries, zeros included, are kept.
Eigen::MatrixXd positive_semidefinite(const Eigen::MatrixXd& m);

/// c with the matrices shape.psd names made positive semidefinite.
claims::MatrixCase shaped(claims::MatrixCase c, const claims::CaseShape& shape);

/// The case number k of a run with `seed` (the same k and seed give the same case), shrinkable.
rc::Shrinkable<claims::MatrixCase> nth_case(const rc::Gen<claims::MatrixCase>& gen,
                                            std::uint64_t seed, int k);

}  // namespace fim::search
