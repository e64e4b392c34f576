// fimcheck verify-cert FILE: exact re-check of a counterexample certificate (S8).
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "io/matrix_io.hpp"
#include "report/verify_cert.hpp"

namespace fim::cli {
namespace {

int run_verify(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw io::InputError(path, "file", "cannot open");
  nlohmann::json cert;
  try {
    cert = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw io::InputError(path, "byte " + std::to_string(e.byte), "not JSON");
  }
  const report::CertCheck c = report::verify_certificate(cert);
  switch (c.status) {
    case report::CertStatus::Confirmed:
      std::cout << "CONFIRMED in exact rational arithmetic: " << c.reason << "\n";
      return kOk;
    case report::CertStatus::Refuted:
      std::cout << "REFUTED: " << c.reason << "\n";
      return kCounterexample;
    case report::CertStatus::Malformed: break;
  }
  throw io::InputError(path, "certificate", c.reason);
}

}  // namespace

void add_verify(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "verify-cert", "Re-check a certificate exactly: exit 0 confirmed, 1 refuted, 2 malformed");
  auto path = std::make_shared<std::string>();
  cmd->add_option("FILE", *path, "cert-K.json written by fimcheck check --report")->required();
  cmd->callback([path, &exit_code] { exit_code = run_verify(*path); });
}

}  // namespace fim::cli
