// The claim language: every construct parses, every error names its exact position, atoms are
// deduplicated by canonical text, and evaluation over Ival, MpIval and RatIval encloses the exact
// value, with four-valued logic that both proves and refutes.
#include <doctest/doctest.h>

#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "expr/claim_lang.hpp"
#include "expr/interval_ops.hpp"
#include "numeric/exact.hpp"
#include "numeric/interval.hpp"
#include "numeric/mp.hpp"
#include "numeric/rational_interval.hpp"

using fim::expr::Atom;
using fim::expr::AtomKind;
using fim::expr::ClaimError;
using fim::expr::Evaluation;
using fim::expr::Formula;
using fim::expr::Ground;
using fim::expr::instantiate;
using fim::expr::ParsedClaim;
using fim::expr::Scalar;
using fim::expr::Truth;
using fim::expr::Value;
using fim::num::Ival;
using fim::num::MpIval;
using fim::num::Rational;
using fim::num::RatIval;

namespace {

namespace bmp = boost::multiprecision;

/// The ground claim of text at dimension n (with an optional hypothesis).
Ground ground(const std::string& text, int n, const std::string& given = "") {
  const ParsedClaim c = ParsedClaim::parse(text);
  if (given.empty()) return instantiate(c, nullptr, n);
  const ParsedClaim g = ParsedClaim::parse(given, "given");
  return instantiate(c, &g, n);
}

/// The canonical texts of the ground's atoms, in table order.
std::vector<std::string> atom_texts(const Ground& g) {
  std::vector<std::string> out;
  for (const Atom& a : g.atoms) out.push_back(a.text);
  return out;
}
std::vector<std::string> matrix_texts(const Ground& g) {
  std::vector<std::string> out;
  for (const auto& m : g.matrices) out.push_back(m->text);
  return out;
}

/// The message of the ClaimError that parsing (and instantiating at n) throws, or "" if none.
std::string error_of(const std::string& text, int n = 3, const std::string& label = "claim") {
  try {
    const ParsedClaim c = ParsedClaim::parse(text, label);
    instantiate(c, nullptr, n);
  } catch (const ClaimError& e) {
    return e.what();
  }
  return "";
}

template <class I>
I enclose(const Rational& q) {
  return fim::expr::ops::from_rational(q, fim::expr::ops::Tag<I>{});
}

/// Point atom values (each rational enclosed in I).
template <class I>
std::vector<Value<I>> points(const std::vector<Rational>& qs) {
  std::vector<Value<I>> out(qs.size());
  for (std::size_t i = 0; i < qs.size(); ++i) out[i].x = enclose<I>(qs[i]);
  return out;
}

/// An atom value [lo, hi].
template <class I>
Value<I> span(const Rational& lo, const Rational& hi) {
  Value<I> v;
  v.x = fim::expr::ops::between(enclose<I>(lo), enclose<I>(hi));
  return v;
}

template <class I>
Truth truth(const Ground& g, const std::vector<Value<I>>& atoms) {
  return fim::expr::evaluate<I>(*g.claim, atoms).truth;
}

// ---- test-side exact evaluation of ground scalars ----

/// The exact value of e at rational atom values, or nothing where undefined (0 divisor, sqrt of a
/// negative); sqrt only of rational squares (the tests use no others).
std::optional<Rational> exact(const Scalar& e, const std::vector<Rational>& at) {
  using Op = Scalar::Op;
  if (e.op == Op::Num) return e.value;
  if (e.op == Op::Atom) return at.at(e.atom);
  const auto x = exact(*e.a, at);
  if (!x) return x;
  std::optional<Rational> y;
  if (e.b && !(y = exact(*e.b, at))) return y;
  switch (e.op) {
    case Op::Neg:
      return Rational(-*x);
    case Op::Add:
      return Rational(*x + *y);
    case Op::Sub:
      return Rational(*x - *y);
    case Op::Mul:
      return Rational(*x * *y);
    case Op::Div:
      return *y == 0 ? std::nullopt : std::optional<Rational>(*x / *y);
    case Op::Abs:
      return Rational(bmp::abs(*x));
    case Op::Min:
      return std::min(*x, *y);
    case Op::Max:
      return std::max(*x, *y);
    case Op::Pow: {
      if (e.exponent < 0 && *x == 0) return std::nullopt;
      Rational r(1);
      for (long i = 0; i < std::labs(e.exponent); ++i) r *= *x;
      return e.exponent >= 0 ? r : Rational(1 / r);
    }
    default: {  // Sqrt
      if (*x < 0) return std::nullopt;
      const bmp::mpz_int p = bmp::sqrt(bmp::numerator(*x)), q = bmp::sqrt(bmp::denominator(*x));
      REQUIRE(Rational(p, q) * Rational(p, q) == *x);
      return Rational(p, q);
    }
  }
}

/// A comparison lhs OP c, c a number.
Formula compare_to(const Formula& f, Formula::Op op, const Rational& c) {
  Formula out;
  out.op = op;
  out.lhs = f.lhs;
  auto num = std::make_shared<Scalar>();
  num->value = c;
  out.rhs = num;
  return out;
}

}  // namespace

