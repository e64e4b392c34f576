// The small neural language model of SPEC S5: token embedding, then an MLP or one single-head
// attention layer, then a softmax over the shipped vocabulary; trained by fimcheck (Adam, double)
// on text sampled from the shipped grammar, and monitored on token trajectories (C8).
//
// Interface:
//   LmSpec s = parse_lm_spec("lm:arch=mlp,context=4,embed=16,hidden=32,act=tanh,seed=1");
//   LanguageModel m = build_language_model(s);      // samples its text, trains, deterministic
//   lm_score<S>(m.shape, theta_S, context, next)     // analytic score in any scalar (lm_scores.hpp)
//   auto mon = monitored_language_model(spec, 64);  // the Monitored view for the inflation run
// Layout of theta and of score rows: src/fim/lm_scores.hpp (top comment); formulas:
// proofs/models.md, section 9.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fim/lm_scores.hpp"
#include "fim/monitored.hpp"

namespace fim::model {

/// Every field of an "lm:" SPEC, defaults filled in. Keys (all optional):
///   arch=mlp (mlp | attention), context=4 (k, tokens of context, 1..64), embed=16 (e, 1..256),
///   hidden=32 (h, mlp only, 1..1024), act=tanh (tanh | gelu | relu, mlp only),
///   tokens=4000 (training text length, k + 2..1000000), seed=1 (unsigned 64-bit),
///   steps=1000 (Adam steps, 0..1000000), lr=0.003 (Adam step size, finite, > 0),
///   batch=32 (prediction positions per Adam step, 1..100000).
struct LmSpec {
  LmArch arch = LmArch::mlp;
  int context = 4, embed = 16, hidden = 32;
  Activation act = Activation::tanh;
  int tokens = 4000;
  std::uint64_t seed = 1;
  int steps = 1000;
  double lr = 0.003;
  int batch = 32;

  /// The canonical SPEC: every key of the arch in a fixed order; parse_lm_spec(text()) == *this.
  std::string text() const;
  /// Shapes over the shipped vocabulary (V = vocabulary().size()).
  LmShape shape() const;
};

/// True when text names a language model ("lm:" or exactly "lm"), for the experiment's dispatch.
bool is_language_model_spec(const std::string& text);

/// Parses "lm:key=value,..."; throws io::InputError naming "--model" and the offending key (an
/// unknown key, a key the arch does not take, a repeated key, or a value out of range).
LmSpec parse_lm_spec(const std::string& text);

/// A trained language model with its training text.
struct LanguageModel {
  LmSpec spec;
  LmShape shape;
  std::vector<int> text;        // the training tokens
  std::vector<double> theta;    // trained parameters (layout: lm_scores.hpp)
  double initial_loss = 0;      // mean NLL (nats per token) of the text at the initial theta
  double final_loss = 0;        // mean NLL of the text after training
  double unigram_entropy = 0;   // entropy (nats) of the text's own token frequencies
};

/// Samples the training text and trains (Adam, minibatches, double); the same spec gives the
/// same bits on the same build and C library. Generator and training: language_model.cpp.
LanguageModel build_language_model(const LmSpec& s);

/// Mean negative log-likelihood (nats per prediction) of every prediction in tokens, binary64;
/// needs tokens.size() > k.
double lm_mean_nll(const LmShape& s, std::span<const double> theta, std::span<const int> tokens);

/// The quantizable weight matrices (rows = outputs, cols = inputs): E (V x e) and, for mlp, W1, W2;
/// for attention Wq, Wk, Wv, Wo. Biases and the position embeddings P stay in full precision.
std::vector<WeightMatrix> lm_weight_matrices(const LmShape& s);

/// The held-out in-distribution text of a model (seed derived from the model's seed), length n.
std::vector<int> lm_reference_text(const LmSpec& s, int n);

/// The token sequence of trajectory `seed` (training grammar, or the perturbed grammar when
/// out_of_distribution), length n; a prefix of every longer one with the same seed.
std::vector<int> lm_trajectory_text(std::uint64_t seed, bool out_of_distribution, int n);

/// Builds and owns the model of `spec`; reference = the first reference_size predictions of the
/// held-out text with the data labels (the empirical FIM); observation s of trajectory `seed` =
/// one row, predicting token s + k from tokens s..s+k-1. Scores are Ival enclosures of the exact
/// scores at the given binary64 theta. Throws io::InputError on a bad spec.
std::unique_ptr<Monitored> monitored_language_model(const std::string& spec, int reference_size);

}  // namespace fim::model
