// The oracle's own tests: exact inertia counts on matrices with known spectra, agreement with a
// floating-point eigensolver away from the eigenvalues, and — since a check that cannot fail is a
// defect — deliberately wrong enclosures (one ulp past an exact eigenvalue, lo and hi swapped,
// lambda_2's enclosure used for lambda_1, gaps one ulp too tight, norm bounds one ulp short) that
// must each be reported as misses. Also the generators' own properties (symmetric, finite,
// dimensions, shrinking toward n = 1, and lambda_1 = lambda_2 exactly where promised).
#include <doctest/doctest.h>
#include <rapidcheck.h>

#include <cfloat>
#include <cmath>

#include "linalg/enclose_spectrum.hpp"
#include "linalg/enclose_top.hpp"
#include "support/enclosure_checks.hpp"
#include "oracle/soundness.hpp"
#include "search/matrix_gen.hpp"

namespace {

using Eigen::MatrixXd;
using fim::linalg::Spectrum;
using fim::linalg::Top;
using fim::num::Ival;
using fim::num::next_down;
using fim::num::next_up;
using fim::num::Rational;
using fim::num::to_rational;
using namespace fim::oracle;

Rational q(double x) { return to_rational(x); }
Rational frac(long p, long r) { return Rational(p) / Rational(r); }

void check_inertia(const ExactSym& a, const Rational& x, int neg, int zero, int pos) {
  const Inertia in = a.inertia(x);
  INFO("x = " << x.str());
  CHECK(in.neg == neg);
  CHECK(in.zero == zero);
  CHECK(in.pos == pos);
}

MatrixXd mat(int n, std::initializer_list<double> v) {
  MatrixXd m(n, n);
  auto it = v.begin();
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) m(i, j) = *it++;
  return m;
}

MatrixXd hadamard(int m) {
  MatrixXd h = MatrixXd::Ones(1, 1);
  while (h.rows() < m) {
    const auto k = h.rows();
    MatrixXd g(2 * k, 2 * k);
    g << h, h, h, -h;
    h = g;
  }
  return h;
}

// H diag(d) H^T / m: eigenvalues exactly d (entries exact for small integers d).
MatrixXd hadamard_with(const std::vector<double>& d) {
  const int m = static_cast<int>(d.size());
  const MatrixXd h = hadamard(m);
  Eigen::VectorXd dv = Eigen::Map<const Eigen::VectorXd>(d.data(), m);
  return h * dv.asDiagonal() * h.transpose() / static_cast<double>(m);
}

Spectrum spectrum_of(std::vector<Ival> eig) {
  Spectrum s;
  s.eig = std::move(eig);
  s.ok = true;
  return s;
}

Top top_of(Ival l1, std::optional<Ival> gap) {
  Top t;
  t.lambda1 = l1;
  t.gap = gap;
  t.ok = true;
  return t;
}

}  // namespace

// ---- exact counts ------------------------------------------------------------------------------

TEST_CASE("oracle: diagonal matrices have their diagonal as spectrum") {
  const ExactSym a(mat(5, {3, 0, 0, 0, 0,  0, -1, 0, 0, 0,  0, 0, 0, 0, 0,  0, 0, 0, 2, 0,  0, 0, 0, 0, 2}));
  CHECK(a.components() == 5);
  check_inertia(a, 0, 1, 1, 3);
  check_inertia(a, 2, 2, 2, 1);
  check_inertia(a, q(next_up(2.0)), 4, 0, 1);
  check_inertia(a, q(next_down(-1.0)), 0, 0, 5);
  check_inertia(a, 3, 4, 1, 0);
  check_inertia(a, frac(7, 3), 4, 0, 1);
  CHECK(count_below(mat(1, {-0.0}), 0) == 0);
  CHECK(count_above(mat(1, {-0.0}), 0) == 0);
  CHECK(count_above(mat(1, {0x1p-1074}), 0) == 1);
  CHECK(count_below(mat(1, {0x1p-1074}), q(0x1p-1073)) == 1);
}

