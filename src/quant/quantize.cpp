// Quantizers of SPEC S5; conventions in quantize.hpp, proofs in proofs/quantization.md.
#include "quant/quantize.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cfenv>
#include <cmath>
#include <stdexcept>

namespace fim::quant {

// ---- Building blocks ----------------------------------------------------------------------------

TwoSum two_sum(double a, double b) {
  // Knuth's branch-free TwoSum: hi + lo == a + b exactly when no operation overflows, which the
  // caller sees as finite hi and lo (proofs/quantization.md, Lemma 1).
  const double hi = a + b;
  const double b_virtual = hi - a;
  const double a_virtual = hi - b_virtual;
  const double lo = (a - a_virtual) + (b - b_virtual);
  return {hi, lo};
}

double round_half_even(double x) { return std::nearbyint(x); }

// Decimal values as printed by bitsandbytes (functional.py, NF4 code); the hex literals are the
// same binary32 numbers, written exactly.
const std::array<double, 16> nf4_levels = {
    -0x1p+0,         // -1.0
    -0x1.647362p-1,  // -0.6961928009986877
    -0x1.0cd66p-1,   // -0.5250730514526367
    -0x1.94654p-2,   // -0.39491748809814453
    -0x1.23449ap-2,  // -0.28444138169288635
    -0x1.7a6a7ep-3,  // -0.18477343022823334
    -0x1.74f0e2p-4,  // -0.09105003625154495
    0x0p+0,          //  0.0
    0x1.45f5fep-4,   //  0.07958029955625534
    0x1.4995c6p-3,   //  0.16093020141124725
    0x1.f809bap-3,   //  0.24611230194568634
    0x1.5a0674p-2,   //  0.33791524171829224
    0x1.c3497p-2,    //  0.44070982933044434
    0x1.200f56p-1,   //  0.5626170039176941
    0x1.722766p-1,   //  0.7229568362236023
    0x1p+0,          //  1.0
};

int nf4_nearest(double x) {
  int k = 0;  // levels[k] <= x <= levels[k + 1]
  while (k < 14 && nf4_levels[k + 1] <= x) ++k;
  // x against the midpoint: sign(2x - (l_k + l_{k+1})), exactly (proofs/quantization.md, Lemma 6).
  const TwoSum sum = two_sum(nf4_levels[k], nf4_levels[k + 1]);
  const double twice = 2 * x;  // exact: |x| <= 1
  const int side = twice != sum.hi ? (twice > sum.hi ? 1 : -1)
                                   : (sum.lo < 0   ? 1
                                      : sum.lo > 0 ? -1
                                                   : 0);
  if (side != 0) return side > 0 ? k + 1 : k;
  return k % 2 == 0 ? k : k + 1;  // a tie goes to the even index
}

bool uniform_below(double g, const WordSource& next, int word_bits) {
  // Compares g = 0.d1 d2 ... (base 2^word_bits digits) with U = 0.b1 b2 ... digit by digit; the
  // first differing digit decides (proofs/quantization.md, Lemma 4).
  const double radix = std::ldexp(1.0, word_bits);
  const std::uint64_t mask =
      word_bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << word_bits) - 1;
  for (double rest = g; rest != 0;) {
    const double scaled = rest * radix;       // exact: a power of two, rest < 1
    const double digit = std::floor(scaled);  // < radix, so it fits the word
    const std::uint64_t d = static_cast<std::uint64_t>(digit), b = next() & mask;
    if (b != d) return b < d;
    rest = scaled - digit;  // exact (Sterbenz, or digit == 0)
  }
  return false;  // U >= g once g's digits are exhausted
}

double stochastic_round(double x, const WordSource& next, int word_bits) {
  // Rounds |x| and restores the sign: the distribution is symmetric (Lemma 4, Corollary 4a).
  const double a = std::fabs(x), whole = std::floor(a);
  const double fraction = a - whole;  // exact (proofs/quantization.md, Lemma 3)
  if (fraction == 0) return x;
  const double r = uniform_below(fraction, next, word_bits) ? whole + 1 : whole;  // exact: a < 2^52
  return std::copysign(r, x);
}

