// Gram partials (proofs/linear-algebra.md, Corollary 1b, "Units, groups and ranks", Corollary 1c):
// the PartialSum of gram_of_columns over any partition of G's columns into groups is a ball around
// the exact G G^T (checked in rationals), whose radius also bounds the error of the trace and of
// every principal block; enclose_gram is the PartialSum of its units in unit order, bit for bit,
// however the units were computed. A radius that forgets the extra height is refuted.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <random>
#include <vector>

#include "linalg/gram.hpp"
#include "numeric/mp.hpp"

using Eigen::Index;
using Eigen::MatrixXd;
using fim::linalg::GramPartial;
using fim::linalg::PartialSum;
using fim::linalg::SymMatrix;
using fim::num::Rational;
using fim::num::to_rational;

namespace {

fim::linalg::BlockReader reader_of(const MatrixXd& g) {
  return [&g](Index r0, Index h, Index c0, Index w, MatrixXd& out) { out = g.block(r0, c0, h, w); };
}

// The exact G G^T, entry (i, j) at [i * n + j].
std::vector<Rational> exact_gram(const MatrixXd& g) {
  const Index n = g.rows();
  std::vector<Rational> k(std::size_t(n * n));
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j <= i; ++j) {
      Rational s = 0;
      for (Index t = 0; t < g.cols(); ++t) s += to_rational(g(i, t)) * to_rational(g(j, t));
      k[std::size_t(i * n + j)] = k[std::size_t(j * n + i)] = s;
    }
  return k;
}

// How the ball k sits around the exact K on the indices in S: the largest entry error, the squared
// Frobenius norm of the error, and the error of the trace, all exact.
struct Errors {
  Rational max_entry = 0, frob2 = 0, trace = 0;
};
Errors errors_on(const SymMatrix& k, const std::vector<Rational>& exact, const std::vector<Index>& S) {
  const Index n = k.dim();
  Errors e;
  Rational tr_hat = 0, tr = 0;
  for (const Index i : S) {
    tr_hat += to_rational(k.mid(i, i));
    tr += exact[std::size_t(i * n + i)];
    for (const Index j : S) {
      const Rational d = abs(to_rational(k.mid(i, j)) - exact[std::size_t(i * n + j)]);
      e.max_entry = std::max(e.max_entry, d);
      e.frob2 += d * d;
    }
  }
  e.trace = abs(tr_hat - tr);
  return e;
}

// Whether the ball contains K (entry error <= r is necessary, Frobenius <= r sufficient for the
// spectral norm) with the trace inside tr K^ +- r (Corollary 1c, 1), on the whole matrix and on the
// principal block S (Corollary 1c, 2).
std::vector<Index> all_of(Index n) {
  std::vector<Index> all(static_cast<std::size_t>(n));
  std::iota(all.begin(), all.end(), Index{0});
  return all;
}
bool contains(const SymMatrix& k, const std::vector<Rational>& exact, const std::vector<Index>& S) {
  const std::vector<Index> all = all_of(k.dim());
  const Rational r = to_rational(k.radius);
  for (const auto& idx : {all, S}) {
    const Errors e = errors_on(k, exact, idx);
    if (!(e.max_entry <= r && e.frob2 <= r * r && e.trace <= r)) return false;
  }
  return true;
}

// A random n x d score matrix of one of four kinds: normal with column scales 1e8 apart; rows
// that nearly cancel each other (off-diagonal entries far below the terms); row scales 1e-160 to
// 1e20 (products underflow: the t eta terms matter); float32 scores.
MatrixXd scores(Index n, Index d, int kind, std::mt19937_64& rng) {
  std::normal_distribution<double> normal;
  MatrixXd g(n, d);
  for (Index j = 0; j < d; ++j)
    for (Index i = 0; i < n; ++i) {
      const double x = normal(rng);
      switch (kind) {
        case 0: g(i, j) = x * (j % 3 == 0 ? 1e8 : 1.0) * (i % 2 ? -1 : 1); break;
        case 1: g(i, j) = i == 0 ? x : g(0, j) * ((j + i) % 2 ? -1 : 1) * (1 + 1e-9 * x); break;
        case 2: g(i, j) = x * (i == 0 ? 1e-160 : i == 1 ? 1e20 : 1.0); break;
        default: g(i, j) = double(float(x * 1e3)); break;
      }
    }
  return g;
}

