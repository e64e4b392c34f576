#include "report/check_report.hpp"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include <Eigen/Dense>

#include "claims/eigen_inequality.hpp"
#include "io/atomic_file.hpp"
#include "report/svg.hpp"

namespace fim::report {
using io::write_atomically;
using claims::Verdict;

namespace {

// Cases per rung that decided them: every rung of the ladder (zeros included) and the exact
// fallback, each under its own label.
nlohmann::json cases_by_precision(const linalg::Precision& p, const num::RungCounts& counts) {
  nlohmann::json j = nlohmann::json::object();
  for (int rung : p.ladder()) j[num::RungCounts::label(rung)] = counts.at(rung);
  j[num::RungCounts::label(num::kExact)] = counts.at(num::kExact);
  for (const auto& [rung, n] : counts.by_rung())  // a rung beyond the ladder cannot occur; shown if it did
    if (!j.contains(num::RungCounts::label(rung))) j[num::RungCounts::label(rung)] = n;
  return j;
}

const Verdict kVerdicts[] = {Verdict::Holds, Verdict::Violated, Verdict::Undecided,
                             Verdict::HypothesisFails};

std::string family_name(search::Family f) {
  return f == search::Family::Random ? "random" : f == search::Family::Adversarial ? "adversarial" : "all";
}

nlohmann::json tightness_stats(std::vector<double> t, const std::string& meaning) {
  if (t.empty()) return nullptr;
  std::sort(t.begin(), t.end());
  return {{"meaning", meaning}, {"cases", t.size()}, {"min", t.front()}, {"median", t[t.size() / 2]}, {"max", t.back()},
          {"note", "estimates from enclosure midpoints, for statistics; verdicts never use them"}};
}

// For a stated claim whose HOLDS come in kinds (Claim::holds_scopes): how many HOLDS have the
// hypothesis certified, then how many of each kind; null otherwise.
nlohmann::json holds_detail(const claims::Claim& claim, const claims::Variant& v, const search::RunResult& r) {
  if (claim.holds_scopes().empty() || !v.proved) return nullptr;
  nlohmann::json j = nlohmann::json::object();
  int total = 0;
  for (const auto& [key, meaning] : claim.holds_scopes()) {
    const auto it = r.holds_scopes.find(key);
    j[key] = it == r.holds_scopes.end() ? 0 : it->second;
    total += j[key].get<int>();
  }
  j["hypothesis_certified"] = total;
  return j;
}

nlohmann::json holds_meaning(const claims::Claim& claim) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [key, meaning] : claim.holds_scopes()) j[key] = meaning;
  return j.empty() ? nlohmann::json(nullptr) : j;
}

std::string cert_name(int k) { return k >= 0 ? "cert-" + std::to_string(k) + ".json" : "cert-search.json"; }

}  // namespace

std::string reproduce_command(const claims::Claim& claim, const search::RunOptions& o, int k) {
  std::ostringstream s;
  s << "fimcheck check " << claim.command();
  if (claim.name() != "user") s << " --variant " << o.variant;
  s << " --seed " << o.seed
    << " --dim " << o.dim_lo << ".." << o.dim_hi << " --family " << family_name(o.family);
  if (k >= 0) s << " --case " << k;  // k < 0: found by the targeted search
  else {
    s << " --cases " << o.cases << " --search";
    if (o.search_budget > 0) s << " --budget " << o.search_budget;
    if (o.search_evaluations > 0) s << " --budget-evals " << o.search_evaluations;
  }
  if (!o.bound.empty()) s << " --bound '" << o.bound << "'";
  if (!o.noise.empty()) s << " --noise " << o.noise;
  return s.str();
}

