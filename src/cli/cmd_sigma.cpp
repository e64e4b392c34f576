// fimcheck sigma: the runtime monitor sigma_t = lambda_1(F_t) / lambda_base (SPEC S1) as a
// certified interval per step, optionally classified into a policy's cell (claim C7).
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <unistd.h>

#include "policy/partition.hpp"
#include "cli/commands.hpp"
#include "cli/input.hpp"
#include "io/matrix_io.hpp"
#include "linalg/enclose_top.hpp"
#include "numeric/exact.hpp"
#include "numeric/outward.hpp"
#include "io/atomic_file.hpp"
#include "numeric/enclosure_json.hpp"

namespace fim::cli {
using num::Ival;

namespace {

struct SigmaArgs {
  std::string base, policy, coordinate = "sigma", output;
  std::vector<std::string> steps, at;
  bool gram = false, json = false;
  int max_bits = 1024;
  double rel_width = 1e-10;
};

// ---- Steps: files, or the .npy / .csv files of a directory in natural order ------------------

// "step2" < "step10": digit runs compare as numbers, everything else character by character.
bool natural_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      std::size_t i2 = i, j2 = j;
      while (i2 < a.size() && std::isdigit(static_cast<unsigned char>(a[i2]))) ++i2;
      while (j2 < b.size() && std::isdigit(static_cast<unsigned char>(b[j2]))) ++j2;
      std::string x = a.substr(i, i2 - i), y = b.substr(j, j2 - j);
      x.erase(0, std::min(x.find_first_not_of('0'), x.size()));
      y.erase(0, std::min(y.find_first_not_of('0'), y.size()));
      if (x.size() != y.size()) return x.size() < y.size();
      if (x != y) return x < y;
      i = i2;
      j = j2;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

// Every STEP argument that is a directory is replaced by its .npy and .csv files, naturally sorted.
std::vector<std::string> expand_steps(const std::vector<std::string>& args) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const std::string& s : args) {
    std::error_code ec;
    if (!fs::is_directory(s, ec)) {
      out.push_back(s);
      continue;
    }
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(s, ec)) {
      const std::string ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".npy" || ext == ".csv")) files.push_back(e.path().string());
    }
    if (ec) throw io::InputError(s, "directory", "cannot list: " + ec.message());
    if (files.empty()) throw io::InputError(s, "directory", "holds no .npy or .csv step files");
    std::sort(files.begin(), files.end(), natural_less);
    out.insert(out.end(), files.begin(), files.end());
  }
  return out;
}

// ---- Certified lambda_1, by the same path as `fimcheck lambda` -------------------------------

struct Lambda {
  Ival value;
  bool narrow = false;
  Eigen::Index n = 0, d = 0;  // the shape read: n x d scores (gram) or d x d
};

// Encloses lambda_1 of the matrix in FILE (of the FIM G^T G / n when gram): the same load and
// enclose_top calls as fimcheck lambda, so both commands print the same enclosure.
Lambda enclose_lambda_max(const std::string& file, const SigmaArgs& a) {
  FimMatrix f = load_fim_matrix(file, a.gram, false, !a.json);
  const linalg::Precision p{a.max_bits, a.rel_width};
  const linalg::Top top = enclose_refining_gram(
      f, file, a.rel_width, a.max_bits, !a.json, [&p](const linalg::SymMatrix& m) { return linalg::enclose_top(m, p); },
      [](const linalg::Top& t) { return std::optional<Ival>(t.lambda1); });
  Lambda out;
  out.n = f.n;
  out.d = f.d;
  out.value = fim_value(f, top.lambda1);
  out.narrow = top.ok && linalg::narrow_enough(out.value, a.rel_width, out.value.mag()) &&
               num::printed_within(num::to_json(out.value), a.rel_width);  // as printed
  return out;
}

// The shape of a loaded file as the user wrote it.
std::string shape_text(const Lambda& l) { return std::to_string(l.n) + " x " + std::to_string(l.d); }