TEST_CASE("oracle: [[2,1],[1,2]] has eigenvalues 3 and 1") {
  const ExactSym a(mat(2, {2, 1, 1, 2}));
  check_inertia(a, 3, 1, 1, 0);
  check_inertia(a, 1, 0, 1, 1);
  check_inertia(a, 2, 1, 0, 1);
  check_inertia(a, q(next_up(3.0)), 2, 0, 0);
  check_inertia(a, q(next_down(3.0)), 1, 0, 1);
  check_inertia(a, q(next_down(1.0)), 0, 0, 2);
  check_inertia(a, q(next_up(1.0)), 1, 0, 1);
  check_inertia(a, frac(1, 3), 0, 0, 2);
  check_inertia(a, frac(29, 10), 1, 0, 1);
  // The shifted view: eigenvalues of A + sI.
  check_inertia(a.shifted(frac(1, 3)), frac(10, 3), 1, 1, 0);
  check_inertia(a.shifted(-1), 0, 0, 1, 1);
}

TEST_CASE("oracle: zero matrix and zero diagonals (the congruence step)") {
  const ExactSym z(MatrixXd::Zero(4, 4));
  check_inertia(z, 0, 0, 4, 0);
  check_inertia(z, q(0x1p-1074), 4, 0, 0);
  check_inertia(z, q(-1e300), 0, 0, 4);
  const ExactSym swap(mat(3, {0, 1, 0,  1, 0, 0,  0, 0, 0}));  // eigenvalues 1, 0, -1
  check_inertia(swap, 0, 1, 1, 1);
  check_inertia(swap, 1, 2, 1, 0);
  check_inertia(swap, -1, 0, 1, 2);
  const ExactSym ones(mat(3, {0, 1, 1,  1, 0, 1,  1, 1, 0}));  // 2, -1, -1
  check_inertia(ones, 0, 2, 0, 1);
  check_inertia(ones, -1, 0, 2, 1);
  check_inertia(ones, 2, 2, 1, 0);
  // Zero diagonal after elimination: [[1,1,0],[1,1,1],[0,1,0]] has det -1: eigenvalues of signs
  // (+, +, -) or (+, -, -) decided exactly: char. polynomial -x^3 + 2x^2 + x - 1 -> 2 positive.
  const ExactSym z2(mat(3, {1, 1, 0,  1, 1, 1,  0, 1, 0}));
  check_inertia(z2, 0, 1, 0, 2);
}

TEST_CASE("oracle: Hadamard constructions have exactly repeated eigenvalues") {
  const ExactSym a(hadamard_with({5, 5, 1, -3}));
  check_inertia(a, 5, 2, 2, 0);
  check_inertia(a, 1, 1, 1, 2);
  check_inertia(a, -3, 0, 1, 3);
  check_inertia(a, q(next_down(5.0)), 2, 0, 2);
  const ExactSym b(hadamard_with({7, 7, 7, 2, 2, 0, -1, -1, 0.5, 0.5, 0.5, 0.5, 3, 3, 3, 3}));
  CHECK(b.components() == 1);
  check_inertia(b, 7, 13, 3, 0);
  check_inertia(b, 3, 9, 4, 3);
  check_inertia(b, 0.5, 3, 4, 9);
  check_inertia(b, 0, 2, 1, 13);
  check_inertia(b, -1, 0, 2, 14);
  // Scaled into the subnormal range, still exact (dyadic).
  const ExactSym c(hadamard_with({5, 5, 1, -3}) * 0x1p-1060);
  check_inertia(c, q(5 * 0x1p-1060), 2, 2, 0);
  check_inertia(c, q(0x1p-1074), 1, 0, 3);
}

