// report/audit_report.hpp on a tiny hand-made audit (three paths: monotone, with a certified drop,
// undecided; no model run): report.json has the fields the report promises with the right counts
// and findings and encloses every enclosure exactly; every interval printed in the text and the
// Markdown encloses one of the audit's enclosures (rounded outward, checked in rationals); the SVG
// is well-formed and labels every path. A forged text (ends rounded to nearest) is caught.
#include <doctest/doctest.h>

#include "report/audit_report.hpp"
#include "support/printed_checks.hpp"
#include "support/xml_check.hpp"

using fim::audit::Audit;
using fim::audit::AuditOptions;
using fim::audit::PathAudit;
using fim::claims::Verdict;
using fim::num::Ival;

namespace {

PathAudit path(const std::string& name, const std::vector<Ival>& lambda, std::optional<Ival> derivative,
               const Ival& base) {
  PathAudit p;
  p.description = name;
  for (std::size_t k = 0; k < lambda.size(); ++k) p.t.push_back(0.5 * static_cast<double>(k));
  p.lambda = lambda;
  p.derivative.value = derivative;
  if (!derivative) p.derivative.reason = "top eigenvalue not certified simple";
  fim::audit::decide_grid(p);
  fim::audit::decide_conclusion(p, base);
  return p;
}

Audit audit() {
  Audit a;
  a.spec = "mlp:d_in=4,hidden=3 <tiny & made by hand>";
  a.lambda_base = {1.2345, 1.2367};
  a.typical_norm = {2.0671, 2.0699};
  a.paths = {path("path 1 (monotone)", {a.lambda_base, {1.31, 1.317}, {1.4, 1.41}, {1.52, 1.5301}}, Ival{0.123, 0.1277}, a.lambda_base),
             path("path 2 (drops)", {a.lambda_base, {1.3, 1.3071}, {1.11, 1.1234}, {0.9871, 0.9922}}, Ival{0.0517, 0.0601}, a.lambda_base),
             path("path 3 (undecided)", {a.lambda_base, {1.2301, 1.2401}, {1.2391, 1.2499}, {1.2467, 1.2555}}, std::nullopt, a.lambda_base)};
  return a;
}

AuditOptions options() {
  AuditOptions o;
  o.paths = 3;
  o.grid = 3;
  o.t_max = 1.5;
  o.ensemble = 16;
  return o;
}

// Every enclosure the audit holds or derives for printing.
std::vector<Ival> enclosures(const Audit& a) {
  std::vector<Ival> all = {a.lambda_base, a.typical_norm};
  for (const auto& p : a.paths) {
    all.insert(all.end(), p.lambda.begin(), p.lambda.end());
    if (p.derivative.value) all.push_back(*p.derivative.value);
    for (double t : p.t) all.push_back(fim::audit::in_typical_norms(t, a.typical_norm));
  }
  return all;
}

}  // namespace

TEST_CASE("the hand-made paths are decided as designed (the fixture is what the test says)") {
  const Audit a = audit();
  CHECK(a.paths[0].hypothesis == Verdict::Holds);
  CHECK(a.paths[1].hypothesis == Verdict::HypothesisFails);
  REQUIRE(a.paths[1].first_drop.has_value());
  CHECK(a.paths[1].first_drop == std::pair<int, int>(0, 2));  // lambda(1) < lambda_base already
  CHECK(a.paths[1].witness == std::pair<int, int>(1, 3));
  CHECK(a.paths[2].hypothesis == Verdict::Undecided);
}

