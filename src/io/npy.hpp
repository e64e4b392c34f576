// .npy intake, memory-mapped: a score matrix with d in the millions is streamed block by block.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <Eigen/Dense>

namespace fim::io {

/// A 2-D (or 1-D, read as 1 x d) .npy array of dtype <f8, >f8, <f4 or >f4, C or Fortran order,
/// format version 1.0, 2.0 or 3.0, mapped from disk. The constructor validates the header and
/// that the file holds exactly the declared data; it throws InputError otherwise.
class NpyMatrix {
 public:
  explicit NpyMatrix(const std::string& path);
  ~NpyMatrix();
  NpyMatrix(NpyMatrix&&) noexcept;
  NpyMatrix& operator=(NpyMatrix&&) noexcept;

  Eigen::Index rows() const;
  Eigen::Index cols() const;
  /// 1 for a 1-D array (read as 1 x d), 2 for a 2-D one.
  int ndim() const;
  const std::string& file() const;
  /// Bytes per stored entry: 4 (float32) or 8 (float64).
  int item_bytes() const;

  /// Copies rows [r0, r0 + h) x columns [c0, c0 + w) into out (resized to h x w) as exact binary64
  /// values. Throws InputError naming the entry (row, column) and its byte offset when an entry
  /// is NaN or infinite.
  void read_block(Eigen::Index r0, Eigen::Index h, Eigen::Index c0, Eigen::Index w,
                  Eigen::MatrixXd& out) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// What a file that is not an .npy array is, judged by its first bytes, with the way to write one
/// array instead: a zip archive (.npz, or PyTorch's .pt) or a Python pickle; a generic reason else.
std::string not_npy_reason(std::string_view head);

/// What FILE's first bytes say it is: an .npy array, an archive or pickle that holds no single
/// array we could read (with the reason and a hint), or anything else (text, or unreadable).
enum class FileKind { npy, archive, other };
struct Sniffed {
  FileKind kind;
  std::string reason;  // for an archive
};
Sniffed sniff(const std::string& path);

}  // namespace fim::io
