// enclose_top: lambda_1 and gap enclosures contain the exactly known values (small and large n).
#include <doctest/doctest.h>

#include <random>

#include "linalg/enclose_spectrum.hpp"
#include "linalg/enclose_top.hpp"
#include "numeric/mp.hpp"
#include "support/exact.hpp"

using fim::linalg::enclose_top;
using fim::linalg::enclose_top_fp;
using fim::linalg::Precision;
using fim::linalg::SymMatrix;
using fim::num::Rational;
using fim::num::to_rational;
using Eigen::MatrixXd;

namespace {
const auto& contains = fim::test::encloses;

// [[a, b], [b, a]]: eigenvalues a + b and a - b, exactly.
MatrixXd block_pair(double a, double b) {
  MatrixXd m(2, 2);
  m << a, b, b, a;
  return m;
}
}  // namespace

TEST_CASE("2x2 [[2,1],[1,2]]: lambda_1 = 3, gap = 2") {
  const auto t = enclose_top({block_pair(2, 1), 0.0}, {});
  REQUIRE(t.ok);
  CHECK(contains(t.lambda1, 3));
  REQUIRE(t.gap);
  CHECK(contains(*t.gap, 2));
  CHECK(t.gap->lo > 0);
}

TEST_CASE("1x1 has no gap and is exact") {
  MatrixXd m(1, 1);
  m << 0.7;
  const auto t = enclose_top({m, 0.0}, {});
  CHECK(t.ok);
  CHECK(!t.gap);
  CHECK(contains(t.lambda1, to_rational(0.7)));
}

TEST_CASE("identity 20x20: valid enclosure, gap not certified positive") {
  const auto t = enclose_top({MatrixXd::Identity(20, 20), 0.0}, {});
  CHECK(contains(t.lambda1, 1));
  REQUIRE(t.gap);
  CHECK(t.gap->lo <= 0);
}

TEST_CASE("dense 20x20 with lambda_1 = lambda_2 (Hadamard construction)") {
  // H diag(d) H^T / 16 with a Sylvester-Hadamard H of order 16: entries are exact dyadics.
  MatrixXd h(1, 1);
  h << 1;
  while (h.rows() < 16) {
    MatrixXd g(2 * h.rows(), 2 * h.rows());
    g << h, h, h, -h;
    h = g;
  }
  Eigen::VectorXd d(16);
  d << 5, 5, 3, 2, 1, 1, 0, 0, 0, -1, -2, 1, 1, 1, 0.5, 0.25;
  const MatrixXd a = h * d.asDiagonal() * h.transpose() / 16.0;
  const auto t = enclose_top({a, 0.0}, {});
  CHECK(contains(t.lambda1, 5));
  REQUIRE(t.gap);
  CHECK(t.gap->lo <= 0);
}

TEST_CASE("gap of 1e-30 relative is certified after escalation to interval arithmetic") {
  const double a = 1.0 / 3, b = 0x1p-100;
  const auto fast = enclose_top({block_pair(a, b), 0.0}, {53, 1e-10});
  CHECK(contains(fast.lambda1, to_rational(a) + to_rational(b)));
  CHECK(fast.gap->lo <= 0);  // binary64 cannot separate them
  const auto slow = enclose_top({block_pair(a, b), 0.0}, {1024, 1e-40});
  CHECK(slow.bits > 53);
  CHECK(contains(slow.lambda1, to_rational(a) + to_rational(b)));
  CHECK(contains(*slow.gap, 2 * to_rational(b)));
  CHECK(slow.gap->lo > 0);
}

TEST_CASE("entries from 1e-300 to 1e300: overflow escalates instead of lying") {
  MatrixXd m(3, 3);
  m << 1e300, 1e-300, 0, 1e-300, 1.0, 1e-300, 0, 1e-300, 1e-300;
  const auto t = enclose_top({m, 0.0}, {});
  REQUIRE(t.ok);
  CHECK(t.lambda1.lo <= 1e300);
  CHECK(t.lambda1.hi >= 1e300);
}

TEST_CASE("large n (Temple path): diagonal-dominant matrix with known top eigenvalue") {
  // block-diagonal: [[a, b], [b, a]] blocks permuted; top eigenvalue a + b of the first block
  const int n = 300;
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  MatrixXd m = MatrixXd::Zero(n, n);
  Rational top = -1;
  for (int i = 0; i + 1 < n; i += 2) {
    const double a = std::ldexp(std::floor(u(rng) * 1024), -10), b = std::ldexp(std::floor(u(rng) * 256), -10);
    m(i, i) = m(i + 1, i + 1) = a;
    m(i, i + 1) = m(i + 1, i) = b;
    top = std::max(top, to_rational(a) + to_rational(b));
  }
  // a random permutation similarity keeps the spectrum and makes the matrix look dense-ish
  Eigen::PermutationMatrix<Eigen::Dynamic> p(n);
  p.setIdentity();
  std::shuffle(p.indices().data(), p.indices().data() + n, rng);
  const MatrixXd a = p * m * p.transpose();
  const auto t = enclose_top_fp({a, 0.0});
  REQUIRE(t.ok);
  CHECK(contains(t.lambda1, top));
}

TEST_CASE("large n Wishart: relative width <= 1e-10 on the binary64 path") {
  const int n = 400, samples = 800;
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal;
  MatrixXd g(samples, n);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < samples; ++i) g(i, j) = normal(rng);
  MatrixXd a = g.transpose() * g / samples;
  a = a.triangularView<Eigen::Upper>();
  a = a.selfadjointView<Eigen::Upper>();
  const auto t = enclose_top_fp({a, 0.0});
  REQUIRE(t.ok);
  CHECK(fim::linalg::relative_width_up(t.lambda1) <= 1e-10);
  const double ref = Eigen::SelfAdjointEigenSolver<MatrixXd>(a, Eigen::EigenvaluesOnly).eigenvalues()(n - 1);
  CHECK(t.lambda1.lo <= ref * (1 + 1e-12));
  CHECK(t.lambda1.hi >= ref * (1 - 1e-12));
}

TEST_CASE("scale: a 140 x 140 matrix times 2^s encloses as tightly for s = -110 and 300 as for 0") {
  MatrixXd m = MatrixXd::Zero(140, 140);
  for (int i = 0; i < 140; ++i) {
    m(i, i) = 3 + (i % 7);
    if (i + 1 < 140) m(i, i + 1) = m(i + 1, i) = 1;
  }
  m(0, 139) = m(139, 0) = 0.5;
  const double w0 = fim::linalg::relative_width_up(enclose_top_fp({m, 0.0}).lambda1);
  for (int s : {-110, -300, 300}) {
    const auto t = enclose_top_fp({std::ldexp(1.0, s) * m, 0.0});
    REQUIRE(t.ok);
    CHECK(fim::linalg::relative_width_up(t.lambda1) <= 2 * w0 + 1e-15);
  }
}

TEST_CASE("MPFI path survives eigenvalues where Boost's MPFR-to-MPFI conversion fails (2^123)") {
  MatrixXd m(2, 2);
  m << 0x1.5p123, 0x1.3p121, 0x1.3p121, 0x1.1p122;
  CHECK(fim::linalg::enclose_spectrum_mp({m, 0.0}, 113).ok);
}
