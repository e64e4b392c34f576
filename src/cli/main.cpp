#include <algorithm>
#include <csignal>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cluster/cluster.hpp"
#include "io/matrix_io.hpp"
#include "numeric/fp.hpp"

namespace {

/// Levenshtein distance between a and b (insertions, deletions, substitutions each cost 1).
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

/// When the first argument names no subcommand, one line naming it with the closest command (if
/// at most 2 edits away) and the list of commands, and the exit code 2; else -1 (go on parsing).
int refuse_unknown_command(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return -1;
  const std::string word = argv[1];
  std::string names, best;
  std::size_t best_distance = 3;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    const std::string& name = sub->get_name();
    if (name == word) return -1;
    names += (names.empty() ? "" : ", ") + name;
    if (const std::size_t d = edit_distance(word, name); d < best_distance) best_distance = d, best = name;
  }
  std::fprintf(stderr, "fimcheck: unknown command '%s'%s Commands: %s (see fimcheck --help)\n", word.c_str(),
               best.empty() ? "." : ("; did you mean '" + best + "'?").c_str(), names.c_str());
  return fim::cli::kBadInput;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace fim::cli;
  if (!fim::num::arithmetic_is_ieee_nearest()) {
    std::fprintf(stderr, "fimcheck: this process does not round binary64 to nearest with "
                         "subnormals (FTZ/DAZ or a rounding mode is set): refusing to certify\n");
    return kBadInput;
  }
  // A file-size limit (ulimit -f) makes a too-large write fail with EFBIG, reported as one line
  // naming the file (io/atomic_file.hpp), instead of killing the process with SIGXFSZ.
  std::signal(SIGXFSZ, SIG_IGN);
  std::optional<fim::cluster::Session> ranks;
  try {
    ranks.emplace(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fimcheck: %s\n", e.what());
    return kBadInput;
  }
  // Under mpirun every rank computes its part; only rank 0 prints (results, progress and errors:
  // a rank's input error reaches rank 0 through the collective that needed its part).
  if (!fim::cluster::world().root() &&
      (!std::freopen("/dev/null", "w", stdout) || !std::freopen("/dev/null", "w", stderr)))
    return kBadInput;
  CLI::App app{"fimcheck: certified checks of spectral claims about the empirical Fisher "
               "information matrix under weight quantization"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Help for every subcommand");
  app.set_version_flag("--version", std::string("fimcheck " FIMCHECK_VERSION) +
                                        (fim::cluster::built_with_mpi() ? " (with OpenMPI: runs under mpirun)"
                                                                        : " (without OpenMPI: one process)"));
  // Every option's --help shows its default: inherited by every subcommand added below.
  app.option_defaults()->always_capture_default();
  int exit_code = kOk;
  add_lambda(app, exit_code);
  add_spectrum(app, exit_code);
  add_check(app, exit_code);
  add_verify(app, exit_code);
  add_partition(app, exit_code);
  add_sigma(app, exit_code);
  add_calibrate(app, exit_code);
  add_quantize(app, exit_code);
  add_scores(app, exit_code);
  add_audit(app, exit_code);
  add_experiment(app, exit_code);
  add_merge(app, exit_code);
  add_demo(app, exit_code);
  if (const int refused = refuse_unknown_command(app, argc, argv); refused >= 0) return refused;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    // One line, as every refusal: the parser's reason and where the options are listed.
    std::string where = "fimcheck";
    for (const CLI::App* sub : app.get_subcommands()) where += " " + sub->get_name();
    std::fprintf(stderr, "fimcheck: %s (see %s --help)\n", e.what(), where.c_str());
    return kBadInput;
  } catch (const fim::io::InputError& e) {
    std::fprintf(stderr, "fimcheck: %s\n", e.what());
    return kBadInput;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fimcheck: error: %s\n", e.what());
    return kBadInput;
  }
  return exit_code;
}
