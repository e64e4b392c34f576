// Multiple-precision scalars of the slow path: MpReal (an MPFR number, for approximate solves) and
// MpIval (an MPFI interval, for rigorous evaluation; proofs/linear-algebra.md, Lemma 10), and GMP
// rationals for exact checks.
//
// Precision is explicit, never process-global (like Arb's `prec` argument): every value carries its
// own precision; an operation's result has the largest precision of its operands; a value made from
// a double or an integer gets the working precision of the calling thread, which a ScopedPrecision
// sets for its scope in that thread only. So two threads can work at different precisions. (Boost
// 1.74's variable-precision types keep one default precision per process and change it inside every
// operation; fimcheck no longer uses them for MPFR or MPFI. tests/numeric/t-mp.cpp pins their traps.)
#pragma once
#include <mpfi.h>
#include <mpfr.h>

#include <boost/multiprecision/gmp.hpp>
#include <concepts>
#include <climits>
#include <iosfwd>
#include <limits>
#include <stdexcept>
#include <type_traits>

#include <Eigen/Core>

#include "numeric/interval.hpp"

namespace fim::num {

namespace bmp = boost::multiprecision;
using Rational = bmp::mpq_rational;

/// The working precision (bits) of the calling thread: the precision of new values.
int working_bits();

/// Sets this thread's working precision to the rung precision for `bits` (at least `bits`; see
/// rung_bits) for the scope; other threads are unaffected.
class ScopedPrecision {
 public:
  explicit ScopedPrecision(int bits);
  ~ScopedPrecision();
  ScopedPrecision(const ScopedPrecision&) = delete;
  ScopedPrecision& operator=(const ScopedPrecision&) = delete;
  int bits() const { return bits_; }

 private:
  int old_, bits_;
};

/// The precision a request of `bits` runs at: the least b(d) >= bits over integers d, where b(d) is
/// floor(1000 d / 301) + 1, + 2 when 301 does not divide 1000 d (114 for 113, 257 for 256, 1025 for
/// 1024, 4098 for 4096). It is the precision every
/// enclosure fimcheck has printed was computed at, kept so that they stay bit for bit the same.
int rung_bits(int bits);

template <class T>
concept Arithmetic = std::is_arithmetic_v<T>;

/// A double or an integer as the double or long that holds it exactly (the mixed operations'
/// argument); an integer beyond long's range throws std::overflow_error.
template <Arithmetic T>
auto exact_arg(T x) {
  if constexpr (std::is_floating_point_v<T>) {
    return static_cast<double>(x);
  } else {
    if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(long))
      if (x > static_cast<T>(std::numeric_limits<long>::max())) throw std::overflow_error("integer beyond long");
    return static_cast<long>(x);
  }
}

/// An MPFR number with its own precision.
class MpReal {
 public:
  MpReal();
  MpReal(double x);  // NOLINT: implicit, as Eigen and the templated models need
  MpReal(long x);    // NOLINT
  template <Arithmetic T>
  MpReal(T x) : MpReal(exact_arg(x)) {}  // NOLINT
  /// The decimal `text` rounded to nearest at the working precision (std::invalid_argument if it
  /// is not a number).
  explicit MpReal(const char* text);
  /// x rounded to nearest at `bits`.
  MpReal(const MpReal& x, int bits);
  MpReal(const MpReal& o);
  MpReal(MpReal&& o) noexcept;
  MpReal& operator=(const MpReal& o);  // takes o's precision (as before); self-assignment is safe
  MpReal& operator=(MpReal&& o) noexcept;
  ~MpReal();

  mpfr_ptr data() { return x_; }
  mpfr_srcptr data() const { return x_; }
  int precision() const { return static_cast<int>(mpfr_get_prec(x_)); }
  /// Rounded to nearest.
  explicit operator double() const { return mpfr_get_d(x_, MPFR_RNDN); }
  template <class T>
  T convert_to() const { return static_cast<T>(static_cast<double>(*this)); }

  MpReal& operator+=(const MpReal& b);
  MpReal& operator-=(const MpReal& b);
  MpReal& operator*=(const MpReal& b);
  MpReal& operator/=(const MpReal& b);

  /// An uninitialised-value number of precision `bits` (set it before reading).
  static MpReal with_bits(int bits);

 private:
  struct Raw {};
  MpReal(Raw, mpfr_prec_t bits);
  mpfr_t x_;
};

