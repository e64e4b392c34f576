// certify_lambda_min_lower: the certified bound is below lambda_min (exact inertia oracle), on
// near-singular matrices where floating-point Cholesky succeeds although lambda_min < 0; and the
// shift is necessary: dropping it is caught by the oracle.
#include <doctest/doctest.h>

#include <random>

#include "linalg/cholesky_certify.hpp"
#include "support/enclosure_checks.hpp"

using Eigen::MatrixXd;
using fim::linalg::certify_lambda_min_lower;
using fim::num::to_rational;

namespace {
// [[a, b], [b, fl(b^2 / a)]] embedded with an identity block: exact lambda_min within a few ulps
// of 0, of either sign.
MatrixXd near_singular(std::mt19937_64& rng, int n) {
  std::uniform_real_distribution<double> u(0.5, 2.0);
  const double a = u(rng), b = u(rng);
  MatrixXd x = MatrixXd::Identity(n, n);
  x(0, 0) = a;
  x(0, 1) = x(1, 0) = b;
  x(1, 1) = b * b / a;
  return x;
}
}  // namespace

TEST_CASE("the certified bound never exceeds lambda_min; dropping the shift is caught") {
  std::mt19937_64 rng(17);
  int certified = 0, unshifted_refuted = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const MatrixXd x = near_singular(rng, 2 + trial % 5);
    const auto bound = certify_lambda_min_lower(x);
    if (!bound) continue;
    ++certified;
    const fim::oracle::ExactSym exact(x);
    INFO(fim::oracle::hex_matrix(x));
    CHECK(exact.count_below(to_rational(*bound)) == 0);
    // The false variant "Cholesky completed, so X is PSD" (bound 0) must be refuted sometimes.
    if (exact.count_below(0) > 0) ++unshifted_refuted;
  }
  CHECK(certified > 50);
  CHECK(unshifted_refuted > 0);
}

TEST_CASE("indefinite and non-finite matrices are not certified") {
  MatrixXd x(2, 2);
  x << 1, 2, 2, 1;
  CHECK_FALSE(certify_lambda_min_lower(x));
  x(0, 0) = std::numeric_limits<double>::infinity();
  CHECK_FALSE(certify_lambda_min_lower(x));
  CHECK_FALSE(certify_lambda_min_lower(MatrixXd(0, 0)));
}

TEST_CASE("blocked path (n > 64): bound below lambda_min of a random SPD matrix") {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal;
  const int n = 150;
  MatrixXd g(n, n);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) g(i, j) = normal(rng);
  MatrixXd x = g.transpose() * g;
  x = x.triangularView<Eigen::Upper>();
  x = x.selfadjointView<Eigen::Upper>();
  const auto bound = certify_lambda_min_lower(x);
  REQUIRE(bound);
  CHECK(fim::oracle::ExactSym(x).count_below(to_rational(*bound)) == 0);
}
