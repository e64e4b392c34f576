// Quantizers (src/quant/quantize.hpp): hand-computed answers for every scheme and granularity,
// delta = w_q - w checked exactly in GMP rationals, stochastic rounding's probabilities computed
// exactly by enumerating the random words, and the properties of proofs/quantization.md, including
// the counterexamples to the ones that do not hold.
#include <doctest/doctest.h>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <vector>

#include "io/npy.hpp"
#include "io/npy_write.hpp"
#include "numeric/mp.hpp"
#include "quant/quantize.hpp"
#include "support/io_checks.hpp"

using Eigen::Index;
using fim::num::Rational;
using fim::num::to_rational;
using namespace fim::quant;

namespace {

constexpr double eta = 0x1p-1074;  // smallest subnormal

RowMatrix row(std::initializer_list<double> v) {
  RowMatrix m(1, static_cast<Index>(v.size()));
  Index j = 0;
  for (double x : v) m(0, j++) = x;
  return m;
}

QuantSpec spec(Scheme s, int bits, Granularity g = Granularity::tensor, Index size = 128) {
  QuantSpec q;
  q.scheme = s;
  q.bits = bits;
  q.granularity = g;
  q.group_size = size;
  return q;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool same_bits(const RowMatrix& a, const RowMatrix& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
  for (Index k = 0; k < a.size(); ++k)
    if (!same_bits(a.data()[k], b.data()[k])) return false;
  return true;
}

// Requires w_q == expected bit for bit, printing both on failure.
void require_wq(const Quantized& q, const RowMatrix& expected) {
  INFO("w_q = " << q.w_q << "\nexpected = " << expected);
  REQUIRE(same_bits(q.w_q, expected));
}

// delta_hi + delta_lo == w_q - w in exact rationals, and delta_hi == fl(w_q - w).
void require_exact_delta(const RowMatrix& w, const Quantized& q) {
  for (Index i = 0; i < w.rows(); ++i)
    for (Index j = 0; j < w.cols(); ++j) {
      INFO("entry (" << i << ", " << j << "): w = " << w(i, j) << ", w_q = " << q.w_q(i, j));
      REQUIRE(to_rational(w(i, j)) + to_rational(q.delta_hi(i, j)) +
                  to_rational(q.delta_lo(i, j)) ==
              to_rational(q.w_q(i, j)));
      REQUIRE(same_bits(q.delta_hi(i, j), q.w_q(i, j) - w(i, j)));
      const fim::num::Ival d = q.delta(i, j);
      const Rational exact = to_rational(q.w_q(i, j)) - to_rational(w(i, j));
      REQUIRE((to_rational(d.lo) <= exact && exact <= to_rational(d.hi)));
      REQUIRE((d.lo == d.hi) == (q.delta_lo(i, j) == 0));
    }
}

// Random weights spread over many binades, with zero and constant rows mixed in.
RowMatrix random_weights(std::mt19937_64& gen, Index rows, Index cols) {
  std::uniform_real_distribution<double> unit(-1, 1), expo(-20, 20);
  RowMatrix w(rows, cols);
  for (Index i = 0; i < rows; ++i) {
    const double scale = std::exp2(std::floor(expo(gen)));
    for (Index j = 0; j < cols; ++j) w(i, j) = unit(gen) * scale;
  }
  if (rows > 2) w.row(1).setZero();
  if (rows > 3) w.row(2).setConstant(0.3);
  return w;
}

// ---- Exact probabilities of a procedure that reads random words ---------------------------------

struct NeedMoreWords {};

// The exact probability that run(source) returns true when source() yields independent uniform
// words of word_bits bits: every sequence of words the procedure can read is enumerated, each
// weighted 2^(-word_bits * length). run must read finitely many words on every path.
template <class Run>
Rational exact_probability(Run run, int word_bits) {
  Rational p = 0;
  std::vector<std::vector<std::uint64_t>> todo{{}};
  while (!todo.empty()) {
    const std::vector<std::uint64_t> prefix = todo.back();
    todo.pop_back();
    std::size_t used = 0;
    const WordSource source = [&]() -> std::uint64_t {
      if (used == prefix.size()) throw NeedMoreWords{};
      return prefix[used++];
    };
    try {
      if (run(source)) {
        Rational weight = 1;
        for (std::size_t k = 0; k < prefix.size(); ++k)
          weight /= Rational(std::uint64_t{1} << word_bits);
        p += weight;
      }
    } catch (const NeedMoreWords&) {
      for (std::uint64_t w = 0; w < (std::uint64_t{1} << word_bits); ++w) {
        todo.push_back(prefix);
        todo.back().push_back(w);
      }
    }
  }
  return p;
}

}  // namespace

// ---- Building blocks ----------------------------------------------------------------------------

TEST_CASE("nf4 levels: the QLoRA table as exact binary32 values, ascending, with 0 and +-1") {
  const double table[16] = {-1.0,
                            -0.6961928009986877,
                            -0.5250730514526367,
                            -0.39491748809814453,
                            -0.28444138169288635,
                            -0.18477343022823334,
                            -0.09105003625154495,
                            0.0,
                            0.07958029955625534,
                            0.16093020141124725,
                            0.24611230194568634,
                            0.33791524171829224,
                            0.44070982933044434,
                            0.5626170039176941,
                            0.7229568362236023,
                            1.0};
  for (int k = 0; k < 16; ++k) {
    CHECK(nf4_levels[k] == table[k]);
    CHECK(static_cast<double>(static_cast<float>(nf4_levels[k])) == nf4_levels[k]);
    if (k > 0) CHECK(nf4_levels[k - 1] < nf4_levels[k]);
  }
  CHECK(nf4_levels[7] == 0);
}

TEST_CASE("two_sum: hi + lo equals a + b exactly (Lemma 1)") {
  const TwoSum t = two_sum(1.0, 0x1p-60);
  CHECK(t.hi == 1.0);
  CHECK(t.lo == 0x1p-60);
  std::mt19937_64 gen(1);
  std::uniform_real_distribution<double> u(-1, 1), e(-60, 60);
  for (int k = 0; k < 2000; ++k) {
    const double a = std::ldexp(u(gen), int(e(gen))), b = std::ldexp(u(gen), int(e(gen)));
    const TwoSum s = two_sum(a, b);
    REQUIRE(s.hi == a + b);
    REQUIRE(to_rational(s.hi) + to_rational(s.lo) == to_rational(a) + to_rational(b));
  }
}

TEST_CASE("nf4_nearest agrees with exact nearest-level search, ties to the even index (Lemma 6)") {
  auto brute = [](double x) {
    int best = 0;
    for (int k = 1; k < 16; ++k) {
      const Rational dk = abs(to_rational(x) - to_rational(nf4_levels[k]));
      const Rational db = abs(to_rational(x) - to_rational(nf4_levels[best]));
      if (dk < db || (dk == db && k % 2 == 0)) best = k;
    }
    return best;
  };
  std::vector<double> xs = {-1.0, 1.0, 0.0, -0.0};
  for (int k = 0; k < 15; ++k) {
    const double mid = nf4_levels[k] / 2 + nf4_levels[k + 1] / 2;  // exact for these constants
    for (double x = std::nextafter(mid, -2), n = 0; n < 3; ++n, x = std::nextafter(x, 2))
      xs.push_back(x);
  }
  std::mt19937_64 gen(2);
  std::uniform_real_distribution<double> u(-1, 1);
  for (int k = 0; k < 3000; ++k) xs.push_back(u(gen));
  for (double x : xs) {
    INFO("x = " << x);
    REQUIRE(nf4_nearest(x) == brute(x));
  }
  CHECK(nf4_nearest(nf4_levels[8] / 2) == 8);  // tie between 7 and 8
  CHECK(nf4_nearest(nf4_levels[6] / 2) == 6);  // tie between 6 and 7
}

TEST_CASE("uniform_below and stochastic_round: exact probabilities by enumeration (Lemma 4)") {
  for (double g : {0.0, 0.5, 0.75, 0.1, 1 - 0x1p-53, 0x1p-1074, 0x1.8p-1000}) {
    const int bits = g < 0x1p-100 ? 8 : 2;  // 8-bit words keep the subnormal cases short
    INFO("g = " << g);
    CHECK(exact_probability([&](const WordSource& s) { return uniform_below(g, s, bits); }, bits) ==
          to_rational(g));
  }
  for (double x : {2.3, -2.3, 0.1, -0.75, 5.0, -0x1p-30, 4503599627370495.5}) {
    INFO("x = " << x);
    const double lo = std::floor(x);
    const Rational p_up = exact_probability(
        [&](const WordSource& s) { return stochastic_round(x, s, 2) == lo + 1; }, 2);
    const Rational p_down =
        exact_probability([&](const WordSource& s) { return stochastic_round(x, s, 2) == lo; }, 2);
    CHECK(p_up + p_down == 1);
    CHECK(p_up == to_rational(x) - to_rational(lo));  // unbiased: E = lo + p_up = x
  }
}

// ---- sym ----------------------------------------------------------------------------------------

TEST_CASE("sym per tensor, 4 bits: s = 1, ties to even, signed zero") {
  const RowMatrix w = row({7.0, 0.5, 1.5, 2.5, -2.5, -3.5, -0.5, 6.5});
  const Quantized q = quantize(w, spec(Scheme::sym, 4));
  require_wq(q, row({7.0, 0.0, 2.0, 2.0, -2.0, -4.0, -0.0, 6.0}));
  CHECK(q.groups.size() == 1);
  CHECK(q.groups[0].scale == 1.0);
  CHECK(q.clipped == 0);
  require_exact_delta(w, q);
  CHECK(q.delta_hi(0, 1) == -0.5);
  CHECK(q.delta_inexact == 0);
}

TEST_CASE("sym per channel, 3 bits: a zero row is kept, other rows use their own scale") {
  RowMatrix w(3, 4);
  w << 3.0, -3.0, 1.5, 0.4,  //
      0.0, -0.0, 0.0, 0.0,   //
      6.0, -6.0, 1.0, -1.0;
  RowMatrix expected(3, 4);
  expected << 3.0, -3.0, 2.0, 0.0,  //
      0.0, -0.0, 0.0, 0.0,          //
      6.0, -6.0, 0.0, -0.0;
  const Quantized q = quantize(w, spec(Scheme::sym, 3, Granularity::channel));
  require_wq(q, expected);
  REQUIRE(q.groups.size() == 3);
  CHECK(q.groups[1].degenerate);
  CHECK(q.groups[2].scale == 2.0);
  require_exact_delta(w, q);
}

TEST_CASE("sym per group of 3 along a row of 7: groups 3, 3, 1") {
  const RowMatrix w = row({3.0, 1.0, -1.5, 0.75, 0.125, -0.375, 5.0});
  const Quantized q = quantize(w, spec(Scheme::sym, 3, Granularity::group, 3));
  REQUIRE(q.groups.size() == 3);
  CHECK(q.groups[2].cols == 1);
  // s = 1: -1.5 ties to -2; s = 0.25: 0.5 ties to 0, -1.5 to -2; s = fl(5/3): code 3.
  require_wq(q, row({3.0, 1.0, -2.0, 0.75, 0.0, -0.5, 3.0 * (5.0 / 3.0)}));
  require_exact_delta(w, q);
}

TEST_CASE("make_groups: group sizes 32, 64, 128 and any positive size, along the last axis") {
  for (Index size : {32, 64, 128, 1, 50, 1000}) {
    const auto g = make_groups(3, 200, spec(Scheme::sym, 4, Granularity::group, size));
    const Index per_row = (200 + size - 1) / size;
    REQUIRE(Index(g.size()) == 3 * per_row);
    for (const Group& x : g) {
      CHECK(x.rows == 1);
      CHECK(x.cols == std::min(size, 200 - x.col0));
    }
  }
  CHECK(make_groups(3, 200, spec(Scheme::sym, 4, Granularity::channel)).size() == 3);
  CHECK(make_groups(3, 200, spec(Scheme::sym, 4)).size() == 1);
}

TEST_CASE("sym clamps at min_int only when the scale is subnormal (Lemma 5)") {
  // M = 10 eta, s = fl(10 eta / 7) = eta: codes 10 -> 7 and -10 -> -8.
  const RowMatrix w = row({10 * eta, -10 * eta, 3 * eta, eta});
  const Quantized q = quantize(w, spec(Scheme::sym, 4));
  require_wq(q, row({7 * eta, -8 * eta, 3 * eta, eta}));
  CHECK(q.clipped == 2);
  require_exact_delta(w, q);
  // With a normal scale no code leaves [-max_int, max_int].
  std::mt19937_64 gen(3);
  for (int bits : {2, 3, 4, 8, 16}) {
    const RowMatrix r = random_weights(gen, 6, 100);
    CHECK(quantize(r, spec(Scheme::sym, bits, Granularity::group, 32)).clipped == 0);
  }
}

// ---- asym ---------------------------------------------------------------------------------------

TEST_CASE("asym per tensor, 2 bits: zero point, ties to even") {
  // range 3, s = 1, z = clamp(-rint(-0.75), 0, 3) = 1; w / s rounds to -1, 0, 2, 2.
  const RowMatrix w = row({-0.75, 0.5, 1.5, 2.25});
  const Quantized q = quantize(w, spec(Scheme::asym, 2));
  require_wq(q, row({-1.0, 0.0, 2.0, 2.0}));
  CHECK(q.groups[0].zero == 1.0);
  CHECK(q.clipped == 0);
  require_exact_delta(w, q);
}

TEST_CASE("asym: the zero point clamps when the range misses 0, and codes clip") {
  // All positive: z = clamp(-1, 0, 3) = 0, code 4 clips to 3.
  Quantized q = quantize(row({1.0, 2.0, 4.0}), spec(Scheme::asym, 2));
  require_wq(q, row({1.0, 2.0, 3.0}));
  CHECK(q.clipped == 1);
  CHECK(q.groups[0].zero == 0.0);
  // All negative: z = clamp(9, 0, 3) = 3, every code clips to 0, so w_q = -3 s.
  q = quantize(row({-9.0, -8.0, -6.0}), spec(Scheme::asym, 2));
  require_wq(q, row({-3.0, -3.0, -3.0}));
  CHECK(q.groups[0].zero == 3.0);
  CHECK(q.clipped == 3);
  // A constant group is kept.
  q = quantize(row({3.0, 3.0, 3.0}), spec(Scheme::asym, 4));
  require_wq(q, row({3.0, 3.0, 3.0}));
  CHECK(q.groups[0].degenerate);
}

TEST_CASE("asym per group of 2 on a 2 x 4 tensor, and per channel") {
  RowMatrix w(2, 4);
  w << 0.0, 3.0, -1.0, 1.0,  //
      2.0, 2.0, 0.25, -0.5;
  const double s = 2.0 / 3.0;  // group (0, 2..3): range 2, z = clamp(-rint(-1.5), 0, 3) = 2
  RowMatrix expected(2, 4);
  expected << 0.0, 3.0, -2 * s,
      1 * s,                 // -1.5 -> -2 + 2 = 0 -> -2; 1.5 -> 2 + 2 = 4 clips to 3 -> 1
      2.0, 2.0, 0.25, -0.5;  // constant group kept; s = 0.25, z = 2: exact
  const Quantized q = quantize(w, spec(Scheme::asym, 2, Granularity::group, 2));
  require_wq(q, expected);
  CHECK(q.clipped == 1);
  CHECK(q.groups[2].degenerate);
  require_exact_delta(w, q);
  // Per channel, row 1: range 2.5, s = 2.5 / 3, z = clamp(-rint(-0.6), 0, 3) = 1.
  const Quantized c = quantize(w, spec(Scheme::asym, 2, Granularity::channel));
  const double s1 = 2.5 / 3;
  const double c1[4] = {2.0 / s1, 2.0 / s1, 0.25 / s1, -0.5 / s1};
  for (int j = 0; j < 4; ++j) {
    const double code = std::min(std::max(std::nearbyint(c1[j]) + 1, 0.0), 3.0);
    CHECK(same_bits(c.w_q(1, j), (code - 1) * s1));
  }
  CHECK(same_bits(c.w_q(1, 0), 2 * s1));   // 2.4 -> 2, + 1 = 3 (by hand)
  CHECK(same_bits(c.w_q(1, 3), -1 * s1));  // -0.6 -> -1, + 1 = 0
}

// ---- nf4 ----------------------------------------------------------------------------------------

TEST_CASE("nf4: blocks of 64, absmax scaling, nearest level, ties to the even index") {
  QuantSpec s = spec(Scheme::nf4, 4, Granularity::group, 64);
  RowMatrix w = RowMatrix::Zero(1, 65);
  const double in[6] = {1.0, 0.5, -0.25, nf4_levels[8] / 2, nf4_levels[6] / 2, -1.0};
  const double out[6] = {1.0, nf4_levels[12], nf4_levels[4], nf4_levels[8], nf4_levels[6], -1.0};
  for (int k = 0; k < 6; ++k) w(0, k) = in[k];
  w(0, 64) = 0.3;  // a block of one: c = 0.3, x = 1
  for (double scale : {1.0, 2.0, 0x1p-30}) {
    const RowMatrix ws = w * scale;
    const Quantized q = quantize(ws, s);
    REQUIRE(q.groups.size() == 2);
    CHECK(q.groups[0].scale == scale);
    for (int k = 0; k < 6; ++k) CHECK(same_bits(q.w_q(0, k), out[k] * scale));
    for (int k = 6; k < 64; ++k) CHECK(q.w_q(0, k) == 0);
    CHECK(q.w_q(0, 64) == 0.3 * scale);
    require_exact_delta(ws, q);
  }
  const Quantized zero = quantize(row({0.0, -0.0}), s);
  require_wq(zero, row({0.0, -0.0}));
  CHECK(zero.groups[0].degenerate);
}

// ---- delta exactness, determinism, errors -------------------------------------------------------

TEST_CASE("delta is exact in rationals for every scheme, granularity and rounding") {
  std::mt19937_64 gen(4);
  Index inexact = 0;
  for (int round = 0; round < 4; ++round) {
    const RowMatrix w = random_weights(gen, 5, 150);
    for (Scheme sc : {Scheme::sym, Scheme::asym, Scheme::nf4})
      for (Granularity g : {Granularity::tensor, Granularity::channel, Granularity::group})
        for (Rounding r : {Rounding::nearest, Rounding::stochastic}) {
          if (sc == Scheme::nf4 && r == Rounding::stochastic) continue;
          for (int bits : {2, 3, 8}) {
            QuantSpec s = spec(sc, sc == Scheme::nf4 ? 4 : bits, g, 32);
            s.rounding = r;
            s.seed = static_cast<std::uint64_t>(round * 7 + bits);
            const Quantized q = quantize(w, s);
            require_exact_delta(w, q);
            inexact += q.delta_inexact;
          }
        }
  }
  CHECK(inexact > 0);  // some deltas were not binary64 values, so delta_lo was exercised
}

TEST_CASE("a delta that is not a binary64 value (stochastic rounding up from 0.25 + 2^-54)") {
  // s = 1 (sym, 2 bits: max_int 1); rounding up gives w_q = 1 and delta = 0.75 - 2^-54, 54 bits.
  const RowMatrix w = row({1.0, 0.25 + 0x1p-54});
  QuantSpec s = spec(Scheme::sym, 2);
  s.rounding = Rounding::stochastic;
  bool found = false;
  for (s.seed = 0; s.seed < 100 && !found; ++s.seed) {
    const Quantized q = quantize(w, s);
    if (q.w_q(0, 1) != 1.0) continue;
    found = true;
    CHECK(q.delta_hi(0, 1) == 0.75);  // the tie 0.75 - 2^-54 rounds to the even 0.75
    CHECK(q.delta_lo(0, 1) == -0x1p-54);
    CHECK(q.delta_inexact == 1);
    CHECK(q.delta(0, 1).lo == std::nextafter(0.75, 0.0));
    require_exact_delta(w, q);
  }
  CHECK(found);
}

TEST_CASE("stochastic rounding: the same seed gives the same bits, another seed other bits") {
  std::mt19937_64 gen(5);
  const RowMatrix w = random_weights(gen, 4, 64);
  for (Scheme sc : {Scheme::sym, Scheme::asym}) {
    QuantSpec s = spec(sc, 3, Granularity::channel);
    s.rounding = Rounding::stochastic;
    s.seed = 42;
    const Quantized a = quantize(w, s), b = quantize(w, s);
    CHECK(same_bits(a.w_q, b.w_q));
    s.seed = 43;
    CHECK_FALSE(same_bits(a.w_q, quantize(w, s).w_q));
  }
  EntryBits x(9, 3), y(9, 3), z(9, 4);
  const std::uint64_t x1 = x();
  CHECK(x1 == y());
  CHECK(x1 != z());
}

TEST_CASE("statistical: stochastic rounding's mean over 20000 seeds is within 5 sigma of w") {
  // Labelled statistical: the seeds are fixed, so the outcome is deterministic; the tolerance
  // 5 sqrt(p (1 - p) / N) is what the test would tolerate for truly random words.
  const RowMatrix w = row({1.0, 0.3});
  QuantSpec s = spec(Scheme::sym, 2);
  s.rounding = Rounding::stochastic;
  const int n = 20000;
  double sum = 0;
  for (int k = 0; k < n; ++k) {
    s.seed = static_cast<std::uint64_t>(k);
    sum += quantize(w, s).w_q(0, 1);
  }
  CHECK(std::fabs(sum / n - 0.3) < 5 * std::sqrt(0.3 * 0.7 / n));
}

TEST_CASE("errors: bad spec, non-finite weight, scale underflow, range overflow") {
  CHECK_THROWS_AS(quantize(row({1.0}), spec(Scheme::sym, 1)), std::invalid_argument);
  CHECK_THROWS_AS(quantize(row({1.0}), spec(Scheme::asym, 17)), std::invalid_argument);
  CHECK_THROWS_AS(quantize(row({1.0}), spec(Scheme::nf4, 8)), std::invalid_argument);
  CHECK_THROWS_AS(quantize(row({1.0}), spec(Scheme::sym, 4, Granularity::group, 0)),
                  std::invalid_argument);
  CHECK_THROWS_AS(quantize(row({1.0, NAN}), spec(Scheme::sym, 4)), std::invalid_argument);
  CHECK_THROWS_AS(quantize(row({eta, 0.0}), spec(Scheme::sym, 3)), std::domain_error);
  CHECK_THROWS_AS(quantize(row({0.0, eta}), spec(Scheme::asym, 2)), std::domain_error);
  CHECK_THROWS_AS(quantize(row({-1.7e308, 1.7e308}), spec(Scheme::asym, 2)), std::domain_error);
  CHECK_THROWS_AS(quantize(row({DBL_MAX}), spec(Scheme::sym, 3)),
                  std::domain_error);                              // 3 fl(M / 3) = inf
  CHECK_NOTHROW(quantize(row({eta, 0.0}), spec(Scheme::sym, 2)));  // s = eta / 1
}

// ---- Properties of proofs/quantization.md and their counterexamples -----------------------------

TEST_CASE("idempotence: sym with a normal scale and nf4 always (Theorems 8, 9)") {
  std::mt19937_64 gen(6);
  for (int round = 0; round < 3; ++round) {
    const RowMatrix w = random_weights(gen, 6, 130);
    for (int bits : {2, 3, 4, 8, 16})
      for (Granularity g : {Granularity::tensor, Granularity::channel, Granularity::group}) {
        const QuantSpec s = spec(Scheme::sym, bits, g, 64);
        const Quantized q = quantize(w, s), qq = quantize(q.w_q, s);
        REQUIRE(same_bits(qq.w_q, q.w_q));
        for (std::size_t k = 0; k < q.groups.size(); ++k)
          REQUIRE(q.groups[k].scale == qq.groups[k].scale);
      }
    const QuantSpec n = spec(Scheme::nf4, 4, Granularity::group, 64);
    const Quantized q = quantize(w, n);
    REQUIRE(same_bits(quantize(q.w_q, n).w_q, q.w_q));
  }
  // The finite part of Theorem 9: absmax c = k eta, k = 1..12, every level.
  for (int k = 1; k <= 12; ++k)
    for (double level : nf4_levels) {
      const RowMatrix w = row({k * eta, level * (k * eta)});
      const Quantized q = quantize(w, spec(Scheme::nf4, 4));
      REQUIRE(same_bits(quantize(q.w_q, spec(Scheme::nf4, 4)).w_q, q.w_q));
    }
}

TEST_CASE(
    "counterexamples: idempotence fails for asym, for sym with a subnormal scale, and "
    "for stochastic rounding") {
  // asym, 2 bits: [1, 2, 4] -> [1, 2, 3] -> [4/3, 2, 2] (the scale changes from 1 to 2/3).
  const QuantSpec a = spec(Scheme::asym, 2);
  const Quantized q1 = quantize(row({1.0, 2.0, 4.0}), a);
  const Quantized q2 = quantize(q1.w_q, a);
  require_wq(q2, row({2 * (2.0 / 3.0), 2.0, 2.0}));
  // sym, 3 bits, subnormal scale: [-7 eta] -> s = 2 eta, code -4 -> [-8 eta] -> s = 3 eta -> [-9
  // eta].
  const QuantSpec s3 = spec(Scheme::sym, 3);
  const Quantized p1 = quantize(row({-7 * eta}), s3);
  require_wq(p1, row({-8 * eta}));
  require_wq(quantize(p1.w_q, s3), row({-9 * eta}));
  // Stochastic: w = [fl(31 s), fl(22 s)] is on the round-to-nearest grid of s (6 bits), but
  // fl(fl(22 s) / s) is not an integer, so stochastic rounding moves it with positive probability.
  const double s = 0x1.770348bdd1afep+0, top = 31 * s, on_grid = 22 * s;
  REQUIRE(top / 31 == s);
  const RowMatrix w = row({top, on_grid});
  const Quantized n = quantize(w, spec(Scheme::sym, 6));
  REQUIRE(n.groups[0].scale == s);
  require_wq(n, w);  // a fixed point of round to nearest
  const double x = on_grid / s;
  CHECK(x != std::floor(x));
  CHECK(std::nearbyint(x) == 22);  // one ulp off 22
}

TEST_CASE("the half-step bound |delta| <= s/2 fails by rounding; Lemma 7's bound holds") {
  // sym, 4 bits: w / s < 1.5 exactly, yet fl(w / s) = 1.5 ties to 2.
  const RowMatrix w = row({0x1.1d159959b003ap+3, 0x1.e8b7500776e1ap+0});
  const Quantized q = quantize(w, spec(Scheme::sym, 4));
  const double s = q.groups[0].scale;
  REQUIRE(s == 0x1.45cf8aafa4967p+0);
  const Rational delta = to_rational(q.w_q(0, 1)) - to_rational(w(0, 1));
  CHECK(abs(delta) > to_rational(s) / 2);
  // Lemma 7: |delta| <= s/2 + u (|w| + |q| s) with u = 2^-53 (here q = 2).
  const Rational u = to_rational(0x1p-53);
  CHECK(abs(delta) <= to_rational(s) / 2 + u * (abs(to_rational(w(0, 1))) + 2 * to_rational(s)));
}

TEST_CASE("Lemma 7 on random tensors: unclipped round-to-nearest errors and exact deltas") {
  std::mt19937_64 gen(7);
  const Rational u = to_rational(0x1p-53);
  Index checked = 0;
  for (Scheme sc : {Scheme::sym, Scheme::asym})
    for (int bits : {2, 4, 8}) {
      const RowMatrix w = random_weights(gen, 4, 96);
      const Quantized q = quantize(w, spec(sc, bits, Granularity::group, 32));
      if (sc == Scheme::sym) CHECK(q.clipped == 0);  // Lemma 5: normal scales, no clipping
      const double top =
          sc == Scheme::sym ? std::ldexp(1.0, bits - 1) - 1 : std::ldexp(1.0, bits) - 1;
      const double bottom = sc == Scheme::sym ? -top - 1 : 0;
      for (const Group& g : q.groups) {
        if (g.degenerate) continue;
        const Rational s = to_rational(g.scale);
        for (Index j = g.col0; j < g.col0 + g.cols; ++j) {
          const double n =
              std::nearbyint(w(g.row0, j) / g.scale) + g.zero;  // the code before clamping
          if (n < bottom || n > top) continue;                  // clipped
          const double code = n - g.zero;
          const Rational bound =
              s / 2 + u * (abs(to_rational(w(g.row0, j))) + abs(to_rational(code)) * s);
          const Rational d =
              abs(to_rational(q.delta_hi(g.row0, j)) + to_rational(q.delta_lo(g.row0, j)));
          CHECK(d <= bound);
          CHECK(q.delta_lo(g.row0, j) == 0);  // Corollary 7a: exact when unclipped
          ++checked;
        }
      }
    }
  CHECK(checked > 1000);
}

// ---- .npy output --------------------------------------------------------------------------------

TEST_CASE("write_npy: float64 C-order files that NpyMatrix reads back exactly") {
  fim::test::TempDir dir("fimcheck-npy-write");
  const std::vector<double> v = {1.0, -0.0, 0x1p-1074, 3.5, -2.25, 1e300};
  for (auto shape : {std::vector<std::uint64_t>{2, 3}, std::vector<std::uint64_t>{6}}) {
    const std::string path = (dir.path / "a.npy").string();
    fim::io::write_npy(path, shape, v);
    const fim::io::NpyMatrix m(path);
    Eigen::MatrixXd back;
    m.read_block(0, m.rows(), 0, m.cols(), back);
    REQUIRE(back.size() == 6);
    for (Index k = 0; k < 6; ++k)
      CHECK(same_bits(back(k / back.cols(), k % back.cols()), v[std::size_t(k)]));
    CHECK(fim::io::npy_bytes(shape, v).size() % 64 == 48 % 64);  // 64-byte header + 48 data bytes
  }
  CHECK_THROWS_AS(fim::io::npy_bytes({2, 2}, v), std::invalid_argument);
  CHECK_THROWS_AS(fim::io::write_npy((dir.path / "none" / "a.npy").string(), {6}, v),
                  std::runtime_error);
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path), {}) ==
        1);  // no temp file left
}