/// An MPFI interval with its own precision.
class MpIval {
 public:
  MpIval();
  MpIval(double x);  // NOLINT: the point x (exact at every precision >= 53)
  MpIval(long x);    // NOLINT: the point x, rounded outward if it does not fit
  template <Arithmetic T>
  MpIval(T x) : MpIval(exact_arg(x)) {}  // NOLINT
  /// The point x, exactly (at x's precision). Boost's conversion gives NaN for some x; this never.
  explicit MpIval(const MpReal& x);
  MpIval(const MpIval& o);
  MpIval(MpIval&& o) noexcept;
  MpIval& operator=(const MpIval& o);  // takes o's precision; self-assignment is safe (Boost's is not)
  MpIval& operator=(MpIval&& o) noexcept;
  ~MpIval();

  mpfi_ptr data() { return x_; }
  mpfi_srcptr data() const { return x_; }
  int precision() const { return static_cast<int>(mpfi_get_prec(x_)); }

  MpIval& operator+=(const MpIval& b);
  MpIval& operator-=(const MpIval& b);
  MpIval& operator*=(const MpIval& b);
  MpIval& operator/=(const MpIval& b);

  /// An interval of precision `bits` (value [0, 0]).
  static MpIval with_bits(int bits);

 private:
  struct Raw {};
  MpIval(Raw, mpfr_prec_t bits);
  mpfi_t x_;
};

// Arithmetic: correctly rounded to nearest (MpReal) or outward (MpIval), at the largest operand
// precision.
MpReal operator-(const MpReal& a);
MpReal operator+(const MpReal& a, const MpReal& b);
MpReal operator-(const MpReal& a, const MpReal& b);
MpReal operator*(const MpReal& a, const MpReal& b);
MpReal operator/(const MpReal& a, const MpReal& b);
MpIval operator-(const MpIval& a);
MpIval operator+(const MpIval& a, const MpIval& b);
MpIval operator-(const MpIval& a, const MpIval& b);
MpIval operator*(const MpIval& a, const MpIval& b);
MpIval operator/(const MpIval& a, const MpIval& b);

// Mixed with a double or an integer: the number is used exactly (MPFR's and MPFI's _d and _si
// functions), the result at the multiple-precision operand's precision.
#define FIM_MP_MIXED(Mp, op)                                                             \
  Mp operator op(const Mp& a, double b);                                                 \
  Mp operator op(double a, const Mp& b);                                                 \
  Mp operator op(const Mp& a, long b);                                                   \
  Mp operator op(long a, const Mp& b);                                                   \
  template <Arithmetic T> requires (!std::same_as<T, double> && !std::same_as<T, long>) \
  Mp operator op(const Mp& a, T b) { return a op exact_arg(b); }                         \
  template <Arithmetic T> requires (!std::same_as<T, double> && !std::same_as<T, long>) \
  Mp operator op(T a, const Mp& b) { return exact_arg(a) op b; }
FIM_MP_MIXED(MpReal, +)
FIM_MP_MIXED(MpReal, -)
FIM_MP_MIXED(MpReal, *)
FIM_MP_MIXED(MpReal, /)
FIM_MP_MIXED(MpIval, +)
FIM_MP_MIXED(MpIval, -)
FIM_MP_MIXED(MpIval, *)
FIM_MP_MIXED(MpIval, /)
#undef FIM_MP_MIXED

// Comparisons of numbers (false whenever a NaN is involved, as IEEE's).
bool operator<(const MpReal& a, const MpReal& b);
bool operator<=(const MpReal& a, const MpReal& b);
bool operator==(const MpReal& a, const MpReal& b);
inline bool operator>(const MpReal& a, const MpReal& b) { return b < a; }
inline bool operator>=(const MpReal& a, const MpReal& b) { return b <= a; }
inline bool operator!=(const MpReal& a, const MpReal& b) { return !(a == b); }
/// -1, 0 or 1 as a < b, a = b, a > b; 2 when unordered (a NaN).
int compare(const MpReal& a, double b);
int compare(const MpReal& a, long b);
template <Arithmetic T> bool operator<(const MpReal& a, T b) { return compare(a, exact_arg(b)) == -1; }
template <Arithmetic T> bool operator<=(const MpReal& a, T b) { const int c = compare(a, exact_arg(b)); return c == -1 || c == 0; }
template <Arithmetic T> bool operator>(const MpReal& a, T b) { return compare(a, exact_arg(b)) == 1; }
template <Arithmetic T> bool operator>=(const MpReal& a, T b) { const int c = compare(a, exact_arg(b)); return c == 1 || c == 0; }
template <Arithmetic T> bool operator==(const MpReal& a, T b) { return compare(a, exact_arg(b)) == 0; }
template <Arithmetic T> bool operator!=(const MpReal& a, T b) { return !(a == b); }
template <Arithmetic T> bool operator<(T a, const MpReal& b) { return b > a; }
template <Arithmetic T> bool operator<=(T a, const MpReal& b) { return b >= a; }
template <Arithmetic T> bool operator>(T a, const MpReal& b) { return b < a; }
template <Arithmetic T> bool operator>=(T a, const MpReal& b) { return b <= a; }

