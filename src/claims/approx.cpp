// C6 approx (proofs/approx.md): each reading compares certified enclosures of lambda_1(F) and of an
// approximation; an overlap is settled exactly by inertia counts of S = G^T G = n F when the
// approximation has an exact value (a rational or the square root of one), which decides every
// equality case (n = 1, rank-one G, orthogonal equal-norm rows).
#include "claims/approx.hpp"
#include "claims/approx_builtins.hpp"

#include <mpfr.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>

#include "claims/eigen_inequality.hpp"
#include "claims/registry.hpp"
#include "linalg/enclose_spectrum_mp.hpp"
#include "linalg/enclose_top.hpp"
#include "linalg/interval_box.hpp"
#include "linalg/product_bounds.hpp"
#include "numeric/exact.hpp"
#include "exact/inertia.hpp"
#include "numeric/hex.hpp"

namespace fim::claims {
using num::Ival;
using num::MpIval;
using num::MpReal;
using num::Rational;

Ival max_of(const Ival& a, const Ival& b) { return Ival(std::max(a.lo, b.lo), std::max(a.hi, b.hi)); }
MpIval max_of(const MpIval& a, const MpIval& b) {
  const MpReal la = lower(a), lb = lower(b), ua = upper(a), ub = upper(b);
  return num::to_mp(la > lb ? la : lb, ua > ub ? ua : ub);
}

ExactScores::ExactScores(const Eigen::MatrixXd& gm)
    : n(static_cast<int>(gm.rows())), d(static_cast<int>(gm.cols())),
      g(n, std::vector<Rational>(d)), s(d, std::vector<Rational>(d, Rational(0))) {
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) g[i][j] = num::to_rational(gm(i, j));
  for (int j = 0; j < d; ++j)
    for (int k = j; k < d; ++k) {
      Rational x = 0;
      for (int i = 0; i < n; ++i) x += g[i][j] * g[i][k];
      s[j][k] = x;
      s[k][j] = x;
    }
}

