// Soundness of enclose_top_fp above 128 (the Lanczos / Temple / deflated-Cholesky path, and the
// direct Cholesky certificate when Temple fails) against the exact inertia oracle (SPEC S10),
// on a handful of matrices with n = 130..160: each exact count costs O(n^3) big-integer
// operations (about a second for a dense 160 x 160), so the full spectrum is checked only when
// the matrix splits into small blocks. Zero misses allowed.
#include <chrono>

#include "linalg/enclose_spectrum.hpp"
#include "linalg/enclose_top.hpp"
#include "oracle/soundness.hpp"

namespace {

using Eigen::MatrixXd;
using fim::linalg::Precision;
using namespace fim::oracle;

bool splits_small(const MatrixXd& a) { return ExactSym(a).largest_component() <= 24; }

std::vector<Routine> large_routines() {
  const Precision fp{53, 1e-10};
  return {
      {"enclose_top_fp (n > 128)", {},
       [](const MatrixXd& a, const ExactSym& ex) {
         return check_top_result(ex, fim::linalg::enclose_top_fp({a, 0.0}), 0, "enclose_top_fp");
       }},
      {"enclose_norm_up(53 bits) (n > 128)", {},
       [fp](const MatrixXd& a, const ExactSym& ex) {
         return check_norm_result(ex, fim::linalg::enclose_norm_up({a, 0.0}, fp), 0, "enclose_norm_up");
       }},
      {"enclose_top_fp (n > 128), ball", {},
       [](const MatrixXd& a, const ExactSym& ex) {
         const double r = radius_pow2_for(a);
         return check_top_result(ex, fim::linalg::enclose_top_fp({a, r}), r, "enclose_top_fp");
       }},
      {"enclose_spectrum_fp (n > 128, blocks)", splits_small,
       [](const MatrixXd& a, const ExactSym& ex) {
         return check_spectrum_result(ex, fim::linalg::enclose_spectrum_fp({a, 0.0}), 0, "enclose_spectrum_fp");
       }},
  };
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("soundness fp: n = 130..160 (enclose_top_fp's Lanczos path)") {
  const auto t0 = std::chrono::steady_clock::now();
  Tally tally;
  run_soundness("fp large", fim::search::large(), 4, scaled_count(16), large_routines(), tally);
  tally.print("soundness fp large", seconds_since(t0));
  CHECK(tally.total().misses == 0);
}
