// read -> SymMatrix: the one place where user files become matrices to enclose.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "fim/group_curvature.hpp"
#include "linalg/sym_matrix.hpp"
#include "numeric/escalation.hpp"
#include "numeric/interval.hpp"

namespace fim::cli {

/// A symmetric matrix from FILE: exact entries are the centre; interval entries (decimal text) and
/// --symmetrize contribute a certified radius. Throws io::InputError (exit 2) on bad input.
linalg::SymMatrix load_symmetric(const std::string& path, bool symmetrize);

/// The smaller Gram matrix of the score matrix in FILE (Lemma 9); the FIM's eigenvalues are its
/// eigenvalues divided by `n` (the number of rows of G).
struct GramInput {
  linalg::SymMatrix gram;
  Eigen::Index n = 0, d = 0;
  int scale2 = 0;  // gram encloses 2^-scale2 G G^T (G scaled by an exact power of two, Lemma 14)
};
/// FILES: one .npy or CSV file, one manifest of score shards (.json, or the folder holding it as
/// manifest.json), or several .npy shards side by side; shards are streamed one at a time. Under mpirun the binary64 product is split across
/// the ranks (enclose_gram_ranks). precise: accumulate in double-double (Lemma 13) instead of
/// binary64 (Lemma 1b).
GramInput load_gram(const std::vector<std::string>& files, bool show_progress, bool precise = false);

/// The matrix whose eigenvalues divided by `divisor` are the FIM's: FILE itself (divisor 1) or,
/// with gram, the Gram matrix of the scores in FILE (divisor n, Lemma 9).
struct FimMatrix {
  linalg::SymMatrix m;
  double divisor = 1;
  Eigen::Index n = 0, d = 0;
  bool precise_gram = false;  // the Gram matrix was accumulated in double-double
  int scale2 = 0;             // the FIM's eigenvalues are those of m times 2^scale2, over divisor
};

/// The FIM of the score shards in FILES (a manifest, or .npy files side by side) together with the
/// curvature of each group's diagonal block, all from one pass over the shards (under mpirun the
/// groups are split across the ranks). The whole FIM is the sum of the groups' Gram partials.
struct GroupedFim;
GroupedFim load_per_group(const std::vector<std::string>& files, bool show_progress);

/// The FIM's eigenvalue enclosure from an enclosure `raw` of one of f.m: times 2^scale2 and
/// divided by the divisor, rounded outward; beyond binary64's range a lower end becomes DBL_MAX
/// and an upper end +inf (the value is certified to be that large).
num::Ival fim_value(const FimMatrix& f, const num::Ival& raw);
FimMatrix load_fim_matrix(const std::vector<std::string>& files, bool gram, bool symmetrize,
                          bool show_progress, bool precise_gram = false);
FimMatrix load_fim_matrix(const std::string& path, bool gram, bool symmetrize, bool show_progress,
                          bool precise_gram = false);

struct GroupedFim {
  FimMatrix fim;
  std::vector<fim::GroupCurvature> groups;
  int shards = 0;
};

/// Whether f is a binary64 Gram matrix whose rounding radius, rather than the eigenvalue solver,
/// keeps the enclosure `raw` of its lambda_1 (before the division by n) wider than rel_width:
/// then the Gram matrix is worth accumulating again in double-double.
/// Escalation is allowed only above 53 bits (--max-bits 53 means binary64 only).
bool gram_worth_refining(const FimMatrix& f, const num::Ival& raw, double rel_width, int max_bits);

/// Runs `enclose(f.m)` and, when the Gram product's rounding is what keeps the enclosure of
/// lambda_1 (`lambda1(result)`, empty when there is none) wider than rel_width, reloads `path` with
/// the Gram matrix accumulated in double-double (Lemma 13) and runs it again: the one escalation
/// of the Gram product that lambda, spectrum and sigma share. On return f is the load the result
/// speaks of.
template <class Enclose, class Lambda1>
auto enclose_refining_gram(FimMatrix& f, const std::vector<std::string>& files, double rel_width, int max_bits,
                           bool show_progress, Enclose enclose, Lambda1 lambda1) {
  using R = decltype(enclose(f.m));
  return num::escalate<R>(
             num::Ladder::of({53, num::kDoubleDouble}).rungs(),
             [&](int rung) {
               if (rung != 53) f = load_fim_matrix(files, true, false, show_progress, true);
               return enclose(f.m);
             },
             [&](const R& result) {
               const std::optional<num::Ival> top = lambda1(result);
               return !top || !gram_worth_refining(f, *top, rel_width, max_bits);
             })
      .result;
}
template <class Enclose, class Lambda1>
auto enclose_refining_gram(FimMatrix& f, const std::string& path, double rel_width, int max_bits,
                           bool show_progress, Enclose enclose, Lambda1 lambda1) {
  return enclose_refining_gram(f, std::vector<std::string>{path}, rel_width, max_bits, show_progress,
                               enclose, lambda1);
}

}  // namespace fim::cli
