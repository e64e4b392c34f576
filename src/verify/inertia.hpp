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

/// The inertia of the symmetric matrix m about x (that of m - x I), exactly.
Inertia inertia_at(const Matrix& m, const mpq_class& x);

}  // namespace fim::verify
