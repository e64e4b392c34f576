// The exact inertia oracle: symmetric fraction-free elimination (see inertia.hpp for the proof
// outline; proofs/linear-algebra.md, Lemma 12).
#include "exact/inertia.hpp"

#include <gmp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <utility>

namespace fim::oracle {

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

ExactSym::ExactSym(const Eigen::MatrixXd& a) : d_(std::make_shared<detail::ExactData>()) {
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

ExactSym::ExactSym(const std::vector<std::vector<Rational>>& a) : d_(std::make_shared<detail::ExactData>()) {
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

ExactSym ExactSym::shifted(const Rational& s) const {
  ExactSym r = *this;
  r.shift_ += s;
  return r;
}

int ExactSym::dim() const { return d_->n; }
const Eigen::MatrixXd& ExactSym::matrix() const { return d_->a; }
Rational ExactSym::bound() const { return d_->gershgorin + abs(shift_); }
int ExactSym::components() const { return static_cast<int>(d_->comps.size()); }

int ExactSym::largest_component() const {
  std::size_t m = 0;
  for (const auto& c : d_->comps) m = std::max(m, c.idx.size());
  return static_cast<int>(m);
}

Inertia ExactSym::inertia(const Rational& x) const { return d_->inertia(x - shift_); }
long ExactSym::queries() const { return d_->queries; }

int count_below(const Eigen::MatrixXd& a, const Rational& x) { return ExactSym(a).count_below(x); }
int count_above(const Eigen::MatrixXd& a, const Rational& x) { return ExactSym(a).count_above(x); }

}  // namespace fim::oracle
