// Per-group curvature (proofs/linear-algebra.md, Corollary 1c): on sharded scores whose groups have
// eigenvalues known in closed form (rank one, G_g = u v^T: lambda_max = trace = |u|^2 |v|^2 / n;
// rows or columns of disjoint support: a diagonal Gram matrix), every group's lambda_max and trace
// enclosures contain the exact values and are narrow; the pass's total is the PartialSum of the
// groups' partials, bit for bit; block_curvature does the same from a ball of G^T G.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fim/group_curvature.hpp"
#include "support/exact.hpp"
#include "support/io_checks.hpp"
#include "support/npy_files.hpp"

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;
using fim::num::Ival;
using fim::num::Rational;
using fim::num::to_rational;
using fim::test::encloses;
using nlohmann::json;

namespace {

fim::linalg::BlockReader reader_of(const MatrixXd& g) {
  return [&g](Index r0, Index h, Index c0, Index w, MatrixXd& out) { out = g.block(r0, c0, h, w); };
}

// A dyadic value with 26 significant bits in [-1, 1): products of two are exact in binary64,
// but sums of their squares round.
double dyadic26(std::mt19937_64& rng) {
  return std::ldexp(double(static_cast<long long>(rng() % (1u << 26)) - (1 << 25)), -25);
}

Rational norm2(const VectorXd& x) {
  Rational s = 0;
  for (Index i = 0; i < x.size(); ++i) s += to_rational(x(i)) * to_rational(x(i));
  return s;
}

// A group of known curvature: lambda_max and trace of G_g^T G_g (not yet divided by n).
struct Known {
  std::string name;
  Index c0, c1;
  Rational lambda, trace;
};

// Fills columns [c0, c0 + v.size()) of g with u v^T (every entry exact: u has small integers).
Known rank_one(MatrixXd& g, const std::string& name, Index c0, const VectorXd& u, const VectorXd& v) {
  g.middleCols(c0, v.size()) = u * v.transpose();
  const Rational l = norm2(u) * norm2(v);
  return {name, c0, c0 + v.size(), l, l};
}

// Fills columns [c0, c0 + w) of g so that row i is nonzero only in columns c0 + i, c0 + i + n, ...:
// G_g G_g^T is diagonal, with the rows' squared norms on it.
Known disjoint_rows(MatrixXd& g, const std::string& name, Index c0, Index w, std::mt19937_64& rng) {
  const Index n = g.rows();
  g.middleCols(c0, w).setZero();
  for (Index j = 0; j < w; ++j) g(j % n, c0 + j) = dyadic26(rng);
  Rational lambda = 0, trace = 0;
  for (Index i = 0; i < n; ++i) {
    const Rational r = norm2(g.row(i).segment(c0, w).transpose());
    lambda = std::max(lambda, r);
    trace += r;
  }
  return {name, c0, c0 + w, lambda, trace};
}

VectorXd dyadic_vector(Index size, std::mt19937_64& rng) {
  VectorXd v(size);
  for (Index j = 0; j < size; ++j) v(j) = dyadic26(rng);
  return v;
}

json param(const std::string& name, Index c0, Index c1) {
  return {{"name", name}, {"columns", {c0, c1}}, {"shape", {c1 - c0}}};
}

// The relative width of an enclosure of a positive value.
double rel_width(const Ival& x) { return (x.hi - x.lo) / x.lo; }

// The groups' enclosures contain the exact lambda_max / n and trace / n, and are narrow.
void check_known(const fim::fim::GroupCurvature& c, const Known& k, Index n) {
  INFO("group " << k.name);
  CHECK(c.name == k.name);
  CHECK(c.c0 == k.c0);
  CHECK(c.c1 == k.c1);
  const Rational nn = Rational(static_cast<long long>(n));
  CHECK(encloses(c.lambda_max, k.lambda / nn));
  CHECK(encloses(c.trace, k.trace / nn));
  CHECK(rel_width(c.lambda_max) < 1e-10);
  CHECK(rel_width(c.trace) < 1e-10);
  CHECK(c.lambda_max.lo > 0);
}

bool same_bits(const MatrixXd& a, const MatrixXd& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), sizeof(double) * std::size_t(a.size())) == 0;
}

}  // namespace

