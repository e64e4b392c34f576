#include "report/group_report.hpp"

#include <sstream>

#include "numeric/enclosure_json.hpp"
#include "report/rounded.hpp"
#include "report/svg.hpp"

namespace fim::report {

std::string groups_text(const std::vector<fim::GroupCurvature>& groups) {
  std::ostringstream o;
  o << "per group (diagonal blocks F_gg = G_g^T G_g / n of the FIM, one per parameter group):\n";
  for (const fim::GroupCurvature& g : groups)
    o << "  " << g.name << "  columns [" << g.c0 << ", " << g.c1 << ")  lambda_max in "
      << num::to_text(g.lambda_max) << "  trace in " << num::to_text(g.trace) << "\n";
  return o.str();
}

nlohmann::json groups_json(const std::vector<fim::GroupCurvature>& groups) {
  nlohmann::json a = nlohmann::json::array();
  for (const fim::GroupCurvature& g : groups)
    a.push_back({{"name", g.name}, {"columns", {g.c0, g.c1}}, {"lambda_max", num::to_json(g.lambda_max)},
                 {"trace", num::to_json(g.trace)}});
  return a;
}

std::string groups_svg(const std::vector<fim::GroupCurvature>& groups) {
  std::vector<std::pair<std::string, double>> rows;
  for (const fim::GroupCurvature& g : groups) rows.emplace_back(g.name, g.lambda_max.hi);
  return bars_svg("lambda_max of each group's block of the FIM (upper ends)", {"lambda_max(F_gg)", true}, rows);
}

std::string lambda_markdown(const nlohmann::json& result, const std::vector<fim::GroupCurvature>& groups,
                            const std::string& command) {
  std::ostringstream o;
  o << "# fimcheck lambda\n\n`" << command << "`\n\n";
  o << "- scores: n = " << result.value("n", 0) << " samples, d = " << result.value("d", 0) << " parameters\n";
  o << "- lambda_max(F) in [" << result["lambda_max"]["lo"].get<std::string>() << ", "
    << result["lambda_max"]["hi"].get<std::string>() << "] (certified; exact ends in report.json)\n";
  if (groups.empty()) return o.str();
  o << "\n## Per group\n\nEach group's diagonal block F_gg = G_g^T G_g / n of the FIM: certified lambda_max "
       "and trace (shown rounded outward to 3 digits; exact ends in report.json). The blocks' lambda_max "
       "need not add up to the whole FIM's: the off-diagonal blocks couple the groups.\n\n";
  o << "![lambda_max per group](groups.svg)\n\n| group | columns | lambda_max(F_gg) | trace(F_gg) |\n|---|---|---|---|\n";
  for (const fim::GroupCurvature& g : groups)
    o << "| `" << g.name << "` | [" << g.c0 << ", " << g.c1 << ") | " << rounded(g.lambda_max) << " | "
      << rounded(g.trace) << " |\n";
  return o.str();
}

}  // namespace fim::report
