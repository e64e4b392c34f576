// The verifier's own reader of the claim language of `fimcheck check --claim` (the grammar of
// CLAIMLANG.md, README) and its evaluation at one dimension over exact rational enclosures with
// the four-valued logic True, False, Unknown, Undefined (proofs/verify.md, section 5.5).
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include <gmpxx.h>

#include "verify/inertia.hpp"

namespace fim::verify {

/// An enclosure of a value of the claim language: an absent end is unbounded; `def` says whether
/// the value is certainly defined, maybe undefined, or certainly undefined (`why` says where).
struct Value {
  std::optional<mpq_class> lo, hi;
  enum Def { Defined, MaybeUndefined, Undefined } def = Defined;
  std::string why;
  static Value point(const mpq_class& x) { return {x, x, Defined, ""}; }
};

enum class Truth { True, False, Unknown, Undefined };
/// "true", "false", "unknown", "undefined".
const char* truth_name(Truth t);

/// The truth of a formula and, for False, the instance and comparison that make it so (else why not).
struct Verdict {
  Truth truth = Truth::True;
  std::string why;
};

/// A matrix of the case by name: 'A', 'B' or 'E'.
using MatrixOf = std::function<const Matrix&(char)>;
/// The enclosure the certificate gives for lambda_k(m) (m2 null) or rayleigh(m, *m2) (k = 0).
using AtomBound = std::function<Value(const Matrix& m, const Matrix* m2, int k)>;

struct MatNode;
struct FormulaNode;

/// A matrix expression (the rule `matrix`), e.g. the "matrix" of a certificate's bound.
class MatrixText {
 public:
  /// Parses text; a syntax error is Refused as "LABEL: position P: reason".
  static MatrixText parse(const std::string& text, const std::string& label);
  /// The matrix, exactly, every entry within the size limit.
  Matrix eval(const MatrixOf& named, int n) const;
  /// The names A, B, E it uses.
  const std::set<char>& names() const { return names_; }
  /// Its canonical text (CLAIMLANG.md): equal texts are equal matrices.
  const std::string& canon() const;

 private:
  std::shared_ptr<const MatNode> root_;
  std::set<char> names_;
};

/// A claim or a given (the rule `claim`).
class ClaimText {
 public:
  /// Parses text (at most 4096 bytes, nesting at most 200); errors Refused as "LABEL: position P: reason".
  static ClaimText parse(const std::string& text, const std::string& label);
  /// Its truth at dimension n; an index outside 1..n, a forall or sum bound that is not exactly an
  /// integer, an undecided with condition, and more than 10^5 forall and sum instances in all
  /// (counted in `instances`) are Refused.
  Verdict eval(int n, const MatrixOf& named, const AtomBound& bound, long& instances) const;
  const std::set<char>& names() const { return names_; }

 private:
  std::shared_ptr<const FormulaNode> root_;
  std::set<char> names_;
  std::string label_;
};

}  // namespace fim::verify
