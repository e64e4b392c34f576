#include "linalg/sym_matrix.hpp"

#include <cmath>

#include "numeric/interval.hpp"

namespace fim::linalg {

int exact_scale_exponent(const SymMatrix& a) {
  const double top = a.mid.cwiseAbs().maxCoeff();
  if (!(top > 0) || !std::isfinite(top)) return 0;
  const int k = -std::ilogb(top);
  if (k == 0) return 0;
  for (Eigen::Index j = 0; j < a.mid.cols(); ++j)
    for (Eigen::Index i = 0; i < a.mid.rows(); ++i) {
      const double x = a.mid(i, j);
      if (std::ldexp(std::ldexp(x, k), -k) != x) return 0;
    }
  return k;
}

SymMatrix scaled(const SymMatrix& a, int k) {
  return {(a.mid.array() * std::ldexp(1.0, k)).matrix(), num::mul_up(a.radius, std::ldexp(1.0, k))};
}

}  // namespace fim::linalg
