// One check per certificate kind (proofs/verify.md, section 5); each reads the rest of the
// certificate strictly, derives the inequality from (claim, variant, where) and decides it exactly.
#pragma once
#include "verify/cert.hpp"

namespace fim::verify {

/// weyl, directional and genericity per-draw (linear_inequality.cpp).
Check check_linear(const Json& cert, const VariantInfo& v);
/// remainder (remainder.cpp).
Check check_remainder(const Json& cert, const VariantInfo& v);
/// genericity in M1 and M2, the exact mean over Rademacher draws (genericity_mean.cpp).
Check check_genericity_mean(const Json& cert, const VariantInfo& v);
/// approx, the built-in approximations (approximation.cpp).
Check check_approximation(const Json& cert, const VariantInfo& v);
/// approx, a user approximation whose value enclosure is taken as recorded (approximation.cpp).
Check check_user_approximation(const Json& cert);
/// user, a claim of the claim language refuted at one case (user_claim.cpp).
Check check_user_claim(const Json& cert);

}  // namespace fim::verify
