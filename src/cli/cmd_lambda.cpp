// fimcheck lambda / spectrum: certified eigenvalue enclosures of a user's matrix (S9).
#include <cfloat>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <unistd.h>

#include "cli/commands.hpp"
#include "cli/input.hpp"
#include "io/atomic_file.hpp"
#include "io/matrix_io.hpp"
#include "report/group_report.hpp"
#include "linalg/enclose_spectrum.hpp"
#include "linalg/enclose_top.hpp"
#include "numeric/fp.hpp"
#include "numeric/enclosure_json.hpp"

namespace fim::cli {
using num::Ival;
using num::to_json;
using num::to_text;

namespace {

struct MatrixArgs {
  std::vector<std::string> files;
  bool gram = false, symmetrize = false, json = false, per_group = false;
  std::string report_dir;
  int max_bits = 1024;
  double rel_width = 1e-10;
};

void add_matrix_options(CLI::App* cmd, MatrixArgs& a) {
  cmd->add_option("FILE", a.files,
                  "Matrix as .npy (float32/float64) or CSV; with --gram also a manifest of score "
                  "shards (.json, or the folder holding it as manifest.json) or several .npy shards, "
                  "taken side by side")
      ->required()
      ->default_str("");
  cmd->add_flag("--gram", a.gram,
                "FILE is the n x d score matrix G; the matrix is the FIM G^T G / n (shards are "
                "streamed one at a time; under mpirun they are split across the ranks)");
  cmd->add_flag("--symmetrize", a.symmetrize,
                "Enclose (A + A^T) / 2 instead of refusing a non-symmetric matrix");
  cmd->add_option("--max-bits", a.max_bits, "Highest precision to escalate to (53..4096)")
      ->check(CLI::Range(53, 4096));
  cmd->add_option("--rel-width", a.rel_width, "Requested relative width of the enclosures")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_flag("--json", a.json, "Print JSON on stdout");
}

using Loaded = FimMatrix;
Loaded load(const MatrixArgs& a) { return load_fim_matrix(a.files, a.gram, a.symmetrize, !a.json); }

// The command as typed, for the report.
std::string command_of(const MatrixArgs& a) {
  std::string c = "fimcheck lambda";
  for (const std::string& f : a.files) c += " " + f;
  if (a.gram) c += " --gram";
  if (a.per_group) c += " --per-group";
  return c;
}

// report.json (what --json prints), report.md and, with groups, groups.svg in DIR.
void write_report(const MatrixArgs& a, const nlohmann::json& j, const std::vector<fim::GroupCurvature>& groups) {
  std::filesystem::create_directories(a.report_dir);
  if (!groups.empty()) io::write_atomically(a.report_dir + "/groups.svg", report::groups_svg(groups));
  io::write_atomically(a.report_dir + "/report.json", j.dump(2) + "\n");
  io::write_atomically(a.report_dir + "/report.md", report::lambda_markdown(j, groups, command_of(a)));
}

nlohmann::json header(const MatrixArgs& a, const Loaded& l, int bits, double seconds) {
  const nlohmann::json file = a.files.size() == 1 ? nlohmann::json(a.files[0]) : nlohmann::json(a.files);
  return {{"file", file}, {"form", a.gram ? "gram" : "dense"}, {"n", l.n}, {"d", l.d},
          {"bits", bits}, {"seconds", seconds}};
}

linalg::Precision precision_of(const MatrixArgs& a) {
  linalg::Precision p{a.max_bits, a.rel_width};
  if (isatty(STDERR_FILENO))
    p.on_escalate = [](int bits, long n) {
      std::fprintf(stderr, "escalating to %d-bit interval arithmetic (n = %ld)...\n", bits, n);
    };
  return p;
}

// Whether no binary64 interval around x can be narrow enough: its end points are binary64
// values, so its printed width is at least one unit in the last place of the larger end.
bool below_binary64(const Ival& x, double rel_width) {
  const double mag = x.mag();
  return mag > 0 && std::isfinite(mag) && num::add_up(num::next_up(mag), -mag) > rel_width * mag;
}

void explain_width(const MatrixArgs& a, const Loaded& l, const linalg::Precision& p, const Ival& x) {
  std::cout << "requested relative width " << a.rel_width << " not reached";
  if (std::isinf(x.hi) && x.lo >= DBL_MAX)
    std::cout << " (lambda_max is certified to exceed the largest binary64 number, " << DBL_MAX
              << ": the upper end cannot be written in binary64)";
  else if (below_binary64(x, a.rel_width))
    std::cout << " (the end points are binary64 values: no enclosure of this value is narrower "
                 "than one unit in their last place, "
              << linalg::relative_width_up(Ival(x.mag(), num::next_up(x.mag()))) << " relative)";
  else if (a.gram && l.m.radius > 0 && num::mul_up(2.0, fim_value(l, Ival(l.m.radius)).hi) > a.rel_width * x.mag())
    std::cout << " (the rounding error of the Gram product, " << fim_value(l, Ival(l.m.radius)).hi
              << (l.precise_gram ? " after double-double accumulation," : "") << " bounds the width)";
  else if (l.m.dim() > p.mp_max_dim)
    std::cout << " (matrices above " << p.mp_max_dim << " x " << p.mp_max_dim
              << " stay on the binary64 path)";
  else
    std::cout << " at " << a.max_bits << " bits";
  if (l.m.radius > 0 && !a.gram) std::cout << "; the input's own uncertainty bounds the width";
  std::cout << "\n";
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int run_lambda(const MatrixArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  if (a.per_group && !a.gram)
    throw io::InputError(a.files[0], "arguments", "--per-group speaks of score shards: add --gram");
  std::vector<fim::GroupCurvature> groups;
  Loaded l;
  if (a.per_group) {
    GroupedFim g = load_per_group(a.files, !a.json);
    l = std::move(g.fim);
    groups = std::move(g.groups);
  } else {
    l = load(a);
  }
  const linalg::Precision p = precision_of(a);
  linalg::Top top = enclose_refining_gram(
      l, a.files, a.rel_width, a.max_bits, !a.json, [&p](const linalg::SymMatrix& m) { return linalg::enclose_top(m, p); },
      [](const linalg::Top& t) { return std::optional<Ival>(t.lambda1); });
  top.lambda1 = fim_value(l, top.lambda1);
  if (top.gap) top.gap = fim_value(l, *top.gap);
  // Lemma 9: with n = 1 < d the FIM's lambda_2 is 0, so the gap is lambda_1; with d = 1 no gap.
  if (a.gram && l.n == 1) top.gap = l.d > 1 ? std::optional<Ival>(top.lambda1) : std::nullopt;
  const nlohmann::json printed = to_json(top.lambda1);
  // width_reached speaks of the printed interval, which a reader can check exactly
  const bool narrow = linalg::top_narrow_enough(top, a.rel_width) && num::printed_within(printed, a.rel_width);
  nlohmann::json j = header(a, l, top.bits, seconds_since(t0));
  j["lambda_max"] = printed;
  j["gap"] = to_json(top.gap);
  j["width_reached"] = narrow;
  if (a.per_group) j["groups"] = report::groups_json(groups);
  if (!a.report_dir.empty()) write_report(a, j, groups);
  if (a.json) {
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "lambda_max in " << to_text(top.lambda1) << "  (relative width "
              << linalg::relative_width_up(top.lambda1) << ", " << top.bits << " bits)\n";
    if (top.gap)
      std::cout << "gap lambda_1 - lambda_2 in " << to_text(*top.gap)
                << (top.gap->lo > 0                          ? "  (certified simple top eigenvalue)"
                    : top.gap->lo == 0 && top.gap->hi == 0 ? "  (gap = 0 exactly: lambda_1 is multiple)"
                                                           : "  (top eigenvalue not certified simple)")
                << "\n";
    if (!narrow) explain_width(a, l, p, top.lambda1);
    if (a.per_group) std::cout << report::groups_text(groups);
  }
  return narrow ? kOk : kUndecided;
}

int run_spectrum(const MatrixArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  Loaded l = load(a);
  const linalg::Precision p = precision_of(a);
  const linalg::Spectrum s = enclose_refining_gram(
      l, a.files, a.rel_width, a.max_bits, !a.json,
      [&p](const linalg::SymMatrix& m) { return linalg::enclose_spectrum(m, p); },
      [](const linalg::Spectrum& x) { return x.ok ? std::optional<Ival>(x.eig[0]) : std::nullopt; });
  const bool narrow = linalg::spectrum_narrow_enough(s, a.rel_width);
  const auto div = [&l](const Ival& x) { return fim_value(l, x); };
  if (a.json) {
    nlohmann::json j = header(a, l, s.bits, seconds_since(t0));
    j["eigenvalues"] = nlohmann::json::array();
    for (const Ival& x : s.eig) j["eigenvalues"].push_back(to_json(div(x)));
    j["lambda_max"] = s.eig.empty() ? nlohmann::json(nullptr) : to_json(div(s.eig[0]));
    j["gap"] = s.gap ? to_json(div(*s.gap)) : nlohmann::json(nullptr);
    if (a.gram) j["further_zero_eigenvalues"] = std::max<Eigen::Index>(0, l.d - l.n);
    j["width_reached"] = narrow;
    std::cout << j.dump(2) << "\n";
  } else {
    for (std::size_t i = 0; i < s.eig.size(); ++i)
      std::cout << "lambda_" << i + 1 << " in " << to_text(div(s.eig[i])) << "\n";
    if (!s.ok) std::cout << "no enclosure could be computed\n";
    else if (!narrow) explain_width(a, l, p, div(s.eig[0]));
  }
  return narrow ? kOk : kUndecided;
}

}  // namespace

void add_lambda(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("lambda", "Certified enclosure of lambda_max and the gap");
  auto a = std::make_shared<MatrixArgs>();
  add_matrix_options(cmd, *a);
  cmd->add_flag("--per-group", a->per_group,
                "With --gram on score shards: also the certified lambda_max and trace of each parameter "
                "group's diagonal block of the FIM (each parameter of a manifest, or each shard file), "
                "in the same pass over the shards");
  cmd->add_option("--report", a->report_dir,
                  "Write DIR/report.json, report.md and, with --per-group, groups.svg (a bar plot)");
  cmd->callback([a, &exit_code] { exit_code = run_lambda(*a); });
}

void add_spectrum(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("spectrum", "Certified enclosures of every eigenvalue");
  auto a = std::make_shared<MatrixArgs>();
  add_matrix_options(cmd, *a);
  cmd->callback([a, &exit_code] { exit_code = run_spectrum(*a); });
}

}  // namespace fim::cli
