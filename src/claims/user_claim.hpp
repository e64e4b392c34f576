// A user's own claim (`fimcheck check --claim TEXT [--given TEXT]`): an inequality in the claim
// language (src/expr/claim_lang.hpp, proofs/claim-language.md) decided per case from certified
// enclosures of its atoms, each atom enclosed once, with a certificate of kind "user-claim".
#pragma once
#include <memory>
#include <string>

#include "claims/claim.hpp"

namespace fim::claims {

/// The claim and its options as the command line gives them.
struct UserClaimSpec {
  std::string claim, given = {};  // given: "" when there is no hypothesis
  std::string psd = {};           // letters of "ABE": matrices generated positive semidefinite
  bool eigenbasis = false;   // A generated diagonal: the claim read in A's eigenbasis
};

/// The claim named "user", with the one variant "stated" (the user's text, not proved). Throws
/// expr::ClaimError when a text is malformed or cannot be instantiated at some n in
/// dim_lo..dim_hi (an index outside 1..n, gap at n = 1), before any case runs.
std::unique_ptr<Claim> make_user_claim(const UserClaimSpec& spec, int dim_lo, int dim_hi);

}  // namespace fim::claims
