// fimcheck demo [--out DIR]: a guided tour that prints each step and writes DIR/report.md, with
// the sub-reports and plots of each section; every section names the one command reproducing it.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <random>
#include <sstream>

#include "expr/bound_expr.hpp"
#include "audit/monotonicity.hpp"
#include "report/audit_report.hpp"
#include "claims/claim.hpp"
#include "policy/partition.hpp"
#include "claims/registry.hpp"
#include "cli/commands.hpp"
#include "monitor/experiment.hpp"
#include "report/experiment_report.hpp"
#include "fim/enclose_fim.hpp"
#include "fim/spec.hpp"
#include "io/npy_write.hpp"
#include "linalg/enclose_spectrum.hpp"
#include "linalg/enclose_top.hpp"
#include "linalg/gram.hpp"
#include "io/atomic_file.hpp"
#include "report/check_report.hpp"
#include "numeric/enclosure_json.hpp"
#include "verify/verify.hpp"
#include "search/run.hpp"

namespace fim::cli {
using Eigen::Index;
using Eigen::MatrixXd;
using num::to_text;
using monitor::InflationOptions;
using monitor::ModelInflation;
using monitor::quick_models;
using monitor::quick_options;
using monitor::run_model;
using report::inflation_json;
using report::inflation_summary;
using report::write_inflation_report;

namespace {

// The tour's output: each line goes to the terminal and to report.md; sections carry their
// reproducing command; report.md is written once, atomically, at the end.
class Tour {
 public:
  explicit Tour(std::string dir) : dir_(std::move(dir)) { std::filesystem::create_directories(dir_); }
  const std::string& dir() const { return dir_; }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }

  void section(const std::string& title, const std::string& command) {
    ++number_;
    std::cout << "\n" << number_ << ". " << title << "\n   $ " << command << "\n";
    md_ << "\n## " << number_ << ". " << title << "\n\n```\n" << command << "\n```\n\n";
  }
  void say(const std::string& text) {
    std::cout << "   " << text << "\n";
    md_ << text << "\n";
  }
  void block(const std::string& text) {  // preformatted output
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) std::cout << "   " << l << "\n";
    md_ << "\n```\n" << text << (text.empty() || text.back() != '\n' ? "\n" : "") << "```\n\n";
  }
  void image(const std::string& file, const std::string& alt) { md_ << "\n![" << alt << "](" << file << ")\n\n"; }

  void finish(double seconds) {
    std::ostringstream head;
    head << "# fimcheck demo\n\nEvery number is a certified enclosure (decimals rounded outward) unless "
            "it is labelled statistical. Each section gives the command that reproduces it.\n";
    md_ << "\n---\nThe tour took " << seconds << " s.\n";
    io::write_atomically(path("report.md"), head.str() + md_.str());
    std::cout << "\nReport: " << path("report.md") << "  (" << seconds << " s)\n";
  }

 private:
  std::string dir_;
  int number_ = 0;
  std::ostringstream md_;
};

// A seeded score matrix: n samples of a d-dimensional score with one dominant direction.
MatrixXd demo_scores(Index n, Index d, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  MatrixXd g(n, d);
  for (Index j = 0; j < d; ++j)
    for (Index i = 0; i < n; ++i) g(i, j) = normal(rng) * (j == 0 ? 4.0 : 1.0);
  return g;
}

std::string top_text(const linalg::Top& t, double divisor) {
  const num::Ival div(divisor);
  std::ostringstream s;
  s << "lambda_max in " << to_text(t.lambda1 / div) << "  (relative width " << linalg::relative_width_up(t.lambda1)
    << ", " << t.bits << " bits)";
  if (t.gap)
    s << "\ngap in " << to_text(*t.gap / div)
      << (t.gap->lo > 0 ? "  -> top eigenvalue certified simple" : "  -> top eigenvalue NOT certified simple");
  return s.str();
}

void trained_model(Tour& t) {
  const std::string spec = "mlp:hidden=16,act=tanh,d_in=8,classes=4,n=256,seed=7";
  t.section("Certified lambda_max of a trained model's FIM (expected labels, exact scores)",
            "fimcheck scores --model " + spec + " --fisher expected --out G.npy");
  const model::Model m = model::build_model(model::parse_spec(spec));
  const linalg::Top top = model::enclose_model_top(m, model::label_plan(m, model::FisherMode::expected), {});
  t.say("`" + m.spec.text() + "`: " + std::to_string(m.arch.num_params()) + " parameters, trained by Adam from the seed "
        "(the same SPEC gives the same weights, bit for bit). Scores in interval arithmetic at those weights:");
  t.block(top_text(top, 1.0));
}