TEST_CASE("every construct parses; canonical texts of matrices and atoms") {
  const Ground g = ground(
      "forall i, j in 1..n with i + j - 1 <= n and (i <= 2 or j >= 1):"
      " lambda(i+j-1, A+E) <= lambda(i, A) + lambda(j, E)"
      " and (lambda_min(2*A - B/3) < gap(sym(A*E)) or norm((A+E)*(A+E)) > fro(1/2*A)^2)"
      " and trace(-A + (2/4)*E) >= -sqrt(abs(rayleigh(A, E))) * min(0.5, 1e-3) + max(2.5E+4, n)^-1"
      " and trace(B)^(-3) <= trace(B)^(2) - (n) / 3",
      3);
  CHECK(matrix_texts(g) == std::vector<std::string>{"A+E", "A", "E", "2*A-1/3*B", "sym(A*E)",
                                                    "(A+E)*(A+E)", "1/2*A", "-A+1/2*E", "B"});
  CHECK(atom_texts(g) ==
        std::vector<std::string>{"lambda(1, A+E)", "lambda(1, A)", "lambda(1, E)",
                                 "lambda_min(2*A-1/3*B)", "gap(sym(A*E))", "norm((A+E)*(A+E))",
                                 "fro(1/2*A)", "trace(-A+1/2*E)", "rayleigh(A, E)", "trace(B)",
                                 "lambda(2, A+E)", "lambda(2, E)", "lambda(3, A+E)", "lambda(3, E)",
                                 "lambda(2, A)", "lambda(3, A)"});
  CHECK(g.atoms[8].kind == AtomKind::Rayleigh);
  CHECK(g.atoms[8].m == 1);
  CHECK(g.atoms[8].m2 == 2);
  CHECK(g.atoms[10].k == 2);
  // forall -> And of 6 instances (i + j - 1 <= 3), each an And of four parts
  REQUIRE(g.claim->op == Formula::Op::And);
  REQUIRE(g.claim->parts.size() == 6);
  const Formula& second = *g.claim->parts[1];
  CHECK(second.parts.size() == 4);
  CHECK(second.parts[0]->where == "i = 1, j = 2");
  CHECK(second.parts[0]->text == "lambda(1+2-1, A+E) <= lambda(1, A) + lambda(2, E)");
  CHECK(second.parts[1]->op == Formula::Op::Or);
  CHECK(second.parts[1]->parts[0]->op == Formula::Op::Lt);
  CHECK(second.parts[1]->parts[1]->op == Formula::Op::Gt);
  CHECK(second.parts[2]->op == Formula::Op::Ge);
  CHECK(ParsedClaim::parse("gap(B) > 0 and norm(E) < 1").matrix_names() ==
        std::vector<char>{'B', 'E'});
}

TEST_CASE("matrix canonical texts: scales merged and printed first, sums parenthesized") {
  auto text = [](const std::string& m) {
    return ground("trace(" + m + ") <= 0", 2).atoms.at(0).text;
  };
  CHECK(text("A") == "trace(A)");
  CHECK(text(" A + E ") == "trace(A+E)");
  CHECK(text("A - E") == "trace(A-E)");
  CHECK(text("A*2") == "trace(2*A)");
  CHECK(text("A/2") == "trace(1/2*A)");
  CHECK(text("2*(3*A)") == "trace(6*A)");
  CHECK(text("(2*A)*(3*A)") == "trace(6*A*A)");
  CHECK(text("sym(2*A*E)") == "trace(2*sym(A*E))");
  CHECK(text("sym((A+B)*E)") == "trace(sym((A+B)*E))");
  CHECK(text("A - (B + E)") == "trace(A-(B+E))");
  CHECK(text("A + (B - E)") == "trace(A+(B-E))");
  CHECK(text("(1/2 + 1/2)*A") == "trace(A)");
  CHECK(text("-(A+E)") == "trace(-(A+E))");
  CHECK(text("(-1)*A*(-1)") == "trace(A)");
  CHECK(text("(A+E)*(A+E)/4") == "trace(1/4*(A+E)*(A+E))");
  CHECK(text("1.5e1*B") == "trace(15*B)");
  // the canonical text parses back to itself
  for (const std::string m : {"1/4*(A+E)*(A+E)", "-(A+E)", "A-(B+E)", "2*sym(A*E)", "-1/2*A+B"})
    CHECK(text(m) == "trace(" + m + ")");
}

TEST_CASE("atoms are deduplicated by canonical text across given and claim (Weyl at n = 3)") {
  const Ground g = ground(
      "forall i, j in 1..n with i + j - 1 <= n: "
      "lambda(i+j-1, A+E) <= lambda(i, A) + lambda(j, E)",
      3, "lambda(1, A) >= lambda( 3 , A) and gap(A) > norm(E)");
  CHECK(g.matrices.size() == 3);
  int lambdas = 0;
  for (const Atom& a : g.atoms) lambdas += a.kind == AtomKind::Lambda;
  CHECK(lambdas == 3 + 3 + 3);
  CHECK(g.atoms.size() == 9 + 2);  // and gap(A), norm(E)
  REQUIRE(g.given);
  CHECK(g.given->parts.size() == 2);
  CHECK(g.claim->parts.size() == 6);
  // E+A is a different text from A+E: a separate matrix, that is fine
  CHECK(ground("lambda(1, E+A) <= lambda(1, A+E)", 2).matrices.size() == 2);
  CHECK(ground("lambda(1, A+E) <= lambda(1, A + E)", 2).atoms.size() == 1);
}

