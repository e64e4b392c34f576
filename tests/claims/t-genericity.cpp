// C4 genericity on the exact examples of proofs/genericity.md (sections 3 and 6): each genericity
// failure is HYPOTHESIS_FAILS (never a counterexample), each false variant is refuted on its
// example with a certificate the exact verifier confirms, and the claim as stated holds there.
#include <doctest/doctest.h>

#include "claims/claim.hpp"
#include "claims/registry.hpp"
#include "verify/verify.hpp"

namespace {
using fim::claims::MatrixCase;
using fim::claims::Verdict;
using Eigen::MatrixXd;

fim::claims::Outcome run(const fim::claims::Claim& claim, const MatrixCase& c, const std::string& variant) {
  return fim::claims::check(claim, c, variant, fim::linalg::Precision{4096, 1e-10});
}

MatrixXd sym(std::initializer_list<std::initializer_list<double>> rows) {
  MatrixXd m(rows.size(), rows.size());
  int i = 0;
  for (const auto& r : rows) {
    int j = 0;
    for (double x : r) m(i, j++) = x;
    ++i;
  }
  return m;
}

void refuted_with_confirmed_certificate(const fim::claims::Claim& claim, const MatrixCase& c,
                                        const std::string& variant) {
  const auto out = run(claim, c, variant);
  REQUIRE(out.verdict == Verdict::Violated);
  const auto check = fim::verify::verify_certificate(out.certificate);
  INFO(check.reason);
  CHECK(check.status == fim::verify::Status::Confirmed);
}

const fim::claims::Claim& m1() { return fim::claims::genericity_claim(); }
const fim::claims::Claim& m2() { return fim::claims::genericity_m2_claim(); }

}  // namespace

TEST_CASE("genericity failures of section 3 are HYPOTHESIS_FAILS, never counterexamples") {
  // 3.1 repeated top eigenvalue
  CHECK(run(m1(), {MatrixXd::Identity(2, 2), sym({{0, 1}, {1, 0}})}, "stated").verdict == Verdict::HypothesisFails);
  // 3.2 noise commuting with F
  const auto commuting = run(m1(), {sym({{2, 0}, {0, 1}}), sym({{0.25, 0}, {0, -0.25}})}, "stated");
  CHECK(commuting.verdict == Verdict::HypothesisFails);
  CHECK(commuting.where.find("commutes") != std::string::npos);
  // 3.3 E v_1 parallel to v_1 without commuting
  const auto parallel = run(m1(), {sym({{2, 0, 0}, {0, 1, 0}, {0, 0, 0}}), sym({{0.25, 0, 0}, {0, 0, 0.25}, {0, 0.25, 0}})}, "stated");
  CHECK(parallel.verdict == Verdict::HypothesisFails);
  CHECK(parallel.where.find("parallel") != std::string::npos);
  // M2: Sigma = 0, and a repeated top |gamma|
  CHECK(run(m2(), {sym({{1, 0}, {0, 0.5}}), MatrixXd::Zero(2, 2)}, "stated").verdict == Verdict::HypothesisFails);
  CHECK(run(m2(), {sym({{1, 0}, {0, -1}}), sym({{0.01, 0}, {0, 0}})}, "stated").verdict == Verdict::HypothesisFails);
}

TEST_CASE("M1: V3 (no remainder) is refuted on F = diag(1, 0), B = [[0, 1/2], [1/2, 0]]") {
  const MatrixCase c{sym({{1, 0}, {0, 0}}), sym({{0, 0.5}, {0.5, 0}})};
  // E[lambda_1] - lambda_1 = (sqrt 2 - 1)/2 < c2 = 1/4; ||B|| = g/2, so Proposition 7 does not apply
  CHECK(run(m1(), c, "stated").verdict == Verdict::Holds);
  refuted_with_confirmed_certificate(m1(), c, "no-remainder");
}

TEST_CASE("M1: V1 (per-draw increase) is refuted when one draw moves lambda_1 down") {
  const MatrixCase c{sym({{2, 0}, {0, 1}}), sym({{0.25, 0.0625}, {0.0625, 0}})};
  CHECK(run(m1(), c, "stated").verdict == Verdict::Holds);
  refuted_with_confirmed_certificate(m1(), c, "per-draw");
}

