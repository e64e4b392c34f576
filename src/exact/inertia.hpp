// The exact inertia oracle (SPEC S10), used to decide exact ties and by the soundness tests (whose
// enclosure checks are tests/support/enclosure_checks.hpp; the certificate verifier has its own,
// src/verify/inertia.cpp): exact inertia counts of symmetric matrices in GMP integers.
//
// Sylvester's law of inertia (proofs/linear-algebra.md, Lemma 12): a congruence T^T M T with T
// invertible keeps the numbers of negative, zero and positive eigenvalues of M. Symmetric Gaussian
// elimination of M = A - xI is such a congruence; it ends in a block diagonal matrix whose 1 x 1
// pivots, plus a zero block, have the inertia of M. So
//   count_below(A, x) = #{i : lambda_i(A) < x} = #negative pivots of A - xI,
//   count_above(A, x) = #{i : lambda_i(A) > x} = #positive pivots of A - xI,
// and the rest are eigenvalues equal to x. Everything is exact: a binary64 entry and a binary64
// endpoint are dyadic rationals, A - xI is scaled by a positive integer (which keeps the inertia)
// to an integer matrix, and the elimination is fraction-free (Bareiss 1968): after k steps the
// trailing block equals d_k S, with d_k the k-th leading principal minor (after the symmetric
// permutations and congruences applied so far) and S the exact Schur complement, so every
// division is exact and the LDL^T pivot is D_{k+1} = d_{k+1} / d_k (sign = product of signs).
// Pivoting: any nonzero diagonal entry of the trailing block (symmetric permutation). When every
// trailing diagonal entry is zero but s_ij != 0, the congruence "add row/column j to row/column i"
// makes the new diagonal entry s_ii + 2 s_ij + s_jj = 2 s_ij nonzero. A zero trailing block
// contributes zero eigenvalues. The off-diagonal pattern of A - xI does not depend on x, so the
// matrix is split once into the connected components of its pattern (a symmetric permutation to
// a direct sum; inertias add), each scaled by its own power of two.
//
// Shares no numeric code with src/ beyond Rational and to_rational (both plain GMP).
#pragma once

#include <memory>
#include <vector>

#include <Eigen/Dense>

#include "numeric/interval.hpp"
#include "numeric/mp.hpp"

namespace fim::oracle {

using num::Rational;

/// Numbers of eigenvalues below, at and above the shift x: the inertia of A - x I.
struct Inertia {
  int neg = 0, zero = 0, pos = 0;
};

namespace detail {
struct ExactData;
}  // namespace detail

/// Exact form of one symmetric matrix with binary64 (or dyadic rational) entries, answering
/// inertia queries on A + sI - xI for rational x, where s is the view's shift (0 unless made by
/// shifted(); eigenvalues of A + sI are lambda_i(A) + s). Throws std::invalid_argument on a
/// non-finite, non-square or non-symmetric matrix, or a non-dyadic rational entry.
/// Cost per query: O(m^3) operations on integers of O(m b) bits for each pattern component of size
/// m whose entries span b bits; results are cached per x. Copies share the cache.
class ExactSym {
 public:
  explicit ExactSym(const Eigen::MatrixXd& a);
  /// A symmetric matrix of dyadic rationals (e.g. an exact product of binary64 matrices).
  explicit ExactSym(const std::vector<std::vector<Rational>>& a);

  /// The same matrix plus s I (s added to every eigenvalue), sharing the exact data.
  ExactSym shifted(const Rational& s) const;

  int dim() const;
  /// The binary64 input (empty when built from rationals); the shift is not applied.
  const Eigen::MatrixXd& matrix() const;
  const Rational& shift() const { return shift_; }
  /// A rational B with |lambda_i| <= B for every eigenvalue (Gershgorin, shift included).
  Rational bound() const;
  /// Number of connected components of the off-diagonal pattern, and the largest one's size.
  int components() const;
  int largest_component() const;

  /// The inertia of (A + sI) - x I, exactly.
  Inertia inertia(const Rational& x) const;
  /// #{i : lambda_i < x}.
  int count_below(const Rational& x) const { return inertia(x).neg; }
  /// #{i : lambda_i > x}.
  int count_above(const Rational& x) const { return inertia(x).pos; }
  /// Number of eliminations run so far (cache misses), over every view of this matrix.
  long queries() const;

 private:
  std::shared_ptr<detail::ExactData> d_;
  Rational shift_ = 0;
};

/// #{i : lambda_i(A) < x} for a binary64 symmetric A.
int count_below(const Eigen::MatrixXd& a, const Rational& x);
/// #{i : lambda_i(A) > x} for a binary64 symmetric A.
int count_above(const Eigen::MatrixXd& a, const Rational& x);

}  // namespace fim::oracle
