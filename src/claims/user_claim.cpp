// A user's claim (check --claim): each distinct matrix of the ground claim is valued exactly
// (rationals), enclosed once as a ball (binary64) or an MPFI matrix, its spectrum enclosed once;
// atoms are read off the spectra (proofs/claim-language.md, section 4), the formula is evaluated
// in four-valued interval logic, and an undecided case is retried with exact rational eigenvalues.
#include "claims/user_claim.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "claims/approx_builtins.hpp"
#include "claims/eigen_inequality.hpp"
#include "claims/eigen_structure.hpp"
#include "claims/exact_ties.hpp"
#include "exact/inertia.hpp"
#include "expr/claim_lang.hpp"
#include "linalg/approx_eigh.hpp"
#include "linalg/enclose_spectrum.hpp"
#include "linalg/enclose_spectrum_mp.hpp"
#include "linalg/product_bounds.hpp"
#include "numeric/exact.hpp"
#include "numeric/rational_interval.hpp"

namespace fim::claims {
namespace {

using Eigen::MatrixXd;
using expr::AtomKind;
using expr::Truth;
using num::Ival;
using num::MpIval;
using num::RatIval;
using num::Rational;
using RatMatrix = std::vector<std::vector<Rational>>;

const MatrixXd& named(const MatrixCase& c, char x) { return x == 'A' ? c.a : x == 'B' ? c.b : c.e; }

RatMatrix rational_of(const MatrixXd& m) {
  RatMatrix r(m.rows(), std::vector<Rational>(m.cols()));
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) r[i][j] = num::to_rational(m(i, j));
  return r;
}

// X Y + Y X over 2 (X = Y: X X), exactly.
RatMatrix sym_product(const RatMatrix& x, const RatMatrix& y) {
  const std::size_t n = x.size();
  RatMatrix p(n, std::vector<Rational>(n));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i; j < n; ++j) {
      Rational s = 0;
      for (std::size_t k = 0; k < n; ++k) s += x[i][k] * y[k][j] + y[i][k] * x[k][j];
      p[i][j] = p[j][i] = s / 2;
    }
  return p;
}

// The exact value of a matrix expression over the case's matrices (proofs/claim-language.md, 1.2).
RatMatrix exact_value(const expr::MatrixExpr& m, const MatrixCase& c) {
  using Op = expr::MatrixExpr::Op;
  if (m.op == Op::Name) return rational_of(named(c, m.name));
  RatMatrix x = exact_value(*m.x, c);
  if (m.op == Op::Square) return sym_product(x, x);
  if (m.op == Op::Scale) {
    for (auto& row : x)
      for (auto& v : row) v *= m.scale;
    return x;
  }
  const RatMatrix y = exact_value(*m.y, c);
  if (m.op == Op::SymProduct) return sym_product(x, y);
  for (std::size_t i = 0; i < x.size(); ++i)
    for (std::size_t j = 0; j < x.size(); ++j) x[i][j] = m.op == Op::Add ? Rational(x[i][j] + y[i][j]) : Rational(x[i][j] - y[i][j]);
  return x;
}

// ---- What one rung encloses ------------------------------------------------------------------

// The interval type's constructors from exact values.
Ival enclose(const Rational& lo, const Rational& hi, std::type_identity<Ival>) { return num::ival_of(lo, hi); }
MpIval enclose(const Rational& lo, const Rational& hi, std::type_identity<MpIval>) { return num::mp_of(lo, hi); }
template <class I>
I enclose(const Rational& lo, const Rational& hi) { return enclose(lo, hi, std::type_identity<I>{}); }
template <class I>
I enclose(const Rational& x) { return enclose<I>(x, x); }

// [max(lo, 0), hi]: the gap lambda_1 - lambda_2 is never negative.
Ival clamp_nonnegative(const Ival& x) { return Ival(std::max(0.0, x.lo), std::max(0.0, x.hi)); }
MpIval clamp_nonnegative(const MpIval& x) {
  return lower(x) >= 0 ? x : num::to_mp(num::MpReal(0), std::max(num::MpReal(upper(x)), num::MpReal(0)));
}

/// The point numbers of a rung: binary64 on the binary64 rung, MPFR on the MPFI rungs.
template <class I>
struct RealOf {
  using type = double;
};
template <>
struct RealOf<MpIval> {
  using type = num::MpReal;
};
template <class I>
using Real = typename RealOf<I>::type;

/// The matrices of one case at one rung: exact values, entry enclosures and spectra.
template <class I>
struct Rung {
  const expr::Ground& g;
  const MatrixCase& c;
  std::vector<std::optional<RatMatrix>> exact;   // by matrix; names are read from c directly
  std::vector<std::vector<I>> entries;           // row-major enclosures of each matrix's entries
  std::vector<std::vector<I>> eig;               // descending; empty: not enclosed (or failed)
  std::vector<std::vector<Real<I>>> top;        // approximate top eigenvector (rayleigh's M)

