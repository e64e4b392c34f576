// C4 genericity in model M3 (weight quantization of a trained model): the leading-order coefficient
// c2 of the random models of quantization error (uniform noise of the step; unbiased stochastic
// rounding), certified for small models, decides the verdict of each model; lambda_1 before and
// after one deterministic quantization is reported as an observation about that one draw
// (proofs/genericity.md, section 3.5, Lemmas 9-11).
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "claims/verdict.hpp"
#include "fim/model.hpp"
#include "numeric/interval.hpp"
#include "quant/quantize.hpp"

namespace fim::claims {

struct M3Options {
  quant::QuantSpec quantizer;  // applied to every weight matrix, groups along rows; biases kept
  int reference = 64;          // reference inputs (the model's first ones), expected labels
  int max_params = 200;        // c2 is certified up to this many parameters
};

/// What one deterministic quantization did to lambda_1, certified or not: an observation about one
/// draw, never a verdict (the per-draw reading is the false variant per-draw, refuted in M1).
enum class OneDraw { Lowered, Raised, Unresolved };

/// The verdict of the expectation reading for one random error model, and what decided it.
struct M3Verdict {
  Verdict verdict = Verdict::Undecided;
  std::string where;
};

struct M3Result {
  std::string spec;
  int params = 0, quantized_weights = 0;
  num::Ival lambda_before, lambda_after, gap;
  OneDraw one_draw = OneDraw::Unresolved;        // lambda_1 after vs before, from the enclosures
  bool c2_certified = false;
  std::string c2_note;                           // why c2 is not certified, when it is not
  num::Ival c2_uniform, c2_stochastic;           // random error models, certified when c2_certified
  M3Verdict uniform, stochastic;                 // the verdicts, from c2 (m3_verdict)
};

/// Checks Theorem 4.3's expectation reading on m under o's quantizer for the two zero-mean random
/// error models (verdicts from c2), and observes the deterministic quantization's effect on lambda_1.
M3Result check_m3(const model::Model& m, const M3Options& o);

/// The verdict for one error model from its c2 (proofs/genericity.md, section 3.5, "Verdict in
/// M3"): c2 <= 0 certified is HYPOTHESIS_FAILS, c2 > 0 certified is HOLDS with the mean unchecked.
M3Verdict m3_verdict(bool c2_certified, const num::Ival& c2, const std::string& c2_note);

nlohmann::json m3_json(const M3Result& r, const M3Options& o);
std::string m3_text(const M3Result& r);

}  // namespace fim::claims
