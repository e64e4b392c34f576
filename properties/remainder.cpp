// remainder: property tests of the claim and its false variants (proofs/remainder.md).
#include "claim_properties.hpp"

int main() { return fim::props::run_claim_properties("remainder"); }
