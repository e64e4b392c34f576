// What a slice carries (report/slice.hpp), as exact JSON: every binary64 value and enclosure end
// as a hex float, so that the merge writes the report a single run writes. check: the RunResult
// (counts, tightness, undecided cases, each counterexample with its matrices, enclosures and
// certificate); audit: the enclosures of its paths; experiment: its trajectories' enclosures.
#pragma once
#include <nlohmann/json.hpp>

#include "audit/monotonicity.hpp"
#include "monitor/experiment.hpp"
#include "search/run.hpp"

namespace fim::report {

/// r as JSON (the --case outcome and the targeted search are not part of a slice).
nlohmann::json run_result_json(const search::RunResult& r);

/// The RunResult run_result_json wrote; throws io::InputError on anything else.
search::RunResult run_result_from_json(const nlohmann::json& j);

/// The enclosures of an audit's paths (enclose_paths; nothing decided) and back.
nlohmann::json audit_paths_json(const audit::Audit& a);
audit::Audit audit_paths_from_json(const nlohmann::json& j);

/// Some trajectories of every model of an experiment, and back.
nlohmann::json trajectories_json(const std::vector<monitor::ModelTrajectories>& models);
std::vector<monitor::ModelTrajectories> trajectories_from_json(const nlohmann::json& j);

}  // namespace fim::report
