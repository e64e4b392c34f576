// The claims fimcheck knows, one file each in src/claims/.
#pragma once
#include <memory>
#include <vector>

namespace fim::expr {
class BoundExpr;
}

namespace fim::claims {

class Claim;
const Claim& weyl_claim();
const Claim& directional_claim();
const Claim& remainder_claim();
/// C4 in model M1 (registered) and in model M2 (`--noise M2`); both named genericity.
const Claim& genericity_claim();
const Claim& genericity_m2_claim();
/// C6: approximations to lambda_1 of F = G^T G / n, G the case's A (src/claims/approx.hpp).
const Claim& approx_claim();

/// The remainder claim with one more false-until-shown variant, "conjectured": |R3| <= EXPR.
std::unique_ptr<Claim> remainder_with_bound(const expr::BoundExpr& conjecture);

/// Every claim, in S6 order.
std::vector<const Claim*> registry();

}  // namespace fim::claims
