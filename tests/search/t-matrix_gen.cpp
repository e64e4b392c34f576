// search/matrix_gen.hpp: every family gives finite, exactly symmetric binary64 matrices in the
// requested dimension range, the same matrix for the same (seed, size), and shrinks that stay valid
// and never grow. The checks are shown catching forged matrices (one ulp off symmetry, a NaN, a
// dimension out of range).
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <rapidcheck.h>

#include "search/matrix_gen.hpp"
#include "support/case_checks.hpp"

using fim::test::identical;
using fim::test::valid_matrix;
namespace sg = fim::search;

namespace {

struct Family {
  std::string name;
  std::function<sg::MatrixGen(sg::DimGen)> make;
};

std::vector<Family> families() {
  return {{"wishart", [](sg::DimGen d) { return sg::wishart(d); }},
          {"spiked", [](sg::DimGen d) { return sg::spiked(d); }},
          {"low_rank_noise", [](sg::DimGen d) { return sg::low_rank_noise(d); }},
          {"hadamard_repeated", [](sg::DimGen d) { return sg::hadamard_repeated(d); }},
          {"scaled_identity", [](sg::DimGen d) { return sg::scaled_identity(d); }},
          {"zero_matrix", [](sg::DimGen d) { return sg::zero_matrix(d); }},
          {"block_repeat", [](sg::DimGen d) { return sg::block_repeat(d); }},
          {"near_degenerate", [](sg::DimGen d) { return sg::near_degenerate(d); }},
          {"clusters", [](sg::DimGen d) { return sg::clusters(d); }},
          {"dynamic_range", [](sg::DimGen d) { return sg::dynamic_range(d); }},
          {"rank_deficient", [](sg::DimGen d) { return sg::rank_deficient(d); }},
          {"subnormal", [](sg::DimGen d) { return sg::subnormal(d); }},
          {"binade", [](sg::DimGen d) { return sg::binade(d); }},
          {"nearly_parallel", [](sg::DimGen d) { return sg::nearly_parallel(d); }},
          {"random", [](sg::DimGen d) { return sg::random(d); }},
          {"adversarial", [](sg::DimGen d) { return sg::adversarial(d); }},
          {"any", [](sg::DimGen d) { return sg::any(d); }}};
}

}  // namespace

TEST_CASE("every family: exact symmetric finite matrices in [lo, hi], deterministic per seed") {
  int checked = 0;
  for (const auto& f : families()) {
    CAPTURE(f.name);
    for (const auto& [lo, hi] : {std::pair{1, 4}, std::pair{3, 9}}) {
      const auto gen = f.make(sg::dimension_range(lo, hi));
      for (std::uint64_t seed = 0; seed < 25; ++seed) {
        const auto s = gen(rc::Random(seed), static_cast<int>(seed * 4));
        CAPTURE(seed);
        REQUIRE(valid_matrix(s.value(), lo, hi));
        CHECK(identical(s.value(), gen(rc::Random(seed), static_cast<int>(seed * 4)).value()));
        ++checked;
      }
    }
  }
  CHECK(checked == 17 * 2 * 25);
}

TEST_CASE("shrinks stay valid and never grow; greedy shrinking ends at the lower dimension") {
  for (const auto& f : families()) {
    CAPTURE(f.name);
    const auto gen = f.make(sg::dimension_range(2, 7));
    int with_shrinks = 0;
    for (std::uint64_t seed = 0; seed < 10; ++seed) {
      const auto s = gen(rc::Random(seed), 50);
      const Eigen::Index n = s.value().rows();
      auto seq = s.shrinks();
      int seen = 0;
      while (auto next = seq.next()) {
        REQUIRE(valid_matrix(next->value(), 2, 7));
        CHECK(next->value().rows() <= n);
        if (++seen == 30) break;
      }
      with_shrinks += seen > 0;
      // always taking the first shrink is a chain in a well-founded order: it ends, at dimension 2
      // (every family shrinks the dimension first)
      int steps = 0;
      const auto current = fim::test::first_shrink_chain(s, steps);
      CHECK(steps < 100000);
      CHECK(current.value().rows() == 2);
      CHECK(valid_matrix(current.value(), 2, 7));
    }
    if (f.name != "zero_matrix") CHECK(with_shrinks > 0);
  }
}

TEST_CASE("dimension generators: within range, shrinking toward the lower end") {
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    const int d = sg::dimension(20)(rc::Random(seed), 100).value();
    CHECK(d >= 1);
    CHECK(d <= 20);
    const auto r = sg::dimension_range(5, 9)(rc::Random(seed), 100);
    CHECK(r.value() >= 5);
    CHECK(r.value() <= 9);
    auto seq = r.shrinks();
    while (auto next = seq.next()) {
      CHECK(next->value() >= 5);
      CHECK(next->value() < r.value());
    }
  }
  const int one_by_one = static_cast<int>(sg::one_by_one()(rc::Random(3), 10).value().rows());
  CHECK(one_by_one == 1);
}

TEST_CASE("the checks catch forged matrices: one ulp off symmetry, NaN, out of range") {
  Eigen::MatrixXd m = sg::wishart(sg::dimension_range(3, 3))(rc::Random(1), 30).value();
  REQUIRE(valid_matrix(m, 3, 3));
  Eigen::MatrixXd off = m;
  off(0, 1) = std::nextafter(off(0, 1), INFINITY);
  CHECK_FALSE(valid_matrix(off, 3, 3));
  Eigen::MatrixXd nan = m;
  nan(2, 2) = NAN;
  CHECK_FALSE(valid_matrix(nan, 3, 3));
  CHECK_FALSE(valid_matrix(m, 4, 8));
  CHECK_FALSE(identical(m, off));
}

TEST_CASE("signed_variant keeps -A symmetric bit for bit (Eigen's vector negation gives +0 for -(+0))") {
  // Regression: -A was returned as Eigen computed it, with -0 and +0 on the two sides of a zero
  // off-diagonal entry in about 1% of cases (seed 72 here); it is now copied from the upper triangle.
  const auto gen = sg::signed_variant(sg::rank_deficient(sg::dimension_range(2, 8)));
  int asymmetric = 0;
  for (std::uint64_t seed = 0; seed < 3000; ++seed)
    asymmetric += !valid_matrix(gen(rc::Random(seed), static_cast<int>(seed % 100)).value(), 2, 8);
  CHECK(asymmetric == 0);
}