// sigma compares FIMs of one model: a step with another number of parameters d is another model.
void require_same_d(const std::string& file, const Lambda& step, const SigmaArgs& a, const Lambda& base) {
  if (step.d == base.d) return;
  throw io::InputError(file, "shape",
                       "is " + shape_text(step) + " (d = " + std::to_string(step.d) +
                           ") but the base " + a.base + " is " + shape_text(base) + " (d = " +
                           std::to_string(base.d) + "); sigma compares FIMs of the same d parameters");
}

// ---- sigma_t and its classification ----------------------------------------------------------

// sigma = lambda_1 / lambda_base; none (undefined) when the base enclosure contains 0. Ival
// division rounds outward, so the interval contains the true quotient (proofs/partition.md, Lemma 7).
std::optional<Ival> sigma_of(const Ival& step, const Ival& base) {
  if (base.contains_zero()) return std::nullopt;
  return step / base;
}

// The set of values sigma may take (proofs/partition.md, Lemma 7): the interval's finite values
// (an infinite end = unbounded);
// exactly "undefined" when the base enclosure is exactly 0; "undefined" or any finite value
// when the base enclosure merely contains 0.
policy::ValueSet possible_sigma(const std::optional<Ival>& sigma, const Ival& base) {
  policy::ValueSet set;
  if (!sigma) {
    if (base.lo == 0 && base.hi == 0) set.point = policy::Value::special(policy::Value::Kind::Undefined);
    else set.with_undefined = true;
    return set;
  }
  if (std::isfinite(sigma->lo)) set.lo = num::to_rational(sigma->lo);
  if (std::isfinite(sigma->hi)) set.hi = num::to_rational(sigma->hi);
  return set;
}

struct Classifier {
  policy::Policy policy;
  std::size_t coord = 0;
  std::vector<std::pair<std::size_t, policy::Value>> fixed;
};

std::optional<Classifier> classifier_of(const SigmaArgs& a) {
  if (a.policy.empty()) return std::nullopt;
  Classifier c{policy::read_policy(a.policy), 0, {}};
  c.coord = policy::classified_coordinate(c.policy, a.coordinate);
  for (const std::string& s : a.at) c.fixed.push_back(policy::parse_assignment(c.policy, s));
  return c;
}

// Exit code of one step, combined as VIOLATED beats UNDECIDED beats HOLDS (S9: 1 > 3 > 0).
int worse(int a, int b) {
  if (a == kCounterexample || b == kCounterexample) return kCounterexample;
  return a == kUndecided || b == kUndecided ? kUndecided : kOk;
}

int step_exit(bool narrow, bool base_certain, const std::optional<policy::Classification>& k) {
  int code = narrow && base_certain ? kOk : kUndecided;
  if (!k) return code;
  if (k->kind == policy::ClassKind::Ambiguous) return worse(code, kUndecided);
  if (k->kind != policy::ClassKind::Cell) return worse(code, kCounterexample);
  return code;
}

// {"lo": S, "hi": S} with outward-rounded decimals, as report::to_json, keeping lo first.
nlohmann::ordered_json enclosure_json(const Ival& x) {
  const auto [lo, hi] = num::decimal_enclosure(x.lo, x.hi);
  return {{"lo", lo}, {"hi", hi}};
}

// Why sigma is undefined: exactly (a zero base) or because the base was not separated from 0.
std::string undefined_reason(const Ival& base) {
  return base.lo == 0 && base.hi == 0 ? "lambda_base = 0 exactly" : "lambda_base's enclosure contains 0";
}

std::string sigma_text(const std::optional<Ival>& s, const Ival& base) {
  return s ? "in " + num::to_text(*s) : "undefined (" + undefined_reason(base) + ")";
}

