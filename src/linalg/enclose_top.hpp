// Certified lambda_1, gap and spectral norm of symmetric matrices (proofs/linear-algebra.md,
// Lemmas 3-8).
#pragma once
#include "linalg/enclosure.hpp"
#include "linalg/sym_matrix.hpp"

namespace fim::linalg {

/// Encloses lambda_1 and the gap of every matrix in a (dim >= 1) on the binary64 path: Rayleigh
/// quotient below; above, Temple's bound with lambda_2 bounded by a deflated Cholesky
/// certificate, else a direct Cholesky certificate of mu I - A. ok = false on overflow.
/// Cost: ~k n^2 (Lanczos) + 2 n^3 / 3 for n > 128, the full spectrum (~13 n^3) below.
Top enclose_top_fp(const SymMatrix& a);

/// Escalates fp -> MPFI along p.ladder() while lambda_1 is wider than p.rel_width (relative).
Top enclose_top(const SymMatrix& a, const Precision& p);

/// The Top part of a full spectrum enclosure.
Top top_of(const Spectrum& s);

/// Certified upper bound of ||E||_2 = max(lambda_1(E), lambda_1(-E)) (Lemma 8); +inf on failure.
double enclose_norm_up(const SymMatrix& e, const Precision& p);

}  // namespace fim::linalg