TEST_CASE("oracle: dynamic range 1e-300 .. 1e300 and rational input") {
  // [[1e300, 1e-300], [1e-300, 1e-300]]: lambda_2 = 1e-300 - (about 1e-900), just below 1e-300.
  const ExactSym a(mat(2, {1e300, 1e-300, 1e-300, 1e-300}));
  check_inertia(a, q(1e-300), 1, 0, 1);
  check_inertia(a, q(next_down(1e-300)), 0, 0, 2);
  check_inertia(a, q(1e300), 1, 0, 1);
  check_inertia(a, q(next_up(1e300)), 2, 0, 0);
  // The dyadic-rational constructor agrees with the binary64 one, and refuses 1/3.
  std::vector<std::vector<Rational>> r = {{q(0.25), q(0.375)}, {q(0.375), q(-1.5)}};
  const ExactSym ar(r), ad(mat(2, {0.25, 0.375, 0.375, -1.5}));
  for (const Rational& x : {Rational(0), frac(1, 3), Rational(-2), q(0.3)}) {
    CHECK(ar.inertia(x).neg == ad.inertia(x).neg);
    CHECK(ar.inertia(x).pos == ad.inertia(x).pos);
  }
  r[0][0] = frac(1, 3);
  CHECK_THROWS_AS(ExactSym{r}, std::invalid_argument);
  CHECK_THROWS_AS(ExactSym(mat(2, {1, 2, 3, 4})), std::invalid_argument);
  CHECK_THROWS_AS(ExactSym(mat(1, {std::nan("")})), std::invalid_argument);
}

TEST_CASE("oracle: counts agree with a floating-point eigensolver away from the eigenvalues") {
  const auto g = fim::search::any();
  int compared = 0;
  for (std::uint64_t i = 0; i < 400; ++i) {
    const MatrixXd a = g(rc::Random(1000 + i), rc::kNominalSize).value();
    const double scale = a.cwiseAbs().maxCoeff();
    if (!(scale > 1e-250 && scale < 1e250)) continue;
    Eigen::SelfAdjointEigenSolver<MatrixXd> es(a);
    const Eigen::VectorXd lam = es.eigenvalues();
    const double tol = 1e-6 * scale * static_cast<double>(a.rows());
    const ExactSym ex(a);
    for (Eigen::Index k = 0; k <= lam.size(); ++k) {
      // Midpoints between consecutive eigenvalues, and points beyond both ends.
      double x = k == 0 ? lam(0) - scale : k == lam.size() ? lam(k - 1) + scale : (lam(k - 1) + lam(k)) / 2;
      bool clear = true;
      for (Eigen::Index j = 0; j < lam.size(); ++j) clear &= std::fabs(lam(j) - x) > tol;
      if (!clear) continue;
      ++compared;
      CHECK(ex.count_below(q(x)) == k);
      CHECK(ex.count_above(q(x)) == lam.size() - k);
    }
  }
  CHECK(compared > 500);
}

// ---- the checks catch wrong enclosures ---------------------------------------------------------