TEST_CASE("errors name the exact position and the reason") {
  CHECK(error_of("lamda(1, A) <= 0") ==
        "claim: position 1: unknown name 'lamda' (atoms: lambda, lambda_min, gap, norm, fro, "
        "trace, rayleigh)");
  CHECK(error_of("norm(A) <= norm(A*E)") ==
        "claim: position 17: A*E is not symmetric: write sym(A*E)");
  CHECK(error_of("norm(A) <= norm((A+B)*E)") ==
        "claim: position 17: (A+B)*E is not symmetric: write sym((A+B)*E)");
  CHECK(error_of("norm(A*A*A) <= 1") ==
        "claim: position 10: three matrix factors in one product (at most two: X*X or sym(X*Y))");
  CHECK(error_of("forall i in 1..n: lambda(i+1, A) <= 1", 8) ==
        "claim: position 26: lambda index i+1 = 9 is outside 1..n for n = 8, i = 8");
  CHECK(error_of("lambda(0, A) <= 1") ==
        "claim: position 8: lambda index 0 is outside 1..n for n = 3");
  CHECK(error_of("lambda(n/2, A) <= 1") ==
        "claim: position 8: lambda index n/2 = 3/2 is not an integer (n = 3)");
  CHECK(error_of("gap(A) > 0", 1) ==
        "claim: position 1: gap(A) needs n >= 2 (lambda_2 does not exist for n = 1)");
  CHECK(error_of("gap(A) > 0", 2).empty());
  CHECK(error_of("norm(A)^2.5 <= 1") ==
        "claim: position 9: exponent must be an integer, not '2.5'");
  CHECK(error_of("norm(A)^65 <= 1") == "claim: position 9: exponent 65 is too large (at most 64)");
  CHECK(error_of("norm(A)^(-64) <= 1").empty());
  CHECK(error_of("norm(A)^n <= 1") ==
        "claim: position 9: exponent must be an integer constant (x^2, x^-1, x^(-3))");
  CHECK(error_of("norm(A) <= 1 norm(E)") ==
        "claim: position 14: unexpected 'norm' after the end of the formula");
  CHECK(error_of("norm(A) <= 1 <= 2") ==
        "claim: position 14: a comparison cannot be chained: join two with 'and'");
  CHECK(error_of("forall i in 1..n lambda(i, A) <= 1") ==
        "claim: position 18: expected ':' after the range of forall");
  CHECK(error_of("norm(A) <= 1/(2-2)") == "claim: position 14: division by zero");
  CHECK(error_of("norm(A/(1-1)) <= 1") == "claim: position 8: division by zero");
  CHECK(error_of("norm(2/(1-1)*A) <= 1") == "claim: position 8: division by zero");
  CHECK(error_of("norm(A) <= 0^-1") ==
        "claim: position 13: division by zero (0 to a negative power)");
  CHECK(error_of("lambda(1/(n-3), A) <= 1") == "claim: position 10: division by zero (n = 3)");
  CHECK(error_of("norm(2) <= 1") ==
        "claim: position 6: a number is not a matrix (there is no identity matrix)");
  CHECK(error_of("norm(C) <= 1") ==
        "claim: position 6: unknown matrix 'C' (matrices: A, B, E, sym(X*Y))");
  CHECK(error_of("A <= 1") ==
        "claim: position 1: a matrix is not a number: use an atom such as norm(A)");
  CHECK(error_of("norm(A) = 1") ==
        "claim: position 9: no equality comparison: write <= and >= (comparisons: <=, <, >=, >)");
  CHECK(error_of("norm(A)") == "claim: position 8: expected a comparison (<=, <, >=, >)");
  CHECK(error_of("") == "claim: position 1: empty claim");
  CHECK(error_of("norm(A) <= (1", 3) == "claim: position 14: expected ')'");
  CHECK(error_of("forall n in 1..2: n <= 1") ==
        "claim: position 8: 'n' is reserved and cannot be a variable");
  CHECK(error_of("forall i in 1..2: forall i in 1..2: i <= 1") ==
        "claim: position 26: variable 'i' is already bound");
  CHECK(error_of("forall i in 1..n/2: norm(A) <= i", 3) ==
        "claim: position 16: the upper bound of forall is 3/2, not an integer (n = 3)");
  CHECK(error_of("forall i in 1..norm(A): norm(A) <= i") ==
        "claim: position 16: the upper bound of forall cannot use an atom");
  CHECK(error_of("forall i in 1..n with norm(A) <= 1: norm(A) <= i") ==
        "claim: position 18: the 'with' condition of forall cannot use an atom");
  CHECK(error_of("forall i in 1..n with (forall j in 1..2: j <= i): norm(A) <= i") ==
        "claim: position 18: the 'with' condition of forall cannot contain a forall");
  CHECK(error_of("forall i in 1..n with 1/(i-2) > 0: norm(A) <= i") ==
        "claim: position 25: division by zero (n = 3, i = 2)");
  CHECK(error_of("norm(A) <= 1 and forall i in 1..n: lambda(i, A) <= 1") ==
        "claim: position 18: a forall joined by and / or must be in parentheses: (forall ...)");
  CHECK(error_of("norm(A) <= 1 and (forall i in 1..n: lambda(i, A) <= 1)").empty());
  CHECK(error_of("lambda(norm(A), A) <= 1") ==
        "claim: position 8: the index of lambda cannot use an atom");
  CHECK(error_of("sym(A*E) <= 1") == "claim: position 1: unexpected 'sym'");
  CHECK(error_of("norm(sym(A)) <= 1") ==
        "claim: position 10: sym takes a product of two matrices, sym(X*Y)");
  CHECK(error_of("norm((n)*A) <= 1") ==
        "claim: position 7: 'n' in a matrix: a matrix is scaled only by numbers");
  CHECK(error_of("norm(n*A) <= 1") ==
        "claim: position 6: 'n' in a matrix: a matrix is scaled only by numbers");
  CHECK(error_of("norm(A/n) <= 1") ==
        "claim: position 8: 'n' in a matrix: a matrix is scaled only by numbers");
  CHECK(error_of("norm(A+) <= 1") == "claim: position 8: expected a matrix, found ')'");
  CHECK(error_of("norm(A/E) <= 1") == "claim: position 8: cannot divide by a matrix");
  CHECK(error_of("norm(A) <= 1 # 2") == "claim: position 14: unexpected character '#'");
  CHECK(error_of("norm(A) <= 1.2.3") ==
        "claim: position 15: unexpected '.3' after the end of the formula");
  CHECK(error_of("norm(A) <= 1e+", 3) == "claim: position 12: malformed number '1e+'");
  // the label and the fields
  try {
    ParsedClaim::parse("gap(A) >> 0", "given");
    FAIL("no error");
  } catch (const ClaimError& e) {
    CHECK(e.label == "given");
    CHECK(e.position == 9);
    CHECK(std::string(e.what()) == "given: position 9: unexpected '>'");
  }
}

