#include "linalg/enclosure.hpp"

#include <cmath>

namespace fim::linalg {
using num::Ival;

std::vector<int> Precision::ladder(long n) const { return num::Ladder(max_bits, mp_max_dim).rungs(n); }

double relative_width_up(const Ival& x) {
  if (x.lo == x.hi) return 0.0;
  if (!x.is_finite()) return num::inf;
  const double mag = x.mag();
  return num::div_up(num::add_up(x.hi, -x.lo), mag);
}

bool narrow_enough(const Ival& x, double rel_width, double scale) {
  if (!x.is_finite()) return false;
  return x.hi <= num::next_up(num::next_up(x.lo)) ||
         num::add_up(x.hi, -x.lo) <= rel_width * scale;  // rel_width * scale: a threshold only
}

bool top_narrow_enough(const Top& t, double rel_width) {
  if (!t.ok) return false;
  const double scale = t.lambda1.mag();
  // The gap needs precision only while simplicity of lambda_1 is undecided at this resolution.
  return narrow_enough(t.lambda1, rel_width, scale) &&
         (!t.gap || t.gap->lo > 0 || narrow_enough(*t.gap, rel_width, scale));
}

Ival gap_between(const Ival& lambda1, const Ival& lambda2) {
  const Ival g = lambda1 - lambda2;
  return {std::max(0.0, g.lo), std::max(0.0, g.hi)};
}

Spectrum scaled(Spectrum s, int k) {
  const Ival f(std::ldexp(1.0, k));
  for (Ival& x : s.eig) x = x * f;
  if (s.gap) s.gap = *s.gap * f;
  return s;
}

Top scaled(Top t, int k) {
  const Ival f(std::ldexp(1.0, k));
  t.lambda1 = t.lambda1 * f;
  if (t.gap) t.gap = *t.gap * f;
  return t;
}

Ival widen(const Ival& x, double r) {
  if (r == 0) return x;
  return x + Ival(-r, r);
}

}  // namespace fim::linalg
