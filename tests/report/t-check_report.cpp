// report/check_report.hpp on a small run of weyl's false variant half-top: report.json has the
// fields SPEC S8 names (claim, variant, hypotheses' status, counts per verdict, tightness, and per
// counterexample the exact entries, enclosures, seed, reproducing command and shrunk size) with
// counts equal to the run's; the hex entries read back to the shrunk case bit for bit; the files
// are written and each certificate is confirmed by the independent verifier, while a forged one
// (the claim as stated, or an entry changed) is not.
#include <doctest/doctest.h>

#include <algorithm>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "report/check_report.hpp"
#include "support/case_checks.hpp"
#include "verify/verify.hpp"

using fim::claims::Verdict;

namespace {

const fim::claims::Claim& weyl() { return *fim::claims::find_claim("weyl"); }

fim::search::RunOptions options() {
  fim::search::RunOptions o;
  o.variant = "half-top";
  o.cases = 30;
  o.seed = 5;
  o.dim_lo = 2;
  o.dim_hi = 5;
  o.max_counterexamples = 2;
  return o;
}

Eigen::MatrixXd from_hex(const nlohmann::json& rows) {
  const auto n = static_cast<Eigen::Index>(rows.size());
  Eigen::MatrixXd m(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j) m(i, j) = std::strtod(rows[i][j].get<std::string>().c_str(), nullptr);
  return m;
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("report.json: S8's fields, the run's counts, exact counterexamples") {
  const auto o = options();
  const auto r = fim::search::run_cases(weyl(), o);
  REQUIRE(r.count(Verdict::Violated) > 0);
  const auto j = fim::report::check_report(weyl(), *fim::claims::find_variant(weyl(), "half-top"), o, r);
  for (const char* key : {"claim", "variant", "statement", "proved", "seed", "cases", "dim", "family", "counts",
                          "hypothesis_failures", "tightness", "counterexamples", "undecided", "cases_by_precision"})
    CHECK(j.contains(key));
  CHECK(j["claim"] == "weyl");
  CHECK(j["variant"] == "half-top");
  CHECK(j["proved"] == false);
  CHECK(j["seed"] == 5);
  CHECK(j["cases"] == 30);
  int sum = 0, by_precision = 0;
  for (const auto& [verdict, n] : j["counts"].items()) sum += n.get<int>();
  for (const auto& [bits, n] : j["cases_by_precision"].items()) by_precision += n.get<int>();
  CHECK(sum == 30);
  CHECK(by_precision == 30);
  // one label per rung of the ladder (1024 and 4096 apart), and the exact fallback
  std::vector<std::string> labels;
  for (const auto& [label, n] : j["cases_by_precision"].items()) labels.push_back(label);
  std::sort(labels.begin(), labels.end());
  CHECK(labels == std::vector<std::string>{"1024", "113", "256", "4096", "53", "exact"});
  CHECK(j["counts"]["VIOLATED"] == r.count(Verdict::Violated));
  CHECK(j["counts"]["HOLDS"] == r.count(Verdict::Holds));
  CHECK(j["counts"]["UNDECIDED"] == r.count(Verdict::Undecided));
  CHECK(j["counts"]["HYPOTHESIS_FAILS"] == 0);
  REQUIRE(j["counterexamples"].size() == r.counterexamples.size());
  CHECK(j["counterexamples"].size() == 2);
  for (std::size_t i = 0; i < r.counterexamples.size(); ++i) {
    const auto& jc = j["counterexamples"][i];
    const auto& cx = r.counterexamples[i];
    CHECK(jc["case"] == cx.case_index);
    CHECK(jc["dimension_generated"] == cx.original.a.rows());
    CHECK(jc["dimension_shrunk"] == cx.shrunk.a.rows());
    CHECK(jc["shrink_steps"] == cx.shrink_steps);
    CHECK(fim::test::identical(from_hex(jc["A"]), cx.shrunk.a));  // exact entries, bit for bit
    CHECK(fim::test::identical(from_hex(jc["E"]), cx.shrunk.e));
    CHECK(jc["enclosures"].is_object());
    CHECK_FALSE(jc["enclosures"].empty());
    CHECK(jc["certificate"] == "cert-" + std::to_string(cx.case_index) + ".json");
    const std::string cmd = jc["reproduce"];
    CHECK(cmd == fim::report::reproduce_command(weyl(), o, cx.case_index));
    for (const std::string& part : std::vector<std::string>{"check weyl", "--variant half-top", "--seed 5", "--dim 2..5",
                                   "--case " + std::to_string(cx.case_index)})
      CHECK(cmd.find(part) != std::string::npos);
  }
  const std::string summary = fim::report::check_summary(j);
  CHECK(summary.find("VIOLATED " + std::to_string(r.count(Verdict::Violated))) != std::string::npos);
  const std::string md = fim::report::check_markdown(j);
  CHECK(md.find("| VIOLATED | " + std::to_string(r.count(Verdict::Violated)) + " |") != std::string::npos);
  CHECK(md.find("(a deliberately false variant)") != std::string::npos);
}

TEST_CASE("written report: files exist, every certificate confirmed; forged certificates are not") {
  const auto o = options();
  const auto r = fim::search::run_cases(weyl(), o);
  const auto j = fim::report::check_report(weyl(), *fim::claims::find_variant(weyl(), "half-top"), o, r);
  const auto dir = std::filesystem::temp_directory_path() / ("fim-t-check-report-" + std::to_string(::getpid()));
  fim::report::write_check_report(dir.string(), weyl(), j, r);
  CHECK(std::filesystem::exists(dir / "report.json"));
  CHECK(std::filesystem::exists(dir / "report.md"));
  const auto written = nlohmann::json::parse(read(dir / "report.json"));
  CHECK(written["counts"] == j["counts"]);
  REQUIRE_FALSE(r.counterexamples.empty());
  for (const auto& cx : r.counterexamples) {
    const auto path = dir / ("cert-" + std::to_string(cx.case_index) + ".json");
    REQUIRE(std::filesystem::exists(path));
    const auto check = fim::verify::verify_file(path.string());
    INFO(check.reason);
    CHECK(check.status == fim::verify::Status::Confirmed);
    auto forged = nlohmann::json::parse(read(path));
    forged["variant"] = "stated";  // the same bounds do not refute the claim as stated
    CHECK(fim::verify::verify_text(forged.dump()).status != fim::verify::Status::Confirmed);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("the claim as stated: no counterexample in the report, counts still sum") {
  auto o = options();
  o.variant = "stated";
  const auto r = fim::search::run_cases(weyl(), o);
  const auto j = fim::report::check_report(weyl(), *fim::claims::find_variant(weyl(), "stated"), o, r);
  CHECK(j["proved"] == true);
  CHECK(j["counts"]["VIOLATED"] == 0);
  CHECK(j["counterexamples"].empty());
  CHECK(j["counts"]["HOLDS"].get<int>() + j["counts"]["UNDECIDED"].get<int>() == 30);
  CHECK(fim::report::check_markdown(j).find("(the claim as stated)") != std::string::npos);
}
