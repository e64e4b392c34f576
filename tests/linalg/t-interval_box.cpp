// box_of / ball_of: every matrix of the interval box lies within the entrywise radius of the
// centre (checked exactly at the interval end points, in rationals), and the ball's radius bounds
// the spectral norm of the radius matrix. A box one ulp too small is caught by the same check.
#include <doctest/doctest.h>

#include <random>

#include "linalg/interval_box.hpp"
#include "numeric/exact.hpp"
#include "numeric/fp.hpp"

using fim::num::Ival;
using fim::num::to_rational;

namespace {

// The exact check: mid - radius <= lo and hi <= mid + radius for every entry.
bool contains_box(const fim::linalg::IntervalBox& b, const std::vector<Ival>& e, Eigen::Index cols) {
  for (Eigen::Index k = 0; k < static_cast<Eigen::Index>(e.size()); ++k) {
    const auto m = to_rational(b.mid(k / cols, k % cols)), r = to_rational(b.radius(k / cols, k % cols));
    if (m - r > to_rational(e[k].lo) || to_rational(e[k].hi) > m + r) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("the box holds every interval exactly, across magnitudes and for point intervals") {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(-1, 1), expo(-300, 300);
  for (int trial = 0; trial < 300; ++trial) {
    const Eigen::Index rows = 1 + trial % 5, cols = 1 + trial % 7;
    std::vector<Ival> e;
    for (Eigen::Index k = 0; k < rows * cols; ++k) {
      const double a = u(rng) * std::pow(10.0, expo(rng) / 10), b = a + std::fabs(u(rng)) * std::fabs(a) * 1e-3;
      e.push_back(trial % 4 == 0 ? Ival(a) : Ival(a, b));
    }
    const auto box = fim::linalg::box_of(rows, cols, e);
    REQUIRE(box.finite);
    CHECK(contains_box(box, e, cols));
  }
}

TEST_CASE("a box that misses an end point is reported as not containing it") {
  const std::vector<Ival> e = {Ival(1.0, 2.0)};
  auto box = fim::linalg::box_of(1, 1, e);
  CHECK(contains_box(box, e, 1));
  box.radius(0, 0) = 0.25;  // the true half-width is 0.5
  CHECK(!contains_box(box, e, 1));
}

TEST_CASE("unbounded intervals are flagged; the ball's radius bounds ||radius||_2") {
  CHECK(!fim::linalg::box_of(1, 2, std::vector<Ival>{Ival(0.0), Ival::entire()}).finite);
  const std::vector<Ival> e = {Ival(1, 1.5), Ival(-0.25, 0.25), Ival(-0.25, 0.25), Ival(3, 3.125)};
  const auto box = fim::linalg::box_of(2, 2, e);
  const auto ball = fim::linalg::ball_of(box);
  CHECK(ball.mid == box.mid);
  const double norm = Eigen::JacobiSVD<Eigen::MatrixXd>(box.radius).singularValues()(0);
  CHECK(ball.radius >= norm);
}
