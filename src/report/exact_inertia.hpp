// The exact inertia oracle (SPEC S10), used by the soundness tests and to decide exact ties (the
// certificate verifier has its own, src/verify/inertia.cpp): exact inertia counts of binary64 symmetric matrices in GMP integers, and exact checks
// of eigenvalue, gap and norm enclosures against them.
//
// Sylvester's law of inertia (proofs/linear-algebra.md, Lemma 12): a congruence T^T M T with T
// invertible keeps the numbers of negative, zero and positive eigenvalues of M. Symmetric Gaussian
// elimination of M = A - xI is such a congruence; it ends in a block diagonal matrix whose 1 x 1
// pivots, plus a zero block, have the inertia of M. So
//   count_below(A, x) = #{i : lambda_i(A) < x} = #negative pivots of A - xI,
//   count_above(A, x) = #{i : lambda_i(A) > x} = #positive pivots of A - xI,
// and the rest are eigenvalues equal to x. Everything is exact: a binary64 entry and a binary64
// endpoint are dyadic rationals, A - xI is scaled by a positive integer (which keeps the inertia)
// to an integer matrix, and the elimination is fraction-free (Bareiss 1968): after k steps the
// trailing block equals d_k S, with d_k the k-th leading principal minor (after the symmetric
// permutations and congruences applied so far) and S the exact Schur complement, so every
// division is exact and the LDL^T pivot is D_{k+1} = d_{k+1} / d_k (sign = product of signs).
// Pivoting: any nonzero diagonal entry of the trailing block (symmetric permutation). When every
// trailing diagonal entry is zero but s_ij != 0, the congruence "add row/column j to row/column i"
// makes the new diagonal entry s_ii + 2 s_ij + s_jj = 2 s_ij nonzero. A zero trailing block
// contributes zero eigenvalues. The off-diagonal pattern of A - xI does not depend on x, so the
// matrix is split once into the connected components of its pattern (a symmetric permutation to
// a direct sum; inertias add), each scaled by its own power of two.
//
// Shares no numeric code with src/ beyond Rational and to_rational (both plain GMP).
#pragma once
#include <gmp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Dense>

#include "linalg/enclosure.hpp"
#include "numeric/interval.hpp"
#include "numeric/mp.hpp"

namespace fim::oracle {

using num::Rational;

/// Numbers of eigenvalues below, at and above the shift x: the inertia of A - x I.
struct Inertia {
  int neg = 0, zero = 0, pos = 0;
};

namespace detail {

// An exact dyadic rational mant * 2^exp, mant odd (or 0).
struct Dyadic {
  num::bmp::mpz_int mant = 0;
  long exp = 0;
};
inline void normalize(Dyadic& d) {
  if (d.mant == 0) { d.exp = 0; return; }
  const mp_bitcnt_t tz = mpz_scan1(d.mant.backend().data(), 0);
  mpz_tdiv_q_2exp(d.mant.backend().data(), d.mant.backend().data(), tz);
  d.exp += static_cast<long>(tz);
}
inline Dyadic to_dyadic(double x) {
  if (!std::isfinite(x)) throw std::invalid_argument("oracle: non-finite matrix entry");
  Dyadic d;
  if (x == 0) return d;
  int e = 0;
  const double f = std::frexp(x, &e);                                  // x = f 2^e, 0.5 <= |f| < 1
  d.mant = static_cast<long long>(std::ldexp(f, 53));                  // exact 53-bit integer
  d.exp = static_cast<long>(e) - 53;
  normalize(d);
  return d;
}
inline Dyadic to_dyadic(const Rational& x) {
  const auto& q = x.backend().data();
  mpz_srcptr den = mpq_denref(q);
  if (mpz_popcount(den) != 1)
    throw std::invalid_argument("oracle: matrix entry is not a dyadic rational");
  Dyadic d;
  mpz_set(d.mant.backend().data(), mpq_numref(q));
  d.exp = -static_cast<long>(mpz_scan1(den, 0));
  normalize(d);
  return d;
}

// RAII array of GMP integers.
class MpzArray {
 public:
  explicit MpzArray(std::size_t n) : v_(n) { for (auto& z : v_) mpz_init(z.z); }
  ~MpzArray() { for (auto& z : v_) mpz_clear(z.z); }
  MpzArray(const MpzArray&) = delete;
  MpzArray& operator=(const MpzArray&) = delete;
  mpz_ptr operator[](std::size_t i) { return v_[i].z; }

