// user-claim certificates (proofs/verify.md, section 5.5): a claim of the claim language refuted at
// one case. The texts are read by the verifier's own parser; every bound is confirmed exactly
// (lambda bounds and PSD names by inertia counts, rayleigh enclosures by the sin-theta lemma);
// the given must then evaluate to True and the claim to False over exact enclosures.
#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

#include "verify/claim.hpp"
#include "verify/expr.hpp"
#include "verify/kinds.hpp"
#include "verify/number.hpp"

namespace fim::verify {
namespace {

constexpr std::size_t kMaxBounds = 4096;

// Everything read from the certificate: the case's matrices, each distinct matrix its bounds name
// (found again by a hash and exact comparison), and the confirmed enclosures of lambda_k(M) (key
// (M, -1, k)) and rayleigh(M, N) (key (M, N, 0)); the first bound an exact check contradicts is
// kept to be reported.
struct Case {
  std::map<char, Matrix> matrices;
  int n = 0;
  std::vector<Matrix> distinct;
  std::multimap<std::size_t, int> by_hash;
  std::map<std::string, int> by_text;  // a bound's canonical text, evaluated once
  std::map<std::tuple<int, int, int>, Value> enclosures;
  std::string false_bound;
  const Matrix& named(char c) const { return matrices.at(c); }

