// The claim language of `fimcheck check --claim` (proofs/claim-language.md): a user's inequality
// between spectral quantities of symmetric matrices A, B, E, parsed once, instantiated per dimension
// n into ground formulas over a table of distinct atoms, and evaluated in four-valued logic over any
// interval type (binary64 Ival, MPFI MpIval, exact RatIval) or over doubles (a search margin only).
#pragma once
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "numeric/mp.hpp"

namespace fim::expr {

/// A malformed claim: what() is "LABEL: position P: reason", P the 1-based byte column of the
/// offending token (length + 1 at the end), LABEL "claim" or "given".
class ClaimError : public std::invalid_argument {
 public:
  ClaimError(const std::string& label, std::size_t position, const std::string& reason);
  std::string label;
  std::size_t position;
  std::string reason;
};

/// A symmetric matrix expression over A, B, E: names, rational multiples, sums, differences,
/// sym(X*Y) = (XY + YX)/2 and X*X. `text` is canonical (no spaces): equal texts, equal matrices.
struct MatrixExpr {
  enum class Op { Name, Scale, Add, Sub, SymProduct, Square };
  Op op = Op::Name;
  char name = 'A';                          // Name
  num::Rational scale = 1;                  // Scale: scale * x
  std::shared_ptr<const MatrixExpr> x, y;   // operands (y: Add, Sub, SymProduct)
  std::string text;
};
using MatrixPtr = std::shared_ptr<const MatrixExpr>;

/// What an atom measures (proofs/claim-language.md, section 2).
enum class AtomKind { Lambda, LambdaMin, Gap, Norm, Fro, Trace, Rayleigh };

/// One distinct atom of a ground claim: matrices by index into Ground::matrices.
struct Atom {
  AtomKind kind = AtomKind::Lambda;
  int m = -1;         // the matrix (M of rayleigh(M, N))
  int m2 = -1;        // N of rayleigh(M, N); -1 otherwise
  int k = 0;          // Lambda: the index, in 1..n
  std::string text;   // canonical, e.g. "lambda(2, A+E)", "rayleigh(A, E)"
};

/// A ground scalar expression (no variables left): atoms by index into Ground::atoms. A sum
/// becomes Add nodes over its instances (a Num 0 when it has none).
struct Scalar {
  enum class Op { Num, Atom, Neg, Add, Sub, Mul, Div, Pow, Sqrt, Abs, Min, Max };
  Op op = Op::Num;
  num::Rational value;                     // Num, exactly
  int atom = -1;                           // Atom
  long exponent = 0;                       // Pow
  std::shared_ptr<const Scalar> a, b;
  std::size_t position = 0;                // 1-based column in the source text (for reasons)
};
using ScalarPtr = std::shared_ptr<const Scalar>;

/// A ground formula: comparisons joined by and / or (a forall becomes an And of its instances).
struct Formula {
  enum class Op { Le, Lt, Ge, Gt, And, Or };
  Op op = Op::And;
  ScalarPtr lhs, rhs;                                // comparisons
  std::vector<std::shared_ptr<const Formula>> parts;  // And, Or (an empty And is true)
  std::string where;     // the bound variables of this instance, "i = 1, j = 2" ("" outside a forall)
  std::string text;      // the comparison's source text with the variables' values, for messages
  std::size_t position = 0;
};
using FormulaPtr = std::shared_ptr<const Formula>;

struct Ground;

/// A claim (or a hypothesis) as parsed, before a dimension is chosen.
class ParsedClaim {
 public:
  /// Parses text; throws ClaimError (labelled `label`) on any syntax error, unknown name,
  /// non-symmetric matrix product, constant division by zero or bad exponent.
  static ParsedClaim parse(const std::string& text, const std::string& label = "claim");
  const std::string& text() const { return text_; }
  /// The matrix names the text uses, in the order A, B, E.
  std::vector<char> matrix_names() const;
  struct Node;  // the syntax tree (claim_lang.cpp)

 private:
  std::string text_, label_;
  std::shared_ptr<const Node> root_;
  std::vector<char> names_;
  friend struct Ground;
  friend Ground instantiate(const ParsedClaim&, const ParsedClaim*, int);
};

/// A claim and its hypothesis at one dimension n: the distinct matrices and atoms both use (each
/// once, so that each is enclosed once) and the two ground formulas.
struct Ground {
  int n = 0;
  std::vector<MatrixPtr> matrices;   // distinct by canonical text
  std::vector<Atom> atoms;           // distinct by canonical text
  FormulaPtr given;                  // nullptr: no hypothesis
  FormulaPtr claim;
};

/// Instantiates claim (and given, if not null) at dimension n >= 1: expands every forall and every
/// sum, evaluates every index and bound exactly; throws ClaimError for an index outside 1..n, gap
/// at n = 1, a forall or sum bound that is not an integer, more than 10^6 forall and sum instances,
/// or a division by zero in an index.
Ground instantiate(const ParsedClaim& claim, const ParsedClaim* given, int n);

/// Four-valued truth (proofs/claim-language.md, section 3).
enum class Truth { True, False, Unknown, Undefined };

/// A value: its enclosure when defined; Undefined when certainly undefined (division by a certified
/// 0, sqrt of a certified negative, rayleigh without a simple top eigenvalue); MaybeUndefined when
/// the enclosures cannot tell. `why` names the reason and the position.
template <class I>
struct Value {
  enum class Def { Defined, MaybeUndefined, Undefined };
  I x{};
  Def def = Def::Defined;
  std::string why;
};

/// The result of evaluating a formula: its truth; for False, Unknown and Undefined the deciding
/// comparison (`where`, `text`, `why`) and the atoms its decision used (for a certificate).
struct Evaluation {
  Truth truth = Truth::True;
  std::string where, text, why;
  std::vector<int> atoms_used;
  /// Unknown from an overlap: the exact ends lhs_lo, lhs_hi, rhs_lo, rhs_hi of the two sides (both
  /// bounded), so that a caller can tell a possible exact tie; empty otherwise.
  std::vector<num::Rational> sides;
};

/// Evaluates f with atom values `atoms` (indexed like Ground::atoms), I = num::Ival, num::MpIval (at
/// the caller's precision) or num::RatIval: every operation encloses its exact result outward, so a
/// True or False is certified for every point of the atoms' enclosures.
template <class I>
Evaluation evaluate(const Formula& f, const std::vector<Value<I>>& atoms);

/// Encloses the value of the ground scalar s the same way (or says why it is, or may be, undefined).
template <class I>
Value<I> evaluate(const Scalar& s, const std::vector<Value<I>>& atoms);

/// An unverified violation margin of f at point values of the atoms (the targeted search only,
/// never a verdict): > 0 when f looks false; comparisons contribute (lhs - rhs)/(1 + |lhs| + |rhs|)
/// in the violating direction, and takes the max of its parts, or the min.
double violation_margin(const Formula& f, const std::vector<double>& atoms);

}  // namespace fim::expr
