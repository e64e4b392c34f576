// fimcheck calibrate: a certified enclosure of the empirical q-quantile of sigma_t over a user's
// in-distribution steps (proofs/inflation.md, Lemma 1) and the complete policy it calibrates
// (Lemma 4), which `fimcheck partition` certifies.
#include <cmath>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/commands.hpp"
#include "cli/steps.hpp"
#include "io/atomic_file.hpp"
#include "io/matrix_io.hpp"
#include "monitor/inflation.hpp"
#include "numeric/decimal.hpp"
#include "numeric/enclosure_json.hpp"
#include "numeric/outward.hpp"
#include "numeric/parallel.hpp"
#include "policy/calibrated.hpp"

namespace fim::cli {
using num::Ival;

namespace {

struct CalibrateArgs {
  std::string base, quantile = "0.99", policy_out, coordinate = "sigma";
  std::vector<std::string> steps;
  bool gram = false, json = false;
  int max_bits = 1024, jobs = num::all_cores();
  double rel_width = 1e-10;
  StepReading reading() const { return {gram, max_bits, rel_width, !json && jobs == 1}; }
};

// q as the user wrote it, exactly (so 0.07 of 100 steps is rank 7): 0 < q < 1, else exit 2.
num::Rational quantile_of_text(const std::string& text) {
  const std::optional<num::Rational> q = num::read_exact(text);
  if (!q || !(*q > 0 && *q < 1))
    throw io::InputError("--quantile", text, "must be a number strictly between 0 and 1, such as 0.99");
  return *q;
}

// lambda_1 of every step, in step order, on up to `jobs` threads; a step whose d is not the
// base's is refused (the first such step in order, as a loop would).
std::vector<LambdaMax> enclose_steps(const std::vector<std::string>& files, const CalibrateArgs& a,
                                     const LambdaMax& base) {
  std::vector<LambdaMax> out(files.size());
  num::parallel_for(0, static_cast<int>(files.size()), a.jobs, [&](int i) {
    out[i] = enclose_lambda_max(files[i], a.reading());
    require_same_d(files[i], out[i], a.base, base);
  });
  return out;
}

struct Calibration {
  LambdaMax base;
  std::vector<std::string> files;
  std::vector<LambdaMax> steps;
  std::vector<Ival> sigma;  // empty when lambda_base's enclosure contains 0
  std::size_t rank = 0;
  Ival quantile;
  std::optional<std::string> threshold;  // the printed upper end of `quantile`; none if unbounded
  bool narrow = false;                   // every enclosure within --rel-width
};

Calibration calibrate(const CalibrateArgs& a, const num::Rational& q) {
  Calibration c;
  c.files = expand_steps(a.steps);
  c.base = enclose_lambda_max(a.base, a.reading());
  if (c.base.value.lo == 0 && c.base.value.hi == 0)
    throw io::InputError(a.base, "lambda_max", "lambda_base = 0 exactly: sigma is undefined at every step, so "
                                               "there is no quantile to calibrate");
  c.steps = enclose_steps(c.files, a, c.base);
  c.rank = monitor::quantile_rank(c.files.size(), q);
  c.narrow = c.base.narrow;
  for (const LambdaMax& s : c.steps) c.narrow = c.narrow && s.narrow;
  if (c.base.value.contains_zero()) return c;  // sigma not certified anywhere: undecided
  for (const LambdaMax& s : c.steps) c.sigma.push_back(*sigma_of(s.value, c.base.value));
  c.quantile = monitor::order_statistic_enclosure(c.sigma, c.rank);  // Lemma 1
  if (std::isfinite(c.quantile.hi)) c.threshold = num::decimal_enclosure(c.quantile.lo, c.quantile.hi).second;
  return c;
}

// What the written policy means, kept in the file itself.
std::string policy_description(const CalibrateArgs& a, const Calibration& c) {
  return "Calibrated by fimcheck calibrate: " + a.coordinate + " <= " + *c.threshold +
         " is nominal, above it alarm. The threshold is the upper end of a certified enclosure of the " +
         a.quantile + "-quantile (order statistic " + std::to_string(c.rank) + " of " +
         std::to_string(c.files.size()) + ") of sigma over the steps given, lambda_base from " + a.base +
         " (proofs/inflation.md, Lemma 4).";
}

nlohmann::ordered_json calibration_json(const CalibrateArgs& a, const Calibration& c) {
  nlohmann::ordered_json j;
  j["base"] = enclosure_json(c.base.value);
  j["base_file"] = a.base;
  j["quantile"] = a.quantile;
  j["steps"] = c.files.size();
  j["rank"] = c.rank;
  j["sigma_quantile"] = c.sigma.empty() ? nlohmann::ordered_json(nullptr) : enclosure_json(c.quantile);
  j["threshold"] = c.threshold ? nlohmann::ordered_json(*c.threshold) : nlohmann::ordered_json(nullptr);
  j["policy"] = c.threshold && !a.policy_out.empty() ? nlohmann::ordered_json(a.policy_out) : nlohmann::ordered_json(nullptr);
  j["width_reached"] = c.narrow;
  j["step_sigma"] = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < c.files.size(); ++i)
    j["step_sigma"].push_back({{"file", c.files[i]},
                               {"sigma", c.sigma.empty() ? nlohmann::ordered_json("undefined") : enclosure_json(c.sigma[i])}});
  return j;
}

std::string calibration_text(const CalibrateArgs& a, const Calibration& c) {
  const std::string n = std::to_string(c.files.size()), k = std::to_string(c.rank);
  std::string t = "lambda_base in " + num::to_text(c.base.value) + "  (" + a.base + ")\n";
  t += n + " steps; the " + a.quantile + "-quantile of sigma is order statistic k = " + k + " of N = " + n +
       " (the k-th smallest sigma, k = max(1, ceil(q N)))\n";
  const std::string none = a.policy_out.empty() ? "" : "; no policy written";
  if (c.sigma.empty())
    return t + "UNDECIDED: lambda_base's enclosure contains 0, so sigma is not certified at any step" + none + "\n";
  t += "sigma quantile in " + num::to_text(c.quantile) + "\n";
  if (!c.threshold) return t + "UNDECIDED: the quantile's enclosure is unbounded above; no threshold" + none + "\n";
  t += "threshold " + *c.threshold + ": nominal when sigma <= " + *c.threshold + ", alarm when sigma > " +
       *c.threshold + "\n";
  t += "steps given that the policy puts in alarm: at most N - k = " + std::to_string(c.files.size() - c.rank) + "\n";
  if (!c.narrow) t += "UNDECIDED: an enclosure is wider than --rel-width (the threshold is still certified)\n";
  if (!a.policy_out.empty()) t += "policy written to " + a.policy_out + " (cells nominal, alarm, invalid, no_base)\n";
  return t;
}

int run_calibrate(const CalibrateArgs& a) {
  const num::Rational q = quantile_of_text(a.quantile);
  const Calibration c = calibrate(a, q);
  if (c.threshold && !a.policy_out.empty()) {
    io::write_atomically(a.policy_out, policy::threshold_policy(a.coordinate, *c.threshold, policy_description(a, c)));
  }
  std::cout << (a.json ? calibration_json(a, c).dump(2) + "\n" : calibration_text(a, c));
  return c.threshold && c.narrow ? kOk : kUndecided;
}

}  // namespace

