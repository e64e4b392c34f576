// Model SPEC strings: one string fixes the model family, its shape, its synthetic data and its
// training, e.g. "mlp:hidden=16x16,act=gelu,d_in=8,classes=4,n=512,seed=3".
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "fim/network.hpp"

namespace fim::model {

enum class Family { linear, logistic, softmax, mlp };

/// Every field of a SPEC, defaults filled in. Keys (all optional; each family accepts only its own):
///   all families: d_in=8 (input dimension, 1..4096), n=256 (inputs, 1..1000000),
///                 seed=0 (unsigned 64-bit), steps=300 (Adam steps, 0..100000), lr=0.01 (Adam step
///                 size, finite, > 0)
///   linear:       noise=0.5 (standard deviation sigma of y given x, in data and model, > 0)
///   softmax, mlp: classes=4 (2..1000)
///   mlp:          hidden=16 (widths joined by 'x', 1-3 layers, each 1..4096), act=tanh
///                 (tanh | gelu | relu)
/// logistic has two classes (a Bernoulli head on one output).
struct ModelSpec {
  Family family = Family::mlp;
  int d_in = 8;
  long n = 256;
  std::uint64_t seed = 0;
  int steps = 300;
  double lr = 0.01;
  double noise = 0.5;
  int classes = 4;
  std::vector<int> hidden{16};
  Activation act = Activation::tanh;

  /// The canonical SPEC: family, then every key of the family in a fixed order, defaults included;
  /// parse_spec(text()) gives back the same ModelSpec.
  std::string text() const;
  /// The network this SPEC trains.
  Architecture architecture() const;
};

/// Parses a SPEC "family:key=value,key=value,..."; throws io::InputError naming "--model", the
/// offending key (or the family) and the reason on an unknown family or key, a key the family does
/// not take, a repeated key, or a value out of range.
ModelSpec parse_spec(const std::string& text);

const char* name_of(Family f);
const char* name_of(Activation a);

}  // namespace fim::model
