#include "linalg/enclosure.hpp"

#include <cmath>

namespace fim::linalg {
using num::Ival;

std::vector<int> Precision::ladder() const {
  std::vector<int> out;
  for (int b : {53, 113, 256, 1024})
    if (b <= max_bits) out.push_back(b);
  if (out.empty() || out.back() < max_bits) out.push_back(max_bits);
  return out;
}

double relative_width_up(const Ival& x) {
  if (x.lo == x.hi) return 0.0;
  if (!x.is_finite()) return num::inf;
  const double mag = x.mag();
  return num::div_up(num::add_up(x.hi, -x.lo), mag);
}

Ival gap_between(const Ival& lambda1, const Ival& lambda2) {
  const Ival g = lambda1 - lambda2;
  return {std::max(0.0, g.lo), std::max(0.0, g.hi)};
}

Ival widen(const Ival& x, double r) {
  if (r == 0) return x;
  return x + Ival(-r, r);
}

}  // namespace fim::linalg
