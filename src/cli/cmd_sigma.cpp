// fimcheck sigma: the runtime monitor sigma_t = lambda_1(F_t) / lambda_base (SPEC S1) as a
// certified interval per step, optionally classified into a policy's cell (claim C7).
#include <cmath>
#include <iostream>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "policy/partition.hpp"
#include "cli/commands.hpp"
#include "cli/steps.hpp"
#include "io/matrix_io.hpp"
#include "numeric/exact.hpp"
#include "io/atomic_file.hpp"
#include "numeric/enclosure_json.hpp"

namespace fim::cli {
using num::Ival;

namespace {

struct SigmaArgs {
  std::string base, policy, coordinate = "sigma", output, jsonl;
  std::vector<std::string> steps, at;
  bool gram = false, json = false;
  int max_bits = 1024;
  double rel_width = 1e-10;
  StepReading reading() const { return {gram, max_bits, rel_width, !json && jsonl != "-"}; }
};

// ---- sigma_t and its classification ----------------------------------------------------------

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

std::string sigma_text(const std::optional<Ival>& s, const Ival& base) {
  return s ? "in " + num::to_text(*s) : "undefined (" + undefined_reason(base) + ")";
}

// sigma for reading: the midpoint to 3 significant digits ("1.20", "0.960", "245", "1.23e+07");
// never a decision, which is the interval's.
std::string sigma_for_reading(const std::optional<Ival>& s) {
  if (!s) return "undefined";
  if (!std::isfinite(s->hi)) return ">= " + fmt::format("{:.3g}", s->lo);
  const double mid = s->lo + (s->hi - s->lo) / 2, m = std::abs(mid);
  if (m >= 100 && m < 1e6) return fmt::format("{:.0f}", mid);
  return m >= 1e-3 && m < 100 ? fmt::format("{:#.3g}", mid) : fmt::format("{:.3g}", mid);
}

// One step's result: the certified enclosures and, with a policy, its cell.
struct StepResult {
  std::size_t index = 0;
  std::string file;
  LambdaMax lambda;
  std::optional<Ival> sigma;
  std::optional<policy::Classification> cell;
};

// The step as JSON: one element of --json's "steps", and the same object is its JSON Line.
nlohmann::ordered_json step_json(const StepResult& r, const Ival& base, const std::optional<Classifier>& cls) {
  nlohmann::ordered_json s;
  s["index"] = r.index;
  s["file"] = r.file;
  s["name"] = step_name(r.file);
  s["lambda_max"] = enclosure_json(r.lambda.value);
  s["sigma"] = r.sigma ? enclosure_json(*r.sigma) : nlohmann::ordered_json("undefined");
  s["sigma_reason"] = r.sigma ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(undefined_reason(base));
  s["cell"] = nullptr;
  if (r.cell) {
    const nlohmann::ordered_json kj = policy::to_json(cls->policy, *r.cell);
    for (const char* key : {"cell", "classification", "candidates", "partly_uncovered"}) s[key] = kj[key];
  }
  return s;
}

// "0  steps/step_0001.npy  sigma in [lo, hi]  cell: nominal  (lambda_max in [lo, hi])".
std::string certified_line(const StepResult& r, const Ival& base, const std::optional<Classifier>& cls) {
  std::string text = std::to_string(r.index) + "  " + r.file + "  sigma " + sigma_text(r.sigma, base);
  const auto& k = r.cell;
  if (k) text += "  cell: " + policy::describe(cls->policy, *k);
  if (k && k->kind == policy::ClassKind::Ambiguous) {
    text += " (candidates:";
    for (std::size_t c : k->candidates) text += " " + cls->policy.cells[c].name;
    text += k->partly_uncovered ? "; some states in no cell)" : ")";
  }
  return text + "  (lambda_max in " + num::to_text(r.lambda.value) + ")\n";
}

// "step_0001.npy  sigma 1.11  nominal": the file name, sigma rounded for reading, the cell.
std::string readable_line(const StepResult& r, const std::optional<Classifier>& cls) {
  std::string text = step_name(r.file) + "  sigma " + sigma_for_reading(r.sigma);
  if (r.cell) text += "  " + policy::describe(cls->policy, *r.cell);
  return text + "\n";
}

// Every step enclosed and classified, in order; the exit code combined over them.
std::vector<StepResult> run_steps(const SigmaArgs& a, const std::vector<std::string>& files,
                                  const std::optional<Classifier>& cls, const LambdaMax& base,
                                  bool base_certain, int& code) {
  std::vector<StepResult> out;
  for (std::size_t i = 0; i < files.size(); ++i) {
    StepResult r{i, files[i], enclose_lambda_max(files[i], a.reading()), std::nullopt, std::nullopt};
    require_same_d(files[i], r.lambda, a.base, base);
    r.sigma = sigma_of(r.lambda.value, base.value);
    if (cls) r.cell = policy::classify(cls->policy, cls->coord, possible_sigma(r.sigma, base.value), cls->fixed);
    code = worse(code, step_exit(r.lambda.narrow, base_certain, r.cell));
    out.push_back(std::move(r));
  }
  return out;
}

int run_sigma(const SigmaArgs& a) {
  if (a.json && a.jsonl == "-") throw io::InputError("--jsonl", "-", "JSON Lines on stdout cannot go with --json");
  const std::optional<Classifier> cls = classifier_of(a);  // a bad policy fails before any work
  const std::vector<std::string> files = expand_steps(a.steps);
  const LambdaMax base = enclose_lambda_max(a.base, a.reading());
  const bool base_certain = !base.value.contains_zero() || (base.value.lo == 0 && base.value.hi == 0);
  int code = base.narrow ? kOk : kUndecided;
  const std::vector<StepResult> steps = run_steps(a, files, cls, base, base_certain, code);
  nlohmann::ordered_json j;
  j["base"] = enclosure_json(base.value);
  j["base_file"] = a.base;
  j["policy"] = cls ? nlohmann::ordered_json(a.policy) : nlohmann::ordered_json(nullptr);
  j["steps"] = nlohmann::ordered_json::array();
  std::string text = "lambda_base in " + num::to_text(base.value) + "  (" + a.base + ")\n", readable, lines;
  for (const StepResult& r : steps) {
    j["steps"].push_back(step_json(r, base.value, cls));
    lines += j["steps"].back().dump() + "\n";
    text += certified_line(r, base.value, cls);
    readable += readable_line(r, cls);
  }
  text += readable;
  if (!base_certain) text += "lambda_base's enclosure contains 0 without being 0: sigma is not certified\n";
  if (!a.output.empty()) io::write_atomically(a.output, j.dump(2) + "\n");
  if (!a.jsonl.empty() && a.jsonl != "-") io::write_atomically(a.jsonl, lines);
  std::cout << (a.jsonl == "-" ? lines : a.json ? j.dump(2) + "\n" : text);
  return code;
}

}  // namespace

void add_sigma(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "sigma",
      "Certified monitor sigma_t = lambda_1(F_t) / lambda_base per step, optionally classified "
      "into a policy's cells (exit 0 decided, 1 a step in no cell, 3 undecided or ambiguous). "
      "After the certified intervals, one line per step for reading: its file name, sigma "
      "rounded to 3 significant digits and its cell. The rounded sigma is for reading only: "
      "the cell and the exit code are decided from the certified interval");
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
  cmd->add_option("--jsonl", a->jsonl,
                  "Also write one JSON object per step (JSON Lines: index, file, name, lambda_max, "
                  "sigma as exact decimals, cell) to this file (atomically), or to stdout instead "
                  "of the text with '-'")
      ->default_str("none");
  cmd->callback([a, &exit_code] { exit_code = run_sigma(*a); });
}

}  // namespace fim::cli
