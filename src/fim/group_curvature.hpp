// Per-layer curvature: the FIM's diagonal block F_gg = G_g^T G_g / n of every parameter group
// (a parameter of the manifest, or a shard), certified in the same pass over the shards as the
// whole FIM (proofs/linear-algebra.md, Corollary 1c).
#pragma once
#include <string>
#include <vector>

#include "io/score_shards.hpp"
#include "linalg/gram.hpp"
#include "numeric/interval.hpp"

namespace fim::fim {

/// One group's certified lambda_max(F_gg) and trace(F_gg).
struct GroupCurvature {
  std::string name;
  Eigen::Index c0 = 0, c1 = 0;  // its columns [c0, c1) of G
  num::Ival lambda_max, trace;
};

/// What one pass over groups [g0, g1) of a wide G (n < d) gives: each group's curvature, and
/// the PartialSum of the groups' Gram partials K_g = G_g G_g^T (n x n), the part of G G^T those
/// columns contribute. `done` gets the number of columns read so far.
struct GroupPass {
  std::vector<GroupCurvature> groups;
  linalg::GramPartial total;
};
GroupPass group_pass(const io::ScoreShards& s, std::size_t g0, std::size_t g1,
                     const std::function<void(Eigen::Index)>& done = {});

/// The curvature of the columns [c0, c1) from the Corollary 1b ball K of G^T G (d x d, the
/// orientation used when n >= d): its principal submatrix, with K's radius, divided by n
/// (Corollary 1c). `origin` is what an error names.
GroupCurvature block_curvature(const std::string& name, const linalg::SymMatrix& k, Eigen::Index c0,
                               Eigen::Index c1, Eigen::Index n, const std::string& origin);

}  // namespace fim::fim
