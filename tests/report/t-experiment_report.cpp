// report/experiment_report.hpp on a tiny hand-made result (two models, full precision and two bit
// widths, no experiment run): report.json has the fields and counts the report promises, each JSON
// enclosure encloses its interval exactly; every interval printed in the terminal summary and in
// report.md encloses one of the result's enclosures (rounded outward, checked in rationals), every
// printed lower end of an inflation is at most its certified lower end; the SVGs are well-formed.
// The false variant, printing ends rounded to nearest, is caught.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <unistd.h>

#include "report/experiment_report.hpp"
#include "support/printed_checks.hpp"
#include "support/xml_check.hpp"

using fim::monitor::InflationOptions;
using fim::monitor::ModelInflation;
using fim::monitor::PrecisionResult;
using fim::num::Ival;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// One precision with inexact, distinctive ends (126.7 must never print as 127 on a lower end).
PrecisionResult precision(int bits, double base, double inflation) {
  PrecisionResult p;
  p.bits = bits;
  p.lambda_base = {base * 0.999, base * 1.0013};
  p.threshold = {base * 1.7, base * 1.73};
  p.threshold_shared = {base * 1.61, base * 1.67};
  p.inflation = {inflation * 0.81, inflation * 0.83};
  p.inflation_shared = {inflation - 0.3, inflation + 0.7};
  p.false_alarm = {0.0123, 0.0177};
  p.ood_elevation = {0.4567, 0.5123};
  p.ood_elevation_shared = {0.3311, 0.3999};
  p.bootstrap = {1.5, 2.5, 1000};
  for (int t = 0; t < 5; ++t) {
    p.id_trace.push_back({base * (1 + 0.01 * t), base * (1 + 0.011 * t)});
    p.ood_trace.push_back({base * (1 + 0.1 * t), base * (1 + 0.11 * t)});
  }
  return p;
}

std::vector<ModelInflation> result() {
  return {{"mlp-2x16", "sampled: y ~ p(y|x)", {precision(0, 3.3337, 1), precision(4, 4.1234, 127.0), precision(8, 3.339, 1.0171)}},
          {"lm-grammar", "sampled: next token", {precision(0, 0.77771, 1), precision(4, 0.8117, 250.3), precision(8, 0.7791, 1.2345)}}};
}

// Every enclosure of the result, and the ratios the report derives from them.
std::vector<Ival> enclosures(const std::vector<ModelInflation>& r) {
  std::vector<Ival> all;
  for (const auto& m : r)
    for (const auto& p : m.precisions) {
      for (const Ival& x : {p.lambda_base, p.threshold, p.threshold_shared, p.inflation, p.inflation_shared,
                            p.false_alarm, p.ood_elevation, p.ood_elevation_shared})
        all.push_back(x);
      all.push_back(p.lambda_base / m.precisions.front().lambda_base);
      all.push_back({p.bootstrap.lo, p.bootstrap.hi});  // statistical, printed with exact values here
    }
  return all;
}

InflationOptions options() {
  InflationOptions o;
  o.trajectories = 7;
  o.steps = 5;
  o.bits = {4, 8};
  return o;
}

}  // namespace

TEST_CASE("report.json: the fields, counts and exact enclosures") {
  const auto r = result();
  const auto j = fim::report::inflation_json(r, options(), 1.25);
  for (const char* key : {"experiment", "reading", "answer", "quantile", "trajectories_per_model", "trajectories_total",
                          "ood_trajectories_per_precision", "steps", "window", "reference", "quantizer", "seed", "models", "seconds"})
    CHECK(j.contains(key));
  CHECK(j["experiment"] == "inflation");
  CHECK(j["trajectories_total"] == 14);
  REQUIRE(j["models"].size() == 2);
  for (std::size_t k = 0; k < r.size(); ++k) {
    const auto& jm = j["models"][k];
    CHECK(jm["spec"] == r[k].spec);
    REQUIRE(jm["precisions"].size() == 3);
    CHECK(fim::test::json_encloses(jm["lambda_base"], r[k].precisions[0].lambda_base));
    CHECK(jm["precisions"][0]["bits"] == "full");
    for (std::size_t b = 0; b < 3; ++b) {
      const auto& jp = jm["precisions"][b];
      const auto& p = r[k].precisions[b];
      CHECK(fim::test::json_encloses(jp["lambda_base"], p.lambda_base));
      CHECK(fim::test::json_encloses(jp["threshold_own_baseline"], p.threshold));
      CHECK(fim::test::json_encloses(jp["threshold_shared_baseline"], p.threshold_shared));
      CHECK(fim::test::json_encloses(jp["ood_elevation_rate_own_baseline"], p.ood_elevation));
      CHECK(fim::test::json_encloses(jp["ood_elevation_rate_shared_baseline"], p.ood_elevation_shared));
      if (b == 0) {
        CHECK_FALSE(jp.contains("inflation_shared_baseline"));
        continue;
      }
      CHECK(jp["bits"] == p.bits);
      CHECK(fim::test::json_encloses(jp["inflation_shared_baseline"], p.inflation_shared));
      CHECK(fim::test::json_encloses(jp["inflation_own_baseline"], p.inflation));
      CHECK(fim::test::json_encloses(jp["false_alarm_rate"], p.false_alarm));
      CHECK(jp["lambda_base_direction"] == fim::monitor::base_direction(p.lambda_base, r[k].precisions[0].lambda_base));
      CHECK(jp["inflation_own_baseline_bootstrap_ci95"]["statistical"] == true);
    }
  }
  // the answer: the largest shared inflation, lm-grammar at 4 bits, [250, 251], is "at least 244x"
  CHECK(j["answer"].get<std::string>().find("At least the paper's 244x") != std::string::npos);
}