void monotonicity(Tour& t) {
  const std::string spec = "logistic:d_in=8,n=256,seed=1";
  audit::AuditOptions o;
  o.paths = 3;
  o.t_max = 20;
  t.section("Proposition 3.2's hypothesis audited: does lambda_max grow as inputs leave the reference?",
            "fimcheck audit monotonicity --model '" + spec + "' --paths 3 --grid 16 --t-max 20 --report " + t.path("monotonicity"));
  const model::Model m = model::build_model(model::parse_spec(spec));
  const audit::Audit a = audit::audit_monotonicity(m, o);
  std::filesystem::create_directories(t.path("monotonicity"));
  io::write_atomically(t.path("monotonicity/monotonicity.svg"), report::audit_svg(a));
  t.block("lambda_base in " + to_text(a.lambda_base) + "\n" + report::audit_text(a, o));
  t.say("HYPOTHESIS_FAILS is the audit's finding about Proposition 3.2's hypothesis on this model, certified: "
        "lambda_max falls as the inputs move away (the logistic probabilities saturate), and where the right "
        "derivative at t = 0 is certified negative, already just after t = 0. It is not a counterexample to the proposition, which assumes "
        "the hypothesis.");
  t.image("monotonicity/monotonicity.svg", "lambda_max along the departure paths");
}

void inflation(Tour& t) {
  t.section("The sigma_t calibration threshold under quantization (quick run)",
            "fimcheck experiment inflation --quick --report " + t.path("inflation"));
  const auto t0 = std::chrono::steady_clock::now();
  InflationOptions o = quick_options({});
  std::vector<ModelInflation> r;
  for (const std::string& spec : quick_models()) r.push_back(run_model(spec, o));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const nlohmann::ordered_json j = inflation_json(r, o, seconds);
  write_inflation_report(t.path("inflation"), r, o, j);
  t.block(inflation_summary(r, o, seconds));
  t.image("inflation/inflation.svg", "inflation per model and bit width");
  t.say("The full run (`fimcheck experiment inflation`, 12 models x 90 trajectories) is in the README.");
}

void fim_of_scores(Tour& t) {
  const Index n = 64, d = 400;
  const MatrixXd g = demo_scores(n, d, 7);
  const MatrixXd row_major = g.transpose();  // write_npy takes row-major values
  io::write_npy(t.path("scores.npy"), {static_cast<std::uint64_t>(n), static_cast<std::uint64_t>(d)},
                {row_major.data(), static_cast<std::size_t>(row_major.size())});
  t.section("Certified lambda_max of an empirical FIM F = G^T G / n (n = 64 scores, d = 400)",
            "fimcheck lambda " + t.path("scores.npy") + " --gram");
  const linalg::SymMatrix k = linalg::enclose_gram(
      n, d, [&g](Index r0, Index h, Index c0, Index w, MatrixXd& b) { b = g.block(r0, c0, h, w); });
  t.say("Through the 64 x 64 Gram matrix G G^T / n, never forming the 400 x 400 F:");
  t.block(top_text(linalg::enclose_top(k, {}), static_cast<double>(n)));
}

void honest_gaps(Tour& t) {
  t.section("Gaps that binary64 cannot see, and one that does not exist", "fimcheck lambda MATRIX.csv");
  t.say("The 20 x 20 identity: lambda_1 = lambda_2, and the gap is honestly not certified positive:");
  t.block(top_text(linalg::enclose_top({MatrixXd::Identity(20, 20), 0.0}, {}), 1.0));
  MatrixXd c(2, 2);
  c << 1.0 / 3, 1e-17, 1e-17, 1.0 / 3;
  t.say("[[1/3, 1e-17], [1e-17, 1/3]]: a gap of 6e-17 relative. Binary64, then 113-bit MPFI:");
  t.block(top_text(linalg::enclose_top({c, 0.0}, {53, 1e-10}), 1.0) + "\n" +
          top_text(linalg::top_of(linalg::enclose_spectrum_mp({c, 0.0}, 113)), 1.0));
}

// Runs a claim's variant on seeded cases, writes its sub-report, prints the summary line.
search::RunResult run_claim(Tour& t, const claims::Claim& claim, search::RunOptions o, const std::string& subdir) {
  const search::RunResult r = search::run_cases(claim, o);
  const nlohmann::json rep = report::check_report(claim, *claims::find_variant(claim, o.variant), o, r);
  report::write_check_report(t.path(subdir), claim, rep, r);
  t.block(report::check_summary(rep));
  return r;
}

std::string confirmation(const search::Counterexample& cx, const std::string& file) {
  const auto check = verify::verify_certificate(cx.outcome.certificate);
  return (check.status == verify::Status::Confirmed ? "fimcheck verify-cert " + file + ": CONFIRMED: "
                                                          : "fimcheck verify-cert " + file + ": NOT confirmed: ") +
         check.reason;
}

void weyl(Tour& t) {
  t.section("Weyl's inequalities (C1) on 500 seeded cases", "fimcheck check weyl --cases 500 --seed 1 --report " + t.path("weyl"));
  search::RunOptions o;
  o.cases = 500;
  run_claim(t, *claims::find_claim("weyl"), o, "weyl");
  t.say("Full report: [weyl/report.md](weyl/report.md)");
}

