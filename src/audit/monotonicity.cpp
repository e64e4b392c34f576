#include "audit/monotonicity.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "fim/enclose_fim.hpp"
#include "fim/grammar.hpp"
#include "fim/monitored.hpp"
#include "fim/top_eigenvector.hpp"
#include "linalg/enclose_spectrum.hpp"
#include "linalg/product_bounds.hpp"
#include "numeric/parallel.hpp"

namespace fim::audit {
namespace {

using model::Dense;
using num::Ival;
using IJet = num::Jet<Ival>;

// The enclosures here are limited by the width of the interval scores, which escalation cannot
// shrink; binary64 with its a-priori bounds is the whole ladder.
const linalg::Precision kPrecision{53, 1e-10};
// The right derivative boxes v_1 from the dense d x d interval FIM (its spectrum enclosure).
constexpr std::size_t kMaxDenseParams = 512;

// x_i + t u for every t in the interval t (proofs/monotonicity.md, section 1: direction path).
template <class S>
Dense<S> shifted(const Dense<Ival>& x, const std::vector<double>& u, const Ival& t) {
  Dense<S> r(x.rows, x.cols);
  for (std::size_t i = 0; i < x.rows; ++i)
    for (std::size_t j = 0; j < x.cols; ++j) {
      if constexpr (std::is_same_v<S, IJet>) r(i, j) = IJet::line(x(i, j) + t * Ival(u[j]), Ival(u[j]));
      else r(i, j) = x(i, j) + t * Ival(u[j]);
    }
  return r;
}

// Rows of a and b stacked with weights wa, wb (the mixture path's G(t), section 1).
Dense<Ival> stacked(const Dense<Ival>& a, const Ival& wa, const Dense<Ival>& b, const Ival& wb) {
  Dense<Ival> r(a.rows + b.rows, a.cols);
  for (std::size_t i = 0; i < a.rows; ++i)
    for (std::size_t j = 0; j < a.cols; ++j) r(i, j) = wa * a(i, j);
  for (std::size_t i = 0; i < b.rows; ++i)
    for (std::size_t j = 0; j < b.cols; ++j) r(a.rows + i, j) = wb * b(i, j);
  return r;
}

// A unit-or-shorter approximate top right singular vector of the scores (for Lemma 3).
std::vector<double> top_direction(const Dense<Ival>& g) {
  const Eigen::MatrixXd mid = model::box_of(g).mid;
  const Eigen::MatrixXd k = mid * mid.transpose();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(k);
  Eigen::VectorXd v = mid.transpose() * es.eigenvectors().col(k.rows() - 1);
  v /= v.norm();
  std::vector<double> out(v.data(), v.data() + v.size());
  for (double scale = 1 - 1e-14;; scale *= 1 - 1e-12) {  // certify ||v|| <= 1 in interval arithmetic
    Ival n2(0.0);
    for (double& x : out) n2 = n2 + Ival(x) * Ival(x);
    if (n2.hi <= 1) return out;
    for (double& x : out) x *= scale;
  }
}

// Lemma 3: lo of ||G v||^2 / N bounds lambda_1 from below for every matrix in the box G.
Ival rayleigh_lower(const Dense<Ival>& g, const std::vector<double>& v) {
  Ival sum(0.0);
  for (std::size_t i = 0; i < g.rows; ++i) {
    Ival w(0.0);
    for (std::size_t j = 0; j < g.cols; ++j) w = w + g(i, j) * Ival(v[j]);
    sum = sum + sqr(w);
  }
  return sum / Ival(static_cast<double>(g.rows));
}

// Lemma 4's hypothesis, certified: every symmetric matrix in the interval matrix m is PSD.
bool psd_certified(const Dense<Ival>& m) {
  if (m.rows > 256) return false;  // the binary64 spectrum enclosure of a d x d matrix: kept small
  // m(i, j) and m(j, i) are the same interval (symmetric_product), so the box's centre is symmetric
  const linalg::Spectrum sp = linalg::enclose_spectrum_fp(linalg::ball_of(model::box_of(m)));
  return sp.ok && sp.eig.back().lo >= 0;
}

// (A^T B + B^T A) / n, enclosed.
Dense<Ival> symmetric_product(const Dense<Ival>& a, const Dense<Ival>& b) {
  Dense<Ival> r(a.cols, a.cols);
  const Ival n(static_cast<double>(a.rows));
  for (std::size_t i = 0; i < a.cols; ++i)
    for (std::size_t j = 0; j <= i; ++j) {
      Ival s(0.0);
      for (std::size_t k = 0; k < a.rows; ++k) s = s + a(k, i) * b(k, j) + b(k, i) * a(k, j);
      r(i, j) = r(j, i) = s / n;
    }
  return r;
}

Dense<Ival> jet_part(const Dense<IJet>& g, bool derivative) {
  Dense<Ival> r(g.rows, g.cols);
  for (std::size_t k = 0; k < g.v.size(); ++k) r.v[k] = derivative ? g.v[k].c1 : g.v[k].c0;
  return r;
}

// One path: the scores of the ensemble at any t (point or interval), and F'(t) over an interval.
struct Path {
  const model::Model& m;
  model::LabelPlan plan;
  std::vector<Ival> theta;
  Dense<Ival> x, ood;  // reference inputs; out-of-distribution inputs (mixture)
  Dense<Ival> g_ref, g_ood;
  std::vector<double> u;
  PathKind kind;