  static std::size_t hash(const Matrix& m) {
    std::size_t h = 0;
    for (const auto& row : m)
      for (const mpq_class& x : row)
        h = h * 1000003 ^ (mpz_get_ui(x.get_num_mpz_t()) * 31 + mpz_get_ui(x.get_den_mpz_t()) + (x < 0));
    return h;
  }
  // The id of m among the distinct matrices, added when `add`; -1 when absent.
  int id_of(const Matrix& m, bool add) {
    const std::size_t h = hash(m);
    for (auto [it, end] = by_hash.equal_range(h); it != end; ++it)
      if (distinct[it->second] == m) return it->second;
    if (!add) return -1;
    distinct.push_back(m);
    by_hash.emplace(h, static_cast<int>(distinct.size()) - 1);
    return static_cast<int>(distinct.size()) - 1;
  }
  // Narrows the enclosure at key by [lo, hi] (every bound merged is confirmed, so all hold).
  void merge(const std::tuple<int, int, int>& key, const Value& v) {
    Value& e = enclosures[key];
    if (v.lo && (!e.lo || *v.lo > *e.lo)) e.lo = v.lo;
    if (v.hi && (!e.hi || *v.hi < *e.hi)) e.hi = v.hi;
  }
  Value find(int id, int id2, int k) const {
    const auto it = enclosures.find({id, id2, k});
    return id < 0 || it == enclosures.end() ? Value{} : it->second;
  }
};

// Reads "matrices": exactly the names the texts use, symmetric, all n x n.
void read_matrices(const Json& j, const std::set<char>& used, Case& c) {
  if (!j.is_object()) throw Refused("matrices must be a JSON object");
  for (const char name : used)
    if (!j.contains(std::string(1, name))) throw Refused("matrices lacks " + std::string(1, name) + ", which the texts use");
  for (const auto& [key, value] : j.items()) {
    if (key.size() != 1 || !used.count(key[0])) throw Refused("matrices has \"" + key + "\", which the texts do not use");
    c.matrices[key[0]] = matrix_of(value, key, true);
  }
  c.n = static_cast<int>(c.matrices.begin()->second.size());
  for (const auto& [name, m] : c.matrices)
    if (static_cast<int>(m.size()) != c.n)
      throw Refused("matrices " + std::string(1, c.matrices.begin()->first) + " and " + std::string(1, name) + " differ in size");
}

// The id of the matrix a bound names, parsed by the claim language and evaluated exactly (once per text).
int bound_matrix(const Json& j, const std::string& what, Case& c) {
  const MatrixText t = MatrixText::parse(text_of(j, what), what);
  for (const char name : t.names())
    if (!c.matrices.count(name)) throw Refused(what + " uses " + std::string(1, name) + ", which is not among the matrices");
  const auto known = c.by_text.find(t.canon());
  if (known != c.by_text.end()) return known->second;
  const int id = c.id_of(t.eval([&c](char x) -> const Matrix& { return c.named(x); }, c.n), true);
  c.by_text.emplace(t.canon(), id);
  return id;
}

// A lambda bound {"atom", "matrix", "index", "lower"/"upper"}, each end confirmed by an exact
// inertia count (Lemma V2).
void read_lambda(const Json& j, const std::string& what, Case& c) {
  expect_keys(j, what, {"atom", "matrix", "index"}, {"lower", "upper"});
  const int id = bound_matrix(j["matrix"], what + ".matrix", c), k = integer_of(j["index"], what + ".index", 1, c.n);
  if (!j.contains("lower") && !j.contains("upper")) throw Refused(what + " has neither lower nor upper");
  NamedMatrices one;
  one.add("M", c.distinct[id]);
  Value v;
  for (const bool lower : {true, false}) {
    const char* side = lower ? "lower" : "upper";
    if (!j.contains(side)) continue;
    const mpq_class r = number_of(j[side], what + "." + side);
    (lower ? v.lo : v.hi) = r;
    if (c.false_bound.empty() && !one.confirms("M", k, r, lower))
      c.false_bound = what + ": lambda_" + std::to_string(k) + "(" + text_of(j["matrix"], "") + ") " +
                      (lower ? ">= " + show_down(r) : "<= " + show_up(r)) + " is false (exact inertia count)";
  }
  c.merge({id, -1, k}, v);
}

mpq_class dot(const std::vector<mpq_class>& x, const std::vector<mpq_class>& y) {
  mpq_class t = 0;
  for (std::size_t i = 0; i < x.size(); ++i) t = guard(t + x[i] * y[i]);
  return t;
}
std::vector<mpq_class> times(const Matrix& m, const std::vector<mpq_class>& x) {
  std::vector<mpq_class> y(m.size());
  for (std::size_t i = 0; i < m.size(); ++i) y[i] = dot(m[i], x);
  return y;
}

// A rayleigh bound {"atom", "matrix", "matrix2", "vector", "lambda2_upper"}: with x the vector,
// rho = x'Mx/x'x > u2 >= lambda_2(M) (confirmed) proves gap(M) > 0, and rayleigh(M, N) lies within
// x'Nx/x'x +- sqrt(sin2) S, sin2 = (|Mx|^2/x'x - rho^2)/(rho - u2)^2, S the confirmed spread of N
// (proofs/verify.md, Lemmas V4 and V5). Read after every lambda bound.
void read_rayleigh(const Json& j, const std::string& what, Case& c) {
  expect_keys(j, what, {"atom", "matrix", "matrix2", "vector", "lambda2_upper"});
  const int id = bound_matrix(j["matrix"], what + ".matrix", c), id2 = bound_matrix(j["matrix2"], what + ".matrix2", c);
  const Matrix &m = c.distinct[id], &m2 = c.distinct[id2];
  const Json& vec = j["vector"];
  if (!vec.is_array() || static_cast<int>(vec.size()) != c.n) throw Refused(what + ".vector must hold n = " + std::to_string(c.n) + " numbers");
  std::vector<mpq_class> x(c.n);
  for (int i = 0; i < c.n; ++i) x[i] = number_of(vec[i], what + ".vector[" + std::to_string(i) + "]");
  const mpq_class xx = dot(x, x), u2 = number_of(j["lambda2_upper"], what + ".lambda2_upper");
  if (xx == 0) throw Refused(what + ".vector is zero");
  const Value top = c.find(id2, -1, 1), bottom = c.find(id2, -1, c.n);
  if (!top.hi || !bottom.lo)
    throw Refused(what + " needs an upper bound on lambda_1 and a lower bound on lambda_n of its matrix2 among the bounds");
  const std::vector<mpq_class> mx = times(m, x);
  const mpq_class rho = guard(dot(x, mx) / xx);
  const std::string atom = "rayleigh(" + text_of(j["matrix"], "") + ", " + text_of(j["matrix2"], "") + ")";
  if (c.n > 1 && inertia_at(m, u2).above > 1) {
    if (c.false_bound.empty()) c.false_bound = what + ": lambda_2(" + text_of(j["matrix"], "") + ") <= " + show_up(u2) + " is false (exact inertia count)";
    return;
  }
  if (rho <= u2) {
    if (c.false_bound.empty())
      c.false_bound = what + ": the vector's Rayleigh quotient " + show_down(rho) + " is not above lambda2_upper " + show_up(u2) +
                      ", so it does not show that lambda_1 is simple nor bound " + atom;
    return;
  }
  const mpq_class res2 = guard(dot(mx, mx) / xx - rho * rho), gap = guard(rho - u2);
  const mpq_class sin2 = guard(res2 / (gap * gap));
  const mpq_class sine = std::min(sqrt_bound(sin2, true), mpq_class(1));  // sin(theta) <= 1 as well
  const mpq_class tau = guard(dot(x, times(m2, x)) / xx), spread = guard(*top.hi - *bottom.lo);
  c.merge({id, id2, 0}, {guard(tau - sine * spread), guard(tau + sine * spread), Value::Defined, ""});
}

// Reads every bound; lambda bounds first, since a rayleigh bound needs the spread of its matrix2.
void read_bounds_of(const Json& j, Case& c) {
  if (!j.is_array() || j.size() > kMaxBounds) throw Refused("bounds must be an array of at most 4096 bounds");
  for (const bool rayleigh : {false, true})
    for (std::size_t i = 0; i < j.size(); ++i) {
      const std::string what = "bounds[" + std::to_string(i) + "]";
      if (!j[i].is_object() || !j[i].contains("atom")) throw Refused(what + " lacks the field \"atom\"");
      const std::string kind = text_of(j[i]["atom"], what + ".atom");
      if (kind != "lambda" && kind != "rayleigh") throw Refused(what + ".atom must be \"lambda\" or \"rayleigh\", not '" + kind + "'");
      if (rayleigh && kind == "rayleigh") read_rayleigh(j[i], what, c);
      if (!rayleigh && kind == "lambda") read_lambda(j[i], what, c);
    }
}

// The names of "psd": each must have no negative eigenvalue (an exact inertia count at 0).
std::string psd_failure(const Json& j, const Case& c) {
  if (!j.is_array()) throw Refused("psd must be an array of matrix names");
  std::string failure;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string name = text_of(j[i], "psd[" + std::to_string(i) + "]");
    if (name.size() != 1 || !c.matrices.count(name[0])) throw Refused("psd names '" + name + "', which is not among the matrices");
    const int negative = inertia_at(c.named(name[0]), 0).below;
    if (negative > 0 && failure.empty())
      failure = "the matrix " + name + " the run made PSD has " + std::to_string(negative) + " negative eigenvalue(s) (exact inertia count)";
  }
  return failure;
}

// The enclosure of an atom: the confirmed bounds whose matrices equal the atom's exactly. A rayleigh
// atom without one may be undefined (lambda_1 of its first matrix may be multiple).
Value enclosure(Case& c, const Matrix& m, const Matrix* m2, int k) {
  const int id = c.id_of(m, false), id2 = m2 ? c.id_of(*m2, false) : -1;
  if (k == 0 && (id < 0 || id2 < 0 || !c.enclosures.count({id, id2, 0})))
    return {std::nullopt, std::nullopt, Value::MaybeUndefined, "no rayleigh bound shows that lambda_1 of its first matrix is simple"};
  return c.find(id, id2, k);
}

}  // namespace

