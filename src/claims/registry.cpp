#include "claims/registry.hpp"

#include "claims/claim.hpp"

namespace fim::claims {

std::vector<const Claim*> registry() {
  return {&weyl_claim(), &directional_claim(), &remainder_claim(), &genericity_claim(), &approx_claim()};
}

}  // namespace fim::claims
