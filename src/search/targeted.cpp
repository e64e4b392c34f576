#include "search/targeted.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

namespace fim::search {
using claims::MatrixCase;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

// x <-> (A, E, B): A's diagonal (eigenbasis claims) or upper triangle, then E's upper triangle,
// then B's when the claim has one; the shape's PSD matrices are made so after unpacking.
struct Layout {
  int n;
  claims::CaseShape shape;
  bool diagonal_a() const { return shape.diagonal_a; }
  int size() const { return (diagonal_a() ? n : n * (n + 1) / 2) + (shape.with_b ? 2 : 1) * n * (n + 1) / 2; }
};

VectorXd pack(const MatrixCase& c, const Layout& l) {
  VectorXd x(l.size());
  int k = 0;
  for (int j = 0; j < l.n; ++j)
    for (int i = l.diagonal_a() ? j : 0; i <= j; ++i) x(k++) = c.a(i, j);
  for (int j = 0; j < l.n; ++j)
    for (int i = 0; i <= j; ++i) x(k++) = c.e(i, j);
  if (l.shape.with_b)
    for (int j = 0; j < l.n; ++j)
      for (int i = 0; i <= j; ++i) x(k++) = c.b(i, j);
  return x;
}

// Entries rounded to `bits` significant bits: exact binary64 values, so the candidate is exact.
double round_bits(double v, int bits) {
  if (v == 0 || !std::isfinite(v)) return 0;
  int e = 0;
  std::frexp(v, &e);
  return std::ldexp(std::nearbyint(std::ldexp(v, bits - e)), e - bits);
}

MatrixCase unpack(const VectorXd& x, const Layout& l, int bits = 53) {
  MatrixCase c{MatrixXd::Zero(l.n, l.n), MatrixXd::Zero(l.n, l.n), MatrixXd()};
  int k = 0;
  for (int j = 0; j < l.n; ++j)
    for (int i = l.diagonal_a() ? j : 0; i <= j; ++i) c.a(i, j) = c.a(j, i) = round_bits(x(k++), bits);
  for (int j = 0; j < l.n; ++j)
    for (int i = 0; i <= j; ++i) c.e(i, j) = c.e(j, i) = round_bits(x(k++), bits);
  if (l.shape.with_b) {
    c.b = MatrixXd::Zero(l.n, l.n);
    for (int j = 0; j < l.n; ++j)
      for (int i = 0; i <= j; ++i) c.b(i, j) = c.b(j, i) = round_bits(x(k++), bits);
  }
  return shaped(c, l.shape);
}

// Plain Nelder-Mead maximizing f from x0 with initial steps `step`, stopping once `evals`
// evaluations are spent (the last step may use up to m more).
template <class F>
std::pair<VectorXd, double> nelder_mead(F f, const VectorXd& x0, const VectorXd& step, int evals, long& count) {
  const int m = static_cast<int>(x0.size());
  std::vector<VectorXd> p(m + 1, x0);
  std::vector<double> v(m + 1);
  for (int i = 0; i < m; ++i) p[i + 1](i) += step(i);
  const long first = count;
  for (int i = 0; i <= m; ++i) v[i] = f(p[i]);
  count += m + 1;
  while (count - first < evals) {  // evaluations, not iterations: the budget is exact to one step
    std::vector<int> o(m + 1);
    for (int i = 0; i <= m; ++i) o[i] = i;
    std::sort(o.begin(), o.end(), [&](int a, int b) { return v[a] > v[b]; });  // best first
    const int worst = o[m];
    VectorXd centre = VectorXd::Zero(m);
    for (int i = 0; i < m; ++i) centre += p[o[i]] / m;
    const VectorXd r = centre + (centre - p[worst]);
    const double fr = f(r);
    ++count;
    if (fr > v[o[0]]) {
      const VectorXd e = centre + 2 * (centre - p[worst]);
      const double fe = f(e);
      ++count;
      p[worst] = fe > fr ? e : r;
      v[worst] = std::max(fe, fr);
    } else if (fr > v[o[m - 1]]) {
      p[worst] = r;
      v[worst] = fr;
    } else {
      const VectorXd c = centre + 0.5 * (p[worst] - centre);
      const double fc = f(c);
      ++count;
      if (fc > v[worst]) {
        p[worst] = c;
        v[worst] = fc;
      } else {  // shrink toward the best
        for (int i = 1; i <= m; ++i) {
          p[o[i]] = p[o[0]] + 0.5 * (p[o[i]] - p[o[0]]);
          v[o[i]] = f(p[o[i]]);
        }
        count += m;
      }
    }
  }
  const int best = static_cast<int>(std::max_element(v.begin(), v.end()) - v.begin());
  return {p[best], v[best]};
}

// Coarser entries while the case stays certified VIOLATED: a smaller, readable counterexample.
Counterexample simplify(const claims::Claim& claim, const RunOptions& run, const VectorXd& x,
                        const Layout& l, const claims::Outcome& first) {
  Counterexample cx;
  cx.case_index = -1;
  cx.original = cx.shrunk = unpack(x, l, 24);
  cx.outcome = first;
  for (int bits : {3, 5, 8, 12, 16, 20}) {
    const MatrixCase c = unpack(x, l, bits);
    const auto o = claims::check(claim, c, run.variant, run.precision);
    if (o.verdict == claims::Verdict::Violated) {
      cx.shrunk = c;
      cx.outcome = o;
      ++cx.shrink_steps;
      break;
    }
  }
  return cx;
}

}  // namespace

