// C6 approx on the exact examples of proofs/approx.md: the equality cases are decided HOLDS
// (exactly, by inertia counts), each false variant is refuted with a certificate the exact
// verifier confirms (and a tampered copy is not), and pure heuristics are HYPOTHESIS_FAILS.
#include <doctest/doctest.h>

#include "claims/approx.hpp"
#include "claims/claim.hpp"
#include "claims/registry.hpp"
#include "verify/verify.hpp"

namespace {
using fim::claims::MatrixCase;
using fim::claims::Verdict;
using Eigen::MatrixXd;

MatrixXd mat(std::initializer_list<std::initializer_list<double>> rows) {
  MatrixXd m(rows.size(), rows.begin()->size());
  int i = 0;
  for (const auto& r : rows) {
    int j = 0;
    for (double x : r) m(i, j++) = x;
    ++i;
  }
  return m;
}

MatrixCase with_g(const MatrixXd& g) { return {g, MatrixXd::Zero(g.rows(), g.cols())}; }

fim::claims::Outcome run(const fim::claims::Claim& claim, const MatrixXd& g, const std::string& variant) {
  return fim::claims::check(claim, with_g(g), variant, fim::linalg::Precision{4096, 1e-10});
}
fim::claims::Outcome run(const MatrixXd& g, const std::string& variant) {
  return run(fim::claims::approx_claim(), g, variant);
}

void refuted_with_confirmed_certificate(const fim::claims::Claim& claim, const MatrixXd& g,
                                        const std::string& variant) {
  const auto out = run(claim, g, variant);
  INFO(variant << ": " << out.where);
  REQUIRE(out.verdict == Verdict::Violated);
  const auto check = fim::verify::verify_certificate(out.certificate);
  INFO(check.reason);
  CHECK(check.status == fim::verify::Status::Confirmed);
  // a lambda_1 bound moved far to the wrong side is not confirmed
  auto bad = out.certificate;
  auto& b = bad["bounds"][0];
  if (b.contains("upper")) b["upper"] = "-1";
  else b["lower"] = "1000000";
  CHECK(fim::verify::verify_certificate(bad).status != fim::verify::Status::Confirmed);
}

const char* const kBounds[] = {"stated", "score-norm-sandwich", "frobenius-sandwich", "gershgorin-upper"};

}  // namespace

TEST_CASE("n = 1: max = sum = tr(F^2)/tr(F) = sqrt(tr F^2) = Gershgorin = lambda_1, decided HOLDS") {
  const MatrixXd g = mat({{3}});  // F = 9
  for (const char* v : kBounds) CHECK(run(g, v).verdict == Verdict::Holds);
  CHECK(run(g, "score-max-without-n").verdict == Verdict::Holds);  // n = 1: the 1/n changes nothing
  CHECK(run(g, "frobenius-norm-as-lower").verdict == Verdict::Holds);
  CHECK(run(g, "frobenius-ratio-as-upper").verdict == Verdict::Holds);
}

TEST_CASE("rank-one G with equal rows: the upper bounds and tr(F^2)/tr(F) are tight, decided exactly") {
  // G = [[1, 2], [1, 2]]: F = [[1, 2], [2, 4]], lambda_1 = 5 = sum/n = tr(F^2)/tr(F) = sqrt(tr F^2);
  // max_i ||g_i||^2 / n = 5/2 (proofs/approx.md, section 2)
  const MatrixXd g = mat({{1, 2}, {1, 2}});
  for (const char* v : kBounds) CHECK(run(g, v).verdict == Verdict::Holds);
  // max_i ||g_i||^2 = 5 = lambda_1 here: the false variant holds on this equality case
  CHECK(run(g, "score-max-without-n").verdict == Verdict::Holds);
  CHECK(run(g, "frobenius-norm-as-lower").verdict == Verdict::Holds);
  CHECK(run(g, "frobenius-ratio-as-upper").verdict == Verdict::Holds);
}

TEST_CASE("orthogonal equal-norm rows: F = I, lower bounds and Gershgorin are tight") {
  const MatrixXd g = mat({{1, 1}, {1, -1}});  // G^T G = 2 I, F = I
  for (const char* v : kBounds) CHECK(run(g, v).verdict == Verdict::Holds);
  // 1 is an eigenvector: power iteration and Lanczos return lambda_1 = 1 exactly
  CHECK(run(g, "power-iteration-upper").verdict == Verdict::Holds);
  CHECK(run(g, "lanczos-upper").verdict == Verdict::Holds);
  refuted_with_confirmed_certificate(fim::claims::approx_claim(), g, "frobenius-norm-as-lower");  // sqrt 2 > 1
}