TEST_CASE("oracle catches eigenvalue enclosures one ulp off, swapped or permuted") {
  const ExactSym a(mat(2, {2, 1, 1, 2}));  // 3, 1
  CHECK(check_enclosure(a, 1, Ival(3, 3)));
  CHECK(check_enclosure(a, 2, Ival(1, 1)));
  CHECK(check_enclosure(a, 1, Ival(1, 3)));
  CHECK_FALSE(check_enclosure(a, 1, Ival(next_up(3.0), 4)));
  CHECK_FALSE(check_enclosure(a, 1, Ival(2, next_down(3.0))));
  CHECK_FALSE(check_enclosure(a, 2, Ival(next_up(1.0), 3)));
  CHECK_FALSE(check_enclosure(a, 2, Ival(0, next_down(1.0))));
  CHECK_FALSE(check_enclosure(a, 1, Ival(3.5, 2.5)));  // lo and hi swapped: empty
  CHECK_FALSE(check_enclosure(a, 1, Ival(1, 1)));        // lambda_2's enclosure for lambda_1
  CHECK_FALSE(check_enclosure(a, 2, Ival(3, 3)));
  CHECK_FALSE(check_enclosure(a, 3, Ival::entire()));   // no lambda_3
  Ival nan_lo;
  nan_lo.lo = std::nan("");
  nan_lo.hi = 4;
  CHECK_FALSE(check_enclosure(a, 1, nan_lo));
  CHECK(check_enclosure(a, 1, Ival(-fim::num::inf, fim::num::inf)));
  CHECK_FALSE(check_enclosure(a, 1, Ival(fim::num::inf, fim::num::inf)));

  CHECK(check_spectrum(a, spectrum_of({Ival(3), Ival(1)}), "exact").sound);
  CHECK_FALSE(check_spectrum(a, spectrum_of({Ival(1), Ival(3)}), "swapped order").sound);
  CHECK_FALSE(check_spectrum(a, spectrum_of({Ival(3)}), "too few").sound);
  CHECK_FALSE(check_spectrum(a, spectrum_of({Ival(next_down(3.0)), Ival(1)}), "ulp").sound);
  Spectrum failed;  // ok == false claims nothing
  CHECK(check_spectrum(a, failed, "failed").sound);
}

TEST_CASE("oracle catches one-ulp shifts on every exact eigenvalue of Hadamard matrices") {
  const auto g = fim::search::hadamard_repeated();
  int caught = 0;
  for (std::uint64_t i = 0; i < 150; ++i) {
    const MatrixXd a = g(rc::Random(77 + i), rc::kNominalSize).value();
    const ExactSym ex(a);
    Eigen::SelfAdjointEigenSolver<MatrixXd> es(a);
    const int n = static_cast<int>(a.rows());
    for (int k = 1; k <= n; ++k) {
      // The exact eigenvalue: the approximation rounded to 24 bits (the construction's values
      // have a few significant bits), or 0; confirmed by a zero count.
      const double approx = es.eigenvalues()(n - k);
      int e = 0;
      const double f = std::frexp(approx, &e);
      double lam = std::ldexp(std::round(std::ldexp(f, 24)), e - 24);
      if (ex.inertia(q(lam)).zero == 0) lam = 0;
      const Inertia in = ex.inertia(q(lam));
      REQUIRE(in.zero > 0);
      if (!(std::fabs(lam) > 0x1p-1000) && lam != 0) continue;  // ulp steps below are not exact there
      CHECK(check_enclosure(ex, k, Ival(lam, lam)));
      CHECK_FALSE(check_enclosure(ex, k, Ival(next_up(lam), next_up(lam))));
      CHECK_FALSE(check_enclosure(ex, k, Ival(next_down(lam), next_down(lam))));
      CHECK_FALSE(check_enclosure(ex, k, Ival(next_up(lam), fim::num::inf)));
      CHECK_FALSE(check_enclosure(ex, k, Ival(-fim::num::inf, next_down(lam))));
      caught += 4;
    }
  }
  CHECK(caught > 1000);
}