namespace {

constexpr int kExactMaxDim = 64;  // exact inertia counts beyond this are not attempted
// Exact decisions start at this rung: below it an overlap is usually a near-tie that more bits
// separate (with a certificate straight from the enclosures); true ties need the exact step.
constexpr int kExactFromBits = 256;

// ---- readings and variants ----

enum class Claimed { Lower, Upper, RelError, Nothing };

struct Reading {
  std::shared_ptr<const Approximation> a;
  Claimed claimed;
};

struct VariantDef {
  Variant v;
  std::vector<Reading> readings;
};

Reading declared(const std::shared_ptr<const Approximation>& a) {
  switch (a->kind()) {
    case ApproxKind::Lower: return {a, Claimed::Lower};
    case ApproxKind::Upper: return {a, Claimed::Upper};
    default: return {a, a->claimed_rel_error() ? Claimed::RelError : Claimed::Nothing};
  }
}

const char* claimed_name(Claimed c) {
  return c == Claimed::Lower ? "lower" : c == Claimed::Upper ? "upper" : c == Claimed::RelError ? "relative-error" : "nothing";
}

std::vector<VariantDef> builtin_variants() {
  auto b = [](const char* id) { return builtin_approximation(id); };
  const Reading power{b("power-4"), Claimed::Nothing}, lanczos{b("lanczos-3"), Claimed::Nothing};
  return {
      {{"stated", "max_i ||g_i||^2/n <= lambda_1 <= sum_i ||g_i||^2/n; tr(F^2)/tr(F) <= lambda_1 <= "
                  "sqrt(tr(F^2)); lambda_1 <= max_i sum_j |F_ij|; power-4 and lanczos-3 measured only", true},
       {{b("score-max"), Claimed::Lower}, {b("score-sum"), Claimed::Upper}, {b("frobenius-ratio"), Claimed::Lower},
        {b("frobenius-norm"), Claimed::Upper}, {b("gershgorin"), Claimed::Upper}, power, lanczos}},
      {{"score-norm-sandwich", "max_i ||g_i||^2 / n <= lambda_1 <= sum_i ||g_i||^2 / n", true},
       {{b("score-max"), Claimed::Lower}, {b("score-sum"), Claimed::Upper}}},
      {{"frobenius-sandwich", "tr(F^2) / tr(F) <= lambda_1 <= sqrt(tr(F^2))", true},
       {{b("frobenius-ratio"), Claimed::Lower}, {b("frobenius-norm"), Claimed::Upper}}},
      {{"gershgorin-upper", "lambda_1 <= max_i sum_j |F_ij|", true}, {{b("gershgorin"), Claimed::Upper}}},
      {{"power-iteration", "heuristic, claims nothing: the certified relative error of the 4-step power "
                           "iteration's Rayleigh quotient is reported (every case HYPOTHESIS_FAILS)", true},
       {power}},
      {{"lanczos", "heuristic, claims nothing: the certified relative error of the 3-step Lanczos Ritz "
                   "value is reported (every case HYPOTHESIS_FAILS)", true},
       {lanczos}},
      {{"frobenius-norm-as-lower", "sqrt(tr(F^2)) <= lambda_1 (an upper bound read as a lower one)", false},
       {{b("frobenius-norm"), Claimed::Lower}}},
      {{"frobenius-ratio-as-upper", "lambda_1 <= tr(F^2) / tr(F) (a lower bound read as an upper one)", false},
       {{b("frobenius-ratio"), Claimed::Upper}}},
      {{"score-max-without-n", "max_i ||g_i||^2 <= lambda_1 (the 1/n dropped)", false},
       {{b("score-max-unscaled"), Claimed::Lower}}},
      {{"power-iteration-upper", "lambda_1 <= the 4-step power iteration's Rayleigh quotient", false},
       {{b("power-4"), Claimed::Upper}}},
      {{"lanczos-upper", "lambda_1 <= the 3-step Lanczos Ritz value", false}, {{b("lanczos-3"), Claimed::Upper}}}};
}

// ---- exact decisions: inertia counts of S = n F (proofs/approx.md, section 7) ----

class ExactLambda {
 public:
  explicit ExactLambda(const Eigen::MatrixXd& g) : e_(g), s_(e_.s) {}
  const ExactScores& scores() const { return e_; }
  /// Sign of lambda_1(F) - v.
  int sign_vs(const ExactValue& v) {
    if (!v.sqrt) return sign_at(s_, e_.n * v.r);
    if (v.r < 0) return 1;
    // lambda_1(F) >= 0 and lambda_1(S)^2 = lambda_1(S^2): compare lambda_1(S^2) with n^2 r
    if (!s2_) {
      const RatMatrix& s = e_.s;
      RatMatrix sq(e_.d, std::vector<Rational>(e_.d, Rational(0)));
      for (int i = 0; i < e_.d; ++i)
        for (int j = 0; j < e_.d; ++j)
          for (int k = 0; k < e_.d; ++k) sq[i][j] += s[i][k] * s[k][j];
      s2_.emplace(sq);
    }
    return sign_at(*s2_, Rational(e_.n) * e_.n * v.r);
  }
  /// lambda_1(F) <= q, exactly.
  bool le(const Rational& q) { return s_.count_above(e_.n * q) == 0; }