 private:
  struct Cell { mpz_t z; };
  std::vector<Cell> v_;
};

// The shared, immutable part of an ExactSym: pattern components in exact dyadic form.
struct ExactData {
  struct Component {
    std::vector<int> idx;
    std::vector<Dyadic> entries;  // lower triangle, row-major m x m
    long min_exp = 0;
    Rational diag;                // the entry, for 1 x 1 components
  };
  int n = 0;
  Eigen::MatrixXd a;              // the binary64 input (empty for a rational input)
  Rational gershgorin;            // max_i sum_j |a_ij| >= every |lambda_i|
  std::vector<Component> comps;
  mutable std::map<Rational, Inertia> cache;
  mutable long queries = 0;

  // entry(i, j) must return the exact Dyadic of a_ij (i >= j).
  template <class Entry, class Nonzero>
  void build(int dim, Entry entry, Nonzero nonzero) {
    n = dim;
    std::vector<int> parent(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) parent[i] = i;
    auto find = [&](int i) {
      while (parent[i] != i) i = parent[i] = parent[parent[i]];
      return i;
    };
    for (int j = 0; j < n; ++j)
      for (int i = j + 1; i < n; ++i)
        if (nonzero(i, j)) parent[find(i)] = find(j);
    std::map<int, std::size_t> slot;
    for (int i = 0; i < n; ++i) {
      const int r = find(i);
      auto it = slot.find(r);
      if (it == slot.end()) {
        it = slot.emplace(r, comps.size()).first;
        comps.emplace_back();
      }
      comps[it->second].idx.push_back(i);
    }
    for (Component& c : comps) {
      const int m = static_cast<int>(c.idx.size());
      c.entries.resize(static_cast<std::size_t>(m) * m);
      bool any = false;
      for (int j = 0; j < m; ++j)
        for (int i = j; i < m; ++i) {
          Dyadic d = entry(std::max(c.idx[i], c.idx[j]), std::min(c.idx[i], c.idx[j]));
          if (d.mant != 0) {
            c.min_exp = any ? std::min(c.min_exp, d.exp) : d.exp;
            any = true;
          }
          c.entries[static_cast<std::size_t>(i) * m + j] = std::move(d);
        }
      if (m == 1) {
        const Dyadic& d = c.entries[0];
        c.diag = Rational(d.mant);
        if (d.exp >= 0) c.diag *= Rational(num::bmp::mpz_int(1) << static_cast<unsigned>(d.exp));
        else c.diag /= Rational(num::bmp::mpz_int(1) << static_cast<unsigned>(-d.exp));
      }
    }
  }

  Inertia inertia(const Rational& x) const {
    if (auto it = cache.find(x); it != cache.end()) return it->second;
    Inertia total;
    for (const Component& c : comps) {
      const Inertia in = component_inertia(c, x);
      total.neg += in.neg;
      total.zero += in.zero;
      total.pos += in.pos;
    }
    ++queries;
    if (cache.size() > 4096) cache.clear();
    cache.emplace(x, total);
    return total;
  }

