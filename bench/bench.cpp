// S12 benchmark: certified routines against their unverified counterparts, side by side in one
// run, on the same inputs. Prints ratios (certified time / reference time) and the widths reached.
// Usage: fimcheck_bench [--quick] [--reps R] [--dir TMPDIR]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "npy_f32.hpp"
#include "io/npy.hpp"
#include "linalg/enclose_spectrum.hpp"
#include "linalg/enclose_top.hpp"
#include "linalg/gram.hpp"
#include "claims/claim.hpp"
#include "claims/user_claim.hpp"

using Eigen::Index;
using Eigen::MatrixXd;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(const std::function<void()>& f) {
  const auto t0 = Clock::now();
  f();
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Wishart-type PSD test matrix G^T G / m, made exactly symmetric.
MatrixXd wishart(Index d, Index m, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  MatrixXd g(m, d);
  for (Index j = 0; j < d; ++j)
    for (Index i = 0; i < m; ++i) g(i, j) = normal(rng);
  MatrixXd a = (g.transpose() * g) / static_cast<double>(m);
  MatrixXd s = a.triangularView<Eigen::Upper>();
  s = s.selfadjointView<Eigen::Upper>();
  return s;
}

// Runs certified and reference alternately `reps` times; prints medians and their ratio.
void compare(const char* name, int reps, const std::function<std::string()>& certified,
             const std::function<void()>& reference, double target) {
  std::vector<double> tc, tr;
  std::string detail;
  for (int r = 0; r < reps; ++r) {
    tr.push_back(seconds(reference));
    tc.push_back(seconds([&] { detail = certified(); }));
  }
  const double c = median(tc), ref = median(tr);
  std::printf("%-44s certified %8.3f s  reference %8.3f s  ratio %6.2f  (target <= %.1f)  %s\n",
              name, c, ref, c / ref, target, detail.c_str());
  std::fflush(stdout);
}

// Reference for the Gram path: read the whole file, convert to binary64, one G G^T.
MatrixXd read_and_multiply(const std::string& path, Index n, Index d) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  std::vector<char> bytes(static_cast<std::size_t>(f.tellg()));
  f.seekg(0);
  f.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  const std::size_t offset = bytes.size() - static_cast<std::size_t>(n * d) * 4;
  Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> g(
      reinterpret_cast<const float*>(bytes.data() + offset), n, d);
  const MatrixXd gd = g.cast<double>();
  MatrixXd k(n, n);
  k.noalias() = gd * gd.transpose();
  return k;
}

// Random cases of dimension d: Wishart A (diagonal for eigenbasis claims), small random E.
std::vector<fim::claims::MatrixCase> rate_cases(Index d, int cases, bool diagonal_a) {
  std::vector<fim::claims::MatrixCase> cs;
  std::mt19937_64 rng(9);
  std::normal_distribution<double> normal;
  for (int k = 0; k < cases; ++k) {
    MatrixXd a = diagonal_a ? MatrixXd(wishart(d, 2 * d, 100 + k).diagonal().asDiagonal())
                            : wishart(d, 2 * d, 100 + k);
    MatrixXd e(d, d);
    for (Index j = 0; j < d; ++j)
      for (Index i = 0; i <= j; ++i) e(i, j) = e(j, i) = 1e-3 * normal(rng);
    cs.push_back({a, e});
  }
  return cs;
}

// Seconds to decide every case with escalation as in `fimcheck check`; counts the HOLDS.
double decide_all(const fim::claims::Claim& claim, const std::vector<fim::claims::MatrixCase>& cs, int& holds) {
  holds = 0;
  return seconds([&] {
    for (const auto& c : cs)
      holds += fim::claims::check(claim, c, "stated", {}).verdict == fim::claims::Verdict::Holds;
  });
}

// Certified claim checks per second on random cases of dimension d.
void rate(const char* claim_name, Index d, int cases, bool diagonal_a) {
  const auto cs = rate_cases(d, cases, diagonal_a);
  int holds = 0;
  const double t = decide_all(*fim::claims::find_claim(claim_name), cs, holds);
  std::printf("%-44s %9.0f cases/s  (%d cases, %d HOLDS)\n",
              (std::string("certified ") + claim_name + " checks, d = " + std::to_string(d)).c_str(),
              cases / t, cases, holds);
  std::fflush(stdout);
}