  Rung(const expr::Ground& ground, const MatrixCase& mc)
      : g(ground), c(mc), exact(ground.matrices.size()), entries(ground.matrices.size()),
        eig(ground.matrices.size()), top(ground.matrices.size()) {}
  bool is_name(int m) const { return g.matrices[m]->op == expr::MatrixExpr::Op::Name; }
  const RatMatrix& exact_of(int m) {
    if (!exact[m]) exact[m] = exact_value(*g.matrices[m], c);
    return *exact[m];
  }
  // The binary64 centre of matrix m (its entries rounded down) and the enclosure of each entry.
  MatrixXd centre(int m) {
    if (is_name(m)) return named(c, g.matrices[m]->name);
    const RatMatrix& r = exact_of(m);
    MatrixXd mid(g.n, g.n);
    for (int i = 0; i < g.n; ++i)
      for (int j = 0; j < g.n; ++j) mid(i, j) = num::ival_of(r[i][j]).lo;
    return mid;
  }
  const std::vector<I>& entries_of(int m) {
    if (entries[m].empty()) {
      entries[m].reserve(std::size_t(g.n) * g.n);
      for (int i = 0; i < g.n; ++i)
        for (int j = 0; j < g.n; ++j)
          entries[m].push_back(is_name(m) ? enclose<I>(num::to_rational(named(c, g.matrices[m]->name)(i, j)))
                                          : enclose<I>(exact_of(m)[i][j]));
    }
    return entries[m];
  }
};

// The ball {M : ||M - mid|| <= radius} holding matrix m (binary64 rung; Lemma 5a).
linalg::SymMatrix ball(Rung<Ival>& r, int m) {
  if (r.is_name(m)) return {named(r.c, r.g.matrices[m]->name), 0.0};
  const RatMatrix& x = r.exact_of(m);
  linalg::SymMatrix s{MatrixXd(r.g.n, r.g.n), 0.0};
  MatrixXd width(r.g.n, r.g.n);
  for (int i = 0; i < r.g.n; ++i)
    for (int j = 0; j < r.g.n; ++j) {
      const Ival e = num::ival_of(x[i][j]);
      s.mid(i, j) = e.lo;
      width(i, j) = e.width_up();
    }
  s.radius = linalg::norm2_up(width);
  return s;
}

std::vector<Ival> spectrum(Rung<Ival>& r, int m) {
  const linalg::Spectrum s = linalg::enclose_spectrum_fp(ball(r, m));
  return s.ok ? s.eig : std::vector<Ival>{};
}

std::vector<MpIval> spectrum(Rung<MpIval>& r, int m) {
  const auto& e = r.entries_of(m);
  linalg::MpMatrix x(r.g.n, r.g.n);
  for (int i = 0; i < r.g.n; ++i)
    for (int j = 0; j < r.g.n; ++j) x(i, j) = e[std::size_t(i) * r.g.n + j];
  const linalg::SpectrumMp s = linalg::enclose_spectrum_mpi(x);
  return s.ok ? s.eig : std::vector<MpIval>{};
}

// Which matrices need a spectrum: every eigenvalue atom's, and both of a rayleigh (M: lambda_2
// for the sin-theta bound; N: the spread lambda_1 - lambda_n).
std::vector<bool> needs_spectrum(const expr::Ground& g) {
  std::vector<bool> need(g.matrices.size(), false);
  for (const expr::Atom& a : g.atoms) {
    if (a.kind != AtomKind::Trace && a.kind != AtomKind::Fro) need[a.m] = true;
    if (a.kind == AtomKind::Rayleigh) need[a.m2] = true;
  }
  return need;
}

template <class I>
expr::Value<I> defined(const I& x) {
  expr::Value<I> v;
  v.x = x;
  return v;
}
template <class I>
expr::Value<I> unknown(const std::string& why) {
  expr::Value<I> v;
  v.x = I(0);
  v.def = expr::Value<I>::Def::MaybeUndefined;
  v.why = why;
  return v;
}

// The exact value of trace(M), or of fro(M)^2 (the sum of the squared entries): the atoms that need
// no enclosure of a spectrum.
Rational trace_or_fro2(const RatMatrix& x, AtomKind kind) {
  if (kind == AtomKind::Trace) return trace(x);
  Rational s = 0;
  for (const auto& row : x)
    for (const Rational& v : row) s += v * v;
  return s;
}

