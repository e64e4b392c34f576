// genericity certificates, the exact mean over Rademacher draws (proofs/genericity.md, sections 4.5
// and 6; proofs/verify.md, section 5.3). F = A is diagonal; the top index t is the first largest
// eigenvalue. The mean change Delta = E[lambda_1(perturbed)] - lambda_1 is enclosed from confirmed
// bounds on every draw; c2 and Proposition 7's B are recomputed here in rationals.
#include <algorithm>
#include <vector>

#include "verify/kinds.hpp"
#include "verify/number.hpp"

namespace fim::verify {
namespace {

constexpr int kMaxDrawBits = 10;  // at most 2^10 draws (the checker writes at most 2^6)

// One reading of the conclusion: Delta >= coef c2 (mean-increase), or |Delta - coef c2| <= B
// (proposition-7); `distinct`: c2 and g over eigenvalues below lambda_1 (no-gap); `first`: the
// weight of c2's first term in M2.
struct Reading {
  const char* model;
  const char* variant;
  const char* name;
  int coef;
  bool distinct;
  int first;
};
const Reading kReadings[] = {
    {"M1", "stated", "mean-increase", 0, false, 1},  {"M1", "stated", "proposition-7", 1, false, 1},
    {"M1", "no-remainder", "mean-increase", 1, false, 1}, {"M1", "sign-flipped", "proposition-7", -1, false, 1},
    {"M1", "no-gap", "proposition-7", 1, true, 1},     {"M2", "stated", "mean-increase", 0, false, 1},
    {"M2", "stated", "proposition-7", 1, false, 1},     {"M2", "no-first-term", "proposition-7", 1, false, 0},
    {"M2", "first-term-sign", "proposition-7", 1, false, -1},
};

// What the reading needs: Delta's enclosure, the prediction coef c2, and B (proposition-7).
struct Mean {
  mpq_class delta_lo, delta_hi, c2, g, bound;
  bool bound_certified = false;  // the hypothesis of Proposition 7 holds, certified
  std::string hypothesis;        // its statement, for the message
};

// Decides the reading on the exact quantities (proofs/verify.md, section 5.3).
Check decide(const VariantInfo& v, const Reading& r, const Mean& m) {
  const std::string what = "counterexample to " + describe(v) + ", reading " + r.name;
  const mpq_class predicted = r.coef * m.c2;
  if (std::string(r.name) == "mean-increase") {
    if (m.delta_hi < predicted)
      return {Status::Confirmed, what + ": E[lambda_1] - lambda_1 <= " + show_up(m.delta_hi) + " < " +
                                     (r.coef == 0 ? "0" : "c2 = " + show_down(predicted))};
    return {Status::NotConfirmed, "the bounds do not put the mean change below " + show_down(predicted)};
  }
  if (!m.bound_certified) return {Status::NotConfirmed, "hypothesis " + m.hypothesis + " of Proposition 7 not certified"};
  const mpq_class miss = std::max(mpq_class(m.delta_lo - predicted), mpq_class(predicted - m.delta_hi));
  if (miss > m.bound)
    return {Status::Confirmed, what + ": |E[lambda_1] - lambda_1 - prediction| >= " + show_down(miss) + " > B <= " + show_up(m.bound)};
  return {Status::NotConfirmed, "the bounds do not put the mean outside prediction +- B"};
}

// The first index of the largest of `values`, and lambda_2 (over the others, or over those below
// the top when `distinct`); g = 0 refutes nothing.
struct Top {
  int t = 0;
  mpq_class l1, l2;
  bool gap = false;
};
Top top_of(const std::vector<mpq_class>& values, bool distinct) {
  Top top;
  for (std::size_t j = 1; j < values.size(); ++j)
    if (values[j] > values[top.t]) top.t = static_cast<int>(j);
  top.l1 = values[top.t];
  for (std::size_t j = 0; j < values.size(); ++j) {
    if (static_cast<int>(j) == top.t || (distinct && values[j] == top.l1)) continue;
    if (!top.gap || values[j] > top.l2) top.l2 = values[j];
    top.gap = true;
  }
  top.gap = top.gap && top.l2 < top.l1;
  return top;
}

// M1: E = xi B, B = matrix E; Delta = (lambda_1(F+B) + lambda_1(F-B))/2 - lambda_1 and
// c2 = sum_{j != t} B_tj^2 / (lambda_1 - f_j) (Lemma 5); B of Proposition 7 with q = 0.
Check check_m1(const Json& cert, const VariantInfo& v, const Reading& r, const Matrix& a, const Matrix& e) {
  const int n = static_cast<int>(a.size());
  std::vector<mpq_class> f;
  for (int j = 0; j < n; ++j) f.push_back(a[j][j]);
  const Top top = top_of(f, r.distinct);
  if (!top.gap) return {Status::NotConfirmed, "hypothesis g > 0 fails: no eigenvalue of F below a unique lambda_1"};
  Mean m;
  m.g = top.l1 - top.l2;
  for (int j = 0; j < n; ++j)
    if (j != top.t && f[j] != top.l1) m.c2 += guard(e[top.t][j] * e[top.t][j] / (top.l1 - f[j]));
  if (std::string(v.variant) == "stated" && !(m.c2 > 0)) return {Status::NotConfirmed, "hypothesis c2 > 0 fails"};
  NamedMatrices named;
  Matrix plus = a, minus = a;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) plus[i][j] += e[i][j], minus[i][j] -= e[i][j];
  named.add("E", e);
  named.add("A+E", plus);
  named.add("A-E", minus);
  const Bounds b = read_bounds(cert["bounds"], named);
  if (!b.false_bound.empty()) return {Status::NotConfirmed, b.false_bound};
  m.delta_lo = (b.need("A+E", 1, true) + b.need("A-E", 1, true)) / 2 - top.l1;
  m.delta_hi = (b.need("A+E", 1, false) + b.need("A-E", 1, false)) / 2 - top.l1;
  m.hypothesis = "||B|| < g/2";
  if (std::string(r.name) == "proposition-7") {
    const mpq_class ell = norm_range(b, "E", n).second;
    m.bound_certified = 2 * ell < m.g;
    if (m.bound_certified) m.bound = guard(2 * ell * ell * ell / (m.g * (m.g - 2 * ell)));  // increasing in ||B||
  }
  return decide(v, r, m);
}

// M2: scores g_i = gamma_i e_i (gamma = diag A, n = d), eps_i = C xi_i (C = matrix E); draw K has
// xi_ik = -1 where bit (i m + k) of K is set, k over the nonzero columns of C; "draw K" names
// n F(eps_K), its bounds scaled by n (Lemma 6 for c2, Lemma 8 for l, q of Proposition 7).
Check check_m2(const Json& cert, const VariantInfo& v, const Reading& r, const Matrix& a, const Matrix& c) {
  const int n = static_cast<int>(a.size());
  std::vector<mpq_class> gamma, lambda, sigma(n);
  for (int j = 0; j < n; ++j) {
    gamma.push_back(a[j][j]);
    lambda.push_back(a[j][j] * a[j][j] / n);
    for (int k = 0; k < n; ++k) sigma[j] += c[j][k] * c[j][k];
  }
  const Top top = top_of(lambda, false);
  if (!top.gap) return {Status::NotConfirmed, "hypothesis g > 0 fails: lambda_1 is repeated"};
  std::vector<int> columns;
  for (int k = 0; k < n; ++k)
    for (int i = 0; i < n; ++i)
      if (c[i][k] != 0) {
        columns.push_back(k);
        break;
      }
  const int mcols = static_cast<int>(columns.size());
  if (n * mcols > kMaxDrawBits) throw Refused("more than 2^10 draws");
  Mean m;
  m.g = top.l1 - top.l2;
  mpq_class rest = 0;
  for (int j = 0; j < n; ++j)
    if (j != top.t) rest += (lambda[j] * sigma[top.t] + top.l1 * sigma[j]) / (top.l1 - lambda[j]);
  m.c2 = guard(r.first * sigma[top.t] + rest / n);
  if (std::string(v.variant) == "stated" && !(m.c2 > 0)) return {Status::NotConfirmed, "hypothesis c2 > 0 fails"};
  const int draws = 1 << (n * mcols);
  NamedMatrices named;
  for (int d = 0; d < draws; ++d) {
    Matrix s(n, std::vector<mpq_class>(n));
    for (int i = 0; i < n; ++i) {
      std::vector<mpq_class> u(n);
      u[i] = gamma[i];
      for (int k = 0; k < mcols; ++k) {
        const bool minus = (d >> (i * mcols + k)) & 1;
        for (int row = 0; row < n; ++row) u[row] += minus ? mpq_class(-c[row][columns[k]]) : c[row][columns[k]];
      }
      for (int row = 0; row < n; ++row)
        for (int col = 0; col < n; ++col) s[row][col] += u[row] * u[col];
    }
    named.add("draw " + std::to_string(d), std::move(s), n);
  }
  const Bounds b = read_bounds(cert["bounds"], named);
  if (!b.false_bound.empty()) return {Status::NotConfirmed, b.false_bound};
  mpq_class lo = 0, hi = 0;
  for (int d = 0; d < draws; ++d) {
    lo += b.need("draw " + std::to_string(d), 1, true);
    hi += b.need("draw " + std::to_string(d), 1, false);
  }
  m.delta_lo = lo / draws - top.l1;
  m.delta_hi = hi / draws - top.l1;
  m.hypothesis = "2 rho < g";
  if (std::string(r.name) == "proposition-7") {
    mpq_class c1 = 0, gsum = 0;
    for (const auto& row : c)
      for (const mpq_class& x : row) c1 += abs(x);
    for (const mpq_class& x : gamma) gsum += abs(x);
    const mpq_class ell = 2 * gsum * c1 / n, q = 2 * c1 * c1, rho = ell + q / 2;
    m.bound_certified = 2 * rho < m.g;
    if (m.bound_certified) m.bound = guard((ell * q + q * q / 4) / m.g + 2 * rho * rho * rho / (m.g * (m.g - 2 * rho)));
  }
  return decide(v, r, m);
}

}  // namespace

