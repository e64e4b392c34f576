// BoundExpr: parse errors with exact positions, and rigorous enclosure of the exact value (checked
// in exact rationals) over binary64 and MPFI intervals.
#include <doctest/doctest.h>

#include <mpfi.h>
#include <mpfr.h>

#include <cfloat>
#include <functional>
#include <memory>
#include <optional>
#include <random>

#include "numeric/exact.hpp"
#include "numeric/interval.hpp"
#include "numeric/mp.hpp"
#include "expr/bound_expr.hpp"

using fim::num::Ival;
using fim::num::MpIval;
using fim::num::Rational;
using fim::num::to_rational;
using fim::expr::BoundExpr;
using fim::expr::BoundExprError;

namespace {

namespace bmp = boost::multiprecision;
constexpr double kInf = fim::num::inf;

// ---- Exact containment -------------------------------------------------------------------------

/// True when the end `e` (a finite double or +-inf) is <= v (lower) or >= v (upper).
bool end_ok(double e, const Rational& v, bool lower) {
  if (std::isinf(e)) return lower ? e < 0 : e > 0;
  if (std::isnan(e)) return false;
  return lower ? to_rational(e) <= v : v <= to_rational(e);
}
bool encloses(const Ival& x, const Rational& v) { return end_ok(x.lo, v, true) && end_ok(x.hi, v, false); }

/// The same for an MPFR end.
bool end_ok(mpfr_srcptr e, const Rational& v, bool lower) {
  if (mpfr_nan_p(e)) return false;
  if (mpfr_inf_p(e)) return lower ? mpfr_sgn(e) < 0 : mpfr_sgn(e) > 0;
  Rational q;
  mpfr_get_q(q.backend().data(), e);
  return lower ? q <= v : v <= q;
}
bool encloses(const MpIval& x, const Rational& v) {
  return end_ok(&x.data()->left, v, true) && end_ok(&x.data()->right, v, false);
}

Rational pow2(int e) {
  const Rational two(2);
  Rational r(1);
  for (int i = 0; i < std::abs(e); ++i) r *= two;
  return e >= 0 ? r : Rational(1 / r);
}

// ---- A test-side expression: exact evaluation and printing --------------------------------------

struct TExpr {
  char op;  // 'n' number, 'v' variable, '~' negation, '+', '-', '*', '/', '^', 'a' abs, 'm' min,
            // 'M' max
  std::string text;  // 'n': the literal; 'v': the name
  Rational value;    // 'n': its exact value
  int exponent = 0;  // '^'
  std::shared_ptr<TExpr> a, b;
};
using TPtr = std::shared_ptr<TExpr>;
using Point = std::map<std::string, Rational>;

/// The exact value, or nothing where the expression is undefined (division by 0).
std::optional<Rational> exact(const TExpr& e, const Point& p) {
  if (e.op == 'n') return e.value;
  if (e.op == 'v') return p.at(e.text);
  const auto x = exact(*e.a, p);
  if (!x) return x;
  if (e.op == '~') return Rational(-*x);
  if (e.op == 'a') return Rational(bmp::abs(*x));
  if (e.op == '^') {
    if (e.exponent < 0 && *x == 0) return std::nullopt;
    Rational r(1);
    for (int i = 0; i < std::abs(e.exponent); ++i) r *= *x;
    return e.exponent >= 0 ? r : Rational(1 / r);
  }
  const auto y = exact(*e.b, p);
  if (!y) return y;
  switch (e.op) {
    case '+': return Rational(*x + *y);
    case '-': return Rational(*x - *y);
    case '*': return Rational(*x * *y);
    case '/': return *y == 0 ? std::nullopt : std::optional<Rational>(*x / *y);
    case 'm': return std::min(*x, *y);
    default: return std::max(*x, *y);
  }
}

/// Fully parenthesized text (so the test does not depend on precedence, tested separately).
std::string print(const TExpr& e) {
  switch (e.op) {
    case 'n':
    case 'v': return e.text;
    case '~': return "-(" + print(*e.a) + ")";
    case '^': return "(" + print(*e.a) + ")^" + std::to_string(e.exponent);
    case 'a': return "abs(" + print(*e.a) + ")";
    case 'm': return "min(" + print(*e.a) + ", " + print(*e.b) + ")";
    case 'M': return "max(" + print(*e.a) + "," + print(*e.b) + ")";
    default: return "(" + print(*e.a) + ")" + e.op + "(" + print(*e.b) + ")";
  }
}

// ---- Random expressions and points ----------------------------------------------------------------

const std::vector<std::string> kVars = {"normE", "gap", "d", "lambda1", "lambda2", "lambda_min", "e11"};

/// A random decimal literal m * 10^k, written in one of several styles, with its exact value.
TPtr random_literal(std::mt19937_64& rng) {
  const int m = std::uniform_int_distribution<int>(0, 999)(rng);
  const int k = std::uniform_int_distribution<int>(-4, 3)(rng);
  Rational v(m);
  for (int i = 0; i < std::abs(k); ++i) v = k > 0 ? Rational(v * 10) : Rational(v / 10);
  std::string text;
  if (rng() % 2) {
    text = std::to_string(m) + (rng() % 2 ? "e" : "E") + (k >= 0 && rng() % 2 ? "+" : "") +
           std::to_string(k);
  } else if (k >= 0) {
    text = std::to_string(m) + std::string(k, '0');
  } else {  // m / 10^-k as a decimal with a point
    std::string digits = std::string(-k, '0') + std::to_string(m);
    text = digits.substr(0, digits.size() + k) + "." + digits.substr(digits.size() + k);
  }
  return std::make_shared<TExpr>(TExpr{'n', text, v, 0, nullptr, nullptr});
}

/// A random expression over + - * / ^int, min, max, abs, literals and variables.
TPtr random_expr(std::mt19937_64& rng, int depth) {
  const int pick = std::uniform_int_distribution<int>(0, depth <= 0 ? 1 : 10)(rng);
  if (pick == 0) return random_literal(rng);
  if (pick == 1)
    return std::make_shared<TExpr>(TExpr{'v', kVars[rng() % kVars.size()], 0, 0, nullptr, nullptr});
  const char ops[] = "~+-*/^amM+*";
  auto e = std::make_shared<TExpr>(TExpr{ops[pick - 2], "", 0, 0, nullptr, nullptr});
  e->a = random_expr(rng, depth - 1);
  if (e->op == '^') e->exponent = std::uniform_int_distribution<int>(-3, 4)(rng);
  if (std::string("+-*/mM").find(e->op) != std::string::npos) e->b = random_expr(rng, depth - 1);
  return e;
}

/// A random dyadic m 2^e, m in [-64, 64], e in [-6, 3].
Rational random_dyadic(std::mt19937_64& rng) {
  return Rational(std::uniform_int_distribution<int>(-64, 64)(rng)) *
         pow2(std::uniform_int_distribution<int>(-6, 3)(rng));
}

struct Box {
  std::map<std::string, Rational> lo, hi;
};

/// Intervals [lo, lo + w] for every variable, w = 0 (a point) a third of the time.
Box random_box(std::mt19937_64& rng) {
  Box b;
  for (const auto& v : kVars) {
    b.lo[v] = random_dyadic(rng);
    b.hi[v] = b.lo[v] + (rng() % 3 == 0 ? Rational(0) : Rational(bmp::abs(random_dyadic(rng))));
  }
  return b;
}

/// A point of the box: each variable at its ends or at a random eighth in between.
Point random_point(std::mt19937_64& rng, const Box& b) {
  Point p;
  for (const auto& v : kVars) {
    const int j = std::uniform_int_distribution<int>(0, 8)(rng);
    p[v] = b.lo.at(v) + (b.hi.at(v) - b.lo.at(v)) * Rational(j, 8);
  }
  return p;
}

std::map<std::string, Ival> ival_vars(const Box& b) {
  std::map<std::string, Ival> m;
  for (const auto& v : kVars)
    m[v] = Ival(b.lo.at(v).convert_to<double>(), b.hi.at(v).convert_to<double>());  // dyadic: exact
  return m;
}

std::map<std::string, MpIval> mp_vars(const Box& b) {
  std::map<std::string, MpIval> m;
  for (const auto& [v, x] : ival_vars(b)) m[v] = fim::num::to_mp(x);
  return m;
}

/// Ival of a single-variable expression at x (the variable is d).
Ival eval1(const std::string& text, Ival x) {
  return BoundExpr::parse(text).eval(std::map<std::string, Ival>{{"d", x}});
}
Ival eval0(const std::string& text) { return BoundExpr::parse(text).eval(std::map<std::string, Ival>{}); }

/// Checks that parsing `text` fails at `pos` with a reason starting with `reason`.
void check_error(const std::string& text, std::size_t pos, const std::string& reason) {
  CAPTURE(text);
  try {
    BoundExpr::parse(text);
    FAIL("parsed without error");
  } catch (const BoundExprError& e) {
    CHECK(e.position == pos);
    CHECK(e.reason.rfind(reason, 0) == 0);
    CHECK(std::string(e.what()) == "EXPR: position " + std::to_string(pos) + ": " + e.reason);
    CHECK(std::string(e.what()).find('\n') == std::string::npos);
  }
}

}  // namespace

