// weyl, directional and genericity per-draw certificates: sum(lhs) <= sum(rhs) + constant, derived
// here from (claim, variant, where); a counterexample when sum(coef lower(lhs)) > sum(coef
// upper(rhs)) + constant with every bound confirmed (proofs/verify.md, section 5.1).
#include <vector>

#include "verify/kinds.hpp"
#include "verify/number.hpp"

namespace fim::verify {
namespace {

struct Term {
  std::string matrix;
  int index;
  mpq_class coef = 1;
};

struct Inequality {
  std::vector<Term> lhs, rhs;
  mpq_class constant = 0;
  std::string text;  // the instance, for the message
};

std::string lam(int k, const std::string& m) { return "lambda_" + std::to_string(k) + "(" + m + ")"; }

// proofs/weyl.md: where {"i", "j"} is the sum form (stated, index-shift), {"i"} the one-index forms.
Inequality weyl(const std::string& variant, const Json& where, int n) {
  const bool pair = variant == "stated" ? where.contains("j") : variant == "index-shift";
  if (pair) expect_keys(where, "where", {"i", "j"});
  else expect_keys(where, "where", {"i"});
  const int i = integer_of(where["i"], "where.i", 1, n);
  if (pair) {
    const int j = integer_of(where["j"], "where.j", 1, n), shift = variant == "stated" ? 1 : 2;
    const int k = i + j - shift;
    if (k < 1 || k > n) throw Refused("where: i + j - " + std::to_string(shift) + " is outside 1.." + std::to_string(n));
    return {{{"A+E", k}}, {{"A", i}, {"E", j}}, 0,
            lam(k, "A+E") + " <= " + lam(i, "A") + " + " + lam(j, "E") + " at i = " + std::to_string(i) + ", j = " + std::to_string(j)};
  }
  const std::string at = " at i = " + std::to_string(i);
  if (variant == "stated")
    return {{{"A", i}, {"E", n}}, {{"A+E", i}}, 0, lam(i, "A") + " + " + lam(n, "E") + " <= " + lam(i, "A+E") + at};
  if (variant == "lower-top")
    return {{{"A", i}, {"E", 1}}, {{"A+E", i}}, 0, lam(i, "A") + " + " + lam(1, "E") + " <= " + lam(i, "A+E") + at};
  return {{{"A+E", i}}, {{"A", i}, {"E", 1, mpq_class(1, 2)}}, 0,  // half-top
          lam(i, "A+E") + " <= " + lam(i, "A") + " + " + lam(1, "E") + " / 2" + at};
}

// proofs/directional.md: v = e_k must be a unit top (bottom, for that variant) eigenvector of A:
// A e_k = A_kk e_k, and no eigenvalue of A above (below) A_kk, by an exact inertia count.
Inequality directional(const std::string& variant, const Json& where, const Matrix& a, const Matrix& e) {
  const int n = static_cast<int>(a.size());
  expect_keys(where, "where", {"k"});
  const int k = integer_of(where["k"], "where.k", 1, n) - 1;
  for (int j = 0; j < n; ++j)
    if (j != k && a[j][k] != 0) throw Refused("where: e_" + std::to_string(k + 1) + " is not an eigenvector of A");
  const Inertia in = inertia_at(a, a[k][k]);
  const bool bottom = variant == "bottom";
  if (bottom ? in.below != 0 : in.above != 0)
    throw Refused("where: e_" + std::to_string(k + 1) + " is not a " + (bottom ? "bottom" : "top") + " eigenvector of A");
  const mpq_class ekk = e[k][k];
  const std::string v = "v = e_" + std::to_string(k + 1) + ", v^T E v = " + show_down(ekk);
  if (variant == "upper") return {{{"A+E", 1}}, {{"A", 1}}, ekk, "lambda_1(A+E) <= lambda_1(A) + v^T E v at " + v};
  const mpq_class c = variant == "double" ? 2 : 1;
  return {{{"A", 1}}, {{"A+E", 1}}, -c * ekk,
          std::string("lambda_1(A+E) >= lambda_1(A) + ") + (variant == "double" ? "2 " : "") + "v^T E v at " + v};
}

// proofs/genericity.md, V1: lambda_1(F + s B) >= lambda_1(F) for the draw s = +1 or -1.
Inequality per_draw(const Json& where) {
  expect_keys(where, "where", {"draw"});
  const std::string d = text_of(where["draw"], "where.draw");
  if (d != "+B" && d != "-B") throw Refused("where.draw must be \"+B\" or \"-B\"");
  const std::string m = d == "+B" ? "A+E" : "A-E";
  return {{{"A", 1}}, {{m, 1}}, 0, "lambda_1(F " + std::string(1, d[0]) + " B) >= lambda_1(F), F = matrix A, B = matrix E"};
}

}  // namespace

Check check_linear(const Json& cert, const VariantInfo& v) {
  expect_keys(cert, "certificate", {"fimcheck_certificate", "kind", "claim", "variant", "where", "matrices", "bounds"});
  expect_keys(cert["matrices"], "matrices", {"A", "E"});
  const Matrix a = matrix_of(cert["matrices"]["A"], "A", true), e = matrix_of(cert["matrices"]["E"], "E", true);
  const int n = static_cast<int>(a.size());
  if (static_cast<int>(e.size()) != n) throw Refused("matrices A and E differ in size");
  const std::string claim = v.claim, variant = v.variant;
  const Json& where = cert["where"];
  const Inequality q = claim == "weyl" ? weyl(variant, where, n)
                       : claim == "directional" ? directional(variant, where, a, e)
                                                : per_draw(where);
  NamedMatrices named;
  Matrix sum = a, diff = a;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) sum[i][j] += e[i][j], diff[i][j] -= e[i][j];
  named.add("A", a);
  named.add("E", e);
  named.add("A+E", sum);
  named.add("A-E", diff);
  const Bounds b = read_bounds(cert["bounds"], named);
  if (!b.false_bound.empty()) return {Status::NotConfirmed, b.false_bound};
  mpq_class lhs = 0, rhs = q.constant;
  for (const Term& t : q.lhs) lhs += t.coef * b.need(t.matrix, t.index, true);
  for (const Term& t : q.rhs) rhs += t.coef * b.need(t.matrix, t.index, false);
  if (lhs > rhs)
    return {Status::Confirmed, "counterexample to " + describe(v) + ": " + q.text + " is false: left side >= " +
                                   show_down(lhs) + " > right side <= " + show_up(rhs)};
  return {Status::NotConfirmed, "the bounds do not contradict " + q.text};
}

}  // namespace fim::verify