 private:
  int sign_at(const oracle::ExactSym& m, const Rational& x) {
    if (m.count_above(x) >= 1) return 1;
    if (m.count_below(x) == m.dim()) return -1;
    return 0;
  }
  ExactScores e_;
  oracle::ExactSym s_;
  std::optional<oracle::ExactSym> s2_;
};

ExactValue scaled(const ExactValue& v, const Rational& c) {  // c > 0
  return v.sqrt ? ExactValue{v.r * c * c, true} : ExactValue{v.r * c};
}

// The reading decided exactly from the exact value v of the approximation.
Verdict decide_exact(Claimed claimed, const ExactValue& v, double eps, ExactLambda& x) {
  if (claimed == Claimed::Lower) return x.sign_vs(v) >= 0 ? Verdict::Holds : Verdict::Violated;
  if (claimed == Claimed::Upper) return x.sign_vs(v) <= 0 ? Verdict::Holds : Verdict::Violated;
  // |v - lambda_1| <= eps lambda_1  <=>  v <= (1 + eps) lambda_1  and  (1 - eps) lambda_1 <= v
  const Rational e = num::to_rational(eps);
  if (x.sign_vs(scaled(v, 1 / (1 + e))) < 0) return Verdict::Violated;
  const bool v_nonneg = v.sqrt || v.r >= 0;
  if (e < 1) return x.sign_vs(scaled(v, 1 / (1 - e))) <= 0 ? Verdict::Holds : Verdict::Violated;
  if (v_nonneg) return Verdict::Holds;
  if (e == 1) return Verdict::Violated;
  return x.sign_vs(ExactValue{v.r / (1 - e)}) >= 0 ? Verdict::Holds : Verdict::Violated;
}

// What the certificate's comparison needs of the approximation value: certainly > x, certainly < x.
struct ValueSide {
  std::optional<ExactValue> exact;
  Rational lo, hi;  // an enclosure, used when there is no exact value
  bool gt(const Rational& x) const {
    if (!exact) return lo > x;
    if (!exact->sqrt) return exact->r > x;
    return x < 0 || exact->r > x * x;
  }
  bool lt(const Rational& x) const {
    if (!exact) return hi < x;
    if (!exact->sqrt) return exact->r < x;
    return x > 0 && exact->r < x * x;
  }
};

// The confirmed lambda_1 bounds [lo, hi] contradict the reading.
bool separated(Claimed claimed, const ValueSide& v, double eps, const Rational& lo, const Rational& hi) {
  if (claimed == Claimed::Lower) return v.gt(hi);
  if (claimed == Claimed::Upper) return v.lt(lo);
  const Rational e = num::to_rational(eps);
  return v.gt((1 + e) * hi) || v.lt(std::min(Rational((1 - e) * lo), Rational((1 - e) * hi)));
}

template <class I>
double midpoint(const I& x) { return static_cast<double>((lower(x) + upper(x)) / 2); }
template <class I>
bool finite_ival(const I& x) { return finite(x); }

// lambda_1(F) on the binary64 path: F as a ball (interval midpoints, entrywise radii bounded in the
// 2-norm by sqrt(||R||_1 ||R||_inf)), then enclose_top_fp (proofs/linear-algebra.md, Lemmas 2-7).
Ival lambda1_fp(const Scores<Ival>& s) {
  const linalg::IntervalBox box = linalg::box_of(s.d(), s.d(), s.f_entries());
  if (!box.finite) return Ival::entire();
  const linalg::SymMatrix m = linalg::ball_of(box);
  if (!std::isfinite(m.radius)) return Ival::entire();
  const linalg::Top t = linalg::enclose_top_fp(m);
  return t.ok ? Ival(std::max(0.0, t.lambda1.lo), t.lambda1.hi) : Ival::entire();  // F is PSD
}

MpIval lambda1_mp(const Scores<MpIval>& s) {
  const int d = s.d();
  linalg::MpMatrix m(d, d);
  for (int j = 0; j < d; ++j)
    for (int k = 0; k < d; ++k) m(j, k) = s.f(j, k);
  const linalg::SpectrumMp sp = linalg::enclose_spectrum_mpi(m);
  if (!sp.ok || sp.eig.empty()) return num::to_mp(Ival::entire());
  const MpReal lo = lower(sp.eig.front()), hi = upper(sp.eig.front());
  return num::to_mp(lo > 0 ? lo : MpReal(0), hi);
}

class ApproxClaim final : public Claim {
 public:
  explicit ApproxClaim(std::vector<std::shared_ptr<const Approximation>> user) : defs_(builtin_variants()) {
    for (const auto& a : user) {
      std::string what = a->kind() == ApproxKind::Lower ? a->statement() + " <= lambda_1"
                         : a->kind() == ApproxKind::Upper ? "lambda_1 <= " + a->statement()
                         : a->claimed_rel_error() ? "|" + a->statement() + " - lambda_1| <= " +
                                                        std::to_string(*a->claimed_rel_error()) + " lambda_1"
                                                  : a->statement() + ": heuristic, claims nothing";
      defs_.push_back({{a->name(), "user approximation: " + what, false}, {declared(a)}});
    }
  }
  std::string name() const override { return "approx"; }
  std::vector<Variant> variants() const override {
    std::vector<Variant> v;
    for (const auto& d : defs_) v.push_back(d.v);
    return v;
  }
  std::string tightness_meaning() const override {
    return "approximation / lambda_1 (stated: the tightest built-in upper bound / lambda_1)";
  }
  std::vector<std::pair<std::string, Eigen::MatrixXd>> spectra_to_plot(const MatrixCase& c) const override {
    return {{"F = G^T G / n (binary64 estimate)", c.a.transpose() * c.a / static_cast<double>(c.a.rows())}};
  }