TEST_CASE("random expressions enclose the exact value at every point of the variable box") {
  std::mt19937_64 rng(20240611);
  int checked = 0, skipped = 0;
  for (int trial = 0; trial < 1500; ++trial) {
    const TPtr t = random_expr(rng, 4);
    const std::string text = print(*t);
    CAPTURE(text);
    const BoundExpr e = BoundExpr::parse(text);
    const Box box = random_box(rng);
    const Ival r = e.eval(ival_vars(box));
    const fim::num::ScopedPrecision prec(trial % 2 ? 60 : 200);
    const MpIval rm = e.eval(mp_vars(box));
    for (int k = 0; k < 4; ++k) {
      const Point p = random_point(rng, box);
      const auto v = exact(*t, p);
      if (!v) { ++skipped; continue; }
      CAPTURE(v->str());
      CHECK(encloses(r, *v));
      CHECK(encloses(rm, *v));
      ++checked;
    }
  }
  CHECK(checked > 3000);
  CHECK(skipped < checked / 10);
}

TEST_CASE("sqrt of random expressions: the bounds squared bracket the exact argument") {
  std::mt19937_64 rng(7);
  int checked = 0;
  for (int trial = 0; trial < 800; ++trial) {
    const TPtr t = random_expr(rng, 3);
    const BoundExpr e = BoundExpr::parse("sqrt(" + print(*t) + ")");
    const Box box = random_box(rng);
    const Ival r = e.eval(ival_vars(box));
    for (int k = 0; k < 4; ++k) {
      const auto v = exact(*t, random_point(rng, box));
      if (!v || *v < 0) continue;
      CAPTURE(print(*t));
      // lo <= sqrt(v) <= hi  iff  (lo <= 0 or lo^2 <= v) and (hi = inf or (hi >= 0 and hi^2 >= v))
      CHECK((r.lo <= 0 || Rational(to_rational(r.lo) * to_rational(r.lo)) <= *v));
      CHECK((r.hi == kInf || (r.hi >= 0 && Rational(to_rational(r.hi) * to_rational(r.hi)) >= *v)));
      ++checked;
    }
  }
  CHECK(checked > 500);
}

