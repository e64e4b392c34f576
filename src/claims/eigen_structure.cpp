#include "claims/eigen_structure.hpp"

#include <map>
#include <optional>
#include <utility>

namespace fim::claims {
namespace {

using expr::AtomKind;
using expr::Formula;
using expr::Scalar;
using expr::Truth;
using num::RatIval;
using num::Rational;
using Values = std::vector<expr::Value<RatIval>>;

// constant + sum coef * lambda_k(base) over (base, k), the constant an exact interval; !ok when the
// expression is not linear in the eigenvalues it names.
struct Form {
  std::map<std::pair<int, int>, Rational> terms;
  RatIval rest = RatIval(0);
  bool ok = true;
};

Form failed() {
  Form f;
  f.ok = false;
  return f;
}
Form constant(const RatIval& x) {
  Form f;
  f.rest = x;
  return f;
}
bool is_point(const RatIval& x) { return !x.whole && x.lo == x.hi; }
bool pure(const Form& f) { return f.ok && f.terms.empty(); }

Form scaled(Form f, const Rational& c) {
  for (auto& [key, coef] : f.terms) coef *= c;
  f.rest = f.rest * RatIval(c);
  return f;
}

Form sum(Form a, const Form& b, int sign) {
  if (!a.ok || !b.ok) return failed();
  for (const auto& [key, coef] : b.terms) {
    Rational& c = a.terms[key];
    c += sign > 0 ? coef : Rational(-coef);
    if (c == 0) a.terms.erase(key);
  }
  a.rest = sign > 0 ? a.rest + b.rest : a.rest - b.rest;
  return a;
}

RatIval min_max(const RatIval& a, const RatIval& b, bool max) {
  if (a.whole || b.whole) return RatIval::entire();
  return max ? RatIval(std::max(a.lo, b.lo), std::max(a.hi, b.hi)) : RatIval(std::min(a.lo, b.lo), std::min(a.hi, b.hi));
}

// lambda_k(m) = lambda_k(base) + shift (Shift); a multiple of I has every eigenvalue = shift.
Form eigenvalue(const std::vector<Shift>& shifts, int m, int k) {
  Form f = constant(RatIval(shifts[m].shift));
  if (shifts[m].base >= 0) f.terms[{shifts[m].base, k}] = 1;
  return f;
}

// Constant-only operations on exact intervals (no eigenvalue left to order).
Form pure_op(const Scalar& s, const Form& x, const Form& y) {
  if (!pure(x) || (s.b && !pure(y))) return failed();
  switch (s.op) {
    case Scalar::Op::Sqrt: return !x.rest.whole && x.rest.lo >= 0 ? constant(num::sqrt(x.rest)) : failed();
    case Scalar::Op::Abs: return constant(num::abs(x.rest));
    case Scalar::Op::Min: return constant(min_max(x.rest, y.rest, false));
    case Scalar::Op::Max: return constant(min_max(x.rest, y.rest, true));
    case Scalar::Op::Pow: {
      if (x.rest.whole) return failed();  // x^0 = 1 only where x is defined (Lemma 6)
      if (s.exponent < 0 && !(x.rest.whole || (x.rest.lo > 0 || x.rest.hi < 0))) return failed();
      RatIval p(1);
      for (long i = 0; i < (s.exponent < 0 ? -s.exponent : s.exponent); ++i) p = p * x.rest;
      return constant(s.exponent < 0 ? RatIval(1) / p : p);
    }
    default: return failed();
  }
}

Form linear_part(const Scalar& s, const expr::Ground& g, const Values& v, const std::vector<Shift>& shifts);

// s as a linear form in eigenvalues; a part that is not linear in them is its enclosure when it is
// defined (then it is a constant of the form), else the form fails.
Form linear(const Scalar& s, const expr::Ground& g, const Values& v, const std::vector<Shift>& shifts) {
  const Form f = linear_part(s, g, v, shifts);
  if (f.ok) return f;
  const expr::Value<RatIval> x = expr::evaluate(s, v);
  return x.def == expr::Value<RatIval>::Def::Defined ? constant(x.x) : failed();
}

Form linear_part(const Scalar& s, const expr::Ground& g, const Values& v, const std::vector<Shift>& shifts) {
  if (s.op == Scalar::Op::Num) return constant(RatIval(s.value));
  if (s.op == Scalar::Op::Atom) {
    const expr::Atom& a = g.atoms[s.atom];
    if (v[s.atom].def != expr::Value<RatIval>::Def::Defined) return failed();
    switch (a.kind) {
      case AtomKind::Lambda: return eigenvalue(shifts, a.m, a.k);
      case AtomKind::LambdaMin: return eigenvalue(shifts, a.m, g.n);
      case AtomKind::Gap: return sum(eigenvalue(shifts, a.m, 1), eigenvalue(shifts, a.m, 2), -1);
      case AtomKind::Rayleigh:  // N = base(M) + cI: v'Nv = lambda_1(base) + c for a top eigenvector v of M
        if (shifts[a.m2].base < 0) return constant(RatIval(shifts[a.m2].shift));
        if (shifts[a.m2].base == shifts[a.m].base) return eigenvalue(shifts, a.m2, 1);
        return constant(v[s.atom].x);
      default: return constant(v[s.atom].x);
    }
  }
  const Form x = linear(*s.a, g, v, shifts);
  const Form y = s.b ? linear(*s.b, g, v, shifts) : Form{};
  if (!x.ok || !y.ok) return failed();
  switch (s.op) {
    case Scalar::Op::Neg: return scaled(x, -1);
    case Scalar::Op::Add: return sum(x, y, 1);
    case Scalar::Op::Sub: return sum(x, y, -1);
    case Scalar::Op::Mul:
      if (pure(x) && is_point(x.rest)) return scaled(y, x.rest.lo);
      if (pure(y) && is_point(y.rest)) return scaled(x, y.rest.lo);
      return pure(x) && pure(y) ? constant(x.rest * y.rest) : failed();
    case Scalar::Op::Div:
      if (pure(y) && is_point(y.rest) && y.rest.lo != 0) return scaled(x, 1 / y.rest.lo);
      if (!pure(x) || !pure(y) || y.rest.whole || (y.rest.lo <= 0 && y.rest.hi >= 0)) return failed();
      return constant(x.rest / y.rest);  // the divisor is certified nonzero: the quotient is defined
    default: return pure_op(s, x, y);
  }
}

// sum_k c_k lambda_k <= 0 for every lambda_1 >= ... >= lambda_n when sum_k c_k = 0 and every
// prefix sum c_1 + ... + c_j <= 0: the sum is sum_j P_j (lambda_j - lambda_{j+1}) + P_n lambda_n
// (proofs/claim-language.md, Lemma 5).
bool prefix_sums_nonpositive(const std::map<int, Rational>& coef) {
  Rational prefix = 0;
  for (const auto& [k, c] : coef) {  // ascending k; indices between keys add nothing
    prefix += c;
    if (prefix > 0) return false;
  }
  return prefix == 0;
}

// With the trace T = sum_k lambda_k known, sum_k c_k lambda_k = sum_k (c_k - s) lambda_k + s T for
// s = (c_1 + ... + c_n) / n, and the shifted coefficients sum to 0: the sum is at most s T when
// their prefix sums are at most 0 (Lemma 5(d)). Returns s, or nullopt when a prefix sum is positive.
std::optional<Rational> mean_if_prefix_sums_below(const std::map<int, Rational>& coef, int n) {
  Rational total = 0;
  for (const auto& [k, c] : coef) total += c;
  const Rational s = total / n;
  Rational prefix = 0;
  for (int k = 1; k <= n; ++k) {
    const auto it = coef.find(k);
    prefix += (it == coef.end() ? Rational(0) : it->second) - s;
    if (prefix > 0) return std::nullopt;
  }
  return s;
}

// The comparison f proved true by structure.
bool proves(const Formula& f, const expr::Ground& g, const Values& v, const std::vector<Shift>& shifts) {
  const bool less = f.op == Formula::Op::Le || f.op == Formula::Op::Lt;
  const bool strict = f.op == Formula::Op::Lt || f.op == Formula::Op::Gt;
  const Form lhs = linear(*f.lhs, g, v, shifts), rhs = linear(*f.rhs, g, v, shifts);
  const Form l = less ? sum(lhs, rhs, -1) : sum(rhs, lhs, -1);
  return l.ok && nonpositive_by_order(l.terms, l.rest, strict, g.n, &shifts);
}

}  // namespace

bool nonpositive_by_order(const std::map<std::pair<int, int>, Rational>& terms, const RatIval& constant, bool strict,
                          int n, const std::vector<Shift>* shifts) {
  std::map<int, std::map<int, Rational>> by_base;
  for (const auto& [key, c] : terms)
    if (c != 0) by_base[key.first][key.second] = c;
  RatIval bound = constant;
  for (const auto& [base, coef] : by_base) {
    if (prefix_sums_nonpositive(coef)) continue;
    const auto trace = shifts && n > 0 ? (*shifts)[static_cast<std::size_t>(base)].trace : std::nullopt;
    const auto s = trace ? mean_if_prefix_sums_below(coef, n) : std::nullopt;
    if (!s) return false;
    bound = bound + RatIval(Rational(*s * *trace));
  }
  return !bound.whole && (strict ? bound.hi < 0 : bound.hi <= 0);
}

Truth structural_truth(const expr::Ground& g, const Formula& f, const Values& values, const std::vector<Shift>& shifts) {
  if (f.op != Formula::Op::And && f.op != Formula::Op::Or) {
    const Truth t = expr::evaluate(f, values).truth;
    return t == Truth::Unknown && proves(f, g, values, shifts) ? Truth::True : t;
  }
  // and: False, then Unknown, then Undefined decide; or: True, then Unknown, then Undefined
  const Truth strong = f.op == Formula::Op::And ? Truth::False : Truth::True;
  bool undefined = false, unknown = false;
  for (const auto& part : f.parts) {
    const Truth t = structural_truth(g, *part, values, shifts);
    if (t == strong) return strong;
    undefined = undefined || t == Truth::Undefined;
    unknown = unknown || t == Truth::Unknown;
  }
  if (unknown) return Truth::Unknown;
  if (undefined) return Truth::Undefined;
  return f.op == Formula::Op::And ? Truth::True : Truth::False;
}

}  // namespace fim::claims