TEST_CASE("oracle catches wrong gaps") {
  const ExactSym a(mat(2, {2, 1, 1, 2}));  // gap 2
  CHECK(check_top(a, top_of(Ival(3), Ival(2)), "exact").sound);
  CHECK(check_top(a, top_of(Ival(3), Ival(0, fim::num::inf)), "trivial").sound);
  CHECK(check_top(a, top_of(Ival(next_down(3.0), next_up(3.0)), Ival(next_down(2.0), next_up(2.0))), "wide").sound);
  CHECK_FALSE(check_top(a, top_of(Ival(3), Ival(next_up(2.0), 3)), "gap.lo one ulp high").sound);
  CHECK_FALSE(check_top(a, top_of(Ival(3), Ival(1, next_down(2.0))), "gap.hi one ulp low").sound);
  CHECK_FALSE(check_top(a, top_of(Ival(2.5, 3.5), Ival(next_up(2.0), 3)), "wide lambda1, gap.lo high").sound);
  CHECK_FALSE(check_top(a, top_of(Ival(2.5, 3.5), Ival(0, next_down(2.0))), "wide lambda1, gap.hi low").sound);
  CHECK_FALSE(check_top(a, top_of(Ival(3), Ival(-2, -1)), "negative gap").sound);
  CHECK_FALSE(check_top(a, top_of(Ival(next_up(3.0), 4), Ival(2)), "lambda1 one ulp high").sound);
  CHECK_FALSE(check_top(a, top_of(Ival(1), Ival(2)), "lambda_2 for lambda_1").sound);
  CHECK(check_top(a, Top{}, "failed").sound);

  // lambda_1 = lambda_2 = 5 exactly: any positive gap.lo is wrong, found with a point lambda_1
  // enclosure or after bisecting a wide one.
  const ExactSym h(hadamard_with({5, 5, 1, -3}));
  CHECK(check_top(h, top_of(Ival(5), Ival(0)), "exact").sound);
  CHECK_FALSE(check_top(h, top_of(Ival(5), Ival(0x1p-1074, 1)), "tiny positive gap").sound);
  CHECK_FALSE(check_top(h, top_of(Ival(4, 6), Ival(0x1p-40, 1)), "tiny positive gap, wide").sound);

  // lambda_1 = lambda_2 = (3 + sqrt 5) / 2, irrational (a repeated 2 x 2 block).
  const ExactSym r(mat(4, {1, 0, 1, 0,  0, 1, 0, 1,  1, 0, 2, 0,  0, 1, 0, 2}));
  const double phi2 = (3 + std::sqrt(5.0)) / 2;
  const Ival l1(next_down(phi2), next_up(phi2));
  CHECK(check_top(r, top_of(l1, Ival(0, 1e-10)), "irrational, gap [0, 1e-10]").sound);
  CHECK_FALSE(check_top(r, top_of(l1, Ival(1e-20, 1)), "irrational, gap.lo 1e-20").sound);
  // Spectrum gaps go through the same check.
  CHECK_FALSE(check_spectrum(a, [] { auto s = spectrum_of({Ival(3), Ival(1)}); s.gap = Ival(2.5, 3); return s; }(),
                             "spectrum gap").sound);
}

TEST_CASE("oracle catches norm bounds one ulp short, on both ends of the spectrum") {
  const ExactSym a(mat(2, {2, 1, 1, 2}));
  CHECK(check_norm_up(a, 3, "exact").sound);
  CHECK_FALSE(check_norm_up(a, next_down(3.0), "short").sound);
  const ExactSym b(mat(2, {1, 0, 0, -5}));
  CHECK(check_norm_up(b, 5, "exact").sound);
  CHECK_FALSE(check_norm_up(b, next_down(5.0), "short below").sound);
  CHECK_FALSE(check_norm_up(b, -1, "negative").sound);
  CHECK(check_norm_up(b, fim::num::inf, "failure value claims nothing").sound);
}

TEST_CASE("oracle catches ball enclosures that miss A +- rI") {
  const ExactSym a(mat(2, {2, 1, 1, 2}));
  const double r = 0.5;
  auto s = spectrum_of({Ival(2.5, 3.5), Ival(0.5, 1.5)});
  CHECK(check_spectrum_result(a, s, r, "ball").report.sound);
  s.eig[0] = Ival(2.5, next_down(3.5));
  CHECK_FALSE(check_spectrum_result(a, s, r, "ball").report.sound);
  CHECK_FALSE(check_top_result(a, top_of(Ival(next_up(2.5), 3.5), std::nullopt), r, "ball").report.sound);
  CHECK(check_norm_result(a, 3.5, r, "ball").report.sound);
  CHECK_FALSE(check_norm_result(a, next_down(3.5), r, "ball").report.sound);
}

