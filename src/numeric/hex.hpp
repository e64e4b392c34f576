// Exact text of binary64 numbers and matrices as C99 hex floats (certificates, counterexamples).
#pragma once
#include <cstdio>
#include <string>

#include <Eigen/Dense>

#include "numeric/interval.hpp"

namespace fim::num {

/// Formats x as a C99 hex float ("%a"), exact.
inline std::string hex(double x) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%a", x);
  return buf;
}
inline std::string hex(const num::Ival& x) { return "[" + hex(x.lo) + ", " + hex(x.hi) + "]"; }

/// Every entry of A exactly, row by row, as hex floats.
inline std::string hex_matrix(const Eigen::MatrixXd& a) {
  std::string s = "n = " + std::to_string(a.rows()) + "\n";
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    s += "  [";
    for (Eigen::Index j = 0; j < a.cols(); ++j) s += (j ? ", " : "") + hex(a(i, j));
    s += "]\n";
  }
  return s;
}

}  // namespace fim::num
