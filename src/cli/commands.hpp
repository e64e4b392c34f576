// Each subcommand registers itself on the app and reports its exit code through `exit_code`
// (S9: 0 decided, 1 counterexample, 2 bad usage or input, 3 undecided).
#pragma once
#include <string>

#include <CLI/CLI.hpp>

namespace fim::cli {

enum Exit : int { kOk = 0, kCounterexample = 1, kBadInput = 2, kUndecided = 3 };

/// `--jobs N` on cmd (N >= 1; `jobs` holds its default, every core): the threads deciding `what`,
/// which changes how fast, never what is printed or written.
inline void add_jobs_option(CLI::App& cmd, int& jobs, const std::string& what) {
  cmd.add_option("--jobs", jobs, "Threads deciding " + what + " in parallel; the output does not depend on it")
      ->default_str("every core, " + std::to_string(jobs) + " here")
      ->check(CLI::Range(1, 1024));
}

void add_lambda(CLI::App& app, int& exit_code);
void add_spectrum(CLI::App& app, int& exit_code);
void add_demo(CLI::App& app, int& exit_code);
void add_check(CLI::App& app, int& exit_code);
void add_verify(CLI::App& app, int& exit_code);
void add_partition(CLI::App& app, int& exit_code);
void add_sigma(CLI::App& app, int& exit_code);
void add_calibrate(CLI::App& app, int& exit_code);
void add_quantize(CLI::App& app, int& exit_code);
void add_scores(CLI::App& app, int& exit_code);
void add_audit(CLI::App& app, int& exit_code);
void add_experiment(CLI::App& app, int& exit_code);
void add_merge(CLI::App& app, int& exit_code);

}  // namespace fim::cli
