// fimcheck verify-cert FILE: parses the arguments and hands the file to the independent verifier
// (src/verify, proofs/verify.md); prints its one line and returns its exit code.
#include <iostream>

#include "cli/commands.hpp"
#include "verify/verify.hpp"

namespace fim::cli {
namespace {

int run_verify(const std::string& path) {
  const verify::Check c = verify::verify_file(path);
  switch (c.status) {
    case verify::Status::Confirmed:
      std::cout << "CONFIRMED in exact rational arithmetic: " << c.reason << "\n";
      return kOk;
    case verify::Status::NotConfirmed:
      std::cout << "NOT CONFIRMED: " << c.reason << "\n";
      return kCounterexample;
    case verify::Status::Refused: break;
  }
  std::cerr << "fimcheck: " << path << ": certificate refused: " << c.reason << "\n";
  return kBadInput;
}

}  // namespace

void add_verify(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "verify-cert", "Re-check a certificate exactly: exit 0 confirmed, 1 not confirmed, 2 refused (malformed)");
  auto path = std::make_shared<std::string>();
  cmd->add_option("FILE", *path, "cert-K.json written by fimcheck check --report")->required();
  cmd->callback([path, &exit_code] { exit_code = run_verify(*path); });
}

}  // namespace fim::cli