nlohmann::json check_report(const claims::Claim& claim, const claims::Variant& v,
                            const search::RunOptions& o, const search::RunResult& r) {
  nlohmann::json counts;
  for (Verdict x : kVerdicts) counts[claims::to_string(x)] = r.count(x);
  nlohmann::json cxs = nlohmann::json::array();
  for (const auto& cx : r.counterexamples)
    cxs.push_back({{"case", cx.case_index < 0 ? nlohmann::json("search") : nlohmann::json(cx.case_index)},
                   {"where", cx.outcome.where},
                   {"bits", cx.outcome.bits},
                   {"dimension_generated", cx.original.a.rows()},
                   {"dimension_shrunk", cx.shrunk.a.rows()},
                   {"shrink_steps", cx.shrink_steps},
                   {"A", claims::hex_matrix(cx.shrunk.a)},
                   {"E", claims::hex_matrix(cx.shrunk.e)},
                   {"B", cx.shrunk.b.size() ? claims::hex_matrix(cx.shrunk.b) : nlohmann::json(nullptr)},
                   {"enclosures", cx.outcome.evidence},
                   {"certificate", cert_name(cx.case_index)},
                   {"reproduce", reproduce_command(claim, o, cx.case_index)}});
  nlohmann::json undecided = nlohmann::json::array();
  for (const auto& [k, where] : r.undecided)
    undecided.push_back({{"case", k}, {"where", where}, {"reproduce", reproduce_command(claim, o, k)}});
  return {{"claim", claim.name()},
          {"variant", v.name},
          {"statement", v.statement},
          {"proved", v.proved},
          {"seed", o.seed},
          {"cases", o.only_case ? 1 : o.cases},
          {"dim", {o.dim_lo, o.dim_hi}},
          {"family", family_name(o.family)},
          {"max_bits", o.precision.max_bits},
          {"counts", counts},
          {"holds_detail", holds_detail(claim, v, r)},
          {"holds_detail_meaning", holds_meaning(claim)},
          {"cases_by_precision", cases_by_precision(o.precision, r.rungs)},
          {"noise", o.noise.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.noise)},
          {"tightness", tightness_stats(r.tightness, claim.tightness_meaning())},
          {"case_outcome", r.single ? nlohmann::json{{"verdict", claims::to_string(r.single->verdict)},
                                                     {"where", r.single->where}, {"bits", r.single->bits},
                                                     {"evidence", r.single->evidence}}
                                    : nlohmann::json(nullptr)},
          {"counterexamples", cxs},
          {"undecided", undecided},
          {"hypothesis_failures", r.hypothesis_failures},
          {"search", r.search.ran ? nlohmann::json{{"found", r.search.found}, {"starts", r.search.starts},
                                                   {"evaluations", r.search.evaluations},
                                                   {"best_unverified_margin", r.search.best_margin},
                                                   {"seconds", r.search.seconds}}
                                  : nlohmann::json(nullptr)},
          {"seconds", r.seconds}};
}

std::string check_summary(const nlohmann::json& j) {
  std::ostringstream s;
  if (j["claim"] == "user") s << "claim '" << j["statement"].get<std::string>() << "': ";
  else s << j["claim"].get<std::string>() << " (" << j["variant"].get<std::string>() << "): ";
  s << j["cases"].get<int>() << " cases, dim " << j["dim"][0] << ".." << j["dim"][1] << ", family "
    << j["family"].get<std::string>() << ", seed " << j["seed"] << ":";
  for (const char* v : {"HOLDS", "VIOLATED", "UNDECIDED", "HYPOTHESIS_FAILS"})
    s << "  " << v << " " << j["counts"][v].get<int>();
  if (!j["tightness"].is_null())
    s << "; tightness median " << j["tightness"]["median"].get<double>() << ", max "
      << j["tightness"]["max"].get<double>();
  s << "  (" << j["seconds"].get<double>() << " s)";
  if (const auto& d = j["holds_detail"]; !d.is_null()) {
    s << "\n  of the HOLDS: hypothesis certified " << d["hypothesis_certified"].get<int>();
    for (const auto& [key, meaning] : j["holds_detail_meaning"].items())
      s << "; " << meaning.get<std::string>() << ": " << d[key].get<int>();
  }
  if (!j["search"].is_null())
    s << "\n  targeted search: " << (j["search"]["found"].get<bool>() ? "found a certified counterexample" : "no certified counterexample")
      << " (" << j["search"]["starts"].get<int>() << " starts, " << j["search"]["evaluations"].get<long>()
      << " evaluations, " << j["search"]["seconds"].get<double>() << " s)";
  for (const auto& [why, count] : j["hypothesis_failures"].items())
    s << "\n  hypothesis fails: " << why << " (" << count.get<int>() << " cases)";
  if (j["claim"] == "user" && j["cases_by_precision"].contains("exact"))
    s << "\n  decided exactly: " << j["cases_by_precision"]["exact"].get<int>()
      << " cases (equality cases: exact rational eigenvalues, or the order of the eigenvalues and their shifts)";
  return s.str();
}

