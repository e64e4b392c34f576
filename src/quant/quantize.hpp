// Weight quantizers of deployed formats (SPEC S5): symmetric and asymmetric uniform (AWQ/GPTQ
// conventions) and NF4, per tensor, per row ("channel") or per group along the last axis, with
// round-to-nearest-even or stochastic rounding. Every result carries delta = w_q - w exactly.
//
// Arithmetic: binary64, each operation rounded once to nearest (ties to even), integer rounding by
// std::nearbyint under the default rounding mode. The formulas, per group (max_int = m):
//   sym : m = 2^(B-1) - 1, min_int = -2^(B-1), s = max|w| / m,
//         q = clamp(round(w / s), min_int, m),             w_q = q * s
//   asym: m = 2^B - 1, s = (max w - min w) / m, z = clamp(-rint(min w / s), 0, m),
//         w_q = (clamp(round(w / s) + z, 0, m) - z) * s
//   nf4 : c = max|w| (blocks of 64 by default), x = w / c, k = nearest NF4 level to x (ties to
//         the even index), w_q = level[k] * c
// where round is rint (nearest) or stochastic rounding, and every arithmetic operation written is
// one binary64 operation. A sym or nf4 group of zeros and an asym group with max w = min w
// quantize to themselves. Properties and proofs: proofs/quantization.md.
#pragma once
#include <Eigen/Dense>
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "numeric/interval.hpp"

namespace fim::quant {

using Eigen::Index;
/// Weights as a row-major 2-D tensor (a 1-D tensor is one row); groups run along the last axis.
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

enum class Scheme { sym, asym, nf4 };
enum class Granularity { tensor, channel, group };
enum class Rounding { nearest, stochastic };

/// A quantizer. bits: 2..16 for sym and asym, 4 for nf4. group_size > 0, used by Granularity::group
/// (the last group of a row is shorter when the row length is not a multiple). seed: stochastic
/// rounding only.
struct QuantSpec {
  Scheme scheme = Scheme::sym;
  int bits = 4;
  Granularity granularity = Granularity::tensor;
  Index group_size = 128;
  Rounding rounding = Rounding::nearest;
  std::uint64_t seed = 0;
};

/// Throws std::invalid_argument naming the first field of spec that is out of range.
void validate(const QuantSpec& spec);

/// The block rows [row0, row0 + rows) x columns [col0, col0 + cols) and its parameters: the scale
/// s (absmax c for nf4), the zero point z (asym), and whether it is degenerate (quantized to
/// itself).
struct Group {
  Index row0 = 0, rows = 0, col0 = 0, cols = 0;
  double scale = 0, zero = 0;
  bool degenerate = false;
};

/// Result of quantize(). delta_hi = fl(w_q - w) and delta_lo = (w_q - w) - delta_hi exactly
/// (TwoSum, proofs/quantization.md, Lemma 1), so w + delta_hi + delta_lo == w_q in exact
/// arithmetic.
struct Quantized {
  RowMatrix w_q, delta_hi, delta_lo;
  std::vector<Group> groups;
  Index clipped = 0;            // entries whose integer code the clamp changed
  Index delta_inexact = 0;      // entries where delta is not a binary64 value (delta_lo != 0)
  double max_abs_delta_lo = 0;  // max |delta_lo|: how far fl(delta) is from delta, at most

  /// The smallest binary64 interval holding delta at (i, j); a point when delta is binary64.
  num::Ival delta(Index i, Index j) const;
};

/// Quantizes w under spec, returning w_q and delta = w_q - w exactly; needs finite entries and the
/// default rounding mode; throws std::invalid_argument on a bad spec or non-finite entry and
/// std::domain_error naming the group when a non-degenerate group's scale underflows to 0 or a
/// result overflows (the formulas are then undefined); cost O(rows x cols).
Quantized quantize(const RowMatrix& w, const QuantSpec& spec);

/// The groups of a rows x cols tensor under spec, in row-major order, parameters unset.
std::vector<Group> make_groups(Index rows, Index cols, const QuantSpec& spec);

// ---- Building blocks, exposed for tests ---------------------------------------------------------

/// a + b as hi + lo with hi = fl(a + b), exactly when hi and lo are finite (Knuth's TwoSum;
/// proofs/quantization.md, Lemma 1).
struct TwoSum {
  double hi, lo;
};
TwoSum two_sum(double a, double b);

/// x rounded to the nearest integer, ties to even (std::nearbyint in the default rounding mode).
double round_half_even(double x);

/// The 16 NF4 levels of QLoRA (Dettmers et al. 2023, bitsandbytes' NF4 table), ascending; each is a
/// binary32 value, so the binary64 constant is exact.
extern const std::array<double, 16> nf4_levels;

/// The index of the NF4 level nearest to x in exact arithmetic, ties to the even index; needs
/// |x| <= 1 (proofs/quantization.md, Lemma 6).
int nf4_nearest(double x);

/// A source of uniformly distributed words of word_bits random bits (values < 2^word_bits).
using WordSource = std::function<std::uint64_t()>;

/// True with probability exactly g, for binary64 g in [0, 1), when next() yields independent
/// uniform words of word_bits (1..64) bits: compares g with a uniform real U in [0, 1) drawn lazily
/// word by word (proofs/quantization.md, Lemma 4). Uses at most ceil(1074 / word_bits) + 1 words.
bool uniform_below(double g, const WordSource& next, int word_bits = 64);

/// x rounded to floor(x) or ceil(x), up with probability exactly x - floor(x) (stochastic
/// rounding, proofs/quantization.md, Lemma 4); x itself when x is an integer.
double stochastic_round(double x, const WordSource& next, int word_bits = 64);

/// The random words of entry `index` (row-major position in the tensor) under `seed`: SplitMix64
/// started from mix(seed ^ mix(index + 1)), so each entry's rounding depends only on (seed, index).
class EntryBits {
 public:
  EntryBits(std::uint64_t seed, std::uint64_t index);
  std::uint64_t operator()();

 private:
  std::uint64_t state_;
};

}  // namespace fim::quant
