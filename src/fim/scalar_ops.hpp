// ScalarOps<S>: the elementary functions the models need, for every scalar the models run in:
// double and MpReal (approximate), Ival and MpIval (rigorous enclosures, outward rounded), and
// Jet<S> over any of these (Taylor coefficients along one direction). Model code calls
// ScalarOps<S>::exp(x) etc., so one code path serves every scalar.
//
// Interval contracts (proofs/models.md, Lemma 6): exp, log, tanh, erf are increasing, so their
// image of [lo, hi] is [f(lo), f(hi)], each endpoint computed by MPFR with rounding toward -inf /
// +inf; relu encloses max(x, 0) and step encloses the derivative 1[x > 0] (the whole [0, 1] on an
// interval straddling 0); the MPFR working precision is the interval's own (53 bits for Ival).
#pragma once
#include <algorithm>
#include <cmath>

#include "numeric/interval.hpp"
#include "numeric/jet.hpp"
#include "numeric/mp.hpp"

namespace fim::model {

/// Mathematical constants the activations need.
enum class Constant { two_over_sqrt_pi, inv_sqrt2, inv_sqrt_2pi };

template <class S>
struct ScalarOps;

template <>
struct ScalarOps<double> {
  static constexpr bool is_interval = false;
  static double exp(double x) { return std::exp(x); }
  static double log(double x) { return std::log(x); }
  static double tanh(double x) { return std::tanh(x); }
  static double erf(double x) { return std::erf(x); }
  static double sqrt(double x) { return std::sqrt(x); }
  static double sqr(double x) { return x * x; }
  static double relu(double x) { return x > 0 ? x : 0.0; }
  /// relu'(x) with relu'(0) = 0, as PyTorch.
  static double step(double x) { return x > 0 ? 1.0 : 0.0; }
  /// relu''(x): 0 away from the kink (and by convention at it, for point types).
  static double relu_curvature(double) { return 0.0; }
  static double constant(Constant c);
  /// A binary64 value near x, for choices that do not affect correctness (log-sum-exp shifts).
  static double approx(double x) { return x; }
};

template <>
struct ScalarOps<num::MpReal> {
  using T = num::MpReal;
  static constexpr bool is_interval = false;
  static T exp(const T& x) { return num::exp(x); }
  static T log(const T& x) { return num::log(x); }
  static T tanh(const T& x) { return num::tanh(x); }
  static T erf(const T& x) { return num::erf(x); }
  static T sqrt(const T& x) { return num::sqrt(x); }
  static T sqr(const T& x) { return x * x; }
  static T relu(const T& x) { return x > 0 ? x : T(0.0); }
  static T step(const T& x) { return T(x > 0 ? 1.0 : 0.0); }
  static T relu_curvature(const T&) { return T(0.0); }
  static T constant(Constant c);  // rounded to nearest at the working precision
  static double approx(const T& x) { return x.convert_to<double>(); }
};

template <>
struct ScalarOps<num::Ival> {
  using T = num::Ival;
  static constexpr bool is_interval = true;
  static T exp(const T& x);
  static T log(const T& x);  // the whole line unless x > 0
  static T tanh(const T& x);
  static T erf(const T& x);
  static T sqrt(const T& x) { return num::sqrt(x); }
  static T sqr(const T& x) { return num::sqr(x); }
  static T relu(const T& x) { return {std::max(x.lo, 0.0), std::max(x.hi, 0.0)}; }
  static T step(const T& x) { return x.lo > 0 ? T(1.0) : x.hi <= 0 ? T(0.0) : T(0.0, 1.0); }
  /// 0 where relu is smooth on x; the whole line when x contains the kink 0 (Lemma 6 (d)).
  static T relu_curvature(const T& x) { return x.contains_zero() ? T::entire() : T(0.0); }
  static T constant(Constant c);  // a binary64 interval containing the constant
  static double approx(const T& x) { return num::midpoint(x); }
};

template <>
struct ScalarOps<num::MpIval> {
  using T = num::MpIval;
  static constexpr bool is_interval = true;
  static T exp(const T& x);
  static T log(const T& x);
  static T tanh(const T& x);
  static T erf(const T& x);
  static T sqrt(const T& x);
  static T sqr(const T& x);
  static T relu(const T& x);
  static T step(const T& x);
  static T relu_curvature(const T& x);
  static T constant(Constant c);  // an MPFI interval containing the constant
  static double approx(const T& x);
};

/// Jets: every function by the chain rule of proofs/models.md, Lemma 5 (c), with f, f', f''
/// evaluated in S at the jet's value.
template <class S>
struct ScalarOps<num::Jet<S>> {
  using T = num::Jet<S>;
  using B = ScalarOps<S>;
  static constexpr bool is_interval = B::is_interval;
  static T exp(const T& x) {
    const S e = B::exp(x.c0);
    return num::compose(x, e, e, e);
  }
  static T log(const T& x) {
    const S inv = S(1.0) / x.c0;
    return num::compose(x, B::log(x.c0), inv, -(inv * inv));
  }
  static T tanh(const T& x) {  // tanh' = 1 - tanh^2, tanh'' = -2 tanh tanh'
    const S th = B::tanh(x.c0);
    const S d1 = S(1.0) - B::sqr(th);
    return num::compose(x, th, d1, -(S(2.0) * th * d1));
  }
  static T erf(const T& x) {  // erf' = (2/sqrt(pi)) exp(-x^2), erf'' = -2 x erf'
    const S d1 = B::constant(Constant::two_over_sqrt_pi) * B::exp(-B::sqr(x.c0));
    return num::compose(x, B::erf(x.c0), d1, -(S(2.0) * x.c0 * d1));
  }
  static T sqrt(const T& x) {  // sqrt' = 1 / (2 sqrt), sqrt'' = -sqrt' / (2 x)
    const S r = B::sqrt(x.c0);
    const S d1 = S(1.0) / (r + r);
    return num::compose(x, r, d1, -(d1 / (x.c0 + x.c0)));
  }
  static T sqr(const T& x) { return x * x; }
  static T relu(const T& x) {
    return num::compose(x, B::relu(x.c0), B::step(x.c0), B::relu_curvature(x.c0));
  }
  static T step(const T& x) { return T(B::step(x.c0)); }
  static T relu_curvature(const T& x) { return T(B::relu_curvature(x.c0)); }
  static T constant(Constant c) { return T(B::constant(c)); }
  static double approx(const T& x) { return B::approx(x.c0); }
};

}  // namespace fim::model
