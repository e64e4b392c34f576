// The inflation experiment's model lists and its report (JSON, Markdown, SVG). The shared-baseline
// reading leads everywhere (proofs/inflation.md, section 1), and every figure printed from an
// enclosure is rounded outward (report/rounded.hpp).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "report/experiment_report.hpp"
#include "io/atomic_file.hpp"
#include "numeric/enclosure_json.hpp"
#include "report/rounded.hpp"
#include "report/svg.hpp"

namespace fim::report {
using io::write_atomically;
namespace {

using namespace monitor;

using num::Ival;
using Json = nlohmann::ordered_json;

std::string bits_name(int bits) { return bits == 0 ? "full" : std::to_string(bits) + "-bit"; }

// The inflation of one reading.
const Ival& inflation_of(const PrecisionResult& p, bool shared) { return shared ? p.inflation_shared : p.inflation; }

// The model and bit width with the largest certified lower end of the inflation of one reading.
std::pair<const ModelInflation*, const PrecisionResult*> largest(const std::vector<ModelInflation>& r, bool shared) {
  std::pair<const ModelInflation*, const PrecisionResult*> best{nullptr, nullptr};
  for (const auto& m : r)
    for (std::size_t k = 1; k < m.precisions.size(); ++k)
      if (!best.second || inflation_of(m.precisions[k], shared).lo > inflation_of(*best.second, shared).lo)
        best = {&m, &m.precisions[k]};
  return best;
}

// lambda_base(quantized) / lambda_base(full), enclosed (both positive), and its direction.
std::string base_change(const ModelInflation& m, const PrecisionResult& p) {
  const Ival& full = m.precisions.front().lambda_base;
  std::string s = "lambda_base moved " + base_direction(p.lambda_base, full);
  if (full.lo > 0 && p.lambda_base.lo > 0) s += " by a factor in " + rounded(p.lambda_base / full);
  return s;
}

// How a certified inflation compares with the paper's 244x, which is one observation on the
// paper's own model: a comparison of orders of magnitude, never a certified statement about it.
std::string against_244(const Ival& x) {
  if (x.lo >= 244) return "At least the paper's 244x.";
  if (x.lo >= 24.4) return "The same order of magnitude as the paper's 244x.";
  return "Far below the paper's 244x.";
}

// One reading's plain answer: its largest certified inflation, what drove it, and how it compares
// with the paper's 244x (proofs/inflation.md, section 5).
std::string answer(const std::vector<ModelInflation>& r, bool shared) {
  const auto [m, p] = largest(r, shared);
  const Ival& x = inflation_of(*p, shared);
  std::ostringstream s;
  s << (shared ? "Shared baseline (the paper's reading: a threshold calibrated at full precision, applied to the "
                 "quantized model): "
               : "Own baseline (secondary: each model calibrated on its own reference): ")
    << "largest inflation at least " << round_down(x.lo) << "x, certified in " << rounded(x) << " (" << m->spec << ", "
    << bits_name(p->bits) << "); " << base_change(*m, *p);
  if (shared) s << "; the full-precision threshold flags " << rounded(p->false_alarm) << " of in-distribution steps";
  s << ". " << against_244(x);
  return s.str() + "\n";
}

std::string bullets(const std::string& lines) {
  std::istringstream in(lines);
  std::string out;
  for (std::string l; std::getline(in, l);) out += "- " + l + "\n";
  return out;
}

std::string verdict_on_244(const std::vector<ModelInflation>& r) {
  if (r.empty() || r.front().precisions.size() < 2) return "No quantized model was run.\n";
  return answer(r, true) + answer(r, false) +
         "These are certified facts about fimcheck's models; the paper's 244x is one observation on another model.\n";
}

Json precision_json(const ModelInflation& m, const PrecisionResult& p) {
  Json j = {{"bits", p.bits == 0 ? Json("full") : Json(p.bits)}, {"lambda_base", to_json(p.lambda_base)}};
  if (p.bits != 0) {
    j["lambda_base_direction"] = base_direction(p.lambda_base, m.precisions.front().lambda_base);
    j["inflation_shared_baseline"] = to_json(p.inflation_shared);
    j["false_alarm_rate"] = to_json(p.false_alarm);
  }
  j["threshold_shared_baseline"] = to_json(p.threshold_shared);
  j["ood_elevation_rate_shared_baseline"] = to_json(p.ood_elevation_shared);
  if (p.bits != 0) j["inflation_own_baseline"] = to_json(p.inflation);
  j["threshold_own_baseline"] = to_json(p.threshold);
  j["ood_elevation_rate_own_baseline"] = to_json(p.ood_elevation);
  if (p.bits != 0)
    j["inflation_own_baseline_bootstrap_ci95"] = {{"lo", p.bootstrap.lo}, {"hi", p.bootstrap.hi},
                                                  {"resamples", p.bootstrap.resamples}, {"statistical", true}};
  return j;
}

// The shared-baseline inflation per model and bit width (certified lower ends), models named.
std::string inflation_plot(const std::vector<ModelInflation>& r) {
  std::vector<report::Series> series;
  for (std::size_t k = 0; k < r.size(); ++k) {
    report::Series s{std::to_string(k + 1) + ". " + r[k].spec, {}, {}, true};
    for (std::size_t b = 1; b < r[k].precisions.size(); ++b) {
      s.x.push_back(r[k].precisions[b].bits);
      s.y.push_back(r[k].precisions[b].inflation_shared.lo);
    }
    series.push_back(std::move(s));
  }
  return report::plot_svg("Threshold inflation, shared full-precision baseline", {"bits", false},
                          {"inflation, shared baseline (certified lower end)", true}, series,
                          {{1.0, "1x"}, {244.0, "paper: 244x"}});
}

std::string trace_plot(const ModelInflation& m) {
  std::vector<report::Series> series;
  const double base = num::midpoint(m.precisions.front().lambda_base);
  for (const PrecisionResult& p : m.precisions)
    for (bool ood : {false, true}) {
      if (ood && p.bits != 0 && p.bits != 4) continue;
      report::Series s{bits_name(p.bits) + (ood ? ", out of distribution" : ", in distribution"), {}, {}, true};
      const auto& trace = ood ? p.ood_trace : p.id_trace;
      for (std::size_t t = 0; t < trace.size(); ++t) s.x.push_back(static_cast<double>(t)), s.y.push_back(num::midpoint(trace[t]) / base);
      series.push_back(std::move(s));
    }
  return report::plot_svg(m.spec + ": sigma_t, shared baseline", {"step t", false},
                          {"sigma_t = lambda_max(F_t) / lambda_base(full)", true}, series, {{1.0, "1"}});
}

// The model whose sigma_t traces are drawn: the first language model, else the first model.
const ModelInflation& traced(const std::vector<ModelInflation>& r) {
  for (const auto& m : r)
    if (m.spec.rfind("lm", 0) == 0) return m;
  return r.front();
}

// The table of certified lower ends, shared / own, per model and bit width (the README's table).
std::string lower_end_table(const std::vector<ModelInflation>& r) {
  std::ostringstream md;
  md << "| # | model | labels | lambda_base (full) |";
  for (std::size_t b = 1; !r.empty() && b < r.front().precisions.size(); ++b) md << " " << bits_name(r.front().precisions[b].bits) << " |";
  md << "\n|---|---|---|---|";
  for (std::size_t b = 1; !r.empty() && b < r.front().precisions.size(); ++b) md << "---|";
  md << "\n";
  for (std::size_t k = 0; k < r.size(); ++k) {
    md << "| " << k + 1 << " | `" << r[k].spec << "` | " << r[k].labels.substr(0, r[k].labels.find(':')) << " | "
       << rounded(r[k].precisions.front().lambda_base, 4) << " |";
    for (std::size_t b = 1; b < r[k].precisions.size(); ++b)
      md << " " << round_down(r[k].precisions[b].inflation_shared.lo) << " / " << round_down(r[k].precisions[b].inflation.lo) << " |";
    md << "\n";
  }
  return md.str();
}

}  // namespace


Json inflation_json(const std::vector<ModelInflation>& r, const InflationOptions& o, double seconds) {
  Json models = Json::array();
  for (const auto& m : r) {
    Json ps = Json::array();
    for (const auto& p : m.precisions) ps.push_back(precision_json(m, p));
    models.push_back({{"spec", m.spec}, {"labels", m.labels}, {"lambda_base", to_json(m.precisions.front().lambda_base)},
                      {"precisions", ps}});
  }
  return {{"experiment", "inflation"},
          {"reading", "shared_baseline first: sigma_t of the quantized model over the full-precision lambda_base, as "
                      "in the paper's 244x (a threshold calibrated at full precision); own_baseline is secondary"},
          {"answer", verdict_on_244(r)}, {"quantile", o.quantile}, {"trajectories_per_model", o.trajectories},
          {"trajectories_total", o.trajectories * static_cast<int>(r.size())},
          {"ood_trajectories_per_precision", o.ood_trajectories}, {"steps", o.steps}, {"window", o.window},
          {"reference", o.reference},
          {"quantizer", "RTN symmetric, per group of " + std::to_string(o.group_size) + " along rows; biases kept"},
          {"seed", o.seed}, {"models", models}, {"seconds", seconds}};
}

namespace {

// A statistical figure (bootstrap on midpoints): 3 significant digits, no direction implied.
std::string statistical(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

}  // namespace

std::string inflation_summary(const std::vector<ModelInflation>& r, const InflationOptions& o, double seconds) {
  std::ostringstream s;
  s << r.size() << " models x " << o.trajectories << " trajectories = " << r.size() * o.trajectories
    << " trajectories, " << o.steps << " steps each, quantile " << o.quantile << " (" << statistical(seconds) << " s)\n"
    << "inflation of the threshold, certified, shared baseline (the paper's reading) / own baseline:\n";
  for (std::size_t k = 0; k < r.size(); ++k) {
    const ModelInflation& m = r[k];
    s << "  " << k + 1 << ". " << m.spec << "  lambda_base " << rounded(m.precisions.front().lambda_base)
      << ", out-of-distribution steps with sigma_t > 1: " << rounded(m.precisions.front().ood_elevation) << "\n    ";
    for (std::size_t b = 1; b < m.precisions.size(); ++b) {
      const PrecisionResult& p = m.precisions[b];
      s << bits_name(p.bits) << ": " << rounded(p.inflation_shared) << "x / " << rounded(p.inflation) << "x (lambda_base "
        << base_direction(p.lambda_base, m.precisions.front().lambda_base) << ")  ";
    }
    s << "\n";
  }
  return s.str() + verdict_on_244(r);
}

void write_inflation_report(const std::string& dir, const std::vector<ModelInflation>& r, const InflationOptions& o,
                            const Json& j) {
  std::filesystem::create_directories(dir);
  io::write_atomically(dir + "/inflation.svg", inflation_plot(r));
  if (!r.empty()) io::write_atomically(dir + "/traces.svg", trace_plot(traced(r)));
  std::ostringstream md;
  md << "# fimcheck experiment inflation\n\n" << j["trajectories_total"].get<int>() << " in-distribution trajectories ("
     << r.size() << " models x " << o.trajectories << "), " << o.steps << " steps each, window " << o.window
     << ", calibration quantile " << o.quantile << ", " << j["quantizer"].get<std::string>()
     << ". Every sigma_t is a certified enclosure; thresholds, inflations and rates are certified intervals "
        "(proofs/inflation.md, Lemmas 1-3), printed rounded outward. Only the bootstrap interval is statistical.\n\n"
     << "**Against the paper's 244x** (the shared baseline is the paper's reading):\n\n" << bullets(verdict_on_244(r)) << "\n"
     << "![inflation per model and bit width, shared baseline](inflation.svg)\n\n"
     << "Certified lower ends of the inflation, shared / own baseline:\n\n" << lower_end_table(r) << "\n"
     << "| # | bits | inflation, shared baseline | false alarms at the full-precision threshold | lambda_base "
        "(quantized) | direction | out-of-distribution sigma_t > 1, shared / own | inflation, own baseline | "
        "bootstrap 95%, own (statistical) |\n|---|---|---|---|---|---|---|---|---|\n";
  for (std::size_t k = 0; k < r.size(); ++k)
    for (const PrecisionResult& p : r[k].precisions) {
      const bool q = p.bits != 0;
      md << "| " << k + 1 << " | " << bits_name(p.bits) << " | " << (q ? rounded(p.inflation_shared) : "1") << " | "
         << (q ? rounded(p.false_alarm) : "-") << " | " << rounded(p.lambda_base) << " | "
         << (q ? base_direction(p.lambda_base, r[k].precisions.front().lambda_base) : "-") << " | "
         << rounded(p.ood_elevation_shared) << " / " << rounded(p.ood_elevation) << " | " << (q ? rounded(p.inflation) : "1")
         << " | " << (q ? "[" + statistical(p.bootstrap.lo) + ", " + statistical(p.bootstrap.hi) + "]" : "-") << " |\n";
    }
  md << "\nLabels per model: ";
  for (std::size_t k = 0; k < r.size(); ++k) md << (k ? "; " : "") << k + 1 << ". " << r[k].labels;
  md << ".\n\n## sigma_t along trajectories (`" << traced(r).spec << "`)\n\n![sigma_t traces](traces.svg)\n\n"
     << "Full precision and quantized, one in-distribution trajectory each, and an out-of-distribution one "
        "(language models: text from the perturbed grammar; networks: inputs moved by 3 w, w a random unit "
        "vector), all against the full-precision lambda_base.\n";
  io::write_atomically(dir + "/report.json", j.dump(2) + "\n");
  io::write_atomically(dir + "/report.md", md.str());
}

}  // namespace fim::report