  static Inertia component_inertia(const Component& c, const Rational& x) {
    const int m = static_cast<int>(c.idx.size());
    Inertia out;
    if (m == 1) {
      const int s = (c.diag > x) - (c.diag < x);
      (s < 0 ? out.neg : s > 0 ? out.pos : out.zero) = 1;
      return out;
    }
    // With e = min exponent, A_c = 2^e Z (Z integer) and x = p / q (q > 0), the integer matrix
    //   M = q Z - 2^-e p I = 2^-e q (A_c - xI)     (e <= 0),
    //   M = q 2^e Z - p I  = q (A_c - xI)          (e > 0)
    // is a positive multiple of A_c - xI: the same inertia.
    const auto& xq = x.backend().data();
    mpz_srcptr p = mpq_numref(xq);
    mpz_srcptr q = mpq_denref(xq);
    const long e = c.min_exp;
    const long zshift = e > 0 ? e : 0, pshift = e < 0 ? -e : 0;
    MpzArray w(static_cast<std::size_t>(m) * m);
    auto at = [&](int i, int j) { return i >= j ? w[static_cast<std::size_t>(i) * m + j]
                                                 : w[static_cast<std::size_t>(j) * m + i]; };
    mpz_t px, t1, prev;
    mpz_init(px);
    mpz_init(t1);
    mpz_init_set_ui(prev, 1);
    mpz_mul_2exp(px, p, static_cast<mp_bitcnt_t>(pshift));
    for (int i = 0; i < m; ++i)
      for (int j = 0; j <= i; ++j) {
        const Dyadic& d = c.entries[static_cast<std::size_t>(i) * m + j];
        mpz_ptr z = at(i, j);
        if (d.mant == 0) mpz_set_ui(z, 0);
        else {  // Z entry mant 2^(exp - e), times 2^zshift when e > 0
          mpz_mul_2exp(z, d.mant.backend().data(), static_cast<mp_bitcnt_t>(d.exp - e + zshift));
          mpz_mul(z, z, q);
        }
        if (i == j) mpz_sub(z, z, px);
      }
    // Remove the common power of two (keeps the inertia; shortens every integer).
    constexpr mp_bitcnt_t kNone = ~static_cast<mp_bitcnt_t>(0);
    mp_bitcnt_t common = kNone;
    for (int i = 0; i < m; ++i)
      for (int j = 0; j <= i; ++j)
        if (mpz_sgn(at(i, j)) != 0) common = std::min(common, mpz_scan1(at(i, j), 0));
    if (common != kNone && common > 0)
      for (int i = 0; i < m; ++i)
        for (int j = 0; j <= i; ++j) mpz_tdiv_q_2exp(at(i, j), at(i, j), common);

    int prev_sign = 1;
    for (int k = 0; k < m; ++k) {
      int piv = -1;
      for (int i = k; i < m; ++i)
        if (mpz_sgn(at(i, i)) != 0) { piv = i; break; }
      if (piv < 0) {  // zero diagonal: find s_ij != 0 and add row/column j to row/column i
        int pi = -1, pj = -1;
        for (int i = k; i < m && pi < 0; ++i)
          for (int j = k; j < i; ++j)
            if (mpz_sgn(at(i, j)) != 0) { pi = i; pj = j; break; }
        if (pi < 0) { out.zero += m - k; break; }  // the trailing block is zero
        mpz_mul_2exp(t1, at(pi, pj), 1);
        mpz_add(t1, t1, at(pi, pi));
        mpz_add(t1, t1, at(pj, pj));  // new s_ii = s_ii + 2 s_ij + s_jj (= 2 s_ij here)
        for (int r = k; r < m; ++r)
          if (r != pi) mpz_add(at(pi, r), at(pi, r), at(pj, r));
        mpz_set(at(pi, pi), t1);
        piv = pi;
      }
      if (piv != k) {  // symmetric swap of k and piv within the trailing block
        mpz_swap(at(k, k), at(piv, piv));
        for (int r = k + 1; r < m; ++r)
          if (r != piv) mpz_swap(at(k, r), at(piv, r));
      }
      const int s = mpz_sgn(at(k, k));
      (s * prev_sign < 0 ? out.neg : out.pos) += 1;  // sign of D = d_{k+1} / d_k
      mpz_srcptr pk = at(k, k);
      const bool divide = mpz_cmp_ui(prev, 1) != 0;
      for (int i = k + 1; i < m; ++i) {  // Bareiss: s_ij <- (d s_ij - s_ik s_jk) / d_prev
        mpz_srcptr aik = at(i, k);
        const bool zi = mpz_sgn(aik) == 0;
        for (int j = k + 1; j <= i; ++j) {
          mpz_ptr z = at(i, j);
          mpz_mul(z, z, pk);
          if (!zi) mpz_submul(z, aik, at(j, k));
          if (divide) mpz_divexact(z, z, prev);
        }
      }
      mpz_set(prev, pk);
      prev_sign = s;
    }
    mpz_clear(px);
    mpz_clear(t1);
    mpz_clear(prev);
    return out;
  }
};

}  // namespace detail

/// Exact form of one symmetric matrix with binary64 (or dyadic rational) entries, answering
/// inertia queries on A + sI - xI for rational x, where s is the view's shift (0 unless made by
/// shifted(); eigenvalues of A + sI are lambda_i(A) + s). Throws std::invalid_argument on a
/// non-finite, non-square or non-symmetric matrix, or a non-dyadic rational entry.
/// Cost per query: O(m^3) operations on integers of O(m b) bits for each pattern component of size
/// m whose entries span b bits; results are cached per x. Copies share the cache.
class ExactSym {
 public:
  explicit ExactSym(const Eigen::MatrixXd& a) : d_(std::make_shared<detail::ExactData>()) {
    const Eigen::Index n = a.rows();
    if (a.cols() != n) throw std::invalid_argument("oracle: matrix is not square");
    for (Eigen::Index j = 0; j < n; ++j)
      for (Eigen::Index i = 0; i < n; ++i) {
        if (!std::isfinite(a(i, j))) throw std::invalid_argument("oracle: non-finite entry");
        if (a(i, j) != a(j, i)) throw std::invalid_argument("oracle: matrix is not symmetric");
      }
    d_->a = a;
    d_->build(static_cast<int>(n), [&](int i, int j) { return detail::to_dyadic(a(i, j)); },
              [&](int i, int j) { return a(i, j) != 0; });
    for (Eigen::Index i = 0; i < n; ++i) {
      Rational s = 0;
      for (Eigen::Index j = 0; j < n; ++j) s += num::to_rational(std::fabs(a(i, j)));
      if (s > d_->gershgorin) d_->gershgorin = s;
    }
  }
  /// A symmetric matrix of dyadic rationals (e.g. an exact product of binary64 matrices).
  explicit ExactSym(const std::vector<std::vector<Rational>>& a)
      : d_(std::make_shared<detail::ExactData>()) {
    const int n = static_cast<int>(a.size());
    for (int i = 0; i < n; ++i) {
      if (static_cast<int>(a[i].size()) != n) throw std::invalid_argument("oracle: not square");
      for (int j = 0; j < n; ++j)
        if (a[i][j] != a[j][i]) throw std::invalid_argument("oracle: matrix is not symmetric");
    }
    d_->build(n, [&](int i, int j) { return detail::to_dyadic(a[i][j]); },
              [&](int i, int j) { return a[i][j] != 0; });
    for (int i = 0; i < n; ++i) {
      Rational s = 0;
      for (int j = 0; j < n; ++j) s += abs(a[i][j]);
      if (s > d_->gershgorin) d_->gershgorin = s;
    }
  }

