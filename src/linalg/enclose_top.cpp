#include "linalg/enclose_top.hpp"

#include <cmath>

#include "linalg/approx_eigh.hpp"
#include "linalg/cholesky_certify.hpp"
#include "linalg/enclose_spectrum.hpp"
#include "linalg/product_bounds.hpp"

namespace fim::linalg {
using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;
using num::Ival;

namespace {

constexpr Index kSpectrumDim = 128;  // below this the full spectrum is cheap and tight enough

// A x with a certified entrywise bound on its error (Lemma 1, Corollary 1a).
struct MatVec {
  VectorXd y, err;
};
MatVec certified_matvec(const MatrixXd& a, const VectorXd& x) {
  const Index n = a.rows();
  MatVec r{a * x, VectorXd(n)};
  const VectorXd abs_y = a.cwiseAbs() * x.cwiseAbs();
  for (Index i = 0; i < n; ++i) r.err(i) = dot_error_up(abs_y(i), n, n);
  return r;
}

// Encloses u^T (A x) from a certified A x.
Ival certified_form(const VectorXd& u, const MatVec& ax) {
  const double e = dot(u.cwiseAbs(), ax.err).hi;
  return dot(u, ax.y) + Ival(-e, e);
}

// Lemma 4: lambda_2 >= L once M - L N is certified positive semidefinite for the 2 x 2 pencil.
double lambda2_lower(const MatrixXd& a, const VectorXd& x1, const VectorXd& x2) {
  const MatVec a1 = certified_matvec(a, x1), a2 = certified_matvec(a, x2);
  const Ival m11 = certified_form(x1, a1), m22 = certified_form(x2, a2);
  const Ival m12 = certified_form(x1, a2);
  const Ival n11 = dot(x1, x1), n22 = dot(x2, x2), n12 = dot(x1, x2);
  const double fallback = -norm2_up(a);  // lambda_2 >= lambda_n >= -||A||
  if (!((n11 * n22 - num::sqr(n12)).lo > 0)) return fallback;  // X must be certified full rank
  // approximate smaller root of det(M - mu N) = 0
  const double qa = n11.lo * n22.lo - n12.lo * n12.lo;
  const double qb = -(m11.lo * n22.lo + m22.lo * n11.lo - 2 * m12.lo * n12.lo);
  const double qc = m11.lo * m22.lo - m12.lo * m12.lo;
  const double disc = std::sqrt(std::max(0.0, qb * qb - 4 * qa * qc));
  const double mu = (-qb - disc) / (2 * qa);
  if (!std::isfinite(mu)) return fallback;
  const double l = mu - std::fabs(mu) * 1e-9 - 1e-300;
  const Ival s11 = m11 - Ival(l) * n11, s22 = m22 - Ival(l) * n22, s12 = m12 - Ival(l) * n12;
  const bool psd = s11.lo >= 0 && s22.lo >= 0 && (s11 * s22 - num::sqr(s12)).lo >= 0;
  return psd ? l : fallback;
}

// Upper bound of ||A x - t x|| / ||x|| (Lemma 6: bounds the residual at the exact quotient).
double residual_up(const VectorXd& x, const MatVec& ax, double t) {
  Ival s(0.0);
  for (Index i = 0; i < x.size(); ++i) {
    const Ival ri = Ival(ax.y(i)) - Ival(t) * Ival(x(i)) + Ival(-ax.err(i), ax.err(i));
    s += num::sqr(ri);
  }
  return (num::sqrt(s) / norm2(x)).hi;
}

// Upper bound of lambda_1(A - t xh xh^T) for t >= 0, from a Cholesky certificate of
// X = mu I - A + t xh xh^T formed in binary64 (Lemmas 3, 5); +inf when it fails.
double lambda1_upper_deflated(const MatrixXd& a, double mu, double t, const VectorXd& xh) {
  const Index n = a.rows();
  MatrixXd x = (t * xh) * xh.transpose() - a;
  x.diagonal().array() += mu;
  // Each entry of X passes through at most 4 roundings over the terms t xh_i xh_j, a_ij, mu, so
  // |E_ij| <= gamma_4 (|t xh_i xh_j| + |a_ij| + |mu| [i = j]) + 4 eta (Lemma 1); row sums below.
  const double g4 = num::gamma_up(4), sum_xh = abs_sum_up(xh);
  VectorXd row_err(n);
  for (Index i = 0; i < n; ++i) {
    double terms = num::mul_up(num::mul_up(t, std::fabs(xh(i))), sum_xh);
    terms = num::add_up(num::add_up(terms, abs_sum_up(a.col(i))  /* symmetric: row i = column i */), std::fabs(mu));
    row_err(i) = num::add_up(num::mul_up(g4, terms), num::mul_up(4.0 * n, num::eta));
  }
  const double form_err = row_err.maxCoeff();  // ||E||_2 <= ||E||_inf for symmetric E (Lemma 2)
  const auto lmin = certify_lambda_min_lower(std::move(x));
  if (!lmin) return num::inf;
  return (Ival(mu) - Ival(*lmin) + Ival(form_err)).hi;
}

// Upper bound of lambda_1(A) from a direct certificate of s I - A, trying margins above s0.
double lambda1_upper_direct(const MatrixXd& a, double s0, double scale) {
  const Index n = a.rows();
  double margin = scale * static_cast<double>(n + 3) * static_cast<double>(n) * 0x1p-53 + 1e-300;
  for (int attempt = 0; attempt < 6; ++attempt, margin *= 8) {
    const double up = lambda1_upper_deflated(a, s0 + margin, 0.0, VectorXd::Zero(n));
    if (std::isfinite(up)) return up;
  }
  return num::inf;
}

Top top_large_fp(const MatrixXd& a) {
  Top out;
  ApproxEigen e = approx_top_eigh(a, 2);
  if (!e.ok) e = approx_eigh(a);
  if (!e.ok) return out;
  const VectorXd x1 = e.vectors.col(0), x2 = e.vectors.col(1);
  const double rho = e.values(0), theta2 = e.values(1);
  const MatVec ax = certified_matvec(a, x1);
  const Ival rq = certified_form(x1, ax) / dot(x1, x1);  // Lemma 4
  if (!rq.is_finite()) return out;
  const double scale = std::max(std::fabs(rho), std::fabs(theta2));

  double beta = num::inf;  // certified lambda_2 <= beta
  double hi = num::inf;
  const double gap_est = rho - theta2;
  if (gap_est > 0) {
    const VectorXd xh = x1 / x1.norm();
    // Lemma 5b with mu between lambda_2 and lambda_1: close to theta_2 first (a tight gap),
    // further up when the Cholesky certificate fails there.
    const double tight = std::max(1e-6 * gap_est, 64.0 * static_cast<double>(a.rows()) * 0x1p-53 * scale);
    for (double mu : {theta2 + tight, theta2 + 0.5 * gap_est, theta2 + 0.9 * gap_est}) {
      beta = lambda1_upper_deflated(a, mu, 2 * gap_est, xh);
      if (beta < rq.lo) break;
    }
    if (beta < rq.lo) {  // Temple (Lemma 6)
      const Ival eps(residual_up(x1, ax, rho));
      hi = (Ival(rq.hi) + num::sqr(eps) / (Ival(rq.lo) - Ival(beta))).hi;
    }
  }
  if (!std::isfinite(hi)) hi = lambda1_upper_direct(a, rq.hi, scale);
  if (!std::isfinite(hi)) return out;
  out.lambda1 = Ival(rq.lo, std::max(hi, rq.lo));
  const Ival lambda2(lambda2_lower(a, x1, x2), std::min(beta, out.lambda1.hi));
  out.gap = gap_between(out.lambda1, lambda2);
  out.ok = true;
  return out;
}

}  // namespace

Top top_of(const Spectrum& s) {
  Top t;
  if (!s.ok) return t;
  t.lambda1 = s.eig[0];
  t.gap = s.gap;
  t.bits = s.bits;
  t.ok = true;
  return t;
}

Top enclose_top_fp(const SymMatrix& a) {
  if (a.dim() <= kSpectrumDim || spectrum_if_diagonal(a)) return top_of(enclose_spectrum_fp(a));
  if (const int k = exact_scale_exponent(a)) return scaled(enclose_top_fp(scaled(a, k)), -k);
  Top t = top_large_fp(a.mid);
  if (!t.ok) return t;
  t.lambda1 = widen(t.lambda1, a.radius);
  if (t.gap) {  // lambda_1 and lambda_2 each move by at most the radius (Corollary 5a)
    const double r2 = num::mul_up(2.0, a.radius);
    t.gap = Ival(std::max(0.0, num::add_down(t.gap->lo, -r2)), num::add_up(t.gap->hi, r2));
  }
  return t;
}

Top enclose_top(const SymMatrix& a, const Precision& p) {
  return num::escalate<Top>(
             p.ladder(a.dim()),
             [&a](int bits) { return bits <= 53 ? enclose_top_fp(a) : top_of(enclose_spectrum_mp(a, bits)); },
             [&](const Top& best) {  // the input ball's radius survives every precision
               return top_narrow_enough(best, p.rel_width) ||
                      (best.ok && num::mul_up(2.0, a.radius) > p.rel_width * best.lambda1.mag());
             },
             [](const Top& t) { return t.ok; },  // a failed rung keeps the last enclosure
             [&](int bits) { if (p.on_escalate) p.on_escalate(bits, a.dim()); })
      .result;
}

double enclose_norm_up(const SymMatrix& e, const Precision& p) {
  const Top plus = enclose_top(e, p);
  const Top minus = enclose_top(SymMatrix{-e.mid, e.radius}, p);
  if (!plus.ok || !minus.ok) return num::inf;
  return std::max({0.0, plus.lambda1.hi, minus.lambda1.hi});
}

}  // namespace fim::linalg
