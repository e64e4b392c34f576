// report/slice.hpp and search::merge_runs: `--shard I/N` is parsed strictly; a set of slices is
// accepted only as the slices 0..N-1 of one run, each once with its own units (an overlapping or
// duplicated slice, a missing one, one of another run, N or version, a forged range or edited
// arguments are refused, naming the slice); binary64 values travel exactly; and three slices of a
// run of weyl's false variant, each through its JSON, merge into the report the single run writes
// (counts, counterexamples, certificates), while leaving a slice out or merging out of order
// changes what is reported.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "io/matrix_io.hpp"
#include "report/check_report.hpp"
#include "report/run_json.hpp"
#include "report/slice.hpp"

using fim::report::SliceReport;

namespace {

const std::string kVersion = "9.9.9";

SliceReport slice(int index, int count, long long units, const nlohmann::json& args = {{"seed", 1}}) {
  SliceReport s{"check", args, {index, count}, units, fim::cluster::slice_of(units, index, count), nullptr, 0, "", ""};
  s.source = "dir" + std::to_string(index);
  return s;
}

// The message whole_run refuses `slices` with ("" when it accepts them).
std::string refusal(const std::vector<SliceReport>& slices) {
  try {
    fim::report::whole_run(slices);
    return "";
  } catch (const fim::io::InputError& e) {
    return e.what();
  }
}

nlohmann::json timeless(nlohmann::json j) {
  j.erase("seconds");
  return j;
}

}  // namespace

TEST_CASE("--shard I/N: 0 <= I < N, integers written plainly") {
  const auto s = fim::report::parse_shard("2/3");
  REQUIRE(s);
  CHECK(s->index == 2);
  CHECK(s->count == 3);
  CHECK(fim::report::parse_shard("0/1"));
  for (const char* bad : {"3/3", "-1/3", "1/0", "a/b", "1", "1/3/4", "01/3", "+1/3", " 1/3", "1/ 3", "", "/", "0/10000001"})
    CHECK_MESSAGE(!fim::report::parse_shard(bad), bad);
}

TEST_CASE("the slices of one run are accepted in any order, and returned in slice order") {
  const auto whole = fim::report::whole_run({slice(2, 3, 10), slice(0, 3, 10), slice(1, 3, 10)});
  REQUIRE(whole.size() == 3);
  for (int i = 0; i < 3; ++i) CHECK(whole[static_cast<std::size_t>(i)].shard.index == i);
  CHECK(refusal({slice(0, 3, 2), slice(1, 3, 2), slice(2, 3, 2)}).empty());  // more slices than units
}

TEST_CASE("overlapping, missing and foreign slices are refused, naming the slice") {
  CHECK(refusal({slice(0, 3, 10), slice(1, 3, 10), slice(1, 3, 10), slice(2, 3, 10)}).find("dir1: slice 1/3: is given twice") !=
        std::string::npos);
  CHECK(refusal({slice(0, 3, 10), slice(2, 3, 10)}).find("slice 1/3 of check is missing") != std::string::npos);
  CHECK(refusal({slice(0, 3, 10), slice(1, 3, 10, {{"seed", 2}}), slice(2, 3, 10)}).find("dir1: slice 1/3: is from a different run") !=
        std::string::npos);
  CHECK(refusal({slice(0, 3, 10), slice(1, 2, 10), slice(2, 3, 10)}).find("dir1: slice 1/2: is one of 2 slices") !=
        std::string::npos);
  SliceReport overlapping = slice(1, 3, 10);
  overlapping.range.begin -= 1;  // [3, 7) instead of [4, 7): case 3 would count twice
  CHECK(refusal({slice(0, 3, 10), overlapping, slice(2, 3, 10)}).find("dir1: slice 1/3: holds units [3, 7)") != std::string::npos);
  CHECK(refusal({}).find("no slice") != std::string::npos);
}

