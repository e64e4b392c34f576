// enclose_gram: ||K^ - G G^T||_2 <= radius for the exact G G^T (checked in rationals: every entry
// error <= radius is necessary, Frobenius norm <= radius sufficient), with cancelling scores.
#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include "linalg/gram.hpp"
#include "numeric/mp.hpp"

using Eigen::Index;
using Eigen::MatrixXd;
using fim::num::Rational;
using fim::num::to_rational;

namespace {
fim::linalg::SymMatrix gram_of(const MatrixXd& g) {
  return fim::linalg::enclose_gram(g.rows(), g.cols(),
                                   [&g](Index r0, Index h, Index c0, Index w, MatrixXd& out) {
                                     out = g.block(r0, c0, h, w);
                                   });
}
// max |K^ - K|_ij and the squared Frobenius norm of K^ - K, exactly; K = G G^T or G^T G.
std::pair<Rational, Rational> exact_error(const MatrixXd& g, const MatrixXd& k_hat) {
  const bool rows = g.rows() < g.cols();
  const Index dim = rows ? g.rows() : g.cols(), terms = rows ? g.cols() : g.rows();
  Rational max_err = 0, frob2 = 0;
  for (Index i = 0; i < dim; ++i)
    for (Index j = 0; j < dim; ++j) {
      Rational s = 0;
      for (Index t = 0; t < terms; ++t)
        s += rows ? to_rational(g(i, t)) * to_rational(g(j, t)) : to_rational(g(t, i)) * to_rational(g(t, j));
      Rational e = abs(to_rational(k_hat(i, j)) - s);
      max_err = std::max(max_err, e);
      frob2 += e * e;
    }
  return {max_err, frob2};
}
}  // namespace

TEST_CASE("radius covers the exact Gram matrix, in both orientations and across chunks") {
  std::mt19937_64 rng(23);
  std::normal_distribution<double> normal;
  for (auto [n, d] : {std::pair<Index, Index>{3, 700}, {600, 4}, {5, 5}}) {
    MatrixXd g(n, d);
    for (Index j = 0; j < d; ++j)
      for (Index i = 0; i < n; ++i)
        g(i, j) = normal(rng) * (j % 3 == 0 ? 1e8 : 1.0) * (i % 2 ? -1 : 1);  // cancellation
    const auto k = gram_of(g);
    const auto [max_err, frob2] = exact_error(g, k.mid);
    const Rational r = to_rational(k.radius);
    CHECK(max_err <= r);
    CHECK(frob2 <= r * r);
    // a radius a million times too small is refuted by the exact entry error
    if (max_err > 0) CHECK(max_err > r / 1000000 / 1000000 / 1000000);
  }
}

TEST_CASE("exact integer scores: centre exact, radius tiny relative to the trace") {
  MatrixXd g(2, 3);
  g << 1, 2, 3, 4, 5, 6;
  const auto k = gram_of(g);
  CHECK(k.mid(0, 0) == 14);
  CHECK(k.mid(0, 1) == 32);
  CHECK(k.mid(1, 1) == 77);
  CHECK(k.radius < 1e-13 * (14 + 77));  // gamma_h * trace with h ~ 260
}

namespace {
fim::linalg::SymMatrix gram_dd_of(const MatrixXd& g) {
  return fim::linalg::enclose_gram_dd(g.rows(), g.cols(),
                                      [&g](Index r0, Index h, Index c0, Index w, MatrixXd& out) {
                                        out = g.block(r0, c0, h, w);
                                      });
}
}  // namespace

TEST_CASE("double-double Gram (Lemma 13): radius covers the exact matrix and is far below Lemma 1b's") {
  std::mt19937_64 rng(29);
  std::normal_distribution<double> normal;
  std::uniform_int_distribution<int> scale(-1060, -900);
  for (auto [n, d] : {std::pair<Index, Index>{3, 700}, {600, 4}, {5, 5}, {8, 20}}) {
    for (int kind = 0; kind < 3; ++kind) {
      MatrixXd g(n, d);
      for (Index j = 0; j < d; ++j)
        for (Index i = 0; i < n; ++i) {
          const double x = normal(rng) * (j % 3 == 0 ? 1e8 : 1.0) * (i % 2 ? -1 : 1);  // cancellation
          // kind 1: products in the subnormal range (TwoProduct is inexact there); kind 2: float32
          g(i, j) = kind == 1 ? std::ldexp(normal(rng), scale(rng) / 2) : kind == 2 ? double(float(x)) : x;
        }
      const auto dd = gram_dd_of(g), fast = gram_of(g);
      const auto [max_err, frob2] = exact_error(g, dd.mid);
      const Rational r = to_rational(dd.radius);
      CHECK(max_err <= r);
      CHECK(frob2 <= r * r);
      if (kind != 1) CHECK(dd.radius * 100 < fast.radius);  // what escalation buys
    }
  }
  // A radius without the rounding of res to binary64 (u ||res||_F) is refuted exactly: that term
  // is needed, so the bound is not vacuously large.
  MatrixXd g(2, 3);
  g << 0.1, 0.2, 0.3, 0.7, 0.11, 0.13;
  const auto dd = gram_dd_of(g);
  const auto [max_err, frob2] = exact_error(g, dd.mid);
  CHECK(max_err > 0);
  CHECK(max_err <= to_rational(dd.radius));
  CHECK(max_err * 1000 > to_rational(dd.radius) / 1000);
}

TEST_CASE("double-double Gram of G = 0 is exactly 0") {
  const auto k = gram_dd_of(MatrixXd::Zero(3, 5));
  CHECK(k.radius == 0);
  CHECK(k.mid.isZero(0));
  CHECK(gram_of(MatrixXd::Zero(4, 2)).radius == 0);
}
