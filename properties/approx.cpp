// approx: property tests of the claim and its false variants (proofs/approx.md).
#include "claim_properties.hpp"

int main() { return fim::props::run_claim_properties("approx"); }
