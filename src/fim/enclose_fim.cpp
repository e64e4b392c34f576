#include "fim/enclose_fim.hpp"

#include <algorithm>

#include "linalg/enclose_top.hpp"
#include "linalg/gram.hpp"
#include "linalg/product_bounds.hpp"
#include "numeric/escalation.hpp"
#include "numeric/mp.hpp"

namespace fim::model {
namespace {

using num::Ival;

// enclose_top of G G^T (or G^T G), with the Gram product accumulated again in double-double
// (Lemma 13) when its own rounding keeps the enclosure wider than p.rel_width and p allows
// escalation.
linalg::Top gram_top(const Eigen::MatrixXd& g, const linalg::Precision& p) {
  const linalg::BlockReader read = [&g](Eigen::Index r0, Eigen::Index h, Eigen::Index c0,
                                        Eigen::Index w, Eigen::MatrixXd& out) {
    out = g.block(r0, c0, h, w);
  };
  const linalg::SymMatrix k = linalg::enclose_gram(g.rows(), g.cols(), read);
  return num::escalate<linalg::Top>(
             num::Ladder::of({53, num::kDoubleDouble}).rungs(),
             [&](int rung) {
               return linalg::enclose_top(rung == 53 ? k : linalg::enclose_gram_dd(g.rows(), g.cols(), read), p);
             },
             [&](const linalg::Top& t) {  // --max-bits 53: no escalation at all
               return p.max_bits <= 53 || linalg::top_narrow_enough(t, p.rel_width) ||
                      !linalg::gram_radius_limits(k.radius, t.lambda1.mag(), p.rel_width);
             })
      .result;
}

// lambda_1 / N and gap / N from an enclosure t of the Gram form's; with N = 1 < d the FIM's
// lambda_2 is 0, so the gap is lambda_1 (proofs/linear-algebra.md, Lemma 9, as
// `fimcheck lambda --gram` does).
linalg::Top fim_top(linalg::Top t, Eigen::Index rows, Eigen::Index cols) {
  const Ival n(static_cast<double>(rows));
  t.lambda1 = t.lambda1 / n;
  if (t.gap) t.gap = *t.gap / n;
  if (rows == 1) t.gap = cols > 1 ? std::optional<Ival>(t.lambda1) : std::nullopt;
  return t;
}

// The model's scores in MPFI at `bits`, converted outward to binary64 intervals: radii of about
// one ulp of each score instead of the binary64 evaluation's accumulated roundings.
Dense<Ival> mp_scores(const Model& m, const LabelPlan& plan, int bits) {
  num::ScopedPrecision prec(bits);
  const Dense<num::MpIval> g = score_matrix<num::MpIval>(
      m.arch, cast<num::MpIval>(std::span<const double>(m.theta)), cast<num::MpIval>(m.inputs), plan);
  Dense<Ival> r(g.rows, g.cols);
  for (std::size_t k = 0; k < g.v.size(); ++k) r.v[k] = num::to_ival(g.v[k]);
  return r;
}

}  // namespace

linalg::IntervalBox box_of(const Dense<Ival>& m) {
  return linalg::box_of(static_cast<Eigen::Index>(m.rows), static_cast<Eigen::Index>(m.cols), m.v);
}

Eigen::MatrixXd to_eigen(const Dense<double>& g) {
  Eigen::MatrixXd m(g.rows, g.cols);
  for (std::size_t i = 0; i < g.rows; ++i)
    for (std::size_t j = 0; j < g.cols; ++j) m(i, j) = g(i, j);
  return m;
}

linalg::Top enclose_fim_top(const Eigen::MatrixXd& g, const linalg::Precision& p) {
  return fim_top(gram_top(g, p), g.rows(), g.cols());
}

linalg::Top enclose_fim_top(const Dense<Ival>& g, const linalg::Precision& p) {
  const linalg::IntervalBox box = box_of(g);
  if (!box.finite) return linalg::Top{};  // ok = false, lambda1 the whole line
  const Eigen::MatrixXd &mid = box.mid, &rad = box.radius;
  linalg::Top t = gram_top(mid, p);
  if (!t.ok) return t;
  // proofs/models.md, Lemma 9: every Gram matrix of the box is within
  // 2 ||M||_2 ||R||_F + ||R||_F^2 of M's, and ||M||_2^2 = lambda_1(Gram(M)) <= t.lambda1.hi
  const double r = linalg::frobenius_up(rad), norm_mid = num::sqrt_up(t.lambda1.hi);
  const double extra = num::add_up(num::mul_up(2.0, num::mul_up(norm_mid, r)), num::mul_up(r, r));
  t.lambda1 = linalg::widen(t.lambda1, extra);  // Weyl: each eigenvalue moves by <= extra
  t.lambda1.lo = std::max(t.lambda1.lo, 0.0);   // a Gram matrix is positive semidefinite
  if (t.gap) t.gap = linalg::gap_between(*t.gap, Ival(-extra, extra) + Ival(-extra, extra));
  return fim_top(t, mid.rows(), mid.cols());
}

linalg::Top enclose_model_top(const Model& m, const LabelPlan& plan, const linalg::Precision& p) {
  // Scores in binary64 intervals, then once in MPFI at 113 bits (the scores' own width, not the
  // eigenvalue solver's, is what a higher rung narrows here).
  return num::escalate<linalg::Top>(
             num::Ladder::of({53, std::max(53, std::min(p.max_bits, 113))}).rungs(),
             [&](int bits) {
               if (bits > 53) return enclose_fim_top(mp_scores(m, plan, bits), p);
               const std::vector<Ival> theta = cast<Ival>(std::span<const double>(m.theta));
               return enclose_fim_top(score_matrix<Ival>(m.arch, theta, cast<Ival>(m.inputs), plan), p);
             },
             [&](const linalg::Top& t) { return linalg::top_narrow_enough(t, p.rel_width) || p.max_bits <= 53; })
      .result;
}

}  // namespace fim::model
