#include <algorithm>

#include "linalg/enclose_spectrum.hpp"
#include "linalg/enclose_spectrum_mp.hpp"
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

MpMatrix to_mp(const Eigen::MatrixXd& m) {
  MpMatrix r(m.rows(), m.cols());
  for (Eigen::Index j = 0; j < m.cols(); ++j)
    for (Eigen::Index i = 0; i < m.rows(); ++i) r(i, j) = MpIval(m(i, j));
  return r;
}

// Lemma 7 evaluated in MPFI (Lemma 10): V from an MPFR eigen-solver on the midpoints is used as
// exact points; the residual is enclosed over the whole interval matrix.
SpectrumMp enclose_spectrum_mpi(const MpMatrix& a) {
  using MatR = Eigen::Matrix<MpReal, Eigen::Dynamic, Eigen::Dynamic>;
  const Eigen::Index n = a.rows();
  SpectrumMp out;
  MatR am(n, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i) am(i, j) = median(a(i, j));
  Eigen::SelfAdjointEigenSolver<MatR> es(am);
  if (es.info() != Eigen::Success) return out;
  const Eigen::Matrix<MpReal, Eigen::Dynamic, 1> d = es.eigenvalues().reverse();
  const MatR v = es.eigenvectors().rowwise().reverse();

  MpMatrix vi(n, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i) vi(i, j) = num::to_mp(v(i, j));
  Eigen::Matrix<MpIval, Eigen::Dynamic, 1> di(n);
  for (Eigen::Index i = 0; i < n; ++i) di(i) = num::to_mp(d(i));

  const MpMatrix r = a * vi - vi * di.asDiagonal();
  MpMatrix f = vi.transpose() * vi;
  for (Eigen::Index i = 0; i < n; ++i) f(i, i) -= 1;
  const MpIval norm_r = frobenius(r);
  const MpIval alpha = num::to_mp(upper(frobenius(f)));
  if (!(upper(alpha) < 1)) return out;
  MpIval max_d = 0;
  for (Eigen::Index i = 0; i < n; ++i)
    if (upper(abs(di(i))) > upper(max_d)) max_d = num::to_mp(upper(abs(di(i))));
  const MpIval delta = num::to_mp(upper(alpha * max_d + sqrt(1 + alpha) * norm_r));
  const MpIval theta = 1 + num::to_mp(-upper(alpha), upper(alpha));
  const MpIval pm = num::to_mp(-upper(delta), upper(delta));
  for (Eigen::Index i = 0; i < n; ++i) out.eig.push_back((di(i) + pm) / theta);
  out.ok = true;
  return out;
}

Spectrum enclose_spectrum_mp(const SymMatrix& a, int bits) {
  if (auto exact = spectrum_if_diagonal(a)) return *exact;
  const num::ScopedPrecision precision(bits);
  const SpectrumMp s = enclose_spectrum_mpi(to_mp(a.mid));
  Spectrum out;
  out.bits = precision.bits();
  if (!s.ok) return out;
  const MpIval ball = num::to_mp(Ival(-a.radius, a.radius));
  for (const MpIval& x : s.eig) {
    out.eig.push_back(num::to_ival(x + ball));
    if (!out.eig.back().is_finite()) return Spectrum{};
  }
  if (out.eig.size() >= 2) {  // at working precision: a 1e-30 relative gap survives here
    const Ival g = num::to_ival(s.eig[0] - s.eig[1] + ball + ball);
    out.gap = Ival(std::max(0.0, g.lo), std::max(0.0, g.hi));
  }
  out.ok = true;
  return out;
}

}  // namespace fim::linalg
