#include "claims/claim.hpp"

#include <stdexcept>

#include "claims/registry.hpp"
#include "numeric/escalation.hpp"

namespace fim::claims {

Outcome holds_by_structure(const std::string& why) {
  Outcome out;
  out.verdict = Verdict::Holds;
  out.exact = true;
  out.where = why + ": decided exactly by structure";
  return out;
}

Outcome check(const Claim& claim, const MatrixCase& c, const std::string& variant,
              const linalg::Precision& p) {
  if (c.a.rows() != c.a.cols() || c.e.rows() != c.a.rows() || c.e.cols() != c.a.rows() ||
      c.a.rows() == 0)
    throw std::invalid_argument("a case needs square A and E of one positive dimension");
  const auto e = num::escalate<Outcome>(
      p.ladder(c.a.rows()), [&](int bits) { return claim.check_at(c, variant, bits); },
      [](const Outcome& o) { return o.verdict != Verdict::Undecided; });
  Outcome out = e.result;
  out.rung = out.exact ? num::kExact : e.rung;
  return out;
}

const Claim* find_claim(const std::string& name) {
  for (const Claim* c : registry())
    if (c->name() == name) return c;
  return nullptr;
}

std::vector<std::string> claim_names() {
  std::vector<std::string> out;
  for (const Claim* c : registry()) out.push_back(c->name());
  return out;
}

std::optional<Variant> find_variant(const Claim& claim, const std::string& name) {
  for (const Variant& v : claim.variants())
    if (v.name == name) return v;
  return std::nullopt;
}

}  // namespace fim::claims
