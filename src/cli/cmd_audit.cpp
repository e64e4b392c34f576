// fimcheck audit monotonicity: the curvature-monotonicity hypothesis of Proposition 3.2 along
// departure paths of a trained model, certified (proofs/monotonicity.md).
#include <chrono>
#include <filesystem>
#include <cstdio>
#include <iostream>
#include <unistd.h>

#include "audit/monotonicity.hpp"
#include "report/audit_report.hpp"
#include "cli/commands.hpp"
#include "cli/shard.hpp"
#include "report/run_json.hpp"
#include "fim/spec.hpp"
#include "io/matrix_io.hpp"
#include "io/atomic_file.hpp"
#include "numeric/enclosure_json.hpp"
#include "numeric/parallel.hpp"

namespace fim::cli {
namespace {

struct AuditArgs {
  std::string model, path = "direction", report_dir, shard;
  audit::AuditOptions o;
  bool json = false;
};

std::string command_of(const AuditArgs& a) {
  std::string c = "fimcheck audit monotonicity --model '" + a.model + "' --path " + a.path + " --grid " +
                  std::to_string(a.o.grid) + " --seed " + std::to_string(a.o.seed) + " --ensemble " +
                  std::to_string(a.o.ensemble);
  if (a.o.kind == audit::PathKind::direction) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " --paths %d --t-max %.17g", a.o.paths, a.o.t_max);
    c += buf;
  }
  return c + (a.o.continuous ? " --continuous" : "");
}

// Writes the report of the decided audit (with --report), prints it, and returns the exit code.
int report_audit(const AuditArgs& a, const audit::Audit& audit, double seconds) {
  nlohmann::json j = report::audit_json(audit, a.o);
  j["seconds"] = seconds;
  j["reproduce"] = command_of(a);
  if (!a.report_dir.empty()) {
    std::filesystem::create_directories(a.report_dir);
    io::write_atomically(a.report_dir + "/monotonicity.svg", report::audit_svg(audit));
    io::write_atomically(a.report_dir + "/report.json", j.dump(2) + "\n");
    io::write_atomically(a.report_dir + "/report.md", report::audit_markdown(audit, a.o, command_of(a)));
  }
  int fails = 0, undecided = 0;
  for (const auto& p : audit.paths) {
    fails += p.hypothesis == claims::Verdict::HypothesisFails;
    undecided += p.hypothesis == claims::Verdict::Undecided;
  }
  if (a.json) {
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "model " << audit.spec << "\nlambda_base in " << num::to_text(audit.lambda_base)
              << "\ntypical input norm (RMS of ||x_i|| over the reference inputs) in " << num::to_text(audit.typical_norm)
              << "\n" << report::audit_text(audit, a.o);
    if (fails > 0)
      std::cout << "HYPOTHESIS_FAILS on " << fails << " of " << audit.paths.size()
                << " paths: a certified finding about Proposition 3.2's monotonicity hypothesis on this model, not a "
                   "counterexample to the proposition (which assumes the hypothesis)\n";
    std::cout << "(" << j["seconds"].get<double>() << " s)\n";
  }
  // S9: 1 when a certified hypothesis failure is found, 3 when some path is undecided
  return fails > 0 ? kCounterexample : undecided > 0 ? kUndecided : kOk;
}

// The arguments a slice of the audit records: all that change what it decides, prints or writes
// (not --jobs, --shard, --report); merge_audit rebuilds the run from them.
nlohmann::json slice_arguments(const AuditArgs& a) {
  return {{"model", a.model}, {"path", a.path}, {"paths", a.o.paths}, {"grid", a.o.grid},
          {"t_max", report::exact_json(a.o.t_max)}, {"ensemble", a.o.ensemble}, {"seed", a.o.seed},
          {"continuous", a.o.continuous}, {"json", a.json}};
}

