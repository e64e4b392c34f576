// The language model's SPEC, text, training and Monitored view (SPEC S5, C8).
//
// Random streams (proofs/models.md, section 9.4): stream k of seed s is Rng(first output of
// Rng(8 s + k)) (grammar.hpp's splitmix64 generator, so every machine draws the same numbers):
//   k = 0 training text, 1 held-out reference text, 2 initialisation, 3 minibatch positions,
//   4 trajectory text (keyed by the trajectory's seed, not the model's, so trajectory j is the same
//   text for every model).
// Initialisation: E and P entries N(0, 1); Wq, Wk, Wv, W1, W2, Wo entries N(0, 1 / fan_in); biases 0;
// normals by Box-Muller on the stream's uniforms. Training: `steps` Adam steps (0.9, 0.999, 1e-8,
// bias-corrected) of size lr on the mean NLL of `batch` prediction positions drawn uniformly with
// replacement, its gradient -(1/batch) sum of scores summed in draw order.
#include "fim/language_model.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <cmath>
#include <map>
#include <numbers>
#include <set>

#include "fim/adam.hpp"
#include "fim/grammar.hpp"
#include "fim/spec_values.hpp"
#include "io/matrix_io.hpp"

namespace fim::model {
namespace {

// ---- SPEC parsing ---------------------------------------------------------------------------------

// mlp | attention; names the key otherwise.
LmArch arch_of(const std::string& key, const std::string& v) {
  if (v == "mlp") return LmArch::mlp;
  if (v == "attention") return LmArch::attention;
  bad_key(key, fmt::format("'{}' is not one of mlp, attention", v));
}

// The SPEC word of an arch.
const char* name_of(LmArch a) { return a == LmArch::mlp ? "mlp" : "attention"; }

// The keys each arch takes, in canonical order.
std::vector<std::string> keys_of(LmArch a) {
  if (a == LmArch::mlp)
    return {"arch", "context", "embed", "hidden", "act", "tokens", "seed", "steps", "lr", "batch"};
  return {"arch", "context", "embed", "tokens", "seed", "steps", "lr", "batch"};
}

// Sets one key's value; an unknown key throws naming it.
void set_key(LmSpec& s, const std::string& key, const std::string& v) {
  if (key == "arch") s.arch = arch_of(key, v);
  else if (key == "context") s.context = static_cast<int>(integer_in(key, v, 1, 64));
  else if (key == "embed") s.embed = static_cast<int>(integer_in(key, v, 1, 256));
  else if (key == "hidden") s.hidden = static_cast<int>(integer_in(key, v, 1, 1024));
  else if (key == "act") s.act = activation_of(key, v);
  else if (key == "tokens") s.tokens = static_cast<int>(integer_in(key, v, 2, 1000000));
  else if (key == "seed") s.seed = unsigned64(key, v);
  else if (key == "steps") s.steps = static_cast<int>(integer_in(key, v, 0, 1000000));
  else if (key == "lr") s.lr = positive_real(key, v);
  else if (key == "batch") s.batch = static_cast<int>(integer_in(key, v, 1, 100000));
  else bad_key(key, fmt::format("not a key of lm (keys: {})", fmt::join(keys_of(LmArch::mlp), ", ")));
}

// The canonical text of one key's value.
std::string value_text(const LmSpec& s, const std::string& key) {
  if (key == "arch") return name_of(s.arch);
  if (key == "context") return std::to_string(s.context);
  if (key == "embed") return std::to_string(s.embed);
  if (key == "hidden") return std::to_string(s.hidden);
  if (key == "act") return name_of(s.act);
  if (key == "tokens") return std::to_string(s.tokens);
  if (key == "seed") return std::to_string(s.seed);
  if (key == "steps") return std::to_string(s.steps);
  if (key == "lr") return fmt::format("{}", s.lr);  // shortest text that reads back exactly
  return std::to_string(s.batch);
}

// (key, value) pairs of "lm:k=v,..."; names the key of a malformed item.
std::vector<std::pair<std::string, std::string>> items_of(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> items;
  std::size_t start = text.size() > 3 ? 3 : text.size();
  while (start < text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string item = text.substr(start, comma - start);
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos) bad_key(item, "expected key=value");
    items.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    if (comma + 1 == text.size()) throw io::InputError("--model", "end", "trailing ','");
    start = comma + 1;
  }
  return items;
}

// ---- Random streams and initialisation ---------------------------------------------------------------

enum Stream : std::uint64_t { kText = 0, kReference = 1, kInit = 2, kBatch = 3, kTrajectory = 4 };

// The seed of stream k of seed (section 9.4).
std::uint64_t stream_seed(std::uint64_t seed, Stream k) { return Rng(8 * seed + k).next(); }

double normal(Rng& rng) {  // Box-Muller on the portable generator
  const double u1 = rng.uniform(), u2 = rng.uniform();
  return std::sqrt(-2.0 * std::log(1.0 - u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

// count N(0, sd^2) draws into theta from offset, in order.
void fill_normal(std::vector<double>& theta, std::size_t offset, std::size_t count, double sd, Rng& rng) {
  for (std::size_t i = 0; i < count; ++i) theta[offset + i] = sd * normal(rng);
}

// Initial parameters (top comment), drawn in layout order.
std::vector<double> initial_theta(const LmShape& s, std::uint64_t seed) {
  Rng rng(stream_seed(seed, kInit));
  std::vector<double> theta(s.num_params(), 0.0);
  fill_normal(theta, 0, s.embedding_size(), 1.0, rng);
  const std::size_t e = s.embed;
  if (s.arch == LmArch::attention) {
    fill_normal(theta, s.position_offset(), s.context * e, 1.0, rng);
    for (int m = 0; m < 3; ++m) fill_normal(theta, s.attention_offset(m), e * e, 1.0 / std::sqrt(double(e)), rng);
  }
  const Architecture net = s.head_net();
  for (int l = 0; l < net.layers(); ++l)
    fill_normal(theta, s.head_offset() + net.weight_offset(l), std::size_t(net.fan_out(l)) * net.fan_in(l),
                1.0 / std::sqrt(double(net.fan_in(l))), rng);
  return theta;
}

// ---- Training ----------------------------------------------------------------------------------------

// Gradient of the minibatch mean NLL: -(1/B) sum of the scores at the drawn positions.
std::vector<double> batch_gradient(const LanguageModel& m, Rng& rng, std::vector<double>& row) {
  const std::size_t positions = m.text.size() - m.shape.context;
  std::vector<double> grad(m.theta.size(), 0.0);
  const std::span<const int> text(m.text);
  for (int b = 0; b < m.spec.batch; ++b) {
    const auto at = static_cast<std::size_t>(rng.uniform() * static_cast<double>(positions));
    lm_write_score<double>(m.shape, m.theta, text.subspan(at, m.shape.context), text[at + m.shape.context], row);
    for (std::size_t k = 0; k < grad.size(); ++k) grad[k] -= row[k];
  }
  for (double& v : grad) v /= m.spec.batch;
  return grad;
}

// `steps` Adam steps on minibatches (top comment), in place on m.theta.
void train_adam(LanguageModel& m) {
  Adam adam(m.theta.size());
  std::vector<double> row(m.theta.size());
  Rng rng(stream_seed(m.spec.seed, kBatch));
  for (int step = 0; step < m.spec.steps; ++step) adam.step(m.theta, batch_gradient(m, rng, row), m.spec.lr);
}

// Entropy (nats) of the empirical token frequencies of text.
double unigram_entropy(const std::vector<int>& text) {
  std::map<int, double> count;
  for (int t : text) count[t] += 1;
  double h = 0;
  const double n = static_cast<double>(text.size());
  for (const auto& [token, c] : count) h -= (c / n) * std::log(c / n);
  return h;
}

// ---- The Monitored view ---------------------------------------------------------------------------------

class MonitoredLanguageModel final : public Monitored {
 public:
  MonitoredLanguageModel(const LmSpec& s, int reference_size)
      : m_(build_language_model(s)),
        reference_count_(static_cast<std::size_t>(std::max(1, reference_size))),
        reference_(lm_reference_text(s, static_cast<int>(reference_count_) + s.context)) {}

  std::string spec() const override { return m_.spec.text(); }
  const std::vector<double>& theta() const override { return m_.theta; }
  std::string labels() const override { return "data: the observed next token of the text"; }
  std::vector<WeightMatrix> weight_matrices() const override { return lm_weight_matrices(m_.shape); }

  Dense<num::Ival> reference_scores(std::span<const double> theta) const override {
    return scores(theta, reference_, 0, reference_count_);
  }

  // One row: token s + k of trajectory `seed` predicted from tokens s .. s + k - 1.
  Dense<num::Ival> observation_scores(std::span<const double> theta, std::uint64_t seed, int s,
                                      bool out_of_distribution) const override {
    const std::vector<int> text = lm_trajectory_text(seed, out_of_distribution, s + m_.shape.context + 1);
    return scores(theta, text, static_cast<std::size_t>(s), 1);
  }

 private:
  // Interval score rows at the binary64 theta: enclosures of the exact scores (proofs/models.md,
  // Lemma 6 and section 9.5).
  Dense<num::Ival> scores(std::span<const double> theta, const std::vector<int>& text, std::size_t first,
                          std::size_t count) const {
    const std::vector<num::Ival> theta_i = cast<num::Ival>(theta);
    return lm_score_matrix<num::Ival>(m_.shape, theta_i, text, first, count);
  }
  LanguageModel m_;
  std::size_t reference_count_;
  std::vector<int> reference_;
};

}  // namespace

std::string LmSpec::text() const {
  std::string t = "lm";
  char sep = ':';
  for (const std::string& k : keys_of(arch)) {
    t += sep + k + "=" + value_text(*this, k);
    sep = ',';
  }
  return t;
}

LmShape LmSpec::shape() const {
  LmShape s;
  s.arch = arch;
  s.vocab = static_cast<int>(vocabulary().size());
  s.context = context;
  s.embed = embed;
  s.hidden = hidden;
  s.act = act;
  return s;
}

bool is_language_model_spec(const std::string& text) { return text == "lm" || text.rfind("lm:", 0) == 0; }

LmSpec parse_lm_spec(const std::string& text) {
  if (!is_language_model_spec(text))
    throw io::InputError("--model", "family '" + text.substr(0, text.find(':')) + "'", "not a language model SPEC (lm:...)");
  LmSpec s;
  std::set<std::string> seen;
  const auto items = items_of(text);
  for (const auto& [key, value] : items) {
    if (!seen.insert(key).second) bad_key(key, "given twice");
    set_key(s, key, value);
  }
  const std::vector<std::string> allowed = keys_of(s.arch);
  for (const auto& [key, value] : items)
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      bad_key(key, fmt::format("not a key of lm:arch={} (keys: {})", name_of(s.arch), fmt::join(allowed, ", ")));
  if (s.tokens < s.context + 2)
    bad_key("tokens", fmt::format("{} tokens leave fewer than 2 predictions at context={}", s.tokens, s.context));
  return s;
}

LanguageModel build_language_model(const LmSpec& s) {
  LanguageModel m;
  m.spec = s;
  m.shape = s.shape();
  m.text = sample_tokens(training_grammar(), stream_seed(s.seed, kText), s.tokens);
  m.theta = initial_theta(m.shape, s.seed);
  m.initial_loss = lm_mean_nll(m.shape, m.theta, m.text);
  train_adam(m);
  m.final_loss = lm_mean_nll(m.shape, m.theta, m.text);
  m.unigram_entropy = unigram_entropy(m.text);
  return m;
}

double lm_mean_nll(const LmShape& s, std::span<const double> theta, std::span<const int> tokens) {
  const std::size_t n = tokens.size() - s.context;
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i)
    sum -= lm_log_prob<double>(s, theta, tokens.subspan(i, s.context), tokens[i + s.context]);
  return sum / static_cast<double>(n);
}

std::vector<WeightMatrix> lm_weight_matrices(const LmShape& s) {
  std::vector<WeightMatrix> w = {{0, s.vocab, s.embed}};
  if (s.arch == LmArch::attention)
    for (int m = 0; m < 3; ++m) w.push_back({s.attention_offset(m), s.embed, s.embed});
  const Architecture net = s.head_net();
  for (int l = 0; l < net.layers(); ++l)
    w.push_back({s.head_offset() + net.weight_offset(l), net.fan_out(l), net.fan_in(l)});
  return w;
}

std::vector<int> lm_reference_text(const LmSpec& s, int n) {
  return sample_tokens(training_grammar(), stream_seed(s.seed, kReference), n);
}

std::vector<int> lm_trajectory_text(std::uint64_t seed, bool out_of_distribution, int n) {
  const Grammar g = out_of_distribution ? perturbed_grammar() : training_grammar();
  return sample_tokens(g, stream_seed(seed, kTrajectory), n);
}

std::unique_ptr<Monitored> monitored_language_model(const std::string& spec, int reference_size) {
  return std::make_unique<MonitoredLanguageModel>(parse_lm_spec(spec), reference_size);
}

}  // namespace fim::model
