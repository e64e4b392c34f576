// Certified enclosures of every eigenvalue of a symmetric matrix (proofs/linear-algebra.md, Lemma 7).
#pragma once
#include "linalg/enclosure.hpp"
#include "linalg/sym_matrix.hpp"

namespace fim::linalg {

/// Encloses every eigenvalue of every matrix in `a` on the binary64 path (Weyl + Ostrowski with
/// a-priori product bounds). ok = false on overflow or a failed decomposition. Cost ~13 n^3.
Spectrum enclose_spectrum_fp(const SymMatrix& a);

/// The same enclosure evaluated in MPFI at `bits` bits (Lemmas 7, 10). Cost ~O(n^3) MPFR operations.
Spectrum enclose_spectrum_mp(const SymMatrix& a, int bits);

/// Escalates fp -> mp along p.ladder() until every enclosure is narrower than
/// p.rel_width * (largest |eigenvalue|), or the ladder ends (then the last enclosure is returned).
Spectrum enclose_spectrum(const SymMatrix& a, const Precision& p);

/// The exact spectrum of a diagonal centre, widened by the radius; nullopt if mid is not diagonal.
std::optional<Spectrum> spectrum_if_diagonal(const SymMatrix& a);

/// True when every eigenvalue enclosure of s is at most rel_width * max_i |lambda_i| wide.
bool spectrum_narrow_enough(const Spectrum& s, double rel_width);

}  // namespace fim::linalg
