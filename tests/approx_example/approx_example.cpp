// How a user adds an approximation to fimcheck's approx claim (C6, proofs/approx.md section 9):
// write the value once, generic in the interval type I, declare what it claims, and let fimcheck
// check the claim on generated cases. Exit 0 when the true claims hold on every case and the false
// one is refuted with a certificate that the exact verifier confirms.
#include <cstdio>

#include "claims/approx.hpp"
#include "verify/verify.hpp"
#include "search/run.hpp"

namespace {
using fim::claims::ApproxKind;
using fim::claims::ExactScores;
using fim::claims::ExactValue;
using fim::claims::Scores;

// max_j F_jj: the Rayleigh quotient of a coordinate vector, so a lower bound on lambda_1.
struct MaxDiagonal {
  template <class I>
  I operator()(const Scores<I>& s) const {
    I m = s.f(0, 0);
    for (int j = 1; j < s.d(); ++j) m = fim::claims::max_of(m, s.f(j, j));
    return m;
  }
};
// Its exact value (optional): lets fimcheck settle ties such as a diagonal F exactly.
std::optional<ExactValue> max_diagonal_exact(const ExactScores& e) {
  fim::num::Rational m = e.s[0][0];
  for (int j = 1; j < e.d; ++j) m = std::max(m, e.s[j][j]);
  return ExactValue{m / e.n};
}

// tr(F) / d, the mean eigenvalue: 0 <= tr(F)/d <= lambda_1, so its relative error is at most 1.
struct MeanEigenvalue {
  template <class I>
  I operator()(const Scores<I>& s) const {
    I t = I(0);
    for (int j = 0; j < s.d(); ++j) t = t + s.f(j, j);
    return t / I(s.d());
  }
};
std::optional<ExactValue> mean_eigenvalue_exact(const ExactScores& e) {
  fim::num::Rational t = 0;
  for (int j = 0; j < e.d; ++j) t += e.s[j][j];
  return ExactValue{t / (fim::num::Rational(e.n) * e.d)};
}

fim::search::RunResult run(const fim::claims::Claim& claim, const std::string& variant) {
  fim::search::RunOptions o;
  o.variant = variant;
  o.cases = 300;
  o.max_counterexamples = 1;
  const auto r = fim::search::run_cases(claim, o);
  std::printf("%-22s HOLDS %d  VIOLATED %d  UNDECIDED %d  HYPOTHESIS_FAILS %d\n", variant.c_str(),
              r.count(fim::claims::Verdict::Holds), r.count(fim::claims::Verdict::Violated),
              r.count(fim::claims::Verdict::Undecided), r.count(fim::claims::Verdict::HypothesisFails));
  return r;
}

}  // namespace

int main() {
  using fim::claims::make_approximation;
  const auto claim = fim::claims::approx_claim_with({
      make_approximation("max-diagonal", "max_j F_jj", ApproxKind::Lower, MaxDiagonal{}, std::nullopt,
                         max_diagonal_exact),
      make_approximation("mean-eigenvalue", "tr(F) / d", ApproxKind::Heuristic, MeanEigenvalue{}, 1.0,
                         mean_eigenvalue_exact),
      // deliberately false: a lower bound declared as an upper bound
      make_approximation("max-diagonal-as-upper", "max_j F_jj", ApproxKind::Upper, MaxDiagonal{},
                         std::nullopt, max_diagonal_exact)});
  bool ok = true;
  for (const char* v : {"max-diagonal", "mean-eigenvalue"}) {
    const auto r = run(*claim, v);
    ok &= r.count(fim::claims::Verdict::Violated) == 0 && r.count(fim::claims::Verdict::Undecided) == 0;
  }
  const auto r = run(*claim, "max-diagonal-as-upper");
  if (r.counterexamples.empty()) {
    std::printf("FAIL: the false claim was not refuted\n");
    return 1;
  }
  const auto check = fim::verify::verify_certificate(r.counterexamples.front().outcome.certificate);
  std::printf("certificate of the false claim: %s (%s)\n",
              check.status == fim::verify::Status::Confirmed ? "CONFIRMED" : "NOT CONFIRMED",
              check.reason.c_str());
  ok &= check.status == fim::verify::Status::Confirmed;
  std::printf("%s\n", ok ? "approx example: ok" : "approx example: FAILED");
  return ok ? 0 : 1;
}
