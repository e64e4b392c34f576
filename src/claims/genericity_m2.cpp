// C4 genericity in model M2 (score noise, proofs/genericity.md Lemma 6, Propositions 4 and 7), in
// F's eigenbasis: the case's A = diag(gamma) is the score matrix G (n = d samples, g_i = gamma_i e_i,
// F = G^T G / n = diag(gamma^2) / n) and its E = C gives eps_i = C xi_i with E[xi_i xi_i^T] = I,
// Sigma = C C^T. c2 is certified for every such xi; the mean is decided exactly for Rademacher xi
// when the draws are few (2^(n m) <= 64, m = nonzero columns of C) and estimated for Gaussian xi.
#include <cmath>
#include <random>

#include "claims/eigen_inequality.hpp"
#include "claims/genericity.hpp"
#include "claims/registry.hpp"
#include "linalg/enclose_spectrum.hpp"
#include "linalg/enclose_spectrum_mp.hpp"
#include "linalg/interval_box.hpp"
#include "linalg/product_bounds.hpp"
#include "numeric/fp.hpp"

namespace fim::claims {
namespace {

using num::MpIval;
using num::MpReal;
constexpr int kMaxDrawBits = 6;  // exact-expectation mode up to 2^6 draws

struct ScoreNoise {
  Eigen::VectorXd gamma;      // g_i = gamma_i e_i
  Eigen::MatrixXd c;          // eps_i = C xi_i
  std::vector<Eigen::Index> columns;  // the nonzero columns of C (the others never matter)
  TopOfDiagonal top;          // of |gamma|: the order of lambda_j = gamma_j^2 / n, exactly
  int n() const { return static_cast<int>(gamma.size()); }
  int draw_bits() const { return n() * static_cast<int>(columns.size()); }
};

ScoreNoise score_noise(const MatrixCase& c) {
  ScoreNoise s{c.a.diagonal(), c.e, {}, top_of_diagonal(c.a.diagonal().cwiseAbs())};
  for (Eigen::Index k = 0; k < c.e.cols(); ++k)
    if (c.e.col(k).cwiseAbs().maxCoeff() > 0) s.columns.push_back(k);
  return s;
}

template <class I>
I lambda(const ScoreNoise& s, Eigen::Index j) { return I(s.gamma(j)) * I(s.gamma(j)) / I(s.n()); }

template <class I>
I sigma_diag(const ScoreNoise& s, Eigen::Index j) {  // Sigma_jj = sum_k C_jk^2
  I sum = I(0);
  for (Eigen::Index k = 0; k < s.c.cols(); ++k) sum = sum + I(s.c(j, k)) * I(s.c(j, k));
  return sum;
}

// c2 with its first term v_1^T Sigma v_1 weighted by `first` (1 as stated; Lemma 6, item 2):
// c2 = first Sigma_tt + (1/n) sum_{j != t} (lambda_j Sigma_tt + lambda_1 Sigma_jj) / (lambda_1 - lambda_j).
template <class I>
I c2_m2(const ScoreNoise& s, int first) {
  const Eigen::Index t = s.top.t;
  const I l1 = lambda<I>(s, t), stt = sigma_diag<I>(s, t);
  I rest = I(0);
  for (Eigen::Index j = 0; j < s.n(); ++j)
    if (j != t) {
      const I lj = lambda<I>(s, j);
      rest = rest + (lj * stt + l1 * sigma_diag<I>(s, j)) / (l1 - lj);
    }
  return I(first) * stt + rest / I(s.n());
}

// The entries (row-major) of F(eps) for the draw whose bit (i m + k) set means xi_ik = -1, enclosed
// in the interval type I (every operation outward-rounded: the exact matrix lies inside).
template <class I>
std::vector<I> draw_entries(const ScoreNoise& s, unsigned draw) {
  const int n = s.n(), m = static_cast<int>(s.columns.size());
  std::vector<I> f(n * n, I(0));
  for (int i = 0; i < n; ++i) {
    std::vector<I> u(n, I(0));
    u[i] = I(s.gamma(i));
    for (int k = 0; k < m; ++k) {
      const bool minus = (draw >> (i * m + k)) & 1u;
      for (int r = 0; r < n; ++r) u[r] = u[r] + I(minus ? -s.c(r, s.columns[k]) : s.c(r, s.columns[k]));
    }
    for (int r = 0; r < n; ++r)
      for (int q = 0; q < n; ++q) f[r * n + q] = f[r * n + q] + u[r] * u[q];
  }
  for (I& x : f) x = x / I(n);
  return f;
}

// lambda_1 of the draw: binary64 ball around the midpoints (radius from the entrywise distances,
// LA Lemmas 2 and 5) at 53 bits, MPFI above.
MpIval draw_top(const ScoreNoise& s, unsigned draw, int bits, bool& ok) {
  const int n = s.n();
  if (bits <= 53) {
    const std::vector<num::Ival> f = draw_entries<num::Ival>(s, draw);  // (r, q) and (q, r) alike
    const linalg::Spectrum sp = linalg::enclose_spectrum_fp(linalg::ball_of(linalg::box_of(n, n, f)));
    ok = ok && sp.ok;
    return sp.ok ? num::to_mp(sp.eig.front()) : MpIval(0);
  }
  const std::vector<MpIval> f = draw_entries<MpIval>(s, draw);
  linalg::MpMatrix m(n, n);
  for (int r = 0; r < n; ++r)
    for (int q = 0; q < n; ++q) m(r, q) = f[r * n + q];
  const linalg::SpectrumMp sp = linalg::enclose_spectrum_mpi(m);
  ok = ok && sp.ok;
  return sp.ok ? sp.eig.front() : MpIval(0);
}

// Proposition 7's l >= ||L||, q >= ||Q|| for Rademacher xi (proofs/genericity.md, Lemma 8):
// ||eps_i|| <= ||eps_i||_1 <= c1 = sum |C_jk|, so ||L|| <= (2/n) sum_i |gamma_i| c1 and ||Q|| <= (2/n) sum_i ||eps_i||^2 <= 2 c1^2.
struct NoiseNorms { MpIval ell, q; };
NoiseNorms noise_norms(const ScoreNoise& s) {
  MpIval c1(0), gsum(0);
  for (Eigen::Index k = 0; k < s.c.size(); ++k) c1 = c1 + MpIval(std::fabs(s.c.data()[k]));
  for (int i = 0; i < s.n(); ++i) gsum = gsum + MpIval(std::fabs(s.gamma(i)));
  return {MpIval(2) * gsum * c1 / MpIval(s.n()), MpIval(2) * c1 * c1};
}

struct ExactMean {
  MpIval delta;                                 // E[lambda_1(F(eps))] - lambda_1, Rademacher xi
  std::vector<MpIval> tops;                     // lambda_1 of each draw
  bool ok = false;
};

ExactMean exact_mean(const ScoreNoise& s, int bits) {
  ExactMean e;
  const unsigned draws = 1u << s.draw_bits();
  MpIval sum(0);
  e.ok = true;
  for (unsigned k = 0; k < draws && e.ok; ++k) {
    e.tops.push_back(draw_top(s, k, bits, e.ok));
    sum = sum + e.tops.back();
  }
  e.delta = sum / MpIval(static_cast<double>(draws)) - lambda<MpIval>(s, s.top.t);
  return e;
}

nlohmann::json certificate(const Variant& v, const MatrixCase& c, const ScoreNoise& s,
                           const MeanReading& r, const ExactMean& e) {
  nlohmann::json bounds = nlohmann::json::array();
  for (std::size_t k = 0; k < e.tops.size(); ++k)
    for (const char* side : {"lower", "upper"})
      bounds.push_back({{"matrix", "draw " + std::to_string(k)}, {"index", 1},
                        {side, exact_text(MpReal(side[0] == 'l' ? lower(e.tops[k]) : upper(e.tops[k])))}});
  (void)s;
  // verify-cert derives the draws, c2, B and the reading's inequality from (variant, model, reading):
  // draw K has xi_ik = -1 where bit (i m + k) of K is set, k over the nonzero columns of C = matrix E
  return {{"fimcheck_certificate", 2}, {"kind", "genericity-mean"}, {"claim", "genericity"},
          {"variant", v.name}, {"where", {{"model", "M2"}, {"reading", r.prop7 ? "proposition-7" : "mean-increase"}}},
          {"matrices", {{"A", hex_matrix(c.a)}, {"E", hex_matrix(c.e)}}},
          {"bounds", bounds}};
}
// Gaussian xi, control variate Y = lambda_1(F(eps)) - F(eps)_tt with known mean Sigma_tt (4.4).
nlohmann::json monte_carlo_m2(const MatrixCase& c, const ScoreNoise& s) {
  const int n = s.n(), draws = n <= 16 ? 64 : 16;
  std::mt19937_64 rng(case_seed(c));
  std::normal_distribution<double> normal;
  std::vector<double> y;
  for (int k = 0; k < draws; ++k) {
    Eigen::MatrixXd g = Eigen::MatrixXd(s.gamma.asDiagonal());  // rows g_i^T
    for (int i = 0; i < n; ++i) {
      Eigen::VectorXd xi(n);
      for (int r = 0; r < n; ++r) xi(r) = normal(rng);
      g.row(i) += (s.c * xi).transpose();
    }
    const Eigen::MatrixXd f = g.transpose() * g / n;
    const double top = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(f, Eigen::EigenvaluesOnly).eigenvalues().maxCoeff();
    y.push_back(top - f(s.top.t, s.top.t));
  }
  nlohmann::json j = monte_carlo_json(y, s.c.row(s.top.t).squaredNorm());
  j["xi"] = "N(0, I)";
  return j;
}

class GenericityM2 final : public Claim {
 public:
  std::string name() const override { return "genericity"; }
  bool diagonal_a() const override { return true; }
  std::string tightness_meaning() const override {
    return "(E[lambda_1(F(eps))] - lambda_1) / c2, Rademacher mean";
  }
  std::vector<std::pair<std::string, std::string>> holds_scopes() const override { return genericity_holds_scopes(); }
  // F and F(eps) for the draws xi_i = +C's columns and xi_i = -C's columns (all samples alike).
  std::vector<std::pair<std::string, Eigen::MatrixXd>> spectra_to_plot(const MatrixCase& c) const override {
    const Eigen::Index n = c.a.rows();
    const Eigen::MatrixXd g = c.a.diagonal().asDiagonal(), ones = c.e * Eigen::VectorXd::Ones(n) * Eigen::RowVectorXd::Ones(n);
    const auto fim = [&](const Eigen::MatrixXd& rows) { return Eigen::MatrixXd(rows.transpose() * rows / double(n)); };
    return {{"F", fim(g)}, {"F(+eps)", fim(g + ones.transpose())}, {"F(-eps)", fim(g - ones.transpose())}};
  }
  // False variants: proofs/genericity.md section 6, V2 (c2's first term dropped or sign-flipped).
  std::vector<Variant> variants() const override {
    return {{"stated", "M2, eps_i = C xi_i: g > 0 and c2 > 0 (genericity); E[lambda_1(F(eps))] >= lambda_1, "
                       "and |E[lambda_1(F(eps))] - lambda_1 - c2| <= B (Proposition 7) when 2 rho < g", true},
            {"no-first-term", "|E[lambda_1] - lambda_1 - c2''| <= B with c2'' = c2 - v_1^T Sigma v_1", false},
            {"first-term-sign", "|E[lambda_1] - lambda_1 - c2'| <= B with c2' = c2 - 2 v_1^T Sigma v_1", false}};
  }

