// An interval matrix as a centre and an entrywise radius, and as a spectral-norm ball: the form
// the binary64 enclosures take (proofs/linear-algebra.md, Lemmas 2 and 5).
#pragma once
#include <span>

#include <Eigen/Dense>

#include "linalg/sym_matrix.hpp"
#include "numeric/interval.hpp"

namespace fim::linalg {

/// Every matrix whose entries lie in the intervals is within `radius` of `mid`, entry by entry;
/// finite = false when some interval is unbounded (mid and radius are then meaningless).
struct IntervalBox {
  Eigen::MatrixXd mid, radius;
  bool finite = true;
};

/// The box of the rows x cols interval matrix stored row-major in `entries`.
IntervalBox box_of(Eigen::Index rows, Eigen::Index cols, std::span<const num::Ival> entries);

/// The SymMatrix holding every symmetric matrix of a box whose intervals are symmetric
/// (entry (i, j) the same interval as (j, i)): the centre, with radius >= ||radius||_2 (Lemma 2).
SymMatrix ball_of(const IntervalBox& box);

}  // namespace fim::linalg