TEST_CASE("sqrt: nonnegative part, undefined below zero") {
  const Ival two = eval0("sqrt(2)*sqrt(2)");
  CHECK(encloses(two, Rational(2)));
  CHECK(two.hi - two.lo <= 8 * DBL_EPSILON);
  const Ival part = eval1("sqrt(d)", Ival(-1, 4));
  CHECK(part.lo == 0);
  CHECK(part.hi == 2);
  CHECK(eval1("sqrt(d)", Ival(-4, -1)).lo == -kInf);
  CHECK(eval1("sqrt(d)", Ival(-4, -1)).hi == kInf);
  CHECK(eval0("sqrt(-1)").lo == -kInf);
  const fim::num::ScopedPrecision prec(128);
  const MpIval m = BoundExpr::parse("sqrt(d)").eval(std::map<std::string, MpIval>{{"d", fim::num::to_mp(Ival(-1, 4))}});
  CHECK(encloses(m, Rational(0)));
  CHECK(encloses(m, Rational(2)));
  CHECK(!encloses(m, Rational(-1, 1000)));
}

TEST_CASE("decimal literals are enclosed exactly, never rounded to the nearest double") {
  const Ival tenth = eval0("0.1");
  CHECK(encloses(tenth, Rational(1, 10)));
  CHECK(tenth.lo < tenth.hi);
  CHECK(std::nextafter(tenth.lo, kInf) == tenth.hi);
  const Ival one = eval0("0.1*10");
  CHECK(encloses(one, Rational(1)));
  CHECK(one.hi - one.lo <= 4 * DBL_EPSILON);
  CHECK(eval0("2.5E+4").lo == 25000);
  CHECK(eval0("2.5E+4").hi == 25000);
  CHECK(encloses(eval0("1e-3"), Rational(1, 1000)));
  // leading zeros are decimal, not octal (0.123 is 123/1000, not 83/1000)
  CHECK(encloses(eval0("0.123"), Rational(123, 1000)));
  CHECK(encloses(eval0("0.08"), Rational(8, 100)));
  CHECK(encloses(eval0("000.0533e1"), Rational(533, 1000)));
  CHECK(eval0("007").lo == 7);
  CHECK(eval0("0e5").hi == 0);
  CHECK(encloses(eval0("3e-320"), Rational(3) / bmp::pow(bmp::mpz_int(10), 320)));  // subnormal
  const Ival huge = eval0("1e400"), tiny = eval0("1e-400"), neg = eval0("-1e400");
  CHECK(huge.lo == DBL_MAX);
  CHECK(huge.hi == kInf);
  CHECK(tiny.lo == 0);
  CHECK(tiny.hi == 0x1p-1074);
  CHECK(neg.lo == -kInf);
  CHECK(neg.hi == -DBL_MAX);
  const fim::num::ScopedPrecision prec(256);
  const MpIval mt = BoundExpr::parse("0.1").eval(std::map<std::string, MpIval>{});
  CHECK(encloses(mt, Rational(1, 10)));
  CHECK(fim::num::upper_rational(mt) - fim::num::lower_rational(mt) < pow2(-250));
}