TEST_CASE("nesting beyond 1000 levels and forall beyond 10^6 instances are refused") {
  const std::string deep = std::string(1001, '(') + "norm(A)" + std::string(1001, ')') + " <= 1";
  CHECK(error_of(deep).find("nested too deeply") != std::string::npos);
  const std::string ok = std::string(900, '(') + "norm(A)" + std::string(900, ')') + " <= 1";
  CHECK(error_of(ok).empty());
  std::string chain = "norm(A)";
  for (int i = 0; i < 1001; ++i) chain += "+1";
  CHECK(error_of(chain + " <= 1").find("nested too deeply") != std::string::npos);
  std::string minus(1001, '-');
  CHECK(error_of(minus + "norm(A) <= 1").find("nested too deeply") != std::string::npos);
  CHECK(error_of("forall i, j in 1..1001: norm(A) <= i + j") ==
        "claim: position 1: this forall expands to more than 1000000 instances (n = 3)");
  // nested: the instances of all foralls together count (here the first inner one crosses)
  CHECK(error_of("forall i in 1..10: forall j in 1..999991: norm(A) <= i + j") ==
        "claim: position 20: this forall expands to more than 1000000 instances (n = 3)");
  CHECK(error_of("forall i in 1..10: forall j in 1..1000: norm(A) <= i + j").empty());
  // empty ranges are vacuously true
  const Ground g = ground("forall i in 2..1: lambda(i, A) <= 0", 3);
  CHECK(g.claim->parts.empty());
  CHECK(truth(g, points<Ival>({})) == Truth::True);
}

TEST_CASE("a '(' starts a formula only when it encloses a comparison") {
  const Ground g = ground("(norm(A) + 1) * 2 <= 3 and ((norm(A) <= 1) or (1) < norm(E))", 2);
  REQUIRE(g.claim->op == Formula::Op::And);
  CHECK(g.claim->parts[0]->op == Formula::Op::Le);
  CHECK(g.claim->parts[0]->text == "(norm(A) + 1) * 2 <= 3");
  CHECK(g.claim->parts[1]->op == Formula::Op::Or);
  CHECK(g.claim->parts[1]->parts[1]->text == "(1) < norm(E)");
  // and binds tighter than or
  const Ground h = ground("norm(A) <= 1 or norm(A) <= 2 and norm(A) <= 3", 2);
  REQUIRE(h.claim->op == Formula::Op::Or);
  CHECK(h.claim->parts[1]->op == Formula::Op::And);
}

TEST_CASE_TEMPLATE("evaluation encloses the exact value at rational atom points", I, Ival, MpIval,
                   RatIval) {
  const std::vector<std::string> exprs = {
      "lambda(1, A) + 2*lambda(2, A)/3 - trace(E)^2",
      "min(norm(A), fro(E)) * max(gap(A), 1/7) - abs(lambda_min(A+E) - 1/3)^3 / (1 + trace(A)^2)",
      "-(n*lambda(2, A))^3 + sqrt(fro(E)^2*4/9) - 0.1",
      "(lambda(1, A) - 1/3)^-2 + rayleigh(A, E)^(-1) - 1e-3*trace(A)",
      "trace(A)/trace(E) - norm(A)*(2.5E+4 - n)"};
  std::mt19937_64 rng(15);
  int checked = 0;
  for (const std::string& e : exprs) {
    const Ground g = ground(e + " <= 0", 2);
    for (int trial = 0; trial < 40; ++trial) {
      std::vector<Rational> at;
      for (std::size_t i = 0; i < g.atoms.size(); ++i)
        at.push_back(Rational(std::uniform_int_distribution<int>(-30, 30)(rng),
                              std::uniform_int_distribution<int>(1, 7)(rng)));
      const auto v = exact(*g.claim->lhs, at);
      const auto atoms = points<I>(at);
      if (!v) {
        CHECK(fim::expr::evaluate<I>(*g.claim, atoms).truth == Truth::Undefined);
        continue;
      }
      ++checked;
      // the exact value satisfies <= and >= against itself, and never < or >
      using Op = Formula::Op;
      for (Op op : {Op::Le, Op::Ge})
        CHECK(fim::expr::evaluate<I>(compare_to(*g.claim, op, *v), atoms).truth != Truth::False);
      for (Op op : {Op::Lt, Op::Gt})
        CHECK(fim::expr::evaluate<I>(compare_to(*g.claim, op, *v), atoms).truth != Truth::True);
      // and the enclosure is tight: a relative margin of 1e-9 decides
      const Rational eps = (bmp::abs(*v) + 1) / 1000000000;
      CHECK(fim::expr::evaluate<I>(compare_to(*g.claim, Op::Le, *v + eps), atoms).truth ==
            Truth::True);
      CHECK(fim::expr::evaluate<I>(compare_to(*g.claim, Op::Lt, *v - eps), atoms).truth ==
            Truth::False);
      CHECK(fim::expr::evaluate<I>(compare_to(*g.claim, Op::Gt, *v - eps), atoms).truth ==
            Truth::True);
      CHECK(fim::expr::evaluate<I>(compare_to(*g.claim, Op::Ge, *v + eps), atoms).truth ==
            Truth::False);
      if (std::is_same_v<I, RatIval> &&
          e.find("sqrt") == std::string::npos) {  // exact: ties decided
        CHECK(fim::expr::evaluate<I>(compare_to(*g.claim, Op::Le, *v), atoms).truth == Truth::True);
        CHECK(fim::expr::evaluate<I>(compare_to(*g.claim, Op::Lt, *v), atoms).truth ==
              Truth::False);
      }
    }
  }
  CHECK(checked > 150);
}