  Outcome check_at(const MatrixCase& c, const std::string& variant, int bits) const override {
    const VariantDef& def = find(variant);
    Outcome out;
    if (bits <= 53) {
      const Scores<Ival> s(c.a);
      out = decide(def, c.a, s, lambda1_fp(s), bits);
    } else {
      const num::ScopedPrecision precision(bits);
      const Scores<MpIval> s(c.a);
      out = decide(def, c.a, s, lambda1_mp(s), precision.bits());
      bits = precision.bits();
    }
    out.bits = bits;
    return out;
  }

  // The worst reading's miss relative to its scale, from binary64 values (unverified; targeted
  // search only): > 0 means apparently violated.
  std::optional<double> approx_margin(const MatrixCase& c, const std::string& variant) const override {
    const VariantDef& def = find(variant);
    const Eigen::MatrixXd f = c.a.transpose() * c.a / static_cast<double>(c.a.rows());
    const double l1 = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(f, Eigen::EigenvaluesOnly).eigenvalues().maxCoeff();
    const Scores<Ival> s(c.a);
    double worst = -1;
    for (const Reading& r : def.readings) {
      const double v = midpoint(r.a->enclose(s, 53)), scale = std::fabs(v) + std::fabs(l1) + 1e-300;
      if (r.claimed == Claimed::Lower) worst = std::max(worst, (v - l1) / scale);
      if (r.claimed == Claimed::Upper) worst = std::max(worst, (l1 - v) / scale);
      if (r.claimed == Claimed::RelError)
        worst = std::max(worst, (std::fabs(v - l1) - *r.a->claimed_rel_error() * l1) / scale);
    }
    return std::isfinite(worst) ? worst : -1.0;
  }

 private:
  const VariantDef& find(const std::string& variant) const {
    for (const auto& d : defs_)
      if (d.v.name == variant) return d;
    return defs_.front();
  }

