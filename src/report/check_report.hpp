// The report of a `fimcheck check` run: JSON for machines, Markdown for people, certificates (S8).
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "claims/claim.hpp"
#include "search/run.hpp"

namespace fim::report {

/// The command line that reproduces case k of this run alone.
std::string reproduce_command(const claims::Claim& claim, const search::RunOptions& o, int k);

/// report.json: claim, variant, seed, counts per verdict, tightness statistics, and each
/// counterexample exactly (hex floats), with its enclosures, shrink size, certificate file name
/// and reproducing command.
nlohmann::json check_report(const claims::Claim& claim, const claims::Variant& v,
                            const search::RunOptions& o, const search::RunResult& r);

/// report.md for a person, from the JSON report.
std::string check_markdown(const nlohmann::json& report);

/// One line: counts per verdict, tightness range, time.
std::string check_summary(const nlohmann::json& report);

/// Writes DIR/report.json, DIR/report.md and DIR/cert-K.json (one per counterexample), each
/// atomically; creates DIR if needed.
void write_check_report(const std::string& dir, const claims::Claim& claim, nlohmann::json report,
                        const search::RunResult& r);

}  // namespace fim::report
