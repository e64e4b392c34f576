// The claims fimcheck knows, one file each in src/claims/.
#pragma once
#include <vector>

namespace fim::claims {

class Claim;
const Claim& weyl_claim();
const Claim& directional_claim();
const Claim& remainder_claim();

/// Every claim, in S6 order.
std::vector<const Claim*> registry();

}  // namespace fim::claims
