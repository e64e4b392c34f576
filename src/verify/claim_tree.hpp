// The verifier's tree of a claim-language text (claim.cpp builds it, claim_eval.cpp evaluates it).
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gmpxx.h>

#include "verify/claim.hpp"

namespace fim::verify {

/// A matrix expression: a name, a combination sum c_i F_i of factors, F*F, or sym(X*Y).
struct MatNode {
  enum Kind { Name, Comb, Square, Sym } kind = Name;
  char name = 0;
  std::vector<std::pair<mpq_class, std::shared_ptr<const MatNode>>> terms;  // Comb
  std::shared_ptr<const MatNode> a, b;                                      // Square: a; Sym: a, b
  std::string canon;  // the canonical text (CLAIMLANG.md), which decides whether X*X is a square
};
using MNode = std::shared_ptr<const MatNode>;

/// A scalar expression; atoms carry their matrices, lambda its index expression in `a`; a sum
/// sum(name in lo..hi [with cond]: a) its variable, bounds, condition and summand.
struct ScalarNode {
  enum Op { Num, Dim, Var, Neg, Add, Sub, Mul, Div, Pow, Sqrt, Abs, Min, Max,
            Lambda, LambdaMin, Gap, Norm, Fro, Trace, Rayleigh, Sum } op = Num;
  std::shared_ptr<const ScalarNode> a, b;
  std::shared_ptr<const ScalarNode> lo, hi;   // Sum
  std::shared_ptr<const FormulaNode> with;    // Sum, or null
  mpq_class value;     // Num
  std::string name;    // Var, Sum
  long exponent = 0;   // Pow
  MNode m, m2;         // atoms
  std::size_t pos = 0; // byte offset, for messages
  std::string text;    // source text without whitespace (set on whole scalars), for messages
};
using SNode = std::shared_ptr<const ScalarNode>;

/// A formula: a comparison, and/or of parts, or forall VARS in lo..hi [with cond]: body.
struct FormulaNode {
  enum Op { Cmp, And, Or, Forall } op = Cmp;
  std::string cmp;  // "<=", "<", ">=", ">"
  SNode l, r;
  std::vector<std::shared_ptr<const FormulaNode>> parts;
  std::vector<std::string> vars;
  SNode lo, hi;
  std::shared_ptr<const FormulaNode> with, body;
  std::size_t pos = 0;
};
using FNode = std::shared_ptr<const FormulaNode>;

}  // namespace fim::verify
