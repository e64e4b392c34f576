#include "search/case_gen.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "numeric/interval.hpp"
#include "search/matrix_gen.hpp"

namespace fim::search {
using claims::MatrixCase;
using Eigen::MatrixXd;

namespace {
constexpr double num_inf() { return std::numeric_limits<double>::infinity(); }
}  // namespace

namespace {

// Some matrix families have a minimum or fixed size (1 x 1 specials, 2 x 2 blocks): crop or pad
// with zeros to n x n, which keeps the matrix exact and symmetric.
MatrixXd fit(const MatrixXd& m, int n) {
  if (m.rows() == n) return m;
  MatrixXd out = MatrixXd::Zero(n, n);
  const Eigen::Index k = std::min<Eigen::Index>(n, m.rows());
  out.topLeftCorner(k, k) = m.topLeftCorner(k, k);
  return out;
}

MatrixGen family_gen(Family family, int n) {
  const DimGen fixed = rc::gen::just(n);
  const MatrixGen g = family == Family::Random ? random(fixed)
                      : family == Family::Adversarial ? adversarial(fixed) : any(fixed);
  return rc::gen::map(g, [n](const MatrixXd& m) { return fit(m, n); });
}

// Eigenvalues of a diagonal A: small integers / 8, with a repeated top, a near-degenerate top
// (gap 2^-k relative, k up to 60), each one case in eight, or a well-separated one.
rc::Gen<MatrixXd> diagonal_a(int n) {
  return rc::gen::map(
      // resize: RapidCheck's inRange grows with the size parameter; spectra should not
      rc::gen::resize(100, rc::gen::tuple(rc::gen::container<std::vector<int>>(
                                              static_cast<std::size_t>(n), rc::gen::inRange(-64, 65)),
                                          rc::gen::inRange(0, 8), rc::gen::inRange(0, 61))),
      [n](const std::tuple<std::vector<int>, int, int>& t) {
        const auto& [ints, kind, k] = t;
        MatrixXd a = MatrixXd::Zero(n, n);
        for (int i = 0; i < n; ++i) a(i, i) = ints[static_cast<std::size_t>(i)] / 8.0;
        if (n >= 2) {
          Eigen::Index top = 0;
          const double l1 = a.diagonal().maxCoeff(&top);
          const Eigen::Index other = top == 0 ? 1 : 0;
          if (kind == 1) a(other, other) = l1;  // repeated top: g = 0
          if (kind == 2) a(other, other) = l1 - std::ldexp(std::max(1.0, std::fabs(l1)), -k);
        }
        return a;
      });
}

// E: a matrix family scaled by 2^-s, or an equality case.
rc::Gen<MatrixXd> perturbation(Family family, int n) {
  const MatrixGen base = family_gen(family, n);
  const auto scaled = rc::gen::map(rc::gen::pair(base, rc::gen::inRange(0, 41)),
                                   [](const std::pair<MatrixXd, int>& p) {
                                     return MatrixXd(std::ldexp(1.0, -p.second) * p.first);
                                   });
  // equality cases: c I, and E with e_1 as eigenvector (first row and column zero but E_11)
  const auto scalar = rc::gen::map(rc::gen::inRange(-16, 17), [n](int c) {
    return MatrixXd(MatrixXd::Identity(n, n) * (c / 4.0));
  });
  const auto block = rc::gen::map(scaled, [](MatrixXd e) {
    for (Eigen::Index j = 1; j < e.rows(); ++j) e(0, j) = e(j, 0) = 0;
    return e;
  });
  return rc::gen::weightedOneOf<MatrixXd>({{16, scaled}, {1, scalar}, {1, block}});
}

// For claims read in A's eigenbasis: E rescaled by a power of two (exact) so that its largest
// entry is about 2^-s times the top gap of A (or A's spread when the top is repeated), s >= 1:
// most cases then satisfy ||E|| < g/2 and the rest probe the hypothesis boundary.
MatrixXd relative_to_gap(const MatrixXd& a, MatrixXd e, int s) {
  const Eigen::VectorXd d = a.diagonal();
  Eigen::Index top = 0;
  const double l1 = d.maxCoeff(&top);
  double l2 = -num_inf();
  for (Eigen::Index j = 0; j < d.size(); ++j)
    if (j != top) l2 = std::max(l2, d(j));
  double scale = l1 - l2;
  if (!(scale > 0) || !std::isfinite(scale)) scale = std::max(1.0, d.cwiseAbs().maxCoeff());
  const double e_max = e.cwiseAbs().maxCoeff();
  if (!(e_max > 0) || !std::isfinite(e_max)) return e;
  const int shift = static_cast<int>(std::lround(std::log2(scale / e_max))) - s;
  return std::ldexp(1.0, std::clamp(shift, -1000, 1000)) * e;
}

}  // namespace

Family parse_family(const std::string& name) {
  if (name == "random") return Family::Random;
  if (name == "adversarial") return Family::Adversarial;
  if (name == "all") return Family::All;
  throw std::invalid_argument("unknown family '" + name + "' (random, adversarial, all)");
}

rc::Gen<MatrixCase> cases(Family family, int dim_lo, int dim_hi, bool diag_a) {
  return rc::gen::mapcat(rc::gen::resize(100, dimension_range(dim_lo, dim_hi)), [=](int n) {
    if (diag_a)
      return rc::gen::map(rc::gen::tuple(diagonal_a(n), perturbation(family, n), rc::gen::inRange(1, 31)),
                          [](const std::tuple<MatrixXd, MatrixXd, int>& t) {
                            const auto& [a, e, s] = t;
                            return MatrixCase{a, relative_to_gap(a, e, s)};
                          });
    return rc::gen::map(rc::gen::pair(family_gen(family, n), perturbation(family, n)),
                        [](const std::pair<MatrixXd, MatrixXd>& p) { return MatrixCase{p.first, p.second}; });
  });
}

rc::Gen<MatrixCase> cases(Family family, int dim_lo, int dim_hi, const claims::CaseShape& shape) {
  const auto pairs = cases(family, dim_lo, dim_hi, shape.diagonal_a);
  if (!shape.with_b && shape.psd.empty()) return pairs;
  const auto with_b = !shape.with_b ? pairs : rc::gen::mapcat(pairs, [family](const MatrixCase& c) {
    return rc::gen::map(family_gen(family, static_cast<int>(c.a.rows())),
                        [c](const MatrixXd& b) { return MatrixCase{c.a, c.e, b}; });
  });
  return rc::gen::map(with_b, [shape](const MatrixCase& c) { return shaped(c, shape); });
}

MatrixXd positive_semidefinite(const MatrixXd& m) {
  MatrixXd p = m;
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    double row = 0;  // upward: the diagonal is at least the exact absolute row sum
    for (Eigen::Index j = 0; j < m.cols(); ++j) row = num::add_up(row, std::fabs(m(i, j)));
    p(i, i) = std::isfinite(row) ? row : 0;  // an overflowing row: zero it, still PSD
    if (!std::isfinite(row)) p.row(i).setZero(), p.col(i).setZero();
  }
  return p;
}

MatrixCase shaped(MatrixCase c, const claims::CaseShape& shape) {
  for (const char x : shape.psd) {
    MatrixXd& m = x == 'A' ? c.a : x == 'B' ? c.b : c.e;
    if (m.size() > 0) m = positive_semidefinite(m);
  }
  return c;
}

rc::Shrinkable<MatrixCase> nth_case(const rc::Gen<MatrixCase>& gen, std::uint64_t seed, int k) {
  rc::Random r(seed);
  for (int i = 0; i < k % 64; ++i) r.next();
  return gen(rc::Random(r.next() ^ (0x9e3779b97f4a7c15ull * static_cast<std::uint64_t>(k + 1))),
             k % 100);
}

}  // namespace fim::search
