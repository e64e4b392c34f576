#include <algorithm>

#include "linalg/enclose_spectrum.hpp"
#include "numeric/mp.hpp"

namespace fim::linalg {
using num::Ival;
using num::MpIval;
using num::MpReal;

namespace {
// Upper end of sqrt(sum |m_ij|^2) in interval arithmetic.
MpIval frobenius(const Eigen::Matrix<MpIval, Eigen::Dynamic, Eigen::Dynamic>& m) {
  MpIval s = 0;
  for (Eigen::Index j = 0; j < m.cols(); ++j)
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
      const MpIval x = abs(m(i, j));
      s += x * x;
    }
  return sqrt(s);
}
}  // namespace

// Lemma 7 evaluated in MPFI (Lemma 10): V from an MPFR eigen-solver is used as exact points.
Spectrum enclose_spectrum_mp(const SymMatrix& a, int bits) {
  if (auto exact = spectrum_if_diagonal(a)) return *exact;
  using MatR = Eigen::Matrix<MpReal, Eigen::Dynamic, Eigen::Dynamic>;
  using MatI = Eigen::Matrix<MpIval, Eigen::Dynamic, Eigen::Dynamic>;
  const num::ScopedPrecision precision(bits);
  const Eigen::Index n = a.dim();
  Spectrum out;
  out.bits = precision.bits();

  const MatR am = a.mid.cast<MpReal>();
  Eigen::SelfAdjointEigenSolver<MatR> es(am);
  if (es.info() != Eigen::Success) return out;
  const Eigen::Matrix<MpReal, Eigen::Dynamic, 1> d = es.eigenvalues().reverse();
  const MatR v = es.eigenvectors().rowwise().reverse();

  MatI ai = a.mid.cast<MpIval>();
  MatI vi(n, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i) vi(i, j) = MpIval(v(i, j));
  Eigen::Matrix<MpIval, Eigen::Dynamic, 1> di(n);
  for (Eigen::Index i = 0; i < n; ++i) di(i) = MpIval(d(i));

  const MatI r = ai * vi - vi * di.asDiagonal();
  MatI f = vi.transpose() * vi;
  for (Eigen::Index i = 0; i < n; ++i) f(i, i) -= 1;
  const MpIval norm_r = frobenius(r), alpha_i = frobenius(f);
  const MpIval alpha = MpIval(upper(alpha_i));
  if (!(upper(alpha) < 1)) return out;
  MpIval max_d = 0;
  for (Eigen::Index i = 0; i < n; ++i)
    if (upper(abs(di(i))) > upper(max_d)) max_d = MpIval(upper(abs(di(i))));
  const MpIval delta = MpIval(upper(alpha * max_d + sqrt(1 + alpha) * norm_r));
  const MpIval theta = 1 + MpIval(-upper(alpha), upper(alpha));
  const MpIval pm(-upper(delta), upper(delta));
  std::vector<MpIval> lam;
  for (Eigen::Index i = 0; i < n; ++i) {
    lam.push_back((di(i) + pm) / theta + num::to_mp(Ival(-a.radius, a.radius)));
    out.eig.push_back(num::to_ival(lam.back()));
    if (!out.eig.back().is_finite()) return Spectrum{};
  }
  if (n >= 2) {  // at working precision: a 1e-30 relative gap survives here, not in binary64
    const Ival g = num::to_ival(lam[0] - lam[1]);
    out.gap = Ival(std::max(0.0, g.lo), std::max(0.0, g.hi));
  }
  out.ok = true;
  return out;
}

}  // namespace fim::linalg
