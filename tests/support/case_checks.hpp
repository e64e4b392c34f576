// Checks of generated matrices and claim cases: finite, exactly symmetric binary64, in a dimension
// range; and bitwise equality, for determinism tests of the generators and the search.
#pragma once
#include <cmath>
#include <cstring>

#include <Eigen/Dense>

#include "claims/claim.hpp"

namespace fim::test {

/// True when m is square, lo <= n <= hi, every entry finite and m(i, j) == m(j, i) bit for bit.
inline bool valid_matrix(const Eigen::MatrixXd& m, int lo, int hi) {
  if (m.rows() != m.cols() || m.rows() < lo || m.rows() > hi) return false;
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j)
      if (!std::isfinite(m(i, j)) || std::memcmp(&m(i, j), &m(j, i), sizeof(double)) != 0) return false;
  return true;
}

/// A and E both valid, of one dimension; A diagonal when the claim is read in A's eigenbasis.
inline bool valid_case(const claims::MatrixCase& c, int lo, int hi, bool diagonal_a) {
  if (!valid_matrix(c.a, lo, hi) || !valid_matrix(c.e, lo, hi) || c.a.rows() != c.e.rows()) return false;
  if (diagonal_a)
    for (Eigen::Index i = 0; i < c.a.rows(); ++i)
      for (Eigen::Index j = 0; j < c.a.cols(); ++j)
        if (i != j && c.a(i, j) != 0) return false;
  return true;
}

/// Same shape and the same bits in every entry (-0 and 0 differ, as they do in a certificate).
inline bool identical(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y) {
  return x.rows() == y.rows() && x.cols() == y.cols() &&
         std::memcmp(x.data(), y.data(), sizeof(double) * static_cast<std::size_t>(x.size())) == 0;
}
inline bool identical(const claims::MatrixCase& x, const claims::MatrixCase& y) {
  return identical(x.a, y.a) && identical(x.e, y.e);
}

/// Follows the first shrink of s until there is none, at most `limit` steps; returns where it ended
/// and sets `steps` (== limit when it did not end: shrinking must be a well-founded order).
template <class Shrinkable>
Shrinkable first_shrink_chain(Shrinkable s, int& steps, int limit = 100000) {
  for (steps = 0; steps < limit; ++steps) {
    auto first = s.shrinks().next();
    if (!first) break;
    s = *first;
  }
  return s;
}

}  // namespace fim::test