TEST_CASE("group_pass on sharded scores: exact lambda_max and trace enclosed, narrowly; total = PartialSum of the groups") {
  // n = 4, d = 1309 in two shards [0, 650) and [650, 1309); "wide" is split over both.
  const Index n = 4, d = 1309;
  std::mt19937_64 rng(1404);
  MatrixXd g(n, d);
  VectorXd u1(n), u3(n), u4(n);
  u1 << 3, -1, 2, 5;
  u3 << -7, 1, 1, 4;
  u4 << 1, 2, 3, 4;
  VectorXd v4(3);
  v4 << 2, -3, 1;
  const std::vector<Known> known = {rank_one(g, "layer1.weight", 0, u1, dyadic_vector(600, rng)),
                                    disjoint_rows(g, "layer1.bias", 600, 6, rng),
                                    rank_one(g, "wide", 606, u3, dyadic_vector(700, rng)),
                                    rank_one(g, "small", 1306, u4, v4)};
  fim::test::TempDir dir;
  fim::test::write_npy_matrix(dir, "s0.npy", g.leftCols(650));
  fim::test::write_npy_matrix(dir, "s1.npy", g.rightCols(d - 650));
  const json m = {
      {"format", "fimcheck-scores"}, {"version", 1}, {"n", n}, {"d", d}, {"dtype", "float64"},
      {"labels", "data"}, {"seed", 0}, {"method", "vmap"}, {"model_hash", "sha256:" + std::string(64, '0')},
      {"shards",
       {{{"file", "s0.npy"}, {"columns", {0, 650}},
         {"params", {param("layer1.weight", 0, 600), param("layer1.bias", 600, 606), param("wide", 606, 650)}}},
        {{"file", "s1.npy"}, {"columns", {650, d}}, {"params", {param("wide", 650, 1306), param("small", 1306, d)}}}}},
      {"zero_grad", json::array()}, {"frozen", json::array()}, {"notes", json::array()}};
  const fim::io::ScoreShards s = fim::io::read_manifest(dir.write("manifest.json", m.dump()));
  REQUIRE(s.groups.size() == 4);

  Index last_done = 0;
  const fim::fim::GroupPass pass = fim::fim::group_pass(s, 0, 4, [&](Index k) { last_done = k; });
  CHECK(last_done == d);
  REQUIRE(pass.groups.size() == 4);
  double widest = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    check_known(pass.groups[k], known[k], n);
    widest = std::max({widest, rel_width(pass.groups[k].lambda_max), rel_width(pass.groups[k].trace)});
  }
  MESSAGE("widest relative width of a group's lambda_max or trace: " << widest);

  // The total is the PartialSum of the groups' partials (read here from memory, not the shards).
  fim::linalg::PartialSum sum;
  for (const Known& k : known) sum.add(fim::linalg::gram_of_columns(n, k.c0, k.c1, reader_of(g)));
  const fim::linalg::GramPartial ref = sum.total();
  CHECK(same_bits(pass.total.lower, ref.lower));
  CHECK(pass.total.height == ref.height);
  CHECK(pass.total.terms == d);
  CHECK(!pass.total.zero);
  // and a ball around the whole G G^T: its trace encloses the sum of the groups' traces
  const fim::linalg::SymMatrix whole = fim::linalg::enclose_partial(pass.total);
  Rational trace = 0;
  for (const Known& k : known) trace += k.trace;
  Rational tr_hat = 0;
  for (Index i = 0; i < n; ++i) tr_hat += to_rational(whole.mid(i, i));
  CHECK(abs(tr_hat - trace) <= to_rational(whole.radius));

  // A sub-range of groups (what one rank does): the same groups' curvature, and their sum only.
  const fim::fim::GroupPass part = fim::fim::group_pass(s, 1, 3);
  REQUIRE(part.groups.size() == 2);
  CHECK(part.groups[0].lambda_max.lo == pass.groups[1].lambda_max.lo);
  CHECK(part.groups[1].trace.hi == pass.groups[2].trace.hi);
  CHECK(part.total.terms == known[2].c1 - known[1].c0);

  // Teeth: the exact values moved by one part in 1e9 leave the enclosures.
  const Rational nn = Rational(static_cast<long long>(n));
  const Rational off = Rational(1) + Rational(1) / Rational(1000000000LL);
  for (std::size_t k = 0; k < 4; ++k) {
    CHECK(!encloses(pass.groups[k].lambda_max, known[k].lambda / nn * off));
    CHECK(!encloses(pass.groups[k].trace, known[k].trace / nn / off));
  }
}

TEST_CASE("group_pass refuses a group whose Gram product overflows, naming the manifest and the group") {
  const Index n = 2, d = 4;
  MatrixXd g(n, d);
  g << 1, 2, 1e300, 3, 4, 5, 1e300, 6;
  fim::test::TempDir dir;
  fim::test::write_npy_matrix(dir, "s0.npy", g);
  const json m = {{"format", "fimcheck-scores"}, {"version", 1}, {"n", n}, {"d", d}, {"dtype", "float64"},
                  {"shards", {{{"file", "s0.npy"}, {"columns", {0, d}},
                               {"params", {param("fine", 0, 2), param("huge", 2, 3), param("tail", 3, 4)}}}}}};
  const std::string path = dir.write("manifest.json", m.dump());
  const fim::io::ScoreShards s = fim::io::read_manifest(path);
  fim::test::require_input_error([&] { fim::fim::group_pass(s, 0, 3); }, path, "group huge", "overflows");
  CHECK(fim::fim::group_pass(s, 0, 1).groups.size() == 1);  // the groups before it are fine
}

TEST_CASE("block_curvature: principal blocks of a G^T G ball (n >= d) enclose each group's exact curvature") {
  // n = 8, d = 7: "p" [0, 3) rank one, "q" [3, 7) columns of disjoint row support (G_q^T G_q diagonal).
  const Index n = 8, d = 7;
  std::mt19937_64 rng(1405);
  MatrixXd g = MatrixXd::Zero(n, d);
  VectorXd u(n);
  u << 1, -2, 3, 1, 0, 2, -1, 5;
  const VectorXd v = dyadic_vector(3, rng);
  g.leftCols(3) = u * v.transpose();
  for (Index i = 0; i < n; ++i) g(i, 3 + i % 4) = dyadic26(rng);
  const Rational lp = norm2(u) * norm2(v);
  Rational lq = 0, tq = 0;
  for (Index j = 3; j < d; ++j) {
    const Rational c = norm2(g.col(j));
    lq = std::max(lq, c);
    tq += c;
  }
  const fim::linalg::SymMatrix k = fim::linalg::enclose_gram(n, d, reader_of(g));
  REQUIRE(k.dim() == d);
  check_known(fim::fim::block_curvature("p", k, 0, 3, n, "scores.npy"), {"p", 0, 3, lp, lp}, n);
  check_known(fim::fim::block_curvature("q", k, 3, 7, n, "scores.npy"), {"q", 3, 7, lq, tq}, n);
  // a ball that overflowed is refused, naming the origin and the group
  fim::linalg::SymMatrix inf = k;
  inf.radius = fim::num::inf;
  fim::test::require_input_error([&] { fim::fim::block_curvature("p", inf, 0, 3, n, "scores.npy"); },
                                 "scores.npy", "group p", "overflows");
}