// (M x)_i over the entry enclosures of M (row-major n x n) and a point vector x.
template <class I, class R>
std::vector<I> image(const std::vector<I>& m, const std::vector<R>& x) {
  const std::size_t n = x.size();
  std::vector<I> y(n, I(0));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) y[i] = y[i] + m[i * n + j] * I(x[j]);
  return y;
}

template <class I, class R>
I dot(const std::vector<R>& x, const std::vector<I>& y) {
  I s(0);
  for (std::size_t i = 0; i < x.size(); ++i) s = s + I(x[i]) * y[i];
  return s;
}

// The approximate top eigenvector of matrix m: binary64 (Eigen's solver) on the binary64 rung;
// refined by Rayleigh quotient iteration at the working precision on the MPFI rungs, so that the
// rayleigh enclosure narrows with the precision. Unverified: the enclosure certifies whatever
// vector this returns (proofs/claim-language.md, Lemma 3).
std::vector<double> approximate_top(Rung<Ival>& r, int m) {
  const linalg::ApproxEigen e = linalg::approx_eigh(r.centre(m));
  if (!e.ok) return {};
  return {e.vectors.col(0).data(), e.vectors.col(0).data() + r.g.n};
}

// Solves (M - rho I) y = b by Gaussian elimination with partial pivoting; false on a zero pivot.
bool shifted_solve(std::vector<num::MpReal> a, const num::MpReal& rho, std::vector<num::MpReal>& b) {
  const std::size_t n = b.size();
  for (std::size_t i = 0; i < n; ++i) a[i * n + i] -= rho;
  for (std::size_t k = 0; k < n; ++k) {
    std::size_t p = k;
    for (std::size_t i = k + 1; i < n; ++i)
      if (num::abs(a[i * n + k]) > num::abs(a[p * n + k])) p = i;
    if (a[p * n + k] == 0) return false;
    for (std::size_t j = 0; j < n; ++j) std::swap(a[k * n + j], a[p * n + j]);
    std::swap(b[k], b[p]);
    for (std::size_t i = k + 1; i < n; ++i) {
      const num::MpReal f = a[i * n + k] / a[k * n + k];
      for (std::size_t j = k; j < n; ++j) a[i * n + j] -= f * a[k * n + j];
      b[i] -= f * b[k];
    }
  }
  for (std::size_t k = n; k-- > 0;) {
    for (std::size_t j = k + 1; j < n; ++j) b[k] -= a[k * n + j] * b[j];
    b[k] /= a[k * n + k];
  }
  return true;
}

std::vector<num::MpReal> approximate_top(Rung<MpIval>& r, int m) {
  const linalg::ApproxEigen e = linalg::approx_eigh(r.centre(m));
  if (!e.ok) return {};
  const std::size_t n = static_cast<std::size_t>(r.g.n);
  std::vector<num::MpReal> a, x(n);
  for (const MpIval& v : r.entries_of(m)) a.push_back(lower(v));
  for (std::size_t i = 0; i < n; ++i) x[i] = e.vectors(static_cast<Eigen::Index>(i), 0);
  // Rayleigh quotient iteration converges cubically: 53 -> 159 -> 477 -> ... correct bits
  for (int bits = 53; bits < 2 * num::working_bits(); bits *= 3) {
    num::MpReal xmx = 0, xx = 0;
    for (std::size_t i = 0; i < n; ++i) {
      num::MpReal row = 0;
      for (std::size_t j = 0; j < n; ++j) row += a[i * n + j] * x[j];
      xmx += x[i] * row, xx += x[i] * x[i];
    }
    std::vector<num::MpReal> y = x;
    if (!shifted_solve(a, xmx / xx, y)) break;  // rho is an eigenvalue exactly: x is as good as it gets
    num::MpReal big = 0;
    for (const auto& v : y) big = std::max(big, num::MpReal(num::abs(v)));
    if (!(big > 0)) break;
    for (std::size_t i = 0; i < n; ++i) x[i] = y[i] / big;
  }
  return x;
}

