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

}  // namespace fim::linalg