  template <class I>
  Outcome decide(const VariantDef& def, const Eigen::MatrixXd& g, const Scores<I>& s, const I& lambda1,
                 int bits) const {
    Outcome out;
    out.verdict = Verdict::Holds;
    out.evidence = {{"lambda1", to_json(lambda1)}, {"n", s.n()}, {"d", s.d()},
                    {"approximations", nlohmann::json::array()}};
    std::unique_ptr<ExactLambda> exact;  // built on first use
    auto exact_of = [&]() -> ExactLambda& {
      if (!exact) exact = std::make_unique<ExactLambda>(g);
      return *exact;
    };
    const bool lambda_ok = finite_ival(lambda1);
    const bool exact_allowed = s.d() <= kExactMaxDim && bits >= kExactFromBits;
    bool claims_something = false;
    std::optional<double> tight;
    for (const Reading& r : def.readings) {
      const I v = r.a->enclose(s, bits);
      const double eps = r.a->claimed_rel_error().value_or(0);
      nlohmann::json j = {{"name", r.a->name()}, {"claims", claimed_name(r.claimed)}, {"value", to_json(v)}};
      if (lambda_ok && finite_ival(v) && lower(lambda1) > 0) {
        const I rel = (lambda1 - v) / lambda1;
        j["relative_error"] = to_json(rel);  // (lambda_1 - value) / lambda_1, certified enclosure
        const double ratio = midpoint(v) / midpoint(lambda1);
        if (def.readings.size() == 1 || (r.claimed == Claimed::Upper && std::isfinite(ratio)))
          tight = tight && def.readings.size() > 1 ? std::min(*tight, ratio) : ratio;
      }
      if (r.claimed == Claimed::Nothing) {
        out.evidence["approximations"].push_back(j);
        continue;
      }
      claims_something = true;
      Verdict verdict = Verdict::Undecided;
      std::string how;
      if (lambda_ok && finite_ival(v)) {
        if (r.claimed == Claimed::Lower) verdict = decide_le(v, lambda1);
        else if (r.claimed == Claimed::Upper) verdict = decide_le(lambda1, v);
        else verdict = decide_le(abs(v - lambda1), I(eps) * lambda1);
      }
      std::optional<ExactValue> ev;
      if (verdict == Verdict::Undecided && exact_allowed) {
        ev = r.a->exact(exact_of().scores());
        if (ev) {
          verdict = decide_exact(r.claimed, *ev, eps, exact_of());
          how = " (exact: inertia of G^T G)";
        } else if (r.claimed == Claimed::Upper && krylov_rank_of(*r.a, exact_of().scores()) == s.d()) {
          verdict = Verdict::Holds;  // the Krylov space is R^d: theta = lambda_1 (section 6)
          how = " (by structure: the Krylov space is all of R^d)";
        }
      }
      j["verdict"] = to_string(verdict);
      out.evidence["approximations"].push_back(j);
      const std::string where = r.a->name() + " " + claimed_name(r.claimed) + how;
      if (verdict == Verdict::Violated) {
        out.certificate = certificate(def, r, g, v, lambda1, ev, eps, exact_allowed ? &exact_of() : nullptr);
        if (out.certificate.is_null()) verdict = Verdict::Undecided;
      }
      if (verdict != Verdict::Holds && (out.verdict == Verdict::Holds || verdict == Verdict::Violated))
        out.where = where + (verdict == Verdict::Undecided ? ": enclosures overlap" : "");
      out.verdict = conjoin(out.verdict, verdict);
      if (out.verdict == Verdict::Violated) break;
    }
    if (!claims_something) {
      out.verdict = Verdict::HypothesisFails;
      out.where = "heuristic: claims nothing (certified relative error in evidence)";
    } else if (out.verdict == Verdict::Holds) {
      out.where = "every declared bound certified";
    }
    if (tight && std::isfinite(*tight)) out.tightness = *tight;
    return out;
  }