// rayleigh(M, N) = v' N v, v a unit top eigenvector of M: with x the approximate top eigenvector,
// rho = x'Mx/x'x, any point t, and u2 >= lambda_2(M), rho > u2 gives
// sin^2(x, v) <= |Mx - t x|^2/(x'x (rho - u2)^2) (the Rayleigh quotient minimizes the residual) and
// |v'Nv - x'Nx/x'x| <= sin * (lambda_1(N) - lambda_n(N)) (proofs/claim-language.md, Lemma 3).
template <class I>
expr::Value<I> rayleigh(Rung<I>& r, const expr::Atom& a) {
  const int n = r.g.n;
  if (n == 1) return defined(r.entries_of(a.m2)[0]);
  const auto& em = r.eig[a.m];
  const auto& en = r.eig[a.m2];
  if (em.empty() || en.empty()) return unknown<I>(a.text + ": spectrum not enclosed");
  if (upper(em[0] - em[1]) <= 0) {  // lambda_1 = lambda_2 certified: no unique top eigenvector
    expr::Value<I> v = unknown<I>(a.text + ": the top eigenvalue is not simple (gap 0 certified)");
    v.def = expr::Value<I>::Def::Undefined;
    return v;
  }
  if (r.top[a.m].empty()) r.top[a.m] = approximate_top(r, a.m);
  const auto& x = r.top[a.m];
  if (x.empty()) return unknown<I>(a.text + ": no approximate eigenvector");
  I xx(0);
  for (const auto& v : x) xx = xx + I(v) * I(v);
  const std::vector<I> mx = image(r.entries_of(a.m), x);
  const I rho = dot(x, mx) / xx;
  const auto t = lower(rho);  // a point: the residual at t bounds the residual at rho
  I res2(0);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const I ri = mx[i] - I(t) * I(x[i]);
    res2 = res2 + ri * ri;
  }
  const I denom = rho - I(upper(em[1]));
  if (!(lower(denom) > 0)) return unknown<I>(a.text + ": gap of the matrix not certified positive");
  const I sin = sqrt(clamp_nonnegative(res2 / (xx * denom * denom)));
  const I spread = clamp_nonnegative(I(upper(en[0])) - I(lower(en[static_cast<std::size_t>(n) - 1])));
  const I tau = dot(x, image(r.entries_of(a.m2), x)) / xx;
  return defined(tau + sin * spread * enclose<I>(Rational(-1), Rational(1)));
}

// The value of each atom from the rung's spectra and exact traces (proofs/claim-language.md, 2).
template <class I>
std::vector<expr::Value<I>> atom_values(Rung<I>& r) {
  const std::vector<bool> need = needs_spectrum(r.g);
  for (std::size_t m = 0; m < need.size(); ++m)
    if (need[m]) r.eig[m] = spectrum(r, static_cast<int>(m));
  const std::size_t n = static_cast<std::size_t>(r.g.n);
  std::vector<expr::Value<I>> v;
  for (const expr::Atom& a : r.g.atoms) {
    if (a.kind == AtomKind::Trace || a.kind == AtomKind::Fro) {
      const Rational s = trace_or_fro2(r.exact_of(a.m), a.kind);
      v.push_back(defined(a.kind == AtomKind::Trace ? enclose<I>(s) : sqrt(enclose<I>(s))));
      continue;
    }
    if (a.kind == AtomKind::Rayleigh) {
      v.push_back(rayleigh(r, a));
      continue;
    }
    const auto& e = r.eig[a.m];
    if (e.empty()) {
      v.push_back(unknown<I>(a.text + ": spectrum not enclosed at " + std::to_string(num::working_bits()) + " bits"));
      continue;
    }
    switch (a.kind) {
      case AtomKind::Lambda: v.push_back(defined(e[static_cast<std::size_t>(a.k) - 1])); break;
      case AtomKind::LambdaMin: v.push_back(defined(e[n - 1])); break;
      case AtomKind::Gap: v.push_back(defined(clamp_nonnegative(e[0] - e[1]))); break;
      default: v.push_back(defined(norm_enclosure(e))); break;  // Norm
    }
  }
  return v;
}

// The enclosure x as exact rationals (the whole line when an end is infinite).
template <class I>
RatIval rational_hull(const I& x) {
  if (!finite(x)) return RatIval::entire();
  return RatIval(num::lower_rational(x), num::upper_rational(x));
}

// The exact rational eigenvalue lambda_k of matrix m where its enclosure holds one (exact ties,
// proofs/linear-algebra.md, Lemma 12); else the enclosure's ends.
template <class I>
RatIval exact_eigenvalue(Rung<I>& r, std::vector<std::unique_ptr<oracle::ExactSym>>& sym, int m, int k) {
  const I& x = r.eig[m][static_cast<std::size_t>(k) - 1];
  if (!finite(x)) return RatIval::entire();
  const Rational lo = num::lower_rational(x), hi = num::upper_rational(x);
  if (!sym[m]) sym[m] = r.is_name(m) ? std::make_unique<oracle::ExactSym>(named(r.c, r.g.matrices[m]->name))
                                     : std::make_unique<oracle::ExactSym>(r.exact_of(m));
  if (const auto q = rational_eigenvalue(*sym[m], k, lo, hi)) return RatIval(*q);
  return RatIval(lo, hi);
}

