// Results of the certified eigenvalue routines, and the precision ladder they escalate along.
#pragma once
#include <functional>
#include <optional>
#include <vector>

#include "numeric/escalation.hpp"
#include "numeric/interval.hpp"

namespace fim::linalg {

/// Enclosures of all eigenvalues, descending: eig[k] contains lambda_{k+1}. ok = false means the
/// routine could not enclose at this precision (overflow, failed decomposition); eig is then empty.
struct Spectrum {
  std::vector<num::Ival> eig;
  std::optional<num::Ival> gap;  // lambda_1 - lambda_2 at working precision; none when n < 2
  int bits = 53;
  bool ok = false;
};

/// Enclosures of lambda_1 and of the gap lambda_1 - lambda_2 (no gap when n = 1).
struct Top {
  num::Ival lambda1 = num::Ival::entire();
  std::optional<num::Ival> gap;
  int bits = 53;
  bool ok = false;
};

/// How far a computation may escalate (num::Ladder: 53 -> 113 -> 256 -> 1024 -> 4096 bits, capped at
/// max_bits) while the relative width of the result exceeds rel_width.
struct Precision {
  Precision(int bits = 1024, double width = 1e-10) : max_bits(bits), rel_width(width) {}
  int max_bits;
  double rel_width;
  /// Largest dimension the multiple-precision rungs run on: they cost ~O(n^3) MPFR operations
  /// (about 3 s at n = 100, 113 bits); larger matrices stop at binary64 and say so.
  long mp_max_dim = 160;
  /// Called before each rung above binary64 (progress on a terminal); may be empty.
  std::function<void(int bits, long n)> on_escalate;
  /// The precisions to try for a matrix of dimension n (num::Ladder::rungs).
  std::vector<int> ladder(long n = 0) const;
};

/// (hi - lo) / max(|lo|, |hi|), rounded upward; 0 for a point, +inf for an unbounded interval.
double relative_width_up(const num::Ival& x);

/// True when x is at most rel_width * scale wide, or as tight as binary64 endpoints allow
/// (at most two ulps apart), so a request finer than binary64 output does not escalate forever.
bool narrow_enough(const num::Ival& x, double rel_width, double scale);

/// Done escalating: lambda_1 narrow relative to itself, and the gap either certified positive or
/// narrow relative to lambda_1 (simplicity of lambda_1 decided at the requested resolution).
bool top_narrow_enough(const Top& t, double rel_width);

/// The gap enclosure [lo1 - hi2, hi1 - lo2], its lower end clamped at 0 (lambda_1 >= lambda_2).
num::Ival gap_between(const num::Ival& lambda1, const num::Ival& lambda2);

/// Every enclosure of s (and its gap) multiplied by 2^k, rounded outward.
Spectrum scaled(Spectrum s, int k);
Top scaled(Top t, int k);

/// Widens every enclosure by r (Weyl, proofs/linear-algebra.md, Corollary 5a).
num::Ival widen(const num::Ival& x, double r);

}  // namespace fim::linalg
