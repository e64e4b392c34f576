#pragma once
#include <optional>

#include <Eigen/Dense>

namespace fim::linalg {

/// Certified lower bound of lambda_min(X) for a binary64 symmetric X (upper triangle read), from
/// fimcheck's own blocked Cholesky (proofs/linear-algebra.md, Lemma 3, after Rump 2006).
/// Returns nullopt when the factorization does not complete. Cost: n^3 / 3 flops.
std::optional<double> certify_lambda_min_lower(Eigen::MatrixXd x);

}  // namespace fim::linalg
