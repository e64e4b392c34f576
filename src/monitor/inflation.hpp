// Claim C8 `inflation`: the calibration threshold of sigma_t (a quantile over in-distribution
// trajectories) and its inflation under quantization, from certified enclosures of every sigma_t
// (proofs/inflation.md). Only the bootstrap confidence interval is statistical, and says so.
#pragma once
#include <cstdint>
#include <vector>

#include "numeric/interval.hpp"

namespace fim::monitor {

/// The order statistic of rank k = max(1, ceil(q N)) of values known only by enclosures x_i in
/// [a_i, b_i]: encloses the empirical q-quantile of the true values (proofs/inflation.md, Lemma 1).
/// Requires 0 < q <= 1 and at least one enclosure.
num::Ival quantile_enclosure(const std::vector<num::Ival>& values, double q);

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