TEST_CASE("a slice of another version or with edited arguments is refused when read") {
  const nlohmann::json j = fim::report::slice_json(slice(0, 2, 10), kVersion);
  CHECK_NOTHROW(fim::report::slice_from_json(j, "s0", kVersion));
  CHECK_THROWS_WITH(fim::report::slice_from_json(j, "s0", "1.0.0"),
                    doctest::Contains("written by fimcheck 9.9.9, this is fimcheck 1.0.0"));
  nlohmann::json edited = j;
  edited["arguments"]["seed"] = 2;
  CHECK_THROWS_WITH(fim::report::slice_from_json(edited, "s0", kVersion), doctest::Contains("fingerprint"));
  CHECK_THROWS_WITH(fim::report::slice_from_json(nlohmann::json{{"format", "other"}}, "s0", kVersion),
                    doctest::Contains("not a slice report"));
}

TEST_CASE("binary64 values travel exactly") {
  const double inf = std::numeric_limits<double>::infinity();
  for (double x : {0.0, -0.0, 1.0 / 3, -2.5e-310, 1e308, inf, -inf, std::nextafter(1.0, 2.0)}) {
    const double y = fim::report::exact_double(fim::report::exact_json(x));
    CHECK(std::signbit(y) == std::signbit(x));
    CHECK(std::memcmp(&x, &y, sizeof x) == 0);
  }
  CHECK(std::isnan(fim::report::exact_double(fim::report::exact_json(std::nan("")))));
  CHECK_THROWS_AS(fim::report::exact_double("0x1p+0 "), fim::io::InputError);
  CHECK_THROWS_AS(fim::report::exact_double(1.0), fim::io::InputError);
  Eigen::MatrixXd m(2, 3);
  m << 1.0 / 3, -0.0, 5e-324, 2, -1.0 / 7, 1e-300;
  CHECK(fim::report::exact_matrix(fim::report::exact_json(m)) == m);
}

TEST_CASE("three slices of a run, each through its JSON, merge into the single run's report") {
  const fim::claims::Claim& weyl = *fim::claims::find_claim("weyl");
  fim::search::RunOptions o;
  o.variant = "half-top";
  o.cases = 60;
  o.seed = 5;
  o.dim_lo = 2;
  o.dim_hi = 5;
  o.max_counterexamples = 3;
  o.jobs = 1;
  const auto variant = *fim::claims::find_variant(weyl, o.variant);
  const fim::search::RunResult one = fim::search::run_cases(weyl, o);
  REQUIRE(one.counterexamples.size() == 3);
  std::vector<fim::search::RunResult> parts;
  for (int i = 0; i < 3; ++i) {
    fim::search::RunOptions so = o;
    const auto range = fim::cluster::slice_of(o.cases, i, 3);
    so.slice_begin = static_cast<int>(range.begin);
    so.slice_end = static_cast<int>(range.end);
    const nlohmann::json sent = fim::report::run_result_json(fim::search::run_cases(weyl, so));
    parts.push_back(fim::report::run_result_from_json(nlohmann::json::parse(sent.dump())));
  }
  int slices_with_counterexamples = 0;
  for (const auto& p : parts) slices_with_counterexamples += !p.counterexamples.empty();
  CHECK(slices_with_counterexamples >= 2);  // the merge has a choice to make
  const nlohmann::json want = timeless(fim::report::check_report(weyl, variant, o, one));
  const fim::search::RunResult merged = fim::search::merge_runs(parts, o);
  CHECK(timeless(fim::report::check_report(weyl, variant, o, merged)) == want);
  for (std::size_t k = 0; k < one.counterexamples.size(); ++k)
    CHECK(merged.counterexamples[k].outcome.certificate == one.counterexamples[k].outcome.certificate);

  // False variants: a slice left out, or the slices out of order, give another report.
  const fim::search::RunResult missing = fim::search::merge_runs({parts[0], parts[2]}, o);
  int counted = 0;
  for (int n : missing.counts) counted += n;
  CHECK(counted < o.cases);
  CHECK(timeless(fim::report::check_report(weyl, variant, o, missing)) != want);
  const fim::search::RunResult shuffled = fim::search::merge_runs({parts[2], parts[1], parts[0]}, o);
  CHECK(timeless(fim::report::check_report(weyl, variant, o, shuffled))["counterexamples"] != want["counterexamples"]);
}
