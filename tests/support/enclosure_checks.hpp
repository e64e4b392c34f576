// The soundness harness: exact checks of eigenvalue, gap and norm enclosures against the exact
// inertia oracle (src/exact/inertia.hpp), and exact hex printing of counterexamples.
#pragma once
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "exact/inertia.hpp"
#include "linalg/enclosure.hpp"
#include "numeric/hex.hpp"
#include "numeric/interval.hpp"

namespace fim::oracle {

// ------------------------------------------------------------------------------------------------
// Enclosure checks.

using num::hex;
using num::hex_matrix;

/// Outcome of one eigenvalue-enclosure check, with the counts that decided it.
struct EnclosureCheck {
  bool contains = false;  // [lo, hi] certainly contains lambda_k
  int below = -1;         // count_below(A, lo); -1 when not needed (lo = -inf) or lo is NaN
  int above = -1;         // count_above(A, hi); -1 when not needed (hi = +inf) or hi is NaN
};

/// [lo, hi] contains lambda_k (1-based, descending) iff lambda_k >= lo, i.e. at most n - k
/// eigenvalues lie below lo, and lambda_k <= hi, i.e. at most k - 1 lie above hi. NaN endpoints
/// and lo = +inf / hi = -inf never contain anything.
inline EnclosureCheck check_enclosure_counts(const ExactSym& a, int k, const num::Ival& x) {
  const int n = a.dim();
  EnclosureCheck r;
  if (k < 1 || k > n || std::isnan(x.lo) || std::isnan(x.hi)) return r;
  bool lo_ok = true, hi_ok = true;
  if (x.lo == num::inf) lo_ok = false;
  else if (x.lo != -num::inf) {
    r.below = a.count_below(num::to_rational(x.lo));
    lo_ok = r.below <= n - k;
  }
  if (x.hi == -num::inf) hi_ok = false;
  else if (x.hi != num::inf) {
    r.above = a.count_above(num::to_rational(x.hi));
    hi_ok = r.above <= k - 1;
  }
  r.contains = lo_ok && hi_ok;
  return r;
}

/// True iff x = [lo, hi] contains lambda_k(A), k 1-based with eigenvalues in descending order.
inline bool check_enclosure(const ExactSym& a, int k, const num::Ival& x) {
  return check_enclosure_counts(a, k, x).contains;
}
inline bool check_enclosure(const Eigen::MatrixXd& a, int k, const num::Ival& x) {
  return check_enclosure(ExactSym(a), k, x);
}

/// The outcome of checking a whole result: `sound` is false iff some claim certainly fails.
/// `undecided` counts gap claims the oracle could neither confirm nor refute within its
/// bisection budget (never counted as misses; they should be rare and are reported).
struct CheckReport {
  bool sound = true;
  int enclosures = 0;       // eigenvalue enclosures checked
  int gaps = 0;             // gap enclosures checked
  int undecided = 0;
  std::vector<std::string> misses;

