// SymMatrix: the set of symmetric matrices within a spectral-norm ball around a binary64 centre.
#pragma once
#include <Eigen/Dense>

namespace fim::linalg {

/// Every symmetric A with ||A - mid||_2 <= radius. radius = 0: the exact matrix mid.
/// By Weyl (proofs/linear-algebra.md, Lemma 5) each lambda_i(A) lies within radius of lambda_i(mid),
/// so enclosures are computed for mid and widened by radius at the end.
struct SymMatrix {
  Eigen::MatrixXd mid;
  double radius = 0.0;

  Eigen::Index dim() const { return mid.rows(); }
};

/// The exponent k that brings the largest |entry| of a.mid into [1, 2) when multiplying every entry
/// by 2^k is exact (no entry leaves or enters the subnormal range inexactly), else 0. Scaling by
/// 2^k scales every eigenvalue by 2^k exactly, so enclosures are computed where binary64 has room
/// (no overflow of squares, no underflow of products, scale-free Lanczos).
int exact_scale_exponent(const SymMatrix& a);

/// 2^k a, with the radius rounded upward.
SymMatrix scaled(const SymMatrix& a, int k);

}  // namespace fim::linalg