void remainder(Tour& t) {
  t.section("The third-order remainder bound (C3) and how tight it is",
            "fimcheck check remainder --cases 1000 --seed 1 --report " + t.path("remainder"));
  search::RunOptions o;
  o.cases = 1000;
  run_claim(t, *claims::find_claim("remainder"), o, "remainder");
  t.say("Tightness |R3| / bound against ||E|| / g (each point a case; 1 would be attained):");
  t.image("remainder/tightness.svg", "remainder tightness");
}

void conjecture(Tour& t) {
  const std::string expr = "0.7*normE^3/gap^2";
  t.section("A conjectured bound |R3| <= 0.7 ||E||^3 / g^2, refuted by the targeted search",
            "fimcheck check remainder --bound '" + expr + "' --cases 200 --seed 1 --search --budget-evals 100000 --report " + t.path("conjecture"));
  const auto claim = claims::remainder_with_bound(expr::BoundExpr::parse(expr));
  search::RunOptions o;
  o.cases = 200;
  o.variant = "conjectured";
  o.bound = expr;
  o.search_evaluations = 100000;  // evaluations, not seconds: the same tour on every machine
  const auto r = run_claim(t, *claim, o, "conjecture");
  if (r.counterexamples.empty()) return t.say("(no counterexample within the budget)");
  const auto& cx = r.counterexamples.front();
  const std::string cert = cx.case_index >= 0 ? "cert-" + std::to_string(cx.case_index) + ".json" : "cert-search.json";
  t.say("200 random cases do not refute it (as ||E|| -> 0 the constant tends to 4/(3 sqrt 3) = 0.77); the search does:");
  t.block(confirmation(cx, "conjecture/" + cert));
  t.image("conjecture/spectra-" + std::string(cx.case_index >= 0 ? std::to_string(cx.case_index) : "search") + ".svg",
          "spectra of the counterexample");
}

void genericity(Tour& t) {
  t.section("Genericity (C4): c2 certified, the exact mean checked, a Monte Carlo for comparison",
            "fimcheck check genericity --cases 500 --seed 1 --report " + t.path("genericity"));
  search::RunOptions o;
  o.cases = 500;
  run_claim(t, claims::genericity_claim(), o, "genericity");
  const claims::Outcome one = claims::check(claims::genericity_claim(), search::nth_case(
      search::cases(search::Family::All, 1, 8, true), 1, 14).value(), "stated", o.precision);
  const auto& e = one.evidence;
  t.say("Case 14 (`fimcheck check genericity --case 14 --seed 1`):");
  t.block("c2 (certified)                  in [" + e["c2"]["lo"].get<std::string>() + ", " + e["c2"]["hi"].get<std::string>() +
          "]\nexact Rademacher mean increase in [" + e["mean_increase_rademacher"]["lo"].get<std::string>() + ", " +
          e["mean_increase_rademacher"]["hi"].get<std::string>() + "]\nGaussian Monte Carlo (statistical): mean " +
          e["monte_carlo"]["mean"].dump() + ", 95% CI " + e["monte_carlo"]["ci95"].dump() + ", " +
          e["monte_carlo"]["draws"].dump() + " draws");
}

void partition(Tour& t) {
  const std::string policy = R"({"coordinates": {
   "sigma":  {"type": "real", "special": ["nan", "+inf", "-inf", "undefined"]},
   "dsigma": {"type": "real"},
   "bits":   {"type": "discrete", "values": [2, 3, 4, 8, 16]},
   "hyp":    {"type": "bool"}},
 "cells": [
   {"name": "nominal", "when": [["sigma", "<", "1.5"], ["bits", "in", [4, 8, 16]]]},
   {"name": "alarm",   "when": [["sigma", ">=", "1.5"]]},
   {"name": "invalid", "when": [["sigma", "is", "nan"]]}]}
)";
  io::write_atomically(t.path("policy.json"), policy);
  t.section("Is a monitoring policy complete? Decided exactly, with witnesses",
            "fimcheck partition " + t.path("policy.json"));
  t.block(policy);
  const policy::Policy p = policy::read_policy(t.path("policy.json"));
  t.block(policy::to_text(p, policy::decide_partition(p)));
}

int run_demo(const std::string& dir) {
  const auto t0 = std::chrono::steady_clock::now();
  std::cout << "fimcheck demo: every number below is a certified enclosure (decimals rounded outward) "
               "unless labelled statistical.\n";
  Tour t(dir);
  trained_model(t);
  fim_of_scores(t);
  honest_gaps(t);
  weyl(t);
  remainder(t);
  conjecture(t);
  genericity(t);
  monotonicity(t);
  partition(t);
  inflation(t);
  t.finish(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return kOk;
}

}  // namespace

void add_demo(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("demo", "A guided tour of fimcheck's certified checks, written to a report");
  auto dir = std::make_shared<std::string>("demo-report");
  cmd->add_option("--out", *dir, "Directory for report.md, sub-reports and plots");
  cmd->callback([dir, &exit_code] { exit_code = run_demo(*dir); });
}

}  // namespace fim::cli
