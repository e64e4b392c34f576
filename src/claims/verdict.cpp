#include "claims/verdict.hpp"

namespace fim::claims {

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::Holds: return "HOLDS";
    case Verdict::Violated: return "VIOLATED";
    case Verdict::Undecided: return "UNDECIDED";
    case Verdict::HypothesisFails: return "HYPOTHESIS_FAILS";
  }
  return "?";
}

Verdict conjoin(Verdict a, Verdict b) {
  if (a == Verdict::Violated || b == Verdict::Violated) return Verdict::Violated;
  if (a == Verdict::Undecided || b == Verdict::Undecided) return Verdict::Undecided;
  if (a == Verdict::HypothesisFails || b == Verdict::HypothesisFails) return Verdict::HypothesisFails;
  return Verdict::Holds;
}

}  // namespace fim::claims
