// Linear inequalities between eigenvalues of A, E and A + E, decided from enclosures of any
// interval type (binary64 Ival or MPFI), with a certificate for a violation (S8).
#pragma once
#include <cmath>
#include <string>
#include <vector>

#include "claims/claim.hpp"
#include "numeric/exact.hpp"
#include "numeric/interval.hpp"
#include "report/enclosure_json.hpp"

namespace fim::claims {

/// Eigenvalue enclosures (descending) of A, E and A + E, the sum taken exactly.
template <class I>
struct PairSpectra {
  std::vector<I> a, e, sum;
  bool ok = false;
  const std::vector<I>& of(const std::string& m) const { return m == "A" ? a : m == "E" ? e : sum; }
};
/// On the binary64 path (A + E as a ball: rounded centre, certified radius).
PairSpectra<num::Ival> pair_spectra_fp(const MatrixCase& c);
/// In MPFI at the precision of the caller's num::ScopedPrecision.
PairSpectra<num::MpIval> pair_spectra_mp(const MatrixCase& c);

/// coef * lambda_index(matrix), matrix "A", "E" or "A+E", index 1-based, coef an exact binary64.
struct EigTerm {
  std::string matrix;
  int index;
  double coef = 1;
};
/// The claimed inequality sum(lhs) <= sum(rhs) + constant (constant exact binary64).
struct LinearIneq {
  std::vector<EigTerm> lhs, rhs;
  double constant = 0;
  std::string where;
};

using report::to_json;
nlohmann::json to_json(const num::MpIval& x);
/// Every entry exactly, as C99 hex floats ("%a"), row by row.
nlohmann::json hex_matrix(const Eigen::MatrixXd& m);
/// The exact text of an end point (binary64 or MPFR value).
std::string exact_text(double x);
std::string exact_text(const num::MpReal& x);
/// Certificate of a violated LinearIneq: the matrices exactly and one-sided eigenvalue bounds that
/// an exact inertia count confirms (verify-cert), whose combination contradicts the inequality.
nlohmann::json linear_certificate(const std::string& claim, const Variant& v, const MatrixCase& c,
                                  const LinearIneq& q, const nlohmann::json& bounds);

/// Decides every inequality; the first violated one (or else the first undecided one) is reported.
template <class I>
Outcome decide_linear(const std::vector<LinearIneq>& ineqs, const PairSpectra<I>& s,
                      const std::string& claim, const Variant& v, const MatrixCase& c) {
  Outcome out;
  out.verdict = Verdict::Holds;
  for (const LinearIneq& q : ineqs) {
    if (!std::isfinite(q.constant)) {  // the claim's constant overflowed binary64: not decidable here
      if (out.verdict == Verdict::Holds) out = {Verdict::Undecided, 53, q.where + ": constant overflows"};
      continue;
    }
    I lhs = I(0), rhs = I(q.constant);
    for (const EigTerm& t : q.lhs) lhs = lhs + I(t.coef) * s.of(t.matrix)[t.index - 1];
    for (const EigTerm& t : q.rhs) rhs = rhs + I(t.coef) * s.of(t.matrix)[t.index - 1];
    const Verdict verdict = decide_le(lhs, rhs);
    if (verdict == Verdict::Holds || out.verdict == Verdict::Violated) continue;
    if (verdict == Verdict::Undecided && out.verdict == Verdict::Undecided) continue;
    out.verdict = verdict;
    out.where = q.where;
    out.evidence = {{"lhs", to_json(lhs)}, {"rhs", to_json(rhs)}};
    if (verdict != Verdict::Violated) continue;
    // one-sided bounds: lhs terms from below, rhs terms from above (coefficients are >= 0)
    nlohmann::json bounds = nlohmann::json::array();
    for (const EigTerm& t : q.lhs)
      bounds.push_back({{"matrix", t.matrix}, {"index", t.index},
                        {"lower", exact_text(lower(s.of(t.matrix)[t.index - 1]))}});
    for (const EigTerm& t : q.rhs)
      bounds.push_back({{"matrix", t.matrix}, {"index", t.index},
                        {"upper", exact_text(upper(s.of(t.matrix)[t.index - 1]))}});
    out.certificate = linear_certificate(claim, v, c, q, bounds);
  }
  return out;
}

/// decide_linear on spectra at `bits`: binary64 at 53, MPFI above; UNDECIDED when the spectra
/// cannot be enclosed at that precision.
Outcome decide_linear_at(const std::vector<LinearIneq>& ineqs, const std::string& claim,
                         const Variant& v, const MatrixCase& c, int bits);

}  // namespace fim::claims
