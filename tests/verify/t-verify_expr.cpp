// The verifier's bound-expression evaluator (src/verify/expr.hpp) on its own: for expressions of
// the --bound grammar and random rational ranges of the variables, the result contains the exact
// value at every sampled point (ends and interior), computed here in GMP rationals by hand. The
// false variant, evaluating at the midpoint only, is caught missing the values at the ends.
#include <doctest/doctest.h>

#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "verify/expr.hpp"
#include "verify/number.hpp"

using fim::verify::Expr;
using fim::verify::Range;

namespace {

using Vars = std::map<std::string, mpq_class>;

bool contains(const Range& r, const mpq_class& v) { return r.whole || (r.lo <= v && v <= r.hi); }

mpq_class pw(const mpq_class& x, int k) {
  mpq_class r = 1;
  for (int i = 0; i < (k < 0 ? -k : k); ++i) r *= x;
  return k < 0 ? mpq_class(1 / r) : r;
}

struct Case {
  std::string text;
  std::function<mpq_class(const Vars&)> exact;
};

// Expressions over normE in [1/100, 1/5], gap in [1/2, 2], d in [1, 3], lambda1, lambda2 in [-2, 4].
std::vector<Case> cases() {
  return {
      {"normE^3/gap^2", [](const Vars& v) { return mpq_class(pw(v.at("normE"), 3) / pw(v.at("gap"), 2)); }},
      {"2*normE^3/(gap*(gap-2*normE))",
       [](const Vars& v) { return mpq_class(2 * pw(v.at("normE"), 3) / (v.at("gap") * (v.at("gap") - 2 * v.at("normE")))); }},
      {"-(lambda1 - lambda2)^2 + d*normE", [](const Vars& v) { return mpq_class(-pw(v.at("lambda1") - v.at("lambda2"), 2) + v.at("d") * v.at("normE")); }},
      {"abs(lambda1 - 1.5) * max(gap, d) - min(lambda2, 0.25)",
       [](const Vars& v) { return mpq_class(abs(v.at("lambda1") - mpq_class(3, 2)) * std::max(v.at("gap"), v.at("d")) - std::min(v.at("lambda2"), mpq_class(1, 4))); }},
      {"gap^-2 + 1/(d + normE) - 0.125", [](const Vars& v) { return mpq_class(pw(v.at("gap"), -2) + 1 / (v.at("d") + v.at("normE")) - mpq_class(1, 8)); }},
      {"(3/7)*normE^(-1)", [](const Vars& v) { return mpq_class(mpq_class(3, 7) / v.at("normE")); }},
  };
}

// Random sub-ranges of the domains, and the points of a range: its ends and interior rationals.
Range sub_range(std::mt19937_64& rng, const mpq_class& lo, const mpq_class& hi) {
  std::uniform_int_distribution<int> u(0, 1000);
  mpq_class a = lo + (hi - lo) * mpq_class(u(rng), 1000), b = lo + (hi - lo) * mpq_class(u(rng), 1000);
  a.canonicalize();
  b.canonicalize();
  if (b < a) std::swap(a, b);
  return {a, b, false};
}
std::vector<mpq_class> points(const Range& r) {
  return {r.lo, r.hi, r.lo + (r.hi - r.lo) / 3, r.lo + (r.hi - r.lo) * mpq_class(7, 9)};
}

}  // namespace

TEST_CASE("the result contains the exact value at every point of the variables' ranges") {
  std::mt19937_64 rng(41);
  long checked = 0;
  int midpoint_caught = 0;
  for (const Case& c : cases()) {
    const Expr e = Expr::parse(c.text);
    for (int trial = 0; trial < 30; ++trial) {
      const std::map<std::string, Range> ranges = {
          {"normE", sub_range(rng, mpq_class(1, 100), mpq_class(1, 5))}, {"gap", sub_range(rng, mpq_class(1, 2), 2)},
          {"d", sub_range(rng, 1, 3)}, {"lambda1", sub_range(rng, -2, 4)}, {"lambda2", sub_range(rng, -2, 4)}};
      const Range r = e.eval(ranges);
      CAPTURE(c.text);
      REQUIRE_FALSE(r.whole);
      Vars mid;
      for (const auto& [name, range] : ranges) mid[name] = (range.lo + range.hi) / 2;
      const mpq_class at_mid = c.exact(mid);
      bool missed = false;
      // corners in normE and gap with the other variables at sampled points
      for (const auto& ne : points(ranges.at("normE")))
        for (const auto& g : points(ranges.at("gap")))
          for (const auto& l1 : points(ranges.at("lambda1"))) {
            const Vars v = {{"normE", ne}, {"gap", g}, {"d", ranges.at("d").hi}, {"lambda1", l1}, {"lambda2", ranges.at("lambda2").lo}};
            const mpq_class x = c.exact(v);
            CHECK(contains(r, x));
            missed = missed || x != at_mid;
            ++checked;
          }
      midpoint_caught += missed;
    }
  }
  CHECK(checked == 6 * 30 * 64);
  CHECK(midpoint_caught > 150);  // a point evaluation at the midpoint misses other points' values
}

TEST_CASE("ends are attained for monotone expressions: no needless widening") {
  const std::map<std::string, Range> vars = {{"normE", {mpq_class(1, 10), mpq_class(1, 5), false}},
                                             {"gap", {mpq_class(1), mpq_class(2), false}}};
  const Range r = Expr::parse("normE^3/gap^2").eval(vars);
  CHECK(r.lo == mpq_class(1, 1000) / 4);
  CHECK(r.hi == mpq_class(1, 125));
  const Range s = Expr::parse("sqrt(gap) + sqrt(4)").eval(vars);  // exact square roots where rational
  CHECK(s.lo * 1 <= 3);
  CHECK(s.hi * 1 >= 2 + mpq_class(141421, 100000));
  const Range t = Expr::parse("sqrt(4)").eval(vars);
  CHECK(t.lo * t.lo <= 4);
  CHECK(t.hi * t.hi >= 4);
  CHECK(t.hi - t.lo < mpq_class(1, 1000000));
}

TEST_CASE("the whole line where the expression may be undefined") {
  const std::map<std::string, Range> vars = {{"normE", {mpq_class(-1, 10), mpq_class(1, 5), false}}};
  CHECK(Expr::parse("1/normE").eval(vars).whole);
  CHECK(Expr::parse("normE^-2").eval(vars).whole);
  CHECK_FALSE(Expr::parse("normE^2").eval(vars).whole);
  CHECK(Expr::parse("normE^2").eval(vars).lo <= 0);
}