AuditArgs from_slice_arguments(const nlohmann::json& j) {
  AuditArgs a;
  try {
    a.model = j.at("model").get<std::string>();
    a.path = j.at("path").get<std::string>();
    a.o.paths = j.at("paths").get<int>();
    a.o.grid = j.at("grid").get<int>();
    a.o.t_max = report::exact_double(j.at("t_max"));
    a.o.ensemble = j.at("ensemble").get<int>();
    a.o.seed = j.at("seed").get<std::uint64_t>();
    a.o.continuous = j.at("continuous").get<bool>();
    a.json = j.at("json").get<bool>();
  } catch (const nlohmann::json::exception& e) {
    throw io::InputError("slice", "arguments", std::string("malformed arguments of audit: ") + e.what());
  }
  a.o.kind = a.path == "mixture" ? audit::PathKind::mixture : audit::PathKind::direction;
  return a;
}

int run_audit(AuditArgs a) {
  const auto t0 = std::chrono::steady_clock::now();
  a.o.kind = a.path == "mixture" ? audit::PathKind::mixture : audit::PathKind::direction;
  const model::Model m = model::build_model(model::parse_spec(a.model));
  std::function<void(int, int)> progress;
  if (isatty(STDERR_FILENO))
    progress = [](int done, int total) { std::fprintf(stderr, "\r%d / %d enclosures%s", done, total, done == total ? "\n" : ""); };
  if (split_run(a.shard)) {
    const Sliced s{"audit monotonicity", slice_arguments(a), audit::path_count(a.o), "paths", [&](cluster::Slice r) {
                     return report::audit_paths_json(
                         audit::enclose_paths(m, a.o, static_cast<int>(r.begin), static_cast<int>(r.end), progress));
                   }};
    const std::string dir = a.report_dir;
    return run_sliced(s, a.shard, dir, [dir](const auto& slices) { return merge_audit(slices, dir); });
  }
  const audit::Audit audit = audit::audit_monotonicity(m, a.o, progress);
  return report_audit(a, audit, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
}

}  // namespace

int merge_audit(const std::vector<report::SliceReport>& slices, const std::string& out_dir) {
  AuditArgs a = from_slice_arguments(slices.front().arguments);
  a.report_dir = out_dir;
  std::vector<audit::Audit> parts;
  for (const report::SliceReport& s : slices) parts.push_back(report::audit_paths_from_json(s.result));
  audit::Audit whole = audit::join_paths(parts);
  audit::decide_audit(whole);
  return report_audit(a, whole, report::slowest_seconds(slices));
}

void add_audit(CLI::App& app, int& exit_code) {
  auto* audit = app.add_subcommand("audit", "Audit a hypothesis of the paper on a trained model");
  audit->require_subcommand(1);
  auto* cmd = audit->add_subcommand("monotonicity",
                                    "Is lambda_max(F) nondecreasing along departures from the reference inputs? "
                                    "(Proposition 3.2's hypothesis; exit 1: it fails on a path, certified)");
  auto a = std::make_shared<AuditArgs>();
  cmd->add_option("--model", a->model, "Model SPEC, e.g. logistic:d_in=8,n=256,seed=1")->required();
  cmd->add_option("--path", a->path, "direction: x + t u; mixture: (1 - t) reference + t out-of-distribution")
      ->check(CLI::IsMember({"direction", "mixture"}));
  cmd->add_option("--paths", a->o.paths, "Number of random directions (direction paths)")->check(CLI::Range(1, 1000));
  cmd->add_option("--grid", a->o.grid, "Grid intervals K: t_k = k t_max / K")->check(CLI::Range(1, 10000));
  cmd->add_option("--t-max", a->o.t_max, "How far along u (direction paths)")->check(CLI::PositiveNumber);
  cmd->add_option("--ensemble", a->o.ensemble, "Reference inputs used (the model's first ones)")->check(CLI::Range(1, 100000));
  cmd->add_option("--seed", a->o.seed, "Seed of the directions and the out-of-distribution inputs");
  cmd->add_flag("--continuous", a->o.continuous,
                "Also certify between grid points: the conclusion (Lemma 3) and monotonicity where F' is PSD (Lemma 4)");
  a->o.jobs = num::all_cores();
  add_jobs_option(*cmd, a->o.jobs, "enclosures");
  add_shard_option(*cmd, a->shard);
  cmd->add_option("--report", a->report_dir, "Write DIR/report.json, report.md, monotonicity.svg");
  cmd->add_flag("--json", a->json, "Print the JSON report on stdout");
  cmd->callback([a, &exit_code] { exit_code = run_audit(*a); });
}

}  // namespace fim::cli
