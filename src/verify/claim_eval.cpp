// Evaluation of a claim-language text at one dimension (proofs/verify.md, section 5.5): matrices
// exactly in rationals, scalars over exact rational enclosures that may be half-lines (Lemma V3,
// extended), formulas in the four-valued logic of CLAIMLANG.md, forall and sum instantiated over integers.
#include <algorithm>
#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include "verify/claim_tree.hpp"
#include "verify/expr.hpp"
#include "verify/inertia.hpp"
#include "verify/number.hpp"

namespace fim::verify {
namespace {

using End = std::optional<mpq_class>;
constexpr long kMaxInstances = 100'000;

Value whole() { return {}; }
Value between(End lo, End hi) { return {std::move(lo), std::move(hi), Value::Defined, ""}; }
bool finite(const Value& x) { return x.lo && x.hi; }
Value from_range(const Range& r) { return r.whole ? whole() : between(r.lo, r.hi); }
Range to_range(const Value& x) { return {*x.lo, *x.hi, false}; }

// r takes the worse definedness of r and x, with its reason.
Value& inherit(Value& r, const Value& x) {
  if (x.def > r.def) r.def = x.def, r.why = x.why;
  return r;
}
Value flagged(Value::Def def, const std::string& why) { return {std::nullopt, std::nullopt, def, why}; }

Value neg(const Value& x) {
  Value r = between(x.hi ? End(guard(-*x.hi)) : std::nullopt, x.lo ? End(guard(-*x.lo)) : std::nullopt);
  return inherit(r, x);
}
Value add(const Value& x, const Value& y) {
  Value r = between(x.lo && y.lo ? End(guard(*x.lo + *y.lo)) : std::nullopt,
                    x.hi && y.hi ? End(guard(*x.hi + *y.hi)) : std::nullopt);
  return inherit(inherit(r, x), y);
}
// c * y for a rational c (a half-line stays one).
Value scale(const mpq_class& c, const Value& y) {
  if (c == 0) return Value::point(0);
  auto times = [&c](const End& e) { return e ? End(guard(c * *e)) : std::nullopt; };
  return c > 0 ? between(times(y.lo), times(y.hi)) : between(times(y.hi), times(y.lo));
}
Value mul(const Value& x, const Value& y) {
  Value r = finite(x) && finite(y) ? from_range(range_mul(to_range(x), to_range(y)))
            : finite(x) && *x.lo == *x.hi ? scale(*x.lo, y)
            : finite(y) && *y.lo == *y.hi ? scale(*y.lo, x)
                                          : whole();
  return inherit(inherit(r, x), y);
}
// 1 / y for y not containing 0: [0, 1/lo] for y >= lo > 0 unbounded above, and symmetrically.
Value inverse(const Value& y) {
  if (finite(y)) return from_range(range_div(Range::point(1), to_range(y)));
  if (y.lo) return between(mpq_class(0), guard(1 / *y.lo));
  return between(guard(1 / *y.hi), mpq_class(0));
}
std::string at(std::size_t pos) { return "position " + std::to_string(pos + 1); }
Value div(const Value& x, const Value& y, std::size_t pos) {
  const bool has0 = (!y.lo || *y.lo <= 0) && (!y.hi || *y.hi >= 0);
  Value r = !has0 ? mul(x, inverse(y))
            : finite(y) && *y.lo == 0 && *y.hi == 0 ? flagged(Value::Undefined, "division by 0 at " + at(pos))
                                                    : flagged(Value::MaybeUndefined, "the divisor at " + at(pos) + " may be 0");
  return inherit(inherit(r, x), y);
}
Value power(const Value& x, long k, std::size_t pos) {
  if (k < 0) return div(Value::point(1), power(x, -k, pos), pos);
  Value r = finite(x) ? from_range(range_power(to_range(x), k)) : k == 0 ? Value::point(1) : whole();
  return inherit(r, x);
}
Value root(const Value& x, std::size_t pos) {
  Value r = x.hi && *x.hi < 0 ? flagged(Value::Undefined, "sqrt of a negative value at " + at(pos))
            : !x.lo || *x.lo < 0 ? flagged(Value::MaybeUndefined, "sqrt at " + at(pos) + " of a value that may be negative")
                                 : between(sqrt_bound(*x.lo, false), x.hi ? End(sqrt_bound(*x.hi, true)) : std::nullopt);
  return inherit(r, x);
}
Value absolute(const Value& x) {
  if (x.lo && *x.lo >= 0) return x;
  if (x.hi && *x.hi <= 0) return neg(x);
  Value r = between(mpq_class(0), finite(x) ? End(std::max(mpq_class(-*x.lo), *x.hi)) : std::nullopt);
  return inherit(r, x);
}
// min (lower = true) or max of x and y: an end is unbounded when it may be.
Value extreme(const Value& x, const Value& y, bool lower) {
  auto pick = [lower](const End& a, const End& b, bool both) -> End {
    if (a && b) return lower ? std::min(*a, *b) : std::max(*a, *b);
    return both ? std::nullopt : a ? a : b;
  };
  Value r = between(pick(x.lo, y.lo, lower), pick(x.hi, y.hi, !lower));
  return inherit(inherit(r, x), y);
}

// The exact matrix of a matrix expression (every entry within the size limit).
Matrix matrix_value(const MatNode& m, const MatrixOf& named, int n) {
  if (m.kind == MatNode::Name) return named(m.name);
  Matrix r(n, std::vector<mpq_class>(n));
  if (m.kind == MatNode::Comb) {
    for (const auto& [c, f] : m.terms) {
      const Matrix x = matrix_value(*f, named, n);
      for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) r[i][j] = charge_work(r[i][j] + c * x[i][j]);
    }
    return r;
  }
  const Matrix x = matrix_value(*m.a, named, n), y = m.kind == MatNode::Sym ? matrix_value(*m.b, named, n) : x;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      mpq_class s = 0;
      for (int k = 0; k < n; ++k) {
        s += x[i][k] * y[k][j];
        if (m.kind == MatNode::Sym) s += y[i][k] * x[k][j];  // sym(X*Y) = (XY + YX)/2
        charge_work(s);
      }
      r[i][j] = guard(m.kind == MatNode::Sym ? mpq_class(s / 2) : s);
    }
  return r;
}

