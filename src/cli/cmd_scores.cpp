// fimcheck scores --model SPEC: a model's per-sample score matrix G as .npy (SPEC S5, S9), so that
// `fimcheck lambda --gram G.npy` or a user's own framework can be compared with fimcheck's
// certified in-tool enclosure of lambda_1(G^T G / rows), printed alongside.
#include <chrono>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "fim/enclose_fim.hpp"
#include "io/npy_write.hpp"
#include "numeric/enclosure_json.hpp"

namespace fim::cli {
namespace {

struct ScoresArgs {
  std::string spec, fisher = "data", out;
  std::uint64_t seed = 0;
  int max_bits = 1024;
  double rel_width = 1e-10;
  bool json = false;
  CLI::Option* seed_option = nullptr;
};

const char* kScoresFooter = R"(SPEC: family:key=value,... with families and keys (defaults in brackets)
  all      d_in [8], n [256], seed [0], steps [300] (Adam, full batch), lr [0.01]
  linear   noise [0.5]  (y = w.x + b + noise * N(0,1); the model's sigma is noise)
  logistic (two classes)
  softmax  classes [4]
  mlp      hidden [16] (1-3 widths joined by x, e.g. 16x16), act [tanh] (tanh|gelu|relu), classes [4]
e.g. mlp:hidden=16x16,act=gelu,d_in=8,classes=4,n=512,seed=3. The same SPEC gives the same G.
Rows: data/sampled/argmax one row per input; expected one row per input and class, row c being
sqrt(C p(c|x)) g_c, so G^T G / rows is the FIM in every mode (linear-Gaussian expected: one row
J^T / sigma per input). Output: float64 C-order .npy, written atomically.
Exit 0 written and enclosure narrow, 2 bad usage or SPEC (nothing written), 3 enclosure too wide.
Details: proofs/models.md.
)";

void add_options(CLI::App* cmd, ScoresArgs& a) {
  cmd->add_option("--model", a.spec, "Model SPEC, e.g. logistic:d_in=8,n=256,seed=1")->required();
  cmd->add_option("--fisher", a.fisher, "Labels: data | expected | sampled | argmax")
      ->check(CLI::IsMember({"data", "expected", "sampled", "argmax"}));
  a.seed_option = cmd->add_option("--seed", a.seed, "Seed of --fisher sampled");
  cmd->add_option("--out", a.out, "Output .npy of the score matrix G (rows x params)")->required();
  cmd->add_option("--max-bits", a.max_bits, "Highest precision of the enclosure (53..4096)")
      ->check(CLI::Range(53, 4096));
  cmd->add_option("--rel-width", a.rel_width, "Requested relative width of the enclosure")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_flag("--json", a.json, "Print the summary as JSON on stdout");
  cmd->footer(kScoresFooter);
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int run_scores(const ScoresArgs& a) {
  const model::ModelSpec spec = model::parse_spec(a.spec);
  const model::FisherMode mode = model::parse_fisher_mode(a.fisher);
  if (a.seed_option->count() > 0 && mode != model::FisherMode::sampled)
    throw CLI::ValidationError("--seed", "only used with --fisher sampled");
  const auto t0 = std::chrono::steady_clock::now();
  const model::Model m = model::build_model(spec);
  const double train_seconds = seconds_since(t0);
  const model::LabelPlan plan = model::label_plan(m, mode, a.seed);
  const model::Dense<double> g = model::score_matrix(m, plan);
  io::write_npy(a.out, {g.rows, g.cols}, g.v);
  const linalg::Top top = model::enclose_model_top(m, plan, linalg::Precision{a.max_bits, a.rel_width});
  const bool narrow = linalg::top_narrow_enough(top, a.rel_width);
  if (a.json) {
    nlohmann::json j = {{"model", spec.text()}, {"fisher", a.fisher}, {"n", spec.n},
                        {"rows", g.rows}, {"d", g.cols}, {"out", a.out},
                        {"train_seconds", train_seconds}, {"final_loss", m.final_loss},
                        {"lambda_max", num::to_json(top.lambda1)},
                        {"gap", num::to_json(top.gap)}, {"bits", top.bits},
                        {"width_reached", narrow}};
    if (mode == model::FisherMode::sampled) j["seed"] = a.seed;
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "model  " << spec.text() << "\nfisher " << a.fisher
              << (mode == model::FisherMode::sampled ? " (seed " + std::to_string(a.seed) + ")" : "")
              << "\nrows   " << g.rows << " (" << spec.n << " inputs x "
              << model::rows_per_input(m.arch, mode) << ")\nparams " << g.cols
              << "\ntrained in " << train_seconds << " s (" << spec.steps
              << " Adam steps, mean NLL " << m.final_loss << ")\nwrote  " << a.out
              << " (float64, " << g.rows << " x " << g.cols << ")\nlambda_max in "
              << num::to_text(top.lambda1) << "  (certified for the exact scores, "
              << top.bits << " bits)\n";
  }
  return narrow ? kOk : kUndecided;
}

}  // namespace

void add_scores(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("scores", "Per-sample score matrix of a built-in model as .npy");
  auto a = std::make_shared<ScoresArgs>();
  add_options(cmd, *a);
  cmd->callback([a, &exit_code] { exit_code = run_scores(*a); });
}

}  // namespace fim::cli