TEST_CASE("oracle catches a deliberately broken routine on generated matrices") {
  // enclose_spectrum_fp with each enclosure moved just past its own upper end, or with the
  // enclosures of lambda_1 and lambda_2 exchanged where they are disjoint: every result misses.
  const auto g = fim::search::any();
  int broken = 0, caught = 0;
  for (std::uint64_t i = 0; i < 300; ++i) {
    const MatrixXd a = g(rc::Random(4242 + i), rc::kNominalSize).value();
    const ExactSym ex(a);
    const Spectrum s = fim::linalg::enclose_spectrum_fp({a, 0.0});
    if (!s.ok) continue;
    if (!check_spectrum(ex, s, "enclose_spectrum_fp").sound) continue;  // t-soundness-fp reports it
    for (std::size_t k = 0; k < s.eig.size(); ++k) {
      if (!std::isfinite(s.eig[k].hi) || s.eig[k].hi == DBL_MAX) continue;
      Spectrum bad = s;
      bad.gap.reset();
      bad.eig[k] = Ival(next_up(s.eig[k].hi), next_up(next_up(s.eig[k].hi)));
      ++broken;
      caught += !check_spectrum(ex, bad, "moved up").sound;
      bad.eig[k] = Ival(s.eig[k].hi, s.eig[k].lo);  // swapped
      if (s.eig[k].lo < s.eig[k].hi) {
        ++broken;
        caught += !check_spectrum(ex, bad, "swapped").sound;
      }
    }
    if (s.eig.size() >= 2 && s.eig[1].hi < s.eig[0].lo) {
      Spectrum bad = s;
      std::swap(bad.eig[0], bad.eig[1]);
      ++broken;
      caught += !check_spectrum(ex, bad, "exchanged").sound;
    }
  }
  CHECK(broken > 500);
  CHECK(caught == broken);
}

TEST_CASE("the soundness harness rejects routines that are sound but certify nothing") {
  // Three routines no soundness check can fault: every eigenvalue in the whole line (gap in
  // [0, inf]); every eigenvalue in [-B, B], B >= ||A|| from Gershgorin; and ok == false always.
  // run_soundness finds no miss in any of them, so only the floors can reject them; the real
  // enclose_spectrum_fp on the same matrices meets the same floors.
  const auto spectrum_of = [](const MatrixXd& a, Ival each, bool ok) {
    Spectrum s;
    s.ok = ok;
    s.eig.assign(static_cast<std::size_t>(a.rows()), each);
    if (a.rows() >= 2) s.gap = Ival(0, fim::num::inf);
    return s;
  };
  const std::vector<Routine> routines = {
      {"whole line", {},
       [&](const MatrixXd& a, const ExactSym& ex) {
         return check_spectrum_result(ex, spectrum_of(a, Ival::entire(), true), 0, "whole line");
       }},
      {"Gershgorin interval", {},
       [&](const MatrixXd& a, const ExactSym& ex) {
         const double b = next_up(ex.bound().convert_to<double>());
         return check_spectrum_result(ex, spectrum_of(a, Ival(-b, b), true), 0, "Gershgorin interval");
       }},
      {"never ok", {},
       [&](const MatrixXd& a, const ExactSym& ex) {
         return check_spectrum_result(ex, spectrum_of(a, Ival::entire(), false), 0, "never ok");
       }},
      {"enclose_spectrum_fp", {},
       [](const MatrixXd& a, const ExactSym& ex) {
         return check_spectrum_result(ex, fim::linalg::enclose_spectrum_fp({a, 0.0}), 0, "enclose_spectrum_fp");
       }},
  };
  Tally tally;
  run_soundness("useless routines", fim::search::random(), 9, 200, routines, tally);
  tally.print("useless routines", 0);
  CHECK(tally.total().misses == 0);
  const auto floor = [](const char* name) { return std::vector<Floor>{{name, 0.5, 0.5}}; };
  for (const char* useless : {"whole line", "Gershgorin interval", "never ok"}) {
    INFO(useless);
    CHECK(floor_failures(tally, floor(useless)).size() == 2);  // neither floor reached
  }
  CHECK(floor_failures(tally, floor("enclose_spectrum_fp")).empty());
  CHECK(floor_failures(tally, floor("a routine that never ran")).size() == 1);
}

