// Linear inequalities between eigenvalues of A, E and A + E, decided from enclosures of any
// interval type (binary64 Ival or MPFI), with a certificate for a violation (S8).
#pragma once
#include <algorithm>
#include <cmath>
#include <type_traits>
#include <optional>
#include <string>
#include <vector>

#include "claims/claim.hpp"
#include "claims/exact_ties.hpp"
#include "numeric/exact.hpp"
#include "numeric/interval.hpp"
#include "numeric/enclosure_json.hpp"

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

/// Encloses ||E|| = max(lambda_1(E), -lambda_n(E)) from the enclosures of E's spectrum (LA Lemma 8).
template <class I>
I norm_enclosure(const std::vector<I>& eig_e) {
  const I top = eig_e.front(), neg_bottom = I(0) - eig_e.back();
  const auto lo = std::max({decltype(lower(top))(0), lower(top), lower(neg_bottom)});
  const auto hi = std::max(upper(top), upper(neg_bottom));
  if constexpr (std::is_same_v<I, num::MpIval>) return num::to_mp(lo, hi);  // not Boost's MpIval(lo, hi)
  else return I(lo, hi);
}

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
  nlohmann::json place;  // `where` as the certificate names it; verify-cert derives the inequality from it
};

using num::to_json;
nlohmann::json to_json(const num::MpIval& x);
/// Every entry exactly, as C99 hex floats ("%a"), row by row.
nlohmann::json hex_matrix(const Eigen::MatrixXd& m);
/// The exact text of an end point (binary64 or MPFR value).
std::string exact_text(double x);
std::string exact_text(const num::MpReal& x);
/// Certificate of a violated LinearIneq: claim, variant and place (from which verify-cert derives the
/// inequality), the matrices exactly and one-sided eigenvalue bounds whose combination contradicts it.
nlohmann::json linear_certificate(const std::string& claim, const Variant& v, const MatrixCase& c,
                                  const LinearIneq& q, const nlohmann::json& bounds);

inline bool finite(const num::Ival& x) { return x.is_finite(); }
inline bool finite(const num::MpIval& x) { return num::isfinite(lower(x)) && num::isfinite(upper(x)); }

/// The exact values of every eigenvalue q names, when all are rational (exact ties); else nullopt.
template <class I>
std::optional<std::vector<num::Rational>> rational_terms(const LinearIneq& q, const PairSpectra<I>& s,
                                                         ExactCase& exact) {
  std::vector<num::Rational> values;
  for (const auto* side : {&q.lhs, &q.rhs})
    for (const EigTerm& t : *side) {
      const I& x = s.of(t.matrix)[t.index - 1];
      auto r = rational_eigenvalue(exact, t.matrix, t.index, num::lower_rational(x), num::upper_rational(x));
      if (!r) return std::nullopt;
      values.push_back(*r);
    }
  return values;
}

/// c when m = c I exactly, else nullopt.
std::optional<double> identity_multiple(const Eigen::MatrixXd& m);

/// q holds exactly by the order of the eigenvalues when E or A is a multiple c I of the identity
/// (lambda_k(A + cI) = lambda_k(A) + c; proofs/claim-language.md, Lemma 5); false when that does not
/// prove it.
bool holds_by_order(const LinearIneq& q, const MatrixCase& c);

