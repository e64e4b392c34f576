// RapidCheck generators of exactly symmetric binary64 matrices for property tests and the
// soundness oracle (SPEC S7, S10). Every generator is built from rc::gen combinators, so each
// value shrinks: the dimension toward its lower end (1 by default), then the entries toward 0
// (or toward the family's simplest member). Every value is finite and exactly symmetric
// (a(i, j) == a(j, i) bit for bit); families that round build the upper triangle and copy it.
//
// Use inside rc::check, or directly: `auto s = fim::search::any()(rc::Random(seed), 100);`
// then `s.value()` is the matrix and `s.shrinks()` its smaller variants.
#pragma once
#include <rapidcheck/Gen.h>

#include <Eigen/Dense>

namespace fim::search {

using MatrixGen = rc::Gen<Eigen::MatrixXd>;
using DimGen = rc::Gen<int>;

/// Dimensions 1..max_dim (max_dim >= 1), about half of them 1, 2 or 3; shrinks toward 1.
DimGen dimension(int max_dim = 20);
/// Dimensions lo..hi inclusive (1 <= lo <= hi), uniform; shrinks toward lo.
DimGen dimension_range(int lo, int hi);

// ---- random families ---------------------------------------------------------------------------

/// Wishart G^T G / m, G m x n (m in 1..2n+1) with entries k / 1024, |k| <= 1024, times 2^e with
/// |e| <= 30; rounded, then symmetrized by copying the upper triangle. PSD up to rounding.
MatrixGen wishart(DimGen dims = dimension());
/// Spiked: s u u^T / (u^T u) + 2^-t W, strength s in 1..1000, u and symmetric W small integers
/// (W / 64), t in 0..60; rounded, upper triangle copied.
MatrixGen spiked(DimGen dims = dimension());
/// Low rank plus noise: U U^T + 2^-t W, U n x r (r in 1..n) and symmetric W small integers,
/// t in 0..60; exact when t is small enough, else rounded, upper triangle copied.
MatrixGen low_rank_noise(DimGen dims = dimension());

// ---- adversarial families ----------------------------------------------------------------------

/// lambda_1 = lambda_2 exactly (for n >= 2): P (H diag(d) H^T / m  (+)  diag(rest)) P^T times 2^e,
/// H Sylvester-Hadamard of order m (the largest power of two <= min(n, max_m)), d dyadic with its
/// two largest entries equal and rest <= max d; every entry is exact unless 2^e underflows.
MatrixGen hadamard_repeated(DimGen dims = dimension(), int max_m = 16);
/// c I with c from special values: 0, +-1, powers of two, subnormals, 1e+-300, DBL_MAX / 64.
MatrixGen scaled_identity(DimGen dims = dimension());
/// The zero matrix.
MatrixGen zero_matrix(DimGen dims = dimension());
/// A small integer block B (1 x 1 to 3 x 3) repeated floor(n / b) times plus a diagonal rest,
/// permuted, times 2^e: every eigenvalue of B (often irrational) has multiplicity >= n / b. Exact.
MatrixGen block_repeat(DimGen dims = dimension());
/// Near-degenerate top pair: the block [[a, b], [b, a + c]] with b = a 2^-k (k <= 100) and
/// c = j a 2^-l (often 0), plus a block of norm <= a / 8 and optional couplings a 2^-k2 between
/// them, permuted: gaps down to 2^-100 relative (1e-30). Exact unless an entry underflows.
MatrixGen near_degenerate(DimGen dims = dimension());
/// Clusters: eigenvalues c_r (1 + o_i 2^-k) (1..3 centres, k in 10..100), rotated by a
/// Sylvester-Hadamard block or by a chain of Givens rotations; rounded, upper triangle copied.
MatrixGen clusters(DimGen dims = dimension());
/// Dynamic range 1e-300..1e300 in one matrix: diagonal +-m_i 2^e_i (|e_i| <= 1000) coupled by
/// c_ij = k_ij 2^(floor((e_i + e_j) / 2) - t) on a random pattern, permuted. Dimension capped at
/// max_dim (the exact oracle is slow on dense 2000-bit entries).
MatrixGen dynamic_range(DimGen dims = dimension(), int max_dim = 12);
/// Rank deficient: U diag(s) U^T, U n x r small integers with r in 0..n-1 (r = 0: zero matrix),
/// s = +-1 (indefinite too), times 2^e. Exact.
MatrixGen rank_deficient(DimGen dims = dimension());
/// Subnormal and tiny entries: each entry one of 0, +-2^-1074, 3 * 2^-1074, +-1e-310, the
/// largest subnormal, +-DBL_MIN, 2^-1050, 1e-300 and +-1 (for mixed scales).
MatrixGen subnormal(DimGen dims = dimension());
/// Entries on binade boundaries: +-2^k, +-2^k (1 + 2^-52), +-2^k (1 - 2^-53) with k near a base
/// exponent (mostly |k| <= 24, sometimes near -1074, -1022 or 1023), zeros too.
MatrixGen binade(DimGen dims = dimension());
/// Nearly parallel eigenvector structure: Q diag(d) Q^T with Q a chain of Givens rotations of
/// nearly identical angles theta + i 2^-k, or sum_i s_i u_i u_i^T with u_i = u + 2^-k w_i
/// (nearly parallel rank-one terms, signs s_i = +-1..3); rounded, upper triangle copied.
MatrixGen nearly_parallel(DimGen dims = dimension());
/// 1 x 1 matrices of special values: 0, -0, +-1, subnormals, DBL_MIN, DBL_MAX, 1e+-300, ...
MatrixGen one_by_one();

// ---- mixtures ----------------------------------------------------------------------------------

/// The values of g, or -g, or g - c I with c the rounded mean of the diagonal (indefinite):
/// shrinks toward g itself.
MatrixGen signed_variant(MatrixGen g);
/// The values of g times 2^e, e one of 0, +-60, -80, -110, -300, -600, 100, 500, lowered where
/// the largest entry would overflow (tiny scales may round entries to subnormals or 0): probes
/// scale-dependent code paths (absolute tolerances, squared norms). Shrinks toward e = 0.
MatrixGen scaled_variant(MatrixGen g);
/// Every random family, with signs (signed_variant).
MatrixGen random(DimGen dims = dimension());
/// Every adversarial family, with signs (signed_variant), weighted toward degenerate tops, plus
/// random families at extreme scales (scaled_variant).
MatrixGen adversarial(DimGen dims = dimension());
/// Adversarial three times out of four, random otherwise.
MatrixGen any(DimGen dims = dimension());
/// A permuted direct sum of independent blocks drawn from `blocks`, filling dimension n (the
/// last block cut to fit, a principal submatrix), with block 1 sometimes an exact copy of block 0
/// (eigenvalues repeated across blocks, the top one included): large matrices whose exact
/// inertia is cheap (the oracle splits them into components).
MatrixGen block_diagonal(MatrixGen blocks, DimGen dims = dimension_range(130, 160));
/// Large structured matrices (n > 128, the Lanczos path of enclose_top_fp): block_diagonal of
/// any(dimension(16)) blocks, a third of them at extreme scales (scaled_variant).
MatrixGen large_structured(DimGen dims = dimension_range(130, 160));
/// Large dense matrices whose exact oracle is still affordable (small-integer or short-mantissa
/// entries): Hadamard with m up to 128 (lambda_1 = lambda_2), near-degenerate, rank deficient
/// and block repeats, with signs. Expect about a second per exact count at n = 150.
MatrixGen large_dense(DimGen dims = dimension_range(130, 160));
/// large_structured five times out of six, large_dense otherwise.
MatrixGen large(DimGen dims = dimension_range(130, 160));

}  // namespace fim::search
