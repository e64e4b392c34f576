// `fimcheck verify-cert`: re-checks a certificate in exact rational arithmetic. It shares nothing
// numeric with the code that produced the certificate: matrices are parsed from hex floats, every
// eigenvalue bound is confirmed by an exact inertia count (proofs/linear-algebra.md, Lemma 12),
// and the claim's inequality is evaluated in rationals.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace fim::report {

enum class CertStatus { Confirmed, Refuted, Malformed };

struct CertCheck {
  CertStatus status = CertStatus::Malformed;
  std::string reason;  // why refuted or malformed; what was confirmed otherwise
};

/// Confirms that the certificate proves its claim violated, refutes it when a bound or the final
/// inequality fails exactly, or reports it malformed.
CertCheck verify_certificate(const nlohmann::json& cert);

}  // namespace fim::report
