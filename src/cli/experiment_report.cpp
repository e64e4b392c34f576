// The inflation experiment's model lists and its report (JSON, Markdown, SVG).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "cli/experiment.hpp"
#include "report/atomic_file.hpp"
#include "report/enclosure_json.hpp"
#include "report/svg.hpp"

namespace fim::cli {
namespace {

using num::Ival;
using report::to_json;
using report::to_text;

double mid(const Ival& x) { return std::isfinite(x.hi) ? num::midpoint(x) : x.lo; }

std::string short_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

// "[lo, hi]" with 3 significant digits, rounded outward by one digit's worth (for tables; the JSON
// has the full outward-rounded decimals).
std::string brief(const Ival& x) {
  if (!std::isfinite(x.hi)) return "[" + short_text(x.lo) + ", inf]";
  return "[" + short_text(x.lo * (1 - 1e-3)) + ", " + short_text(x.hi * (1 + 1e-3)) + "]";
}

std::string bits_name(int bits) { return bits == 0 ? "full" : std::to_string(bits) + "-bit"; }

// The model and bit width with the largest certified lower bound on the inflation of one reading.
std::pair<const ModelInflation*, const PrecisionResult*> largest(const std::vector<ModelInflation>& r, bool shared) {
  std::pair<const ModelInflation*, const PrecisionResult*> best{nullptr, nullptr};
  const auto of = [shared](const PrecisionResult& p) { return shared ? p.inflation_shared : p.inflation; };
  for (const auto& m : r)
    for (std::size_t k = 1; k < m.precisions.size(); ++k)
      if (!best.second || of(m.precisions[k]).lo > of(*best.second).lo) best = {&m, &m.precisions[k]};
  return best;
}

// One reading's plain answer: its largest certified inflation, what drove it, and how it compares
// with the paper's 244x (proofs/inflation.md, section 5).
std::string answer(const std::vector<ModelInflation>& r, bool shared) {
  const auto [m, p] = largest(r, shared);
  const Ival x = shared ? p->inflation_shared : p->inflation;
  const double base_ratio = mid(p->lambda_base) / mid(m->precisions.front().lambda_base);
  std::ostringstream s;
  s << (shared ? "Shared baseline (quantized model monitored with the full-precision lambda_base): "
               : "Own baseline (each model calibrated on its own reference): ")
    << "largest certified inflation " << brief(x) << "x (" << m->spec << ", " << bits_name(p->bits)
    << "); lambda_base changed by a factor " << short_text(base_ratio) << " under that quantization";
  if (shared) s << ", and the full-precision threshold flags " << brief(p->false_alarm) << " of in-distribution steps";
  s << ". ";
  if (x.lo >= 244) s << "This reaches the paper's 244x.";
  else if (x.hi >= 50) s << "This is of the order of the paper's 244x, below it.";
  else s << "Nothing of the paper's magnitude (244x).";
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
  return answer(r, false) + answer(r, true);
}

nlohmann::json precision_json(const PrecisionResult& p) {
  nlohmann::json j = {{"bits", p.bits == 0 ? nlohmann::json("full") : nlohmann::json(p.bits)},
                      {"lambda_base", to_json(p.lambda_base)},
                      {"threshold", to_json(p.threshold)},
                      {"threshold_shared_baseline", to_json(p.threshold_shared)}};
  if (p.bits != 0) {
    j["inflation"] = to_json(p.inflation);
    j["inflation_shared_baseline"] = to_json(p.inflation_shared);
    j["false_alarm_rate"] = to_json(p.false_alarm);
    j["inflation_bootstrap_ci95"] = {{"lo", p.bootstrap.lo}, {"hi", p.bootstrap.hi}, {"resamples", p.bootstrap.resamples},
                                     {"statistical", true}};
  }
  return j;
}

std::string inflation_plot(const std::vector<ModelInflation>& r) {
  std::vector<report::Series> series;
  for (std::size_t k = 0; k < r.size(); ++k) {
    report::Series s{"model " + std::to_string(k + 1), {}, {}, true};
    for (std::size_t b = 1; b < r[k].precisions.size(); ++b) {
      s.x.push_back(r[k].precisions[b].bits);
      s.y.push_back(mid(r[k].precisions[b].inflation));
    }
    series.push_back(std::move(s));
  }
  return report::plot_svg("threshold inflation under RTN quantization", {"bits", false},
                          {"inflation (threshold quantized / full)", true}, series, {{1.0, "1x"}, {244.0, "paper: 244x"}});
}

std::string trace_plot(const ModelInflation& m) {
  std::vector<report::Series> series;
  const double base = mid(m.precisions.front().lambda_base);
  for (const PrecisionResult& p : m.precisions)
    for (bool ood : {false, true}) {
      if (ood && p.bits != 0 && p.bits != 4) continue;
      report::Series s{bits_name(p.bits) + (ood ? ", out of distribution" : ", in distribution"), {}, {}, true};
      const auto& trace = ood ? p.ood_trace : p.id_trace;
      for (std::size_t t = 0; t < trace.size(); ++t) s.x.push_back(static_cast<double>(t)), s.y.push_back(mid(trace[t]) / base);
      series.push_back(std::move(s));
    }
  return report::plot_svg(m.spec + ": sigma_t (shared full-precision baseline)", {"step t", false},
                          {"sigma_t = lambda_max(F_t) / lambda_base(full)", true}, series, {{1.0, "1"}});
}

// The model whose sigma_t traces are drawn: the first language model, else the first model.
const ModelInflation& traced(const std::vector<ModelInflation>& r) {
  for (const auto& m : r)
    if (m.spec.rfind("lm", 0) == 0) return m;
  return r.front();
}

}  // namespace

std::vector<std::string> default_models() {
  return {"linear:d_in=8,n=256,seed=1",
          "linear:d_in=32,n=512,seed=2",
          "logistic:d_in=8,n=256,seed=3",
          "logistic:d_in=32,n=512,seed=4",
          "softmax:d_in=8,classes=4,n=256,seed=5",
          "softmax:d_in=16,classes=8,n=512,seed=6",
          "mlp:hidden=16,act=tanh,d_in=8,classes=4,n=256,seed=7",
          "mlp:hidden=32x32,act=gelu,d_in=8,classes=4,n=512,seed=8",
          "mlp:hidden=16x16x16,act=relu,d_in=8,classes=4,n=512,seed=9",
          "lm:arch=mlp,seed=1",
          "lm:arch=mlp,act=gelu,embed=8,hidden=64,seed=2",
          "lm:arch=attention,seed=3"};
}

std::vector<std::string> quick_models() {
  return {"logistic:d_in=8,n=256,seed=3", "softmax:d_in=8,classes=4,n=256,seed=5",
          "mlp:hidden=16,act=tanh,d_in=8,classes=4,n=256,seed=7"};
}

InflationOptions quick_options(InflationOptions o) {
  o.trajectories = 8;
  o.steps = 8;
  o.window = 16;
  o.bootstrap = 200;
  return o;
}

nlohmann::json inflation_json(const std::vector<ModelInflation>& r, const InflationOptions& o, double seconds) {
  nlohmann::json models = nlohmann::json::array();
  for (const auto& m : r) {
    nlohmann::json ps = nlohmann::json::array();
    for (const auto& p : m.precisions) ps.push_back(precision_json(p));
    models.push_back({{"spec", m.spec}, {"lambda_base", to_json(m.precisions.front().lambda_base)}, {"precisions", ps}});
  }
  return {{"experiment", "inflation"}, {"quantile", o.quantile}, {"trajectories_per_model", o.trajectories},
          {"trajectories_total", o.trajectories * static_cast<int>(r.size())}, {"steps", o.steps},
          {"window", o.window}, {"reference", o.reference},
          {"quantizer", "RTN symmetric, per group of " + std::to_string(o.group_size) + " along rows; biases kept"},
          {"labels", "expected (model's own predictive distribution)"}, {"seed", o.seed}, {"models", models},
          {"answer", verdict_on_244(r)}, {"seconds", seconds}};
}

std::string inflation_summary(const std::vector<ModelInflation>& r, const InflationOptions& o, double seconds) {
  std::ostringstream s;
  s << r.size() << " models x " << o.trajectories << " trajectories = " << r.size() * o.trajectories
    << " trajectories, " << o.steps << " steps each, quantile " << o.quantile << " (" << short_text(seconds) << " s)\n";
  for (std::size_t k = 0; k < r.size(); ++k) {
    s << "  " << k + 1 << ". " << r[k].spec << "  lambda_base " << brief(r[k].precisions.front().lambda_base) << "\n    ";
    for (std::size_t b = 1; b < r[k].precisions.size(); ++b)
      s << bits_name(r[k].precisions[b].bits) << ": " << brief(r[k].precisions[b].inflation) << "x  ";
    s << "\n";
  }
  return s.str() + verdict_on_244(r);
}

void write_inflation_report(const std::string& dir, const std::vector<ModelInflation>& r, const InflationOptions& o,
                            const nlohmann::json& j) {
  std::filesystem::create_directories(dir);
  report::write_atomically(dir + "/inflation.svg", inflation_plot(r));
  if (!r.empty()) report::write_atomically(dir + "/traces.svg", trace_plot(traced(r)));
  std::ostringstream md;
  md << "# fimcheck experiment inflation\n\n" << j["trajectories_total"] << " in-distribution trajectories ("
     << r.size() << " models x " << o.trajectories << "), " << o.steps << " steps each, window " << o.window
     << ", calibration quantile " << o.quantile << ", " << j["quantizer"].get<std::string>()
     << ". Every sigma_t is a certified enclosure; thresholds and inflations are certified intervals "
        "(proofs/inflation.md, Lemmas 1-3). Only the bootstrap interval is statistical.\n\n"
     << "**Against the paper's 244x:**\n\n" << bullets(verdict_on_244(r)) << "\n"
     << "![inflation per model and bit width](inflation.svg)\n\n"
     << "| # | model | lambda_base (full) | bits | lambda_base (quantized) | inflation (own baseline) | "
        "inflation (shared baseline) | bootstrap 95% (statistical) | false alarms at full-precision threshold |\n"
     << "|---|---|---|---|---|---|---|---|---|\n";
  for (std::size_t k = 0; k < r.size(); ++k)
    for (std::size_t b = 1; b < r[k].precisions.size(); ++b) {
      const PrecisionResult& p = r[k].precisions[b];
      md << "| " << k + 1 << " | `" << r[k].spec << "` | " << brief(r[k].precisions.front().lambda_base) << " | " << p.bits
         << " | " << brief(p.lambda_base) << " | " << brief(p.inflation) << " | " << brief(p.inflation_shared) << " | ["
         << short_text(p.bootstrap.lo) << ", " << short_text(p.bootstrap.hi) << "] | " << brief(p.false_alarm) << " |\n";
    }
  md << "\n## sigma_t along trajectories (`" << traced(r).spec << "`)\n\n![sigma_t traces](traces.svg)\n\n"
     << "Full precision and quantized, one in-distribution trajectory each, and an out-of-distribution one "
        "(language models: text from the perturbed grammar; networks: inputs moved by 3 w, w a random unit "
        "vector), all against the full-precision lambda_base.\n";
  report::write_atomically(dir + "/report.json", j.dump(2) + "\n");
  report::write_atomically(dir + "/report.md", md.str());
}

}  // namespace fim::cli
