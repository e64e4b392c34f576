// fimcheck check CLAIM: property-test a claim or one of its false variants on generated cases.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <unistd.h>

#include "cli/commands.hpp"
#include "cli/shard.hpp"
#include "io/matrix_io.hpp"
#include "expr/bound_expr.hpp"
#include "claims/eigen_inequality.hpp"
#include "claims/claim.hpp"
#include "claims/exact_ties.hpp"
#include "claims/genericity_m3.hpp"
#include "claims/registry.hpp"
#include "claims/user_claim.hpp"
#include "expr/claim_lang.hpp"
#include "fim/spec.hpp"
#include "numeric/decimal.hpp"
#include "numeric/parallel.hpp"
#include "io/atomic_file.hpp"
#include "report/check_report.hpp"
#include "report/run_json.hpp"
#include "search/best_constant.hpp"
#include "search/run.hpp"

namespace fim::cli {
namespace {

std::string claim_names();

struct CheckArgs {
  std::string claim, variant = "stated", dim = "1..8", family = "all", report_dir, bound, noise, model;
  std::string scheme = "sym", granularity = "group";
  int bits = 4, group_size = 128, reference = claims::M3Options{}.reference;
  int cases = 200, max_bits = 4096, only_case = -1, jobs = num::all_cores();
  std::uint64_t seed = 1;
  bool json = false, list_variants = false, search = false, best_constant = false;
  std::string shard;  // --shard I/N
  std::string user_claim, given, eigenbasis;  // --claim, --given, --eigenbasis
  std::vector<std::string> psd;                // --psd NAME...
  double budget = 30;
  long budget_evals = 0;
};

// "LO..HI" or "N" -> [lo, hi] with 1 <= lo <= hi <= 64.
std::pair<int, int> parse_dims(const std::string& s) {
  const auto dots = s.find("..");
  const auto lo = num::read_integer(std::string_view(s).substr(0, dots), 1, 64);
  const auto hi = dots == std::string::npos ? lo : num::read_integer(s.substr(dots + 2), 1, 64);
  if (lo && hi && *lo <= *hi) return {int(*lo), int(*hi)};
  throw CLI::ValidationError("--dim", "expected LO..HI with 1 <= LO <= HI <= 64, got '" + s + "'");
}

// The remainder claim with the conjectured bound EXPR as its variant "conjectured".
std::unique_ptr<claims::Claim> with_bound(const CheckArgs& a) {
  if (a.claim != "remainder")
    throw CLI::ValidationError("--bound", "conjectured bounds are for the remainder claim");
  try {
    return claims::remainder_with_bound(expr::BoundExpr::parse(a.bound));
  } catch (const expr::BoundExprError& e) {
    throw CLI::ValidationError("--bound", e.what());
  }
}

// M3: one trained model and one quantizer (not generated cases); exit 0 or 3, never 1.
int run_m3(const CheckArgs& a) {
  if (a.model.empty()) throw CLI::ValidationError("--model", "--noise M3 needs --model SPEC");
  claims::M3Options o;
  o.quantizer.bits = a.bits;
  o.quantizer.scheme = a.scheme == "asym" ? quant::Scheme::asym : a.scheme == "nf4" ? quant::Scheme::nf4 : quant::Scheme::sym;
  o.quantizer.granularity = a.granularity == "tensor" ? quant::Granularity::tensor
                            : a.granularity == "channel" ? quant::Granularity::channel : quant::Granularity::group;
  o.quantizer.group_size = a.group_size;
  o.reference = a.reference;
  try {
    quant::validate(o.quantizer);
  } catch (const std::invalid_argument& e) {
    throw CLI::ValidationError("--bits/--scheme", e.what());
  }
  const claims::M3Result r = claims::check_m3(model::build_model(model::parse_spec(a.model)), o);
  const nlohmann::json j = claims::m3_json(r, o);
  if (!a.report_dir.empty()) {
    std::filesystem::create_directories(a.report_dir);
    io::write_atomically(a.report_dir + "/report.json", j.dump(2) + "\n");
  }
  if (a.json) std::cout << j.dump(2) << "\n";
  else std::cout << claims::m3_text(r);
  // The verdicts come from c2 alone (never VIOLATED: M3 has no exact mean); the one-draw
  // observation decides nothing (proofs/genericity.md, section 3.5).
  const bool undecided = r.uniform.verdict == claims::Verdict::Undecided ||
                         r.stochastic.verdict == claims::Verdict::Undecided;
  return undecided ? kUndecided : kOk;
}

constexpr long kBestConstantEvaluations = 200000;  // --best-constant's default --budget-evals

// One form's line of --best-constant: the certified lower bound (exact, so never rounded up).
std::string best_constant_line(const search::ConstantBound& b) {
  std::string s = "  |R3| <= " + b.form + ": ";
  if (!b.lower) return s + "no certified lower bound found (unverified estimate " + std::to_string(b.estimate) + ")";
  return s + "best constant c > " + *b.lower + " (certified: a case with |R3| > " + b.expr +
         "; unverified estimate at the search's best case " + std::to_string(b.estimate) + ")";
}

// check remainder --best-constant: exit 0 when every form got a certified lower bound, else 3;
// never 1, since refuting c below the best constant refutes no claim (proofs/remainder.md 2.5).
int run_best_constant(const CheckArgs& a) {
  if (a.claim != "remainder") throw CLI::ValidationError("--best-constant", "is for the remainder claim");
  search::RunOptions o;
  o.seed = a.seed;
  std::tie(o.dim_lo, o.dim_hi) = parse_dims(a.dim);
  o.family = search::parse_family(a.family);
  o.precision.max_bits = a.max_bits;
  const long evals = a.budget_evals > 0 ? a.budget_evals : kBestConstantEvaluations;
  const auto forms = search::best_constants(o, evals);
  nlohmann::json j = {{"claim", "remainder"}, {"mode", "best-constant"}, {"seed", o.seed},
                      {"dim", {o.dim_lo, o.dim_hi}}, {"evaluations_per_form", evals},
                      {"note", "lower_bound is exact and certified: the best constant of the form exceeds it"},
                      {"forms", nlohmann::json::array()}};
  for (std::size_t k = 0; k < forms.size(); ++k) {
    const auto& b = forms[k];
    const std::string cert = "cert-best-" + std::to_string(k + 1) + ".json";
    j["forms"].push_back({{"form", b.form}, {"lower_bound", b.lower ? nlohmann::json(*b.lower) : nlohmann::json(nullptr)},
                          {"refuted_bound", b.lower ? nlohmann::json(b.expr) : nlohmann::json(nullptr)},
                          {"unverified_estimate", b.estimate}, {"starts", b.starts}, {"evaluations", b.evaluations},
                          {"A", b.witness ? claims::hex_matrix(b.witness->a) : nlohmann::json(nullptr)},
                          {"E", b.witness ? claims::hex_matrix(b.witness->e) : nlohmann::json(nullptr)},
                          {"certificate", b.lower ? nlohmann::json(cert) : nlohmann::json(nullptr)}});
  }
  if (!a.report_dir.empty()) {
    std::filesystem::create_directories(a.report_dir);
    for (std::size_t k = 0; k < forms.size(); ++k)
      if (forms[k].lower)
        io::write_atomically(a.report_dir + "/cert-best-" + std::to_string(k + 1) + ".json",
                                 forms[k].outcome.certificate.dump(2) + "\n");
    io::write_atomically(a.report_dir + "/report.json", j.dump(2) + "\n");
  }
  if (a.json) std::cout << j.dump(2) << "\n";
  else {
    std::cout << "remainder --best-constant: seed " << o.seed << ", dim " << o.dim_lo << ".." << o.dim_hi << ", "
              << evals << " evaluations per form\n";
    for (const auto& b : forms) std::cout << best_constant_line(b) << "\n";
  }
  for (const auto& b : forms)
    if (!b.lower) return kUndecided;
  return kOk;
}

// What a run of generated cases decides: the claim, its variant and the run's options.
struct Plan {
  std::unique_ptr<claims::Claim> owned;  // a claim made for --bound
  const claims::Claim* claim = nullptr;
  claims::Variant variant;
  search::RunOptions o;
};

// The user's claim of --claim and --given (instantiated for every n of --dim, so that a malformed
// claim stops the run before any case); throws CLI::ValidationError naming the position.
std::unique_ptr<claims::Claim> user_claim(const CheckArgs& a) {
  if (!a.claim.empty()) throw CLI::ValidationError("--claim", "give either CLAIM or --claim TEXT, not both");
  if (!a.bound.empty() || !a.noise.empty())
    throw CLI::ValidationError("--claim", "--bound and --noise are for the built-in claims");
  if (a.variant != "stated") throw CLI::ValidationError("--variant", "a claim given by --claim has only the variant 'stated'");
  claims::UserClaimSpec spec{a.user_claim, a.given, "", !a.eigenbasis.empty()};
  for (const std::string& x : a.psd)
    if (spec.psd.find(x) == std::string::npos) spec.psd += x;
  const auto [lo, hi] = parse_dims(a.dim);
  try {
    return claims::make_user_claim(spec, lo, hi);
  } catch (const expr::ClaimError& e) {
    throw CLI::ValidationError(e.label == "given" ? "--given" : "--claim",
                               "position " + std::to_string(e.position) + ": " + e.reason);
  }
}

// The claim that CLAIM, --claim, --bound and --noise name (--claim and --bound make one, kept in
// `owned`; --bound selects its variant "conjectured"); throws CLI::ValidationError when there is none.
const claims::Claim* claim_of(CheckArgs& a, std::unique_ptr<claims::Claim>& owned) {
  if (!a.user_claim.empty()) {
    owned = user_claim(a);
    return owned.get();
  }
  if (!a.given.empty() || !a.psd.empty() || !a.eigenbasis.empty())
    throw CLI::ValidationError("--given", "--given, --psd and --eigenbasis are for a claim given by --claim");
  if (a.claim.empty()) throw CLI::ValidationError("CLAIM", "name a claim (" + claim_names() + ") or give one with --claim TEXT");
  if (!a.bound.empty()) {
    owned = with_bound(a);
    a.variant = "conjectured";
  }
  if (!a.noise.empty() && a.claim != "genericity")
    throw CLI::ValidationError("--noise", "the perturbation model is for the genericity claim");
  const claims::Claim* claim = owned ? owned.get()
                               : a.noise == "M2" ? &claims::genericity_m2_claim()
                                                 : claims::find_claim(a.claim);
  if (!claim) throw CLI::ValidationError("CLAIM", "unknown claim '" + a.claim + "'");
  return claim;
}

// The plan of a run of generated cases; throws CLI::ValidationError on a bad combination.
Plan plan_of(CheckArgs& a) {
  Plan p;
  p.claim = claim_of(a, p.owned);
  const auto variant = claims::find_variant(*p.claim, a.variant);
  if (!variant)
    throw CLI::ValidationError("--variant", "unknown variant '" + a.variant + "' of " + a.claim +
                                                " (see --list-variants)");
  p.variant = *variant;
  search::RunOptions& o = p.o;
  o.variant = a.variant;
  o.bound = a.bound;
  o.noise = a.noise;
  if (a.search && a.budget_evals > 0) o.search_evaluations = a.budget_evals;  // deterministic
  else if (a.search) o.search_budget = a.budget;
  o.cases = a.cases;
  o.jobs = a.jobs;
  o.seed = a.seed;
  std::tie(o.dim_lo, o.dim_hi) = parse_dims(a.dim);
  o.family = search::parse_family(a.family);
  o.precision.max_bits = a.max_bits;
  if (a.only_case >= 0) o.only_case = a.only_case;
  return p;
}

// Writes the report of r (with --report), prints it, and returns the run's exit code.
int report_run(const CheckArgs& a, const Plan& p, const search::RunResult& r) {
  const nlohmann::json report = report::check_report(*p.claim, p.variant, p.o, r);
  if (!a.report_dir.empty()) report::write_check_report(a.report_dir, *p.claim, report, r);
  if (a.json) std::cout << report.dump(2) << "\n";
  else {
    std::cout << report::check_summary(report) << "\n";
    for (const auto& cx : report["counterexamples"])
      std::cout << "  counterexample: case " << cx["case"] << " (" << cx["where"].get<std::string>()
                << "), shrunk to dimension " << cx["dimension_shrunk"] << "; reproduce: "
                << cx["reproduce"].get<std::string>() << "\n";
    if (const auto& one = report["case_outcome"]; !one.is_null())
      std::cout << "  case " << a.only_case << ": " << one["verdict"].get<std::string>() << " at "
                << one["bits"] << " bits (" << one["where"].get<std::string>() << ")\n  evidence: "
                << one["evidence"].dump() << "\n";
    const auto& undecided = report["undecided"];
    for (std::size_t k = 0; k < undecided.size() && k < 10; ++k)
      std::cout << "  undecided: case " << undecided[k]["case"] << " ("
                << undecided[k]["where"].get<std::string>() << ")\n";
    if (undecided.size() > 10)
      std::cout << "  ... and " << undecided.size() - 10 << " more undecided cases (all in the --json report)\n";
    if (!undecided.empty() && std::all_of(undecided.begin(), undecided.end(), [](const nlohmann::json& u) {
          return u["where"].get<std::string>().find(claims::kPossibleTie) != std::string::npos;
        }))
      std::cout << "  every undecided case is a possible equality case: its two sides agree to 30 digits at "
                   "the highest precision, and an exact tie (where the claim holds) is beyond any enclosure\n";
  }
  if (r.count(claims::Verdict::Violated) > 0 || !r.counterexamples.empty()) return kCounterexample;
  return r.count(claims::Verdict::Undecided) > 0 ? kUndecided : kOk;
}

// The arguments a slice of check records: all that change what the run decides, prints or writes
// (not --jobs, --shard, --report); merge_check rebuilds the run from them.
nlohmann::json slice_arguments(const CheckArgs& a) {
  return {{"claim", a.claim}, {"variant", a.variant}, {"bound", a.bound}, {"noise", a.noise}, {"seed", a.seed},
          {"cases", a.cases}, {"dim", a.dim}, {"family", a.family}, {"max_bits", a.max_bits}, {"json", a.json},
          {"user_claim", a.user_claim}, {"given", a.given}, {"psd", a.psd}, {"eigenbasis", a.eigenbasis}};
}

CheckArgs from_slice_arguments(const nlohmann::json& j) {
  CheckArgs a;
  try {
    a.claim = j.at("claim").get<std::string>();
    a.variant = j.at("variant").get<std::string>();
    a.bound = j.at("bound").get<std::string>();
    a.noise = j.at("noise").get<std::string>();
    a.seed = j.at("seed").get<std::uint64_t>();
    a.cases = j.at("cases").get<int>();
    a.dim = j.at("dim").get<std::string>();
    a.family = j.at("family").get<std::string>();
    a.max_bits = j.at("max_bits").get<int>();
    a.json = j.at("json").get<bool>();
    a.user_claim = j.at("user_claim").get<std::string>();
    a.given = j.at("given").get<std::string>();
    a.psd = j.at("psd").get<std::vector<std::string>>();
    a.eigenbasis = j.at("eigenbasis").get<std::string>();
  } catch (const nlohmann::json::exception& e) {
    throw io::InputError("slice", "arguments", std::string("malformed arguments of check: ") + e.what());
  }
  return a;
}

// The modes of check that are no run of independent generated cases refuse to be split.
void refuse_unsliceable(const CheckArgs& a) {
  refuse_split(a.noise == "M3", a.shard, "--noise M3", "it checks one model and one quantizer, not generated cases");
  refuse_split(a.best_constant, a.shard, "--best-constant", "its search is one sequence of evaluations");
  refuse_split(a.search, a.shard, "--search",
               "the targeted search runs once, after all cases, and only when none was a counterexample");
  refuse_split(a.only_case >= 0, a.shard, "--case", "it runs one case");
}

int run_check(CheckArgs a) {
  refuse_unsliceable(a);
  if (a.noise == "M3") return run_m3(a);
  if (a.best_constant) return run_best_constant(a);
  if (a.list_variants) {
    std::unique_ptr<claims::Claim> owned;
    for (const auto& v : claim_of(a, owned)->variants())
      std::cout << v.name << (v.proved ? "  (as stated)" : a.user_claim.empty() ? "  (false variant)" : "  (your claim)")
                << "\n    "
                << v.statement << "\n";
    return kOk;
  }
  Plan p = plan_of(a);
  if (isatty(STDERR_FILENO))
    p.o.progress = [](int done, int total) {
      std::fprintf(stderr, "\r%d / %d cases", done, total);
      if (done == total) std::fprintf(stderr, "\n");
    };
  if (a.search && !p.claim->approx_margin(claims::MatrixCase{Eigen::MatrixXd::Identity(p.o.dim_hi, p.o.dim_hi),
                                                             Eigen::MatrixXd::Zero(p.o.dim_hi, p.o.dim_hi),
                                                             Eigen::MatrixXd::Zero(p.o.dim_hi, p.o.dim_hi)},
                                          p.o.variant))
    throw CLI::ValidationError("--search", "this claim has no margin for the targeted search");
  if (split_run(a.shard)) {
    const Sliced s{"check", slice_arguments(a), a.cases, "cases", [&](cluster::Slice range) {
                     search::RunOptions o = p.o;
                     o.slice_begin = static_cast<int>(range.begin);
                     o.slice_end = static_cast<int>(range.end);
                     return report::run_result_json(search::run_cases(*p.claim, o));
                   }};
    const std::string report_dir = a.report_dir;
    return run_sliced(s, a.shard, report_dir, [report_dir](const auto& slices) { return merge_check(slices, report_dir); });
  }
  return report_run(a, p, search::run_cases(*p.claim, p.o));
}

// "weyl | directional | ..." from the registry, so that --help lists every claim there is.
std::string claim_names() {
  std::string names;
  for (const claims::Claim* c : claims::registry()) names += (names.empty() ? "" : " | ") + c->name();
  return names;
}

}  // namespace

int merge_check(const std::vector<report::SliceReport>& slices, const std::string& out_dir) {
  CheckArgs a = from_slice_arguments(slices.front().arguments);
  a.report_dir = out_dir;
  const Plan p = plan_of(a);
  std::vector<search::RunResult> results;
  for (const report::SliceReport& s : slices) results.push_back(report::run_result_from_json(s.result));
  return report_run(a, p, search::merge_runs(results, p.o));
}

void add_check(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("check", "Property-test a claim: " + claim_names());
  auto a = std::make_shared<CheckArgs>();
  cmd->add_option("CLAIM", a->claim, claim_names() + " (or --claim TEXT)");
  cmd->add_option("--claim", a->user_claim,
                  "Your own claim in the claim language, e.g. 'lambda(1, A+E) <= lambda(1, A) + norm(E)' "
                  "(README, \"Your own claims\"; proofs/claim-language.md)");
  cmd->add_option("--given", a->given, "--claim: a hypothesis in the same language; cases where it is false are HYPOTHESIS_FAILS");
  cmd->add_option("--psd", a->psd, "--claim: generate this matrix positive semidefinite (A, B or E; repeatable)")
      ->check(CLI::IsMember({"A", "B", "E"}))
      ->default_str("");
  cmd->add_option("--eigenbasis", a->eigenbasis,
                  "--claim: generate A diagonal, the claim read in A's eigenbasis (as the built-in directional claim is)")
      ->check(CLI::IsMember({"A"}));
  cmd->add_option("--cases", a->cases, "Number of generated cases")->check(CLI::Range(1, 10000000));
  cmd->add_option("--seed", a->seed, "Seed; the same seed gives the same cases");
  cmd->add_option("--dim", a->dim, "Dimensions LO..HI (1..64)");
  cmd->add_option("--family", a->family, "random | adversarial | all")
      ->check(CLI::IsMember({"random", "adversarial", "all"}));
  cmd->add_option("--variant", a->variant, "The claim as stated, or a false variant");
  cmd->add_flag("--list-variants", a->list_variants, "List the claim's variants and exit");
  cmd->add_option("--case", a->only_case, "Run only case K of this seed (reproduction)")
      ->default_str("")
      ->check(CLI::NonNegativeNumber);
  add_jobs_option(*cmd, a->jobs, "cases");
  add_shard_option(*cmd, a->shard);
  cmd->add_option("--max-bits", a->max_bits, "Highest precision to escalate to")
      ->check(CLI::Range(53, 4096));
  cmd->add_option("--bound", a->bound,
                  "remainder only: test |R3| <= EXPR (numbers, + - * / ^, sqrt, abs, min, max; "
                  "normE, gap, d, lambda1, lambda2, lambda_min, e11)");
  cmd->add_flag("--search", a->search,
                "After the cases, maximize the violation margin with Nelder-Mead from seeded starts "
                "and certify the best candidate");
  cmd->add_option("--budget", a->budget, "Seconds for --search")->check(CLI::Range(0.1, 86400.0));
  cmd->add_flag("--best-constant", a->best_constant,
                "remainder only: certified lower bounds on the best constant c of |R3| <= c ||E||^3/g^2 and "
                "of |R3| <= c ||E||^3/(g (g - 2||E||)), with certificates (--report DIR)");
  cmd->add_option("--budget-evals", a->budget_evals,
                  "Limit --search by margin evaluations instead of seconds (deterministic; default: off), "
                  "and --best-constant's search per form (default 200000)")
      ->check(CLI::Range(1L, 1000000000L));
  cmd->add_option("--noise", a->noise,
                  "genericity only: M1 matrix noise F + xi B (default), M2 score noise g_i + C xi_i, M3 weight quantization of --model")
      ->check(CLI::IsMember({"M1", "M2", "M3"}));
  cmd->add_option("--model", a->model, "genericity --noise M3: the model SPEC whose weights are quantized");
  cmd->add_option("--bits", a->bits, "M3: quantizer bit width")->check(CLI::Range(2, 16));
  cmd->add_option("--scheme", a->scheme, "M3: sym | asym | nf4")->check(CLI::IsMember({"sym", "asym", "nf4"}));
  cmd->add_option("--granularity", a->granularity, "M3: tensor | channel | group")
      ->check(CLI::IsMember({"tensor", "channel", "group"}));
  cmd->add_option("--group-size", a->group_size, "M3: group size along rows")->check(CLI::Range(1, 1 << 20));
  cmd->add_option("--reference", a->reference, "M3: reference inputs of the FIM")->check(CLI::Range(1, 100000));
  cmd->add_option("--report", a->report_dir, "Write DIR/report.json, report.md, cert-K.json");
  cmd->add_flag("--json", a->json, "Print the JSON report on stdout");
  cmd->callback([a, &exit_code] { exit_code = run_check(*a); });
}

}  // namespace fim::cli
