// Verdicts (S2): decided from enclosures only. No conversion to bool: UNDECIDED must be handled.
#pragma once
#include <string>

namespace fim::claims {

enum class Verdict { Holds, Violated, Undecided, HypothesisFails };

/// "HOLDS", "VIOLATED", "UNDECIDED", "HYPOTHESIS_FAILS".
const char* to_string(Verdict v);

/// The verdict of a conjunction: VIOLATED beats UNDECIDED beats HOLDS.
Verdict conjoin(Verdict a, Verdict b);

/// Certified lhs <= rhs for enclosures lhs, rhs (binary64 or MPFI intervals): HOLDS when every
/// value of lhs is <= every value of rhs, VIOLATED when every value of lhs exceeds every value of
/// rhs, UNDECIDED otherwise.
template <class I>
Verdict decide_le(const I& lhs, const I& rhs) {
  if (upper(lhs) <= lower(rhs)) return Verdict::Holds;
  if (lower(lhs) > upper(rhs)) return Verdict::Violated;
  return Verdict::Undecided;
}

}  // namespace fim::claims
