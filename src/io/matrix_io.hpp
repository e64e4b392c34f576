// Intake of user matrices (.npy, CSV): read -> (exact binary64 centre, radius) -> enclose.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Dense>

namespace fim::io {

/// A malformed or unreadable input. what() is one line: "FILE: PLACE: REASON".
class InputError : public std::runtime_error {
 public:
  InputError(const std::string& file, const std::string& place, const std::string& reason);
  const std::string file, place, reason;
};

/// A dense real matrix as read. Entries are exact binary64 values (npy) or, for decimal text that
/// is not a binary64 value, the tightest binary64 interval [lo, hi] around it (CSV); exact entries
/// have lo == hi. For an exact file lo and hi are the same matrix (hi is left empty to save memory).
struct DenseInput {
  std::string file;
  Eigen::MatrixXd lo;
  Eigen::MatrixXd hi;  // empty when every entry is exact
  // Row-major canonical exact decimal ("d.ddde-N") of each inexact CSV cell, "" for exact cells;
  // empty when every entry is exact (always for npy). require_symmetric compares these.
  std::vector<std::string> exact_text;
  bool exact() const { return hi.size() == 0; }
};

/// Reads FILE as .npy when it starts with the .npy magic or is named .npy, otherwise as CSV; a zip
/// archive (.npz, PyTorch .pt) or a pickle is refused with a hint. A 1-D npy array is 1 x d.
/// Throws InputError naming the file, the place and the reason; never returns non-finite entries.
DenseInput read_dense(const std::string& path);
DenseInput read_npy(const std::string& path);
DenseInput read_csv(const std::string& path);

/// Checks exact symmetry (on the decimal values for CSV). Throws InputError naming the first
/// (i, j), 0-based in the message as "entry (i, j)", that differs from (j, i), or a non-square shape.
void require_symmetric(const DenseInput& m);

}  // namespace fim::io
