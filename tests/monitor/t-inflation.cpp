// C8 inflation statistics: the quantile of enclosures contains the quantile of every choice of
// true values inside them (proofs/inflation.md, Lemma 1), the inflation and exceedance enclosures
// contain the true ones, and the bootstrap is reproducible per seed.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "monitor/inflation.hpp"

using fim::monitor::quantile_enclosure;
using fim::num::Ival;

TEST_CASE("the quantile of enclosures contains the quantile of the true values (Lemma 1)") {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(0, 1);
  for (int trial = 0; trial < 2000; ++trial) {
    const int n = 1 + static_cast<int>(u(rng) * 60);
    const double q = trial % 3 == 0 ? 1.0 : 0.01 + 0.98 * u(rng);
    std::vector<Ival> enc;
    std::vector<double> truth;
    for (int i = 0; i < n; ++i) {
      const double x = trial % 5 == 0 ? std::floor(u(rng) * 4) : u(rng) * 10;  // ties too
      const double below = u(rng) < 0.3 ? 0 : u(rng), above = u(rng) < 0.3 ? 0 : u(rng);
      enc.push_back({x - below, x + above});
      truth.push_back(x);
    }
    const Ival t = quantile_enclosure(enc, q);
    const double exact = fim::monitor::quantile_of(truth, q);
    REQUIRE(t.lo <= exact);
    REQUIRE(exact <= t.hi);
  }
}

TEST_CASE("the rank rule: k = ceil(q N), at least 1") {
  const std::vector<double> v = {5, 1, 4, 2, 3};
  CHECK(fim::monitor::quantile_of(v, 0.2) == 1);
  CHECK(fim::monitor::quantile_of(v, 0.21) == 2);
  CHECK(fim::monitor::quantile_of(v, 0.99) == 5);
  CHECK(fim::monitor::quantile_of(v, 1.0) == 5);
  CHECK(fim::monitor::quantile_of(v, 1e-9) == 1);
  CHECK_THROWS(fim::monitor::quantile_of(v, 0.0));
  CHECK_THROWS(fim::monitor::quantile_of({}, 0.5));
}

TEST_CASE("inflation and exceedance enclosures contain the true values") {
  const Ival quantized{243.0, 245.0}, full{0.99, 1.01};
  const Ival r = fim::monitor::inflation_enclosure(quantized, full);
  CHECK(r.lo <= 243.0 / 1.01);
  CHECK(r.hi >= 245.0 / 0.99);
  CHECK(fim::monitor::inflation_enclosure({1, 2}, {0, 1}).hi == fim::num::inf);
  const std::vector<Ival> v = {{0, 1}, {2, 3}, {0.5, 2.5}, {4, 5}};
  const Ival rate = fim::monitor::exceedance_rate(v, {1.5, 1.5});
  CHECK(rate.lo == 0.5);   // {2,3} and {4,5} surely above
  CHECK(rate.hi == 0.75);  // {0.5, 2.5} possibly
}

TEST_CASE("the bootstrap interval is reproducible and brackets the plain ratio (statistical)") {
  std::vector<std::vector<double>> quantized, full;
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0.9, 1.1);
  for (int t = 0; t < 30; ++t) {
    quantized.emplace_back();
    full.emplace_back();
    for (int s = 0; s < 20; ++s) quantized.back().push_back(3 * u(rng)), full.back().push_back(u(rng));
  }
  const auto a = fim::monitor::bootstrap_inflation(quantized, full, 0.9, 400, 1);
  const auto b = fim::monitor::bootstrap_inflation(quantized, full, 0.9, 400, 1);
  CHECK(a.lo == b.lo);
  CHECK(a.hi == b.hi);
  std::vector<double> pq, pf;
  for (const auto& t : quantized) pq.insert(pq.end(), t.begin(), t.end());
  for (const auto& t : full) pf.insert(pf.end(), t.begin(), t.end());
  const double plain = fim::monitor::quantile_of(pq, 0.9) / fim::monitor::quantile_of(pf, 0.9);
  CHECK(a.lo < plain);
  CHECK(a.hi > plain);
  CHECK(a.lo > 2.5);
  CHECK(a.hi < 3.5);
}

TEST_CASE("the rank from an exact q: ceil(q N) in rationals, where binary64 q may move it") {
  using fim::monitor::quantile_rank;
  using fim::num::Rational;
  CHECK(quantile_rank(100, Rational(7, 100)) == 7);  // 0.07 as written
  CHECK(quantile_rank(100, 0.07) == 8);               // the binary64 nearest 0.07 is above 7/100
  CHECK(quantile_rank(10, Rational(9, 10)) == 9);
  CHECK(quantile_rank(10, Rational(91, 100)) == 10);
  CHECK(quantile_rank(1080, Rational(99, 100)) == 1070);
  CHECK(quantile_rank(5, Rational(1, 1000)) == 1);  // at least 1
  CHECK(quantile_rank(5, Rational(1)) == 5);
  CHECK_THROWS(quantile_rank(5, Rational(0)));
  CHECK_THROWS(quantile_rank(5, Rational(11, 10)));
  CHECK_THROWS(quantile_rank(0, Rational(1, 2)));
  // For a binary64 q both overloads agree: the rational one is exact, the binary64 one exact too
  // whenever q N is not within rounding of an integer.
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0, 1);
  for (int t = 0; t < 2000; ++t) {
    const double q = u(rng);
    const std::size_t n = 1 + static_cast<std::size_t>(u(rng) * 500);
    if (q <= 0) continue;
    REQUIRE(quantile_rank(n, fim::num::to_rational(q)) == quantile_rank(n, q));
  }
}

TEST_CASE("order statistic enclosures: Lemma 1 at every rank, and a wrong rank misses the truth") {
  using fim::monitor::order_statistic_enclosure;
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> u(0, 1);
  bool wrong_rank_missed = false;
  for (int trial = 0; trial < 500; ++trial) {
    const int n = 1 + static_cast<int>(u(rng) * 30);
    std::vector<Ival> enc;
    std::vector<double> truth;
    for (int i = 0; i < n; ++i) {
      const double x = u(rng) * 10, below = u(rng) * 0.01, above = u(rng) * 0.01;
      enc.push_back({x - below, x + above});
      truth.push_back(x);
    }
    std::vector<double> sorted = truth;
    std::sort(sorted.begin(), sorted.end());
    for (int k = 1; k <= n; ++k) {
      const Ival t = order_statistic_enclosure(enc, k);
      REQUIRE(t.lo <= sorted[k - 1]);
      REQUIRE(sorted[k - 1] <= t.hi);
      // the false variant: the enclosure of rank k - 1 taken for rank k
      if (k > 1) {
        const Ival off = order_statistic_enclosure(enc, k - 1);
        wrong_rank_missed = wrong_rank_missed || !(off.lo <= sorted[k - 1] && sorted[k - 1] <= off.hi);
      }
    }
  }
  CHECK(wrong_rank_missed);
  CHECK_THROWS(order_statistic_enclosure({{1, 2}}, 0));
  CHECK_THROWS(order_statistic_enclosure({{1, 2}}, 2));
  CHECK(order_statistic_enclosure({{3, 4}, {0, 5}, {1, 2}}, 2).lo == 1);  // lower ends 0 1 3
  CHECK(order_statistic_enclosure({{3, 4}, {0, 5}, {1, 2}}, 2).hi == 4);  // upper ends 2 4 5
}
