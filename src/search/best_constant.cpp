#include "search/best_constant.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "expr/bound_expr.hpp"
#include "claims/registry.hpp"
#include "search/targeted.hpp"

namespace fim::search {
namespace {

// "1.035" for 1035: an exact decimal, so the certificate's bound is exactly c * form.
std::string thousandths(long k) {
  std::string frac = std::to_string(k % 1000);
  return std::to_string(k / 1000) + "." + std::string(3 - frac.size(), '0') + frac;
}

// Binary64 evaluates R3 with an absolute error near u (|A| + ||E||), while |R3| is of order
// ||E||^3 / g^2 (proofs/remainder.md, section 3.4): the search ignores cases where that error
// could exceed 1e-6 of the signal, so it maximizes the ratio and not its rounding noise.
bool resolvable(const claims::MatrixCase& c) {
  const Eigen::Index n = c.a.rows();
  if (n < 2) return false;
  Eigen::VectorXd f = c.a.diagonal();
  std::sort(f.data(), f.data() + n);
  const double g = f(n - 1) - f(n - 2);
  const Eigen::VectorXd ee = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(c.e, Eigen::EigenvaluesOnly).eigenvalues();
  const double eps = std::max(std::fabs(ee(0)), std::fabs(ee(n - 1)));
  const double noise = 1e-16 * (c.a.cwiseAbs().maxCoeff() + eps);
  return g > 0 && eps * eps * eps / (g * g) > 1e6 * noise;
}

ConstantBound one_form(const std::string& form, const RunOptions& run, long evaluations) {
  ConstantBound r;
  r.form = "c*" + form;
  const auto ratio = claims::remainder_with_bound(expr::BoundExpr::parse(form));  // c = 1
  const Objective objective = [&](const claims::MatrixCase& c) -> std::optional<double> {
    const auto m = ratio->approx_margin(c, "conjectured");
    if (!m) return std::nullopt;
    return resolvable(c) ? *m + 1 : -1.0;  // margin = |R3| / bound - 1 with c = 1
  };
  SearchOptions s;
  s.budget_seconds = std::numeric_limits<double>::infinity();
  s.max_evaluations = evaluations;
  const BestCase best = maximize(objective, true, run, s);
  r.starts = best.starts;
  r.evaluations = best.evaluations;
  r.estimate = best.value;
  if (!best.best || !(best.value > 0)) return r;
  const long top = static_cast<long>(std::floor(best.value * 1000));
  // The optimum tends to sit at ||E|| -> g/2, where (H2) may not certify: E shrunk a little first.
  for (double shrink : {0.0, 0x1p-40, 0x1p-24, 0x1p-16, 0x1p-10, 0x1p-6}) {
    const claims::MatrixCase c{best.best->a, best.best->e * (1 - shrink)};
    for (long k : {top, top - 1, top - 2, top - 5, top - 10, top - 50}) {
      if (k <= 0) break;
      const std::string expr = thousandths(k) + "*" + form;
      const auto claim = claims::remainder_with_bound(expr::BoundExpr::parse(expr));
      const claims::Outcome o = claims::check(*claim, c, "conjectured", run.precision);
      if (o.verdict == claims::Verdict::Violated) {
        r = {r.form, thousandths(k), expr, best.value, c, o, r.starts, r.evaluations};
        return r;
      }
      if (o.verdict != claims::Verdict::Holds) break;  // (H2) not certified here: shrink E
    }
  }
  return r;
}

}  // namespace

std::vector<ConstantBound> best_constants(const RunOptions& run, long evaluations) {
  return {one_form("normE^3/gap^2", run, evaluations),
          one_form("normE^3/(gap*(gap-2*normE))", run, evaluations)};
}

}  // namespace fim::search
