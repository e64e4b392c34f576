// Test data of the benchmarks: score matrices as float32 .npy files.
#pragma once
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>

/// Writes an n x w float32 C-order .npy of normal entries drawn from rng, row i scaled by 2 when
/// i % 7 == 0 (rows of different size, as scores are); throws when the disk refuses it.
inline void write_npy_f32(const std::string& path, Eigen::Index n, Eigen::Index w, std::mt19937_64& rng) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(n) +
                       ", " + std::to_string(w) + "), }";
  header += std::string(63 - (10 + header.size()) % 64, ' ') + "\n";
  std::ofstream f(path, std::ios::binary);
  const unsigned short len = static_cast<unsigned short>(header.size());
  f.write("\x93NUMPY\x01\x00", 8);
  f.write(reinterpret_cast<const char*>(&len), 2);
  f.write(header.data(), static_cast<std::streamsize>(header.size()));
  std::normal_distribution<float> normal;
  std::vector<float> row(static_cast<std::size_t>(w));
  for (Eigen::Index i = 0; i < n; ++i) {
    for (auto& x : row) x = normal(rng) * (i % 7 == 0 ? 2.0f : 1.0f);
    f.write(reinterpret_cast<const char*>(row.data()), static_cast<std::streamsize>(row.size() * 4));
  }
  if (!f) throw std::runtime_error("cannot write " + path + " (disk full?)");
}
