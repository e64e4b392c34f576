// Test helper: a matrix written as a float64 .npy file in a temporary folder.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "io/npy_write.hpp"
#include "support/io_checks.hpp"

namespace fim::test {

/// Writes m as a 2-D float64 C-order .npy file named `name` in dir; returns its path.
inline std::string write_npy_matrix(const TempDir& dir, const std::string& name, const Eigen::MatrixXd& m) {
  std::vector<double> v;  // row-major, as write_npy takes it
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) v.push_back(m(i, j));
  const std::string path = (dir.path / name).string();
  io::write_npy(path, {std::uint64_t(m.rows()), std::uint64_t(m.cols())}, v);
  return path;
}

}  // namespace fim::test