  Dense<Ival> scores(const Ival& t) const {
    if (kind == PathKind::mixture)  // G(t)^T G(t) / 2n = (1 - t) F_ref + t F_ood
      return stacked(g_ref, sqrt(Ival(2.0) * (Ival(1.0) - t)), g_ood, sqrt(Ival(2.0) * t));
    return model::score_matrix<Ival>(m.arch, theta, shifted<Ival>(x, u, t), plan);
  }
  // Lemma 4: F'(t) for every t in the interval (mixture: the constant F_ood - F_ref).
  bool nondecreasing_on(const Ival& t) const {
    if (kind == PathKind::mixture) {
      Dense<Ival> d = symmetric_product(g_ood, g_ood);
      const Dense<Ival> r = symmetric_product(g_ref, g_ref);
      for (std::size_t k = 0; k < d.v.size(); ++k) d.v[k] = (d.v[k] - r.v[k]) / Ival(2.0);
      return psd_certified(d);
    }
    if (m.arch.num_params() > 256) return false;
    const std::vector<IJet> th(theta.begin(), theta.end());
    const Dense<IJet> g = model::score_matrix<IJet>(m.arch, th, shifted<IJet>(x, u, t), plan);
    return psd_certified(symmetric_product(jet_part(g, false), jet_part(g, true)));
  }
  // Lemma 5: d lambda_1(F(t)) / dt at 0+ = v_1^T F'(0+) v_1 with v_1 boxed by genericity.md Lemma 9.
  RightDerivative right_derivative() const {
    RightDerivative r;
    const std::size_t d = m.arch.num_params();
    if (d > kMaxDenseParams) {
      r.reason = std::to_string(d) + " parameters: the top eigenvector is boxed from the dense d x d FIM, up to " +
                 std::to_string(kMaxDenseParams);
      return r;
    }
    if (kind == PathKind::mixture) {  // F'(0) = F_ood - F_ref (constant)
      const model::TopPair top = model::enclose_top_pair(model::fim_of<Ival>(g_ref));
      if (!top.ok) return r.reason = top.note, r;
      const model::IVec a = model::times(g_ood, top.v1), b = model::times(g_ref, top.v1);
      r.value = (model::dot(a, a) - model::dot(b, b)) / Ival(static_cast<double>(g_ref.rows));
      return r;
    }
    const std::vector<IJet> th(theta.begin(), theta.end());
    const Dense<IJet> g = model::score_matrix<IJet>(m.arch, th, shifted<IJet>(x, u, Ival(0.0)), plan);
    const Dense<Ival> g0 = jet_part(g, false), g1 = jet_part(g, true);
    const model::TopPair top = model::enclose_top_pair(model::fim_of<Ival>(g0));
    if (!top.ok) return r.reason = top.note, r;
    // v^T F'(0) v = v^T (G0^T G1 + G1^T G0) v / N = 2 (G0 v) . (G1 v) / N
    r.value = Ival(2.0) * model::dot(model::times(g0, top.v1), model::times(g1, top.v1)) / Ival(static_cast<double>(g0.rows));
    return r;
  }
};

}  // namespace

const char* to_string(Fact f) { return f == Fact::yes ? "true" : f == Fact::no ? "false" : "undecided"; }

std::string RightDerivative::sign() const {
  if (!value) return "not certified";
  return value->lo > 0 ? "positive" : value->hi < 0 ? "negative" : "undecided";
}

void decide_grid(PathAudit& p) {
  const auto& l = p.lambda;
  double best = 0;
  p.witness.reset();
  p.first_drop.reset();
  for (std::size_t j = 1; j < l.size(); ++j)
    for (std::size_t k = 0; k < j; ++k)
      if (l[j].hi < l[k].lo) {  // Lemma 1.1: a certified drop from t_k to t_j
        const std::pair<int, int> kj(static_cast<int>(k), static_cast<int>(j));
        if (!p.first_drop) p.first_drop = kj;  // j increases: the first drop found has the smallest t_j
        if (num::add_down(l[k].lo, -l[j].hi) > best) best = num::add_down(l[k].lo, -l[j].hi), p.witness = kj;
      }
  p.overlapping.clear();
  for (std::size_t k = 0; k + 1 < l.size(); ++k)
    if (!(l[k].hi <= l[k + 1].lo)) p.overlapping.emplace_back(static_cast<int>(k), static_cast<int>(k + 1));
  const bool falls_at_0 = p.derivative.value && p.derivative.value->hi < 0;  // Lemma 5: lambda < lambda_base just after 0
  p.hypothesis = p.first_drop || falls_at_0 ? Verdict::HypothesisFails
                 : p.overlapping.empty()    ? Verdict::Holds
                                            : Verdict::Undecided;
}

void decide_conclusion(PathAudit& p, const Ival& base) {
  p.strict.clear();
  p.nonstrict.clear();
  for (std::size_t k = 1; k < p.lambda.size(); ++k) {  // Lemma 2
    const Ival& l = p.lambda[k];
    p.strict.push_back(l.lo > base.hi ? Fact::yes : l.hi <= base.lo ? Fact::no : Fact::undecided);
    p.nonstrict.push_back(l.lo >= base.hi ? Fact::yes : l.hi < base.lo ? Fact::no : Fact::undecided);
  }
}

Fact on_grid(const std::vector<Fact>& per_point) {
  Fact r = Fact::yes;
  for (Fact f : per_point)
    if (f == Fact::no) return Fact::no;
    else if (f == Fact::undecided) r = Fact::undecided;
  return r;
}

Ival in_typical_norms(double t, const Ival& typical_norm) { return Ival(t) / typical_norm; }

namespace {

// RMS of ||x_i|| over the reference inputs: sqrt(sum_i ||x_i||^2 / n), enclosed.
Ival rms_norm(const Dense<Ival>& x) {
  Ival s(0.0);
  for (const Ival& v : x.v) s = s + sqr(v);
  return sqrt(s / Ival(static_cast<double>(x.rows)));
}

}  // namespace

namespace {

// One independent piece of an audit: a grid point's enclosure, a path's right derivative at 0, or
// (with --continuous) a sub-interval's Lemma 3 and 4.
struct Piece {
  enum Kind { point, derivative, span } kind;
  int path, k;
};

std::vector<Piece> pieces_of(int paths, const AuditOptions& o) {
  std::vector<Piece> out;
  for (int p = 0; p < paths; ++p) {
    for (int k = 0; k <= o.grid; ++k) out.push_back({Piece::point, p, k});
    out.push_back({Piece::derivative, p, 0});
    if (o.continuous)
      for (int k = 0; k < o.grid; ++k) out.push_back({Piece::span, p, k});
  }
  return out;
}

}  // namespace

int path_count(const AuditOptions& o) { return o.kind == PathKind::mixture ? 1 : o.paths; }

// The directions are drawn first, in path order, from the one seeded generator (those of paths
// before `begin` too, so that path p is the same in every slice); every piece is then a function of
// its path and index alone, decided on o.jobs threads into its own slot: the enclosures do not
// depend on the number of jobs or on the slice.
Audit enclose_paths(const model::Model& m, const AuditOptions& o, int begin, int end,
                    const std::function<void(int, int)>& progress) {
  Audit a{m.spec.text(), Ival::entire(), Ival::entire(), {}};
  model::Rng rng(o.seed);
  Path path{m, model::label_plan(m, model::FisherMode::expected), model::cast<Ival>(std::span<const double>(m.theta)),
            model::reference_inputs(m, o.ensemble), {}, {}, {}, {}, o.kind};
  a.typical_norm = rms_norm(path.x);
  if (o.kind == PathKind::mixture) {  // out-of-distribution inputs: x_i + 3 w_i, w_i random unit
    path.ood = path.x;
    for (std::size_t i = 0; i < path.ood.rows; ++i) {
      const auto w = rng.unit_vector(path.ood.cols);
      for (std::size_t j = 0; j < path.ood.cols; ++j) path.ood(i, j) = path.ood(i, j) + Ival(3.0) * Ival(w[j]);
    }
    path.g_ref = model::score_matrix<Ival>(m.arch, path.theta, path.x, path.plan);
    path.g_ood = model::score_matrix<Ival>(m.arch, path.theta, path.ood, path.plan);
  }
  const int count = end - begin;
  const double t_max = o.kind == PathKind::mixture ? 1.0 : o.t_max;
  std::vector<Path> paths(static_cast<std::size_t>(count), path);
  a.paths.resize(static_cast<std::size_t>(count));
  for (int p = 0; p < end; ++p) {
    if (o.kind == PathKind::direction && !o.direction && p < begin) (void)rng.unit_vector(path.x.cols);
    if (p < begin) continue;
    PathAudit& pa = a.paths[static_cast<std::size_t>(p - begin)];
    if (o.kind == PathKind::direction) {
      paths[static_cast<std::size_t>(p - begin)].u = o.direction ? *o.direction : rng.unit_vector(path.x.cols);
      pa.description = o.direction ? "x(t) = x + t u, u given" : "x(t) = x + t u, u random unit #" + std::to_string(p + 1);
    } else {
      pa.description = "(1 - t) F_ref + t F_ood, F_ood at x + 3 w (w random unit per input)";
    }
    for (int k = 0; k <= o.grid; ++k) pa.t.push_back(t_max * k / o.grid);
    pa.lambda.resize(pa.t.size());
    if (o.continuous) pa.continuous.resize(static_cast<std::size_t>(o.grid));
  }
  const std::vector<Piece> pieces = pieces_of(count, o);
  const auto total = static_cast<int>(pieces.size());
  num::parallel_for(0, total, o.jobs, [&](int j) {
    const Piece& c = pieces[static_cast<std::size_t>(j)];
    const Path& at = paths[static_cast<std::size_t>(c.path)];
    PathAudit& pa = a.paths[static_cast<std::size_t>(c.path)];
    const auto k = static_cast<std::size_t>(c.k);
    if (c.kind == Piece::point) pa.lambda[k] = model::enclose_fim_top(at.scores(Ival(pa.t[k])), kPrecision).lambda1;
    else if (c.kind == Piece::derivative) pa.derivative = at.right_derivative();
    else {
      const Ival span(pa.t[k], pa.t[k + 1]);
      pa.continuous[k] = {rayleigh_lower(at.scores(span), top_direction(at.scores(Ival(pa.t[k])))), at.nondecreasing_on(span)};
    }
  }, [&](int done) { if (progress) progress(done, total); });
  return a;
}

void decide_audit(Audit& a) {
  a.lambda_base = a.paths.front().lambda.front();
  for (PathAudit& pa : a.paths) {
    decide_grid(pa);
    decide_conclusion(pa, a.lambda_base);
  }
}

Audit join_paths(const std::vector<Audit>& slices) {
  Audit a = slices.front();
  a.paths.clear();
  for (const Audit& s : slices) {
    if (s.spec != a.spec) throw std::invalid_argument("slices of audits of different models: " + s.spec + ", " + a.spec);
    a.paths.insert(a.paths.end(), s.paths.begin(), s.paths.end());
  }
  if (a.paths.empty()) throw std::invalid_argument("an audit without paths");
  return a;
}

Audit audit_monotonicity(const model::Model& m, const AuditOptions& o, const std::function<void(int, int)>& progress) {
  Audit a = enclose_paths(m, o, 0, path_count(o), progress);
  decide_audit(a);
  return a;
}

}  // namespace fim::audit
