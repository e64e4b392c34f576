// approx certificates (proofs/approx.md, sections 2-8; proofs/verify.md, section 5.4): G is read
// exactly, S = G^T G = n F formed in rationals, the approximation's value recomputed from G by its
// formula (the Lanczos Ritz value: its recorded enclosure confirmed by inertia of the Krylov
// pencil), and bounds on lambda_1(F) confirmed by inertia counts of S.
#include <algorithm>
#include <vector>

#include "verify/kinds.hpp"
#include "verify/number.hpp"

namespace fim::verify {
namespace {

enum class Side { Lower, Upper, RelError };  // value <= lambda_1, lambda_1 <= value, |value - lambda_1| <= eps lambda_1

struct ApproxReading {
  const char* variant;
  const char* approximation;
  Side side;
};
const ApproxReading kReadings[] = {
    {"stated", "score-max", Side::Lower},           {"stated", "score-sum", Side::Upper},
    {"stated", "frobenius-ratio", Side::Lower},     {"stated", "frobenius-norm", Side::Upper},
    {"stated", "gershgorin", Side::Upper},          {"score-norm-sandwich", "score-max", Side::Lower},
    {"score-norm-sandwich", "score-sum", Side::Upper}, {"frobenius-sandwich", "frobenius-ratio", Side::Lower},
    {"frobenius-sandwich", "frobenius-norm", Side::Upper}, {"gershgorin-upper", "gershgorin", Side::Upper},
    {"frobenius-norm-as-lower", "frobenius-norm", Side::Lower}, {"frobenius-ratio-as-upper", "frobenius-ratio", Side::Upper},
    {"score-max-without-n", "score-max-unscaled", Side::Lower}, {"power-iteration-upper", "power-4", Side::Upper},
    {"lanczos-upper", "lanczos-3", Side::Upper},
};

// The approximation's value: exactly r, exactly sqrt(r), or within [lo, hi].
struct Value {
  enum { Exact, Sqrt, Range } form = Exact;
  mpq_class r, lo, hi;
  bool above(const mpq_class& x) const {  // value > x, certainly
    if (form == Exact) return r > x;
    if (form == Sqrt) return x < 0 || r > x * x;
    return lo > x;
  }
  bool below(const mpq_class& x) const {  // value < x, certainly
    if (form == Exact) return r < x;
    if (form == Sqrt) return x > 0 && r < x * x;
    return hi < x;
  }
};

// m x, exactly.
std::vector<mpq_class> times(const Matrix& m, const std::vector<mpq_class>& x) {
  std::vector<mpq_class> y(m.size());
  for (std::size_t i = 0; i < m.size(); ++i)
    for (std::size_t j = 0; j < x.size(); ++j) y[i] += m[i][j] * x[j];
  for (const auto& v : y) guard(v);
  return y;
}
// x^T y, exactly.
mpq_class dot(const std::vector<mpq_class>& x, const std::vector<mpq_class>& y) {
  mpq_class t = 0;
  for (std::size_t i = 0; i < x.size(); ++i) t += x[i] * y[i];
  return guard(t);
}

// The value's enclosure as the certificate records it ("value_bounds").
Value range_of(const Json& cert) {
  if (!cert.contains("value_bounds")) throw Refused("the certificate lacks value_bounds");
  expect_keys(cert["value_bounds"], "value_bounds", {"lower", "upper"});
  Value v;
  v.form = Value::Range;
  v.lo = number_of(cert["value_bounds"]["lower"], "value_bounds.lower");
  v.hi = number_of(cert["value_bounds"]["upper"], "value_bounds.upper");
  return v;
}

// x C - B is PSD for the Krylov pencil of S from the all-ones start (proofs/approx.md, section 6:
// theta' = n theta <= x iff so), scaled by x's denominator.
bool pencil_psd(const std::vector<std::vector<mpq_class>>& v, const mpq_class& x) {
  const std::size_t k = v.size() - 1;
  Matrix m(k, std::vector<mpq_class>(k));
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = 0; j < k; ++j) m[i][j] = guard(x.get_num() * dot(v[i], v[j]) - x.get_den() * dot(v[i], v[j + 1]));
  return inertia_at(m, 0).below == 0;
}

// The value of a built-in approximation, recomputed from G and S = G^T G (proofs/approx.md 2-6).
Value value_of(const std::string& id, const Json& cert, const Matrix& g, const Matrix& s) {
  if (id != "lanczos-3" && cert.contains("value_bounds")) throw Refused("unexpected value_bounds: the value is recomputed");
  const mpq_class n = static_cast<long>(g.size());
  mpq_class tr = 0, fro = 0, rmax = 0, gmax = 0;
  for (std::size_t j = 0; j < s.size(); ++j) {
    tr += s[j][j];
    mpq_class row = 0;
    for (const mpq_class& x : s[j]) fro += x * x, row += abs(x);
    gmax = std::max(gmax, row);
  }
  for (const auto& row : g) rmax = std::max(rmax, dot(row, row));
  Value v;
  if (id == "score-max") v.r = rmax / n;
  else if (id == "score-max-unscaled") v.r = rmax;
  else if (id == "score-sum") v.r = tr / n;
  else if (id == "frobenius-ratio") v.r = tr == 0 ? mpq_class(0) : mpq_class(fro / (n * tr));
  else if (id == "frobenius-norm") v.form = Value::Sqrt, v.r = fro / (n * n);
  else if (id == "gershgorin") v.r = gmax / n;
  else {  // power-4, lanczos-3
    const int k = id == "power-4" ? 4 : 3;
    std::vector<std::vector<mpq_class>> vs{std::vector<mpq_class>(s.size(), mpq_class(1))};
    for (int m = 0; m < k; ++m) vs.push_back(times(s, vs.back()));
    if (id == "power-4") {
      const mpq_class xx = dot(vs[k], vs[k]);
      v.r = xx == 0 ? mpq_class(0) : mpq_class(dot(vs[k], times(s, vs[k])) / (n * xx));
      return v;
    }
    v = range_of(cert);
    if (!pencil_psd(vs, n * v.hi)) throw Refused("value_bounds.upper is not confirmed by the Krylov pencil");
    if (v.lo > 0 && pencil_psd(vs, n * v.lo)) throw Refused("value_bounds.lower is not confirmed by the Krylov pencil");
  }
  return v;
}

// The reading contradicted by confirmed bounds [lo, hi] on lambda_1(F) (absent ends: none).
bool contradicted(Side side, const Value& v, const Bounds& b, const mpq_class& eps) {
  if (side == Side::Lower) return v.above(b.need("F", 1, false));  // value > hi >= lambda_1
  if (side == Side::Upper) return v.below(b.need("F", 1, true));   // value < lo <= lambda_1
  const mpq_class lo = b.need("F", 1, true), hi = b.need("F", 1, false);
  return v.above((1 + eps) * hi) || v.below(std::min(mpq_class((1 - eps) * lo), mpq_class((1 - eps) * hi)));
}

// G, S = G^T G and the confirmed bounds on lambda_1(F) = lambda_1(S) / n.
struct Scores {
  Matrix g, s;
  Bounds b;
};
Scores read_scores(const Json& cert) {
  expect_keys(cert["matrices"], "matrices", {"G"});
  Scores x;
  x.g = matrix_of(cert["matrices"]["G"], "G", false);
  const std::size_t d = x.g[0].size();
  x.s.assign(d, std::vector<mpq_class>(d));
  for (const auto& row : x.g)
    for (std::size_t j = 0; j < d; ++j)
      for (std::size_t k = 0; k < d; ++k) x.s[j][k] += row[j] * row[k];
  NamedMatrices named;
  named.add("F", x.s, static_cast<long>(x.g.size()));
  x.b = read_bounds(cert["bounds"], named);
  return x;
}

// The reading, for messages.
const char* side_text(Side s) { return s == Side::Lower ? "value <= lambda_1" : s == Side::Upper ? "lambda_1 <= value" : "|value - lambda_1| <= eps lambda_1"; }

}  // namespace

