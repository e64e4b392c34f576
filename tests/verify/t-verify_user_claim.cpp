// user-claim certificates (proofs/verify.md, section 5.5), built by hand from small diagonal
// matrices whose spectra are known: each check is shown confirming a true counterexample and
// catching a wrong one (a false bound, a given not certified, a forged vector, a malformed text).
#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "verify/verify.hpp"

using fim::verify::Status;
using fim::verify::verify_certificate;
using nlohmann::json;

namespace {

std::string hex(double x) {
  char b[64];
  std::snprintf(b, sizeof b, "%a", x);
  return b;
}

// The diagonal matrix diag(d) in hex floats.
json diag(const std::vector<double>& d) {
  json m = json::array();
  for (std::size_t i = 0; i < d.size(); ++i) {
    json row = json::array();
    for (std::size_t j = 0; j < d.size(); ++j) row.push_back(hex(i == j ? d[i] : 0.0));
    m.push_back(row);
  }
  return m;
}

json lambda_bound(const std::string& m, int k, const char* lo, const char* hi) {
  json b = {{"atom", "lambda"}, {"matrix", m}, {"index", k}};
  if (lo) b["lower"] = lo;
  if (hi) b["upper"] = hi;
  return b;
}

json cert(const std::string& statement, const json& matrices, const json& bounds, const json& given = nullptr,
          const json& psd = json::array(), const std::string& where = "") {
  return {{"fimcheck_certificate", 2}, {"kind", "user-claim"}, {"claim", "user"}, {"variant", "stated"},
          {"where", where}, {"statement", statement}, {"given", given}, {"psd", psd},
          {"matrices", matrices}, {"bounds", bounds}};
}

// A = diag(2, 1), E = I: lambda_1(A+E) = 3 > 2 = lambda_1(A).
json monotone_false() {
  return cert("lambda(1, A+E) <= lambda(1, A)", {{"A", diag({2, 1})}, {"E", diag({1, 1})}},
              {lambda_bound("A+E", 1, "3", nullptr), lambda_bound("A", 1, nullptr, "2")});
}

bool has(const fim::verify::Check& c, const std::string& part) { return c.reason.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a false claim is confirmed, and the line says what is refuted") {
  const auto c = verify_certificate(monotone_false());
  CHECK(c.status == Status::Confirmed);
  CHECK(has(c, "the claim 'lambda(1, A+E) <= lambda(1, A)' is false at n = 2"));
  CHECK(has(c, "the left side is >= 3, the right side <= 2"));
  json w = monotone_false();
  w["where"] = "i = 1";
  CHECK(has(verify_certificate(w), "is false at n = 2 (where i = 1):"));
  // a bound is matched by its exact matrix, never by its text: E+A is A+E, 2*A-A+E too
  json t = monotone_false();
  t["bounds"][0]["matrix"] = "2*A-A+E";
  CHECK(verify_certificate(t).status == Status::Confirmed);
  // a bound on another matrix (A-E) leaves lambda(1, A+E) the whole line
  t["bounds"][0]["matrix"] = "A-E";
  t["bounds"][0]["lower"] = "1";
  const auto u = verify_certificate(t);
  CHECK(u.status == Status::NotConfirmed);
  CHECK(has(u, "is not certified false at n = 2: it is unknown"));
}

TEST_CASE("a true Weyl-type claim is never confirmed, whatever the certificate says") {
  const std::string weyl = "forall i, j in 1..n with i + j - 1 <= n: lambda(i+j-1, A+E) <= lambda(i, A) + lambda(j, E)";
  const json m = {{"A", diag({3, 2, 1})}, {"E", diag({1, 0, 0})}};  // A+E = diag(4, 2, 1)
  // the forged bound lambda_1(A+E) >= 5 would refute i = j = 1: 5 > 3 + 1
  json forged = cert(weyl, m, {lambda_bound("A+E", 1, "5", nullptr), lambda_bound("A", 1, nullptr, "3"),
                               lambda_bound("E", 1, nullptr, "1")}, nullptr, json::array(), "i = 1, j = 1");
  const auto c = verify_certificate(forged);
  CHECK(c.status == Status::NotConfirmed);
  CHECK(has(c, "bounds[0]: lambda_1(A+E) >= 5 is false (exact inertia count)"));
  // true bounds: the instance i = j = 1 holds and the others are unknown, so nothing is refuted
  forged["bounds"][0]["lower"] = "4";
  const auto d = verify_certificate(forged);
  CHECK(d.status == Status::NotConfirmed);
  CHECK(has(d, "is not certified false at n = 3"));
}

TEST_CASE("the given must be certified true") {
  json g = monotone_false();
  g["given"] = "lambda(2, A) >= 5";  // false: lambda_2(A) = 1
  g["bounds"].push_back(lambda_bound("A", 2, nullptr, "1"));
  const auto c = verify_certificate(g);
  CHECK(c.status == Status::NotConfirmed);
  CHECK(has(c, "the given 'lambda(2, A) >= 5' is not certified true at n = 2: it is false"));
  g["given"] = "lambda(2, A) >= 1/2";  // true, and certified by a lower bound
  g["bounds"][2]["lower"] = "1";
  const auto ok = verify_certificate(g);
  CHECK(ok.status == Status::Confirmed);
  CHECK(has(ok, "under the given 'lambda(2, A) >= 1/2' (certified true)"));
  g["bounds"].erase(2);  // true but without a bound: unknown
  const auto u = verify_certificate(g);
  CHECK(u.status == Status::NotConfirmed);
  CHECK(has(u, "is not certified true at n = 2: it is unknown"));
  g["given"] = "trace(A) > 1/(n-2)";  // division by 0: undefined
  const auto d = verify_certificate(g);
  CHECK_MESSAGE(has(d, "it is undefined ('trace(A) > 1/(n-2)' is undefined: division by 0 at position 13)"), d.reason);
}

TEST_CASE("a false bound is named; a PSD name that is not PSD is caught") {
  json b = monotone_false();
  b["bounds"][1]["upper"] = "3/2";  // lambda_1(A) = 2
  const auto c = verify_certificate(b);
  CHECK(c.status == Status::NotConfirmed);
  CHECK(has(c, "bounds[1]: lambda_1(A) <= 3/2 is false (exact inertia count)"));
  json p = monotone_false();
  p["psd"] = {"A"};
  CHECK(verify_certificate(p).status == Status::Confirmed);
  p["matrices"]["E"] = diag({1, -1});
  p["psd"] = {"A", "E"};
  p["bounds"][0]["lower"] = "2";  // A+E = diag(3, 0): still 3 >= 2 > ... not enough; the PSD check comes first
  const auto q = verify_certificate(p);
  CHECK(q.status == Status::NotConfirmed);
  CHECK(has(q, "the matrix E the run made PSD has 1 negative eigenvalue(s)"));
  p["psd"] = {"B"};
  CHECK(verify_certificate(p).status == Status::Refused);
}

namespace {
// A = diag(3, 1) (top eigenvector e1), E = diag(1, -1): rayleigh(A, E) = 1.
json rayleigh_cert(const json& vec, const char* u2, const std::string& statement = "rayleigh(A, E) <= 1/2") {
  json r = {{"atom", "rayleigh"}, {"matrix", "A"}, {"matrix2", "E"}, {"vector", vec}, {"lambda2_upper", u2}};
  return cert(statement, {{"A", diag({3, 1})}, {"E", diag({1, -1})}},
              {r, lambda_bound("E", 1, nullptr, "1"), lambda_bound("E", 2, "-1", nullptr)});
}
}  // namespace

TEST_CASE("rayleigh atoms: the sin-theta enclosure") {
  CHECK(verify_certificate(rayleigh_cert({"0x1p+0", "0x0p+0"}, "1")).status == Status::Confirmed);
  // x = (1, t), t = 2^-10: sin^2 = t^2 exactly, tau = (1 - t^2)/(1 + t^2), S = 2, so the enclosure's
  // lower end is tau - 2t = 535821823/536871424 (by hand), still > 1/2
  const auto p = verify_certificate(rayleigh_cert({"0x1p+0", "0x1p-10"}, "1"));
  CHECK(p.status == Status::Confirmed);
  CHECK_MESSAGE(has(p, "the left side is >= 535821823/536871424, the right side <= 1/2"), p.reason);
  // ... but it cannot refute rayleigh(A, E) <= 0.999: the enclosure is too wide by then
  CHECK(verify_certificate(rayleigh_cert({"0x1p+0", "0x1p-10"}, "1", "rayleigh(A, E) <= 0.999")).status == Status::NotConfirmed);
  // a forged vector (1, 1): rho = 2, sin^2 = 1, the enclosure [-2, 2] refutes nothing
  CHECK(verify_certificate(rayleigh_cert({"0x1p+0", "0x1p+0"}, "1", "rayleigh(A, E) <= -1/2")).status == Status::NotConfirmed);
  // lambda2_upper below lambda_2(A) = 1: named as false
  const auto u = verify_certificate(rayleigh_cert({"0x1p+0", "0x0p+0"}, "1/2"));
  CHECK(u.status == Status::NotConfirmed);
  CHECK(has(u, "bounds[0]: lambda_2(A) <= 1/2 is false"));
  // rho <= u2: the bottom eigenvector e2 has rho = 1 = u2, which shows no gap
  const auto r = verify_certificate(rayleigh_cert({"0x0p+0", "0x1p+0"}, "1"));
  CHECK(r.status == Status::NotConfirmed);
  CHECK(has(r, "is not above lambda2_upper"));
  // rayleigh without a bound may be undefined, so even 0 * rayleigh(A, E) decides nothing
  json z = rayleigh_cert({"0x1p+0", "0x0p+0"}, "1", "0 * rayleigh(A, E) <= -1");
  CHECK(verify_certificate(z).status == Status::Confirmed);
  z["bounds"].erase(0);
  const auto zu = verify_certificate(z);
  CHECK(zu.status == Status::NotConfirmed);
  CHECK(has(zu, "it is unknown ('0*rayleigh(A,E) <= -1': no rayleigh bound shows"));
  // without the spread of E the bound is malformed
  json s = rayleigh_cert({"0x1p+0", "0x0p+0"}, "1");
  s["bounds"].erase(2);
  CHECK(verify_certificate(s).status == Status::Refused);
}

TEST_CASE("forall over an index outside 1..n, and the limits, are refused") {
  const json m = {{"A", diag({2, 1})}};
  const auto c = verify_certificate(cert("forall i in 1..n+1: lambda(i, A) <= 10", m, json::array()));
  CHECK(c.status == Status::Refused);
  CHECK(has(c, "claim: position 21: lambda index i = 3 is outside 1..n for n = 2"));
  CHECK(verify_certificate(cert("forall i, j in 1..1000: trace(A) >= 0", m, json::array())).status == Status::Refused);
  CHECK(verify_certificate(cert("forall i in 1..100000: trace(A) < 0", m, json::array())).status == Status::Confirmed);
  CHECK(verify_certificate(cert(std::string(4000, ' ') + "trace(A) < 0" + std::string(100, ' '), m, json::array())).status == Status::Refused);
  std::string deep = std::string(201, '(') + "trace(A)" + std::string(201, ')') + " < 0";
  CHECK(has(verify_certificate(cert(deep, m, json::array())), "nested deeper than 200"));
  // an empty range is vacuously true
  CHECK(verify_certificate(cert("forall i in 3..2: trace(A) < 0", m, json::array())).status == Status::NotConfirmed);
}

TEST_CASE("malformed texts are refused with their position") {
  const json m = {{"A", diag({2, 1})}, {"E", diag({1, 1})}};
  const auto bad = [&](const std::string& text, const std::string& reason) {
    const auto c = verify_certificate(cert(text, m, json::array()));
    CHECK(c.status == Status::Refused);
    CHECK_MESSAGE(has(c, reason), c.reason);
  };
  bad("lambda(1, A+E) <=", "claim: position 18: unexpected end of text");
  bad("lambda(1, A*E) <= trace(E)", "claim: position 11: A*E is not symmetric: write sym(A*E)");
  bad("lambda(1, A*A*A) <= trace(E)", "claim: position 15: a product of three or more matrices");
  bad("lambda(1, 2) <= trace(A+E)", "claim: position 11: a number is not a matrix");
  bad("x <= trace(A+E)", "claim: position 1: unknown name 'x'");
  bad("(trace(A) <= 1", "claim: position 15: ')' expected");
  bad("trace(A) = 1", "claim: position 10: a comparison");
  bad("forall i in 1..lambda(1, A): trace(A+E) < 0", "claim: position 16: the atom lambda cannot appear in a forall bound");
  bad("trace(A)^65 < 1", "exponent beyond 64");
  json g = cert("trace(A) < 0", m, json::array(), "trace(A) <");
  CHECK(has(verify_certificate(g), "given: position 11"));
  // a parenthesized formula and a parenthesized scalar are both read
  CHECK(verify_certificate(cert("((trace(A) + 1) < 0 or (trace(E) <= 1))", m, json::array())).status == Status::Confirmed);
  CHECK(verify_certificate(cert("trace(sym(A*E)) < 3 and fro(2*A) < 4", m, json::array())).status == Status::Confirmed);
  // X*X is read as a square whatever the parentheses around X; sym(X*Y) is (XY + YX)/2
  CHECK(verify_certificate(cert("trace(((A+E))*(A+E)) < 13", m, json::array())).status == Status::Confirmed);  // 9 + 4
  CHECK(verify_certificate(cert("trace(1/2*(A-E)*(A-E)) < 1/2", m, json::array())).status == Status::Confirmed);  // (1 + 0)/2
}

TEST_CASE("matrices of different sizes, extra or missing matrices are refused") {
  json c = monotone_false();
  c["matrices"]["E"] = diag({1, 1, 1});
  CHECK(has(verify_certificate(c), "differ in size"));
  c = monotone_false();
  c["matrices"]["B"] = diag({1, 1});
  CHECK(verify_certificate(c).status == Status::Refused);
  c = monotone_false();
  c["matrices"].erase("E");
  CHECK(verify_certificate(c).status == Status::Refused);
}

TEST_CASE("an atom without a bound is the whole line, unless the rest decides") {
  json c = monotone_false();
  c["bounds"].erase(1);  // no bound on lambda_1(A)
  CHECK(verify_certificate(c).status == Status::NotConfirmed);
  const json m = {{"A", diag({2, 1})}};
  // the conjunction is false by its exact part, whatever lambda_2(A) is
  CHECK(verify_certificate(cert("trace(A) <= 0 and lambda(2, A) >= 100", m, json::array())).status == Status::Confirmed);
  // the disjunction needs both parts false
  CHECK(verify_certificate(cert("trace(A) <= 0 or lambda(2, A) >= 100", m, json::array())).status == Status::NotConfirmed);
  // gap and norm from lambda bounds; fro exactly: fro(A) = sqrt(5) < 2.237
  const json b = {lambda_bound("A", 1, "2", "2"), lambda_bound("A", 2, "1", "1")};
  CHECK(verify_certificate(cert("gap(A) > 1 or norm(A) < 2 or fro(A) >= 2.237", m, b)).status == Status::Confirmed);
  CHECK(verify_certificate(cert("fro(A) <= 2.236", m, b)).status == Status::Confirmed);
  CHECK(verify_certificate(cert("fro(A) <= 2.2361", m, b)).status == Status::NotConfirmed);
}

namespace {
const std::string kKyFan =
    "forall k in 1..n: sum(i in 1..k: lambda(i, A+E)) <= sum(i in 1..k: lambda(i, A)) + sum(i in 1..k: lambda(i, E))";

// A = diag(3, 2, 1), E = diag(1, 0, 0), A+E = diag(4, 2, 1): every lambda bound exact.
json ky_fan_bounds() {
  json b = json::array();
  const char* values[3][3] = {{"4", "2", "1"}, {"3", "2", "1"}, {"1", "0", "0"}};
  const char* names[3] = {"A+E", "A", "E"};
  for (int m = 0; m < 3; ++m)
    for (int k = 1; k <= 3; ++k) b.push_back(lambda_bound(names[m], k, values[m][k - 1], values[m][k - 1]));
  return b;
}
const json kKyFanMatrices = {{"A", diag({3, 2, 1})}, {"E", diag({1, 0, 0})}};
}  // namespace

TEST_CASE("sums: a false Ky-Fan-type claim is confirmed, the true one never") {
  // the sign flipped: A = diag(2, 1), E = diag(0, 1), A+E = 2I; at k = 1, 2 >= 2 + 1 is false
  const std::string flipped =
      "forall k in 1..n: sum(i in 1..k: lambda(i, A+E)) >= sum(i in 1..k: lambda(i, A)) + sum(i in 1..k: lambda(i, E))";
  json f = cert(flipped, {{"A", diag({2, 1})}, {"E", diag({0, 1})}},
                {lambda_bound("A+E", 1, nullptr, "2"), lambda_bound("A", 1, "2", nullptr), lambda_bound("E", 1, "1", nullptr)},
                nullptr, json::array(), "k = 1");
  const auto c = verify_certificate(f);
  CHECK(c.status == Status::Confirmed);
  CHECK_MESSAGE(has(c, "at k = 1: 'sum(i in 1..k:lambda(i,A+E)) >= sum(i in 1..k:lambda(i,A))+sum(i in 1..k:lambda(i,E))' is false: "
                       "the left side is <= 2, the right side >= 3"), c.reason);
  // the same text with Ky Fan's direction is true: the same bounds refute nothing
  f["statement"] = kKyFan;
  CHECK(verify_certificate(f).status == Status::NotConfirmed);
  // Ky Fan at n = 3 with a forged bound lambda_1(A+E) >= 5 (it is 4): named as false
  json k = cert(kKyFan, kKyFanMatrices, ky_fan_bounds(), nullptr, json::array(), "k = 1");
  k["bounds"][0]["lower"] = "5";
  k["bounds"][0]["upper"] = "5";
  const auto forged = verify_certificate(k);
  CHECK(forged.status == Status::NotConfirmed);
  CHECK_MESSAGE(has(forged, "bounds[0]: lambda_1(A+E) >= 5 is false (exact inertia count)"), forged.reason);
  // with every bound exact the sums are exact, each instance holds with equality: certified true
  k["bounds"] = ky_fan_bounds();
  const auto t = verify_certificate(k);
  CHECK(t.status == Status::NotConfirmed);
  CHECK_MESSAGE(has(t, "is not certified false at n = 3: it is true"), t.reason);
}

TEST_CASE("sums: the value is the sum of the instances, a condition selects them, an empty sum is 0") {
  const json m = {{"A", diag({2, 1})}};
  const json b = {lambda_bound("A", 1, "2", "2"), lambda_bound("A", 2, "1", "1")};
  // sum of the eigenvalues = trace = 3 exactly: '<' is certified false, '<=' is not
  CHECK(verify_certificate(cert("sum(i in 1..n: lambda(i, A)) < trace(A)", m, b)).status == Status::Confirmed);
  CHECK(verify_certificate(cert("sum(i in 1..n: lambda(i, A)) <= trace(A)", m, b)).status == Status::NotConfirmed);
  // exactly 3, no more and no less: an instance counted twice (4) or dropped (2) would fail one of these
  CHECK(verify_certificate(cert("sum(i in 1..n: lambda(i, A)) > 3", m, b)).status == Status::Confirmed);
  CHECK(verify_certificate(cert("sum(i in 1..n: lambda(i, A)) >= 3", m, b)).status == Status::NotConfirmed);
  // with i >= 2 keeps lambda_2(A) = 1 only
  CHECK(verify_certificate(cert("sum(i in 1..n with i >= 2: lambda(i, A)) >= 1.5", m, b)).status == Status::Confirmed);
  CHECK(verify_certificate(cert("sum(i in 1..n with i >= 2: lambda(i, A)) >= 1", m, b)).status == Status::NotConfirmed);
  // an empty sum is exactly 0 and evaluates no instance (lambda(3, A) would be outside 1..n)
  CHECK(verify_certificate(cert("sum(i in n+1..n: lambda(i+1, A)) > 0", m, b)).status == Status::Confirmed);
  CHECK(verify_certificate(cert("sum(i in n+1..n: lambda(i+1, A)) >= 0", m, b)).status == Status::NotConfirmed);
  // nested sums over outer variables: sum_{i<=2} sum_{j<=i} j = 1 + 3 = 4
  CHECK(verify_certificate(cert("sum(i in 1..n: sum(j in 1..i: j)) * trace(A) < 12", m, b)).status == Status::Confirmed);
  CHECK(verify_certificate(cert("sum(i in 1..n: sum(j in 1..i: j)) * trace(A) < 12.5", m, b)).status == Status::NotConfirmed);
  // a lambda index out of 1..n inside a sum is refused with its position
  const auto o = verify_certificate(cert("sum(i in 1..n+1: lambda(i, A)) < 0", m, b));
  CHECK(o.status == Status::Refused);
  CHECK_MESSAGE(has(o, "claim: position 18: lambda index i = 3 is outside 1..n for n = 2"), o.reason);
}

TEST_CASE("sums: malformed ones are refused with the position") {
  const json m = {{"A", diag({2, 1})}};
  const auto bad = [&](const std::string& text, const std::string& reason) {
    const auto c = verify_certificate(cert(text, m, json::array()));
    CHECK(c.status == Status::Refused);
    CHECK_MESSAGE(has(c, reason), c.reason);
  };
  bad("sum(i in 1..n/3: lambda(i, A)) <= 10", "claim: position 1: the sum bound n/3 = 2/3 is not an integer");
  bad("trace(A) <= sum(i in 1/2..n: i)", "claim: position 13: the sum bound 1/2 = 1/2 is not an integer");
  bad("forall i in 1..n: sum(i in 1..n: lambda(i, A)) <= 10", "claim: position 23: the variable 'i' is already bound");
  bad("sum(i in 1..n: sum(i in 1..n: i)) <= 10", "claim: position 20: the variable 'i' is already bound");
  bad("sum(i in 1..n lambda(i, A)) <= 10", "claim: position 15: ':' expected, not 'lambda'");
  bad("sum(i in 1..n: lambda(i, A) <= 10", "claim: position 29: ')' expected");
  bad("sum(sum in 1..n: 1) <= 10", "claim: position 5: 'sum' is a keyword, not a variable name");
  bad("forall sum in 1..n: trace(A) <= 10", "claim: position 8: 'sum' is a keyword, not a variable name");
  bad("sum(i in 1..lambda(1, A): i) <= 10", "claim: position 13: the atom lambda cannot appear in a sum bound");
  bad("sum(i in 1..n with lambda(i, A) > 1: i) <= 10", "claim: position 20: the atom lambda cannot appear in a with condition");
  // the variable is bound inside the sum only
  bad("sum(i in 1..n: i) + i <= 10", "claim: position 21: unknown name 'i'");
}

TEST_CASE("sums: instances count against the limit of 10^5") {
  const json m = {{"A", diag({2, 1})}};
  CHECK(verify_certificate(cert("sum(i in 1..100000: trace(A)) < 0", m, json::array())).status == Status::Confirmed);
  const auto c = verify_certificate(cert("sum(i in 1..100001: trace(A)) < 0", m, json::array()));
  CHECK(c.status == Status::Refused);
  CHECK_MESSAGE(has(c, "claim: position 1: the sum expands to more than 10^5 instances"), c.reason);
  // 1000 forall instances and 1000 sums of 100: 101000 in all
  const auto f = verify_certificate(cert("forall k in 1..1000: sum(i in 1..100: trace(A)) < 0", m, json::array()));
  CHECK(f.status == Status::Refused);
  CHECK_MESSAGE(has(f, "position 22: the sum expands to more than 10^5 instances"), f.reason);
  // one budget over both texts: the given's 60000 and the claim's 50000
  json g = cert("sum(i in 1..50000: trace(A)) < 0", m, json::array(), "sum(i in 1..60000: trace(A)) > 0");
  CHECK(verify_certificate(g).status == Status::Refused);
  g["given"] = "sum(i in 1..50000: trace(A)) > 0";
  CHECK(verify_certificate(g).status == Status::Confirmed);
}