  Outcome check_at(const MatrixCase& c, const std::string& variant, int bits) const override {
    const Variant v = *find_variant(*this, variant);
    const ScoreNoise s = score_noise(c);
    Outcome out;
    out.verdict = Verdict::HypothesisFails;
    if (s.n() < 2) out.where = "n = 1: no lambda_2";
    else if (s.top.lambda2 == s.top.lambda1) out.where = "g = 0: repeated top eigenvalue (genericity fails)";
    else if (s.columns.empty()) out.where = "Sigma = 0: no noise, c2 = 0 (genericity fails)";
    if (!out.where.empty()) return out;
    if (!v.proved && s.draw_bits() > kMaxDrawBits) {  // a statement about the mean, not decidable here
      out.verdict = Verdict::Undecided;
      out.where = "the exact mean needs more than 2^" + std::to_string(kMaxDrawBits) + " draws";
      return out;
    }
    const num::ScopedPrecision precision(std::max(bits, 113));  // c2 and B in MPFI (cheap scalars)
    out = decide(c, v, s, bits);
    out.bits = bits <= 53 ? 53 : precision.bits();
    out.evidence["monte_carlo"] = monte_carlo_m2(c, s);
    return out;
  }

 private:
  static Outcome decide(const MatrixCase& c, const Variant& v, const ScoreNoise& s, int bits) {
    const MpIval c2 = c2_m2<MpIval>(s, 1), l1 = lambda<MpIval>(s, s.top.t);
    const MpIval g = l1 - lambda<MpIval>(s, static_cast<Eigen::Index>(second_index(s)));
    Outcome out;
    out.verdict = Verdict::Holds;
    out.evidence = {{"model", "M2"}, {"c2", to_json(c2)}, {"gap", to_json(g)},
                    {"prop4_lower_bound", to_json(sigma_diag<MpIval>(s, s.top.t))}};
    if (v.proved && !(lower(c2) > 0)) {
      out.verdict = Verdict::Undecided;
      out.where = "c2 > 0 not certified at this precision";
      return out;
    }
    out.where = "hypothesis certified: g > 0, c2 >= tr(Sigma)/n > 0; mean checked exactly";
    if (s.draw_bits() > kMaxDrawBits) {  // the mean is then only estimated (Monte Carlo): not checked
      out.where = "hypothesis certified: g > 0, c2 >= tr(Sigma)/n > 0; mean not checked: the exact mean needs 2^" +
                  std::to_string(s.draw_bits()) + " > 2^" + std::to_string(kMaxDrawBits) + " draws";
      out.holds_scope = kMeanNotChecked;
      return out;
    }
    const ExactMean e = exact_mean(s, bits);
    if (!e.ok) {
      out.verdict = Verdict::Undecided;
      out.where = "enclosure failed";
      return out;
    }
    out.evidence["mean_increase_rademacher"] = to_json(e.delta);
    const NoiseNorms nn = noise_norms(s);
    const MpIval rho = nn.ell + nn.q / MpIval(2);
    for (const MeanReading& r : mean_readings(v.name)) {
      const MpIval predicted = MpIval(r.coef) * c2_m2<MpIval>(s, r.first_term);
      Verdict verdict;
      if (!r.prop7) {
        verdict = decide_le(predicted, e.delta);
      } else {
        if (!(upper(MpIval(2) * rho) < lower(g))) {  // Proposition 7 needs 2 rho < g
          if (v.proved) continue;
          // rho is Lemma 8's upper bound, so 2 rho >= g never shows the hypothesis false
          out.verdict = Verdict::Undecided;
          out.where = "hypothesis 2 rho < g of Proposition 7 not certified (rho is an upper bound only)";
          return out;
        }
        const MpIval bound = (nn.ell * nn.q + nn.q * nn.q / MpIval(4)) / g +
                             MpIval(2) * rho * rho * rho / (g * (g - MpIval(2) * rho));
        out.evidence["bound_B"] = to_json(bound);
        out.evidence["strict_increase_certified"] = lower(c2) > upper(bound);
        verdict = decide_le(abs(e.delta - predicted), bound);
      }
      out.verdict = conjoin(out.verdict, verdict);
      if (verdict == Verdict::Holds) continue;
      out.where = r.where;
      if (verdict == Verdict::Violated) {
        out.certificate = certificate(v, c, s, r, e);
        break;
      }
    }
    if (v.proved && out.verdict == Verdict::Holds) out.holds_scope = kMeanCheckedExactly;
    const double ratio_to_c2 = static_cast<double>((lower(e.delta) + upper(e.delta)) / (lower(c2) + upper(c2)));
    if (lower(c2) > 0 && std::isfinite(ratio_to_c2)) out.tightness = ratio_to_c2;
    return out;
  }

  static Eigen::Index second_index(const ScoreNoise& s) {
    Eigen::Index best = s.top.t == 0 ? 1 : 0;
    for (Eigen::Index j = 0; j < s.n(); ++j)
      if (j != s.top.t && std::fabs(s.gamma(j)) > std::fabs(s.gamma(best))) best = j;
    return best;
  }
};

}  // namespace

const Claim& genericity_m2_claim() {
  static const GenericityM2 claim;
  return claim;
}

}  // namespace fim::claims
