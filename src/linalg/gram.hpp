// The smaller Gram matrix of a score matrix G (n x d), streamed in blocks (proofs/linear-algebra.md,
// Lemma 1b and Lemma 9): F = G^T G / n and K = G G^T / n share their nonzero eigenvalues.
#pragma once
#include <functional>
#include <vector>

#include "linalg/sym_matrix.hpp"

namespace fim::linalg {

/// Copies rows [r0, r0 + h) x columns [c0, c0 + w) of G into out (resized to h x w).
using BlockReader = std::function<void(Eigen::Index r0, Eigen::Index h, Eigen::Index c0,
                                       Eigen::Index w, Eigen::MatrixXd& out)>;

/// Pairwise accumulation of matrices: a binary counter of partial sums, so every term passes
/// through at most 2 ceil(log2(count + 1)) additions after it is added (Corollary 1b, D).
class PairwiseSum {
 public:
  void add(Eigen::MatrixXd m);
  /// The sum of everything added (dim x dim zero if nothing), emptying the counter.
  Eigen::MatrixXd total(Eigen::Index dim);
  Eigen::Index count() const { return count_; }

 private:
  struct Entry {
    int level;
    Eigen::MatrixXd sum;
  };
  std::vector<Entry> stack_;
  Eigen::Index count_ = 0;
};

/// A computed Gram sum K^ = H H^T (lower triangle) with what Corollary 1b needs to bound its
/// error: the height of every entry's evaluation, the number of columns of H, and whether every
/// entry of H was 0 (then K^ = 0 exactly).
struct GramPartial {
  Eigen::MatrixXd lower;
  Eigen::Index height = 0, terms = 0;
  bool zero = true;
};

/// H H^T over blocks of H's columns, each block of at most 256 columns (Corollary 1b's chunks).
class GramAccumulator {
 public:
  explicit GramAccumulator(Eigen::Index m);
  /// Adds block * block^T for an m x w block, w <= 256.
  void add(const Eigen::MatrixXd& block);
  GramPartial finish();

 private:
  Eigen::Index m_, terms_ = 0;
  bool zero_ = true;
  PairwiseSum sum_;
};

/// The sum of Gram partials over disjoint sets of columns of one H (per parameter group, or per
/// rank): itself a partial, of height the largest plus 2 ceil(log2(P + 1)) (Corollary 1b).
class PartialSum {
 public:
  void add(GramPartial p);
  GramPartial total();

 private:
  Eigen::Index m_ = 0, height_ = 0, terms_ = 0, parts_ = 0;
  bool zero_ = true;
  PairwiseSum sum_;
};

/// The ball of Corollary 1b around a partial: centre K^ (exactly symmetric), radius bounding
/// ||K^ - H H^T||_2, +inf if K^ is not finite, 0 if H = 0.
SymMatrix enclose_partial(const GramPartial& p);

/// G_c G_c^T for the columns c in [c0, c1) of the n-row matrix G that `read` gives, read left to
/// right in chunks of 256 columns; `done` gets the number of columns read so far.
GramPartial gram_of_columns(Eigen::Index n, Eigen::Index c0, Eigen::Index c1, const BlockReader& read,
                            const std::function<void(Eigen::Index)>& done = {});

/// Columns per unit of work of a wide Gram product (2^20): G G^T is the sum over units, in order,
/// of each unit's Gram partial. A unit's columns are fixed by d alone, so a single file, its
/// shards, and the ranks of an mpirun run that each take some units give the same sum, bit for bit.
inline constexpr Eigen::Index kUnitColumns = Eigen::Index{1} << 20;

/// The number of units of d columns.
Eigen::Index gram_units(Eigen::Index d);

/// The Gram partial of unit u: columns [u 2^20, min(d, (u + 1) 2^20)) of the n x d matrix G.
GramPartial gram_of_unit(Eigen::Index n, Eigen::Index d, Eigen::Index u, const BlockReader& read,
                         const std::function<void(Eigen::Index)>& done = {});

/// Encloses G G^T (when n < d) or G^T G (when n >= d) as a binary64 centre and a certified
/// spectral-norm radius; the FIM's nonzero eigenvalues are those of the result divided by n.
/// Reads every entry once; memory O(min(n, d)^2 log(chunks)). When n < d it is the PartialSum of
/// the units' partials (gram_of_unit), in order. `progress` gets the fraction done.
SymMatrix enclose_gram(Eigen::Index n, Eigen::Index d, const BlockReader& read,
                       const std::function<void(double)>& progress = {});

/// The same matrix with every entry accumulated in double-double (Dot2; proofs/linear-algebra.md,
/// Lemma 13): about ten times the work of enclose_gram, for a radius near 2^-53 ||K||_F instead
/// of the gamma_h tr K of Lemma 1b. Zero G gives exactly 0 (radius 0).
SymMatrix enclose_gram_dd(Eigen::Index n, Eigen::Index d, const BlockReader& read,
                          const std::function<void(double)>& progress = {});

/// Whether a Gram matrix's own radius, rather than the eigenvalue solver, keeps an enclosure of
/// magnitude `mag` from `rel_width`: it widens it by 2 radius (Corollary 5a), and past half the
/// budget the product is worth accumulating again with enclose_gram_dd.
bool gram_radius_limits(double radius, double mag, double rel_width);

}  // namespace fim::linalg
