// Deciding inequalities that enclosures cannot separate because they are exact ties: when every
// eigenvalue an inequality names is a rational number, exact inertia counts confirm its value and
// the inequality is evaluated in rationals (proofs/linear-algebra.md, Lemma 12).
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "claims/claim.hpp"
#include "numeric/mp.hpp"

namespace fim::oracle {
class ExactSym;
}

namespace fim::claims {

/// The exact matrices A, E and A + E of a case, built on first use.
class ExactCase {
 public:
  explicit ExactCase(const MatrixCase& c);
  ~ExactCase();
  const oracle::ExactSym& get(const std::string& name);
  int dim() const { return n_; }

 private:
  const MatrixCase& c_;
  int n_;
  std::map<std::string, std::unique_ptr<oracle::ExactSym>> m_;
};

/// The rational with the smallest denominator in [lo, hi] (lo <= hi), by continued fractions.
num::Rational simplest_rational(const num::Rational& lo, const num::Rational& hi);

/// lambda_k(matrix) = r exactly, confirmed by inertia counts, if the simplest rational in the
/// enclosure [lo, hi] is that eigenvalue; nullopt otherwise.
std::optional<num::Rational> rational_eigenvalue(ExactCase& exact, const std::string& matrix, int k,
                                                 const num::Rational& lo, const num::Rational& hi);

/// The same for the exact matrix m (any symmetric matrix of rationals).
std::optional<num::Rational> rational_eigenvalue(const oracle::ExactSym& m, int k, const num::Rational& lo,
                                                 const num::Rational& hi);

/// The note on an UNDECIDED inequality whose sides could be an exact tie (see possible_tie).
inline constexpr const char* kPossibleTie = "; both sides agree to 30 digits: an equality case?";

/// True when the enclosures [llo, lhi] of one side and [rlo, rhi] of the other overlap and the
/// hull of both is narrower than 1e-30 of their largest magnitude (decided in rationals): an
/// equality that no enclosure can prove, unlike a case that more precision would settle.
bool possible_tie(const num::Rational& llo, const num::Rational& lhi, const num::Rational& rlo,
                  const num::Rational& rhi);

}  // namespace fim::claims
