#include "report/run_json.hpp"

#include "io/matrix_io.hpp"
#include "report/slice.hpp"

namespace fim::report {
namespace {

using claims::Verdict;
using nlohmann::json;

const Verdict kAll[] = {Verdict::Holds, Verdict::Violated, Verdict::Undecided, Verdict::HypothesisFails};

Verdict verdict_named(const std::string& name) {
  for (Verdict v : kAll)
    if (name == claims::to_string(v)) return v;
  throw io::InputError("slice", "result", "unknown verdict '" + name + "'");
}

json optional_exact(const std::optional<double>& x) { return x ? exact_json(*x) : json(nullptr); }
std::optional<double> optional_double(const json& j) {
  return j.is_null() ? std::nullopt : std::optional<double>(exact_double(j));
}

json outcome_json(const claims::Outcome& o) {
  return {{"verdict", claims::to_string(o.verdict)}, {"bits", o.bits}, {"rung", o.rung}, {"exact", o.exact},
          {"where", o.where}, {"evidence", o.evidence}, {"certificate", o.certificate},
          {"tightness", optional_exact(o.tightness)}, {"perturbation", optional_exact(o.perturbation)},
          {"holds_scope", o.holds_scope}};
}

claims::Outcome outcome_from(const json& j) {
  claims::Outcome o;
  o.verdict = verdict_named(j.at("verdict").get<std::string>());
  o.bits = j.at("bits").get<int>();
  o.rung = j.at("rung").get<int>();
  o.exact = j.at("exact").get<bool>();
  o.where = j.at("where").get<std::string>();
  o.evidence = j.at("evidence");
  o.certificate = j.at("certificate");
  o.tightness = optional_double(j.at("tightness"));
  o.perturbation = optional_double(j.at("perturbation"));
  o.holds_scope = j.at("holds_scope").get<std::string>();
  return o;
}

json case_json(const claims::MatrixCase& c) { return {{"A", exact_json(c.a)}, {"E", exact_json(c.e)}}; }
claims::MatrixCase case_from(const json& j) { return {exact_matrix(j.at("A")), exact_matrix(j.at("E"))}; }

}  // namespace

json run_result_json(const search::RunResult& r) {
  json tightness = json::array(), points = json::array(), cxs = json::array(), undecided = json::array(), rungs = json::array();
  for (double t : r.tightness) tightness.push_back(exact_json(t));
  for (const auto& [x, y] : r.tightness_points) points.push_back({exact_json(x), exact_json(y)});
  for (const auto& cx : r.counterexamples)
    cxs.push_back({{"case", cx.case_index}, {"original", case_json(cx.original)}, {"shrunk", case_json(cx.shrunk)},
                   {"shrink_steps", cx.shrink_steps}, {"outcome", outcome_json(cx.outcome)}});
  for (const auto& [k, where] : r.undecided) undecided.push_back({k, where});
  for (const auto& [rung, n] : r.rungs.by_rung()) rungs.push_back({rung, n});
  return {{"counts", r.counts}, {"tightness", tightness}, {"tightness_points", points}, {"counterexamples", cxs},
          {"undecided", undecided}, {"hypothesis_failures", r.hypothesis_failures},
          {"holds_scopes", r.holds_scopes}, {"rungs", rungs}, {"seconds", r.seconds}};
}

search::RunResult run_result_from_json(const json& j) {
  search::RunResult r;
  try {
    r.counts = j.at("counts").get<std::array<int, 4>>();
    for (const json& t : j.at("tightness")) r.tightness.push_back(exact_double(t));
    for (const json& p : j.at("tightness_points")) r.tightness_points.emplace_back(exact_double(p.at(0)), exact_double(p.at(1)));
    for (const json& c : j.at("counterexamples")) {
      search::Counterexample cx;
      cx.case_index = c.at("case").get<int>();
      cx.original = case_from(c.at("original"));
      cx.shrunk = case_from(c.at("shrunk"));
      cx.shrink_steps = c.at("shrink_steps").get<int>();
      cx.outcome = outcome_from(c.at("outcome"));
      r.counterexamples.push_back(std::move(cx));
    }
    for (const json& u : j.at("undecided")) r.undecided.emplace_back(u.at(0).get<int>(), u.at(1).get<std::string>());
    r.hypothesis_failures = j.at("hypothesis_failures").get<std::map<std::string, int>>();
    r.holds_scopes = j.at("holds_scopes").get<std::map<std::string, int>>();
    for (const json& g : j.at("rungs")) r.rungs.add(g.at(0).get<int>(), g.at(1).get<long>());
    r.seconds = j.at("seconds").get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw io::InputError("slice", "result", std::string("malformed check result: ") + e.what());
  }
  return r;
}

namespace {

json ivals_json(const std::vector<num::Ival>& v) {
  json out = json::array();
  for (const num::Ival& x : v) out.push_back(exact_json(x));
  return out;
}

std::vector<num::Ival> ivals_from(const json& j) {
  std::vector<num::Ival> out;
  for (const json& x : j) out.push_back(exact_ival(x));
  return out;
}

// A malformed payload of `what`, as the one error every reader throws.
template <class F>
auto reading(const std::string& what, F&& read) {
  try {
    return read();
  } catch (const nlohmann::json::exception& e) {
    throw io::InputError("slice", "result", "malformed " + what + ": " + e.what());
  }
}

}  // namespace

json audit_paths_json(const audit::Audit& a) {
  json paths = json::array();
  for (const audit::PathAudit& p : a.paths) {
    json t = json::array(), spans = json::array();
    for (double x : p.t) t.push_back(exact_json(x));
    for (const audit::SubInterval& c : p.continuous)
      spans.push_back({{"rayleigh_lower", exact_json(c.rayleigh_lower)}, {"monotone", c.monotone}});
    paths.push_back({{"description", p.description}, {"t", t}, {"lambda", ivals_json(p.lambda)},
                     {"derivative", {{"value", p.derivative.value ? exact_json(*p.derivative.value) : json(nullptr)},
                                     {"reason", p.derivative.reason}}},
                     {"continuous", spans}});
  }
  return {{"spec", a.spec}, {"typical_norm", exact_json(a.typical_norm)}, {"paths", paths}};
}

audit::Audit audit_paths_from_json(const json& j) {
  return reading("audit paths", [&] {
    audit::Audit a{j.at("spec").get<std::string>(), num::Ival::entire(), exact_ival(j.at("typical_norm")), {}};
    for (const json& q : j.at("paths")) {
      audit::PathAudit p;
      p.description = q.at("description").get<std::string>();
      for (const json& x : q.at("t")) p.t.push_back(exact_double(x));
      p.lambda = ivals_from(q.at("lambda"));
      const json& d = q.at("derivative");
      if (!d.at("value").is_null()) p.derivative.value = exact_ival(d.at("value"));
      p.derivative.reason = d.at("reason").get<std::string>();
      for (const json& c : q.at("continuous"))
        p.continuous.push_back({exact_ival(c.at("rayleigh_lower")), c.at("monotone").get<bool>()});
      a.paths.push_back(std::move(p));
    }
    return a;
  });
}

json trajectories_json(const std::vector<monitor::ModelTrajectories>& models) {
  json out = json::array();
  for (const monitor::ModelTrajectories& m : models) {
    json precisions = json::array();
    for (const monitor::PrecisionTrajectories& p : m.precisions) {
      json in = json::array(), away = json::array();
      for (const auto& traj : p.in) in.push_back(ivals_json(traj));
      for (const auto& traj : p.away) away.push_back(ivals_json(traj));
      precisions.push_back({{"bits", p.bits}, {"lambda_base", exact_json(p.lambda_base)}, {"in", in}, {"away", away}});
    }
    out.push_back({{"spec", m.spec}, {"labels", m.labels}, {"precisions", precisions}});
  }
  return out;
}

std::vector<monitor::ModelTrajectories> trajectories_from_json(const json& j) {
  return reading("trajectories", [&] {
    std::vector<monitor::ModelTrajectories> out;
    for (const json& m : j) {
      monitor::ModelTrajectories t{m.at("spec").get<std::string>(), m.at("labels").get<std::string>(), {}};
      for (const json& p : m.at("precisions")) {
        monitor::PrecisionTrajectories q;
        q.bits = p.at("bits").get<int>();
        q.lambda_base = exact_ival(p.at("lambda_base"));
        for (const json& traj : p.at("in")) q.in.push_back(ivals_from(traj));
        for (const json& traj : p.at("away")) q.away.push_back(ivals_from(traj));
        t.precisions.push_back(std::move(q));
      }
      out.push_back(std::move(t));
    }
    return out;
  });
}

}  // namespace fim::report