// The atoms in exact rationals: eigenvalues exact where rational, traces and squared Frobenius
// norms exact, every other value its rung's enclosure (so the evaluation is no less sound).
template <class I>
std::vector<expr::Value<RatIval>> exact_values(Rung<I>& r, const std::vector<expr::Value<I>>& enclosed) {
  std::vector<std::unique_ptr<oracle::ExactSym>> sym(r.g.matrices.size());
  const int n = r.g.n;
  std::vector<expr::Value<RatIval>> v;
  for (std::size_t i = 0; i < r.g.atoms.size(); ++i) {
    const expr::Atom& a = r.g.atoms[i];
    const expr::Value<I>& e = enclosed[i];
    expr::Value<RatIval> x;
    x.def = static_cast<typename expr::Value<RatIval>::Def>(e.def);
    x.why = e.why;
    if (e.def != expr::Value<I>::Def::Defined) {
      v.push_back(x);
      continue;
    }
    const bool spectral = a.kind != AtomKind::Trace && a.kind != AtomKind::Fro && a.kind != AtomKind::Rayleigh;
    if (!spectral || r.eig[a.m].empty()) {
      x.x = rational_hull(e.x);
      if (a.kind == AtomKind::Trace || a.kind == AtomKind::Fro) {
        const Rational s = trace_or_fro2(r.exact_of(a.m), a.kind);
        x.x = a.kind == AtomKind::Trace ? RatIval(s) : num::sqrt(RatIval(s));
      }
    } else {
      const auto eig = [&](int k) { return exact_eigenvalue(r, sym, a.m, k); };
      switch (a.kind) {
        case AtomKind::Lambda: x.x = eig(a.k); break;
        case AtomKind::LambdaMin: x.x = eig(n); break;
        case AtomKind::Gap: {  // an unbounded enclosure of either eigenvalue bounds nothing
          const RatIval d = eig(1) - eig(2);
          x.x = d.whole ? d : RatIval(d.lo < 0 ? Rational(0) : d.lo, d.hi < 0 ? Rational(0) : d.hi);
          break;
        }
        default: {  // Norm = max(lambda_1, -lambda_n)
          const RatIval top = eig(1), bottom = RatIval(0) - eig(n);
          x.x = top.whole || bottom.whole
                    ? RatIval::entire()
                    : RatIval(std::max({Rational(0), top.lo, bottom.lo}), std::max(top.hi, bottom.hi));
        }
      }
    }
    v.push_back(x);
  }
  return v;
}

// Every atom a formula names (the hypothesis's atoms all go into a certificate).
void atoms_of(const expr::Scalar* s, std::set<int>& out) {
  if (!s) return;
  if (s->op == expr::Scalar::Op::Atom) out.insert(s->atom);
  atoms_of(s->a.get(), out);
  atoms_of(s->b.get(), out);
}
void atoms_of(const expr::Formula* f, std::set<int>& out) {
  if (!f) return;
  atoms_of(f->lhs.get(), out);
  atoms_of(f->rhs.get(), out);
  for (const auto& p : f->parts) atoms_of(p.get(), out);
}

template <class R>
nlohmann::json exact_vector(const std::vector<R>& x) {
  nlohmann::json v = nlohmann::json::array();
  for (const R& e : x) v.push_back(exact_text(e));
  return v;
}

// One-sided bounds a certificate needs for lambda_k(m) from below and above: the exact value
// when the exact phase confirmed one, else the enclosure's ends.
struct CertBounds {
  std::map<std::pair<int, int>, RatIval> eig;  // (matrix, k) -> [lower, upper]
  nlohmann::json rayleighs = nlohmann::json::array();
};

template <class I>
void add_eigenvalue(CertBounds& b, Rung<I>& r, std::vector<std::unique_ptr<oracle::ExactSym>>& sym,
                    int m, int k, bool exact) {
  if (b.eig.count({m, k})) return;
  const I& x = r.eig[m][static_cast<std::size_t>(k) - 1];
  b.eig[{m, k}] = exact ? exact_eigenvalue(r, sym, m, k) : rational_hull(x);
}