Check check_genericity_mean(const Json& cert, const VariantInfo& v) {
  expect_keys(cert, "certificate", {"fimcheck_certificate", "kind", "claim", "variant", "where", "matrices", "bounds"});
  expect_keys(cert["where"], "where", {"model", "reading"});
  const std::string reading = text_of(cert["where"]["reading"], "where.reading");
  const Reading* r = nullptr;
  for (const Reading& x : kReadings)
    if (std::string(x.model) == v.model && std::string(x.variant) == v.variant && reading == x.name) r = &x;
  if (!r) throw Refused("where.reading '" + reading + "' is not a reading of genericity " + v.model + ", variant " + v.variant);
  expect_keys(cert["matrices"], "matrices", {"A", "E"});
  const bool m1 = std::string(v.model) == "M1";  // M2's C = matrix E need not be symmetric
  const Matrix a = matrix_of(cert["matrices"]["A"], "A", true), e = matrix_of(cert["matrices"]["E"], "E", true, m1);
  if (a.size() != e.size()) throw Refused("matrices A and E differ in size");
  require_diagonal(a, "A");
  if (a.size() < 2) return {Status::NotConfirmed, "n = 1: no lambda_2"};
  return m1 ? check_m1(cert, v, *r, a, e) : check_m2(cert, v, *r, a, e);
}

}  // namespace fim::verify