// ---- the generators' own properties ------------------------------------------------------------

TEST_CASE("generators: symmetric, finite, within their dimensions, shrinking toward n = 1") {
  using namespace fim::search;
  const std::vector<std::pair<const char*, MatrixGen>> families = {
      {"wishart", wishart()},          {"spiked", spiked()},
      {"low_rank_noise", low_rank_noise()}, {"hadamard_repeated", hadamard_repeated()},
      {"scaled_identity", scaled_identity()}, {"zero_matrix", zero_matrix()},
      {"block_repeat", block_repeat()}, {"near_degenerate", near_degenerate()},
      {"clusters", clusters()},        {"dynamic_range", dynamic_range()},
      {"rank_deficient", rank_deficient()}, {"subnormal", subnormal()},
      {"binade", binade()},            {"nearly_parallel", nearly_parallel()},
      {"one_by_one", one_by_one()},    {"random", fim::search::random()},
      {"adversarial", adversarial()},  {"any", any()}};
  for (const auto& [name, g] : families) {
    INFO("family " << name);
    int small = 0;
    for (std::uint64_t i = 0; i < 60; ++i) {
      const auto s = g(rc::Random(99 + i), rc::kNominalSize);
      const MatrixXd a = s.value();
      REQUIRE(a.rows() >= 1);
      REQUIRE(a.rows() <= 20);
      REQUIRE(a.allFinite());
      REQUIRE(a == a.transpose());
      small += a.rows() <= 3;
      if (i < 5) {  // the first shrink of each step, followed down: dimension reaches 1
        auto cur = s;
        for (int step = 0; step < 200; ++step) {
          auto seq = cur.shrinks();
          auto next = seq.next();
          if (!next) break;
          cur = *next;
        }
        CHECK(cur.value().rows() == 1);
      }
    }
    CHECK(small >= 10);  // biased toward 1, 2, 3
  }
  CHECK(dimension_range(130, 160)(rc::Random(5), rc::kNominalSize).value() >= 130);
  const MatrixXd big = large()(rc::Random(5), rc::kNominalSize).value();
  CHECK(big.rows() >= 130);
  CHECK(big == big.transpose());
}

TEST_CASE("generators: promised spectra hold exactly") {
  using namespace fim::search;
  for (std::uint64_t i = 0; i < 200; ++i) {
    // hadamard_repeated: lambda_1 = lambda_2 exactly (found by a zero count of multiplicity >= 2).
    const MatrixXd h = hadamard_repeated()(rc::Random(500 + i), rc::kNominalSize).value();
    if (h.rows() >= 2) {
      const ExactSym ex(h);
      Eigen::SelfAdjointEigenSolver<MatrixXd> es(h);
      int e = 0;
      const double f = std::frexp(es.eigenvalues()(h.rows() - 1), &e);
      double top = std::ldexp(std::round(std::ldexp(f, 24)), e - 24);
      if (ex.inertia(q(top)).zero == 0) top = 0;
      const Inertia in = ex.inertia(q(top));
      INFO(hex_matrix(h));
      CHECK(in.pos == 0);
      CHECK(in.zero >= 2);
    }
    // rank_deficient: 0 is an eigenvalue.
    const MatrixXd r = rank_deficient()(rc::Random(900 + i), rc::kNominalSize).value();
    CHECK(ExactSym(r).inertia(0).zero >= 1);
    // zero_matrix: all zero.
    const MatrixXd z = zero_matrix()(rc::Random(1300 + i), rc::kNominalSize).value();
    CHECK(ExactSym(z).inertia(0).zero == z.rows());
  }
}