namespace {

// Nelder-Mead on `objective` from seeded starts drawn like run_cases' cases, within s's limits;
// after each start, `done(best, value, layout)` may end the search (returns true).
template <class Objective, class Done>
SearchResult each_start(const claims::CaseShape& shape, const RunOptions& run, const SearchOptions& s, Objective objective, Done done) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  SearchResult out;
  const auto gen = cases(run.family, std::max(run.dim_lo, 2), run.dim_hi, shape);
  const auto evaluations_left = [&] { return s.max_evaluations <= 0 ? long{s.evaluations_per_start} : s.max_evaluations - out.evaluations; };
  for (int k = 0; elapsed() < s.budget_seconds && evaluations_left() > 0; ++k) {
    const MatrixCase start = nth_case(gen, run.seed ^ 0x5ea4c4, k).value();
    const Layout l{static_cast<int>(start.a.rows()), shape};
    if (!objective(start)) break;  // no estimate for this claim
    const VectorXd x0 = pack(start, l);
    VectorXd step = 0.1 * x0.cwiseAbs();
    for (Eigen::Index i = 0; i < step.size(); ++i)
      if (!(step(i) > 0)) step(i) = 0.05 * std::max(1e-3, x0.cwiseAbs().maxCoeff());
    const auto value_at = [&](const VectorXd& x) {
      const auto m = objective(unpack(x, l));
      return m && std::isfinite(*m) ? *m : -1e300;
    };
    const int evals = static_cast<int>(std::min<long>(s.evaluations_per_start, evaluations_left()));
    const auto [best, value] = nelder_mead(value_at, x0, step, evals, out.evaluations);
    ++out.starts;
    out.best_margin = std::max(out.best_margin, value);
    if (done(best, value, l, out)) break;
  }
  out.seconds = elapsed();
  return out;
}

}  // namespace

SearchResult targeted_search(const claims::Claim& claim, const RunOptions& run, const SearchOptions& s) {
  const auto margin = [&](const MatrixCase& c) { return claim.approx_margin(c, run.variant); };
  return each_start(claim.shape(), run, s, margin,
                    [&](const VectorXd& best, double value, const Layout& l, SearchResult& out) {
                      if (!(value > 0)) return false;
                      const auto o = claims::check(claim, unpack(best, l, 24), run.variant, run.precision);
                      if (o.verdict != claims::Verdict::Violated) return false;
                      out.counterexample = simplify(claim, run, best, l, o);
                      return true;
                    });
}

BestCase maximize(const Objective& objective, bool diagonal_a, const RunOptions& run, const SearchOptions& s) {
  BestCase r;
  const SearchResult sr = each_start(claims::CaseShape{diagonal_a, false, ""}, run, s, objective,
                                     [&](const VectorXd& best, double value, const Layout& l, SearchResult&) {
                                       if (value > r.value) r.value = value, r.best = unpack(best, l);
                                       return false;
                                     });
  r.starts = sr.starts;
  r.evaluations = sr.evaluations;
  return r;
}

}  // namespace fim::search
