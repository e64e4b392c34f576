#include "linalg/product_bounds.hpp"

#include <cmath>

#include "numeric/fp.hpp"

namespace fim::linalg {
using num::Ival;

double dot_error_up(double t, Eigen::Index k, Eigen::Index h) {
  if (!std::isfinite(t)) return num::inf;
  const Ival g = Ival(num::gamma_up(static_cast<std::size_t>(h)));
  const Ival keta = Ival(static_cast<double>(k)) * Ival(num::eta);
  // B(t, k, h) = gamma_h / (1 - gamma_h) * (t + k eta) + k eta   (Lemma 1)
  return (g / (Ival(1.0) - g) * (Ival(t) + keta) + keta).hi;
}

double nonneg_sum_up(double computed, Eigen::Index terms) {
  if (!std::isfinite(computed)) return num::inf;
  const Ival k(static_cast<double>(terms));
  return ((Ival(computed) + k * Ival(num::eta)) / (Ival(1.0) - Ival(num::gamma_up(terms)))).hi;
}

Eigen::MatrixXd product_error_up(const Eigen::MatrixXd& abs_product, Eigen::Index k) {
  const Ival g = Ival(num::gamma_up(static_cast<std::size_t>(k)));
  const double factor = (g / (Ival(1.0) - g)).hi;
  const double keta = num::mul_up(static_cast<double>(k), num::eta);
  Eigen::MatrixXd err(abs_product.rows(), abs_product.cols());
  for (Eigen::Index j = 0; j < err.cols(); ++j)
    for (Eigen::Index i = 0; i < err.rows(); ++i) {
      const double t = abs_product(i, j);
      err(i, j) = std::isfinite(t) ? num::add_up(num::mul_up(factor, num::add_up(t, keta)), keta)
                                   : num::inf;
    }
  return err;
}

// Lemma 14.1-2.
double scale_up(double v, int k) {
  const double r = std::ldexp(v, k);  // exact unless it overflows (+inf: still an upper bound)
  return std::isinf(r) || std::ldexp(r, -k) == v ? r : num::next_up(r);  // or underflows
}

namespace {
// Upper bound of the largest sum of |entries| along a row (rows) or column: the bound of Lemma 1
// is increasing in the computed sum, so it is applied once to the largest computed sum.
double max_abs_line_sum_up(const Eigen::MatrixXd& m, bool rows) {
  if (m.size() == 0) return 0;
  if (!m.allFinite()) return num::inf;
  const double best = rows ? m.cwiseAbs().rowwise().sum().maxCoeff() : m.cwiseAbs().colwise().sum().maxCoeff();
  return nonneg_sum_up(best, rows ? m.cols() : m.rows());
}
}  // namespace

double norm1_up(const Eigen::MatrixXd& m) { return max_abs_line_sum_up(m, false); }
double norm_inf_up(const Eigen::MatrixXd& m) { return max_abs_line_sum_up(m, true); }
// sqrt(a b) as sqrt(a) sqrt(b), each rounded up: no overflow of a b where the result is finite
// (proofs/linear-algebra.md, Lemma 14.4).
double norm2_up(const Eigen::MatrixXd& m) {
  return num::mul_up(num::sqrt_up(norm1_up(m)), num::sqrt_up(norm_inf_up(m)));
}

// ||m||_F = 2^k ||2^-k m||_F with 2^-k max|m_ij| in [1, 2), so no square overflows
// (proofs/linear-algebra.md, Lemma 14). Scaling up is exact; scaling down loses at most eta / 2
// per entry (underflow), added back as sqrt(size) eta / 2.
double frobenius_up(const Eigen::MatrixXd& m) {
  if (m.size() == 0) return 0;
  if (!m.allFinite()) return num::inf;
  const double big = m.cwiseAbs().maxCoeff();
  if (big == 0) return 0;
  const int k = std::ilogb(big);
  const Eigen::MatrixXd s = m.unaryExpr([k](double x) { return std::ldexp(x, -k); });
  double v = num::sqrt_up(nonneg_sum_up(s.squaredNorm(), s.size()));
  if (k > 0) v = num::add_up(v, num::mul_up(num::sqrt_up(double(m.size())), num::eta));
  return scale_up(v, k);
}

Ival dot(const Eigen::VectorXd& x, const Eigen::VectorXd& y) {
  Ival s(0.0);
  for (Eigen::Index i = 0; i < x.size(); ++i) s += Ival(x(i)) * Ival(y(i));
  return s;
}

Ival norm2(const Eigen::VectorXd& v) {
  Ival s(0.0);
  for (Eigen::Index i = 0; i < v.size(); ++i) s += num::sqr(Ival(v(i)));
  return num::sqrt(s);
}

double abs_sum_up(const Eigen::Ref<const Eigen::VectorXd>& v) {
  return nonneg_sum_up(v.cwiseAbs().sum(), v.size());
}

}  // namespace fim::linalg