void add_calibrate(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "calibrate",
      "Certified enclosure of the empirical q-quantile of sigma_t = lambda_1(F_t) / lambda_base over "
      "in-distribution steps (the k-th smallest sigma, k = max(1, ceil(q N))), and with --policy-out a "
      "complete policy: nominal when sigma <= T, alarm when sigma > T, T the enclosure's printed upper "
      "end (a step at exactly T is nominal; a step is alarm only when certainly above T, hence above "
      "the quantile; at most N - k of the steps given are alarm), plus cells for nan and undefined "
      "(exit 0 decided, 2 bad input, 3 an enclosure too wide or not certified)");
  auto a = std::make_shared<CalibrateArgs>();
  cmd->add_option("--base", a->base, "Reference matrix (or score matrix with --gram): lambda_base")->required();
  cmd->add_option("--steps", a->steps, "In-distribution step matrices, or directories of .npy / .csv steps (natural order)")
      ->required()
      ->expected(1, -1)
      ->default_str("");
  cmd->add_option("--quantile", a->quantile, "q, strictly between 0 and 1, read exactly as written");
  cmd->add_flag("--gram", a->gram,
                "Files are n x d per-sample score matrices G (float32/float64 .npy); F = G^T G / n");
  cmd->add_option("--policy-out", a->policy_out, "Write the calibrated policy JSON here (atomically)")
      ->default_str("none");
  cmd->add_option("--coordinate", a->coordinate, "Name of the policy's coordinate that sigma is");
  cmd->add_option("--max-bits", a->max_bits, "Highest precision to escalate to (53..4096)")
      ->check(CLI::Range(53, 4096));
  cmd->add_option("--rel-width", a->rel_width, "Requested relative width of the enclosures")
      ->check(CLI::Range(0.0, 1.0));
  add_jobs_option(*cmd, a->jobs, "the steps' enclosures");
  cmd->add_flag("--json", a->json, "Print JSON on stdout");
  cmd->callback([a, &exit_code] { exit_code = run_calibrate(*a); });
}

}  // namespace fim::cli
