// The multiple-precision rung: eigenvalue enclosures of MPFI interval matrices (Lemmas 7, 10).
#pragma once
#include <vector>

#include <Eigen/Dense>

#include "numeric/mp.hpp"

namespace fim::linalg {

using MpMatrix = Eigen::Matrix<num::MpIval, Eigen::Dynamic, Eigen::Dynamic>;

/// Eigenvalue enclosures at working precision, descending; ok = false when none could be made.
struct SpectrumMp {
  std::vector<num::MpIval> eig;
  bool ok = false;
};

/// Encloses every eigenvalue of every symmetric matrix whose entries lie in the intervals of a,
/// at the precision of the caller's num::ScopedPrecision. Cost ~O(n^3) MPFR operations.
SpectrumMp enclose_spectrum_mpi(const MpMatrix& a);

/// The interval matrix of exact binary64 entries.
MpMatrix to_mp(const Eigen::MatrixXd& m);

}  // namespace fim::linalg
