// Claim C5 `monotonicity`: audit of the local curvature-monotonicity hypothesis of Proposition
// 3.2 along departure paths of a trained model (proofs/monotonicity.md). Every lambda_1(F(t)) is a
// certified enclosure over the model's exact binary64 weights; findings follow Lemmas 1-5. A
// certified failure of the hypothesis is HYPOTHESIS_FAILS for that path: a finding about the
// hypothesis, never a counterexample to the proposition (which assumes it).
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claims/verdict.hpp"
#include "fim/model.hpp"
#include "numeric/interval.hpp"

namespace fim::audit {
using claims::Verdict;

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
  int jobs = 0;               // threads enclosing in parallel (0: every core); no effect on the audit
};

/// One sub-interval's continuous results: Lemma 3's lower bound of lambda_1 over it, and whether
/// Lemma 4 certified lambda_1 nondecreasing on it.
struct SubInterval {
  num::Ival rayleigh_lower;  // lo is a certified lower bound of lambda_1(F(t)) on the sub-interval
  bool monotone = false;
};

/// A statement about one point or one path, proved true, proved false, or neither. Printed as
/// "true", "false", "undecided": these are findings, not verdicts on the paper's claims.
enum class Fact { yes, no, undecided };
const char* to_string(Fact f);

/// The right derivative of lambda_1(F(t)) at t = 0 (proofs/monotonicity.md, Lemma 5): enclosed as
/// v_1^T F'(0) v_1 when the top eigenvalue of F(0) is certified simple; otherwise `reason` says why
/// it is not enclosed.
struct RightDerivative {
  std::optional<num::Ival> value;
  std::string reason;
  /// "positive", "negative", "undecided" (the enclosure contains 0), or "not certified".
  std::string sign() const;
};

/// The audit of one path: the grid and the enclosures of lambda_1(F(t_k)); the finding on the
/// hypothesis (HOLDS: monotone on the grid and no certified local decrease; HYPOTHESIS_FAILS: a
/// certified drop or a certified negative right derivative at 0; UNDECIDED otherwise); and, per
/// grid point, the strict and non-strict forms of Proposition 3.2's conclusion (Lemma 2).
struct PathAudit {
  std::string description;
  std::vector<double> t;
  std::vector<num::Ival> lambda;
  Verdict hypothesis = Verdict::Undecided;
  std::optional<std::pair<int, int>> witness;     // k < l with hi(lambda_l) < lo(lambda_k), largest drop
  std::optional<std::pair<int, int>> first_drop;  // the same with the smallest t_l
  std::vector<std::pair<int, int>> overlapping;   // neighbours (k, k + 1) the grid cannot order
  RightDerivative derivative;                     // d lambda_1(F(t)) / dt at t = 0+
  std::vector<Fact> strict, nonstrict;            // per grid point: lambda(t_k) > / >= lambda_base
  std::vector<SubInterval> continuous;            // with AuditOptions::continuous
};

struct Audit {
  std::string spec;
  num::Ival lambda_base;
  num::Ival typical_norm;  // RMS of ||x_i|| over the reference inputs (the unit of t on direction paths)
  std::vector<PathAudit> paths;
};

/// Runs the audit of m's expected-label FIM along the paths of `o` on o.jobs threads (the result does
/// not depend on them); `progress(done, total)` is called after each enclosure when set.
Audit audit_monotonicity(const model::Model& m, const AuditOptions& o,
                         const std::function<void(int, int)>& progress = {});

/// The number of paths of an audit with options o (a mixture audit has one).
int path_count(const AuditOptions& o);

/// The enclosures of paths [begin, end) of the audit of m (a slice of it; path p is the same in
/// every slice), on o.jobs threads; nothing decided yet (decide_audit), lambda_base not set.
Audit enclose_paths(const model::Model& m, const AuditOptions& o, int begin, int end,
                    const std::function<void(int, int)>& progress = {});

/// The slices' enclosed paths in slice order, as one audit (to decide); throws
/// std::invalid_argument when they are of different models or have no path at all.
Audit join_paths(const std::vector<Audit>& slices);

/// The findings of an audit whose paths are all enclosed (enclose_paths of every path, or the
/// slices' paths concatenated in order): lambda_base from path 1 at t = 0, then each path decided.
void decide_audit(Audit& a);

/// The finding on the hypothesis from the grid enclosures (Lemma 1) and the right derivative at 0
/// (Lemma 5), filling witness, first_drop and overlapping.
void decide_grid(PathAudit& p);

/// Lemma 2 at every grid point t_k > 0 (t_0 = 0 is the reference itself): the strict form
/// lambda(t_k) > lambda_base (the paper's) and the non-strict form lambda(t_k) >= lambda_base.
void decide_conclusion(PathAudit& p, const num::Ival& lambda_base);

/// Whether a form of the conclusion holds at every grid point t_k > 0: yes if all are proved, no
/// if one is disproved, undecided otherwise.
Fact on_grid(const std::vector<Fact>& per_point);

/// t in units of the typical input norm (direction paths): t / typical_norm, enclosed.
num::Ival in_typical_norms(double t, const num::Ival& typical_norm);

}  // namespace fim::audit
