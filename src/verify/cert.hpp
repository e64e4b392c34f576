// What the certificate kinds share (proofs/verify.md, sections 1 and 5): the verifier's own table of
// claims and variants, the outcome of a check, and the eigenvalue bounds every kind relies on,
// each confirmed by an exact inertia count.
#pragma once
#include <map>
#include <string>
#include <utility>

#include "verify/inertia.hpp"
#include "verify/strict_json.hpp"

namespace fim::verify {

enum class Status { Confirmed, NotConfirmed, Refused };

/// The verdict on one certificate and its one-line reason.
struct Check {
  Status status = Status::Refused;
  std::string reason;
};

/// One variant of a claim as the verifier knows it: the certificate kind that can refute it and
/// its stated form (the inequality itself is derived by that kind's file).
struct VariantInfo {
  const char* claim;
  const char* model;  // "M1" or "M2" for genericity, "" otherwise
  const char* variant;
  const char* kind;
  const char* statement;
};
/// The entry for (claim, model, variant), or nullptr when the verifier does not know it.
const VariantInfo* find_variant(const std::string& claim, const std::string& model, const std::string& variant);

/// "CLAIM, variant VARIANT (STATEMENT)": what a confirmation refutes.
std::string describe(const VariantInfo& v);

/// The symmetric matrices a certificate's bounds may name; a matrix stored as scale * M stands for
/// M (scale > 0 keeps its entries small: M2's draws are stored as n F).
class NamedMatrices {
 public:
  void add(const std::string& name, Matrix m, const mpq_class& scale = 1);
  bool has(const std::string& name) const { return m_.count(name) != 0; }
  int dim() const;
  /// lambda_k(name) >= r (lower) or <= r (upper), exactly (proofs/verify.md, Lemma V2).
  bool confirms(const std::string& name, int k, const mpq_class& r, bool lower) const;

 private:
  std::map<std::string, std::pair<Matrix, mpq_class>> m_;
};

/// Confirmed one-sided bounds on lambda_k(matrix), by (matrix, k).
struct Bounds {
  std::map<std::pair<std::string, int>, mpq_class> lower, upper;
  std::string false_bound;  // the first bound an inertia count contradicts, if any
  /// The bound the check needs; refuses the certificate when it is absent.
  const mpq_class& need(const std::string& matrix, int k, bool lower_side) const;
};

/// Reads the "bounds" array ({"matrix", "index", "lower" and/or "upper"}) and confirms each bound.
Bounds read_bounds(const Json& j, const NamedMatrices& named);

/// ||E|| within [lo, hi] from confirmed bounds on lambda_1(E) and lambda_n(E) (LA Lemma 8).
std::pair<mpq_class, mpq_class> norm_range(const Bounds& b, const std::string& matrix, int n);

/// Refuses the certificate unless m is diagonal (a certificate written in A's eigenbasis).
void require_diagonal(const Matrix& m, const std::string& what);

}  // namespace fim::verify