TEST_CASE("report.json: fields, findings and exact enclosures") {
  const Audit a = audit();
  const auto j = fim::report::audit_json(a, options());
  for (const char* key : {"claim", "model", "fisher", "hypothesis", "conclusion", "path", "grid", "t_max", "ensemble",
                          "seed", "typical_input_norm", "lambda_base", "paths"})
    CHECK(j.contains(key));
  CHECK(j["claim"] == "monotonicity");
  CHECK(j["model"] == a.spec);
  CHECK(j["grid"] == 3);
  CHECK(fim::test::json_encloses(j["lambda_base"], a.lambda_base));
  CHECK(fim::test::json_encloses(j["typical_input_norm"]["value"], a.typical_norm));
  REQUIRE(j["paths"].size() == 3);
  const char* findings[] = {"HOLDS", "HYPOTHESIS_FAILS", "UNDECIDED"};
  for (std::size_t k = 0; k < 3; ++k) {
    const auto& jp = j["paths"][k];
    const auto& p = a.paths[k];
    CHECK(jp["hypothesis"] == findings[k]);
    REQUIRE(jp["lambda_max"].size() == p.lambda.size());
    for (std::size_t i = 0; i < p.lambda.size(); ++i) CHECK(fim::test::json_encloses(jp["lambda_max"][i], p.lambda[i]));
    CHECK(jp["conclusion_strict"].size() == p.lambda.size() - 1);
    CHECK(jp["overlapping_neighbours"] == p.overlapping.size());
    if (p.derivative.value) CHECK(fim::test::json_encloses(jp["right_derivative_at_0"]["value"], *p.derivative.value));
    else CHECK(jp["right_derivative_at_0"]["sign"] == "not certified");
  }
  const auto& drop = j["paths"][1]["first_certified_drop"];
  CHECK(drop["t_a"] == 0.0);
  CHECK(drop["t_b"] == 1.0);
  CHECK(fim::test::json_encloses(drop["lambda_b"], a.paths[1].lambda[2]));
  CHECK(fim::test::json_encloses(drop["t_b_in_typical_norms"], fim::audit::in_typical_norms(1.0, a.typical_norm)));
  CHECK(j["paths"][0]["first_certified_drop"].is_null());
  CHECK(j["paths"][0]["strict_on_grid"] == "true");
  CHECK(j["paths"][1]["strict_on_grid"] == "false");
}

TEST_CASE("text and Markdown: every printed interval rounded outward around an enclosure") {
  const Audit a = audit();
  const auto all = enclosures(a);
  int printed = 0;
  const std::string text = fim::report::audit_text(a, options());
  CHECK(fim::test::unenclosing(text, all, printed).empty());
  CHECK(printed >= 5);  // two derivatives, the drop's two lambdas and its t in typical norms
  CHECK(text.find("HYPOTHESIS_FAILS (the monotonicity hypothesis fails on this path)") != std::string::npos);
  const std::string md = fim::report::audit_markdown(a, options(), "fimcheck audit monotonicity --model X");
  CHECK(fim::test::unenclosing(md, all, printed).empty());
  CHECK(printed >= 4);  // lambda_base, the typical norm, two derivatives, the drop's t
  CHECK(md.find("fimcheck audit monotonicity --model X") != std::string::npos);
  for (const auto& p : a.paths) CHECK(md.find("| " + p.description + " | ") != std::string::npos);
}

TEST_CASE("the SVG is well-formed and labels every path and the certified drop") {
  const Audit a = audit();
  const auto s = fim::test::scan_xml(fim::report::audit_svg(a));
  INFO(s.error);
  REQUIRE(s.well_formed);
  CHECK(s.text.find(a.spec) != std::string::npos);  // '<' and '&' in the model name, escaped
  for (const char* label : {"path 1 (HOLDS)", "path 2 (HYPOTHESIS_FAILS)", "path 3 (UNDECIDED)", "certified drop (largest)", "lambda_base"})
    CHECK(s.text.find(label) != std::string::npos);
}

TEST_CASE("a forged text with ends rounded to nearest is caught") {
  const Audit a = audit();
  int printed = 0;
  // lambda_base [1.2345, 1.2367] to 3 digits by nearest: [1.23, 1.24] encloses it; the drop's
  // lambda [1.11, 1.1234] prints [1.11, 1.12] by nearest, missing its upper end
  CHECK(fim::test::unenclosing("lambda in [1.11, 1.12]", enclosures(a), printed).size() == 1);
  CHECK(fim::test::unenclosing("lambda in [1.11, 1.13]", enclosures(a), printed).empty());
}
