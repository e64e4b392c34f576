// The inflation experiment's report: JSON, a terminal summary, Markdown and SVG (C8,
// proofs/inflation.md). The shared-baseline reading leads everywhere.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "monitor/experiment.hpp"

namespace fim::report {

using monitor::InflationOptions;
using monitor::ModelInflation;

/// report.json, the shared-baseline reading first (keys in the order written).
nlohmann::ordered_json inflation_json(const std::vector<ModelInflation>& r, const InflationOptions& o, double seconds);
/// A few lines for the terminal, including the plain answer about the paper's 244x.
std::string inflation_summary(const std::vector<ModelInflation>& r, const InflationOptions& o, double seconds);
/// DIR/report.json, report.md, inflation.svg and traces.svg, each written atomically.
void write_inflation_report(const std::string& dir, const std::vector<ModelInflation>& r, const InflationOptions& o,
                            const nlohmann::ordered_json& j);

}  // namespace fim::report