std::string check_markdown(const nlohmann::json& j) {
  std::ostringstream s;
  if (j["claim"] == "user") s << "# fimcheck check --claim\n\n";
  else
    s << "# fimcheck check " << j["claim"].get<std::string>() << " — variant `" << j["variant"].get<std::string>()
      << "`\n\n";
  s << "Statement checked: " << j["statement"].get<std::string>()
    << (j["proved"].get<bool>()   ? " (the claim as stated)\n\n"
        : j["claim"] == "user" ? " (your claim, not proved: a VIOLATED case is a certified counterexample)\n\n"
                               : " (a deliberately false variant)\n\n")
    << "Seed " << j["seed"] << ", " << j["cases"] << " cases, dimension " << j["dim"][0] << ".."
    << j["dim"][1] << ", family " << j["family"].get<std::string>() << ".\n\n"
    << "| verdict | cases |\n|---|---|\n";
  for (const char* v : {"HOLDS", "VIOLATED", "UNDECIDED", "HYPOTHESIS_FAILS"})
    s << "| " << v << " | " << j["counts"][v].get<int>() << " |\n";
  if (const auto& d = j["holds_detail"]; !d.is_null()) {
    s << "\nOf the HOLDS, the hypothesis is certified in " << d["hypothesis_certified"].get<int>();
    for (const auto& [key, meaning] : j["holds_detail_meaning"].items())
      s << "; " << meaning.get<std::string>() << ": " << d[key].get<int>();
    s << ".\n";
  }
  s << "\nEvery verdict is decided from certified enclosures; HYPOTHESIS_FAILS cases are outside the "
       "claim's scope and never count as counterexamples.\n";
  if (!j["tightness"].is_null())
    s << "\nTightness (" << j["tightness"]["meaning"].get<std::string>() << ", midpoint estimates): min " << j["tightness"]["min"].get<double>()
      << ", median " << j["tightness"]["median"].get<double>() << ", max "
      << j["tightness"]["max"].get<double>() << ".\n";
  for (const auto& cx : j["counterexamples"]) {
    s << "\n## Counterexample (case " << cx["case"] << ")\n\n"
      << "Certified VIOLATED at " << cx["bits"] << " bits (" << cx["where"].get<std::string>()
      << "), shrunk from dimension " << cx["dimension_generated"] << " to "
      << cx["dimension_shrunk"] << " in " << cx["shrink_steps"] << " steps.\n\n"
      << "- A = `" << cx["A"].dump() << "`\n- E = `" << cx["E"].dump() << "`\n"
      << (cx["B"].is_null() ? std::string() : "- B = `" + cx["B"].dump() + "`\n")
      << "- enclosures: `" << cx["enclosures"].dump() << "`\n"
      << "- certificate: `" << cx["certificate"].get<std::string>()
      << "` (check it: `fimcheck verify-cert " << cx["certificate"].get<std::string>() << "`)\n"
      << "- reproduce: `" << cx["reproduce"].get<std::string>() << "`\n";
  }
  if (j.contains("plots")) {
    if (j["plots"].contains("tightness"))
      s << "\n## Tightness\n\n![tightness against the perturbation size](" << j["plots"]["tightness"].get<std::string>()
        << ")\n\nEach point is one case (midpoint estimates; the verdicts come from the enclosures).\n";
    for (const auto& [k, file] : j["plots"]["spectra"].items())
      s << "\n### Spectra of counterexample " << k << "\n\n![spectra before and after](" << file.get<std::string>() << ")\n";
  }
  if (!j["undecided"].empty()) {
    s << "\n## Undecided cases\n\n";
    for (const auto& u : j["undecided"])
      s << "- case " << u["case"] << ": " << u["where"].get<std::string>() << " — `"
        << u["reproduce"].get<std::string>() << "`\n";
  }
  return s.str();
}

namespace {

// Binary64 eigenvalues, for drawing only.
std::vector<double> approximate_spectrum(const Eigen::MatrixXd& m) {
  const Eigen::VectorXd ev = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(m, Eigen::EigenvaluesOnly).eigenvalues();
  return {ev.data(), ev.data() + ev.size()};
}

// Writes the SVG plots of a run and returns their names for report.md.
nlohmann::json write_plots(const std::string& dir, const claims::Claim& claim, const nlohmann::json& report,
                           const search::RunResult& r) {
  nlohmann::json plots = {{"spectra", nlohmann::json::object()}};
  if (!r.tightness_points.empty()) {
    Series s{"cases", {}, {}};
    for (const auto& [x, y] : r.tightness_points) s.x.push_back(x), s.y.push_back(y);
    const std::string meaning = report["tightness"].is_null() ? "tightness" : report["tightness"]["meaning"].get<std::string>();
    write_atomically(dir + "/tightness.svg",
                     plot_svg(claim.name() + " (" + report["variant"].get<std::string>() + "): tightness",
                              {"||E|| / g (estimate)", true}, {meaning, true}, {s}, {{1.0, "1"}}));
    plots["tightness"] = "tightness.svg";
  }
  for (const auto& cx : r.counterexamples) {
    std::vector<std::pair<std::string, std::vector<double>>> rows;
    for (const auto& [name, m] : claim.spectra_to_plot(cx.shrunk)) rows.emplace_back(name, approximate_spectrum(m));
    const std::string file = "spectra-" + (cx.case_index >= 0 ? std::to_string(cx.case_index) : std::string("search")) + ".svg";
    write_atomically(dir + "/" + file, spectra_svg("counterexample " + file.substr(8, file.size() - 12) + ": spectra before and after", rows));
    plots["spectra"][cx.case_index >= 0 ? std::to_string(cx.case_index) : "search"] = file;
  }
  return plots;
}

}  // namespace

void write_check_report(const std::string& dir, const claims::Claim& claim, nlohmann::json report,
                        const search::RunResult& r) {
  std::filesystem::create_directories(dir);
  for (const auto& cx : r.counterexamples)
    write_atomically(dir + "/" + cert_name(cx.case_index), cx.outcome.certificate.dump(2) + "\n");
  report["plots"] = write_plots(dir, claim, report, r);
  write_atomically(dir + "/report.json", report.dump(2) + "\n");
  write_atomically(dir + "/report.md", check_markdown(report));
}

}  // namespace fim::report
