#include "claims/eigen_inequality.hpp"

#include "claims/eigen_structure.hpp"

#include <cstdio>

#include "linalg/enclose_spectrum.hpp"
#include "linalg/enclose_spectrum_mp.hpp"
#include "linalg/product_bounds.hpp"

namespace fim::claims {
using Eigen::MatrixXd;
using num::Ival;

namespace {

// fl(A + E) with the exact rounding error of each entry (TwoSum): the ball {A + E} (Lemma 0, 5a).
linalg::SymMatrix exact_sum_ball(const MatrixXd& a, const MatrixXd& e) {
  linalg::SymMatrix s{a + e, 0.0};
  MatrixXd err(a.rows(), a.cols());
  for (Eigen::Index j = 0; j < a.cols(); ++j)
    for (Eigen::Index i = 0; i < a.rows(); ++i) {
      const double sum = s.mid(i, j), bb = sum - a(i, j);
      err(i, j) = (a(i, j) - (sum - bb)) + (e(i, j) - bb);
      if (!std::isfinite(err(i, j))) err(i, j) = num::inf;
    }
  s.radius = linalg::norm2_up(err);
  return s;
}

std::vector<Ival> eig_fp(const linalg::SymMatrix& m, bool& ok) {
  const linalg::Spectrum s = linalg::enclose_spectrum_fp(m);
  ok = ok && s.ok;
  return s.eig;
}

std::vector<num::MpIval> eig_mp(const linalg::MpMatrix& m, bool& ok) {
  const linalg::SpectrumMp s = linalg::enclose_spectrum_mpi(m);
  ok = ok && s.ok;
  return s.eig;
}

}  // namespace

nlohmann::json hex_matrix(const MatrixXd& m) {
  nlohmann::json rows = nlohmann::json::array();
  char buf[40];
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    nlohmann::json row = nlohmann::json::array();
    for (Eigen::Index j = 0; j < m.cols(); ++j) {
      std::snprintf(buf, sizeof buf, "%a", m(i, j));
      row.push_back(buf);
    }
    rows.push_back(row);
  }
  return rows;
}

PairSpectra<Ival> pair_spectra_fp(const MatrixCase& c) {
  PairSpectra<Ival> s;
  s.ok = true;
  s.a = eig_fp({c.a, 0.0}, s.ok);
  s.e = eig_fp({c.e, 0.0}, s.ok);
  s.sum = eig_fp(exact_sum_ball(c.a, c.e), s.ok);
  return s;
}

PairSpectra<num::MpIval> pair_spectra_mp(const MatrixCase& c) {
  PairSpectra<num::MpIval> s;
  s.ok = true;
  const linalg::MpMatrix a = linalg::to_mp(c.a), e = linalg::to_mp(c.e);
  s.a = eig_mp(a, s.ok);
  s.e = eig_mp(e, s.ok);
  s.sum = eig_mp(a + e, s.ok);  // MPFI sums enclose the exact A + E
  return s;
}

Outcome decide_linear_at(const std::vector<LinearIneq>& ineqs, const std::string& claim,
                         const Variant& v, const MatrixCase& c, int bits) {
  Outcome out;
  if (bits <= 53) {
    const auto s = pair_spectra_fp(c);
    if (s.ok) out = decide_linear(ineqs, s, claim, v, c);
  } else {
    const num::ScopedPrecision precision(bits);
    const auto s = pair_spectra_mp(c);
    if (s.ok) out = decide_linear(ineqs, s, claim, v, c);
    bits = precision.bits();
  }
  out.bits = bits;
  if (out.where.empty() && out.verdict == Verdict::Undecided) out.where = "enclosure failed";
  return out;
}

double approx_linear_margin(const std::vector<LinearIneq>& ineqs, const MatrixCase& c) {
  const auto eig = [](const MatrixXd& m) -> Eigen::VectorXd {
    return Eigen::SelfAdjointEigenSolver<MatrixXd>(m, Eigen::EigenvaluesOnly).eigenvalues().reverse();
  };
  const Eigen::VectorXd a = eig(c.a), e = eig(c.e), sum = eig(c.a + c.e);
  const auto value = [&](const EigTerm& t) {
    return t.coef * (t.matrix == "A" ? a : t.matrix == "E" ? e : sum)(t.index - 1);
  };
  double worst = -num::inf;
  for (const LinearIneq& q : ineqs) {
    double lhs = 0, rhs = q.constant, scale = 1 + std::fabs(q.constant);
    for (const EigTerm& t : q.lhs) lhs += value(t), scale += std::fabs(value(t));
    for (const EigTerm& t : q.rhs) rhs += value(t), scale += std::fabs(value(t));
    worst = std::max(worst, (lhs - rhs) / scale);
  }
  return worst;
}

std::optional<double> identity_multiple(const MatrixXd& m) {
  if (m.size() == 0 || !m.isDiagonal(0.0) || !(m.diagonal().array() == m(0, 0)).all()) return std::nullopt;
  return m(0, 0);
}

bool holds_by_order(const LinearIneq& q, const MatrixCase& c) {
  const auto a = identity_multiple(c.a), e = identity_multiple(c.e);
  if (!a && !e) return false;
  // each matrix as (base, shift): base 0 = A, 1 = E, -1 none (the matrix is shift * I)
  const auto as_shift = [&](const std::string& m) -> std::pair<int, num::Rational> {
    if (m == "A") return a ? std::pair{-1, num::to_rational(*a)} : std::pair{0, num::Rational(0)};
    if (m == "E") return e ? std::pair{-1, num::to_rational(*e)} : std::pair{1, num::Rational(0)};
    const num::Rational sa = a ? num::to_rational(*a) : 0, se = e ? num::to_rational(*e) : 0;
    return {a && e ? -1 : e ? 0 : 1, a && e ? num::Rational(sa + se) : e ? se : sa};  // A + E
  };
  std::map<std::pair<int, int>, num::Rational> terms;
  num::Rational constant = -num::to_rational(q.constant);
  for (int side : {1, -1})
    for (const EigTerm& t : side > 0 ? q.lhs : q.rhs) {
      const auto [base, shift] = as_shift(t.matrix);
      const num::Rational coef = side * num::to_rational(t.coef);
      constant += coef * shift;
      if (base >= 0) terms[{base, t.index}] += coef;
    }
  return nonpositive_by_order(terms, num::RatIval(constant), false);
}

nlohmann::json to_json(const num::MpIval& x) { return num::to_json(num::to_ival(x)); }

std::string exact_text(double x) { return num::rational_text(num::to_rational(x)); }
std::string exact_text(const num::MpReal& x) { return num::rational_text(num::to_rational(x)); }

nlohmann::json linear_certificate(const std::string& claim, const Variant& v, const MatrixCase& c,
                                  const LinearIneq& q, const nlohmann::json& bounds) {
  return {{"fimcheck_certificate", 2},
          {"kind", "linear-eigenvalue-inequality"},
          {"claim", claim},
          {"variant", v.name},
          {"where", q.place},
          {"matrices", {{"A", hex_matrix(c.a)}, {"E", hex_matrix(c.e)}}},
          {"bounds", bounds}};
}

}  // namespace fim::claims
