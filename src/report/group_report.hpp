// Per-layer curvature (`fimcheck lambda --gram ... --per-group`): text lines, JSON, and the
// Markdown report with a bar plot of each group's lambda_max.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fim/group_curvature.hpp"

namespace fim::report {

/// One line per group: name, columns, certified lambda_max(F_gg) and trace(F_gg), exact ends.
std::string groups_text(const std::vector<fim::GroupCurvature>& groups);

/// The groups as a JSON array (name, columns, lambda_max and trace as exact enclosures).
nlohmann::json groups_json(const std::vector<fim::GroupCurvature>& groups);

/// The bar plot of every group's lambda_max (upper ends, log axis).
std::string groups_svg(const std::vector<fim::GroupCurvature>& groups);

/// report.md of `lambda`: the command, lambda_max of the whole FIM from `result` (the JSON that
/// lambda prints) and, when there are groups, their table and the plot groups.svg.
std::string lambda_markdown(const nlohmann::json& result, const std::vector<fim::GroupCurvature>& groups,
                            const std::string& command);

}  // namespace fim::report
