// Soundness of enclose_top_fp above 128 — the Lanczos / Temple / deflated-Cholesky path, and the
// direct Cholesky certificate when Temple fails — against the exact inertia oracle (SPEC S10),
// n = 130..160. Structured matrices (permuted direct sums of small adversarial blocks, exact
// repeats across blocks) keep every exact count cheap, so all routines and the full spectrum are
// checked on them; a few dense ones (about a second per exact count at n = 150) check
// enclose_top_fp alone. Zero misses allowed.
#include <chrono>

#include "linalg/cholesky_certify.hpp"
#include "linalg/enclose_spectrum.hpp"
#include "linalg/enclose_top.hpp"
#include "oracle/soundness.hpp"

namespace {

using Eigen::MatrixXd;
using fim::linalg::Precision;
using namespace fim::oracle;

Routine top_fp() {
  return {"enclose_top_fp (n > 128)", {}, [](const MatrixXd& a, const ExactSym& ex) {
            return check_top_result(ex, fim::linalg::enclose_top_fp({a, 0.0}), 0, "enclose_top_fp");
          }};
}

std::vector<Routine> structured_routines() {
  const Precision fp{53, 1e-10};
  return {
      top_fp(),
      {"enclose_norm_up(53 bits) (n > 128)", {},
       [fp](const MatrixXd& a, const ExactSym& ex) {
         return check_norm_result(ex, fim::linalg::enclose_norm_up({a, 0.0}, fp), 0, "enclose_norm_up");
       }},
      {"enclose_top_fp (n > 128), ball", {},
       [](const MatrixXd& a, const ExactSym& ex) {
         const double r = radius_pow2_for(a);
         return check_top_result(ex, fim::linalg::enclose_top_fp({a, r}), r, "enclose_top_fp");
       }},
      {"certify_lambda_min_lower (n > 128)", {},
       [](const MatrixXd& a, const ExactSym& ex) {
         return check_cholesky_certificates(a, ex, fim::linalg::certify_lambda_min_lower, "certify_lambda_min_lower");
       }},
      {"enclose_spectrum_fp (n > 128)", {},
       [](const MatrixXd& a, const ExactSym& ex) {
         return check_spectrum_result(ex, fim::linalg::enclose_spectrum_fp({a, 0.0}), 0, "enclose_spectrum_fp");
       }},
  };
}

// Floors per family (soundness.hpp, Floor): measured fractions less a margin.
// 40 matrices, so the margins are wide. Measured: decided 0.725 (tops, both), 0.675 (norm), 0.250
// (spectrum), 0.218 (Cholesky, half of whose shifted X are not positive definite); gaps 0.400,
// 0.350 (tops), 0.100 (spectrum).
const std::vector<Floor> kStructuredFloors = {
    {"enclose_top_fp (n > 128)", 0.55, 0.25}, {"enclose_norm_up(53 bits) (n > 128)", 0.50},
    {"enclose_top_fp (n > 128), ball", 0.55, 0.20}, {"certify_lambda_min_lower (n > 128)", 0.12},
    {"enclose_spectrum_fp (n > 128)", 0.12, 0.04}};
// 5 matrices: measured decided 5, certified gap > 0 in 3.
const std::vector<Floor> kDenseFloors = {{"enclose_top_fp (n > 128)", 0.79, 0.39}};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("soundness fp: n = 130..160 structured (enclose_top_fp's Lanczos path)") {
  const auto t0 = std::chrono::steady_clock::now();
  Tally tally;
  run_soundness("fp large structured", fim::search::large_structured(), 4, scaled_count(40), structured_routines(),
                tally);
  tally.print("soundness fp large structured", seconds_since(t0));
  CHECK(tally.total().misses == 0);
  check_floors(tally, kStructuredFloors);
}

TEST_CASE("soundness fp: n = 130..160 dense (enclose_top_fp's Lanczos path)") {
  const auto t0 = std::chrono::steady_clock::now();
  Tally tally;
  run_soundness("fp large dense", fim::search::large_dense(), 5, scaled_count(5), {top_fp()}, tally);
  tally.print("soundness fp large dense", seconds_since(t0));
  CHECK(tally.total().misses == 0);
  check_floors(tally, kDenseFloors);
}
