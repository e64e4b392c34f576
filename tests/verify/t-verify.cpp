// The independent verifier's parts (src/verify, proofs/verify.md): the exact number reader, the
// LDL^T inertia count against hand-known spectra, and the bound-expression evaluator.
#include <doctest/doctest.h>

#include "verify/expr.hpp"
#include "verify/inertia.hpp"
#include "verify/number.hpp"
#include "verify/verify.hpp"

using fim::verify::Expr;
using fim::verify::inertia_at;
using fim::verify::Matrix;
using fim::verify::Range;
using fim::verify::read_number;
using fim::verify::Refused;

namespace {

mpq_class q(long p, long r = 1) {
  mpq_class x(p, r);
  x.canonicalize();
  return x;
}

Matrix rows(std::initializer_list<std::initializer_list<long>> r) {
  Matrix m;
  for (const auto& row : r) {
    m.emplace_back();
    for (long x : row) m.back().push_back(q(x));
  }
  return m;
}

}  // namespace

TEST_CASE("numbers are read exactly: decimals, fractions, hex floats beyond 53 bits") {
  CHECK(read_number("-12.5e-3") == q(-1, 80));
  CHECK(read_number("0.1") == q(1, 10));
  CHECK(read_number("3/6") == q(1, 2));
  CHECK(read_number("-4/8") == q(-1, 2));
  CHECK(read_number("0x1.8p-3") == q(3, 16));
  CHECK(read_number("0.10") == q(1, 10));  // a leading 0 is decimal, never octal
  CHECK(read_number("0.9") == q(9, 10));
  CHECK(read_number("010/08") == q(5, 4));
  CHECK(read_number("0x0.8p+1") == 1);
  CHECK(read_number("-0x0p+0") == 0);
  mpq_class one_plus = 1 + mpq_class(1, mpz_class(1) << 53);
  CHECK(read_number("0x1.00000000000008p+0") == one_plus);  // 54 significant bits, not rounded
  mpz_class ten400;
  mpz_ui_pow_ui(ten400.get_mpz_t(), 10, 400);
  CHECK(read_number("1e-400") == mpq_class(mpz_class(1), ten400));  // not flushed to 0
}

TEST_CASE("anything but an exact number is refused") {
  for (const char* bad : {"", "1/0", "-1/0", "2/0", "-4/-1", "1/-1", "1e5.5", "inf", "-inf", "nan", "1 ", " 1",
                          "0x1.8", "0x", "1e", "+1", "1.", ".5", "1/2/3", "0x1p+99999999", "1e999999", "12abc"})
    CHECK_THROWS_AS(read_number(bad), Refused);
}

TEST_CASE("inertia of hand-known spectra, with 1x1 and 2x2 pivots") {
  // diag(3, -1, 0): one eigenvalue above 0, one below, one at
  const auto d = inertia_at(rows({{3, 0, 0}, {0, -1, 0}, {0, 0, 0}}), 0);
  CHECK(d.above == 1);
  CHECK(d.below == 1);
  CHECK(d.at == 1);
  // [[0, 1], [1, 0]]: eigenvalues -1, 1 (a zero diagonal needs the 2x2 pivot)
  const Matrix swap = rows({{0, 1}, {1, 0}});
  CHECK(inertia_at(swap, 0).below == 1);
  CHECK(inertia_at(swap, 0).above == 1);
  CHECK(inertia_at(swap, 1).at == 1);      // 1 is an eigenvalue
  CHECK(inertia_at(swap, q(-3, 2)).above == 2);
  // [[2, 1], [1, 2]]: eigenvalues 1 and 3
  const Matrix m = rows({{2, 1}, {1, 2}});
  CHECK(inertia_at(m, 1).at == 1);
  CHECK(inertia_at(m, 1).above == 1);
  CHECK(inertia_at(m, 3).below == 1);
  CHECK(inertia_at(m, q(5, 2)).below == 1);
  CHECK(inertia_at(m, q(5, 2)).above == 1);
  // the all-ones 3x3 matrix: eigenvalues 3, 0, 0
  const Matrix ones = rows({{1, 1, 1}, {1, 1, 1}, {1, 1, 1}});
  CHECK(inertia_at(ones, 0).at == 2);
  CHECK(inertia_at(ones, 0).above == 1);
  CHECK(inertia_at(ones, q(299, 100)).above == 1);
  CHECK(inertia_at(ones, q(301, 100)).below == 3);
  // the zero matrix
  CHECK(inertia_at(rows({{0, 0}, {0, 0}}), 0).at == 2);
}

TEST_CASE("bound expressions are enclosed exactly over rational intervals") {
  const std::map<std::string, Range> vars = {{"normE", {q(1, 10), q(1, 5), false}}, {"gap", Range::point(1)}};
  const Range r = Expr::parse("2*normE^3/(gap*(gap-2*normE))").eval(vars);
  CHECK_FALSE(r.whole);
  CHECK(r.lo == q(2, 1000) / q(8, 10));  // both ends increase with normE
  CHECK(r.hi == q(16, 1000) / q(6, 10));
  CHECK(Expr::parse("normE^-1").eval(vars).hi == 10);
  CHECK(Expr::parse("(1/64)*gap").eval(vars).lo == q(1, 64));
  CHECK(Expr::parse("min(normE, 0.15) + max(gap, 2) - abs(-3)").eval(vars).lo == q(1, 10) + 2 - 3);
  const Range s = Expr::parse("sqrt(2)").eval(vars);
  CHECK(s.lo * s.lo <= 2);
  CHECK(s.hi * s.hi >= 2);
  CHECK(s.hi - s.lo < q(1, 1000000));
  CHECK(Expr::parse("1/(gap - 1)").eval(vars).whole);          // may divide by zero
  CHECK(Expr::parse("1/(normE - 0.15)").eval(vars).whole);
  CHECK(Expr::parse("sqrt(normE - 0.15)").eval(vars).whole);   // a negative part: not bounded here
  CHECK(Expr::parse("0^0").eval(vars).lo == 1);
}

TEST_CASE("malformed or oversized bound expressions are refused") {
  for (const char* bad : {"normE^2147483648", "normE^0.5", "normE^x", "foo(1)", "normE +", "(normE", "1e5.5", "lambda3"})
    CHECK_THROWS_AS(Expr::parse(bad), Refused);
  const std::map<std::string, Range> vars = {{"normE", {q(12345, 67891), q(1, 2), false}}};
  CHECK_THROWS_AS(Expr::parse("((normE^64)^64)^64").eval(vars), Refused);  // over 10^6 bits
  CHECK_THROWS_AS(Expr::parse("gap").eval(vars), Refused);                 // no value here
}

TEST_CASE("verify_text never throws: one status and a one-line reason") {
  for (const char* text : {"", "null", "[]", "{}", "{\"fimcheck_certificate\": 2}", "{\"a\": 1, \"a\": 2}",
                           "{\"fimcheck_certificate\": 1, \"kind\": \"remainder\"}"}) {
    const auto c = fim::verify::verify_text(text);
    CHECK(c.status == fim::verify::Status::Refused);
    CHECK(c.reason.find('\n') == std::string::npos);
  }
}
