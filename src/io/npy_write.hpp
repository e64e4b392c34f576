// .npy output: float64, little-endian, C order, NumPy format 1.0, written atomically.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace fim::io {

/// Writes `values` (row-major, as many as the product of `shape`, 1 or 2 dimensions) to path as a
/// '<f8' C-order .npy 1.0 file through a temporary file and a rename, so no partial file is ever
/// left; throws std::invalid_argument on a bad shape and std::runtime_error when writing fails.
void write_npy(const std::string& path, const std::vector<std::uint64_t>& shape,
               std::span<const double> values);

/// The bytes write_npy writes (header and data), for tests and for callers that write elsewhere.
std::string npy_bytes(const std::vector<std::uint64_t>& shape, std::span<const double> values);

}  // namespace fim::io