TEST_CASE("terminal summary and report.md: every printed interval rounded outward around an enclosure") {
  const auto r = result();
  const auto all = enclosures(r);
  const std::string summary = fim::report::inflation_summary(r, options(), 1.25);
  int printed = 0;
  CHECK(fim::test::unenclosing(summary, all, printed).empty());
  CHECK(printed == 2 * (2 + 2 * 2) + 3 + 2);  // per model 2 + 2 per bit width; the answers 3 and 2
  CHECK(summary.find("4-bit: [126, 128]x") != std::string::npos);  // 126.7 as a lower end prints 126
  CHECK(summary.find("2 models x 7 trajectories = 14 trajectories") != std::string::npos);
  // "at least Nx": a printed lower end of a certified inflation, never above it
  // (shared: lm-grammar at 4 bits, lo = 250.3 - 0.3; own: the same, lo = 250.3 * 0.81)
  const std::regex at_least(R"(at least ([0-9.e+-]+)x)");
  const double certified[] = {250.3 - 0.3, 250.3 * 0.81};
  int lower_ends = 0;
  for (auto it = std::sregex_iterator(summary.begin(), summary.end(), at_least); it != std::sregex_iterator(); ++it) {
    REQUIRE(lower_ends < 2);
    const double lo = certified[lower_ends++];
    CHECK(fim::test::printed_below((*it)[1].str(), lo));
    CHECK(fim::test::exact_decimal((*it)[1].str()) > fim::test::Q(lo * 0.99));  // and a useful figure
  }
  CHECK(lower_ends == 2);

  const auto dir = std::filesystem::temp_directory_path() / ("fim-t-experiment-" + std::to_string(::getpid()));
  fim::report::write_inflation_report(dir.string(), r, options(), fim::report::inflation_json(r, options(), 1.25));
  const std::string md = read((dir / "report.md").string());
  CHECK(fim::test::unenclosing(md, all, printed).empty());
  CHECK(printed >= 2 * 3 * 4);
  // the table of lower ends: "| a / b |" with a <= inflation_shared.lo and b <= inflation.lo
  const std::regex pair_re(R"(\| ([0-9.e+-]+) / ([0-9.e+-]+) (?=\|))");
  int pairs = 0;
  for (auto it = std::sregex_iterator(md.begin(), md.end(), pair_re); it != std::sregex_iterator(); ++it, ++pairs) {
    const auto& p = r[pairs / 2].precisions[1 + pairs % 2];
    CHECK(fim::test::printed_below((*it)[1].str(), p.inflation_shared.lo));
    CHECK(fim::test::printed_below((*it)[2].str(), p.inflation.lo));
  }
  CHECK(pairs == 4);
  CHECK(std::filesystem::exists(dir / "report.json"));
  for (const char* svg : {"inflation.svg", "traces.svg"}) {
    const auto s = fim::test::scan_xml(read((dir / svg).string()));
    INFO(s.error);
    CHECK(s.well_formed);
    const std::string label = std::string(svg) == "inflation.svg" ? "paper: 244x" : "lm-grammar: sigma_t, shared baseline";
    CHECK(s.text.find(label) != std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("the false variant, ends printed to nearest, is caught") {
  const Ival x{126.7, 126.9};
  char lo[32], hi[32];
  std::snprintf(lo, sizeof lo, "%.3g", x.lo);
  std::snprintf(hi, sizeof hi, "%.3g", x.hi);
  const std::string forged = std::string("inflation [") + lo + ", " + hi + "]x";
  int printed = 0;
  CHECK(fim::test::unenclosing(forged, {x}, printed).size() == 1);  // "[127, 127]" misses 126.7
  CHECK(printed == 1);
  CHECK(fim::test::unenclosing("inflation [126, 127]x", {x}, printed).empty());
}
