// Rigorous a-priori error bounds for binary64 dot and matrix products, and norm bounds.
// proofs/linear-algebra.md, Lemmas 1 and 2.
#pragma once
#include <Eigen/Dense>

#include "numeric/interval.hpp"

namespace fim::linalg {

/// Upper bound of |fl(x^T y) - x^T y| for a dot product of length k evaluated in any order, each
/// term rounded at most h times, given t = the computed |x|^T |y| (Lemma 1: B(t, k, h)).
/// +inf when t is not finite.
double dot_error_up(double t, Eigen::Index k, Eigen::Index h);

/// Upper bound of an exact sum of `terms` nonnegative terms (products of binary64 numbers, or the
/// numbers themselves) from its value computed in any order (Lemma 1: S <= (t + k eta) / (1 - gamma_k)).
double nonneg_sum_up(double computed, Eigen::Index terms);

/// Entrywise upper bound of |fl(A B) - A B| from the computed |A| |B| (inner length k), any
/// blocking (Lemma 1, Corollary 1a).
Eigen::MatrixXd product_error_up(const Eigen::MatrixXd& abs_product, Eigen::Index k);

/// Upper bounds of matrix norms (Lemma 2). norm2_up: sqrt(||M||_1 ||M||_inf).
double norm1_up(const Eigen::MatrixXd& m);
double norm_inf_up(const Eigen::MatrixXd& m);
/// v 2^k rounded upward (exact but for overflow or underflow), v >= 0.
double scale_up(double v, int k);
double norm2_up(const Eigen::MatrixXd& m);
double frobenius_up(const Eigen::MatrixXd& m);
/// Encloses the Euclidean norm of a vector.
num::Ival norm2(const Eigen::VectorXd& v);
/// Encloses x^T y exactly computed from binary64 x and y (interval accumulation).
num::Ival dot(const Eigen::VectorXd& x, const Eigen::VectorXd& y);

/// Upper bound of sum_i |v_i| (upward accumulation).
double abs_sum_up(const Eigen::Ref<const Eigen::VectorXd>& v);

}  // namespace fim::linalg