std::string show(const End& e, bool up) { return e ? (up ? show_up(*e) : show_down(*e)) : up ? "+inf" : "-inf"; }
std::string show(const Value& x) {
  std::string s(1, '[');  // appended piecewise: g++ 12 warns (-Wrestrict, falsely) on "[" + temporary
  s += show(x.lo, false);
  s += ", ";
  s += show(x.hi, true);
  return s += ']';
}

// The state of one evaluation: the case, the forall bindings, the matrices already computed.
struct Ctx {
  int n;
  const MatrixOf& named;
  const AtomBound& bound;
  long& instances;
  const std::string& label;
  std::vector<std::pair<std::string, mpz_class>> env;
  std::map<const MatNode*, Matrix> cache;
  std::map<std::tuple<const MatNode*, const MatNode*, int>, Value> atoms;

  [[noreturn]] void refuse(std::size_t pos, const std::string& why) const {
    throw Refused(label + ": " + at(pos) + ": " + why);
  }
  const Matrix& matrix(const MNode& m) {
    auto it = cache.find(m.get());
    if (it == cache.end()) it = cache.emplace(m.get(), matrix_value(*m, named, n)).first;
    return it->second;
  }
  // The certificate's enclosure of lambda_k(m) (m2 null) or rayleigh(m, m2), asked once per atom.
  Value atom(const MNode& m, const MNode& m2, int k) {
    const auto key = std::make_tuple(m.get(), m2.get(), k);
    auto it = atoms.find(key);
    if (it == atoms.end()) it = atoms.emplace(key, bound(matrix(m), m2 ? &matrix(m2) : nullptr, k)).first;
    return it->second;
  }
  // "at i = 1, j = 2: " for the current instance, or "".
  std::string instance() const {
    std::string s;
    for (const auto& [v, x] : env) s += (s.empty() ? "at " : ", ") + v + " = " + x.get_str();
    return s.empty() ? s : s + ": ";
  }
};

Value eval(const ScalarNode& s, Ctx& c);
Verdict truth_of(const FormulaNode& f, Ctx& c);

// An integer-valued expression of n, VARs and numbers, exactly (forall and sum bounds, lambda indices).
mpz_class exact_integer(const ScalarNode& s, Ctx& c, std::size_t pos, const std::string& what) {
  const Value v = eval(s, c);
  if (v.def != Value::Defined || !finite(v) || *v.lo != *v.hi)
    c.refuse(pos, what + " " + s.text + " is not exactly computable" + (v.why.empty() ? "" : " (" + v.why + ")"));
  if (v.lo->get_den() != 1) c.refuse(pos, what + " " + s.text + " = " + v.lo->get_str() + " is not an integer");
  return v.lo->get_num();
}

// lambda_k(M) for an index k = kx known to be an integer, which must lie in 1..n.
Value lambda(const ScalarNode& atom, const mpz_class& k, Ctx& c) {
  if (k < 1 || k > c.n)
    c.refuse(atom.pos, "lambda index " + atom.a->text + " = " + k.get_str() + " is outside 1..n for n = " + std::to_string(c.n));
  return c.atom(atom.m, nullptr, static_cast<int>(k.get_si()));
}

