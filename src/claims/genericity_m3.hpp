// C4 genericity in model M3 (weight quantization of a trained model): lambda_1 before and after one
// deterministic quantization, certified, and the leading-order coefficient c2 of the random models
// of quantization error (uniform noise of the step; unbiased stochastic rounding), certified for
// small models (proofs/genericity.md, section 3.5, Lemmas 9-11).
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

struct M3Result {
  std::string spec;
  int params = 0, quantized_weights = 0;
  num::Ival lambda_before, lambda_after, gap;
  Verdict strict_increase = Verdict::Undecided;  // lambda_1 after > before: VIOLATED if certified lower
  bool c2_certified = false;
  std::string c2_note;                           // why c2 is not certified, when it is not
  num::Ival c2_uniform, c2_stochastic;           // random error models, certified when c2_certified
};

/// Checks the strict reading of Theorem 4.3 on m under o's quantizer: the deterministic
/// quantization's effect on lambda_1, and c2 of the two zero-mean random error models.
M3Result check_m3(const model::Model& m, const M3Options& o);

nlohmann::json m3_json(const M3Result& r, const M3Options& o);
std::string m3_text(const M3Result& r);

}  // namespace fim::claims