TEST_CASE("M1: the sign flip is refuted once c2 > B (strict increase certified)") {
  // c2 = 1/256, ||B|| = 1/16, B = 2 (1/16)^3 / (1 - 1/8) = 5.6e-4 < c2
  const MatrixCase c{sym({{2, 0}, {0, 1}}), sym({{0, 0.0625}, {0.0625, 0}})};
  const auto stated = run(m1(), c, "stated");
  CHECK(stated.verdict == Verdict::Holds);
  CHECK(stated.evidence["strict_increase_certified"] == true);
  CHECK(run(m1(), c, "per-draw").verdict == Verdict::Holds);  // both draws raise lambda_1 here
  refuted_with_confirmed_certificate(m1(), c, "sign-flipped");
}

TEST_CASE("M1: V4 (g > 0 dropped) is refuted on F = diag(1, 1, 0), B = (e1 e2^T + e2 e1^T)/4") {
  const MatrixCase c{sym({{1, 0, 0}, {0, 1, 0}, {0, 0, 0}}), sym({{0, 0.25, 0}, {0.25, 0, 0}, {0, 0, 0}})};
  CHECK(run(m1(), c, "stated").verdict == Verdict::HypothesisFails);
  refuted_with_confirmed_certificate(m1(), c, "no-gap");
}

TEST_CASE("M2: V2 (first term of c2 dropped or sign-flipped) is refuted; as stated it holds") {
  // g_1 = e_1, g_2 = 0 (n = d = 2), eps_i = xi_i e_1 / 64: E[lambda_1] - lambda_1 = s^2 = c2 exactly
  const MatrixCase c{sym({{1, 0}, {0, 0}}), sym({{1.0 / 64, 0}, {0, 0}})};
  const auto stated = run(m2(), c, "stated");
  CHECK(stated.verdict == Verdict::Holds);
  CHECK(stated.evidence.contains("monte_carlo"));
  CHECK(stated.evidence["monte_carlo"]["statistical"] == true);
  refuted_with_confirmed_certificate(m2(), c, "no-first-term");
  refuted_with_confirmed_certificate(m2(), c, "first-term-sign");
}

TEST_CASE("a HOLDS says whether the mean was checked exactly or only the hypothesis certified") {
  const MatrixCase m1_case{sym({{2, 0}, {0, 1}}), sym({{0, 0.0625}, {0.0625, 0}})};
  CHECK(run(m1(), m1_case, "stated").holds_scope == "mean_checked_exactly");
  CHECK(run(m1(), m1_case, "no-remainder").holds_scope.empty());  // false variants: one kind only
  // M2 with n = 3 samples and 3 nonzero columns of C: 2^9 draws, more than the exact mean takes
  const MatrixCase many{sym({{1, 0, 0}, {0, 0.5, 0}, {0, 0, 0.25}}),
                        sym({{0.01, 0.01, 0.01}, {0.01, 0.01, 0.01}, {0.01, 0.01, 0.01}})};
  const auto stated = run(m2(), many, "stated");
  CHECK(stated.verdict == Verdict::Holds);
  CHECK(stated.holds_scope == "mean_not_checked");
  CHECK(stated.where.find("mean not checked") != std::string::npos);
  CHECK(!stated.evidence.contains("mean_increase_rademacher"));
  const MatrixCase few{sym({{1, 0}, {0, 0}}), sym({{1.0 / 64, 0}, {0, 0}})};
  CHECK(run(m2(), few, "stated").holds_scope == "mean_checked_exactly");
}

TEST_CASE("M2: Proposition 7's hypothesis merely not certified is UNDECIDED, never HYPOTHESIS_FAILS") {
  // gamma = (1, 1/2), C = e1 e1^T: Lemma 8 gives rho = 5/2 > g/2 = 3/16, an upper bound only
  const MatrixCase c{sym({{1, 0}, {0, 0.5}}), sym({{1, 0}, {0, 0}})};
  const auto out = run(m2(), c, "no-first-term");
  CHECK(out.verdict == Verdict::Undecided);
  CHECK(out.where.find("Proposition 7") != std::string::npos);
  CHECK(run(m2(), c, "stated").verdict == Verdict::Holds);  // the stated claim checks what applies
}
