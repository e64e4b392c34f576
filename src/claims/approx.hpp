// C6 approx: tractable approximations to lambda_1(F), F = G^T G / n, each declaring what it claims
// (lower bound, upper bound, or heuristic with or without a claimed relative error), checked from
// certified enclosures (proofs/approx.md). A case's A is the score matrix G (n x d, any real
// entries); E is not used.
//
// Adding an approximation: write its value as a generic function of Scores<I> (I is the binary64
// interval num::Ival or the MPFI interval num::MpIval; use only +, -, *, /, sqrt, abs and the
// helpers below, so the result encloses the exact value), wrap it with make_approximation, and
// check it with approx_claim_with({...}) (tests/approx_example/ shows the whole path).
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <span>
#include <vector>

#include <Eigen/Dense>

#include "claims/claim.hpp"
#include "numeric/mp.hpp"

namespace fim::claims {

/// What an approximation claims about lambda_1(F).
enum class ApproxKind { Lower, Upper, Heuristic };

/// The score matrix G of a case seen through interval type I: exact entries, and enclosures of
/// F = G^T G / n and of the squared row norms ||g_i||^2, computed once (O(n d^2) operations).
template <class I>
class Scores {
 public:
  explicit Scores(const Eigen::MatrixXd& g)
      : g_(g), n_(static_cast<int>(g.rows())), d_(static_cast<int>(g.cols())),
        f_(static_cast<std::size_t>(d_) * d_, I(0)), row_(static_cast<std::size_t>(n_), I(0)) {
    for (int i = 0; i < n_; ++i)
      for (int j = 0; j < d_; ++j) row_[i] = row_[i] + I(g(i, j)) * I(g(i, j));
    for (int j = 0; j < d_; ++j)
      for (int k = j; k < d_; ++k) {
        I s = I(0);
        for (int i = 0; i < n_; ++i) s = s + I(g(i, j)) * I(g(i, k));
        f_[j * d_ + k] = s / I(n_);
        if (k != j) f_[k * d_ + j] = f_[j * d_ + k];  // never self-assign: Boost's MPFI loses the value
      }
  }
  /// Number of samples (rows of G) and of parameters (columns).
  int n() const { return n_; }
  int d() const { return d_; }
  /// g_ij exactly, as a point interval.
  I g(int i, int j) const { return I(g_(i, j)); }
  /// An enclosure of F_jk = (1/n) sum_i g_ij g_ik.
  const I& f(int j, int k) const { return f_[j * d_ + k]; }
  /// Every F_jk, row-major (entry (j, k) the same interval as (k, j)).
  std::span<const I> f_entries() const { return f_; }
  /// An enclosure of ||g_i||^2.
  const I& row_norm2(int i) const { return row_[i]; }
  /// The exact binary64 score matrix.
  const Eigen::MatrixXd& matrix() const { return g_; }

 private:
  const Eigen::MatrixXd& g_;
  int n_, d_;
  std::vector<I> f_, row_;
};

/// Encloses max(x, y) for every x in a, y in b.
num::Ival max_of(const num::Ival& a, const num::Ival& b);
num::MpIval max_of(const num::MpIval& a, const num::MpIval& b);

/// The exact value of an approximation when it is a rational r (sqrt = false) or sqrt(r).
struct ExactValue {
  num::Rational r;
  bool sqrt = false;
};

/// The score matrix in exact rationals, with S = G^T G = n F (dyadic entries).
struct ExactScores {
  int n = 0, d = 0;
  std::vector<std::vector<num::Rational>> g, s;
  explicit ExactScores(const Eigen::MatrixXd& gm);
};

/// An approximation of lambda_1(F) and what it claims. `claimed_rel_error` (heuristics only):
/// |value - lambda_1| <= eps lambda_1; without it a heuristic claims nothing and is only measured.
/// enclose and exact are called from several threads at once (search::RunOptions::jobs): they must
/// not change shared state.
class Approximation {
 public:
  Approximation(std::string name, std::string statement, ApproxKind kind,
                std::optional<double> claimed_rel_error = std::nullopt)
      : name_(std::move(name)), statement_(std::move(statement)), kind_(kind), eps_(claimed_rel_error) {}
  virtual ~Approximation() = default;
  const std::string& name() const { return name_; }
  const std::string& statement() const { return statement_; }
  ApproxKind kind() const { return kind_; }
  std::optional<double> claimed_rel_error() const { return eps_; }

  /// Encloses the value on the binary64 path; a failed evaluation returns Ival::entire().
  virtual num::Ival enclose(const Scores<num::Ival>& s, int bits) const = 0;
  /// Encloses the value in MPFI at the caller's num::ScopedPrecision (`bits`).
  virtual num::MpIval enclose(const Scores<num::MpIval>& s, int bits) const = 0;
  /// The exact value, when the approximation can give it (decides exact ties); nullopt otherwise.
  virtual std::optional<ExactValue> exact(const ExactScores&) const { return std::nullopt; }
  /// The formula id that `fimcheck verify-cert` recomputes on its own ("" for user code, whose
  /// value enclosure a certificate then records as produced).
  virtual nlohmann::json formula() const { return ""; }

 private:
  std::string name_, statement_;
  ApproxKind kind_;
  std::optional<double> eps_;
};

/// An approximation whose value is eval(Scores<I>) for both interval types (eval generic in I),
/// with an optional exact form exact(ExactScores) -> std::optional<ExactValue>.
template <class Eval>
class IntervalApproximation final : public Approximation {
 public:
  IntervalApproximation(std::string name, std::string statement, ApproxKind kind, Eval eval,
                        std::optional<double> eps,
                        std::function<std::optional<ExactValue>(const ExactScores&)> exact_form)
      : Approximation(std::move(name), std::move(statement), kind, eps), eval_(std::move(eval)),
        exact_(std::move(exact_form)) {}
  num::Ival enclose(const Scores<num::Ival>& s, int) const override { return eval_(s); }
  num::MpIval enclose(const Scores<num::MpIval>& s, int) const override { return eval_(s); }
  std::optional<ExactValue> exact(const ExactScores& e) const override {
    return exact_ ? exact_(e) : std::nullopt;
  }

 private:
  Eval eval_;
  std::function<std::optional<ExactValue>(const ExactScores&)> exact_;
};

/// A user approximation from a generic evaluator `eval(const Scores<I>&) -> I`.
template <class Eval>
std::shared_ptr<const Approximation> make_approximation(
    std::string name, std::string statement, ApproxKind kind, Eval eval,
    std::optional<double> claimed_rel_error = std::nullopt,
    std::function<std::optional<ExactValue>(const ExactScores&)> exact_form = {}) {
  return std::make_shared<IntervalApproximation<Eval>>(std::move(name), std::move(statement), kind,
                                                       std::move(eval), claimed_rel_error,
                                                       std::move(exact_form));
}

/// The built-in approximations, by name: score-max, score-sum, score-max-unscaled,
/// frobenius-ratio, frobenius-norm, gershgorin, power-4, lanczos-3 (proofs/approx.md, section 1).
std::shared_ptr<const Approximation> builtin_approximation(const std::string& name);

/// The approx claim with one more variant per user approximation (named as it), checking what
/// that approximation declares. The built-in variants are those of approx_claim().
std::unique_ptr<Claim> approx_claim_with(std::vector<std::shared_ptr<const Approximation>> user);

}  // namespace fim::claims