TEST_CASE("each false variant is refuted on its example with a confirmed certificate") {
  const auto& c = fim::claims::approx_claim();
  // G = I: lambda_1 = 1/2 < sqrt(tr F^2) = 1/sqrt 2, and max ||g_i||^2 = 1 > 1/2
  refuted_with_confirmed_certificate(c, MatrixXd::Identity(2, 2), "frobenius-norm-as-lower");
  refuted_with_confirmed_certificate(c, MatrixXd::Identity(2, 2), "score-max-without-n");
  // G = diag(2, 1): F = diag(2, 1/2), tr(F^2)/tr(F) = 1.7 < lambda_1 = 2; r_4 < 2
  const MatrixXd d2 = mat({{2, 0}, {0, 1}});
  refuted_with_confirmed_certificate(c, d2, "frobenius-ratio-as-upper");
  refuted_with_confirmed_certificate(c, d2, "power-iteration-upper");
  // G = diag(4, 3, 2, 1): the 3-dimensional Krylov space of 1 misses v_1, theta < lambda_1
  const MatrixXd d4 = mat({{4, 0, 0, 0}, {0, 3, 0, 0}, {0, 0, 2, 0}, {0, 0, 0, 1}});
  refuted_with_confirmed_certificate(c, d4, "lanczos-upper");
  for (const char* v : kBounds) CHECK(run(d4, v).verdict == Verdict::Holds);
}

TEST_CASE("pure heuristics claim nothing: HYPOTHESIS_FAILS with the certified relative error") {
  const MatrixXd g = mat({{2, 1}, {0, 1}});
  for (const char* v : {"power-iteration", "lanczos"}) {
    const auto out = run(g, v);
    CHECK(out.verdict == Verdict::HypothesisFails);
    REQUIRE(out.evidence["approximations"].size() == 1);
    CHECK(out.evidence["approximations"][0].contains("relative_error"));
    CHECK(out.tightness.has_value());
  }
  // in the stated claim they are measured alongside the bounds, which decide the verdict
  const auto stated = run(g, "stated");
  CHECK(stated.verdict == Verdict::Holds);
  CHECK(stated.evidence["approximations"].size() == 7);
}

TEST_CASE("G = 0: every approximation is 0 = lambda_1 (tr(F^2)/tr(F) taken as 0)") {
  const MatrixXd g = MatrixXd::Zero(3, 3);
  for (const char* v : kBounds) CHECK(run(g, v).verdict == Verdict::Holds);
  CHECK(run(g, "power-iteration-upper").verdict == Verdict::Holds);
}

TEST_CASE("a user heuristic with a claimed relative error is checked against it") {
  const auto mean = [](const auto& s) {  // a generic lambda serves as well as a functor
    using I = std::decay_t<decltype(s.f(0, 0))>;
    I t = I(0);
    for (int j = 0; j < s.d(); ++j) t = t + s.f(j, j);
    return t / I(s.d());
  };
  using fim::claims::ApproxKind;
  const auto claim = fim::claims::approx_claim_with(
      {fim::claims::make_approximation("mean-within-1", "tr(F)/d", ApproxKind::Heuristic, mean, 1.0),
       fim::claims::make_approximation("mean-within-tenth", "tr(F)/d", ApproxKind::Heuristic, mean, 0.1),
       fim::claims::make_approximation("mean-measured", "tr(F)/d", ApproxKind::Heuristic, mean)});
  const MatrixXd g = mat({{2, 0}, {0, 1}});  // tr(F)/d = 1.25, lambda_1 = 2: relative error 0.375
  CHECK(run(*claim, g, "mean-within-1").verdict == Verdict::Holds);
  CHECK(run(*claim, g, "mean-measured").verdict == Verdict::HypothesisFails);
  refuted_with_confirmed_certificate(*claim, g, "mean-within-tenth");
}

TEST_CASE("large dynamic range: decided on the MPFI rungs") {
  const MatrixXd g = mat({{0x1p500, 0}, {0, 0x1p-500}});
  for (const char* v : kBounds) CHECK(run(g, v).verdict == Verdict::Holds);
  refuted_with_confirmed_certificate(fim::claims::approx_claim(), g, "frobenius-norm-as-lower");
}
