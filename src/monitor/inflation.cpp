#include "monitor/inflation.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "fim/grammar.hpp"

namespace fim::monitor {
namespace {

double kth_smallest(std::vector<double> v, std::size_t k) {
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k - 1), v.end());
  return v[k - 1];
}

}  // namespace

// k = max(1, ceil(q N)), the rank of the empirical q-quantile (proofs/inflation.md, Definition 1).
// q * n is rounded to nearest, which may move it across an integer; the rational overload is exact.
std::size_t quantile_rank(std::size_t n, double q) {
  if (!(q > 0 && q <= 1) || n == 0) throw std::invalid_argument("quantile: need 0 < q <= 1 and values");
  const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(n)));
  return std::clamp<std::size_t>(k, 1, n);
}

std::size_t quantile_rank(std::size_t n, const num::Rational& q) {
  if (!(q > 0 && q <= 1) || n == 0) throw std::invalid_argument("quantile: need 0 < q <= 1 and values");
  const num::Rational qn = q * num::Rational(static_cast<unsigned long>(n));
  const num::bmp::mpz_int floor = numerator(qn) / denominator(qn);  // qn > 0: truncation is floor
  const bool whole = qn == num::Rational(floor);
  const auto k = floor.convert_to<unsigned long long>() + (whole ? 0 : 1);  // ceil(q n) <= n
  return std::max<std::size_t>(static_cast<std::size_t>(k), 1);
}

num::Ival order_statistic_enclosure(const std::vector<num::Ival>& values, std::size_t k) {
  if (k < 1 || k > values.size()) throw std::invalid_argument("order statistic: need 1 <= k <= N");
  std::vector<double> lo, hi;
  for (const num::Ival& x : values) lo.push_back(x.lo), hi.push_back(x.hi);
  return {kth_smallest(lo, k), kth_smallest(hi, k)};  // Lemma 1
}

num::Ival quantile_enclosure(const std::vector<num::Ival>& values, double q) {
  return order_statistic_enclosure(values, quantile_rank(values.size(), q));
}

num::Ival inflation_enclosure(const num::Ival& quantized, const num::Ival& full) {
  if (!(full.lo > 0)) return {quantized.lo > 0 ? num::div_down(quantized.lo, full.hi) : 0.0, num::inf};
  return quantized / full;  // Lemma 2: both positive, outward-rounded quotient
}

num::Ival exceedance_rate(const std::vector<num::Ival>& values, const num::Ival& threshold) {
  double surely = 0, possibly = 0;
  for (const num::Ival& x : values) {
    surely += x.lo > threshold.hi;
    possibly += x.hi > threshold.lo;
  }
  const num::Ival n(static_cast<double>(values.size()));
  return {(num::Ival(surely) / n).lo, (num::Ival(possibly) / n).hi};  // Lemma 3
}

double quantile_of(std::vector<double> values, double q) {
  const std::size_t k = quantile_rank(values.size(), q);
  return kth_smallest(std::move(values), k);
}

BootstrapCi bootstrap_inflation(const std::vector<std::vector<double>>& quantized,
                                const std::vector<std::vector<double>>& full, double q, int resamples,
                                std::uint64_t seed) {
  model::Rng rng(seed);
  std::vector<double> ratios;
  const auto resample = [&](const std::vector<std::vector<double>>& by_trajectory) {
    std::vector<double> pooled;
    for (std::size_t i = 0; i < by_trajectory.size(); ++i) {
      const auto& t = by_trajectory[static_cast<std::size_t>(rng.uniform() * static_cast<double>(by_trajectory.size()))];
      pooled.insert(pooled.end(), t.begin(), t.end());
    }
    return quantile_of(std::move(pooled), q);
  };
  for (int b = 0; b < resamples; ++b) {
    const double tq = resample(quantized), tf = resample(full);
    ratios.push_back(tq / tf);
  }
  BootstrapCi ci;
  ci.resamples = resamples;
  if (ratios.empty()) return ci;
  ci.lo = quantile_of(ratios, 0.025);
  ci.hi = quantile_of(ratios, 0.975);
  return ci;
}

}  // namespace fim::monitor
