#include "linalg/interval_box.hpp"

#include "linalg/product_bounds.hpp"

namespace fim::linalg {

IntervalBox box_of(Eigen::Index rows, Eigen::Index cols, std::span<const num::Ival> entries) {
  IntervalBox b{Eigen::MatrixXd(rows, cols), Eigen::MatrixXd(rows, cols), true};
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < cols; ++j) {
      const num::Ival& x = entries[static_cast<std::size_t>(i * cols + j)];
      b.finite = b.finite && x.is_finite();
      const double m = num::midpoint(x);  // any point of x serves as the centre
      b.mid(i, j) = m;
      b.radius(i, j) = std::max(num::add_up(x.hi, -m), num::add_up(m, -x.lo));
    }
  return b;
}

SymMatrix ball_of(const IntervalBox& box) { return {box.mid, norm2_up(box.radius)}; }

}  // namespace fim::linalg