// The built-in weyl against the same claim written in the claim language (check --claim), on the
// same cases, alternating `reps` times; the target is a ratio of at most 2.
void rate_language(Index d, int cases, int reps) {
  const auto cs = rate_cases(d, cases, false);
  const auto user = fim::claims::make_user_claim(
      {"(forall i, j in 1..n with i + j - 1 <= n: lambda(i+j-1, A+E) <= lambda(i, A) + lambda(j, E)) and "
       "(forall i in 1..n: lambda(i, A) + lambda_min(E) <= lambda(i, A+E))"},
      static_cast<int>(d), static_cast<int>(d));
  std::vector<double> tb, tu;
  int hb = 0, hu = 0;
  for (int r = 0; r < reps; ++r) {
    tb.push_back(decide_all(*fim::claims::find_claim("weyl"), cs, hb));
    tu.push_back(decide_all(*user, cs, hu));
  }
  const double b = median(tb), u = median(tu);
  std::printf("weyl checks, d = %-3ld built in %6.0f cases/s  in the language %6.0f cases/s  ratio %.2f  (target <= 2.0; %d/%d HOLDS)\n",
              static_cast<long>(d), cases / b, cases / u, u / b, hb, hu);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  int reps = 3;
  std::string dir = "/tmp";
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) quick = true;
    else if (!std::strcmp(argv[i], "--reps") && i + 1 < argc) reps = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--dir") && i + 1 < argc) dir = argv[++i];
    else {
      std::fprintf(stderr, "usage: fimcheck_bench [--quick] [--reps R] [--dir TMPDIR]\n");
      return 2;
    }
  }
  const Index d_top = quick ? 300 : 1000, d_spec = quick ? 200 : 500;
  const Index gram_n = 256, gram_d = quick ? 100000 : 1000000;
  std::printf("fimcheck bench: medians of %d alternating runs, one core, same inputs\n", reps);

  rate("weyl", 8, quick ? 2000 : 20000, false);
  rate_language(8, quick ? 2000 : 20000, reps);
  rate("remainder", 8, quick ? 2000 : 20000, true);
  rate("remainder", 64, quick ? 100 : 1000, true);

  const MatrixXd a = wishart(d_top, 2 * d_top, 1);
  compare(("lambda_1, dense d = " + std::to_string(d_top)).c_str(), reps,
          [&] {
            const auto t = fim::linalg::enclose_top({a, 0.0}, {});
            char buf[96];
            std::snprintf(buf, sizeof buf, "rel. width %.2e at %d bits", fim::linalg::relative_width_up(t.lambda1), t.bits);
            return std::string(buf);
          },
          [&] { Eigen::SelfAdjointEigenSolver<MatrixXd> es(a, Eigen::EigenvaluesOnly); }, 1.0);

  const MatrixXd b = wishart(d_spec, 2 * d_spec, 2);
  compare(("full spectrum, dense d = " + std::to_string(d_spec)).c_str(), reps,
          [&] {
            const auto s = fim::linalg::enclose_spectrum_fp({b, 0.0});
            double w = 0;
            for (const auto& x : s.eig) w = std::max(w, x.width_up());
            char buf[96];
            std::snprintf(buf, sizeof buf, "max width %.2e (lambda_1 %.3g)", w, s.eig[0].hi);
            return std::string(buf);
          },
          [&] { Eigen::SelfAdjointEigenSolver<MatrixXd> es(b, Eigen::ComputeEigenvectors); }, 3.0);

  const std::string path = dir + "/fimcheck_bench_scores.npy";
  std::mt19937_64 rng(3);
  write_npy_f32(path, gram_n, gram_d, rng);
  compare(("Gram lambda_1, n = 256, d = " + std::to_string(gram_d) + " (.npy f32)").c_str(), reps,
          [&] {
            const fim::io::NpyMatrix g(path);
            const auto k = fim::linalg::enclose_gram(
                g.rows(), g.cols(), [&g](Index r0, Index h, Index c0, Index w, MatrixXd& out) {
                  g.read_block(r0, h, c0, w, out);
                });
            const auto t = fim::linalg::enclose_top(k, {});
            char buf[96];
            std::snprintf(buf, sizeof buf, "rel. width %.2e", fim::linalg::relative_width_up(t.lambda1));
            return std::string(buf);
          },
          [&] { read_and_multiply(path, gram_n, gram_d); }, 1.5);
  std::remove(path.c_str());
  return 0;
}
