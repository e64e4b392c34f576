// The verifier's LDL^T inertia (src/verify/inertia.hpp) against the checker's exact oracle
// (src/exact/inertia.hpp, a different algorithm: fraction-free Bareiss on integers): both agree on
// random small dyadic matrices at random rational points and at eigenvalues of known multiplicity.
// The two share no code (the verifier includes nothing of fimcheck; only this test sees both).
// The false variant, counting the signs of the diagonal of A - xI, is caught disagreeing.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "exact/inertia.hpp"
#include "verify/inertia.hpp"

using fim::num::Rational;
using fim::verify::Matrix;

namespace {

Rational to_oracle(const mpq_class& x) { return Rational(x.get_str()); }

fim::oracle::ExactSym oracle(const Matrix& m) {
  std::vector<std::vector<Rational>> r(m.size());
  for (std::size_t i = 0; i < m.size(); ++i)
    for (const auto& x : m[i]) r[i].push_back(to_oracle(x));
  return fim::oracle::ExactSym(r);
}

// Random symmetric n x n with dyadic entries k / 2^s (the oracle takes dyadic entries only),
// often sparse, sometimes of low rank (B B^T with B n x r, r < n) so that 0 is an eigenvalue.
Matrix random_matrix(std::mt19937_64& rng, int n) {
  std::uniform_int_distribution<int> k(-6, 6), s(0, 3), kind(0, 2), rank(1, n);
  Matrix m(n, std::vector<mpq_class>(n));
  if (kind(rng) == 0 && n > 1) {
    const int r = std::min(rank(rng), n - 1);
    std::vector<std::vector<int>> b(n, std::vector<int>(r));
    for (auto& row : b)
      for (int& x : row) x = k(rng);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        for (int t = 0; t < r; ++t) m[i][j] += b[i][t] * b[j][t];
    return m;
  }
  for (int i = 0; i < n; ++i)
    for (int j = i; j < n; ++j) {
      mpq_class x(k(rng), 1 << s(rng));
      x.canonicalize();
      if (kind(rng) == 1 && i != j) x = 0;
      m[i][j] = m[j][i] = x;
    }
  return m;
}

// H D H with H = I - v v^T / 2, v = (1, 1, 1, 1) (orthogonal, dyadic): eigenvalues exactly d.
Matrix householder(const std::vector<int>& d) {
  Matrix m(4, std::vector<mpq_class>(4));
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j)
      for (int t = 0; t < 4; ++t) {
        const mpq_class hi = mpq_class(i == t) - mpq_class(1, 2), hj = mpq_class(j == t) - mpq_class(1, 2);
        m[i][j] += hi * d[t] * hj;
      }
  return m;
}

// The false variant: signs of the diagonal of A - xI, as if A were diagonal.
fim::verify::Inertia diagonal_signs(const Matrix& m, const mpq_class& x) {
  fim::verify::Inertia r;
  for (std::size_t i = 0; i < m.size(); ++i) {
    const int s = sgn(m[i][i] - x);
    (s < 0 ? r.below : s == 0 ? r.at : r.above)++;
  }
  return r;
}

bool same(const fim::verify::Inertia& v, const fim::oracle::Inertia& o) {
  return v.below == o.neg && v.at == o.zero && v.above == o.pos;
}

}  // namespace

TEST_CASE("verifier and oracle agree on random dyadic matrices at random rational points") {
  std::mt19937_64 rng(31);
  std::uniform_int_distribution<int> dim(1, 6), p(-40, 40), q(1, 12);
  int checked = 0, diagonal_caught = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const Matrix m = random_matrix(rng, dim(rng));
    const fim::oracle::ExactSym o = oracle(m);
    fim::verify::reset_inertia_budget();
    for (int s = 0; s < 6; ++s) {
      mpq_class x(p(rng), q(rng));
      x.canonicalize();
      if (s == 0) x = 0;  // an eigenvalue of every low-rank case
      if (s == 1) x = m[0][0];
      const auto v = fim::verify::inertia_at(m, x);
      const auto e = o.inertia(to_oracle(x));
      CAPTURE(x.get_str());
      REQUIRE(same(v, e));
      CHECK(v.below + v.at + v.above == static_cast<int>(m.size()));
      diagonal_caught += !same(diagonal_signs(m, x), e);
      ++checked;
    }
  }
  CHECK(checked == 1800);
  CHECK(diagonal_caught > 300);  // the false variant disagrees with the oracle often
}

TEST_CASE("at eigenvalues of known multiplicity both count them exactly") {
  std::mt19937_64 rng(32);
  std::uniform_int_distribution<int> e(-3, 3);
  for (int trial = 0; trial < 100; ++trial) {
    std::vector<int> d(4);
    for (int& x : d) x = e(rng);
    const Matrix m = householder(d);
    const fim::oracle::ExactSym o = oracle(m);
    fim::verify::reset_inertia_budget();
    for (int lambda = -4; lambda <= 4; ++lambda) {
      int below = 0, at = 0;
      for (int x : d) below += x < lambda, at += x == lambda;
      const auto v = fim::verify::inertia_at(m, lambda);
      CHECK(v.below == below);
      CHECK(v.at == at);
      CHECK(same(v, o.inertia(lambda)));
    }
  }
  // the diagonal false variant misses a multiplicity the matrix hides off the diagonal
  const Matrix m = householder({2, 2, 0, 0});  // every diagonal entry is 1
  CHECK(fim::verify::inertia_at(m, 2).at == 2);
  CHECK(diagonal_signs(m, 2).at == 0);
}
