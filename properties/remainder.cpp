// remainder: property tests of the claim and its false variants (proofs/remainder.md), and the
// targeted search on its own: the three-quarters mutant (3/4 < 4/(3 sqrt 3), section 5 V1) is
// refuted from 20 seeded cases plus an evaluation-limited search, with a certificate the exact
// verifier confirms, while the same search finds nothing against the claim as stated.
#include "claim_properties.hpp"
#include "claims/registry.hpp"

namespace {

constexpr long kSearchEvaluations = 200000;  // seeded: the same starts and steps every run

void targeted_search_properties(fim::props::Runner& run) {
  const auto& claim = fim::claims::remainder_claim();
  fim::search::RunOptions o;
  o.cases = 20;
  o.seed = 1;
  o.precision = {4096, 1e-10};
  o.max_counterexamples = 1;
  o.search_evaluations = kSearchEvaluations;
  o.variant = "three-quarters";
  const auto r = fim::search::run_cases(claim, o);
  run.check("20 seeded cases alone miss three-quarters (the search is needed)",
            r.count(fim::claims::Verdict::Violated) == 0);
  run.check("an evaluation-limited targeted search refutes three-quarters",
            r.search.ran && r.search.found && r.search.evaluations <= kSearchEvaluations + 64,
            std::to_string(r.search.evaluations) + " evaluations");
  if (!r.counterexamples.empty()) {
    const auto& cert = r.counterexamples.front().outcome.certificate;
    run.check("three-quarters: its certificate names the variant (the verifier derives the bound from it)",
              cert["variant"] == "three-quarters" && !cert.contains("bound"));
    const auto check = fim::verify::verify_certificate(cert);
    run.check("three-quarters: its certificate is confirmed exactly",
              check.status == fim::verify::Status::Confirmed, check.reason);
    run.check("three-quarters: a tampered copy is not confirmed",
              fim::verify::verify_certificate(fim::props::tampered(cert)).status != fim::verify::Status::Confirmed);
  }
  o.variant = "stated";
  const auto stated = fim::search::run_cases(claim, o);
  run.check("the same search finds no counterexample to the claim as stated",
            stated.search.ran && !stated.search.found && stated.count(fim::claims::Verdict::Violated) == 0);
}

}  // namespace

int main() {
  fim::props::Runner run;
  fim::props::claim_properties(run, fim::claims::remainder_claim(), kSearchEvaluations);
  targeted_search_properties(run);
  return run.finish();
}
