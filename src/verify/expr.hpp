// The verifier's own reader and evaluator of the bound expressions a certificate may contain (the
// grammar of `fimcheck check remainder --bound`, README), over exact rational intervals
// (proofs/verify.md, section 4).
//   expr := term (('+' | '-') term)*        term := unary (('*' | '/') unary)*
//   unary := '-' unary | power              power := primary ('^' exponent)?
//   primary := decimal | variable | func '(' expr [',' expr] ')' | '(' expr ')'
//   exponent := ['-'] integer | '(' ['-'] integer ')',  |exponent| <= 64
// Functions sqrt, abs, min, max; variables normE, gap, d, lambda1, lambda2, lambda_min, e11.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gmpxx.h>

namespace fim::verify {

/// The exact interval [lo, hi], or the whole line (a value the verifier cannot bound).
struct Range {
  mpq_class lo, hi;
  bool whole = false;
  static Range point(const mpq_class& x) { return {x, x, false}; }
};

/// x * y, exactly (the extreme products of the ends); whole when either is whole.
Range range_mul(const Range& x, const Range& y);
/// x / y, exactly; whole when y may be 0 (the claim language tells 0 apart before it calls this).
Range range_div(const Range& x, const Range& y);
/// x^k for k >= 0 (0^0 = 1), refused when the result would exceed the size limit.
Range range_power(const Range& x, long k);
/// A rational below (up = false) or above (up = true) sqrt(q), q >= 0, within 2^-128 q's denominator.
mpq_class sqrt_bound(const mpq_class& q, bool up);

struct ExprNode;

/// A parsed bound expression.
class Expr {
 public:
  /// Parses text; throws Refused on any syntax error, unknown name or exponent out of range.
  static Expr parse(const std::string& text);
  /// Encloses the value for every choice of the variables inside their ranges (whole when the
  /// expression may be undefined there); throws Refused beyond the size limit.
  Range eval(const std::map<std::string, Range>& vars) const;

 private:
  std::shared_ptr<const ExprNode> root_;
};

}  // namespace fim::verify
