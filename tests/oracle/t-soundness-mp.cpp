// Soundness of the escalating and multiple-precision routines against the exact inertia oracle
// (SPEC S10): enclose_top with the default Precision (53 -> 113 -> 256 -> 1024 bits while
// lambda_1 is wider than 1e-10 relative), enclose_norm_up with the default Precision,
// enclose_spectrum_mp at 113 bits, and enclose_spectrum up to 256 bits on a sample, also on norm
// balls. Dimensions 1..12 (the MPFI rungs cost O(n^3) MPFR operations). Zero misses allowed.
#include <chrono>

#include "linalg/enclose_spectrum.hpp"
#include "linalg/enclose_top.hpp"
#include "oracle/soundness.hpp"

namespace {

using Eigen::MatrixXd;
using fim::linalg::Precision;
using namespace fim::oracle;

// One matrix in four, chosen by a hash of its entries (the same choice in every run).
bool sampled(const MatrixXd& a) { return (matrix_hash(a) >> 11) % 4 == 0; }

std::vector<Routine> mp_routines() {
  return {
      {"enclose_top(default)", {},
       [](const MatrixXd& a, const ExactSym& ex) {
         return check_top_result(ex, fim::linalg::enclose_top({a, 0.0}, Precision{}), 0, "enclose_top(default)");
       }},
      {"enclose_norm_up(default)", {},
       [](const MatrixXd& a, const ExactSym& ex) {
         return check_norm_result(ex, fim::linalg::enclose_norm_up({a, 0.0}, Precision{}), 0,
                                  "enclose_norm_up(default)");
       }},
      {"enclose_spectrum_mp(113)", {},
       [](const MatrixXd& a, const ExactSym& ex) {
         return check_spectrum_result(ex, fim::linalg::enclose_spectrum_mp({a, 0.0}, 113), 0,
                                      "enclose_spectrum_mp(113)");
       }},
      {"enclose_spectrum(256, 1e-10)", sampled,
       [](const MatrixXd& a, const ExactSym& ex) {
         return check_spectrum_result(ex, fim::linalg::enclose_spectrum({a, 0.0}, Precision{256, 1e-10}), 0,
                                      "enclose_spectrum(256)");
       }},
      {"enclose_top(default), ball", [](const MatrixXd& a) { return radius_for(a) != 0; },
       [](const MatrixXd& a, const ExactSym& ex) {
         const double r = radius_for(a);
         return check_top_result(ex, fim::linalg::enclose_top({a, r}, Precision{}), r, "enclose_top(default)");
       }},
      {"enclose_spectrum_mp(113), ball", [](const MatrixXd& a) { return radius_for(a) != 0; },
       [](const MatrixXd& a, const ExactSym& ex) {
         const double r = radius_for(a);
         return check_spectrum_result(ex, fim::linalg::enclose_spectrum_mp({a, r}, 113), r,
                                      "enclose_spectrum_mp(113)");
       }},
  };
}

// Floors (soundness.hpp, Floor): measured fractions less a margin.
// Measured: decided 0.999 or more everywhere; gaps 0.565, 0.591, 0.614, 0.444, 0.457.
const std::vector<Floor> kMpFloors = {
    {"enclose_top(default)", 0.95, 0.48}, {"enclose_norm_up(default)", 0.95},
    {"enclose_spectrum_mp(113)", 0.95, 0.50}, {"enclose_spectrum(256, 1e-10)", 0.95, 0.50},
    {"enclose_top(default), ball", 0.95, 0.36}, {"enclose_spectrum_mp(113), ball", 0.95, 0.37}};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("soundness mp: adversarial and random matrices, n = 1..12") {
  const auto t0 = std::chrono::steady_clock::now();
  Tally tally;
  run_soundness("mp any", fim::search::any(fim::search::dimension(12)), 3, scaled_count(3500), mp_routines(), tally);
  tally.print("soundness mp", seconds_since(t0));
  CHECK(tally.total().misses == 0);
  check_floors(tally, kMpFloors);
}
