// A model as the sigma_t monitor sees it (SPEC S1, C8): a reference ensemble giving lambda_base,
// and trajectories of observations whose sliding windows give F_t, at any parameters (full
// precision or quantized). Score rows are interval enclosures of the exact scores at the given
// binary64 parameters, so every lambda_1 built from them is certified.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "fim/model.hpp"
#include "numeric/interval.hpp"

namespace fim::model {

/// A quantizable weight matrix inside theta: rows x cols, row-major from `offset` (groups of a
/// quantizer run along a row, the input axis, as in deployed formats).
struct WeightMatrix {
  std::size_t offset = 0;
  int rows = 0, cols = 0;
};

class Monitored {
 public:
  virtual ~Monitored() = default;
  /// The SPEC that rebuilds this model bit for bit.
  virtual std::string spec() const = 0;
  virtual const std::vector<double>& theta() const = 0;
  /// The labels of the score rows, in words (the FIM is built with exactly these).
  virtual std::string labels() const = 0;
  /// The weight matrices a quantizer acts on (biases stay in full precision, as deployed).
  virtual std::vector<WeightMatrix> weight_matrices() const = 0;
  /// Score rows of the reference ensemble at theta (the FIM is G^T G / rows).
  virtual Dense<num::Ival> reference_scores(std::span<const double> theta) const = 0;
  /// Score rows of observation s (s = 0, 1, ...) of the trajectory drawn with `seed`;
  /// out_of_distribution selects the perturbed source. The window of F_t is observations
  /// t .. t + window - 1, each observation the same rows in every window that holds it.
  virtual Dense<num::Ival> observation_scores(std::span<const double> theta, std::uint64_t seed, int s,
                                              bool out_of_distribution) const = 0;
};

/// The model's first `count` inputs (at least one), as exact intervals: the reference ensemble.
Dense<num::Ival> reference_inputs(const Model& m, int count);

/// The regression and classification networks of model.hpp: the reference is the model's first
/// `reference_size` inputs with expected labels; a trajectory draws inputs uniformly from the
/// reference (in distribution) or adds 3 w to each, w a random unit vector (out of distribution).
std::unique_ptr<Monitored> monitored_network(const Model& m, int reference_size);

/// theta with every weight matrix quantized round-to-nearest, symmetric, per group of `group_size`
/// along rows, at `bits` (quant/quantize.hpp, the deployed RTN convention); biases unchanged.
std::vector<double> quantized_theta(const Monitored& m, int bits, int group_size);

}  // namespace fim::model
