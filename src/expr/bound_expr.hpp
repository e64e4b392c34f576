// Conjectured bounds (`fimcheck check remainder --bound EXPR`, S7): a small arithmetic expression
// in the case's quantities, parsed once and evaluated rigorously on intervals.
//
// Grammar (whitespace between tokens is ignored):
//   expr    := term (('+' | '-') term)*
//   term    := unary (('*' | '/') unary)*
//   unary   := '-' unary | power
//   power   := primary ('^' unary)?                       right associative
//   primary := number | variable | func '(' expr [',' expr] ')' | '(' expr ')'
// Numbers are decimal literals (2, 0.5, 1e-3, 2.5E+4) read exactly as rationals; the exponent of
// '^' must be an integer literal, optionally negated or parenthesized (x^2, x^-1, x^(-3)).
// Functions: sqrt(x), abs(x), min(x, y), max(x, y). Variables: see known_variables().
//
// Semantics of eval: for every choice of point values inside the variable intervals at which the
// expression is defined, its exact real value lies in the result. Where it may be undefined
// (division by an interval containing 0, sqrt of an entirely negative interval) the result is the
// whole line; sqrt of an interval with a negative part is sqrt of its nonnegative part; 0^0 = 1.
#pragma once
#include <cstddef>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace fim::expr {

/// A malformed expression: what() is "EXPR: position P: reason", P the 1-based column.
class BoundExprError : public std::invalid_argument {
 public:
  BoundExprError(std::size_t position, const std::string& reason);
  std::size_t position;  // 1-based column (byte) of the offending token; length + 1 at the end
  std::string reason;    // the message without the "EXPR: position P: " prefix
};

namespace detail {
struct BoundNode;
}

/// A parsed bound expression; cheap to copy (the syntax tree is shared and immutable).
class BoundExpr {
 public:
  /// Parses `text`; throws BoundExprError on any syntax error, unknown name or bad exponent.
  static BoundExpr parse(const std::string& text);
  /// The variable names the grammar accepts: normE, gap, d, lambda1, lambda2, lambda_min, e11.
  static const std::vector<std::string>& known_variables();

  /// The text it was parsed from.
  const std::string& text() const { return text_; }
  /// The distinct variables the expression uses, in order of first appearance.
  std::vector<std::string> variables() const { return variables_; }

  /// Encloses the expression's value over the given variable intervals (I = fim::num::Ival or
  /// fim::num::MpIval, at the caller's precision, or fim::num::RatIval, exact, for verify-cert);
  /// throws std::invalid_argument if a used variable has no value.
  template <class I>
  I eval(const std::map<std::string, I>& vars) const;

 private:
  std::string text_;
  std::vector<std::string> variables_;
  std::shared_ptr<const detail::BoundNode> root_;
};

}  // namespace fim::expr
