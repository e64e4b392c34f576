#include "numeric/mp.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <stdexcept>
#include <string>

namespace fim::num {

namespace {
// The precision of values made without an explicit one, per thread: the 68 bits new values had
// before any ScopedPrecision (Boost's 20 decimal digits), so that results stay as they were.
thread_local int tl_bits = 68;

mpfr_prec_t max_prec(mpfr_prec_t a, mpfr_prec_t b) { return std::max(a, b); }
}  // namespace

int working_bits() { return tl_bits; }

namespace {
// The bits of d decimal digits as fimcheck has always rounded them: 1000 d / 301, plus 2 when the
// division is inexact, plus 1 when it is exact.
long bits_of_digits(long d) { return 1000 * d / 301 + ((1000 * d) % 301 ? 2 : 1); }
}  // namespace

int rung_bits(int bits) {
  long d = 1;
  while (bits_of_digits(d) < bits) ++d;
  return static_cast<int>(bits_of_digits(d));
}

ScopedPrecision::ScopedPrecision(int bits) : old_(tl_bits), bits_(rung_bits(bits)) { tl_bits = bits_; }
ScopedPrecision::~ScopedPrecision() { tl_bits = old_; }

// ---- MpReal ------------------------------------------------------------------------------------

MpReal::MpReal(Raw, mpfr_prec_t bits) { mpfr_init2(x_, bits); }
MpReal::MpReal() : MpReal(Raw{}, tl_bits) { mpfr_set_zero(x_, 1); }
MpReal::MpReal(double x) : MpReal(Raw{}, tl_bits) { mpfr_set_d(x_, x, MPFR_RNDN); }
MpReal::MpReal(long x) : MpReal(Raw{}, tl_bits) { mpfr_set_si(x_, x, MPFR_RNDN); }
MpReal::MpReal(const char* text) : MpReal(Raw{}, tl_bits) {
  if (mpfr_set_str(x_, text, 10, MPFR_RNDN) != 0) throw std::invalid_argument(std::string("not a number: ") + text);
}
MpReal::MpReal(const MpReal& x, int bits) : MpReal(Raw{}, bits) { mpfr_set(x_, x.x_, MPFR_RNDN); }
MpReal::MpReal(const MpReal& o) : MpReal(Raw{}, mpfr_get_prec(o.x_)) { mpfr_set(x_, o.x_, MPFR_RNDN); }
MpReal::MpReal(MpReal&& o) noexcept : MpReal(Raw{}, mpfr_get_prec(o.x_)) { mpfr_swap(x_, o.x_); }
MpReal::~MpReal() { mpfr_clear(x_); }
MpReal MpReal::with_bits(int bits) { return MpReal(Raw{}, bits); }

MpReal& MpReal::operator=(const MpReal& o) {
  if (this == &o) return *this;
  if (mpfr_get_prec(x_) != mpfr_get_prec(o.x_)) mpfr_set_prec(x_, mpfr_get_prec(o.x_));
  mpfr_set(x_, o.x_, MPFR_RNDN);
  return *this;
}
MpReal& MpReal::operator=(MpReal&& o) noexcept {
  mpfr_swap(x_, o.x_);
  return *this;
}

namespace {
template <class F>
MpReal real_op(const MpReal& a, const MpReal& b, F f) {
  MpReal r = MpReal::with_bits(static_cast<int>(max_prec(mpfr_get_prec(a.data()), mpfr_get_prec(b.data()))));
  f(r.data(), a.data(), b.data(), MPFR_RNDN);
  return r;
}
template <class F, class T>
MpReal real_op_n(const MpReal& a, T b, F f) {
  MpReal r = MpReal::with_bits(a.precision());
  f(r.data(), a.data(), b, MPFR_RNDN);
  return r;
}
template <class F, class T>
MpReal real_n_op(T a, const MpReal& b, F f) {
  MpReal r = MpReal::with_bits(b.precision());
  f(r.data(), a, b.data(), MPFR_RNDN);
  return r;
}
}  // namespace

MpReal& MpReal::operator+=(const MpReal& b) { return *this = *this + b; }
MpReal& MpReal::operator-=(const MpReal& b) { return *this = *this - b; }
MpReal& MpReal::operator*=(const MpReal& b) { return *this = *this * b; }
MpReal& MpReal::operator/=(const MpReal& b) { return *this = *this / b; }

MpReal operator-(const MpReal& a) {
  MpReal r = MpReal::with_bits(a.precision());
  mpfr_neg(r.data(), a.data(), MPFR_RNDN);
  return r;
}
MpReal operator+(const MpReal& a, const MpReal& b) { return real_op(a, b, mpfr_add); }
MpReal operator-(const MpReal& a, const MpReal& b) { return real_op(a, b, mpfr_sub); }
MpReal operator*(const MpReal& a, const MpReal& b) { return real_op(a, b, mpfr_mul); }
MpReal operator/(const MpReal& a, const MpReal& b) { return real_op(a, b, mpfr_div); }
MpReal operator+(const MpReal& a, double b) { return real_op_n(a, b, mpfr_add_d); }
MpReal operator-(const MpReal& a, double b) { return real_op_n(a, b, mpfr_sub_d); }
MpReal operator*(const MpReal& a, double b) { return real_op_n(a, b, mpfr_mul_d); }
MpReal operator/(const MpReal& a, double b) { return real_op_n(a, b, mpfr_div_d); }
MpReal operator+(double a, const MpReal& b) { return real_op_n(b, a, mpfr_add_d); }
MpReal operator-(double a, const MpReal& b) { return real_n_op(a, b, mpfr_d_sub); }
MpReal operator*(double a, const MpReal& b) { return real_op_n(b, a, mpfr_mul_d); }
MpReal operator/(double a, const MpReal& b) { return real_n_op(a, b, mpfr_d_div); }
MpReal operator+(const MpReal& a, long b) { return real_op_n(a, b, mpfr_add_si); }
MpReal operator-(const MpReal& a, long b) { return real_op_n(a, b, mpfr_sub_si); }
MpReal operator*(const MpReal& a, long b) { return real_op_n(a, b, mpfr_mul_si); }
MpReal operator/(const MpReal& a, long b) { return real_op_n(a, b, mpfr_div_si); }
MpReal operator+(long a, const MpReal& b) { return real_op_n(b, a, mpfr_add_si); }
MpReal operator-(long a, const MpReal& b) { return real_n_op(a, b, mpfr_si_sub); }
MpReal operator*(long a, const MpReal& b) { return real_op_n(b, a, mpfr_mul_si); }
MpReal operator/(long a, const MpReal& b) { return real_n_op(a, b, mpfr_si_div); }

bool operator<(const MpReal& a, const MpReal& b) { return mpfr_less_p(a.data(), b.data()) != 0; }
bool operator<=(const MpReal& a, const MpReal& b) { return mpfr_lessequal_p(a.data(), b.data()) != 0; }
bool operator==(const MpReal& a, const MpReal& b) { return mpfr_equal_p(a.data(), b.data()) != 0; }
int compare(const MpReal& a, double b) {
  if (mpfr_nan_p(a.data()) || std::isnan(b)) return 2;
  const int c = mpfr_cmp_d(a.data(), b);
  return (c > 0) - (c < 0);
}
int compare(const MpReal& a, long b) {
  if (mpfr_nan_p(a.data())) return 2;
  const int c = mpfr_cmp_si(a.data(), b);
  return (c > 0) - (c < 0);
}

MpReal abs(const MpReal& x) {
  MpReal r = MpReal::with_bits(x.precision());
  mpfr_abs(r.data(), x.data(), MPFR_RNDN);
  return r;
}
MpReal fabs(const MpReal& x) { return abs(x); }
MpReal sqrt(const MpReal& x) {
  MpReal r = MpReal::with_bits(x.precision());
  mpfr_sqrt(r.data(), x.data(), MPFR_RNDN);
  return r;
}
namespace {
template <class F>
MpReal real_fn(const MpReal& x, F f) {
  MpReal r = MpReal::with_bits(x.precision());
  f(r.data(), x.data(), MPFR_RNDN);
  return r;
}
}  // namespace
MpReal exp(const MpReal& x) { return real_fn(x, mpfr_exp); }
MpReal log(const MpReal& x) { return real_fn(x, mpfr_log); }
MpReal tanh(const MpReal& x) { return real_fn(x, mpfr_tanh); }
MpReal erf(const MpReal& x) { return real_fn(x, mpfr_erf); }

bool isfinite(const MpReal& x) { return mpfr_number_p(x.data()) != 0; }
bool isnan(const MpReal& x) { return mpfr_nan_p(x.data()) != 0; }
bool isinf(const MpReal& x) { return mpfr_inf_p(x.data()) != 0; }

std::ostream& operator<<(std::ostream& os, const MpReal& x) {
  char* s = nullptr;
  mpfr_asprintf(&s, "%.*Rg", static_cast<int>(os.precision()), x.data());
  os << s;
  mpfr_free_str(s);
  return os;
}

// ---- MpIval ------------------------------------------------------------------------------------

MpIval::MpIval(Raw, mpfr_prec_t bits) { mpfi_init2(x_, bits); }
MpIval::MpIval() : MpIval(Raw{}, tl_bits) { mpfi_set_si(x_, 0); }
MpIval::MpIval(double x) : MpIval(Raw{}, tl_bits) { mpfi_set_d(x_, x); }
MpIval::MpIval(long x) : MpIval(Raw{}, tl_bits) { mpfi_set_si(x_, x); }
MpIval::MpIval(const MpReal& x) : MpIval(Raw{}, mpfr_get_prec(x.data())) { mpfi_set_fr(x_, x.data()); }
MpIval::MpIval(const MpIval& o) : MpIval(Raw{}, mpfi_get_prec(o.x_)) { mpfi_set(x_, o.x_); }
MpIval::MpIval(MpIval&& o) noexcept : MpIval(Raw{}, mpfi_get_prec(o.x_)) { mpfi_swap(x_, o.x_); }
MpIval::~MpIval() { mpfi_clear(x_); }
MpIval MpIval::with_bits(int bits) {
  MpIval r(Raw{}, bits);
  mpfi_set_si(r.x_, 0);
  return r;
}

MpIval& MpIval::operator=(const MpIval& o) {
  if (this == &o) return *this;  // mpfi_set_prec would first make *this NaN (Boost's x = x trap)
  if (mpfi_get_prec(x_) != mpfi_get_prec(o.x_)) mpfi_set_prec(x_, mpfi_get_prec(o.x_));
  mpfi_set(x_, o.x_);
  return *this;
}
MpIval& MpIval::operator=(MpIval&& o) noexcept {
  mpfi_swap(x_, o.x_);
  return *this;
}

namespace {
template <class F>
MpIval ival_op(const MpIval& a, const MpIval& b, F f) {
  MpIval r = MpIval::with_bits(static_cast<int>(max_prec(mpfi_get_prec(a.data()), mpfi_get_prec(b.data()))));
  f(r.data(), a.data(), b.data());
  return r;
}
template <class F, class T>
MpIval ival_op_n(const MpIval& a, T b, F f) {
  MpIval r = MpIval::with_bits(a.precision());
  f(r.data(), a.data(), b);
  return r;
}
template <class F, class T>
MpIval ival_n_op(T a, const MpIval& b, F f) {
  MpIval r = MpIval::with_bits(b.precision());
  f(r.data(), a, b.data());
  return r;
}
}  // namespace

MpIval& MpIval::operator+=(const MpIval& b) { return *this = *this + b; }
MpIval& MpIval::operator-=(const MpIval& b) { return *this = *this - b; }
MpIval& MpIval::operator*=(const MpIval& b) { return *this = *this * b; }
MpIval& MpIval::operator/=(const MpIval& b) { return *this = *this / b; }

MpIval operator-(const MpIval& a) {
  MpIval r = MpIval::with_bits(a.precision());
  mpfi_neg(r.data(), a.data());
  return r;
}
MpIval operator+(const MpIval& a, const MpIval& b) { return ival_op(a, b, mpfi_add); }
MpIval operator-(const MpIval& a, const MpIval& b) { return ival_op(a, b, mpfi_sub); }
MpIval operator*(const MpIval& a, const MpIval& b) { return ival_op(a, b, mpfi_mul); }
MpIval operator/(const MpIval& a, const MpIval& b) { return ival_op(a, b, mpfi_div); }
MpIval operator+(const MpIval& a, double b) { return ival_op_n(a, b, mpfi_add_d); }
MpIval operator-(const MpIval& a, double b) { return ival_op_n(a, b, mpfi_sub_d); }
MpIval operator*(const MpIval& a, double b) { return ival_op_n(a, b, mpfi_mul_d); }
MpIval operator/(const MpIval& a, double b) { return ival_op_n(a, b, mpfi_div_d); }
MpIval operator+(double a, const MpIval& b) { return ival_op_n(b, a, mpfi_add_d); }
MpIval operator-(double a, const MpIval& b) { return ival_n_op(a, b, mpfi_d_sub); }
MpIval operator*(double a, const MpIval& b) { return ival_op_n(b, a, mpfi_mul_d); }
MpIval operator/(double a, const MpIval& b) { return ival_n_op(a, b, mpfi_d_div); }
MpIval operator+(const MpIval& a, long b) { return ival_op_n(a, b, mpfi_add_si); }
MpIval operator-(const MpIval& a, long b) { return ival_op_n(a, b, mpfi_sub_si); }
MpIval operator*(const MpIval& a, long b) { return ival_op_n(a, b, mpfi_mul_si); }
MpIval operator/(const MpIval& a, long b) { return ival_op_n(a, b, mpfi_div_si); }
MpIval operator+(long a, const MpIval& b) { return ival_op_n(b, a, mpfi_add_si); }
MpIval operator-(long a, const MpIval& b) { return ival_n_op(a, b, mpfi_si_sub); }
MpIval operator*(long a, const MpIval& b) { return ival_op_n(b, a, mpfi_mul_si); }
MpIval operator/(long a, const MpIval& b) { return ival_n_op(a, b, mpfi_si_div); }

MpIval abs(const MpIval& x) {
  MpIval r = MpIval::with_bits(x.precision());
  mpfi_abs(r.data(), x.data());
  return r;
}
MpIval sqrt(const MpIval& x) {
  MpIval r = MpIval::with_bits(x.precision());
  mpfi_sqrt(r.data(), x.data());
  return r;
}

MpReal lower(const MpIval& x) {
  MpReal r = MpReal::with_bits(x.precision());
  mpfi_get_left(r.data(), x.data());
  return r;
}
MpReal upper(const MpIval& x) {
  MpReal r = MpReal::with_bits(x.precision());
  mpfi_get_right(r.data(), x.data());
  return r;
}
MpReal median(const MpIval& x) {
  MpReal r = MpReal::with_bits(x.precision());
  mpfi_mid(r.data(), x.data());
  return r;
}
MpReal width(const MpIval& x) {
  MpReal r = MpReal::with_bits(x.precision());
  mpfi_diam_abs(r.data(), x.data());
  return r;
}
bool operator==(const MpIval& a, const MpIval& b) { return lower(a) == lower(b) && upper(a) == upper(b); }

bool isnan(const MpIval& x) { return mpfi_nan_p(x.data()) != 0; }

std::ostream& operator<<(std::ostream& os, const MpIval& x) {
  return os << "[" << lower(x) << ", " << upper(x) << "]";
}

// ---- Conversions -------------------------------------------------------------------------------

Ival to_ival(const MpIval& x) {
  const MpReal lo = lower(x), hi = upper(x);
  return Ival(mpfr_get_d(lo.data(), MPFR_RNDD), mpfr_get_d(hi.data(), MPFR_RNDU));
}

MpIval to_mp(const Ival& x) {
  MpIval r;
  mpfi_interv_d(r.data(), x.lo, x.hi);
  return r;
}

MpIval to_mp(const MpReal& x) { return MpIval(x); }

MpIval to_mp(const MpReal& lo, const MpReal& hi) {
  MpIval r;
  mpfi_interv_fr(r.data(), lo.data(), hi.data());
  return r;
}

Rational to_rational(double x) {
  if (!std::isfinite(x)) throw std::invalid_argument("to_rational: non-finite value");
  Rational r;
  mpq_set_d(r.backend().data(), x);  // exact for finite binary64
  return r;
}

}  // namespace fim::num

namespace std {
fim::num::MpReal (numeric_limits<fim::num::MpReal>::min)() {  // 0.5 * 2^emin, as Boost's
  fim::num::MpReal r(0.5);
  mpfr_div_2exp(r.data(), r.data(), static_cast<unsigned long>(-mpfr_get_emin()), MPFR_RNDN);
  return r;
}
fim::num::MpReal (numeric_limits<fim::num::MpReal>::max)() {  // 0.5 * 2^emax, as Boost's
  fim::num::MpReal r(0.5);
  mpfr_mul_2exp(r.data(), r.data(), static_cast<unsigned long>(mpfr_get_emax()), MPFR_RNDN);
  return r;
}
fim::num::MpReal numeric_limits<fim::num::MpReal>::epsilon() {  // 2^(1 - working bits)
  fim::num::MpReal r(1.0);
  mpfr_div_2exp(r.data(), r.data(), static_cast<unsigned long>(fim::num::working_bits() - 1), MPFR_RNDN);
  return r;
}
}  // namespace std