// The atoms: lambda bounds and rayleigh enclosures from the certificate; trace and fro exactly.
Value eval_atom(const ScalarNode& s, Ctx& c) {
  using O = ScalarNode::Op;
  switch (s.op) {
    case O::Lambda: return lambda(s, exact_integer(*s.a, c, s.pos, "lambda index"), c);
    case O::LambdaMin: return c.atom(s.m, nullptr, c.n);
    case O::Norm: return extreme(c.atom(s.m, nullptr, 1), neg(c.atom(s.m, nullptr, c.n)), false);
    case O::Gap:
      if (c.n < 2) c.refuse(s.pos, "gap needs n >= 2 (here n = 1)");
      return add(c.atom(s.m, nullptr, 1), neg(c.atom(s.m, nullptr, 2)));
    case O::Rayleigh:  // n = 1: v = (1) and v^T N v = N_11
      return c.n == 1 ? Value::point(c.matrix(s.m2)[0][0]) : c.atom(s.m, s.m2, 0);
    default: break;
  }
  const Matrix& m = c.matrix(s.m);
  mpq_class t = 0;
  for (int i = 0; i < c.n; ++i)
    for (int j = 0; j < c.n; ++j)
      if (s.op == O::Trace ? i == j : true) t = guard(t + (s.op == O::Trace ? m[i][j] : m[i][j] * m[i][j]));
  if (s.op == O::Trace) return Value::point(t);
  return between(sqrt_bound(t, false), sqrt_bound(t, true));  // fro = sqrt(sum M_ij^2)
}

// The integer bounds lo..hi of a forall over `vars` variables or of a sum (vars = 1); its
// count^vars instances are charged to the one budget of 10^5 over both texts.
std::pair<mpz_class, mpz_class> range_of(const ScalarNode& lo_text, const ScalarNode& hi_text, std::size_t vars,
                                         std::size_t pos, const std::string& what, Ctx& c) {
  const mpz_class lo = exact_integer(lo_text, c, pos, "the " + what + " bound"), hi = exact_integer(hi_text, c, pos, "the " + what + " bound");
  const mpz_class count = hi >= lo ? mpz_class(hi - lo + 1) : mpz_class(0);
  mpz_class total = 1;
  for (std::size_t k = 0; k < vars && total <= kMaxInstances; ++k) total *= count;
  if (total + c.instances > kMaxInstances) c.refuse(pos, "the " + what + " expands to more than 10^5 instances");
  c.instances += total.get_si();
  return {lo, hi};
}

// The truth of a with condition at the current assignment, which must be decided (else refused).
bool condition(const FormulaNode* with, std::size_t pos, Ctx& c) {
  if (!with) return true;
  const Verdict w = truth_of(*with, c);
  if (w.truth != Truth::True && w.truth != Truth::False)
    c.refuse(pos, "the with condition is " + std::string(truth_name(w.truth)) + " (" + w.why + ")");
  return w.truth == Truth::True;
}

// sum(i in lo..hi [with cond]: x): the sum of the enclosures of x over the integers i in lo..hi
// with cond true, encloses the exact sum (Lemma V3); an empty sum is exactly 0.
Value sum(const ScalarNode& s, Ctx& c) {
  const auto [lo, hi] = range_of(*s.lo, *s.hi, 1, s.pos, "sum", c);
  Value acc = Value::point(0);
  for (mpz_class i = lo; i <= hi; ++i) {
    c.env.emplace_back(s.name, i);
    if (condition(s.with.get(), s.pos, c)) acc = add(acc, eval(*s.a, c));
    c.env.pop_back();
  }
  return acc;
}

Value eval(const ScalarNode& s, Ctx& c) {
  using O = ScalarNode::Op;
  switch (s.op) {
    case O::Num: return Value::point(s.value);
    case O::Dim: return Value::point(c.n);
    case O::Var:
      for (auto it = c.env.rbegin(); it != c.env.rend(); ++it)
        if (it->first == s.name) return Value::point(mpq_class(it->second));
      c.refuse(s.pos, "the variable '" + s.name + "' has no value here");
    case O::Neg: return neg(eval(*s.a, c));
    case O::Pow: return power(eval(*s.a, c), s.exponent, s.pos);
    case O::Sqrt: return root(eval(*s.a, c), s.pos);
    case O::Abs: return absolute(eval(*s.a, c));
    case O::Add: return add(eval(*s.a, c), eval(*s.b, c));
    case O::Sub: return add(eval(*s.a, c), neg(eval(*s.b, c)));
    case O::Mul: return mul(eval(*s.a, c), eval(*s.b, c));
    case O::Div: return div(eval(*s.a, c), eval(*s.b, c), s.pos);
    case O::Min: return extreme(eval(*s.a, c), eval(*s.b, c), true);
    case O::Max: return extreme(eval(*s.a, c), eval(*s.b, c), false);
    case O::Sum: return sum(s, c);
    default: return eval_atom(s, c);
  }
}

