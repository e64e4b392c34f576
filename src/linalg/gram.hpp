// The smaller Gram matrix of a score matrix G (n x d), streamed in blocks (proofs/linear-algebra.md,
// Lemma 1b and Lemma 9): F = G^T G / n and K = G G^T / n share their nonzero eigenvalues.
#pragma once
#include <functional>

#include "linalg/sym_matrix.hpp"

namespace fim::linalg {

/// Copies rows [r0, r0 + h) x columns [c0, c0 + w) of G into out (resized to h x w).
using BlockReader = std::function<void(Eigen::Index r0, Eigen::Index h, Eigen::Index c0,
                                       Eigen::Index w, Eigen::MatrixXd& out)>;

/// Encloses G G^T (when n < d) or G^T G (when n >= d) as a binary64 centre and a certified
/// spectral-norm radius; the FIM's nonzero eigenvalues are those of the result divided by n.
/// Reads every entry once; memory O(min(n, d)^2 log(chunks)). `progress` gets the fraction done.
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
