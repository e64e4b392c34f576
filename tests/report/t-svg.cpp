// report/svg.hpp: plots are well-formed XML (tests/support/xml_check.hpp) whose text carries the
// title, both axis titles, every series label and every reference line's label, with '<', '>', '&'
// and quotes in labels escaped; non-finite points and non-positive values on log axes are skipped,
// and an empty plot says so. The check is shown rejecting forged SVG (an unescaped '&', an unclosed
// element, an unquoted attribute).
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "report/svg.hpp"
#include "support/xml_check.hpp"

using fim::report::Axis;
using fim::report::Series;
using fim::test::scan_xml;

namespace {
int count(const std::vector<std::string>& v, const std::string& name) {
  int n = 0;
  for (const auto& x : v) n += x == name;
  return n;
}
bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("plot_svg: well-formed, every label present and escaped") {
  const std::vector<Series> series = {{"a < b & \"c\"", {1, 2, 3, 4}, {1, 10, 100, 1000}, false},
                                      {"line > 0", {1, 2, 4}, {2, 4, 8}, true}};
  for (bool log : {false, true}) {
    CAPTURE(log);
    const std::string svg = fim::report::plot_svg("title & <more>", {"x axis", false}, {"y's axis", log}, series,
                                                  {{5.0, "ref <5>"}, {50.0, "ref & 50"}});
    const auto s = scan_xml(svg);
    INFO(s.error);
    REQUIRE(s.well_formed);
    CHECK(s.elements.front() == "svg");
    for (const char* label : {"title & <more>", "x axis", "y's axis", "a < b & \"c\"", "line > 0", "ref <5>", "ref & 50"}) {
      CAPTURE(label);
      CHECK(has(s.text, label));
    }
    CHECK(count(s.elements, "polyline") + count(s.elements, "path") >= 1);  // the line series
    CHECK(count(s.elements, "circle") + count(s.elements, "rect") + count(s.elements, "path") >= 4);  // 4 markers
  }
}

TEST_CASE("plot_svg: non-finite points and log-axis non-positives are skipped; empty plots say so") {
  const Series bad{"bad points", {1, NAN, 3, INFINITY, 5}, {1, 2, -3, 4, 0}, false};
  const std::string svg = fim::report::plot_svg("skips", {"x", false}, {"y", true}, {bad});
  const auto s = scan_xml(svg);
  REQUIRE(s.well_formed);
  CHECK_FALSE(has(svg, "nan"));
  CHECK_FALSE(has(svg, "inf"));
  const std::string empty = fim::report::plot_svg("nothing", {"x", false}, {"y", false}, {});
  const auto e = scan_xml(empty);
  REQUIRE(e.well_formed);
  CHECK(has(e.text, "nothing"));
  CHECK((has(e.text, "no data") || has(e.text, "No data") || has(e.text, "empty") || has(e.text, "no points")));
}

TEST_CASE("spectra_svg: well-formed, one labelled row per matrix, ticks for every eigenvalue") {
  const std::string svg = fim::report::spectra_svg("A & A + E", {{"A", {1, 2, 3}}, {"A + E <pert>", {1.5, 2, 3.25, 4}}});
  const auto s = scan_xml(svg);
  INFO(s.error);
  REQUIRE(s.well_formed);
  CHECK(has(s.text, "A & A + E"));
  CHECK(has(s.text, "A + E <pert>"));
  CHECK(count(s.elements, "line") >= 7);  // 3 + 4 eigenvalue ticks at least
}

TEST_CASE("the XML check rejects forged SVG") {
  const std::string good = R"(<svg xmlns="http://www.w3.org/2000/svg"><text x="1">a &amp; b</text><line x1="0"/></svg>)";
  REQUIRE(scan_xml(good).well_formed);
  CHECK(scan_xml(good).text == "a & b ");
  CHECK_FALSE(scan_xml(R"(<svg><text>a & b</text></svg>)").well_formed);       // unescaped '&'
  CHECK_FALSE(scan_xml(R"(<svg><text>a < b</text></svg>)").well_formed);       // unescaped '<'
  CHECK_FALSE(scan_xml(R"(<svg><g><text>x</text></svg>)").well_formed);        // <g> not closed
  CHECK_FALSE(scan_xml(R"(<svg><text x=1>x</text></svg>)").well_formed);       // unquoted attribute
  CHECK_FALSE(scan_xml(R"(<svg><text x="a"b">x</text></svg>)").well_formed);   // quote inside a value
  CHECK_FALSE(scan_xml(R"(<svg></svg><svg></svg>)").well_formed);              // two roots
  CHECK_FALSE(scan_xml("").well_formed);
}