// The certificate of a violated case (kind "user-claim", proofs/claim-language.md, section 6):
// the matrices exactly, bounds on every eigenvalue the deciding comparison and the hypothesis
// use, and for rayleigh the vector and lambda_2's upper bound the verifier re-checks.
template <class I>
nlohmann::json certificate(const UserClaimSpec& spec, const std::string& names, Rung<I>& r,
                           const std::set<int>& used, bool exact, const std::string& where) {
  std::vector<std::unique_ptr<oracle::ExactSym>> sym(r.g.matrices.size());
  CertBounds b;
  const int n = r.g.n;
  for (int i : used) {
    const expr::Atom& a = r.g.atoms[i];
    switch (a.kind) {
      case AtomKind::Lambda: add_eigenvalue(b, r, sym, a.m, a.k, exact); break;
      case AtomKind::LambdaMin: add_eigenvalue(b, r, sym, a.m, n, exact); break;
      case AtomKind::Gap: add_eigenvalue(b, r, sym, a.m, 1, exact), add_eigenvalue(b, r, sym, a.m, 2, exact); break;
      case AtomKind::Norm: add_eigenvalue(b, r, sym, a.m, 1, exact), add_eigenvalue(b, r, sym, a.m, n, exact); break;
      case AtomKind::Rayleigh:
        if (n == 1 || r.top[a.m].empty()) break;
        add_eigenvalue(b, r, sym, a.m2, 1, false);
        add_eigenvalue(b, r, sym, a.m2, n, false);
        b.rayleighs.push_back({{"atom", "rayleigh"}, {"matrix", r.g.matrices[a.m]->text},
                               {"matrix2", r.g.matrices[a.m2]->text}, {"vector", exact_vector(r.top[a.m])},
                               {"lambda2_upper", exact_text(upper(r.eig[a.m][1]))}});
        break;
      default: break;  // trace and fro: the verifier computes them exactly
    }
  }
  nlohmann::json bounds = nlohmann::json::array();
  for (const auto& [mk, x] : b.eig)
    if (!x.whole)  // an unbounded enclosure bounds nothing
      bounds.push_back({{"atom", "lambda"}, {"matrix", r.g.matrices[mk.first]->text}, {"index", mk.second},
                        {"lower", num::rational_text(x.lo)}, {"upper", num::rational_text(x.hi)}});
  for (const auto& x : b.rayleighs) bounds.push_back(x);
  nlohmann::json matrices = nlohmann::json::object();
  for (const char name : names) matrices[std::string(1, name)] = hex_matrix(named(r.c, name));
  nlohmann::json psd = nlohmann::json::array();
  for (const char x : spec.psd) psd.push_back(std::string(1, x));
  return {{"fimcheck_certificate", 2}, {"kind", "user-claim"}, {"claim", "user"}, {"variant", "stated"},
          {"where", where}, {"statement", spec.claim},
          {"given", spec.given.empty() ? nlohmann::json(nullptr) : nlohmann::json(spec.given)},
          {"psd", psd}, {"matrices", matrices}, {"bounds", bounds}};
}

template <class I>
nlohmann::json atom_json(const I& x) { return to_json(x); }
nlohmann::json atom_json(const RatIval& x) {
  if (x.whole) return nullptr;
  return nlohmann::json::array({num::rational_text(x.lo), num::rational_text(x.hi)});
}

// "where: comparison" of an evaluation, for messages and reports.
std::string place(const expr::Evaluation& e) {
  const std::string what = e.why.empty() ? e.text : e.text.empty() ? e.why : e.text + " (" + e.why + ")";
  return e.where.empty() ? what : e.where + ": " + what;
}

// The verdict of the given and the claim at one set of atom values (proofs/claim-language.md, 3).
template <class I>
Outcome verdict_at(const expr::Ground& g, const std::vector<expr::Value<I>>& v, expr::Evaluation& decisive) {
  Outcome out;
  if (g.given) {
    const expr::Evaluation e = expr::evaluate(*g.given, v);
    if (e.truth != Truth::True) {
      decisive = e;
      out.verdict = e.truth == Truth::Unknown ? Verdict::Undecided : Verdict::HypothesisFails;
      out.where = e.truth == Truth::False       ? "the given is false"
                  : e.truth == Truth::Undefined ? "the given is " + e.why
                                                : "the given is undecided: " + place(e);
      return out;
    }
  }
  decisive = expr::evaluate(*g.claim, v);
  switch (decisive.truth) {
    case Truth::True: out.verdict = Verdict::Holds; break;
    case Truth::False: out.verdict = Verdict::Violated, out.where = place(decisive); break;
    case Truth::Undefined:
      out.verdict = Verdict::HypothesisFails, out.where = "the claim is " + decisive.why;
      break;
    default:
      out.verdict = Verdict::Undecided, out.where = place(decisive);
      const auto& s = decisive.sides;
      if (s.size() == 4 && possible_tie(s[0], s[1], s[2], s[3])) out.where += kPossibleTie;
  }
  return out;
}

template <class I>
nlohmann::json evidence(const expr::Ground& g, const expr::Evaluation& e, const std::vector<expr::Value<I>>& v) {
  nlohmann::json atoms = nlohmann::json::object();
  for (int i : e.atoms_used) atoms[g.atoms[i].text] = atom_json(v[i].x);
  return {{"comparison", e.text}, {"where", e.where}, {"atoms", atoms}};
}

