// The report of the curvature-monotonicity audit (C5, proofs/monotonicity.md): terminal lines,
// report.json, report.md and the SVG of lambda_1(F(t)) along every path.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "audit/monotonicity.hpp"

namespace fim::report {

using audit::Audit;
using audit::AuditOptions;

/// The per-path lines of the text report (also used by the demo).
std::string audit_text(const Audit& a, const AuditOptions& o);

/// report.json of an audit.
nlohmann::json audit_json(const Audit& a, const AuditOptions& o);
/// An SVG of lambda_1(F(t)) enclosures along every path, lambda_base and the witnesses marked.
std::string audit_svg(const Audit& a);
/// report.md (links the SVG written next to it as monotonicity.svg).
std::string audit_markdown(const Audit& a, const AuditOptions& o, const std::string& command);

}  // namespace fim::report
