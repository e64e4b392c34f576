// Exact rational intervals, for re-checking certificates without the producer's arithmetic:
// + - * / are exact; sqrt is enclosed by rationals whose squares are compared exactly.
#pragma once
#include "numeric/mp.hpp"

namespace fim::num {

/// [lo, hi] with exact rational ends, or the whole line.
struct RatIval {
  Rational lo = 0, hi = 0;
  bool whole = false;
  RatIval() = default;
  RatIval(int x) : lo(x), hi(x) {}  // NOLINT: exact
  RatIval(const Rational& x) : lo(x), hi(x) {}  // NOLINT: exact
  RatIval(const Rational& l, const Rational& h) : lo(l), hi(h) {}
  static RatIval entire() { RatIval r; r.whole = true; return r; }
};

RatIval operator+(const RatIval& a, const RatIval& b);
RatIval operator-(const RatIval& a);
RatIval operator-(const RatIval& a, const RatIval& b);
RatIval operator*(const RatIval& a, const RatIval& b);
/// The whole line when b contains 0.
RatIval operator/(const RatIval& a, const RatIval& b);
/// Encloses sqrt on a >= 0 (callers pass the nonnegative part): rational ends r with r^2 <= lo
/// and s^2 >= hi, checked exactly.
RatIval sqrt(const RatIval& a);
RatIval abs(const RatIval& a);

}  // namespace fim::num
