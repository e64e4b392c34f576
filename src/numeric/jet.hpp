// Jet<S>: a function of one real variable t truncated after t^2, x(t) = c0 + c1 t + c2 t^2 + O(t^3),
// with Taylor coefficients in any scalar S that has +, - and * (double, MpReal, Ival, MpIval).
// Arithmetic rules: proofs/models.md, Lemma 5. For an interval S every coefficient of a result
// encloses the exact coefficient for every choice of the operands' coefficients in their intervals.
#pragma once

namespace fim::num {

template <class S>
struct Jet {
  S c0{}, c1{}, c2{};  // value, first Taylor coefficient (= x'(0)), second (= x''(0) / 2)
  Jet() = default;
  Jet(const S& v) : c0(v), c1(S(0.0)), c2(S(0.0)) {}  // NOLINT: a constant is a jet
  Jet(const S& v, const S& d1, const S& d2) : c0(v), c1(d1), c2(d2) {}
  /// The jet of t -> v + t d: the starting point of a line theta + t delta.
  static Jet line(const S& v, const S& d) { return Jet(v, d, S(0.0)); }
  /// x''(0): the second derivative (twice the second Taylor coefficient).
  S second_derivative() const { return c2 + c2; }
};

template <class S>
Jet<S> operator+(const Jet<S>& a, const Jet<S>& b) {
  return {a.c0 + b.c0, a.c1 + b.c1, a.c2 + b.c2};
}
template <class S>
Jet<S> operator-(const Jet<S>& a) {
  return {-a.c0, -a.c1, -a.c2};
}
template <class S>
Jet<S> operator-(const Jet<S>& a, const Jet<S>& b) {
  return a + (-b);
}
/// Cauchy product truncated after t^2 (Lemma 5 (b)).
template <class S>
Jet<S> operator*(const Jet<S>& a, const Jet<S>& b) {
  return {a.c0 * b.c0, a.c0 * b.c1 + a.c1 * b.c0, a.c0 * b.c2 + a.c1 * b.c1 + a.c2 * b.c0};
}
template <class S>
Jet<S> operator*(const S& s, const Jet<S>& a) {
  return {s * a.c0, s * a.c1, s * a.c2};
}
template <class S>
Jet<S>& operator+=(Jet<S>& a, const Jet<S>& b) {
  return a = a + b;
}
template <class S>
Jet<S>& operator*=(Jet<S>& a, const Jet<S>& b) {
  return a = a * b;
}

/// f(a) for a function f with f(a.c0) = f0, f'(a.c0) = f1, f''(a.c0) = f2 (Lemma 5 (c)):
/// f(a(t)) = f0 + f1 c1 t + (f1 c2 + f2 c1^2 / 2) t^2 + O(t^3).
template <class S>
Jet<S> compose(const Jet<S>& a, const S& f0, const S& f1, const S& f2) {
  const S half(0.5);  // exact in every S
  return {f0, f1 * a.c1, f1 * a.c2 + half * (f2 * (a.c1 * a.c1))};
}

/// 1 / b by Lemma 5 (c) with f = 1/x: f' = -1/x^2, f'' = 2/x^3 (b.c0 must not contain 0).
template <class S>
Jet<S> reciprocal(const Jet<S>& b) {
  const S inv = S(1.0) / b.c0;
  const S inv2 = inv * inv;
  return compose(b, inv, -inv2, (inv2 + inv2) * inv);
}
template <class S>
Jet<S> operator/(const Jet<S>& a, const Jet<S>& b) {
  return a * reciprocal(b);
}

}  // namespace fim::num
