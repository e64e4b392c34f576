#include "numeric/escalation.hpp"

namespace fim::num {

Ladder Ladder::of(std::vector<int> rungs) {
  Ladder l(rungs.empty() ? 53 : rungs.back());
  l.fixed_ = std::move(rungs);
  return l;
}

std::vector<int> Ladder::rungs(long n) const {
  if (!fixed_.empty()) return fixed_;
  std::vector<int> out = {53};
  if (n > max_dim_) return out;
  for (int b : kRungs)
    if (b > 53 && b <= max_bits_) out.push_back(b);
  if (out.back() < max_bits_) out.push_back(max_bits_);
  return out;
}

void RungCounts::add(const RungCounts& o) {
  for (const auto& [rung, count] : o.by_rung_) by_rung_[rung] += count;
}

long RungCounts::at(int rung) const {
  const auto it = by_rung_.find(rung);
  return it == by_rung_.end() ? 0 : it->second;
}

std::string RungCounts::label(int rung) {
  return rung == kDoubleDouble ? "double-double" : rung == kExact ? "exact" : std::to_string(rung);
}

}  // namespace fim::num
