// user: property tests of claims written in the claim language (check --claim;
// proofs/claim-language.md):
// 1. the built-in weyl and directional claims, restated in the language, get the same verdict as
//    the built-in code on every case of the same seeds, variant by variant (directional's cases
//    with a repeated top eigenvalue excepted: rayleigh is defined only for a simple one, so the
//    language says HYPOTHESIS_FAILS there; counted and checked);
// 2. textbook inequalities are never certified VIOLATED, and are certified HOLDS on most cases;
// 3. each false neighbour (an index shifted, a constant halved, a sign flipped) gets a certified
//    counterexample whose certificate verify-cert confirms exactly, and a tampered copy is refused.
#include <map>

#include "claim_properties.hpp"
#include "claims/user_claim.hpp"

namespace fim::props {
namespace {

using claims::Verdict;

struct Restated {
  const char* builtin;
  const char* variant;
  claims::UserClaimSpec spec;
};

// weyl and directional in the language (proofs/claim-language.md, section 7).
const std::vector<Restated>& restated() {
  static const std::vector<Restated> r = {
      {"weyl", "stated",
       {"(forall i, j in 1..n with i + j - 1 <= n: lambda(i+j-1, A+E) <= lambda(i, A) + lambda(j, E)) and "
        "(forall i in 1..n: lambda(i, A) + lambda_min(E) <= lambda(i, A+E))"}},
      {"weyl", "index-shift",
       {"forall i, j in 1..n with i + j >= 3 and i + j - 2 <= n: lambda(i+j-2, A+E) <= lambda(i, A) + lambda(j, E)"}},
      {"weyl", "lower-top", {"forall i in 1..n: lambda(i, A) + lambda(1, E) <= lambda(i, A+E)"}},
      {"weyl", "half-top", {"forall i in 1..n: lambda(i, A+E) <= lambda(i, A) + lambda(1, E) / 2"}},
      {"directional", "stated", {"lambda(1, A+E) >= lambda(1, A) + rayleigh(A, E)", "", "", true}},
      {"directional", "upper", {"lambda(1, A+E) <= lambda(1, A) + rayleigh(A, E)", "", "", true}},
      {"directional", "double", {"lambda(1, A+E) >= lambda(1, A) + 2*rayleigh(A, E)", "", "", true}},
      {"directional", "bottom", {"lambda(1, A+E) >= lambda(1, A) + rayleigh(-A, E)", "", "", true}},
  };
  return r;
}

// True when A (diagonal) has its largest (bottom: smallest) diagonal entry more than once.
bool repeated_extreme(const Eigen::MatrixXd& a, bool bottom) {
  const double x = bottom ? a.diagonal().minCoeff() : a.diagonal().maxCoeff();
  return (a.diagonal().array() == x).count() > 1;
}

void same_verdicts(Runner& run, const linalg::Precision& p) {
  const int cases = static_cast<int>(scaled_count(400));
  for (const Restated& r : restated()) {
    const claims::Claim& builtin = *claims::find_claim(r.builtin);
    const auto user = claims::make_user_claim(r.spec, 1, 8);
    const auto gen = search::cases(search::Family::All, 1, 8, builtin.shape());
    std::map<std::string, int> builtin_counts, user_counts;
    int differ = 0, excepted = 0;
    std::string first;
    for (int k = 0; k < cases; ++k) {
      const claims::MatrixCase c = search::nth_case(gen, 1, k).value();
      const Verdict b = claims::check(builtin, c, r.variant, p).verdict;
      const Verdict u = claims::check(*user, c, "stated", p).verdict;
      ++builtin_counts[claims::to_string(b)], ++user_counts[claims::to_string(u)];
      const bool simple_only = builtin.diagonal_a() && repeated_extreme(c.a, std::string(r.variant) == "bottom");
      if (simple_only && u == Verdict::HypothesisFails) ++excepted;
      else if (b != u && differ++ == 0)
        first = "case " + std::to_string(k) + ": " + claims::to_string(b) + " built in, " + claims::to_string(u) + " in the language";
    }
    std::string counts;
    for (const char* v : {"HOLDS", "VIOLATED", "UNDECIDED", "HYPOTHESIS_FAILS"})
      counts += std::string(v) + " " + std::to_string(builtin_counts[v]) + "/" + std::to_string(user_counts[v]) + " ";
    run.check(std::string(r.builtin) + " " + r.variant + " in the language: the built-in verdict on each of " +
                  std::to_string(cases) + " cases",
              differ == 0 && user_counts["HOLDS"] + user_counts["VIOLATED"] > 0,
              counts + "(built in/language); " + std::to_string(excepted) + " cases with a repeated top excepted" +
                  (first.empty() ? "" : "; first difference " + first));
  }
}

struct Textbook {
  claims::UserClaimSpec spec;
  int dim_lo = 1, dim_hi = 8;
};

// True inequalities (proofs/claim-language.md, section 8, with their sources).
const std::vector<Textbook>& textbook_true() {
  static const std::vector<Textbook> t = {
      {{"forall i, j in 1..n with i + j - 1 <= n: lambda(i+j-1, A+E) <= lambda(i, A) + lambda(j, E)"}},
      {{"lambda(1, A+E) + lambda(2, A+E) <= lambda(1, A) + lambda(2, A) + lambda(1, E) + lambda(2, E)"}, 2, 8},
      {{"norm(A+E) <= norm(A) + norm(E)"}},
      {{"forall k in 1..n: lambda(k, A) + lambda_min(E) <= lambda(k, A+E) and lambda(k, A+E) <= lambda(k, A) + lambda(1, E)"}},
      {{"rayleigh(A, A) >= lambda(1, A) and rayleigh(A, A) <= lambda(1, A)", "gap(A) > 0"}, 2, 8},
      {{"lambda_min(E) <= rayleigh(A, E) and rayleigh(A, E) <= lambda(1, E)", "gap(A) > 0"}, 2, 8},
      {{"norm(A) <= fro(A) and fro(A) <= sqrt(n) * norm(A) and trace(A) <= n * lambda(1, A)"}},
      {{"trace(sym(A*E)) >= 0 and lambda(1, A+E) >= lambda(1, A)", "", "AE"}},
      {{"gap(A+E) >= gap(A) - 2*norm(E)", "gap(A) > 2*norm(E)"}, 2, 8},
      {{"lambda(1, A+B+E) <= lambda(1, A) + lambda(1, B) + lambda(1, E)", "", "B"}},
      {{"lambda_min(A*A) >= 0 and lambda(1, (A+E)*(A+E)) <= (norm(A) + norm(E))^2"}},
      // Ky Fan for every k; at k = n both sides are traces, equal exactly (section 8.1, item 10)
      {{"forall k in 1..n: sum(i in 1..k: lambda(i, A+E)) <= sum(i in 1..k: lambda(i, A)) + sum(i in 1..k: lambda(i, E))"}},
  };
  return t;
}

// Their false neighbours: an index shifted, a constant halved, a sign flipped, a hypothesis dropped.
const std::vector<Textbook>& textbook_false() {
  static const std::vector<Textbook> t = {
      {{"forall i, j in 1..n with 2 <= i + j - 2 and i + j - 2 <= n: lambda(i+j-2, A+E) <= lambda(i, A) + lambda(j, E)"}},
      {{"lambda(1, A+E) + lambda(2, A+E) <= lambda(1, A) + lambda(2, A) + lambda(1, E) + lambda(3, E)"}, 3, 8},
      {{"norm(A+E) <= norm(A) + norm(E) / 2"}},
      {{"forall k in 1..n: lambda(k, A+E) <= lambda(k, A) + lambda(1, E) / 2"}},
      {{"lambda(1, A+E) >= lambda(1, A) + norm(E)"}},
      {{"gap(A+E) >= gap(A) - norm(E)"}, 2, 8},
      {{"rayleigh(A, E) >= lambda(1, E)", "gap(A) > 0"}, 2, 8},
      {{"fro(A) <= norm(A)"}},
      {{"lambda(1, sym(A*E)) >= 0"}},
      {{"lambda_min(sym(A*E)) >= 0", "", "AE"}, 2, 8},
      {{"lambda(1, A+B) <= lambda(1, A) + lambda(2, B)"}, 2, 8},
      {{"lambda_min(A*A) >= lambda_min(A)^2"}},
      {{"forall k in 1..n-1: sum(i in 1..k: lambda(i, A+E)) <= sum(i in 1..k: lambda(i+1, A)) + sum(i in 1..k: lambda(i, E))"},
       2, 8},
  };
  return t;
}

std::string label(const Textbook& t) {
  return "'" + t.spec.claim + "'" + (t.spec.given.empty() ? "" : " given '" + t.spec.given + "'") +
         (t.spec.psd.empty() ? "" : " (PSD: " + t.spec.psd + ")");
}

search::RunResult run_textbook(const Textbook& t, const linalg::Precision& p, int cases, long search) {
  const auto claim = claims::make_user_claim(t.spec, t.dim_lo, t.dim_hi);
  search::RunOptions o;
  o.cases = cases;
  o.dim_lo = t.dim_lo;
  o.dim_hi = t.dim_hi;
  o.precision = p;
  o.max_counterexamples = 1;
  o.search_evaluations = search;
  return search::run_cases(*claim, o);
}

std::string counts_of(const search::RunResult& r) {
  std::string s;
  for (Verdict v : {Verdict::Holds, Verdict::Violated, Verdict::Undecided, Verdict::HypothesisFails})
    s += std::string(claims::to_string(v)) + " " + std::to_string(r.count(v)) + " ";
  return s;
}

void textbook(Runner& run, const linalg::Precision& p) {
  const int cases = static_cast<int>(scaled_count(300));
  for (const Textbook& t : textbook_true()) {
    const search::RunResult r = run_textbook(t, p, cases, 0);
    run.check("true: " + label(t) + " is never VIOLATED, and HOLDS on most cases its hypothesis admits",
              r.count(Verdict::Violated) == 0 &&
                  r.count(Verdict::Holds) >= (cases - r.count(Verdict::HypothesisFails)) / 2,
              counts_of(r));
  }
  for (const Textbook& t : textbook_false()) {
    const search::RunResult r = run_textbook(t, p, cases, 20000);
    const bool caught = !r.counterexamples.empty();
    run.check("false: " + label(t) + " gets a certified counterexample", caught, counts_of(r));
    if (!caught) continue;
    const auto& cert = r.counterexamples.front().outcome.certificate;
    const auto check = verify::verify_certificate(cert);
    run.check("false: " + label(t) + ": verify-cert confirms its certificate",
              check.status == verify::Status::Confirmed, check.reason);
    run.check("false: " + label(t) + ": a tampered copy is not confirmed",
              !cert["bounds"].empty() && verify::verify_certificate(tampered(cert)).status != verify::Status::Confirmed);
  }
}

}  // namespace
}  // namespace fim::props

int main() {
  fim::props::Runner run;
  const fim::linalg::Precision p{4096, 1e-10};
  fim::props::same_verdicts(run, p);
  fim::props::textbook(run, p);
  return run.finish();
}