/// Set equality of intervals (both end points equal); Eigen's products ask for it.
bool operator==(const MpIval& a, const MpIval& b);
inline bool operator!=(const MpIval& a, const MpIval& b) { return !(a == b); }

// Elementary functions (MpReal: rounded to nearest; MpIval: enclosures).
MpReal abs(const MpReal& x);
MpReal sqrt(const MpReal& x);
MpReal fabs(const MpReal& x);
MpReal exp(const MpReal& x);
MpReal log(const MpReal& x);
MpReal tanh(const MpReal& x);
MpReal erf(const MpReal& x);
MpIval abs(const MpIval& x);
MpIval sqrt(const MpIval& x);
bool isfinite(const MpReal& x);
bool isnan(const MpReal& x);
bool isinf(const MpReal& x);

// Interval end points and measures, at the interval's precision.
MpReal lower(const MpIval& x);
MpReal upper(const MpIval& x);
MpReal median(const MpIval& x);  // the midpoint, rounded to nearest
MpReal width(const MpIval& x);   // rounded up
bool isnan(const MpIval& x);

std::ostream& operator<<(std::ostream& os, const MpReal& x);
std::ostream& operator<<(std::ostream& os, const MpIval& x);

/// The binary64 interval enclosing an MPFI interval (outward rounding).
Ival to_ival(const MpIval& x);
/// The MPFI interval [x.lo, x.hi] at the working precision (exact at any precision >= 53).
MpIval to_mp(const Ival& x);
/// The MPFI interval enclosing the MPFR number x, at x's precision (exact).
MpIval to_mp(const MpReal& x);
/// The MPFI interval [lo, hi] at the working precision, rounded outward.
MpIval to_mp(const MpReal& lo, const MpReal& hi);
/// The exact rational value of a finite binary64 number (std::invalid_argument otherwise).
Rational to_rational(double x);

}  // namespace fim::num

namespace std {
/// As Boost's limits for variable-precision MPFR numbers, at this thread's working precision.
template <>
class numeric_limits<fim::num::MpReal> {
 public:
  static constexpr bool is_specialized = false,  // as Boost says of variable precision
                         is_signed = true, is_integer = false, is_exact = false,
                        has_infinity = true, has_quiet_NaN = true, is_bounded = true, is_modulo = false;
  static constexpr int digits = INT_MAX, digits10 = INT_MAX, max_digits10 = INT_MAX, radix = 2;
  static fim::num::MpReal(min)();
  static fim::num::MpReal(max)();
  static fim::num::MpReal lowest() { return -(max)(); }
  static fim::num::MpReal epsilon();
  static fim::num::MpReal round_error() { return epsilon() / 2; }
  static fim::num::MpReal infinity() { return fim::num::MpReal(std::numeric_limits<double>::infinity()); }
  static fim::num::MpReal quiet_NaN() { return fim::num::MpReal(std::numeric_limits<double>::quiet_NaN()); }
  static fim::num::MpReal denorm_min() { return fim::num::MpReal(0.0); }
};
}  // namespace std

namespace Eigen {
// Traits for the two slow-path scalars, as Eigen 3.4 asks of a custom scalar.
template <class T>
struct FimMpTraits {
  using Real = T;
  using NonInteger = T;
  using Literal = double;
  using Nested = T;
  enum { IsComplex = 0, IsInteger = 0, IsSigned = 1, RequireInitialization = 1,
         ReadCost = 1, AddCost = 4, MulCost = 8 };
  static T epsilon() { return T(std::numeric_limits<fim::num::MpReal>::epsilon()); }
  static T dummy_precision() { return 1000 * epsilon(); }
  static T highest() { return T((std::numeric_limits<fim::num::MpReal>::max)()); }
  static T lowest() { return T(-(std::numeric_limits<fim::num::MpReal>::max)()); }
  static int digits10() { return static_cast<int>(fim::num::working_bits() * 0.30103); }
  static int digits() { return fim::num::working_bits(); }
  static T infinity() { return T(std::numeric_limits<fim::num::MpReal>::infinity()); }
  static T quiet_NaN() { return T(std::numeric_limits<fim::num::MpReal>::quiet_NaN()); }
};
template <> struct NumTraits<fim::num::MpReal> : FimMpTraits<fim::num::MpReal> {};
template <> struct NumTraits<fim::num::MpIval> : FimMpTraits<fim::num::MpIval> {};
}  // namespace Eigen
