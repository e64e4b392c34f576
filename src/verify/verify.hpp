// `fimcheck verify-cert`: the independent exact re-check of a counterexample certificate (S8). This
// library is its whole trusted base with GMP and nlohmann-json (proofs/verify.md): it includes
// nothing of the checker it re-checks (tests/cli/verify_independent.sh).
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "verify/cert.hpp"

namespace fim::verify {

/// Checks a certificate given as JSON text: Confirmed (it proves its claim's variant false),
/// NotConfirmed (its bounds do not show a counterexample) or Refused (malformed, unknown, too
/// large); the reason is one line. Never throws.
Check verify_text(const std::string& text);
/// The same for a certificate already parsed (it is written out and read back strictly).
Check verify_certificate(const nlohmann::json& cert);
/// The same for the certificate in a file (unreadable or larger than 64 MB: Refused).
Check verify_file(const std::string& path);

}  // namespace fim::verify
