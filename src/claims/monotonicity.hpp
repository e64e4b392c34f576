// Claim C5 `monotonicity`: audit of the local curvature-monotonicity hypothesis of Proposition
// 3.2 along departure paths of a trained model (proofs/monotonicity.md). Every lambda_1(F(t)) is a
// certified enclosure over the model's exact binary64 weights; verdicts follow Lemmas 1-4.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claims/verdict.hpp"
#include "fim/model.hpp"
#include "numeric/interval.hpp"

namespace fim::claims {

enum class PathKind { direction, mixture };

struct AuditOptions {
  PathKind kind = PathKind::direction;
  int paths = 4;              // departure paths (direction: random unit u each)
  int grid = 16;              // grid points t_0 = 0 < ... < t_K = t_max, K = grid
  double t_max = 4.0;         // direction: how far to go along u; mixture uses [0, 1]
  int ensemble = 128;         // reference inputs used (the first ones of the model's data)
  std::uint64_t seed = 1;     // directions and the out-of-distribution ensemble
  bool continuous = false;    // Lemmas 3 and 4 on every sub-interval [t_k, t_(k+1)]
  std::optional<std::vector<double>> direction;  // a given u (normalized), instead of random ones
};

/// One sub-interval's continuous results: Lemma 3's lower bound of lambda_1 over it, and whether
/// Lemma 4 certified lambda_1 nondecreasing on it.
struct SubInterval {
  num::Ival rayleigh_lower;  // lo is a certified lower bound of lambda_1(F(t)) on the sub-interval
  bool monotone = false;
};

/// The audit of one path: the grid and the enclosures of lambda_1(F(t_k)), the verdict on the
/// hypothesis (HOLDS: monotone on the grid; VIOLATED: witness; UNDECIDED: overlapping neighbours)
/// and, per grid point, whether lambda_1(F(t_k)) >= lambda_base is certified (Lemma 2).
struct PathAudit {
  std::string description;
  std::vector<double> t;
  std::vector<num::Ival> lambda;
  Verdict hypothesis = Verdict::Undecided;
  std::optional<std::pair<int, int>> witness;  // k < l with hi(lambda_l) < lo(lambda_k), largest drop
  std::vector<std::pair<int, int>> overlapping;  // neighbours (k, k + 1) the grid cannot order
  std::vector<Verdict> conclusion;               // per grid point: lambda(t_k) >= lambda_base
  std::vector<SubInterval> continuous;           // with AuditOptions::continuous
};

struct Audit {
  std::string spec;
  num::Ival lambda_base;
  std::vector<PathAudit> paths;
};

/// Runs the audit of m's expected-label FIM along the paths of `o`; `progress(done, total)` is
/// called after each enclosure when set.
Audit audit_monotonicity(const model::Model& m, const AuditOptions& o,
                         const std::function<void(int, int)>& progress = {});

/// The verdict on the hypothesis from grid enclosures (Lemma 1), filling witness / overlapping.
void decide_grid(PathAudit& p);

/// report.json of an audit.
nlohmann::json audit_json(const Audit& a, const AuditOptions& o);
/// An SVG of lambda_1(F(t)) enclosures along every path, lambda_base and the witnesses marked.
std::string audit_svg(const Audit& a);
/// report.md (links the SVG written next to it as monotonicity.svg).
std::string audit_markdown(const Audit& a, const AuditOptions& o, const std::string& command);

}  // namespace fim::claims
