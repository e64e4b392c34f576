// Shared body of the claim property files (one per claim, properties/<claim>.cpp):
// 1. RapidCheck: the claim as stated is never certified VIOLATED on generated cases (a failure
//    would be shrunk and printed by RapidCheck);
// 2. a seeded run of 2,000 cases: no VIOLATED, counts per verdict printed;
// 3. mutation check: every false variant yields a certified counterexample whose certificate the
//    exact verifier confirms, and a tampered copy of that certificate is not confirmed.
#pragma once
#include <cstdio>
#include <string>

#include <rapidcheck.h>

#include "claims/claim.hpp"
#include "numeric/exact.hpp"
#include "report/check_report.hpp"
#include "verify/verify.hpp"
#include "search/run.hpp"

namespace fim::props {

inline bool expect(bool ok, const std::string& what) {
  std::printf("  %s %s\n", ok ? "ok  " : "FAIL", what.c_str());
  return ok;
}

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

inline int run_claim_properties(const claims::Claim& claim) {
  const std::string name = claim.name();
  const linalg::Precision precision{4096, 1e-10};
  bool ok = true;
  ok &= rc::check(name + " as stated is never certified VIOLATED", [&] {
    const auto c = *search::cases(search::Family::All, 1, 8, claim.diagonal_a());
    const auto out = claims::check(claim, c, "stated", precision);
    RC_TAG(claims::to_string(out.verdict));
    RC_ASSERT(out.verdict != claims::Verdict::Violated);
  });

  search::RunOptions o;
  o.cases = 2000;
  o.precision = precision;
  o.max_counterexamples = 1;
  for (const claims::Variant& v : claim.variants()) {
    o.variant = v.name;
    const search::RunResult r = search::run_cases(claim, o);
    std::printf("%s\n", report::check_summary(report::check_report(claim, v, o, r)).c_str());
    if (v.proved) {
      ok &= expect(r.count(claims::Verdict::Violated) == 0, name + " as stated: no counterexample in 2000 seeded cases");
      continue;
    }
    const bool caught = !r.counterexamples.empty();
    ok &= expect(caught, "false variant '" + v.name + "' refuted with a certified counterexample");
    if (!caught) continue;
    const auto& cert = r.counterexamples.front().outcome.certificate;
    const auto check = verify::verify_certificate(cert);
    ok &= expect(check.status == verify::Status::Confirmed,
                 "  its certificate is confirmed exactly (" + check.reason + ")");
    ok &= expect(verify::verify_certificate(tampered(cert)).status != verify::Status::Confirmed,
                 "  a tampered copy is not confirmed");
  }
  std::printf("%d passed, %d failed\n", ok ? 1 : 0, ok ? 0 : 1);
  return ok ? 0 : 1;
}

inline int run_claim_properties(const std::string& name) { return run_claim_properties(*claims::find_claim(name)); }

}  // namespace fim::props
