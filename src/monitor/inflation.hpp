// Claim C8 `inflation`: the calibration threshold of sigma_t (a quantile over in-distribution
// trajectories) and its inflation under quantization, from certified enclosures of every sigma_t
// (proofs/inflation.md). Only the bootstrap confidence interval is statistical, and says so.
#pragma once
#include <cstdint>
#include <vector>

#include "numeric/interval.hpp"
#include "numeric/mp.hpp"

namespace fim::monitor {

/// The order statistic of rank k = max(1, ceil(q N)) of values known only by enclosures x_i in
/// [a_i, b_i]: encloses the empirical q-quantile of the true values (proofs/inflation.md, Lemma 1).
/// Requires 0 < q <= 1 and at least one enclosure.
num::Ival quantile_enclosure(const std::vector<num::Ival>& values, double q);

/// The rank k = max(1, ceil(q n)) of the empirical q-quantile of n values (Definition 1), with q
/// the binary64 value given. Throws std::invalid_argument unless 0 < q <= 1 and n >= 1.
std::size_t quantile_rank(std::size_t n, double q);
/// The same rank for an exact rational q (a decimal as the user wrote it: q = 0.07, n = 100 gives
/// 7, where the binary64 nearest 0.07 is slightly above it and gives 8).
std::size_t quantile_rank(std::size_t n, const num::Rational& q);

/// [a_(k), b_(k)], the k-th smallest lower end and the k-th smallest upper end: contains the k-th
/// smallest true value (Lemma 1). Requires 1 <= k <= values.size(); throws std::invalid_argument.
num::Ival order_statistic_enclosure(const std::vector<num::Ival>& values, std::size_t k);

/// threshold_quantized / threshold_full, both positive enclosures: the interval quotient
/// (outward rounding; Lemma 2). A full-precision threshold whose enclosure reaches 0 gives +inf.
num::Ival inflation_enclosure(const num::Ival& threshold_quantized, const num::Ival& threshold_full);

/// Fraction of values above the threshold: [#{a_i > hi(T)}, #{b_i > lo(T)}] / N (Lemma 3).
num::Ival exceedance_rate(const std::vector<num::Ival>& values, const num::Ival& threshold);

/// A statistical interval (never certified): the 2.5% and 97.5% points of the bootstrap
/// distribution of quantile(quantized) / quantile(full), resampling whole trajectories with a
/// seeded generator, on enclosure midpoints.
struct BootstrapCi {
  double lo = 0, hi = 0;
  int resamples = 0;
};
BootstrapCi bootstrap_inflation(const std::vector<std::vector<double>>& quantized_by_trajectory,
                                const std::vector<std::vector<double>>& full_by_trajectory, double q,
                                int resamples, std::uint64_t seed);

/// The empirical q-quantile of plain numbers (the same rank rule as quantile_enclosure).
double quantile_of(std::vector<double> values, double q);

}  // namespace fim::monitor