TEST_CASE("precedence and associativity") {
  const std::vector<std::pair<std::string, Rational>> cases = {
      {"1-2-3", -4},        {"2/4/8", Rational(1, 16)}, {"2+3*4^2", 50},
      {"-2^2", -4},         {"(-2)^3", -8},             {"2^-2", Rational(1, 4)},
      {"2^(-2)", Rational(1, 4)}, {"2*-3", -6},         {"--3", 3},
      {"min(3,-1)+max(2,5)*abs(-2)", 9}, {" ( 1 + 2 ) * 3 ", 9}, {"2^0", 1},
      {"4^1/2", 2},         {"2.^2.0", 4},              {"-2^-1", Rational(-1, 2)}};
  for (const auto& [text, value] : cases) {
    CAPTURE(text);
    const Ival r = eval0(text);
    CHECK(encloses(r, value));
    CHECK(r.hi - r.lo <= 4 * DBL_EPSILON);
  }
}

TEST_CASE("the remainder-style bound 2*normE^3/(gap*(gap-2*normE))") {
  const BoundExpr e = BoundExpr::parse("2*normE^3/(gap*(gap-2*normE))");
  CHECK(e.variables() == std::vector<std::string>{"normE", "gap"});
  const Ival r = e.eval(std::map<std::string, Ival>{{"normE", Ival(0.125)}, {"gap", Ival(1)}});
  CHECK(encloses(r, Rational(1, 192)));
  CHECK(r.hi - r.lo <= 8 * DBL_EPSILON / 192);
  const Ival box = e.eval(std::map<std::string, Ival>{{"normE", Ival(0.0625, 0.125)}, {"gap", Ival(1, 2)}});
  CHECK(encloses(box, Rational(1, 7680)));  // normE = 1/16, gap = 2
  CHECK(encloses(box, Rational(1, 192)));   // normE = 1/8, gap = 1
  const fim::num::ScopedPrecision prec(113);
  const MpIval m = e.eval(std::map<std::string, MpIval>{{"normE", MpIval(0.125)}, {"gap", MpIval(1)}});
  CHECK(encloses(m, Rational(1, 192)));
  CHECK(fim::num::upper_rational(m) - fim::num::lower_rational(m) < pow2(-100));
  // the gap interval containing 2 normE: undefined somewhere, so the whole line
  const Ival wide = e.eval(std::map<std::string, Ival>{{"normE", Ival(0.5)}, {"gap", Ival(0.5, 2)}});
  CHECK(wide.lo == -kInf);
  CHECK(wide.hi == kInf);
}

