// Shared body of the claim property files (one per claim, properties/<claim>.cpp):
// 1. RapidCheck: the claim as stated is never certified VIOLATED on generated cases (a failure
//    would be shrunk and printed by RapidCheck);
// 2. a seeded run of 2,000 cases: no VIOLATED, counts per verdict printed;
// 3. mutation check: every false variant yields a certified counterexample whose certificate the
//    exact verifier confirms, and a tampered copy of that certificate is not confirmed.
// Each is one test on one line (runner.hpp); case counts scale with FIMCHECK_TEST_MULTIPLIER.
#pragma once
#include <cstdio>
#include <string>

#include "claims/claim.hpp"
#include "numeric/exact.hpp"
#include "report/check_report.hpp"
#include "runner.hpp"
#include "verify/verify.hpp"
#include "search/run.hpp"

namespace fim::props {

// A copy of the certificate with its first eigenvalue bound moved to the wrong side of the truth
// by a large margin: the verifier must not confirm it.
inline nlohmann::json tampered(nlohmann::json cert) {
  auto& b = cert["bounds"][0];
  const char* side = b.contains("lower") ? "lower" : "upper";
  const num::Rational r = num::parse_rational(b[side].get<std::string>());
  const num::Rational shift = 1 + (r < 0 ? num::Rational(-r) : r);
  b[side] = num::rational_text(b.contains("lower") ? num::Rational(r + shift) : num::Rational(r - shift));
  return cert;
}

/// Every property of one claim, each reported on one line through `run`. search_evaluations > 0:
/// a variant the seeded cases miss gets a targeted search of that many evaluations (seeded, so the
/// same every run) before it counts as not refuted.
inline void claim_properties(Runner& run, const claims::Claim& claim, long search_evaluations = 0) {
  const std::string name = claim.name();
  const linalg::Precision precision{4096, 1e-10};
  run.property(name + " as stated is never certified VIOLATED", 100, [&] {
    const auto c = *search::cases(search::Family::All, 1, 8, claim.diagonal_a());
    const auto out = claims::check(claim, c, "stated", precision);
    RC_TAG(claims::to_string(out.verdict));
    RC_ASSERT(out.verdict != claims::Verdict::Violated);
  });

  search::RunOptions o;
  o.cases = static_cast<int>(scaled_count(2000));
  o.precision = precision;
  o.max_counterexamples = 1;
  o.search_evaluations = search_evaluations;
  for (const claims::Variant& v : claim.variants()) {
    o.variant = v.name;
    const search::RunResult r = search::run_cases(claim, o);
    const std::string counts = report::check_summary(report::check_report(claim, v, o, r));
    if (v.proved) {
      run.check(name + " as stated: no counterexample in " + std::to_string(o.cases) + " seeded cases",
                r.count(claims::Verdict::Violated) == 0, counts);
      continue;
    }
    const bool caught = !r.counterexamples.empty();
    run.check(name + " false variant '" + v.name + "' refuted with a certified counterexample", caught, counts);
    if (!caught) continue;
    const auto& cert = r.counterexamples.front().outcome.certificate;
    const auto check = verify::verify_certificate(cert);
    run.check(name + " false variant '" + v.name + "': its certificate is confirmed exactly",
              check.status == verify::Status::Confirmed, check.reason);
    run.check(name + " false variant '" + v.name + "': a tampered copy is not confirmed",
              verify::verify_certificate(tampered(cert)).status != verify::Status::Confirmed);
  }
}

/// The runner's exit code for the claim's properties (see Runner::finish).
inline int run_claim_properties(const claims::Claim& claim) {
  Runner run;
  claim_properties(run, claim);
  return run.finish();
}

inline int run_claim_properties(const std::string& name) { return run_claim_properties(*claims::find_claim(name)); }

}  // namespace fim::props