// l CMP r: True or False only when the enclosures decide it; why names the comparison.
Verdict compare(const FormulaNode& f, Ctx& c) {
  const Value l = eval(*f.l, c), r = eval(*f.r, c);
  const std::string text = "'" + f.l->text + " " + f.cmp + " " + f.r->text + "'";
  if (l.def == Value::Undefined || r.def == Value::Undefined)
    return {Truth::Undefined, c.instance() + text + " is undefined: " + (l.def == Value::Undefined ? l.why : r.why)};
  if (l.def != Value::Defined || r.def != Value::Defined)
    return {Truth::Unknown, c.instance() + text + ": " + (l.def != Value::Defined ? l.why : r.why)};
  const bool upper = f.cmp[0] == '<', strict = f.cmp.size() == 1;  // l <(=) r, or l >(=) r
  const Value& a = upper ? l : r;  // a <(=) b
  const Value& b = upper ? r : l;
  if (a.hi && b.lo && (strict ? *a.hi < *b.lo : *a.hi <= *b.lo)) return {Truth::True, c.instance() + text + " holds"};
  if (a.lo && b.hi && (strict ? *a.lo >= *b.hi : *a.lo > *b.hi)) {
    const std::string sides = upper ? "the left side is >= " + show(l.lo, false) + ", the right side <= " + show(r.hi, true)
                                    : "the left side is <= " + show(l.hi, true) + ", the right side >= " + show(r.lo, false);
    return {Truth::False, c.instance() + text + " is false: " + sides};
  }
  return {Truth::Unknown, c.instance() + text + " is not decided: the left side is in " + show(l) + ", the right side in " + show(r)};
}

// Folds v into acc: for and (forall) False wins, then Undefined, Unknown, True; for or True wins,
// then Undefined, Unknown, False (the reasons of all false alternatives are kept); a True or False
// fold is the exact truth (proofs/verify.md, Lemma V6).
void fold(Verdict& acc, const Verdict& v, bool conj) {
  auto rank = [conj](Truth t) {
    switch (t) {
      case Truth::False: return conj ? 3 : 0;
      case Truth::True: return conj ? 0 : 3;
      case Truth::Undefined: return 2;
      default: return 1;
    }
  };
  if (rank(v.truth) > rank(acc.truth)) acc = v;
  else if (!conj && v.truth == Truth::False && acc.truth == Truth::False) acc.why += (acc.why.empty() ? "" : "; ") + v.why;
}

// forall VARS in lo..hi [with cond]: body, over every integer assignment (an empty range: True).
Verdict forall(const FormulaNode& f, Ctx& c) {
  const auto [lo, hi] = range_of(*f.lo, *f.hi, f.vars.size(), f.pos, "forall", c);
  Verdict acc{Truth::True, ""};
  if (hi < lo) return acc;
  std::vector<mpz_class> cur(f.vars.size(), lo);
  for (;;) {
    for (std::size_t k = 0; k < f.vars.size(); ++k) c.env.emplace_back(f.vars[k], cur[k]);
    if (condition(f.with.get(), f.pos, c)) fold(acc, truth_of(*f.body, c), true);
    c.env.resize(c.env.size() - f.vars.size());
    std::size_t k = f.vars.size();  // the next assignment, the last variable fastest
    while (k > 0 && cur[k - 1] == hi) cur[--k] = lo;
    if (k == 0) return acc;
    cur[k - 1] += 1;
  }
}

// Every part is evaluated (no short cut), so that an index error anywhere is found.
Verdict truth_of(const FormulaNode& f, Ctx& c) {
  if (f.op == FormulaNode::Cmp) return compare(f, c);
  if (f.op == FormulaNode::Forall) return forall(f, c);
  const bool conj = f.op == FormulaNode::And;
  Verdict acc{conj ? Truth::True : Truth::False, ""};
  for (const FNode& p : f.parts) fold(acc, truth_of(*p, c), conj);
  return acc;
}

}  // namespace

const char* truth_name(Truth t) {
  switch (t) {
    case Truth::True: return "true";
    case Truth::False: return "false";
    case Truth::Unknown: return "unknown";
    default: return "undefined";
  }
}

Matrix MatrixText::eval(const MatrixOf& named, int n) const { return matrix_value(*root_, named, n); }

Verdict ClaimText::eval(int n, const MatrixOf& named, const AtomBound& bound, long& instances) const {
  Ctx c{n, named, bound, instances, label_, {}, {}, {}};
  return truth_of(*root_, c);
}

}  // namespace fim::verify
