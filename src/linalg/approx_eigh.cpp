#include "linalg/approx_eigh.hpp"

#include <cmath>
#include <random>

namespace fim::linalg {

ApproxEigen approx_eigh(const Eigen::MatrixXd& a) {
  ApproxEigen out;
  if (a.rows() == 0) { out.ok = true; return out; }
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(a);
  if (es.info() != Eigen::Success) return out;
  out.values = es.eigenvalues().reverse();
  out.vectors = es.eigenvectors().rowwise().reverse();
  out.ok = out.values.allFinite() && out.vectors.allFinite();
  return out;
}

ApproxEigen approx_top_eigh(const Eigen::MatrixXd& a, int count, double rel_tol) {
  const Eigen::Index n = a.rows();
  const Eigen::Index kmax = std::min<Eigen::Index>(n, 400);  // Lanczos steps at most
  ApproxEigen out;
  Eigen::MatrixXd q(n, kmax);
  Eigen::VectorXd alpha(kmax), beta(kmax);
  std::mt19937_64 rng(0x5eed);
  std::normal_distribution<double> normal;
  Eigen::VectorXd v(n);
  for (Eigen::Index i = 0; i < n; ++i) v(i) = 1.0 + 0.1 * normal(rng);
  q.col(0) = v / v.norm();
  Eigen::Index k = 0;
  for (; k < kmax; ++k) {
    Eigen::VectorXd w = a.selfadjointView<Eigen::Lower>() * q.col(k);
    alpha(k) = q.col(k).dot(w);
    for (int pass = 0; pass < 2; ++pass)  // full reorthogonalisation, twice is enough
      w -= q.leftCols(k + 1) * (q.leftCols(k + 1).transpose() * w);
    beta(k) = w.norm();
    const Eigen::Index m = k + 1;
    const bool check = (m >= count && (m % 8 == 0 || m == kmax || beta(k) == 0));
    if (check) {
      Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> tri;
      tri.computeFromTridiagonal(alpha.head(m), beta.head(m - 1), Eigen::ComputeEigenvectors);
      const double scale = std::max(std::fabs(tri.eigenvalues()(m - 1)), 1e-300);
      bool converged = true;
      for (int c = 0; c < count; ++c)
        converged &= std::fabs(beta(k) * tri.eigenvectors()(m - 1, m - 1 - c)) <= rel_tol * scale;
      if (converged || m == kmax || beta(k) <= 1e-300 * scale) {
        out.values = tri.eigenvalues().tail(count).reverse();
        out.vectors = q.leftCols(m) * tri.eigenvectors().rightCols(count).rowwise().reverse();
        out.ok = out.values.allFinite() && out.vectors.allFinite();
        return out;
      }
    }
    if (k + 1 < kmax) q.col(k + 1) = w / beta(k);
  }
  return out;
}

}  // namespace fim::linalg
