#include "linalg/enclose_spectrum.hpp"

#include <algorithm>
#include <functional>

#include "linalg/approx_eigh.hpp"
#include "linalg/product_bounds.hpp"

namespace fim::linalg {
using num::Ival;

std::optional<Spectrum> spectrum_if_diagonal(const SymMatrix& a) {
  const Eigen::MatrixXd& m = a.mid;
  const Eigen::Index n = m.rows();
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i)
      if (i != j && m(i, j) != 0) return std::nullopt;
  std::vector<double> d(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) d[static_cast<std::size_t>(i)] = m(i, i);
  std::sort(d.begin(), d.end(), std::greater<>());
  Spectrum s;
  for (double x : d) s.eig.push_back(widen(Ival(x), a.radius));
  if (n >= 2) s.gap = gap_between(s.eig[0], s.eig[1]);
  s.ok = true;
  return s;
}

// Lemma 7 on the binary64 path: R = A V - V D and F = V^T V - I computed with a-priori bounds
// (Lemma 1, inner length n + 1 for both: the extra term is -v_ij d_j, resp. -1 on the diagonal).
Spectrum enclose_spectrum_fp(const SymMatrix& a) {
  if (auto exact = spectrum_if_diagonal(a)) return *exact;
  if (const int k = exact_scale_exponent(a)) return scaled(enclose_spectrum_fp(scaled(a, k)), -k);
  Spectrum out;
  const Eigen::Index n = a.dim();
  const ApproxEigen e = approx_eigh(a.mid);
  if (!e.ok) return out;
  const Eigen::MatrixXd& v = e.vectors;
  const Eigen::MatrixXd abs_v = v.cwiseAbs();

  Eigen::MatrixXd r = a.mid * v;
  Eigen::MatrixXd abs_r = a.mid.cwiseAbs() * abs_v;
  r -= v * e.values.asDiagonal();
  abs_r += abs_v * e.values.cwiseAbs().asDiagonal();
  const double norm_r = num::add_up(frobenius_up(r), frobenius_up(product_error_up(abs_r, n + 1)));

  Eigen::MatrixXd f = v.transpose() * v;
  Eigen::MatrixXd abs_f = abs_v.transpose() * abs_v;
  f.diagonal().array() -= 1.0;
  abs_f.diagonal().array() += 1.0;
  const Eigen::MatrixXd err_f = product_error_up(abs_f, n + 1);
  // fl(V^T V) need not be bitwise symmetric: norms valid for any matrix (Lemma 2)
  const double alpha = num::add_up(std::min(frobenius_up(f), norm2_up(f)),
                                   std::min(frobenius_up(err_f), norm2_up(err_f)));
  if (!(alpha < 1) || !std::isfinite(norm_r)) return out;

  const Ival al(alpha), max_d(e.values.cwiseAbs().maxCoeff());
  const double delta = (al * max_d + num::sqrt(Ival(1.0) + al) * Ival(norm_r)).hi;
  const Ival theta(num::add_down(1.0, -alpha), num::add_up(1.0, alpha));
  for (Eigen::Index i = 0; i < n; ++i) {
    const Ival mu = Ival(e.values(i)) + Ival(-delta, delta);
    out.eig.push_back(widen(mu / theta, a.radius));
    if (!out.eig.back().is_finite()) return Spectrum{};
  }
  if (n >= 2) out.gap = gap_between(out.eig[0], out.eig[1]);
  out.ok = true;
  return out;
}

bool spectrum_narrow_enough(const Spectrum& s, double rel_width) {
  if (!s.ok) return false;
  double scale = 0;
  for (const Ival& x : s.eig) scale = std::max(scale, x.mag());
  for (const Ival& x : s.eig)
    if (!narrow_enough(x, rel_width, scale)) return false;
  return true;
}

Spectrum enclose_spectrum(const SymMatrix& a, const Precision& p) {
  return num::escalate<Spectrum>(
             p.ladder(a.dim()),
             [&a](int bits) { return bits <= 53 ? enclose_spectrum_fp(a) : enclose_spectrum_mp(a, bits); },
             [&](const Spectrum& best) {  // the input ball's radius survives every precision
               return spectrum_narrow_enough(best, p.rel_width) ||
                      (best.ok && num::mul_up(2.0, a.radius) > p.rel_width * best.eig[0].mag());
             },
             [](const Spectrum& s) { return s.ok; },  // a failed rung keeps the last enclosure
             [&](int bits) { if (p.on_escalate) p.on_escalate(bits, a.dim()); })
      .result;
}

}  // namespace fim::linalg
