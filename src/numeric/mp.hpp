// Multiple-precision scalars of the slow path: MPFR numbers for approximate solves, MPFI intervals
// for rigorous evaluation (proofs/linear-algebra.md, Lemma 10), GMP rationals for exact checks.
#pragma once
#include <boost/multiprecision/eigen.hpp>
#include <boost/multiprecision/gmp.hpp>
#include <boost/multiprecision/mpfi.hpp>
#include <boost/multiprecision/mpfr.hpp>

#include "numeric/interval.hpp"

namespace fim::num {

namespace bmp = boost::multiprecision;
using MpReal = bmp::number<bmp::mpfr_float_backend<0>, bmp::et_off>;
using MpIval = bmp::number<bmp::mpfi_float_backend<0>, bmp::et_off>;
using Rational = bmp::mpq_rational;

}  // namespace fim::num

namespace Eigen {
// Full traits for the two slow-path scalars: Eigen 3.4 asks for infinity() and quiet_NaN(), which
// Boost 1.74's generic traits lack (and their lowest() is the smallest positive number).
template <class T>
struct FimMpTraits {
  using Real = T;
  using NonInteger = T;
  using Literal = double;
  using Nested = T;
  enum { IsComplex = 0, IsInteger = 0, IsSigned = 1, RequireInitialization = 1,
         ReadCost = 1, AddCost = 4, MulCost = 8 };
  static T epsilon() { return std::numeric_limits<T>::epsilon(); }
  static T dummy_precision() { return 1000 * epsilon(); }
  static T highest() { return (std::numeric_limits<T>::max)(); }
  static T lowest() { return -(std::numeric_limits<T>::max)(); }
  static int digits10() { return static_cast<int>(T::default_precision()); }
  static int digits() { return std::numeric_limits<T>::digits; }
  static T infinity() { return std::numeric_limits<T>::infinity(); }
  static T quiet_NaN() { return std::numeric_limits<T>::quiet_NaN(); }
};
template <> struct NumTraits<fim::num::MpReal> : FimMpTraits<fim::num::MpReal> {};
template <> struct NumTraits<fim::num::MpIval> : FimMpTraits<fim::num::MpIval> {};
}  // namespace Eigen

namespace fim::num {

/// Sets the working precision of new MpReal and MpIval values to at least `bits` for this scope.
class ScopedPrecision {
 public:
  explicit ScopedPrecision(int bits);
  ~ScopedPrecision();
  ScopedPrecision(const ScopedPrecision&) = delete;
  ScopedPrecision& operator=(const ScopedPrecision&) = delete;
  int bits() const { return bits_; }

 private:
  unsigned old_real_, old_ival_;
  int bits_;
};

/// The binary64 interval enclosing an MPFI interval (outward rounding).
Ival to_ival(const MpIval& x);
/// The MPFI interval [x.lo, x.hi] (exact at any precision >= 53).
MpIval to_mp(const Ival& x);
/// The MPFI interval enclosing the MPFR number x (point when it fits the working precision).
/// Boost's own MpIval(MpReal) conversion returns NaN for some values (e.g. 2^61): never use it.
MpIval to_mp(const MpReal& x);
/// The MPFI interval [lo, hi] rounded outward.
MpIval to_mp(const MpReal& lo, const MpReal& hi);
/// The exact rational value of a finite binary64 number (std::invalid_argument otherwise).
Rational to_rational(double x);

}  // namespace fim::num
