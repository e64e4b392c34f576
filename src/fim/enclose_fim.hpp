// Certified lambda_1 of a model's FIM G^T G / N from score rows held in memory (SPEC S4, S5),
// through the Gram form of src/linalg/gram.hpp and the escalating enclosure of enclose_top.hpp.
#pragma once
#include <Eigen/Dense>

#include "fim/model.hpp"
#include "linalg/enclose_top.hpp"
#include "linalg/interval_box.hpp"

namespace fim::model {

/// Encloses lambda_1 (and the gap) of G^T G / N for the exact binary64 matrix g (N x d, N >= 1):
/// the same quantity `fimcheck lambda --gram` encloses from a file. ok = false on overflow.
linalg::Top enclose_fim_top(const Eigen::MatrixXd& g, const linalg::Precision& p);

/// Encloses lambda_1 (and the gap) of G^T G / N for every G in the interval matrix g: with centre
/// M and radius R, the Gram matrices of the box lie within 2 ||M||_2 ||R||_F + ||R||_F^2 of M's
/// in spectral norm (proofs/models.md, Lemma 9), ||M||_2 bounded by the enclosure of M's. Used for interval scores (rounding of the score formulas,
/// or inputs x0 + t u over t in [t_k, t_(k+1)]). Needs finite entries (ok = false otherwise).
linalg::Top enclose_fim_top(const Dense<num::Ival>& g, const linalg::Precision& p);

/// Encloses lambda_1 of the model's FIM with these labels: scores evaluated in Ival at the
/// model's binary64 theta and inputs, so the enclosure covers the exact scores, not fl(G); when
/// that is wider than p.rel_width, the scores are re-evaluated in 113-bit MPFI (if p.max_bits
/// allows) and converted outward. Cost: one score pass (two when escalating) + one enclose_top.
linalg::Top enclose_model_top(const Model& m, const LabelPlan& plan, const linalg::Precision& p);

/// The centre and entrywise radius of an interval matrix (linalg/interval_box.hpp).
linalg::IntervalBox box_of(const Dense<num::Ival>& m);

/// The binary64 matrix of a Dense<double>, for Eigen and the .npy writer.
Eigen::MatrixXd to_eigen(const Dense<double>& g);

}  // namespace fim::model