TEST_CASE_TEMPLATE("evaluation over atom intervals never refutes what holds at a point inside", I,
                   Ival, MpIval, RatIval) {
  const Ground g = ground(
      "min(norm(A), fro(E)) * max(gap(A), 1/7) - abs(lambda_min(A+E) - 1/3)^3 / (1 + trace(A)^2)"
      " + (lambda(1, A) - 1/3)^-2 <= 0",
      2);
  std::mt19937_64 rng(7);
  int decided = 0;
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<Rational> at;
    std::vector<Value<I>> atoms;
    for (std::size_t i = 0; i < g.atoms.size(); ++i) {
      at.push_back(Rational(std::uniform_int_distribution<int>(-30, 30)(rng), 7));
      const Rational r(std::uniform_int_distribution<int>(0, 3)(rng), 50);
      atoms.push_back(span<I>(at.back() - r, at.back() + r));
    }
    const auto v = exact(*g.claim->lhs, at);
    if (!v) continue;
    using Op = Formula::Op;
    const Truth le = fim::expr::evaluate<I>(compare_to(*g.claim, Op::Le, *v), atoms).truth;
    const Truth ge = fim::expr::evaluate<I>(compare_to(*g.claim, Op::Ge, *v), atoms).truth;
    CHECK(le != Truth::False);
    CHECK(ge != Truth::False);
    CHECK(le != Truth::Undefined);  // defined at the point: never certainly undefined
    decided +=
        fim::expr::evaluate<I>(compare_to(*g.claim, Op::Le, *v + 1000), atoms).truth == Truth::True;
  }
  CHECK(decided > 100);  // and the enclosures are narrow enough to decide with room to spare
}

TEST_CASE_TEMPLATE("comparisons: True and False both come, ties by the rule", I, Ival, MpIval,
                   RatIval) {
  const Ground le = ground("lambda(1, A+E) <= lambda(1, A) + norm(E)", 2);
  REQUIRE(le.atoms.size() == 3);
  CHECK(truth(le, points<I>({3, 1, 2})) == Truth::True);  // 3 <= 3: a tie holds
  CHECK(truth(le, points<I>({Rational(7, 2), 1, 2})) == Truth::False);
  std::vector<Value<I>> wide = points<I>({3, 1, 2});
  wide[0] = span<I>(2, 4);
  CHECK(truth(le, wide) == Truth::Unknown);
  const Ground lt = ground("lambda(1, A+E) < lambda(1, A) + norm(E)", 2);
  CHECK(truth(lt, points<I>({3, 1, 2})) == Truth::False);  // 3 < 3 fails
  CHECK(truth(lt, points<I>({Rational(5, 2), 1, 2})) == Truth::True);
  const Ground ge = ground("lambda(1, A+E) >= lambda(1, A) + norm(E)", 2);
  CHECK(truth(ge, points<I>({3, 1, 2})) == Truth::True);
  CHECK(truth(ge, points<I>({Rational(5, 2), 1, 2})) == Truth::False);
  const Ground gt = ground("lambda(1, A+E) > lambda(1, A) + norm(E)", 2);
  CHECK(truth(gt, points<I>({3, 1, 2})) == Truth::False);
  CHECK(truth(gt, points<I>({Rational(7, 2), 1, 2})) == Truth::True);
  // an unbounded atom (RatIval: the whole line) decides nothing
  std::vector<Value<I>> whole = points<I>({3, 1, 2});
  whole[2].x = fim::expr::ops::entire(fim::expr::ops::Tag<I>{});
  CHECK(truth(le, whole) == Truth::Unknown);
  // a False names its comparison and the atoms it used
  const Ground w = ground("forall i in 1..n: lambda(i, A) <= lambda(i, E)", 2);
  const Evaluation ev = fim::expr::evaluate<I>(*w.claim, points<I>({0, 1, 3, 2}));
  CHECK(ev.truth == Truth::False);
  CHECK(ev.where == "i = 2");
  CHECK(ev.text == "lambda(2, A) <= lambda(2, E)");
  CHECK(ev.atoms_used == std::vector<int>{2, 3});
  CHECK(ev.why.find("left side") != std::string::npos);
}

TEST_CASE_TEMPLATE("four-valued and / or, and the atoms that decided", I, Ival, MpIval, RatIval) {
  // atom value per truth of "trace(X) <= 0"
  auto value = [](Truth t) {
    Value<I> v;
    if (t == Truth::True) v = span<I>(-1, -1);
    if (t == Truth::False) v = span<I>(1, 1);
    if (t == Truth::Unknown) v = span<I>(-1, 1);
    if (t == Truth::Undefined) {
      v.def = Value<I>::Def::Undefined;
      v.why = "gap(A) = 0";
    }
    return v;
  };
  const Truth all[] = {Truth::True, Truth::False, Truth::Unknown, Truth::Undefined};
  auto rank_and = [](Truth t) {
    return t == Truth::False ? 3 : t == Truth::Unknown ? 2 : t == Truth::Undefined ? 1 : 0;
  };
  auto rank_or = [](Truth t) {
    return t == Truth::True ? 3 : t == Truth::Unknown ? 2 : t == Truth::Undefined ? 1 : 0;
  };
  const Ground g_and = ground("trace(A) <= 0 and trace(B) <= 0", 2);
  const Ground g_or = ground("trace(A) <= 0 or trace(B) <= 0", 2);
  for (Truth a : all)
    for (Truth b : all) {
      CAPTURE(static_cast<int>(a));
      CAPTURE(static_cast<int>(b));
      const std::vector<Value<I>> atoms = {value(a), value(b)};
      const Evaluation e_and = fim::expr::evaluate<I>(*g_and.claim, atoms);
      const Evaluation e_or = fim::expr::evaluate<I>(*g_or.claim, atoms);
      CHECK(e_and.truth == (rank_and(a) >= rank_and(b) ? a : b));
      CHECK(e_or.truth == (rank_or(a) >= rank_or(b) ? a : b));
      if (e_and.truth != Truth::True)  // the first deciding part's atom
        CHECK(e_and.atoms_used == std::vector<int>{rank_and(a) >= rank_and(b) ? 0 : 1});
      if (e_or.truth != Truth::True) CHECK(e_or.atoms_used == std::vector<int>{0, 1});
      if (e_and.truth == Truth::Undefined) CHECK(e_and.why.find("gap(A) = 0") != std::string::npos);
    }
}