// Random contiguous groups [cut[k], cut[k + 1]) of d columns, `parts` of them (each nonempty).
std::vector<Index> random_cuts(Index d, Index parts, std::mt19937_64& rng) {
  std::vector<Index> inner(static_cast<std::size_t>(d - 1));
  std::iota(inner.begin(), inner.end(), Index{1});
  std::shuffle(inner.begin(), inner.end(), rng);
  std::vector<Index> cut(inner.begin(), inner.begin() + (parts - 1));
  cut.push_back(0);
  cut.push_back(d);
  std::sort(cut.begin(), cut.end());
  return cut;
}

bool same_bits(const MatrixXd& a, const MatrixXd& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), sizeof(double) * std::size_t(a.size())) == 0;
}

Index ceil_log2(Index x) {
  Index l = 0;
  while ((Index{1} << l) < x) ++l;
  return l;
}

}  // namespace

TEST_CASE("the PartialSum over any partition of the columns encloses G G^T, its trace and its principal blocks") {
  std::mt19937_64 rng(1401);
  int cases = 0, forged_caught = 0;
  double worst = 0;  // the largest entry or trace error, relative to the radius
  for (int rep = 0; rep < 3; ++rep)
    for (int kind = 0; kind < 4; ++kind) {
      const Index n = 2 + Index(rng() % 5), d = 300 + Index(rng() % 900);
      const MatrixXd g0 = scores(n, d, kind, rng);
      const std::vector<Rational> exact = exact_gram(g0);
      // Groups are any sets of columns: shuffle the columns (G P P^T G^T = G G^T) and cut.
      std::vector<Index> perm(static_cast<std::size_t>(d));
      std::iota(perm.begin(), perm.end(), Index{0});
      std::shuffle(perm.begin(), perm.end(), rng);
      MatrixXd g(n, d);
      for (Index j = 0; j < d; ++j) g.col(j) = g0.col(perm[std::size_t(j)]);
      std::vector<Index> S;  // a random principal block
      for (Index i = 0; i < n; ++i)
        if (rng() % 2) S.push_back(i);
      for (const Index parts : {Index{1}, Index{2}, Index{3}, 1 + Index(rng() % 40)}) {
        INFO("kind " << kind << ", n = " << n << ", d = " << d << ", parts = " << parts);
        const std::vector<Index> cut = random_cuts(d, parts, rng);
        PartialSum sum;
        Index max_height = 0;
        for (Index p = 0; p < parts; ++p) {
          GramPartial part = fim::linalg::gram_of_columns(n, cut[std::size_t(p)], cut[std::size_t(p + 1)], reader_of(g));
          CHECK(part.terms == cut[std::size_t(p + 1)] - cut[std::size_t(p)]);
          max_height = std::max(max_height, part.height);
          sum.add(std::move(part));
        }
        const GramPartial total = sum.total();
        CHECK(total.terms == d);
        CHECK(!total.zero);
        // the height counts every addition of the parts (Units, groups and ranks)
        CHECK(total.height == max_height + (parts == 1 ? 0 : 2 * ceil_log2(parts + 1)));
        const SymMatrix k = fim::linalg::enclose_partial(total);
        REQUIRE(std::isfinite(k.radius));
        CHECK(contains(k, exact, S));
        const Errors e = errors_on(k, exact, all_of(n));
        worst = std::max(worst, (std::max(e.max_entry, e.trace) / to_rational(k.radius)).convert_to<double>());
        ++cases;
        // Forged: the extra height of the sum not counted, and the radius divided by 1e6.
        GramPartial forged = total;
        forged.height = max_height;
        SymMatrix f = fim::linalg::enclose_partial(forged);
        f.radius /= 1e6;
        forged_caught += !contains(f, exact, S);
      }
    }
  CHECK(cases == 48);
  CHECK(forged_caught > 0);  // the containment check refutes a radius that is too small
  MESSAGE("forged radius refuted in " << forged_caught << " of " << cases << " cases; largest error / radius "
                                       << worst);
}

TEST_CASE("one part: the PartialSum's total is that part, bit for bit, with the same height") {
  std::mt19937_64 rng(1402);
  for (int kind = 0; kind < 4; ++kind) {
    const MatrixXd g = scores(4, 700, kind, rng);
    const GramPartial part = fim::linalg::gram_of_columns(4, 0, 700, reader_of(g));
    PartialSum sum;
    sum.add(part);
    const GramPartial total = sum.total();
    CHECK(same_bits(total.lower, part.lower));
    CHECK(total.height == part.height);
    CHECK(total.terms == part.terms);
    CHECK(total.zero == part.zero);
    // the same with an empty part (no columns) added before: it is not a part
    PartialSum with_empty;
    with_empty.add(fim::linalg::gram_of_columns(4, 100, 100, reader_of(g)));
    with_empty.add(part);
    const GramPartial t2 = with_empty.total();
    CHECK(same_bits(t2.lower, part.lower));
    CHECK(t2.height == part.height);
  }
}

