// Unverified eigen-approximations ("approx_": no error bound). Only enclose_* routines turn
// them into certified enclosures.
#pragma once
#include <Eigen/Dense>

namespace fim::linalg {

/// Approximate eigenpairs of a symmetric matrix, eigenvalues in descending order.
struct ApproxEigen {
  Eigen::VectorXd values;   // descending
  Eigen::MatrixXd vectors;  // column i belongs to values(i)
  bool ok = false;
};

/// Full approximate decomposition (Eigen's SelfAdjointEigenSolver). Cost ~9 n^3.
ApproxEigen approx_eigh(const Eigen::MatrixXd& a);

/// The top `count` approximate eigenpairs (count <= n) by Lanczos with full reorthogonalisation,
/// stopped when the Ritz residual estimates fall below rel_tol * |theta_1|. Cost ~k n^2.
ApproxEigen approx_top_eigh(const Eigen::MatrixXd& a, int count, double rel_tol = 1e-13);

}  // namespace fim::linalg
