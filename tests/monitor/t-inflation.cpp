// C8 inflation statistics: the quantile of enclosures contains the quantile of every choice of
// true values inside them (proofs/inflation.md, Lemma 1), the inflation and exceedance enclosures
// contain the true ones, and the bootstrap is reproducible per seed.
#include <doctest/doctest.h>

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