  /// The same matrix plus s I (s added to every eigenvalue), sharing the exact data.
  ExactSym shifted(const Rational& s) const {
    ExactSym r = *this;
    r.shift_ += s;
    return r;
  }

  int dim() const { return d_->n; }
  /// The binary64 input (empty when built from rationals); the shift is not applied.
  const Eigen::MatrixXd& matrix() const { return d_->a; }
  const Rational& shift() const { return shift_; }
  /// A rational B with |lambda_i| <= B for every eigenvalue (Gershgorin, shift included).
  Rational bound() const { return d_->gershgorin + abs(shift_); }
  /// Number of connected components of the off-diagonal pattern, and the largest one's size.
  int components() const { return static_cast<int>(d_->comps.size()); }
  int largest_component() const {
    std::size_t m = 0;
    for (const auto& c : d_->comps) m = std::max(m, c.idx.size());
    return static_cast<int>(m);
  }

  /// The inertia of (A + sI) - x I, exactly.
  Inertia inertia(const Rational& x) const { return d_->inertia(x - shift_); }
  /// #{i : lambda_i < x}.
  int count_below(const Rational& x) const { return inertia(x).neg; }
  /// #{i : lambda_i > x}.
  int count_above(const Rational& x) const { return inertia(x).pos; }
  /// Number of eliminations run so far (cache misses), over every view of this matrix.
  long queries() const { return d_->queries; }

 private:
  std::shared_ptr<detail::ExactData> d_;
  Rational shift_ = 0;
};

/// #{i : lambda_i(A) < x} for a binary64 symmetric A.
inline int count_below(const Eigen::MatrixXd& a, const Rational& x) {
  return ExactSym(a).count_below(x);
}
/// #{i : lambda_i(A) > x} for a binary64 symmetric A.
inline int count_above(const Eigen::MatrixXd& a, const Rational& x) {
  return ExactSym(a).count_above(x);
}

// ------------------------------------------------------------------------------------------------
// Enclosure checks.

/// Formats x as a C99 hex float ("%a"), exact.
inline std::string hex(double x) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%a", x);
  return buf;
}
inline std::string hex(const num::Ival& x) { return "[" + hex(x.lo) + ", " + hex(x.hi) + "]"; }

/// Every entry of A exactly, row by row, as hex floats.
inline std::string hex_matrix(const Eigen::MatrixXd& a) {
  std::string s = "n = " + std::to_string(a.rows()) + "\n";
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    s += "  [";
    for (Eigen::Index j = 0; j < a.cols(); ++j) s += (j ? ", " : "") + hex(a(i, j));
    s += "]\n";
  }
  return s;
}

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
