// A claim about eigenvalues of a pair (A, E), decided per case from certified enclosures, with its
// deliberately false variants (S6, S7). read -> enclose -> decide -> report: a claim only decides.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include "claims/verdict.hpp"
#include "linalg/enclosure.hpp"

namespace fim::claims {

/// One case: symmetric A and E (and B, for a user's claim that names it; else empty) of the same
/// dimension, exact binary64 entries.
struct MatrixCase {
  Eigen::MatrixXd a, e, b = {};
};

/// How a claim's cases are generated: A diagonal (the claim read in A's eigenbasis), a third matrix
/// B, and which of A, B, E are positive semidefinite (letters of "ABE").
struct CaseShape {
  bool diagonal_a = false, with_b = false;
  std::string psd;
};

/// A reading of the claim: the stated one (proved = true) or a deliberately false variant.
struct Variant {
  std::string name, statement;
  bool proved = false;
};

/// The decision on one case: the verdict, the precision that produced it, what decided it, the
/// enclosures compared, a certificate when VIOLATED, and the claim's tightness when it applies.
struct Outcome {
  Verdict verdict = Verdict::Undecided;
  int bits = 53;
  int rung = 53;       // the ladder rung that decided, or num::kExact (set by check())
  bool exact = false;  // decided in exact rational arithmetic (structure or an exact tie)
  std::string where;
  nlohmann::json evidence = nlohmann::json::object();
  nlohmann::json certificate = nullptr;
  std::optional<double> tightness;  // e.g. |R3| / bound, an estimate for statistics only
  std::optional<double> perturbation;  // ||E|| / g where it applies: the x axis of tightness plots
  std::string holds_scope;  // for a HOLDS of a claim with holds_scopes(): which one it is
};

class Claim {
 public:
  virtual ~Claim() = default;
  virtual std::string name() const = 0;
  /// The stated claim first, then its false variants.
  virtual std::vector<Variant> variants() const = 0;
  /// True when the claim is checked in A's eigenbasis (generators then make A diagonal).
  virtual bool diagonal_a() const { return false; }
  /// The cases the claim is checked on (A, E symmetric; A diagonal when diagonal_a()).
  virtual CaseShape shape() const { return {diagonal_a(), false, ""}; }
  /// The claim as `fimcheck check` names it on a command line ("weyl"; a user's claim: its options).
  virtual std::string command() const { return name(); }
  /// Decides one case at `bits` (53: binary64 path; more: MPFI at that precision).
  virtual Outcome check_at(const MatrixCase& c, const std::string& variant, int bits) const = 0;
  /// An unverified estimate of how far the case violates the variant (> 0: apparently violated),
  /// for the targeted search to maximize; never a verdict. nullopt: no estimate for this claim.
  virtual std::optional<double> approx_margin(const MatrixCase&, const std::string&) const {
    return std::nullopt;
  }
  /// The kinds of HOLDS the stated claim distinguishes, as (key, meaning), each with its hypothesis
  /// certified (genericity: the mean checked exactly, or not checked); empty: HOLDS is one thing.
  virtual std::vector<std::pair<std::string, std::string>> holds_scopes() const { return {}; }
  /// What Outcome::tightness measures, for reports ("" when the claim reports none).
  virtual std::string tightness_meaning() const { return ""; }
  /// The matrices whose spectra a report draws before/after for a case (names as the claim says).
  virtual std::vector<std::pair<std::string, Eigen::MatrixXd>> spectra_to_plot(const MatrixCase& c) const {
    return {{"A", c.a}, {"A + E", c.a + c.e}};
  }
};

/// HOLDS decided exactly by the structure of the case (an equality case), named by `why`.
Outcome holds_by_structure(const std::string& why);

/// Escalates check_at along p's ladder while the verdict is UNDECIDED (one mechanism for all).
Outcome check(const Claim& claim, const MatrixCase& c, const std::string& variant,
              const linalg::Precision& p);

/// The claim named `name` (weyl, directional, remainder), or nullptr.
const Claim* find_claim(const std::string& name);
/// Every registered claim's name.
std::vector<std::string> claim_names();

/// The variant named `name` of claim, if there is one.
std::optional<Variant> find_variant(const Claim& claim, const std::string& name);

}  // namespace fim::claims