/// Decides every inequality from the enclosures; an overlap is retried exactly when the eigenvalues
/// involved are rational. The first violated inequality (or else the first undecided) is reported,
/// a violation with its certificate.
template <class I>
Outcome decide_linear(const std::vector<LinearIneq>& ineqs, const PairSpectra<I>& s,
                      const std::string& claim, const Variant& v, const MatrixCase& c) {
  Outcome out;
  out.verdict = Verdict::Holds;
  ExactCase exact(c);
  for (const LinearIneq& q : ineqs) {
    if (out.verdict == Verdict::Violated) break;
    if (!std::isfinite(q.constant)) {  // the claim's constant overflowed binary64: not decidable here
      if (out.verdict == Verdict::Holds) {
        out.verdict = Verdict::Undecided;
        out.where = q.where + ": constant overflows";
      }
      continue;
    }
    I lhs = I(0), rhs = I(q.constant);
    for (const EigTerm& t : q.lhs) lhs = lhs + I(t.coef) * s.of(t.matrix)[t.index - 1];
    for (const EigTerm& t : q.rhs) rhs = rhs + I(t.coef) * s.of(t.matrix)[t.index - 1];
    Verdict verdict = decide_le(lhs, rhs);
    // certificate bounds: lhs terms from below, rhs terms from above (exact values after a tie)
    std::vector<std::string> bound_text;
    std::string how;
    if (verdict == Verdict::Undecided && finite(lhs) && finite(rhs))
      if (const auto r = rational_terms(q, s, exact)) {
        num::Rational l = 0, rr = num::to_rational(q.constant);
        std::size_t k = 0;
        for (const EigTerm& t : q.lhs) l += num::to_rational(t.coef) * (*r)[k++];
        for (const EigTerm& t : q.rhs) rr += num::to_rational(t.coef) * (*r)[k++];
        for (const auto& x : *r) bound_text.push_back(num::rational_text(x));
        verdict = l <= rr ? Verdict::Holds : Verdict::Violated;
        how = " (exact: rational eigenvalues)";
      }
    if (verdict == Verdict::Undecided && how.empty() && holds_by_order(q, c)) {
      verdict = Verdict::Holds;
      how = " (exact: the order of the eigenvalues, E or A a multiple of I)";
    }
    if (verdict == Verdict::Undecided && how.empty() && finite(lhs) && finite(rhs) &&
        possible_tie(num::lower_rational(lhs), num::upper_rational(lhs), num::lower_rational(rhs),
                     num::upper_rational(rhs)))
      how = kPossibleTie;
    if (verdict == Verdict::Violated && bound_text.empty()) {
      for (const EigTerm& t : q.lhs) bound_text.push_back(exact_text(lower(s.of(t.matrix)[t.index - 1])));
      for (const EigTerm& t : q.rhs) bound_text.push_back(exact_text(upper(s.of(t.matrix)[t.index - 1])));
    }
    if (!how.empty() && how != kPossibleTie) out.exact = true;
    if (verdict == Verdict::Holds) continue;
    if (verdict == Verdict::Undecided && out.verdict == Verdict::Undecided) continue;
    out.verdict = verdict;
    out.where = q.where + how;
    out.evidence = {{"lhs", to_json(lhs)}, {"rhs", to_json(rhs)}};
    if (verdict != Verdict::Violated) continue;
    nlohmann::json bounds = nlohmann::json::array();
    std::size_t k = 0;
    for (const EigTerm& t : q.lhs)
      bounds.push_back({{"matrix", t.matrix}, {"index", t.index}, {"lower", bound_text[k++]}});
    for (const EigTerm& t : q.rhs)
      bounds.push_back({{"matrix", t.matrix}, {"index", t.index}, {"upper", bound_text[k++]}});
    out.certificate = linear_certificate(claim, v, c, q, bounds);
  }
  return out;
}

/// Unverified margin of the worst inequality from binary64 eigenvalues (targeted search only):
/// max over q of (lhs - rhs - constant) / (1 + sum of |terms|); > 0 means apparently violated.
double approx_linear_margin(const std::vector<LinearIneq>& ineqs, const MatrixCase& c);

/// decide_linear on spectra at `bits`: binary64 at 53, MPFI above; UNDECIDED when the spectra
/// cannot be enclosed at that precision.
Outcome decide_linear_at(const std::vector<LinearIneq>& ineqs, const std::string& claim,
                         const Variant& v, const MatrixCase& c, int bits);

}  // namespace fim::claims