Check check_user_claim(const Json& cert) {
  expect_keys(cert, "certificate",
              {"fimcheck_certificate", "kind", "claim", "variant", "where", "statement", "given", "psd", "matrices", "bounds"});
  if (text_of(cert["variant"], "variant") != "stated") throw Refused("a user claim has the one variant \"stated\"");
  const std::string where = text_of(cert["where"], "where"), statement = text_of(cert["statement"], "statement");
  const ClaimText claim = ClaimText::parse(statement, "claim");
  std::optional<ClaimText> given;
  std::string given_text;
  if (!cert["given"].is_null()) given_text = text_of(cert["given"], "given"), given = ClaimText::parse(given_text, "given");
  std::set<char> used = claim.names();
  if (given) used.insert(given->names().begin(), given->names().end());
  if (used.empty()) throw Refused("the texts use no matrix");
  Case c;
  read_matrices(cert["matrices"], used, c);
  read_bounds_of(cert["bounds"], c);
  const std::string psd = psd_failure(cert["psd"], c);
  const MatrixOf named = [&c](char x) -> const Matrix& { return c.named(x); };
  const AtomBound bound = [&c](const Matrix& m, const Matrix* m2, int k) { return enclosure(c, m, m2, k); };
  long instances = 0;  // one budget for both texts
  const Verdict g = given ? given->eval(c.n, named, bound, instances) : Verdict{Truth::True, ""};
  const Verdict v = claim.eval(c.n, named, bound, instances);
  const std::string at = " at n = " + std::to_string(c.n);
  if (!c.false_bound.empty()) return {Status::NotConfirmed, c.false_bound};
  if (!psd.empty()) return {Status::NotConfirmed, psd};
  if (g.truth != Truth::True)
    return {Status::NotConfirmed, "the given '" + given_text + "' is not certified true" + at + ": it is " + truth_name(g.truth) + " (" + g.why + ")"};
  if (v.truth != Truth::False)
    return {Status::NotConfirmed, "the claim '" + statement + "' is not certified false" + at + ": it is " + truth_name(v.truth) + " (" + v.why + ")"};
  return {Status::Confirmed, "the claim '" + statement + "' is false" + at + (where.empty() ? "" : " (where " + where + ")") + ": " +
                                 v.why + (given ? " under the given '" + given_text + "' (certified true)" : "")};
}

}  // namespace fim::verify