TEST_CASE_TEMPLATE("undefined and maybe-undefined values", I, Ival, MpIval, RatIval) {
  const Ground div = ground("1/trace(A) <= 1", 2);
  Evaluation e = fim::expr::evaluate<I>(*div.claim, points<I>({0}));
  CHECK(e.truth == Truth::Undefined);
  CHECK(e.why == "undefined: division by zero at position 3");
  CHECK(e.atoms_used == std::vector<int>{0});
  e = fim::expr::evaluate<I>(*div.claim, {span<I>(-1, 1)});
  CHECK(e.truth == Truth::Unknown);
  CHECK(e.why == "may be undefined: division by a value that may be 0 at position 3");
  CHECK(fim::expr::evaluate<I>(*div.claim, points<I>({2})).truth == Truth::True);
  CHECK(fim::expr::evaluate<I>(*div.claim, points<I>({Rational(1, 2)})).truth == Truth::False);

  const Ground sq = ground("sqrt(trace(A)) <= 1", 2);
  e = fim::expr::evaluate<I>(*sq.claim, {span<I>(-2, -1)});
  CHECK(e.truth == Truth::Undefined);
  CHECK(e.why == "undefined: sqrt of a negative value at position 1");
  CHECK(fim::expr::evaluate<I>(*sq.claim, {span<I>(-1, 1)}).truth == Truth::Unknown);
  CHECK(fim::expr::evaluate<I>(*sq.claim, points<I>({Rational(1, 4)})).truth == Truth::True);
  CHECK(fim::expr::evaluate<I>(*sq.claim, points<I>({4})).truth == Truth::False);

  const Ground pw = ground("trace(A)^-2 >= 1", 2);
  CHECK(fim::expr::evaluate<I>(*pw.claim, points<I>({0})).truth == Truth::Undefined);
  CHECK(fim::expr::evaluate<I>(*pw.claim, points<I>({Rational(1, 2)})).truth == Truth::True);

  // an atom the caller marks undefined (rayleigh without a simple top eigenvalue)
  const Ground ry = ground("rayleigh(A, E) <= norm(E)", 2);
  std::vector<Value<I>> atoms = points<I>({0, 1});
  atoms[0].def = Value<I>::Def::Undefined;
  atoms[0].why = "gap(A) = 0 is certified";
  e = fim::expr::evaluate<I>(*ry.claim, atoms);
  CHECK(e.truth == Truth::Undefined);
  CHECK(e.why == "undefined: gap(A) = 0 is certified at position 1");
  atoms[0].def = Value<I>::Def::MaybeUndefined;
  CHECK(fim::expr::evaluate<I>(*ry.claim, atoms).truth == Truth::Unknown);
  // Undefined wins over MaybeUndefined in one expression
  const Ground both = ground("rayleigh(A, E) + 1/norm(E) <= 1", 2);
  atoms = points<I>({0, 0});
  atoms[0].def = Value<I>::Def::MaybeUndefined;
  CHECK(fim::expr::evaluate<I>(*both.claim, atoms).truth == Truth::Undefined);
  // n-dependent division: Undefined at evaluation, not an error
  const Ground nd = ground("norm(A) / (n - 2) <= 1", 2);
  CHECK(fim::expr::evaluate<I>(*nd.claim, points<I>({1})).truth == Truth::Undefined);
}

TEST_CASE("violation_margin: positive exactly where the claim looks false") {
  const Ground le = ground("lambda(1, A+E) <= lambda(1, A) + norm(E)", 2);
  CHECK(fim::expr::violation_margin(*le.claim, {4, 1, 2}) == doctest::Approx(1.0 / 8));
  CHECK(fim::expr::violation_margin(*le.claim, {2, 1, 2}) < 0);
  const Ground ge = ground("lambda(1, A+E) >= lambda(1, A) + norm(E)", 2);
  CHECK(fim::expr::violation_margin(*ge.claim, {4, 1, 2}) < 0);
  CHECK(fim::expr::violation_margin(*ge.claim, {2, 1, 2}) > 0);
  const Ground both = ground("trace(A) <= 0 and trace(B) <= 0", 2);
  CHECK(fim::expr::violation_margin(*both.claim, {-1, 1}) > 0);  // one part false: and is false
  const Ground either = ground("trace(A) <= 0 or trace(B) <= 0", 2);
  CHECK(fim::expr::violation_margin(*either.claim, {-1, 1}) < 0);  // one part true: or is true
  CHECK(fim::expr::violation_margin(*either.claim, {1, 1}) > 0);
  const Ground div = ground("1/trace(A) <= 0", 2);
  CHECK(fim::expr::violation_margin(*div.claim, {0}) < 0);  // undefined: not a violation
}

namespace {
const char* const kKyFan =
    "forall k in 1..n: sum(i in 1..k: lambda(i, A+E)) <= sum(i in 1..k: lambda(i, A)) + "
    "sum(i in 1..k: lambda(i, E))";
}  // namespace

TEST_CASE("sum: Ky Fan for k in 1..n expands into additions of its instances (n = 4)") {
  const Ground g = ground(kKyFan, 4);
  CHECK(matrix_texts(g) == std::vector<std::string>{"A+E", "A", "E"});
  std::vector<std::string> expected;
  for (int i = 1; i <= 4; ++i)
    for (const char* m : {"A+E", "A", "E"})
      expected.push_back("lambda(" + std::to_string(i) + ", " + m + ")");
  CHECK(atom_texts(g) == expected);  // each atom once, however many instances use it
  REQUIRE(g.claim->parts.size() == 4);
  CHECK(g.claim->parts[1]->where == "k = 2");
  CHECK(g.claim->parts[1]->text ==
        "sum(i in 1..2: lambda(i, A+E)) <= sum(i in 1..2: lambda(i, A)) + "
        "sum(i in 1..2: lambda(i, E))");
  // at point values, each side is the partial sum of its atoms
  std::vector<Rational> at;
  for (int a = 0; a < 12; ++a) at.push_back(Rational(a * a - 7, a + 1));
  for (int k = 1; k <= 4; ++k) {
    Rational lhs = 0, rhs = 0;
    for (int i = 0; i < k; ++i) lhs += at[3 * i], rhs += at[3 * i + 1] + at[3 * i + 2];
    CHECK(exact(*g.claim->parts[k - 1]->lhs, at) == lhs);
    CHECK(exact(*g.claim->parts[k - 1]->rhs, at) == rhs);
  }
  CHECK(ground(kKyFan, 1).claim->parts.size() == 1);
}

