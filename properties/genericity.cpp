// genericity: property tests of C4 in models M1 and M2 and of their false variants
// (proofs/genericity.md): never VIOLATED as stated, each false variant refuted with a certificate
// that the exact verifier confirms.
#include "claim_properties.hpp"
#include "claims/registry.hpp"

int main() {
  fim::props::Runner run;
  fim::props::claim_properties(run, *fim::claims::find_claim("genericity"));
  fim::props::claim_properties(run, fim::claims::genericity_m2_claim());
  return run.finish();
}