  void miss(std::string what) {
    sound = false;
    misses.push_back(std::move(what));
  }
  void merge(const CheckReport& o) {
    sound = sound && o.sound;
    enclosures += o.enclosures;
    gaps += o.gaps;
    undecided += o.undecided;
    misses.insert(misses.end(), o.misses.begin(), o.misses.end());
  }
};

namespace detail {

inline std::string rat_str(const Rational& x) { return x.str(); }

}  // namespace detail

/// Checks a gap claim lambda_1 - lambda_2 in g, given l1 = a verified enclosure of lambda_1.
/// Writing lambda_1 in [L, H] (L, H rational, refined by bisection with exact counts):
///  lower side, g >= g.lo (trivial when g.lo <= 0, since lambda_1 >= lambda_2):
///    holds if lambda_2 <= L - g.lo          <=> count_above(L - g.lo) <= 1;
///    fails if lambda_2 >  H - g.lo          <=> count_above(H - g.lo) >= 2;
///  upper side, g <= g.hi (trivial when g.hi = +inf; fails when g.hi < 0):
///    holds if lambda_2 >= H - g.hi          <=> count_below(H - g.hi) <= n - 2;
///    fails if lambda_2 <  L - g.hi          <=> count_below(L - g.hi) >= n - 1.
/// When L = H every pair is complementary, so the check is exact; otherwise [L, H] is bisected
/// (an exact hit, zero count > 0 at the midpoint, collapses it to a point) up to `budget` steps
/// (2000 by default: margins down to 2^-2000 times the starting width are resolved).
/// Each "fails" conclusion is a certified miss. Needs n >= 2 and l1 verified.
inline CheckReport check_gap(const ExactSym& a, const num::Ival& l1, const num::Ival& g,
                             const std::string& routine, int budget = 2000) {
  CheckReport rep;
  rep.gaps = 1;
  const int n = a.dim();
  const std::string where = routine + ": gap " + hex(g) + " (lambda1 in " + hex(l1) + ")";
  if (std::isnan(g.lo) || std::isnan(g.hi) || g.lo > g.hi) {
    rep.miss(where + ": not an interval");
    return rep;
  }
  if (g.hi < 0 || g.lo == num::inf) {
    rep.miss(where + ": excludes every nonnegative number");
    return rep;
  }
  const bool lower_trivial = !(g.lo > 0), upper_trivial = g.hi == num::inf;
  if (lower_trivial && upper_trivial) return rep;
  const Rational B = a.bound();
  Rational L = std::isfinite(l1.lo) ? num::to_rational(l1.lo) : -B;
  Rational H = std::isfinite(l1.hi) ? num::to_rational(l1.hi) : B;
  if (L < -B) L = -B;
  if (H > B) H = B;
  const Rational glo = lower_trivial ? Rational(0) : num::to_rational(g.lo);
  const Rational ghi = upper_trivial ? Rational(0) : num::to_rational(g.hi);
  bool lower_done = lower_trivial, upper_done = upper_trivial;
  for (int step = 0;; ++step) {
    if (!lower_done) {
      if (a.count_above(L - glo) <= 1) lower_done = true;
      else if (const int c = a.count_above(H - glo); c >= 2) {
        rep.miss(where + ": lambda_1 - lambda_2 < gap.lo: count_above(" + detail::rat_str(H - glo) +
                 ") = " + std::to_string(c) + " >= 2 with lambda_1 <= " + detail::rat_str(H));
        return rep;
      }
    }
    if (!upper_done) {
      if (a.count_below(H - ghi) <= n - 2) upper_done = true;
      else if (const int c = a.count_below(L - ghi); c >= n - 1) {
        rep.miss(where + ": lambda_1 - lambda_2 > gap.hi: count_below(" + detail::rat_str(L - ghi) +
                 ") = " + std::to_string(c) + " >= n - 1 with lambda_1 >= " + detail::rat_str(L));
        return rep;
      }
    }
    if (lower_done && upper_done) return rep;
    if (step >= budget || L == H) {  // L == H cannot stay undecided; kept as a guard
      ++rep.undecided;
      return rep;
    }
    const Rational mid = (L + H) / 2;
    const Inertia in = a.inertia(mid);
    if (in.pos >= 1) L = mid;        // lambda_1 > mid
    else if (in.zero >= 1) L = H = mid;  // lambda_1 = mid
    else H = mid;                    // lambda_1 < mid
  }
}

/// Checks every enclosure of a Spectrum (eig[k] must contain lambda_{k+1}) and its gap, if any.
/// ok = false claims nothing and passes; eig.size() != n with ok = true is a miss.
inline CheckReport check_spectrum(const ExactSym& a, const linalg::Spectrum& s,
                                  const std::string& routine) {
  CheckReport rep;
  if (!s.ok) return rep;
  const int n = a.dim();
  if (static_cast<int>(s.eig.size()) != n) {
    rep.miss(routine + ": ok with " + std::to_string(s.eig.size()) + " enclosures for n = " +
             std::to_string(n));
    return rep;
  }
  for (int k = 1; k <= n; ++k) {
    const EnclosureCheck c = check_enclosure_counts(a, k, s.eig[k - 1]);
    ++rep.enclosures;
    if (!c.contains)
      rep.miss(routine + ": eig[" + std::to_string(k - 1) + "] = " + hex(s.eig[k - 1]) +
               " misses lambda_" + std::to_string(k) + ": count_below(lo) = " +
               std::to_string(c.below) + " (must be <= " + std::to_string(n - k) +
               "), count_above(hi) = " + std::to_string(c.above) + " (must be <= " +
               std::to_string(k - 1) + ")");
  }
  if (s.gap && n >= 2 && rep.sound) rep.merge(check_gap(a, s.eig[0], *s.gap, routine));
  return rep;
}

/// Checks lambda_1 and the gap of a Top result (see check_gap for the gap checks).
inline CheckReport check_top(const ExactSym& a, const linalg::Top& t, const std::string& routine) {
  CheckReport rep;
  if (!t.ok) return rep;
  const int n = a.dim();
  const EnclosureCheck c = check_enclosure_counts(a, 1, t.lambda1);
  ++rep.enclosures;
  if (!c.contains) {
    rep.miss(routine + ": lambda1 = " + hex(t.lambda1) + " misses lambda_1: count_below(lo) = " +
             std::to_string(c.below) + " (must be <= " + std::to_string(n - 1) +
             "), count_above(hi) = " + std::to_string(c.above) + " (must be 0)");
    return rep;
  }
  if (t.gap && n >= 2) rep.merge(check_gap(a, t.lambda1, *t.gap, routine));
  return rep;
}

/// Checks ||A||_2 <= bound: every eigenvalue in [-bound, bound] <=> count_above(bound) = 0 and
/// count_below(-bound) = 0. bound = +inf (the routine's failure value) claims nothing.
inline CheckReport check_norm_up(const ExactSym& a, double bound, const std::string& routine) {
  CheckReport rep;
  if (bound == num::inf) return rep;
  ++rep.enclosures;
  if (std::isnan(bound) || bound < 0) {
    rep.miss(routine + ": norm bound " + hex(bound) + " is not a nonnegative number");
    return rep;
  }
  const Rational b = num::to_rational(bound);
  const int above = a.count_above(b), below = a.count_below(-b);
  if (above != 0 || below != 0)
    rep.miss(routine + ": ||A|| <= " + hex(bound) + " fails: count_above(bound) = " +
             std::to_string(above) + ", count_below(-bound) = " + std::to_string(below));
  return rep;
}

}  // namespace fim::oracle
