// Rigorous elementary functions over Ival and MpIval (proofs/models.md, Lemma 6): monotone
// functions evaluated at the endpoints by MPFR with directed rounding.
#include "fim/scalar_ops.hpp"

#include <mpfi.h>
#include <mpfr.h>

namespace fim::model {
namespace {

using MpfrFn = int (*)(mpfr_ptr, mpfr_srcptr, mpfr_rnd_t);

// f(x) rounded in direction rnd to binary64: MPFR rounds f(x) once to 53 bits in direction rnd,
// and mpfr_get_d rounds in the same direction again, so the result stays on the same side of f(x).
double directed(MpfrFn f, double x, mpfr_rnd_t rnd) {
  mpfr_t in, out;
  mpfr_init2(in, 53);
  mpfr_init2(out, 53);
  mpfr_set_d(in, x, MPFR_RNDN);  // exact: x is a binary64 value
  f(out, in, rnd);
  const double r = mpfr_get_d(out, rnd);
  mpfr_clear(in);
  mpfr_clear(out);
  return r;
}

// [f(lo), f(hi)] for increasing f, rounded outward (Lemma 6 (a)).
num::Ival increasing_image(MpfrFn f, const num::Ival& x) {
  return {directed(f, x.lo, MPFR_RNDD), directed(f, x.hi, MPFR_RNDU)};
}

// An MPFI interval containing constant c, at the precision of r.
void constant_mpfi(Constant c, mpfi_ptr r) {
  switch (c) {
    case Constant::two_over_sqrt_pi:  // 2 / sqrt(pi)
      mpfi_const_pi(r);
      mpfi_sqrt(r, r);
      mpfi_ui_div(r, 2, r);
      return;
    case Constant::inv_sqrt2:  // 1 / sqrt(2)
      mpfi_set_ui(r, 2);
      mpfi_sqrt(r, r);
      mpfi_ui_div(r, 1, r);
      return;
    case Constant::inv_sqrt_2pi:  // 1 / sqrt(2 pi)
      mpfi_const_pi(r);
      mpfi_mul_ui(r, r, 2);
      mpfi_sqrt(r, r);
      mpfi_ui_div(r, 1, r);
      return;
  }
}

// The endpoints of an MPFI interval, at its precision.
struct Ends {
  mpfr_t lo, hi;
  explicit Ends(const num::MpIval& x) {
    const mpfr_prec_t p = mpfi_get_prec(x.data());
    mpfr_init2(lo, p);
    mpfr_init2(hi, p);
    mpfi_get_left(lo, x.data());
    mpfi_get_right(hi, x.data());
  }
  ~Ends() {
    mpfr_clear(lo);
    mpfr_clear(hi);
  }
  Ends(const Ends&) = delete;
  Ends& operator=(const Ends&) = delete;
};

// The MPFI interval [lo, hi] (exact: the result takes the endpoints' precision).
num::MpIval interval_of(mpfr_srcptr lo, mpfr_srcptr hi) {
  num::MpIval r;
  mpfi_interv_fr(r.data(), lo, hi);
  return r;
}

}  // namespace

// c at 128 bits, rounded to nearest (binary64 then rounds it once more: an approximation only).
static num::MpReal rounded_constant(Constant c) {
  num::ScopedPrecision p(128);
  return ScalarOps<num::MpReal>::constant(c);
}

// A binary64 interval containing c (MPFI at 128 bits, converted outward).
static num::Ival enclosed_constant(Constant c) {
  num::ScopedPrecision p(128);
  return num::to_ival(ScalarOps<num::MpIval>::constant(c));
}

double ScalarOps<double>::constant(Constant c) {
  static const double table[3] = {  // computed once: the hot loops of training call this
      ScalarOps<num::MpReal>::approx(rounded_constant(Constant::two_over_sqrt_pi)),
      ScalarOps<num::MpReal>::approx(rounded_constant(Constant::inv_sqrt2)),
      ScalarOps<num::MpReal>::approx(rounded_constant(Constant::inv_sqrt_2pi))};
  return table[static_cast<int>(c)];
}

num::MpReal ScalarOps<num::MpReal>::constant(Constant c) {
  num::MpIval enclosure = ScalarOps<num::MpIval>::constant(c);
  num::MpReal r;
  mpfi_mid(r.data(), enclosure.data());
  return r;
}

num::Ival ScalarOps<num::Ival>::exp(const num::Ival& x) { return increasing_image(mpfr_exp, x); }
num::Ival ScalarOps<num::Ival>::tanh(const num::Ival& x) { return increasing_image(mpfr_tanh, x); }
num::Ival ScalarOps<num::Ival>::erf(const num::Ival& x) { return increasing_image(mpfr_erf, x); }
num::Ival ScalarOps<num::Ival>::log(const num::Ival& x) {
  if (!(x.lo > 0)) return num::Ival::entire();  // log is only used on positive quantities
  return increasing_image(mpfr_log, x);
}
num::Ival ScalarOps<num::Ival>::constant(Constant c) {
  static const num::Ival table[3] = {enclosed_constant(Constant::two_over_sqrt_pi),
                                     enclosed_constant(Constant::inv_sqrt2),
                                     enclosed_constant(Constant::inv_sqrt_2pi)};
  return table[static_cast<int>(c)];
}

num::MpIval ScalarOps<num::MpIval>::exp(const num::MpIval& x) {
  num::MpIval r;
  mpfi_exp(r.data(), x.data());
  return r;
}
num::MpIval ScalarOps<num::MpIval>::log(const num::MpIval& x) {
  num::MpIval r;
  if (mpfi_is_strictly_pos(x.data()) <= 0) {  // the whole line, as for Ival
    mpfi_interv_d(r.data(), -num::inf, num::inf);
    return r;
  }
  mpfi_log(r.data(), x.data());
  return r;
}
num::MpIval ScalarOps<num::MpIval>::tanh(const num::MpIval& x) {
  num::MpIval r;
  mpfi_tanh(r.data(), x.data());
  return r;
}
num::MpIval ScalarOps<num::MpIval>::erf(const num::MpIval& x) {  // Lemma 6 (a): erf increases
  Ends e(x);
  mpfr_erf(e.lo, e.lo, MPFR_RNDD);
  mpfr_erf(e.hi, e.hi, MPFR_RNDU);
  return interval_of(e.lo, e.hi);
}
num::MpIval ScalarOps<num::MpIval>::sqrt(const num::MpIval& x) {
  num::MpIval r;
  mpfi_sqrt(r.data(), x.data());
  return r;
}
num::MpIval ScalarOps<num::MpIval>::sqr(const num::MpIval& x) {
  num::MpIval r;
  mpfi_sqr(r.data(), x.data());  // MPFI's sqr is 0-aware
  return r;
}
num::MpIval ScalarOps<num::MpIval>::relu(const num::MpIval& x) {  // max is exact on endpoints
  Ends e(x);
  if (mpfr_sgn(e.lo) < 0) mpfr_set_zero(e.lo, 1);
  if (mpfr_sgn(e.hi) < 0) mpfr_set_zero(e.hi, 1);
  return interval_of(e.lo, e.hi);
}
num::MpIval ScalarOps<num::MpIval>::step(const num::MpIval& x) {
  Ends e(x);
  const double lo = mpfr_sgn(e.lo) > 0 ? 1.0 : 0.0;
  const double hi = mpfr_sgn(e.hi) > 0 ? 1.0 : 0.0;
  num::MpIval r;
  mpfi_interv_d(r.data(), lo, hi);
  return r;
}
num::MpIval ScalarOps<num::MpIval>::relu_curvature(const num::MpIval& x) {
  num::MpIval r;
  const bool kink = mpfi_has_zero(x.data()) > 0;
  mpfi_interv_d(r.data(), kink ? -num::inf : 0.0, kink ? num::inf : 0.0);
  return r;
}
num::MpIval ScalarOps<num::MpIval>::constant(Constant c) {
  num::MpIval r;
  constant_mpfi(c, r.data());
  return r;
}
double ScalarOps<num::MpIval>::approx(const num::MpIval& x) {
  mpfr_t m;
  mpfr_init2(m, mpfi_get_prec(x.data()));
  mpfi_mid(m, x.data());
  const double r = mpfr_get_d(m, MPFR_RNDN);
  mpfr_clear(m);
  return r;
}

}  // namespace fim::model