TEST_CASE_TEMPLATE("sum: Ky Fan evaluates over point values, True and False", I, Ival, MpIval,
                   RatIval) {
  const Ground g = ground(kKyFan, 4);
  // lambda(i, A+E), lambda(i, A), lambda(i, E) for i = 1..4: A = diag(4,3,2,1), E = diag(1,0,0,-1)
  const Rational a[] = {5, 3, 2, 0}, b[] = {4, 3, 2, 1}, c[] = {1, 0, 0, -1};
  std::vector<Rational> at;
  for (int i = 0; i < 4; ++i) at.insert(at.end(), {a[i], b[i], c[i]});
  CHECK(truth(g, points<I>(at)) == Truth::True);  // every partial sum is a tie: 5, 8, 10, 10
  at[6] = Rational(5, 2);                         // lambda(3, A+E) = 5/2: k = 3 fails first
  const Evaluation e = fim::expr::evaluate<I>(*g.claim, points<I>(at));
  CHECK(e.truth == Truth::False);
  CHECK(e.where == "k = 3");
  CHECK(e.atoms_used == std::vector<int>{0, 3, 6, 1, 4, 7, 2, 5, 8});
  at[6] = 2, at[9] = 1;  // lambda(4, A+E) = 1: only k = 4 fails
  CHECK(fim::expr::evaluate<I>(*g.claim, points<I>(at)).where == "k = 4");
  // a long sum evaluates (its additions are a balanced tree, not a chain 10^5 deep)
  const Ground big = ground("sum(i in 1..100000: lambda(1, A)) <= 100000 * lambda(1, A)", 2);
  CHECK(big.atoms.size() == 1);
  CHECK(truth(big, points<I>({Rational(1, 4)})) != Truth::False);
  CHECK(truth(big, points<I>({1})) == Truth::True);
  const Ground over = ground("sum(i in 1..100000: lambda(1, A)) <= 99999 * lambda(1, A)", 2);
  CHECK(truth(over, points<I>({1})) == Truth::False);
}

TEST_CASE("sum: empty ranges are 0, atom-free sums are folded exactly") {
  const Ground g = ground("sum(i in 1..0: lambda(i, A)) <= 0", 3);
  CHECK(g.atoms.empty());
  REQUIRE(g.claim->lhs->op == Scalar::Op::Num);
  CHECK(g.claim->lhs->value == 0);
  CHECK(truth(g, points<Ival>({})) == Truth::True);
  CHECK(truth(ground("sum(i in n..1: i) < 0", 3), points<Ival>({})) == Truth::False);
  // k = 0 gives the empty sum in one instance
  const Ground z = ground("forall k in 0..n: sum(i in 1..k: lambda(i, A)) >= k * lambda_min(A)", 2);
  REQUIRE(z.claim->parts.size() == 3);
  CHECK(z.claim->parts[0]->lhs->op == Scalar::Op::Num);
  const Ground f = ground("sum(i in 1..n: i^2) <= 14 and sum(i in 1..n: i^2) < 14", 3);
  CHECK(f.claim->parts[0]->lhs->op == Scalar::Op::Num);
  CHECK(f.claim->parts[0]->lhs->value == 14);
  CHECK(truth(f, points<Ival>({})) == Truth::False);  // 14 < 14 fails
  // a sum inside an index or a bound
  CHECK(atom_texts(ground("lambda(sum(i in 1..2: i), A) <= 0", 3)) ==
        std::vector<std::string>{"lambda(3, A)"});
  CHECK(ground("forall k in 1..sum(i in 1..n: 1): lambda(k, A) <= 0", 3).claim->parts.size() == 3);
  // a sum of a value undefined at one instance stays an operation: evaluation says why
  const Ground u = ground("sum(i in 1..n: lambda(i, A) / (i - 2)) <= 0", 3);
  CHECK(fim::expr::evaluate<Ival>(*u.claim, points<Ival>({1, 1, 1})).truth == Truth::Undefined);
}

TEST_CASE("sum: a with-condition selects instances; '(' around it starts a scalar") {
  CHECK(atom_texts(ground("sum(i in 1..n with i >= 2 and i <= n - 1: lambda(i, A)) <= 0", 4)) ==
        std::vector<std::string>{"lambda(2, A)", "lambda(3, A)"});
  CHECK(atom_texts(ground("sum(i in 1..n with (i <= 1 or i >= n): lambda(i, A)) <= 0", 4)) ==
        std::vector<std::string>{"lambda(1, A)", "lambda(4, A)"});
  const Ground g = ground("(sum(i in 1..n with i <= 2: trace(A)) + 1) * 2 <= 3", 4);
  REQUIRE(g.claim->op == Formula::Op::Le);
  CHECK(exact(*g.claim->lhs, {Rational(1, 3)}) == Rational(10, 3));
  // a forall variable in the condition and the bounds
  const Ground w = ground("forall k in 1..n: sum(i in k..n with i > k: lambda(i, A)) >= 0", 3);
  CHECK(atom_texts(w) == std::vector<std::string>{"lambda(2, A)", "lambda(3, A)"});
  REQUIRE(w.claim->parts.size() == 3);
  CHECK(exact(*w.claim->parts[0]->lhs, {2, 5}) == 7);
  CHECK(exact(*w.claim->parts[1]->lhs, {2, 5}) == 5);
  CHECK(w.claim->parts[2]->lhs->op == Scalar::Op::Num);  // k = 3: no i > 3 in 3..3
}

