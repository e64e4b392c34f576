// remainder certificates (proofs/remainder.md; proofs/verify.md, section 5.2). In A's eigenbasis
// (A diagonal, its top entry unique: g > 0), R3 = lambda_1(A+E) - lambda_1 - E_tt -
// sum_{j != t} E_tj^2 / (lambda_1 - A_jj) is enclosed from confirmed bounds on lambda_1(A+E), ||E||
// from bounds on lambda_1(E) and lambda_n(E); the variant's bound is evaluated over every ||E|| in
// that range, and its hypothesis ||E|| < g/2 must be certified where the variant has it.
#include <algorithm>
#include <map>

#include "verify/expr.hpp"
#include "verify/kinds.hpp"
#include "verify/number.hpp"

namespace fim::verify {
namespace {

// Each variant's bound as an expression of the `--bound` grammar, and whether it assumes ||E|| < g/2.
struct Form {
  const char* variant;
  const char* expr;
  bool needs_norm_hypothesis;
};
const Form kForms[] = {
    {"stated", "2*normE^3/(gap*(gap-2*normE))", true},
    {"small-constant", "(1/64)*normE^3/(gap*(gap-2*normE))", true},
    {"fourth-power", "2*normE^4/(gap^2*(gap-2*normE))", true},
    {"no-norm-hypothesis", "2*normE^3/(gap*(gap-2*normE))", false},
    {"three-quarters", "(3/4)*normE^3/gap^2", true},
};

}  // namespace

Check check_remainder(const Json& cert, const VariantInfo& v) {
  const std::string variant = v.variant;
  const bool conjectured = variant == "conjectured";
  if (conjectured)
    expect_keys(cert, "certificate", {"fimcheck_certificate", "kind", "claim", "variant", "where", "matrices", "bounds", "bound"});
  else
    expect_keys(cert, "certificate", {"fimcheck_certificate", "kind", "claim", "variant", "where", "matrices", "bounds"});
  expect_keys(cert["where"], "where", {});
  expect_keys(cert["matrices"], "matrices", {"A", "E"});
  const Matrix a = matrix_of(cert["matrices"]["A"], "A", true), e = matrix_of(cert["matrices"]["E"], "E", true);
  const int n = static_cast<int>(a.size());
  if (static_cast<int>(e.size()) != n) throw Refused("matrices A and E differ in size");
  require_diagonal(a, "A");
  if (n < 2) return {Status::NotConfirmed, "n = 1: no gap, R3 undefined"};
  int t = 0;
  for (int j = 1; j < n; ++j)
    if (a[j][j] > a[t][t]) t = j;
  mpq_class l2 = a[t == 0 ? 1 : 0][t == 0 ? 1 : 0], lmin = a[0][0];
  for (int j = 0; j < n; ++j) {
    if (j != t) l2 = std::max(l2, a[j][j]);
    lmin = std::min(lmin, a[j][j]);
  }
  const mpq_class l1 = a[t][t], g = l1 - l2;
  if (g == 0) return {Status::NotConfirmed, "hypothesis g > 0 fails: the top eigenvalue of A is repeated"};
  std::string text;
  bool needs_norm = true;
  if (conjectured) {
    text = text_of(cert["bound"], "bound");
  } else {
    for (const Form& f : kForms)
      if (variant == f.variant) text = f.expr, needs_norm = f.needs_norm_hypothesis;
  }
  const Expr bound_expr = Expr::parse(text);
  NamedMatrices named;
  Matrix sum = a;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) sum[i][j] += e[i][j];
  named.add("E", e);
  named.add("A+E", sum);
  const Bounds b = read_bounds(cert["bounds"], named);
  if (!b.false_bound.empty()) return {Status::NotConfirmed, b.false_bound};
  const auto [n_lo, n_hi] = norm_range(b, "E", n);
  if (needs_norm && !(2 * n_hi < g))
    return {Status::NotConfirmed, "hypothesis ||E|| < g/2 not certified: ||E|| <= " + show_up(n_hi) + ", g/2 = " + show_down(g / 2)};
  mpq_class s = l1 + e[t][t];
  for (int j = 0; j < n; ++j)
    if (j != t) s += guard(e[t][j] * e[t][j] / (l1 - a[j][j]));
  const mpq_class r_lo = b.need("A+E", 1, true) - s, r_hi = b.need("A+E", 1, false) - s;
  const mpq_class abs_lo = r_lo > 0 ? r_lo : r_hi < 0 ? mpq_class(-r_hi) : mpq_class(0);
  const std::map<std::string, Range> vars = {
      {"normE", {n_lo, n_hi, false}}, {"gap", Range::point(g)}, {"d", Range::point(n)},
      {"lambda1", Range::point(l1)}, {"lambda2", Range::point(l2)}, {"lambda_min", Range::point(lmin)},
      {"e11", Range::point(e[t][t])}};
  const Range bound = bound_expr.eval(vars);
  const std::string what = "counterexample to " + (conjectured ? "remainder, variant conjectured (g > 0 and ||E|| < g/2 imply |R3| <= " + text + ")" : describe(v));
  if (bound.whole) return {Status::NotConfirmed, "the bound is unbounded over the certified ||E|| range"};
  if (abs_lo > bound.hi) return {Status::Confirmed, what + ": |R3| >= " + show_down(abs_lo) + " > bound <= " + show_up(bound.hi)};
  return {Status::NotConfirmed, "the bounds do not show |R3| above the bound"};
}

}  // namespace fim::verify
