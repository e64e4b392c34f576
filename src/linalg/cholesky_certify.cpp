#include "linalg/cholesky_certify.hpp"

#include <cmath>

#include "numeric/interval.hpp"

namespace fim::linalg {
using num::Ival;

namespace {

constexpr Eigen::Index kBlock = 64;
// Lemma 3 needs (k + 2) u >= gamma_{k+1} / (1 - gamma_{k+1}) for every column k <= n.
constexpr Eigen::Index kMaxDim = 67108860;

// c = sum_k (k + 2) u x_kk + 6 n (n + max_k x_kk) eta, rounded upward (Lemma 3).
double rump_shift_up(const Eigen::VectorXd& diag) {
  const Eigen::Index n = diag.size();
  Ival sum(0.0);
  double max_diag = 0;
  for (Eigen::Index k = 0; k < n; ++k) {
    sum += Ival(static_cast<double>(k + 3)) * Ival(num::unit_roundoff) * Ival(diag(k));
    max_diag = std::max(max_diag, diag(k));
  }
  const Ival dn(static_cast<double>(n));
  sum += Ival(6.0) * dn * (dn + Ival(max_diag)) * Ival(num::eta);
  return sum.hi;
}

}  // namespace

// Blocked right-looking Cholesky, upper factor R stored over X's upper triangle. Every entry is
// fl(fl(x_jk - sum) / r_jj) with the sum in some order, and r_jj = fl(sqrt(fl(x_jj - sum))):
// exactly the evaluation Lemma 3 assumes (a true division, never a reciprocal multiply).
std::optional<double> certify_lambda_min_lower(Eigen::MatrixXd w) {
  const Eigen::Index n = w.rows();
  if (n == 0 || n > kMaxDim || !w.allFinite()) return std::nullopt;
  const Eigen::VectorXd diag = w.diagonal();
  for (Eigen::Index kb = 0; kb < n; kb += kBlock) {
    const Eigen::Index b = std::min(kBlock, n - kb);
    for (Eigen::Index j = kb; j < kb + b; ++j) {
      const auto rcol = w.block(kb, j, j - kb, 1);
      const double t = w(j, j) - rcol.squaredNorm();
      if (!(t > 0) || !std::isfinite(t)) return std::nullopt;
      const double rjj = std::sqrt(t);
      w(j, j) = rjj;
      const Eigen::Index m = n - j - 1;
      if (m == 0) continue;
      Eigen::RowVectorXd row = w.block(j, j + 1, 1, m);
      if (j > kb) row.noalias() -= rcol.transpose() * w.block(kb, j + 1, j - kb, m);
      w.block(j, j + 1, 1, m) = row / rjj;
      if (!row.allFinite()) return std::nullopt;
    }
    const Eigen::Index r0 = kb + b, m = n - r0;
    if (m > 0)
      w.block(r0, r0, m, m).selfadjointView<Eigen::Upper>().rankUpdate(
          w.block(kb, r0, b, m).transpose(), -1.0);
  }
  if (!w.triangularView<Eigen::Upper>().toDenseMatrix().allFinite()) return std::nullopt;
  return -rump_shift_up(diag);
}

}  // namespace fim::linalg