namespace {

constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ull;

// SplitMix64's output function (Steele, Lea and Flood 2014).
std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

EntryBits::EntryBits(std::uint64_t seed, std::uint64_t index)
    : state_(mix64(seed ^ mix64(index + 1))) {}

std::uint64_t EntryBits::operator()() { return mix64(state_ += kGolden); }

num::Ival Quantized::delta(Index i, Index j) const {
  const double hi = delta_hi(i, j), lo = delta_lo(i, j);
  // |lo| <= ulp(hi) / 2, so delta lies between hi and its neighbour towards lo (Lemma 12).
  if (lo == 0) return num::Ival(hi);
  return lo > 0 ? num::Ival(hi, num::next_up(hi)) : num::Ival(num::next_down(hi), hi);
}

// ---- Specification and groups -------------------------------------------------------------------

void validate(const QuantSpec& spec) {
  if (spec.scheme == Scheme::nf4 && spec.bits != 4)
    throw std::invalid_argument(fmt::format("nf4 is a 4-bit code; bits = {}", spec.bits));
  if (spec.scheme != Scheme::nf4 && (spec.bits < 2 || spec.bits > 16))
    throw std::invalid_argument(fmt::format("bits must be 2..16, not {}", spec.bits));
  if (spec.group_size <= 0)
    throw std::invalid_argument(
        fmt::format("group size must be positive, not {}", spec.group_size));
  if (spec.scheme == Scheme::nf4 && spec.rounding == Rounding::stochastic)
    throw std::invalid_argument("nf4 rounds to the nearest level only (no stochastic rounding)");
}

std::vector<Group> make_groups(Index rows, Index cols, const QuantSpec& spec) {
  std::vector<Group> out;
  if (rows == 0 || cols == 0) return out;
  if (spec.granularity == Granularity::tensor) return {Group{0, rows, 0, cols}};
  const Index width = spec.granularity == Granularity::channel ? cols : spec.group_size;
  for (Index r = 0; r < rows; ++r)
    for (Index c = 0; c < cols; c += width)
      out.push_back(Group{r, 1, c, std::min(width, cols - c)});
  return out;
}

namespace {

using Block = Eigen::Block<const RowMatrix>;

Block block_of(const RowMatrix& w, const Group& g) {
  return w.block(g.row0, g.col0, g.rows, g.cols);
}

std::string where(const Group& g) {
  if (g.rows == 1)
    return fmt::format("row {}, columns {}..{}", g.row0, g.col0, g.col0 + g.cols - 1);
  return fmt::format("rows 0..{}, columns 0..{}", g.rows - 1, g.cols - 1);
}

[[noreturn]] void undefined_formula(const Group& g, const std::string& why) {
  throw std::domain_error(
      fmt::format("group at {}: {}; the quantizer formula is undefined there", where(g), why));
}

double clamp(double x, double lo, double hi) { return x < lo ? lo : x > hi ? hi : x; }

// Integer codes per scheme: max_int and min_int.
double sym_max_int(int bits) { return std::ldexp(1.0, bits - 1) - 1; }
double sym_min_int(int bits) { return -std::ldexp(1.0, bits - 1); }
double asym_max_int(int bits) { return std::ldexp(1.0, bits) - 1; }

// Sets scale (and zero point) of g from its block; marks the groups that quantize to themselves.
void set_parameters(const Block& b, const QuantSpec& spec, Group& g) {
  if (spec.scheme == Scheme::asym) {
    const double lo = b.minCoeff(), hi = b.maxCoeff(), m = asym_max_int(spec.bits);
    if ((g.degenerate = lo == hi)) return;
    const double range = hi - lo;
    if (!std::isfinite(range)) undefined_formula(g, "max w - min w overflows");
    g.scale = range / m;
    if (g.scale == 0) undefined_formula(g, "the scale (max w - min w) / max_int underflows to 0");
    g.zero = clamp(-round_half_even(lo / g.scale), 0, m);
    return;
  }
  const double absmax = b.cwiseAbs().maxCoeff();
  if ((g.degenerate = absmax == 0)) return;
  g.scale = spec.scheme == Scheme::nf4 ? absmax : absmax / sym_max_int(spec.bits);
  if (g.scale == 0) undefined_formula(g, "the scale max|w| / max_int underflows to 0");
}

// The integer nearest to x, or x rounded stochastically with the words of entry `index`.
double to_integer(double x, const QuantSpec& spec, Index index) {
  if (spec.rounding == Rounding::nearest) return round_half_even(x);
  EntryBits bits(spec.seed, static_cast<std::uint64_t>(index));
  return stochastic_round(x, std::ref(bits));
}

// w_q of one entry of a non-degenerate group; counts a clamp that changed the code.
double quantize_entry(double w, const QuantSpec& spec, const Group& g, Index index,
                      Index& clipped) {
  const double s = g.scale;
  switch (spec.scheme) {
    case Scheme::sym: {
      const double n = to_integer(w / s, spec, index);
      // Inactive for a normal scale and round to nearest (proofs/quantization.md, Lemma 5).
      const double q = clamp(n, sym_min_int(spec.bits), sym_max_int(spec.bits));
      clipped += q != n;
      return q * s;
    }
    case Scheme::asym: {
      // Exact while |code| <= 2^53; beyond, the rounded sum still clamps to the same end
      // (proofs/quantization.md, Section 3).
      const double n = to_integer(w / s, spec, index) + g.zero;
      const double c = clamp(n, 0, asym_max_int(spec.bits));
      clipped += c != n;
      return (c - g.zero) * s;
    }
    case Scheme::nf4:
      return nf4_levels[nf4_nearest(w / s)] * s;
  }
  return w;
}

void quantize_group(const RowMatrix& w, const QuantSpec& spec, Group& g, Quantized& r) {
  set_parameters(block_of(w, g), spec, g);
  for (Index i = g.row0; i < g.row0 + g.rows; ++i)
    for (Index j = g.col0; j < g.col0 + g.cols; ++j)
      r.w_q(i, j) =
          g.degenerate ? w(i, j) : quantize_entry(w(i, j), spec, g, i * w.cols() + j, r.clipped);
}

// delta = w_q - w as TwoSum pairs; a non-finite pair means an overflow (Lemma 1's hypothesis).
void set_deltas(const RowMatrix& w, Quantized& r) {
  r.delta_hi.resize(w.rows(), w.cols());
  r.delta_lo.resize(w.rows(), w.cols());
  for (Index i = 0; i < w.rows(); ++i)
    for (Index j = 0; j < w.cols(); ++j) {
      const TwoSum d = two_sum(r.w_q(i, j), -w(i, j));
      if (!std::isfinite(d.hi) || !std::isfinite(d.lo))
        throw std::domain_error(fmt::format("entry ({}, {}): w_q - w overflows", i, j));
      r.delta_hi(i, j) = d.hi;
      r.delta_lo(i, j) = d.lo;
      r.delta_inexact +=
          d.lo != 0;  // only clipped, stochastic or subnormal-scale entries (Cor. 7a)
      r.max_abs_delta_lo = std::max(r.max_abs_delta_lo, std::fabs(d.lo));
    }
}

void require_finite(const RowMatrix& w) {
  for (Index i = 0; i < w.rows(); ++i)
    for (Index j = 0; j < w.cols(); ++j)
      if (!std::isfinite(w(i, j)))
        throw std::invalid_argument(fmt::format("entry ({}, {}) is not finite", i, j));
}

}  // namespace

Quantized quantize(const RowMatrix& w, const QuantSpec& spec) {
  validate(spec);
  require_finite(w);
  // nearbyint follows the current rounding mode; the conventions assume round to nearest even.
  if (std::fegetround() != FE_TONEAREST)
    throw std::invalid_argument("the rounding mode is not round-to-nearest");
  Quantized r;
  r.w_q.resize(w.rows(), w.cols());
  r.groups = make_groups(w.rows(), w.cols(), spec);
  for (Group& g : r.groups) quantize_group(w, spec, g, r);
  for (Index i = 0; i < w.rows(); ++i)
    for (Index j = 0; j < w.cols(); ++j)
      if (!std::isfinite(r.w_q(i, j)))
        throw std::domain_error(fmt::format("entry ({}, {}): w_q overflows", i, j));
  set_deltas(w, r);
  return r;
}

}  // namespace fim::quant
