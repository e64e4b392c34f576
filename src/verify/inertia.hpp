// The verifier's own exact inertia count (proofs/verify.md, section 3): a symmetric LDL^T
// factorization in rationals with symmetric pivoting, read through Sylvester's law of inertia.
#pragma once
#include <vector>

#include <gmpxx.h>

namespace fim::verify {

using Matrix = std::vector<std::vector<mpq_class>>;

/// How many eigenvalues of a symmetric matrix lie below, at and above a point.
struct Inertia {
  int below = 0, at = 0, above = 0;
};

/// The inertia of the symmetric matrix m about x (that of m - x I), exactly; throws Refused when
/// the counts since reset_inertia_budget() have written more than their shared budget of bits.
Inertia inertia_at(const Matrix& m, const mpq_class& x);

/// Charges the bits of an exact entry x another computation wrote (the claim language's matrix
/// sums and products) to the same budget; throws Refused beyond it; returns x.
const mpq_class& charge_work(const mpq_class& x);

/// Starts a new certificate's work budget for inertia_at (one budget per certificate, so that
/// many bounds cannot multiply the time a certificate may take).
void reset_inertia_budget();

}  // namespace fim::verify
