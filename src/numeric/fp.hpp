// Binary64 facts the certified fast path relies on (proofs/linear-algebra.md, section 1).
#pragma once
#include <bit>
#include <cfloat>
#include <cstdint>
#include <cmath>
#include <cstddef>
#include <limits>

#if defined(__FAST_MATH__) || defined(__FINITE_MATH_ONLY__) && __FINITE_MATH_ONLY__
#error "fimcheck refuses -ffast-math / -ffinite-math-only: certified bounds assume IEEE arithmetic."
#endif
#if defined(__FLT_EVAL_METHOD__) && __FLT_EVAL_METHOD__ != 0
#error "fimcheck refuses x87 excess precision: build for SSE2 (FLT_EVAL_METHOD must be 0)."
#endif
static_assert(std::numeric_limits<double>::is_iec559, "binary64 must be IEEE 754");

namespace fim::num {

/// Unit roundoff of binary64, round to nearest: |fl(x) - x| <= u |x| outside underflow.
inline constexpr double unit_roundoff = 0x1p-53;
/// Underflow unit: a product or quotient that underflows errs by at most eta / 2.
inline constexpr double eta = 0x1p-1074;
inline constexpr double inf = std::numeric_limits<double>::infinity();

/// The next binary64 value above x (identity on +inf and NaN), by stepping the bit pattern:
/// the same result as std::nextafter(x, inf), without a library call on the hot path.
inline double next_up(double x) {
  if (!(x < inf)) return x;  // +inf, NaN
  if (x == 0) return 0x1p-1074;
  const auto bits = std::bit_cast<std::uint64_t>(x);
  return std::bit_cast<double>(x > 0 ? bits + 1 : bits - 1);
}
/// The next binary64 value below x (identity on -inf and NaN).
inline double next_down(double x) { return -next_up(-x); }

/// True when this process rounds binary64 to nearest (ties to even) with subnormals kept (no
/// flush-to-zero, no denormals-are-zero): the arithmetic every bound in proofs/ assumes.
bool arithmetic_is_ieee_nearest();

/// An upper bound of gamma_n = n u / (1 - n u); +inf when n u >= 1/2 (proofs/linear-algebra.md, Lemma 1).
double gamma_up(std::size_t n);

}  // namespace fim::num