TEST_CASE("sum: nested sums, and sibling sums may reuse a name") {
  const Ground g = ground("sum(i in 1..n: sum(j in 1..i: lambda(j, A))) <= 0", 3);
  CHECK(atom_texts(g) ==
        std::vector<std::string>{"lambda(1, A)", "lambda(2, A)", "lambda(3, A)"});
  CHECK(exact(*g.claim->lhs, {100, 10, 1}) == 321);  // 3 a1 + 2 a2 + a3
  const Ground h = ground("sum(i in 1..n: sum(j in i..n: i * j)) <= 25", 3);
  CHECK(h.claim->lhs->value == 25);  // 1+2+3 + 4+6 + 9
  CHECK(truth(h, points<Ival>({})) == Truth::True);
  CHECK(truth(ground("sum(i in 1..n: sum(j in i..n: i * j)) <= 25", 4), points<Ival>({})) ==
        Truth::False);
  const Ground s = ground("sum(i in 1..2: lambda(i, A)) <= sum(i in 1..2: lambda(i, E))", 2);
  CHECK(s.atoms.size() == 4);
}

TEST_CASE("sum: errors name the exact position and the reason") {
  CHECK(error_of("sum(i in 1..n/2: lambda(i, A)) <= 1", 3) ==
        "claim: position 13: the upper bound of sum is 3/2, not an integer (n = 3)");
  CHECK(error_of("sum(i in 1/2..n: i) <= 1", 3) ==
        "claim: position 10: the lower bound of sum is 1/2, not an integer (n = 3)");
  CHECK(error_of("forall i in 1..n: sum(i in 1..n: lambda(i, A)) <= 1") ==
        "claim: position 23: variable 'i' is already bound");
  CHECK(error_of("sum(i in 1..n: sum(i in 1..2: lambda(i, A))) <= 1") ==
        "claim: position 20: variable 'i' is already bound");
  CHECK(error_of("sum(i in 1..n lambda(i, A)) <= 1") ==
        "claim: position 15: expected ':' after the range of sum");
  CHECK(error_of("sum(i in 1..n: lambda(i, A) <= 1") ==
        "claim: position 29: expected ')' closing sum before '<='");
  CHECK(error_of("sum i in 1..n: 1 <= 1") == "claim: position 5: expected '(' after 'sum' before 'i'");
  CHECK(error_of("sum(1 in 1..n: 1) <= 1") ==
        "claim: position 5: expected a variable name after 'sum('");
  CHECK(error_of("sum(n in 1..2: 1) <= 1") ==
        "claim: position 5: 'n' is reserved and cannot be a variable");
  CHECK(error_of("forall sum in 1..2: norm(A) <= 1") ==
        "claim: position 8: 'sum' is reserved and cannot be a variable");
  CHECK(error_of("sum(i 1..n: 1) <= 1") ==
        "claim: position 7: expected 'in' after the variable of sum");
  CHECK(error_of("sum(i in 1 n: 1) <= 1") ==
        "claim: position 12: expected '..' between the bounds of sum before 'n'");
  CHECK(error_of("sum(i in 1..norm(A): 1) <= 1") ==
        "claim: position 13: the upper bound of sum cannot use an atom");
  CHECK(error_of("sum(i in 1..n with norm(A) <= 1: lambda(i, A)) <= 1") ==
        "claim: position 15: the 'with' condition of sum cannot use an atom");
  CHECK(error_of("sum(i in 1..n with (forall j in 1..2: j <= i): 1) <= 1") ==
        "claim: position 15: the 'with' condition of sum cannot contain a forall");
  CHECK(error_of("sum(i in 1..n: lambda(i, A)) <= i") ==
        "claim: position 33: unknown name 'i' (atoms: lambda, lambda_min, gap, norm, fro, trace, "
        "rayleigh)");
  CHECK(error_of("sum(i in 1..n+1: lambda(i, A)) <= 1", 3) ==
        "claim: position 25: lambda index i = 4 is outside 1..n for n = 3, i = 4");
  CHECK(error_of("forall k in 1..n: sum(i in 1..k: lambda(i+1, A)) <= 1", 3) ==
        "claim: position 41: lambda index i+1 = 4 is outside 1..n for n = 3, k = 3, i = 3");
  CHECK(error_of("lambda(sum(i in 1..n: 1/(i-2)), A) <= 1", 3) ==
        "claim: position 25: division by zero (n = 3, i = 2)");
  CHECK(error_of("sum(i in 1..n with 1/(i-2) > 0: lambda(i, A)) <= 1", 3) ==
        "claim: position 22: division by zero (n = 3, i = 2)");
  CHECK(error_of("norm(sum(i in 1..2: 1)*A) <= 1") ==
        "claim: position 6: 'sum' in a matrix: a matrix is scaled only by numbers");
  CHECK(error_of("sum(i in 1..n: norm(A) <= 1) <= 1") ==
        "claim: position 24: expected ')' closing sum before '<='");
}

TEST_CASE("sum: instances count against the same 10^6 limit as forall's") {
  CHECK(error_of("sum(i in 1..1000001: lambda(1, A)) <= 1") ==
        "claim: position 1: this sum expands to more than 1000000 instances (n = 3)");
  CHECK(error_of("sum(i in 1..1000001: i) <= 1") ==
        "claim: position 1: this sum expands to more than 1000000 instances (n = 3)");
  // forall's 10 instances and the sums' together (the tenth sum crosses)
  CHECK(error_of("forall k in 1..10: sum(i in 1..100000: i) >= k") ==
        "claim: position 20: this sum expands to more than 1000000 instances (n = 3, k = 10)");
  CHECK(error_of("forall k in 1..10: sum(i in 1..99999: i) >= k").empty());
  // the outer sum's 2 instances and the first inner one's 999999
  CHECK(error_of("sum(i in 1..n: sum(j in 1..999999: j)) >= 0", 2) ==
        "claim: position 16: this sum expands to more than 1000000 instances (n = 2, i = 1)");
  CHECK(error_of("sum(i in 1..n: sum(j in 1..499999: j)) >= 0", 2).empty());
}