  // The certificate of a violated reading: G exactly, confirmed-by-inertia bounds on lambda_1(F)
  // that contradict the reading, and the value's enclosure when verify-cert cannot recompute it
  // exactly from G alone. Null when no separating bounds were found.
  template <class I>
  nlohmann::json certificate(const VariantDef& def, const Reading& r, const Eigen::MatrixXd& g, const I& v,
                             const I& lambda1, std::optional<ExactValue> ev, double eps,
                             ExactLambda* exact) const {
    const nlohmann::json f = r.a->formula();
    const bool recomputable = f.is_object() && f.value("id", "") != "lanczos";
    ValueSide side{ev, 0, 0};
    if (finite_ival(v)) side.lo = num::lower_rational(v), side.hi = num::upper_rational(v);
    if (!side.exact && exact) side.exact = r.a->exact(exact->scores());
    if (!recomputable) {  // verify-cert reads the value's enclosure from the certificate
      if (side.exact && !side.exact->sqrt) side.lo = side.hi = side.exact->r;
      else if (!finite_ival(v)) return nullptr;
      side.exact.reset();
    }
    Rational lo = 0, hi = 0;
    if (finite_ival(lambda1)) lo = num::lower_rational(lambda1), hi = num::upper_rational(lambda1);
    else if (exact) hi = trace(exact->scores().s) / exact->scores().n;  // 0 <= lambda_1 <= tr F
    else return nullptr;
    if (lo < 0) lo = 0;
    if (exact && side.exact && !side.exact->sqrt && !separated(r.claimed, side, eps, lo, hi)) {
      // a rational value r strictly on the wrong side of lambda_1: gallop from r towards the
      // enclosure, r -+ w / 2^j for j = 1, 2, 4, ..., until the inertia count confirms the bound
      const Rational& v0 = side.exact->r;
      for (long j = 1; j < (1L << 24); j *= 2) {
        const Rational w = num::bmp::mpz_int(1) << static_cast<unsigned>(j);
        if (r.claimed == Claimed::Upper && hi > v0) {
          const Rational cand = v0 + (hi - v0) / w;
          if (!exact->le(cand)) { lo = cand; break; }
        } else if (r.claimed == Claimed::Lower && lo < v0) {
          const Rational cand = v0 - (v0 - lo) / w;
          if (exact->le(cand)) { hi = cand; break; }
        } else {
          break;
        }
      }
    }
    for (int step = 0; !separated(r.claimed, side, eps, lo, hi); ++step) {
      if (!exact || step > 6000) return nullptr;
      const Rational mid = (lo + hi) / 2;  // refine by bisection with exact inertia counts
      if (exact->le(mid)) hi = mid;
      else lo = mid;
    }
    nlohmann::json bounds = nlohmann::json::array();
    if (r.claimed != Claimed::Upper) bounds.push_back({{"matrix", "F"}, {"index", 1}, {"upper", num::rational_text(hi)}});
    if (r.claimed != Claimed::Lower) bounds.push_back({{"matrix", "F"}, {"index", 1}, {"lower", num::rational_text(lo)}});
    // verify-cert derives the formula and the claimed side from (variant, approximation); a user
    // approximation, whose code it cannot run, names its claimed side and its value's enclosure
    nlohmann::json cert = {{"fimcheck_certificate", 2}, {"kind", "approximation"}, {"claim", "approx"},
                           {"variant", def.v.name}, {"where", {{"approximation", r.a->name()}}},
                           {"matrices", {{"G", hex_matrix(g)}}}, {"bounds", bounds}};
    if (f.is_string()) {
      cert["user_approximation"] = {{"claimed", claimed_name(r.claimed)}};
      if (r.claimed == Claimed::RelError) cert["user_approximation"]["eps"] = exact_text(eps);
    }
    if (!recomputable)
      cert["value_bounds"] = {{"lower", num::rational_text(side.lo)}, {"upper", num::rational_text(side.hi)}};
    return cert;
  }

  std::vector<VariantDef> defs_;
};

}  // namespace

std::shared_ptr<const Approximation> builtin_approximation(const std::string& name) {
  static std::map<std::string, std::shared_ptr<const Approximation>> cache;
  static std::mutex lock;  // claims may be built while other threads decide cases (--jobs)
  const std::lock_guard guard(lock);
  auto& slot = cache[name];
  if (!slot) slot = make_builtin(name);
  return slot;
}

std::unique_ptr<Claim> approx_claim_with(std::vector<std::shared_ptr<const Approximation>> user) {
  return std::make_unique<ApproxClaim>(std::move(user));
}

const Claim& approx_claim() {
  static const ApproxClaim claim({});
  return claim;
}

}  // namespace fim::claims
