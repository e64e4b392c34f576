// A score matrix G (n x d) stored as column shards: .npy files side by side, listed in order by a
// manifest (written by python/fimcheck_torch.py; README, "Real models") or given as plain files.
// Streaming them keeps one shard mapped at a time, so memory does not grow with d (SPEC S13).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <Eigen/Dense>

namespace fim::io {

class NpyMatrix;

/// Where each column of G is stored, and the groups the columns form.
struct ScoreShards {
  struct Shard {
    std::string file;        // the .npy file (relative paths of a manifest resolved)
    Eigen::Index c0 = 0, c1 = 0;  // its columns [c0, c1) of G
  };
  struct Group {
    std::string name;        // a parameter of the manifest, or a shard's file name
    Eigen::Index c0 = 0, c1 = 0;  // its columns [c0, c1) of G, contiguous
  };
  std::string origin;        // the manifest, or the first shard: what errors and reports name
  Eigen::Index n = 0, d = 0;
  int item_bytes = 0;        // 4 or 8 as the manifest's dtype says; 0: any (a plain list)
  std::vector<Shard> shards;  // in column order, covering [0, d)
  std::vector<Group> groups;  // in column order, covering [0, d)
};

/// Whether FILE is to be read as a manifest: its name ends in .json.
bool is_manifest(const std::string& path);

/// The shards and groups of a manifest (format "fimcheck-scores", version 1). Checks the manifest
/// itself (types, exact integers, contiguous column ranges adding up to d, parameters inside their
/// shards); each shard's own header is checked when it is read. Throws InputError naming the
/// manifest and the offending field.
ScoreShards read_manifest(const std::string& path);

/// The shards of plain .npy files taken side by side in the order given (one group per file):
/// every file must be 2-D with the same number of rows. Throws InputError naming the file.
ScoreShards shards_of_files(const std::vector<std::string>& files);

/// Reads blocks of G across its shards, mapping a shard when a block first needs it and
/// unmapping those wholly left of a block's first column (a sweep from left to right keeps at
/// most the shards under one block mapped). A shard whose rows, columns or dtype differ from
/// what the listing says is refused (InputError naming the shard) when it is first mapped.
class ShardReader {
 public:
  explicit ShardReader(const ScoreShards& s);
  ~ShardReader();
  /// Copies rows [r0, r0 + h) x columns [c0, c0 + w) of G into out (resized to h x w).
  void read(Eigen::Index r0, Eigen::Index h, Eigen::Index c0, Eigen::Index w, Eigen::MatrixXd& out);

 private:
  const NpyMatrix& open(std::size_t k);
  const ScoreShards& s_;
  std::vector<std::unique_ptr<NpyMatrix>> open_;
  Eigen::MatrixXd part_;
};

}  // namespace fim::io
