// search/case_gen.hpp: cases (A, E) of every family are exact symmetric binary64 pairs of one
// dimension in [dim_lo, dim_hi] (A diagonal for eigenbasis claims), case k of a seed is the same
// case every time, and the shrinks of a case are valid cases that never grow. The checks are shown
// catching a forged case (E of another dimension, a non-diagonal A for an eigenbasis claim).
#include <doctest/doctest.h>

#include <set>
#include <stdexcept>

#include "exact/inertia.hpp"
#include "search/case_gen.hpp"
#include "support/case_checks.hpp"

using fim::claims::MatrixCase;
using fim::search::Family;
using fim::test::identical;
using fim::test::valid_case;

TEST_CASE("case k of a seed: valid, in range, deterministic; A diagonal when asked") {
  int checked = 0;
  for (Family fam : {Family::Random, Family::Adversarial, Family::All})
    for (bool diag : {false, true})
      for (const auto& [lo, hi] : {std::pair{1, 3}, std::pair{2, 8}, std::pair{5, 5}}) {
        const auto gen = fim::search::cases(fam, lo, hi, diag);
        std::set<long> dims;
        for (int k = 0; k < 40; ++k) {
          const MatrixCase c = fim::search::nth_case(gen, 7, k).value();
          CAPTURE(k);
          REQUIRE(valid_case(c, lo, hi, diag));
          CHECK(identical(c, fim::search::nth_case(gen, 7, k).value()));  // same (seed, k): same case
          dims.insert(c.a.rows());
          ++checked;
        }
        CHECK(static_cast<long>(dims.size()) >= std::min(hi - lo + 1, 2));  // the range is used
      }
  CHECK(checked == 3 * 2 * 3 * 40);
}

TEST_CASE("different k or seeds give different cases") {
  const auto gen = fim::search::cases(Family::All, 2, 6, false);
  int differ_k = 0, differ_seed = 0;
  for (int k = 0; k < 50; ++k) {
    const MatrixCase c = fim::search::nth_case(gen, 1, k).value();
    differ_k += !identical(c, fim::search::nth_case(gen, 1, k + 1).value());
    differ_seed += !identical(c, fim::search::nth_case(gen, 2, k).value());
  }
  CHECK(differ_k >= 45);
  CHECK(differ_seed >= 45);
}

TEST_CASE("shrinks of a case are valid cases, never of larger dimension, and shrinking ends") {
  for (bool diag : {false, true}) {
    const auto gen = fim::search::cases(Family::All, 2, 8, diag);
    for (int k = 0; k < 20; ++k) {
      const auto s = fim::search::nth_case(gen, 3, k);
      const long n = s.value().a.rows();
      auto seq = s.shrinks();
      int seen = 0;
      while (auto next = seq.next()) {
        REQUIRE(valid_case(next->value(), 2, 8, diag));
        CHECK(next->value().a.rows() <= n);
        if (++seen == 40) break;
      }
      CHECK((seen > 0 || n == 2));
      int steps = 0;
      const auto current = fim::test::first_shrink_chain(s, steps);
      CHECK(steps < 100000);
      CHECK(current.value().a.rows() == 2);
    }
  }
}

TEST_CASE("the case checks catch forged cases; families parse by name") {
  const MatrixCase good = fim::search::nth_case(fim::search::cases(Family::Random, 3, 3, true), 1, 0).value();
  REQUIRE(valid_case(good, 3, 3, true));
  MatrixCase other_dim = good;
  other_dim.e = Eigen::MatrixXd::Zero(2, 2);
  CHECK_FALSE(valid_case(other_dim, 1, 3, true));
  MatrixCase not_diagonal = good;
  not_diagonal.a(0, 1) = not_diagonal.a(1, 0) = 1;
  CHECK(valid_case(not_diagonal, 3, 3, false));
  CHECK_FALSE(valid_case(not_diagonal, 3, 3, true));
  CHECK(fim::search::parse_family("random") == Family::Random);
  CHECK(fim::search::parse_family("adversarial") == Family::Adversarial);
  CHECK(fim::search::parse_family("all") == Family::All);
  CHECK_THROWS_AS(fim::search::parse_family("Random"), std::invalid_argument);
}

TEST_CASE("claim shapes: B drawn when asked, PSD matrices exactly PSD, the plain shape unchanged") {
  const fim::claims::CaseShape plain{false, false, ""}, shaped{false, true, "AB"};
  const auto gen_plain = fim::search::cases(Family::All, 1, 6, plain);
  const auto gen_bool = fim::search::cases(Family::All, 1, 6, false);
  const auto gen_shaped = fim::search::cases(Family::All, 1, 6, shaped);
  int psd = 0, negative_before = 0;
  for (int k = 0; k < 60; ++k) {
    CAPTURE(k);
    CHECK(identical(fim::search::nth_case(gen_plain, 3, k).value(), fim::search::nth_case(gen_bool, 3, k).value()));
    const MatrixCase c = fim::search::nth_case(gen_shaped, 3, k).value();
    REQUIRE(valid_case(c, 1, 6, false));
    REQUIRE(fim::test::valid_matrix(c.b, 1, 6));
    CHECK(c.b.rows() == c.a.rows());
    for (const Eigen::MatrixXd* m : {&c.a, &c.b}) {  // no eigenvalue below 0, by an exact inertia count
      CHECK(fim::oracle::count_below(*m, 0) == 0);
      ++psd;
    }
    negative_before += fim::oracle::count_below(fim::search::nth_case(gen_bool, 3, k).value().a, 0) > 0;
  }
  CHECK(psd == 120);
  CHECK(negative_before > 10);  // the unshaped A often has a negative eigenvalue: the check can fail
  // positive_semidefinite keeps the off-diagonal entries and raises the diagonal to the row sums
  Eigen::MatrixXd m(2, 2);
  m << -1, 3, 3, 0.5;
  const Eigen::MatrixXd p = fim::search::positive_semidefinite(m);
  CHECK(p(0, 1) == 3);
  CHECK(p(0, 0) == 4);
  CHECK(p(1, 1) == 3.5);
}