// c when x - y = c I exactly (y empty: when x = c I), else nullopt.
std::optional<Rational> identity_multiple(const RatMatrix& x, const RatMatrix* y) {
  const std::size_t n = x.size();
  const auto at = [&](std::size_t i, std::size_t j) { return y ? Rational(x[i][j] - (*y)[i][j]) : x[i][j]; };
  const Rational c = at(0, 0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (at(i, j) != (i == j ? c : Rational(0))) return std::nullopt;
  return c;
}

// Each matrix of the ground claim as an earlier one plus a multiple of I, exactly (eigen_structure.hpp).
template <class I>
std::vector<Shift> shifts_of(Rung<I>& r) {
  std::vector<Shift> s(r.g.matrices.size());
  for (std::size_t m = 0; m < s.size(); ++m) {
    const RatMatrix& x = r.exact_of(static_cast<int>(m));
    const Rational t = trace(x);
    if (const auto c = identity_multiple(x, nullptr)) {
      s[m] = {-1, *c, t};
      continue;
    }
    s[m] = {static_cast<int>(m), 0, t};
    for (std::size_t p = 0; p < m; ++p)
      if (s[p].base >= 0)
        if (const auto c = identity_multiple(x, &r.exact_of(static_cast<int>(p)))) {
          s[m] = {s[p].base, *c + s[p].shift, t};
          break;
        }
  }
  return s;
}

// Decides one case at the rung of I: enclosures first, then, when undecided, exact rational
// eigenvalues where they exist; a violation gets its certificate.
template <class I>
Outcome decide(const UserClaimSpec& spec, const std::string& names, Rung<I>& r) {
  const std::vector<expr::Value<I>> enclosed = atom_values(r);
  expr::Evaluation decisive;
  Outcome out = verdict_at(r.g, enclosed, decisive);
  out.evidence = evidence(r.g, decisive, enclosed);
  bool exact = false;
  if (out.verdict == Verdict::Undecided) {
    const std::vector<expr::Value<RatIval>> rational = exact_values(r, enclosed);
    expr::Evaluation e;
    Outcome o = verdict_at(r.g, rational, e);
    if (o.verdict != Verdict::Undecided) {
      out = o;
      decisive = e;
      out.evidence = evidence(r.g, e, rational);
      out.exact = exact = true;
      if (out.verdict != Verdict::HypothesisFails) out.where += " (exact: rational eigenvalues)";
    } else {  // equalities of eigenvalues: proved true by their order and shifts, or left undecided
      const std::vector<Shift> shifts = shifts_of(r);
      const bool given = !r.g.given || structural_truth(r.g, *r.g.given, rational, shifts) == Truth::True;
      if (given && structural_truth(r.g, *r.g.claim, rational, shifts) == Truth::True) {
        out = Outcome{};
        out.verdict = Verdict::Holds;
        out.exact = true;
        out.where = "decided exactly by the order of the eigenvalues and their shifts by multiples of I";
      }
    }
  }
  if (out.verdict == Verdict::Violated) {
    std::set<int> used(decisive.atoms_used.begin(), decisive.atoms_used.end());
    atoms_of(r.g.given.get(), used);
    out.certificate = certificate(spec, names, r, used, exact, decisive.where);
  }
  return out;
}

// Approximate atom values in binary64 (the targeted search's margin; never a verdict).
std::vector<double> approx_atoms(const expr::Ground& g, const MatrixCase& c) {
  std::vector<Eigen::VectorXd> eig(g.matrices.size());
  std::vector<MatrixXd> value(g.matrices.size());
  std::vector<Eigen::VectorXd> top(g.matrices.size());
  for (std::size_t m = 0; m < g.matrices.size(); ++m) {
    const RatMatrix x = exact_value(*g.matrices[m], c);
    value[m] = MatrixXd(g.n, g.n);
    for (int i = 0; i < g.n; ++i)
      for (int j = 0; j < g.n; ++j) value[m](i, j) = static_cast<double>(x[i][j]);
    const Eigen::SelfAdjointEigenSolver<MatrixXd> es(value[m]);
    eig[m] = es.eigenvalues().reverse();
    top[m] = es.eigenvectors().col(g.n - 1);
  }
  std::vector<double> v;
  for (const expr::Atom& a : g.atoms) {
    const Eigen::VectorXd& e = eig[a.m];
    switch (a.kind) {
      case AtomKind::Lambda: v.push_back(e(a.k - 1)); break;
      case AtomKind::LambdaMin: v.push_back(e(g.n - 1)); break;
      case AtomKind::Gap: v.push_back(e(0) - e(1)); break;
      case AtomKind::Norm: v.push_back(std::max(e(0), -e(g.n - 1))); break;
      case AtomKind::Fro: v.push_back(value[a.m].norm()); break;
      case AtomKind::Trace: v.push_back(value[a.m].trace()); break;
      case AtomKind::Rayleigh: v.push_back(top[a.m].dot(value[a.m2] * top[a.m])); break;
    }
  }
  return v;
}

// "'text'" for a shell command line (the language has no single quote).
std::string quoted(const std::string& s) { return "'" + s + "'"; }

class UserClaim final : public Claim {
 public:
  UserClaim(const UserClaimSpec& spec, int dim_lo, int dim_hi)
      : spec_(spec), claim_(expr::ParsedClaim::parse(spec.claim, "claim")) {
    if (!spec.given.empty()) given_ = expr::ParsedClaim::parse(spec.given, "given");
    for (const char x : {'A', 'B', 'E'}) {
      const auto uses = [x](const expr::ParsedClaim& p) {
        const auto v = p.matrix_names();
        return std::find(v.begin(), v.end(), x) != v.end();
      };
      if (uses(claim_) || (given_ && uses(*given_))) names_ += x;
    }
    if (names_.empty())  // a certificate needs a matrix to fix n (proofs/claim-language.md, section 6)
      throw expr::ClaimError("claim", 1, "the claim names no matrix: use A, B or E");
    grounds_.resize(static_cast<std::size_t>(dim_hi) + 1);
    for (int n = dim_lo; n <= dim_hi; ++n) {
      try {
        grounds_[n] = std::make_shared<const expr::Ground>(expr::instantiate(claim_, given_ ? &*given_ : nullptr, n));
      } catch (const expr::ClaimError& e) {
        throw expr::ClaimError(e.label, e.position, e.reason + " (at n = " + std::to_string(n) + " of --dim " +
                                                        std::to_string(dim_lo) + ".." + std::to_string(dim_hi) + ")");
      }
    }
  }

  std::string name() const override { return "user"; }
  std::vector<Variant> variants() const override {
    return {{"stated", spec_.claim + (spec_.given.empty() ? "" : ", given " + spec_.given), false}};
  }
  bool diagonal_a() const override { return spec_.eigenbasis; }
  CaseShape shape() const override {
    return {spec_.eigenbasis, names_.find('B') != std::string::npos, spec_.psd};
  }
  std::string command() const override {
    std::string s = "--claim " + quoted(spec_.claim);
    if (!spec_.given.empty()) s += " --given " + quoted(spec_.given);
    for (const char x : spec_.psd) s += std::string(" --psd ") + x;
    if (spec_.eigenbasis) s += " --eigenbasis A";
    return s;
  }

  Outcome check_at(const MatrixCase& c, const std::string&, int bits) const override {
    const expr::Ground* g = ground(c);
    if (!g) {
      Outcome out;
      out.where = "dimension outside --dim";
      return out;
    }
    if (bits <= 53) {
      Rung<Ival> r(*g, c);
      Outcome out = decide(spec_, names_, r);
      out.bits = 53;
      return out;
    }
    const num::ScopedPrecision precision(bits);
    Rung<MpIval> r(*g, c);
    Outcome out = decide(spec_, names_, r);
    out.bits = precision.bits();
    return out;
  }

  std::optional<double> approx_margin(const MatrixCase& c, const std::string&) const override {
    const expr::Ground* g = ground(c);
    if (!g) return std::nullopt;
    const std::vector<double> v = approx_atoms(*g, c);
    const double claim = expr::violation_margin(*g->claim, v);
    return g->given ? std::min(claim, -expr::violation_margin(*g->given, v)) : claim;
  }

 private:
  // The claim instantiated at the case's dimension (nullptr outside --dim, or a B missing).
  const expr::Ground* ground(const MatrixCase& c) const {
    const auto n = static_cast<std::size_t>(c.a.rows());
    if (names_.find('B') != std::string::npos && c.b.rows() != c.a.rows()) return nullptr;
    return n < grounds_.size() ? grounds_[n].get() : nullptr;
  }

  UserClaimSpec spec_;
  expr::ParsedClaim claim_;
  std::optional<expr::ParsedClaim> given_;
  std::string names_;  // the matrices the texts name, of "ABE"
  std::vector<std::shared_ptr<const expr::Ground>> grounds_;  // by n
};

}  // namespace

std::unique_ptr<Claim> make_user_claim(const UserClaimSpec& spec, int dim_lo, int dim_hi) {
  return std::make_unique<UserClaim>(spec, dim_lo, dim_hi);
}

}  // namespace fim::claims
