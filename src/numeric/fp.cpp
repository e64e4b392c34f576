#include "numeric/fp.hpp"

#include "numeric/interval.hpp"

namespace fim::num {

bool arithmetic_is_ieee_nearest() {
  volatile double one = 1.0, half_ulp = 0x1p-53, tiny = 0x1p-1022, sub = 0x1p-1074;
  const bool nearest_even = one + half_ulp == 1.0 && -(-one - half_ulp) == 1.0 &&
                            one + 3 * half_ulp == 1.0 + 0x1p-51;
  const bool no_ftz = tiny * 0.5 == 0x1p-1023;
  const bool no_daz = sub * 1.0 != 0.0;
  return nearest_even && no_ftz && no_daz;
}

double gamma_up(std::size_t n) {
  const Ival nu = Ival(static_cast<double>(n)) * Ival(unit_roundoff);
  if (!(nu.hi < 0.5)) return inf;
  return (nu / (Ival(1.0) - nu)).hi;
}

}  // namespace fim::num