TEST_CASE("G = 0 split into groups: the sum is exactly 0 with radius 0") {
  const MatrixXd g = MatrixXd::Zero(3, 900);
  PartialSum sum;
  for (const auto& [c0, c1] : {std::pair<Index, Index>{0, 100}, {100, 613}, {613, 900}})
    sum.add(fim::linalg::gram_of_columns(3, c0, c1, reader_of(g)));
  const GramPartial total = sum.total();
  CHECK(total.zero);
  const SymMatrix k = fim::linalg::enclose_partial(total);
  CHECK(k.radius == 0);
  CHECK(k.mid.isZero(0));
}

TEST_CASE("enclose_gram of d > 2^20 columns is the PartialSum of its units in unit order, bit for bit") {
  // Entries k 2^-20 with |k| < 2^23: every product is exact and G G^T is an exact sum in 128-bit
  // integers (units of 2^-40, |sum| < 2^67), while the binary64 sums round.
  const Index n = 2, d = fim::linalg::kUnitColumns + 3000;
  REQUIRE(fim::linalg::gram_units(d) == 2);
  std::mt19937_64 rng(1403);
  MatrixXd g(n, d);
  for (Index j = 0; j < d; ++j) {
    const auto k = static_cast<long long>(rng() % (1u << 23));
    g(0, j) = std::ldexp(double(k), -20);
    g(1, j) = std::ldexp(double((j % 2 ? -k : k) + static_cast<long long>(rng() % 64)), -20);  // cancelling
  }
  const SymMatrix whole = fim::linalg::enclose_gram(n, d, reader_of(g));

  PartialSum in_order;
  for (Index u = 0; u < fim::linalg::gram_units(d); ++u) in_order.add(fim::linalg::gram_of_unit(n, d, u, reader_of(g)));
  const SymMatrix a = fim::linalg::enclose_partial(in_order.total());
  CHECK(same_bits(a.mid, whole.mid));
  CHECK(std::memcmp(&a.radius, &whole.radius, sizeof(double)) == 0);

  // the units computed in reverse order (as ranks might), stored, then added in unit order
  std::vector<GramPartial> units(std::size_t(fim::linalg::gram_units(d)));
  for (Index u = fim::linalg::gram_units(d) - 1; u >= 0; --u)
    units[std::size_t(u)] = fim::linalg::gram_of_unit(n, d, u, reader_of(g));
  CHECK(units[0].terms == fim::linalg::kUnitColumns);
  CHECK(units[1].terms == 3000);
  PartialSum later;
  for (GramPartial& p : units) later.add(std::move(p));
  const SymMatrix b = fim::linalg::enclose_partial(later.total());
  CHECK(same_bits(b.mid, whole.mid));
  CHECK(std::memcmp(&b.radius, &whole.radius, sizeof(double)) == 0);

  // and the ball contains the exact G G^T, which the binary64 centre misses (so rounding happened)
  __int128 exact[2][2] = {{0, 0}, {0, 0}};
  for (Index j = 0; j < d; ++j)
    for (Index i = 0; i < n; ++i)
      for (Index l = 0; l < n; ++l)
        exact[i][l] += __int128(std::ldexp(g(i, j), 20)) * __int128(std::ldexp(g(l, j), 20));
  const Rational unit = Rational(1) / (Rational(1LL << 40));
  const auto to_q = [&](__int128 x) {
    const bool neg = x < 0;
    const unsigned __int128 m = neg ? -static_cast<unsigned __int128>(x) : static_cast<unsigned __int128>(x);
    Rational q = Rational(static_cast<unsigned long long>(m >> 64)) * Rational(1ULL << 32) * Rational(1ULL << 32) +
                 Rational(static_cast<unsigned long long>(m));
    return (neg ? -q : q) * unit;
  };
  std::vector<Rational> k_exact;
  for (Index i = 0; i < n; ++i)
    for (Index l = 0; l < n; ++l) k_exact.push_back(to_q(exact[i][l]));
  CHECK(contains(whole, k_exact, {1}));
  const Errors e = errors_on(whole, k_exact, {0, 1});
  CHECK(e.max_entry > 0);
}
