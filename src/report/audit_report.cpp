// The audit's report (C5): every figure printed from an enclosure is rounded outward.
#include "report/audit_report.hpp"

#include <sstream>

#include "numeric/enclosure_json.hpp"
#include "report/rounded.hpp"
#include "report/svg.hpp"

namespace fim::report {
using namespace audit;
using num::Ival;

namespace {

nlohmann::json facts_json(const std::vector<Fact>& fs) {
  nlohmann::json j = nlohmann::json::array();
  for (Fact f : fs) j.push_back(to_string(f));
  return j;
}

nlohmann::json drop_json(const PathAudit& p, const std::optional<std::pair<int, int>>& d, const Audit& a, bool direction) {
  if (!d) return nullptr;
  nlohmann::json j = {{"t_a", p.t[d->first]}, {"t_b", p.t[d->second]}, {"lambda_a", num::to_json(p.lambda[d->first])},
                      {"lambda_b", num::to_json(p.lambda[d->second])}};
  if (direction) j["t_b_in_typical_norms"] = num::to_json(in_typical_norms(p.t[d->second], a.typical_norm));
  return j;
}

// Counts of true / false / undecided over the grid points t > 0, for people.
std::string tally(const std::vector<Fact>& fs) {
  int n[3] = {0, 0, 0};
  for (Fact f : fs) ++n[static_cast<int>(f)];
  return "true at " + std::to_string(n[0]) + ", false at " + std::to_string(n[1]) + ", undecided at " +
         std::to_string(n[2]) + " of " + std::to_string(fs.size()) + " grid points t > 0";
}

// Both forms of the conclusion for all small t > 0, from the sign of the right derivative (Lemma 5).
Fact just_after_0(const RightDerivative& d) {
  const std::string sign = d.sign();
  return sign == "positive" ? Fact::yes : sign == "negative" ? Fact::no : Fact::undecided;
}

std::string derivative_text(const RightDerivative& d) {
  if (!d.value) return "not certified (" + d.reason + ")";
  return d.sign() + ", in " + num::to_text(*d.value);
}

// "t = 2.5 (0.81 typical input norms)" on direction paths, "t = 0.2 (mixture weight)" otherwise.
std::string t_text(double t, const Audit& a, bool direction) {
  std::ostringstream s;
  s << "t = " << t;
  if (direction) s << " (" << report::rounded(in_typical_norms(t, a.typical_norm)) << " typical input norms)";
  else s << " (mixture weight)";
  return s.str();
}

}  // namespace

nlohmann::json audit_json(const Audit& a, const AuditOptions& o) {
  const bool direction = o.kind == PathKind::direction;
  nlohmann::json paths = nlohmann::json::array();
  for (const PathAudit& p : a.paths) {
    nlohmann::json lam = nlohmann::json::array(), cont = nlohmann::json::array();
    for (const Ival& x : p.lambda) lam.push_back(num::to_json(x));
    for (const SubInterval& s : p.continuous)
      cont.push_back({{"lambda_lower", num::to_json(s.rayleigh_lower)}, {"monotone_certified", s.monotone},
                      {"strict_conclusion_certified", s.rayleigh_lower.lo > a.lambda_base.hi},
                      {"nonstrict_conclusion_certified", s.rayleigh_lower.lo >= a.lambda_base.hi}});
    nlohmann::json der = {{"sign", p.derivative.sign()}, {"value", num::to_json(p.derivative.value)}};
    if (!p.derivative.value) der["reason"] = p.derivative.reason;
    paths.push_back({{"path", p.description}, {"t", p.t}, {"lambda_max", lam},
                     {"hypothesis", to_string(p.hypothesis)}, {"right_derivative_at_0", der},
                     {"first_certified_drop", drop_json(p, p.first_drop, a, direction)},
                     {"largest_certified_drop", drop_json(p, p.witness, a, direction)},
                     {"overlapping_neighbours", p.overlapping.size()},
                     {"conclusion_strict", facts_json(p.strict)}, {"conclusion_nonstrict", facts_json(p.nonstrict)},
                     {"strict_on_grid", to_string(on_grid(p.strict))}, {"nonstrict_on_grid", to_string(on_grid(p.nonstrict))},
                     {"conclusion_for_small_t", to_string(just_after_0(p.derivative))},
                     {"continuous", o.continuous ? cont : nlohmann::json(nullptr)}});
  }
  return {{"claim", "monotonicity"}, {"model", a.spec}, {"fisher", "expected"},
          {"hypothesis", "lambda_max(F(t)) nondecreasing in t on [0, t_max] (local curvature monotonicity)"},
          {"conclusion", "lambda_max(F(t)) > lambda_base for t > 0 (Proposition 3.2); conclusion_strict and "
                         "conclusion_nonstrict list grid points t_1..t_K"},
          {"path", direction ? "direction" : "mixture"}, {"grid", o.grid},
          {"t_max", direction ? o.t_max : 1.0}, {"ensemble", o.ensemble}, {"seed", o.seed},
          {"typical_input_norm", {{"definition", "sqrt(mean_i ||x_i||^2) over the reference inputs"},
                                  {"value", num::to_json(a.typical_norm)}}},
          {"lambda_base", num::to_json(a.lambda_base)}, {"paths", paths}};
}

std::string audit_text(const Audit& a, const AuditOptions& o) {
  const bool direction = o.kind == PathKind::direction;
  std::ostringstream s;
  for (const PathAudit& p : a.paths) {
    s << "  " << p.description << ": " << to_string(p.hypothesis);
    if (p.hypothesis == Verdict::HypothesisFails) s << " (the monotonicity hypothesis fails on this path)";
    else if (p.hypothesis == Verdict::Holds) s << " (monotone on the grid)";
    else s << " (" << p.overlapping.size() << " neighbouring grid points not ordered by their enclosures)";
    s << "\n    d lambda_max / dt at t = 0+: " << derivative_text(p.derivative) << "\n";
    if (p.first_drop)
      s << "    first certified drop at " << t_text(p.t[p.first_drop->second], a, direction) << ": lambda(" << p.t[p.first_drop->first]
        << ") in " << num::to_text(p.lambda[p.first_drop->first]) << " > lambda(" << p.t[p.first_drop->second] << ") in "
        << num::to_text(p.lambda[p.first_drop->second]) << "\n";
    if (p.witness && p.witness != p.first_drop)
      s << "    largest certified drop: t = " << p.t[p.witness->first] << " < " << p.t[p.witness->second] << ": lambda "
        << num::to_text(p.lambda[p.witness->first]) << " > " << num::to_text(p.lambda[p.witness->second]) << "\n";
    s << "    conclusion lambda(t) > lambda_base (strict, as in Proposition 3.2): " << tally(p.strict) << "\n"
      << "    non-strict lambda(t) >= lambda_base: " << tally(p.nonstrict) << "\n";
    if (just_after_0(p.derivative) != Fact::undecided)
      s << "    both forms are " << to_string(just_after_0(p.derivative)) << " for all sufficiently small t > 0 (the sign of the "
        << "right derivative, Lemma 5)\n";
  }
  return s.str();
}

std::string audit_svg(const Audit& a) {
  std::vector<report::Series> series;
  report::Series witnesses{"certified drop (largest)", {}, {}};
  for (std::size_t p = 0; p < a.paths.size(); ++p) {
    const PathAudit& pa = a.paths[p];
    report::Series s{"path " + std::to_string(p + 1) + " (" + to_string(pa.hypothesis) + ")", pa.t, {}, true};
    for (const Ival& x : pa.lambda) s.y.push_back(num::midpoint(x));
    if (pa.witness)
      for (int k : {pa.witness->first, pa.witness->second}) witnesses.x.push_back(pa.t[k]), witnesses.y.push_back(s.y[k]);
    series.push_back(std::move(s));
  }
  if (!witnesses.x.empty()) series.push_back(witnesses);
  return report::plot_svg(a.spec + ": lambda_max(F(t)) along the paths", {"t", false},
                          {"lambda_max(F(t)), certified (widths < line width)", false}, series,
                          {{num::midpoint(a.lambda_base), "lambda_base"}});
}

std::string audit_markdown(const Audit& a, const AuditOptions& o, const std::string& command) {
  const bool direction = o.kind == PathKind::direction;
  std::ostringstream s;
  s << "# fimcheck audit monotonicity\n\nModel `" << a.spec << "`, FIM with expected labels over "
    << o.ensemble << " reference inputs; lambda_base in " << num::to_text(a.lambda_base)
    << "; typical input norm (RMS of ||x_i||) " << report::rounded(a.typical_norm) << ".\n\n"
    << "Reproduce: `" << command << "`\n\nHypothesis audited (proofs/monotonicity.md): lambda_max(F(t)) "
    << "nondecreasing along each path. HYPOTHESIS_FAILS is a finding about this hypothesis on this model, "
       "not a counterexample to Proposition 3.2, which assumes it. The proposition's conclusion, "
       "lambda_max(F(t)) > lambda_base for t > 0, is reported in its strict form and in the non-strict form "
       "lambda_max(F(t)) >= lambda_base, at the grid points t > 0.\n\n"
    << "![lambda_max along the paths](monotonicity.svg)\n\n| path | hypothesis | d lambda_max / dt at 0+ | "
       "first certified drop | strict conclusion on the grid | non-strict | both, for small t > 0 |\n"
       "|---|---|---|---|---|---|---|\n";
  for (const PathAudit& p : a.paths) {
    s << "| " << p.description << " | " << to_string(p.hypothesis) << " | " << derivative_text(p.derivative) << " | ";
    if (p.first_drop) s << t_text(p.t[p.first_drop->second], a, direction) << " | ";
    else s << "- | ";
    s << to_string(on_grid(p.strict)) << " (" << tally(p.strict) << ") | " << to_string(on_grid(p.nonstrict)) << " | "
      << to_string(just_after_0(p.derivative)) << " |\n";
  }
  s << "\nA certified drop is hi(lambda(t_b)) < lo(lambda(t_a)) with t_a < t_b (Lemma 1); the right derivative "
       "at 0 is v_1^T F'(0) v_1, enclosed when the top eigenvalue of F(0) is certified simple (Lemma 5). "
       "\"Monotone\" (HOLDS) is certified on the grid only";
  if (o.continuous) s << "; between grid points, sub-intervals where F'(t) is certified PSD (Lemma 4) are listed in report.json";
  s << ".\n";
  return s.str();
}

}  // namespace fim::report
