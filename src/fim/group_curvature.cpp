#include "fim/group_curvature.hpp"

#include <cmath>
#include <stdexcept>

#include "io/matrix_io.hpp"
#include "linalg/enclose_top.hpp"

namespace fim::fim {
using Eigen::Index;
using num::Ival;

namespace {

// lambda_max and trace of F_gg from a Corollary 1b ball K_g (of G_g G_g^T, or a principal block of
// G^T G): both divided by n outward. |tr K - tr K^| <= the ball's radius (Corollary 1c), and
// lambda_max by Lemmas 4-6.
GroupCurvature curvature_of(const std::string& name, Index c0, Index c1, const linalg::SymMatrix& k, Index n,
                            const std::string& origin) {
  if (!std::isfinite(k.radius) || !k.mid.allFinite())
    throw io::InputError(origin, "group " + name,
                         "its Gram product overflows binary64; run without --per-group, which rescales G");
  const linalg::Top top = linalg::enclose_top_fp(k);
  if (!top.ok) throw io::InputError(origin, "group " + name, "no enclosure of its lambda_max could be computed");
  Ival trace(0.0);
  for (Index i = 0; i < k.dim(); ++i) trace += Ival(k.mid(i, i));
  trace += Ival(-k.radius, k.radius);
  const Ival nn(static_cast<double>(n));
  Ival tr = trace / nn;
  if (tr.lo < 0) tr.lo = 0;  // the trace of a PSD matrix is >= 0
  Ival top1 = top.lambda1 / nn;
  if (top1.lo < 0) top1.lo = 0;  // lambda_max of a PSD matrix is >= 0
  return {name, c0, c1, top1, tr};
}

}  // namespace

GroupPass group_pass(const io::ScoreShards& s, std::size_t g0, std::size_t g1,
                     const std::function<void(Index)>& done) {
  io::ShardReader reader(s);
  const linalg::BlockReader read = [&reader](Index r0, Index h, Index c0, Index w, Eigen::MatrixXd& b) {
    reader.read(r0, h, c0, w, b);
  };
  GroupPass out;
  linalg::PartialSum sum;
  Index before = 0;
  for (std::size_t g = g0; g < g1; ++g) {
    const io::ScoreShards::Group& grp = s.groups[g];
    linalg::GramPartial p = linalg::gram_of_columns(s.n, grp.c0, grp.c1, read, [&](Index k) {
      if (done) done(before + k);
    });
    before += grp.c1 - grp.c0;
    out.groups.push_back(curvature_of(grp.name, grp.c0, grp.c1, linalg::enclose_partial(p), s.n, s.origin));
    sum.add(std::move(p));
  }
  out.total = sum.total();
  return out;
}

GroupCurvature block_curvature(const std::string& name, const linalg::SymMatrix& k, Index c0, Index c1,
                               Index n, const std::string& origin) {
  // ||P^T E P||_2 <= ||E||_2 for a coordinate projection P, so the block keeps K's radius.
  const linalg::SymMatrix block{k.mid.block(c0, c0, c1 - c0, c1 - c0), k.radius};
  return curvature_of(name, c0, c1, block, n, origin);
}

}  // namespace fim::fim
