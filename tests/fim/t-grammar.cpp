// The shipped grammar: deterministic sampling, every token in the vocabulary, and the perturbed
// grammar measurably different from the training one (token frequencies).
#include <doctest/doctest.h>

#include <map>

#include "fim/grammar.hpp"

using namespace fim::model;

TEST_CASE("sampling is deterministic per seed and stays in the vocabulary") {
  const auto a = sample_tokens(training_grammar(), 7, 500), b = sample_tokens(training_grammar(), 7, 500);
  CHECK(a == b);
  CHECK(a != sample_tokens(training_grammar(), 8, 500));
  CHECK(a.size() == 500);
  for (int t : a) CHECK((t >= 0 && t < static_cast<int>(vocabulary().size())));
  CHECK(vocabulary().front() == ".");
  CHECK(vocabulary().size() <= 256);
  CHECK(vocabulary().size() >= 32);
}

TEST_CASE("the perturbed grammar asks questions and uses rare words; the training one does not ask") {
  std::map<std::string, int> train, ood;
  for (int t : sample_tokens(training_grammar(), 1, 20000)) ++train[vocabulary()[t]];
  for (int t : sample_tokens(perturbed_grammar(), 1, 20000)) ++ood[vocabulary()[t]];
  CHECK(train["?"] == 0);
  CHECK(ood["?"] > 200);
  CHECK(ood["gradient"] > 5 * (train["gradient"] + 1));
}

TEST_CASE("the generator's uniform doubles lie in [0, 1) and pick follows the weights") {
  Rng rng(3);
  int ones = 0;
  for (int i = 0; i < 100000; ++i) {
    const double u = rng.uniform();
    REQUIRE((u >= 0 && u < 1));
    ones += static_cast<int>(rng.pick({1, 3}));
  }
  // statistical, fixed seed: 75% expected; 5 standard deviations is about +-0.7%
  CHECK(ones > 74300);
  CHECK(ones < 75700);
}
