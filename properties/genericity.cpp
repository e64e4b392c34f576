// genericity: property tests of C4 in models M1 and M2 and of their false variants
// (proofs/genericity.md): never VIOLATED as stated, each false variant refuted with a certificate
// that the exact verifier confirms.
#include "claim_properties.hpp"
#include "claims/registry.hpp"

int main() {
  const int m1 = fim::props::run_claim_properties("genericity");
  const int m2 = fim::props::run_claim_properties(fim::claims::genericity_m2_claim());
  return m1 | m2;
}
