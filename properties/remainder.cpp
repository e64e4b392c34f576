// remainder: property tests of the claim and its false variants (proofs/remainder.md), and the
// targeted search on its own: the three-quarters mutant (3/4 < 4/(3 sqrt 3), section 5 V1) is
// refuted from 20 seeded cases plus an evaluation-limited search, with a certificate the exact
// verifier confirms, while the same search finds nothing against the claim as stated.
#include "claim_properties.hpp"
#include "claims/registry.hpp"

namespace {

constexpr long kSearchEvaluations = 200000;  // seeded: the same starts and steps every run

int targeted_search_properties() {
  using fim::props::expect;
  const auto& claim = fim::claims::remainder_claim();
  fim::search::RunOptions o;
  o.cases = 20;
  o.seed = 1;
  o.precision = {4096, 1e-10};
  o.max_counterexamples = 1;
  o.search_evaluations = kSearchEvaluations;
  bool ok = true;
  o.variant = "three-quarters";
  const auto r = fim::search::run_cases(claim, o);
  ok &= expect(r.count(fim::claims::Verdict::Violated) == 0, "20 seeded cases alone miss three-quarters (the search is needed)");
  ok &= expect(r.search.ran && r.search.found && r.search.evaluations <= kSearchEvaluations + 64,
               "evaluation-limited targeted search refutes three-quarters (" + std::to_string(r.search.evaluations) + " evaluations)");
  if (!r.counterexamples.empty()) {
    const auto& cert = r.counterexamples.front().outcome.certificate;
    ok &= expect(cert["variant"] == "three-quarters" && cert["bound"]["expr"] == "3/4*normE^3/gap^2",
                 "  its certificate names variant three-quarters and the bound 3/4*normE^3/gap^2");
    const auto check = fim::report::verify_certificate(cert);
    ok &= expect(check.status == fim::report::CertStatus::Confirmed, "  confirmed exactly (" + check.reason + ")");
    ok &= expect(fim::report::verify_certificate(fim::props::tampered(cert)).status != fim::report::CertStatus::Confirmed,
                 "  a tampered copy is not confirmed");
  }
  o.variant = "stated";
  const auto stated = fim::search::run_cases(claim, o);
  ok &= expect(stated.search.ran && !stated.search.found && stated.count(fim::claims::Verdict::Violated) == 0,
               "the same search finds no counterexample to the claim as stated");
  return ok ? 0 : 1;
}

}  // namespace

int main() {
  const int cases = fim::props::run_claim_properties(fim::claims::remainder_claim(), kSearchEvaluations);
  const int search = targeted_search_properties();
  std::printf("targeted search: %s\n", search == 0 ? "passed" : "FAILED");
  return cases | search;
}