Check check_approximation(const Json& cert, const VariantInfo& v) {
  expect_keys(cert, "certificate", {"fimcheck_certificate", "kind", "claim", "variant", "where", "matrices", "bounds"},
              {"value_bounds"});
  expect_keys(cert["where"], "where", {"approximation"});
  const std::string id = text_of(cert["where"]["approximation"], "where.approximation");
  const ApproxReading* r = nullptr;
  for (const ApproxReading& x : kReadings)
    if (std::string(x.variant) == v.variant && id == x.approximation) r = &x;
  if (!r) throw Refused("where.approximation '" + id + "' is not a reading of approx, variant " + v.variant);
  const Scores x = read_scores(cert);
  if (!x.b.false_bound.empty()) return {Status::NotConfirmed, x.b.false_bound};
  const Value value = value_of(id, cert, x.g, x.s);
  if (contradicted(r->side, value, x.b, 0))
    return {Status::Confirmed, "counterexample to " + describe(v) + ": " + side_text(r->side) + " is false for " + id +
                                   ", contradicted by confirmed bounds on lambda_1(F)"};
  return {Status::NotConfirmed, "the bounds do not contradict " + std::string(side_text(r->side)) + " for " + id};
}

// A user approximation (proofs/approx.md, section 9): its formula is user code, so its value's
// enclosure is taken from the certificate as recorded; the confirmation says so.
Check check_user_approximation(const Json& cert) {
  expect_keys(cert, "certificate",
              {"fimcheck_certificate", "kind", "claim", "variant", "where", "matrices", "bounds", "value_bounds", "user_approximation"});
  const std::string name = text_of(cert["variant"], "variant");
  if (find_variant("approx", "", name)) throw Refused("'" + name + "' is a built-in variant: its value is recomputed, never recorded");
  expect_keys(cert["where"], "where", {"approximation"});
  if (text_of(cert["where"]["approximation"], "where.approximation") != name)
    throw Refused("where.approximation must name the user approximation '" + name + "'");
  const Json& u = cert["user_approximation"];
  expect_keys(u, "user_approximation", {"claimed"}, {"eps"});
  const std::string claimed = text_of(u["claimed"], "user_approximation.claimed");
  const Side side = claimed == "lower" ? Side::Lower : claimed == "upper" ? Side::Upper
                  : claimed == "relative-error" ? Side::RelError
                  : throw Refused("user_approximation.claimed must be lower, upper or relative-error");
  if ((side == Side::RelError) != u.contains("eps")) throw Refused("user_approximation.eps goes with relative-error only");
  const mpq_class eps = side == Side::RelError ? number_of(u["eps"], "user_approximation.eps") : mpq_class(0);
  if (eps < 0) throw Refused("user_approximation.eps is negative");
  const Scores x = read_scores(cert);
  if (!x.b.false_bound.empty()) return {Status::NotConfirmed, x.b.false_bound};
  const Value value = range_of(cert);
  if (contradicted(side, value, x.b, eps))
    return {Status::Confirmed, "counterexample to approx, user approximation " + name + " (" + side_text(side) +
                                   "), given its value within the recorded [" + show_down(value.lo) + ", " +
                                   show_up(value.hi) + "] (user code: not recomputed)"};
  return {Status::NotConfirmed, "the bounds do not contradict " + std::string(side_text(side)) + " for " + name};
}

}  // namespace fim::verify
