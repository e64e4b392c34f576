#include "numeric/fp.hpp"

#include "numeric/interval.hpp"

namespace fim::num {

double gamma_up(std::size_t n) {
  const Ival nu = Ival(static_cast<double>(n)) * Ival(unit_roundoff);
  if (!(nu.hi < 0.5)) return inf;
  return (nu / (Ival(1.0) - nu)).hi;
}

}  // namespace fim::num