TEST_CASE("integer powers are tight; division by an interval containing 0 is the whole line") {
  const Ival x(-1, 2);
  CHECK(eval1("d^2", x).lo == 0);
  CHECK(eval1("d^2", x).hi == 4);
  CHECK(eval1("d^3", x).lo == -1);
  CHECK(eval1("d^3", x).hi == 8);
  CHECK(eval1("d^4", Ival(-3, -2)).lo == 16);
  CHECK(eval1("d^4", Ival(-3, -2)).hi == 81);
  CHECK(eval1("d^0", x).lo == 1);
  CHECK(eval1("d^0", x).hi == 1);
  CHECK(eval1("d^-1", x).lo == -kInf);
  CHECK(eval1("1/d", Ival(0, 1)).hi == kInf);
  const Ival inv = eval1("d^-2", Ival(2, 4));
  CHECK(inv.lo == 0.0625);
  CHECK(inv.hi == 0.25);
  CHECK(encloses(eval1("d^-3", Ival(3)), Rational(1, 27)));
  CHECK(eval1("d^1100", Ival(2)).hi == kInf);
  const fim::num::ScopedPrecision prec(64);
  const MpIval m = BoundExpr::parse("d^2").eval(std::map<std::string, MpIval>{{"d", fim::num::to_mp(x)}});
  CHECK(fim::num::lower_rational(m) == 0);
  CHECK(fim::num::upper_rational(m) == 4);
}

TEST_CASE("min, max, abs of intervals") {
  const auto two = [](const std::string& text, Ival a, Ival b) {
    return BoundExpr::parse(text).eval(std::map<std::string, Ival>{{"lambda1", a}, {"lambda2", b}});
  };
  const Ival lo = two("min(lambda1, lambda2)", Ival(0, 5), Ival(1, 2));
  const Ival hi = two("max(lambda1, lambda2)", Ival(0, 5), Ival(1, 2));
  CHECK((lo.lo == 0 && lo.hi == 2));
  CHECK((hi.lo == 1 && hi.hi == 5));
  const Ival a = eval1("abs(d)", Ival(-3, 2));
  CHECK((a.lo == 0 && a.hi == 3));
}

TEST_CASE("parse errors name the exact column") {
  check_error("", 1, "empty expression");
  check_error("   ", 1, "empty expression");
  check_error("2*normE)", 8, "unexpected ')'");
  check_error("2*norm", 3, "unknown variable 'norm'");
  check_error("Gap", 1, "unknown variable 'Gap'");
  check_error("1 + log(gap)", 5, "unknown function 'log'");
  check_error("(gap+1", 7, "missing ')'");
  check_error("((1)", 5, "missing ')'");
  check_error("(1 2)", 4, "missing ')'");
  check_error("gap*", 5, "expected a number or a variable");
  check_error("gap*)", 5, "unexpected ')'");
  check_error("()", 2, "unexpected ')'");
  check_error("min(gap)", 1, "min takes 2 arguments");
  check_error("1+max(1,2,3)", 3, "max takes 2 arguments");
  check_error("sqrt(1,2)", 1, "sqrt takes 1 argument");
  check_error("sqrt gap", 6, "expected '(' after 'sqrt'");
  check_error("gap 2", 5, "unexpected '2'");
  check_error("2normE", 2, "unexpected 'normE'");
  check_error("gap^0.5", 5, "exponent must be an integer");
  check_error("gap^d", 5, "exponent must be an integer constant");
  check_error("2^3^2", 3, "exponent must be an integer constant");
  check_error("2^1e10", 3, "exponent too large");
  check_error("1e", 1, "malformed number '1e'");
  check_error("1+2e+", 3, "malformed number '2e+'");
  check_error("1 + .", 5, "malformed number '.'");
  check_error("gap # 2", 5, "unexpected character '#'");
  check_error("1e999999", 1, "number out of range");
  check_error(std::string(5000, '(') + "1" + std::string(5000, ')'), 1001,
              "expression nested too deeply");
  std::string chain = "1";
  for (int i = 0; i < 2000; ++i) chain += "+1";
  check_error(chain, 2000, "expression nested too deeply");  // the 1000th '+'
  CHECK_THROWS_AS(BoundExpr::parse("gap+"), std::invalid_argument);  // derived from it
}

TEST_CASE("variables lists the names used; eval without a used variable's value throws") {
  const BoundExpr e = BoundExpr::parse("gap*gap + normE/d - lambda_min*e11 + lambda1 - lambda2");
  CHECK(e.variables() ==
        std::vector<std::string>{"gap", "normE", "d", "lambda_min", "e11", "lambda1", "lambda2"});
  CHECK(BoundExpr::parse("2*(1+3)").variables().empty());
  CHECK(BoundExpr::known_variables().size() == 7);
  CHECK(e.text() == "gap*gap + normE/d - lambda_min*e11 + lambda1 - lambda2");
  CHECK_THROWS_AS(BoundExpr::parse("gap").eval(std::map<std::string, Ival>{{"d", Ival(1)}}),
                  std::invalid_argument);
}
