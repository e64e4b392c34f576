// weyl: property tests of the claim and its false variants (proofs/weyl.md).
#include "claim_properties.hpp"

int main() { return fim::props::run_claim_properties("weyl"); }
