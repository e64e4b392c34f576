#include "fim/spec.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "fim/spec_values.hpp"
#include "io/matrix_io.hpp"

namespace fim::model {
namespace {

[[noreturn]] void bad(const std::string& place, const std::string& reason) {
  throw io::InputError("--model", place, reason);
}

std::vector<int> widths(const std::string& key, const std::string& v) {
  std::vector<int> w;
  std::size_t start = 0;
  while (true) {
    const std::size_t x = v.find('x', start);
    w.push_back(static_cast<int>(integer_in(key, v.substr(start, x - start), 1, 4096)));
    if (x == std::string::npos) break;
    start = x + 1;
  }
  if (w.size() > 3) bad_key(key, fmt::format("{} hidden layers; 1 to 3 are supported", w.size()));
  return w;
}

Family family_of(const std::string& f) {
  if (f == "linear") return Family::linear;
  if (f == "logistic") return Family::logistic;
  if (f == "softmax") return Family::softmax;
  if (f == "mlp") return Family::mlp;
  bad("family '" + f + "'", "unknown model family; use linear, logistic, softmax or mlp");
}

// The keys each family takes, in canonical order.
std::vector<std::string> keys_of(Family f) {
  switch (f) {
    case Family::linear: return {"d_in", "noise", "n", "seed", "steps", "lr"};
    case Family::logistic: return {"d_in", "n", "seed", "steps", "lr"};
    case Family::softmax: return {"d_in", "classes", "n", "seed", "steps", "lr"};
    case Family::mlp: return {"hidden", "act", "d_in", "classes", "n", "seed", "steps", "lr"};
  }
  return {};
}

void set_key(ModelSpec& s, const std::string& key, const std::string& v) {
  if (key == "d_in") s.d_in = static_cast<int>(integer_in(key, v, 1, 4096));
  else if (key == "n") s.n = static_cast<long>(integer_in(key, v, 1, 1000000));
  else if (key == "seed") s.seed = unsigned64(key, v);
  else if (key == "steps") s.steps = static_cast<int>(integer_in(key, v, 0, 100000));
  else if (key == "lr") s.lr = positive_real(key, v);
  else if (key == "noise") s.noise = positive_real(key, v);
  else if (key == "classes") s.classes = static_cast<int>(integer_in(key, v, 2, 1000));
  else if (key == "hidden") s.hidden = widths(key, v);
  else if (key == "act") s.act = activation_of(key, v);
}

std::string value_text(const ModelSpec& s, const std::string& key) {
  if (key == "d_in") return std::to_string(s.d_in);
  if (key == "n") return std::to_string(s.n);
  if (key == "seed") return std::to_string(s.seed);
  if (key == "steps") return std::to_string(s.steps);
  if (key == "lr") return fmt::format("{}", s.lr);  // shortest text that reads back exactly
  if (key == "noise") return fmt::format("{}", s.noise);
  if (key == "classes") return std::to_string(s.classes);
  if (key == "act") return name_of(s.act);
  std::string h;
  for (int w : s.hidden) h += (h.empty() ? "" : "x") + std::to_string(w);
  return h;
}

}  // namespace

const char* name_of(Family f) {
  switch (f) {
    case Family::linear: return "linear";
    case Family::logistic: return "logistic";
    case Family::softmax: return "softmax";
    case Family::mlp: return "mlp";
  }
  return "?";
}

const char* name_of(Activation a) {
  switch (a) {
    case Activation::tanh: return "tanh";
    case Activation::gelu: return "gelu";
    case Activation::relu: return "relu";
  }
  return "?";
}

ModelSpec parse_spec(const std::string& text) {
  const std::size_t colon = text.find(':');
  ModelSpec s;
  s.family = family_of(text.substr(0, colon));
  if (s.family == Family::logistic) s.classes = 2;
  if (s.family != Family::mlp) s.hidden.clear();
  const std::vector<std::string> allowed = keys_of(s.family);
  std::set<std::string> seen;
  std::size_t start = colon == std::string::npos ? text.size() : colon + 1;
  while (start < text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string item = text.substr(start, comma - start);
    const std::size_t eq = item.find('=');
    const std::string key = item.substr(0, eq);
    if (eq == std::string::npos) bad_key(key, "expected key=value");
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      bad_key(key, fmt::format("not a key of {} (keys: {})", name_of(s.family),
                               fmt::join(allowed, ", ")));
    if (!seen.insert(key).second) bad_key(key, "given twice");
    set_key(s, key, item.substr(eq + 1));
    start = comma + 1;
    if (comma + 1 == text.size()) bad("end", "trailing ','");
  }
  return s;
}

std::string ModelSpec::text() const {
  std::string t = name_of(family);
  char sep = ':';
  for (const std::string& k : keys_of(family)) {
    t += sep + k + "=" + value_text(*this, k);
    sep = ',';
  }
  return t;
}

Architecture ModelSpec::architecture() const {
  Architecture a;
  a.d_in = d_in;
  a.hidden = family == Family::mlp ? hidden : std::vector<int>{};
  a.act = act;
  a.head = family == Family::linear     ? Head::gaussian
           : family == Family::logistic ? Head::bernoulli
                                        : Head::categorical;
  a.outputs = a.head == Head::categorical ? classes : 1;
  a.sigma = noise;
  return a;
}

std::size_t Architecture::weight_offset(int l) const {
  std::size_t off = 0;
  for (int k = 0; k < l; ++k)
    off += static_cast<std::size_t>(fan_out(k)) * fan_in(k) + static_cast<std::size_t>(fan_out(k));
  return off;
}

int Architecture::classes() const {
  return head == Head::gaussian ? 0 : head == Head::bernoulli ? 2 : outputs;
}

}  // namespace fim::model
