// The small probabilistic grammar fimcheck ships to train and probe its language models (S5):
// sentences over a fixed vocabulary, sampled from a seed with fimcheck's own generator, so the
// same seed gives the same tokens on every machine. No downloads.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace fim::model {

/// One production: the right-hand side (symbol names; terminals are vocabulary words) and its
/// weight (probabilities are the weights normalized per left-hand side).
struct Production {
  std::vector<std::string> rhs;
  double weight;
};

/// A probabilistic context-free grammar with start symbol "S". Symbols with productions are
/// nonterminals; every other symbol is a word of the vocabulary.
struct Grammar {
  std::string name;
  std::vector<std::pair<std::string, std::vector<Production>>> rules;
};

/// The training grammar (in-distribution text).
Grammar training_grammar();
/// The perturbed grammar for out-of-distribution trajectories: same vocabulary, with questions,
/// long coordinated clauses and rare words made frequent (proofs/inflation.md lists the changes).
Grammar perturbed_grammar();

/// The vocabulary shared by both grammars, index = token id; id 0 is the sentence separator ".".
const std::vector<std::string>& vocabulary();

/// Deterministic generator: splitmix64 state, uniform doubles in [0, 1) with 53 random bits.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  double uniform() { return static_cast<double>(next() >> 11) * 0x1p-53; }
  /// An index drawn with probability proportional to weights[i] (weights > 0, not all zero).
  std::size_t pick(const std::vector<double>& weights);
  /// A uniformly distributed unit vector of dimension d >= 1 (normalized Box-Muller normals).
  std::vector<double> unit_vector(std::size_t d);

 private:
  std::uint64_t state_;
};

/// Token ids of whole sentences from `g`, sampled with `seed`, at least `length` tokens long
/// (truncated to exactly `length`).
std::vector<int> sample_tokens(const Grammar& g, std::uint64_t seed, int length);

/// The words of a token sequence, space separated (for reports).
std::string detokenize(const std::vector<int>& tokens);

}  // namespace fim::model