int run_sigma(const SigmaArgs& a) {
  const std::optional<Classifier> cls = classifier_of(a);  // a bad policy fails before any work
  const std::vector<std::string> steps = expand_steps(a.steps);
  const Lambda base = enclose_lambda_max(a.base, a);
  const bool base_certain = !base.value.contains_zero() || (base.value.lo == 0 && base.value.hi == 0);
  nlohmann::ordered_json j;
  j["base"] = enclosure_json(base.value);
  j["base_file"] = a.base;
  j["policy"] = cls ? nlohmann::ordered_json(a.policy) : nlohmann::ordered_json(nullptr);
  j["steps"] = nlohmann::ordered_json::array();
  std::string text = "lambda_base in " + num::to_text(base.value) + "  (" + a.base + ")\n";
  int code = base.narrow ? kOk : kUndecided;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Lambda step = enclose_lambda_max(steps[i], a);
    require_same_d(steps[i], step, a, base);
    const std::optional<Ival> sigma = sigma_of(step.value, base.value);
    std::optional<policy::Classification> k;
    if (cls) k = policy::classify(cls->policy, cls->coord, possible_sigma(sigma, base.value), cls->fixed);
    code = worse(code, step_exit(step.narrow, base_certain, k));
    nlohmann::ordered_json s;
    s["index"] = i;
    s["file"] = steps[i];
    s["lambda_max"] = enclosure_json(step.value);
    s["sigma"] = sigma ? enclosure_json(*sigma) : nlohmann::ordered_json("undefined");
    s["sigma_reason"] = sigma ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(undefined_reason(base.value));
    s["cell"] = nullptr;
    if (k) {
      const nlohmann::ordered_json kj = policy::to_json(cls->policy, *k);
      for (const char* key : {"cell", "classification", "candidates", "partly_uncovered"}) s[key] = kj[key];
    }
    j["steps"].push_back(s);
    text += std::to_string(i) + "  " + steps[i] + "  sigma " + sigma_text(sigma, base.value);
    if (k) text += "  cell: " + policy::describe(cls->policy, *k);
    if (k && k->kind == policy::ClassKind::Ambiguous) {
      text += " (candidates:";
      for (std::size_t c : k->candidates) text += " " + cls->policy.cells[c].name;
      text += k->partly_uncovered ? "; some states in no cell)" : ")";
    }
    text += "  (lambda_max in " + num::to_text(step.value) + ")\n";
  }
  if (!base_certain) text += "lambda_base's enclosure contains 0 without being 0: sigma is not certified\n";
  if (!a.output.empty()) io::write_atomically(a.output, j.dump(2) + "\n");
  std::cout << (a.json ? j.dump(2) + "\n" : text);
  return code;
}

}  // namespace

void add_sigma(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "sigma",
      "Certified monitor sigma_t = lambda_1(F_t) / lambda_base per step, optionally classified "
      "into a policy's cells (exit 0 decided, 1 a step in no cell, 3 undecided or ambiguous)");
  auto a = std::make_shared<SigmaArgs>();
  cmd->add_option("--base", a->base, "Reference matrix (or score matrix with --gram): lambda_base")->required();
  cmd->add_option("STEP", a->steps, "Step matrices, or directories of .npy / .csv steps (natural order)")
      ->required()
      ->default_str("");
  cmd->add_flag("--gram", a->gram,
                "Files are n x d per-sample score matrices G (float32/float64 .npy); F = G^T G / n");
  cmd->add_option("--policy", a->policy, "Classify each step into the cells of this policy JSON");
  cmd->add_option("--coordinate", a->coordinate, "Real coordinate of the policy that sigma is")
      ->capture_default_str();
  cmd->add_option("--at", a->at, "Fix another policy coordinate, NAME=VALUE (repeatable)")->default_str("");
  cmd->add_option("--max-bits", a->max_bits, "Highest precision to escalate to (53..4096)")
      ->check(CLI::Range(53, 4096));
  cmd->add_option("--rel-width", a->rel_width, "Requested relative width of the enclosures")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_flag("--json", a->json, "Print JSON on stdout");
  cmd->add_option("--output", a->output, "Also write the JSON result to this file (atomically)");
  cmd->callback([a, &exit_code] { exit_code = run_sigma(*a); });
}

}  // namespace fim::cli
