// S12/S13 benchmark of the sharded Gram path: `fimcheck lambda --gram MANIFEST.json` against
// reading the same shard files plus an unverified float64 G G^T with OpenBLAS (dsyrk), each run
// as its own process, alternately, so that wall time and peak resident memory are measured alike.
// Usage: fimcheck_bench_shards --fimcheck PATH [--n 64] [--d 20000000] [--shards 8] [--reps 3]
//                              [--dir DIR] [--big] [--keep]
//        fimcheck_bench_shards --reference MANIFEST.json   (the reference alone; prints lambda_max)
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <Eigen/Dense>
#include <cblas.h>
#include <nlohmann/json.hpp>

#include "npy_f32.hpp"

namespace fs = std::filesystem;
using Eigen::Index;
using Eigen::MatrixXd;

namespace {

// The shards and a manifest of format fimcheck-scores, version 1, in dir.
void write_data(const std::string& dir, Index n, Index d, int shards) {
  fs::create_directories(dir);
  std::mt19937_64 rng(3);
  nlohmann::json m = {{"format", "fimcheck-scores"}, {"version", 1}, {"n", n}, {"d", d},
                      {"dtype", "float32"}, {"labels", "data"}, {"seed", 3}, {"method", "user"},
                      {"model_hash", "sha256:bench"}, {"zero_grad", nlohmann::json::array()},
                      {"frozen", nlohmann::json::array()}, {"notes", {"synthetic normal scores"}}};
  for (int k = 0; k < shards; ++k) {
    const Index c0 = d * k / shards, c1 = d * (k + 1) / shards;
    const std::string file = "scores-" + std::to_string(10000 + k).substr(1) + ".npy";
    write_npy_f32(dir + "/" + file, n, c1 - c0, rng);
    m["shards"].push_back({{"file", file}, {"columns", {c0, c1}},
                           {"params", {{{"name", "w" + std::to_string(k)}, {"columns", {c0, c1}}, {"shape", {c1 - c0}}}}}});
    std::fprintf(stderr, "\rwriting shards: %d/%d", k + 1, shards);
  }
  std::fprintf(stderr, "\n");
  std::ofstream(dir + "/manifest.json") << m.dump(1);
}

// The reference: each shard mapped, converted to binary64 in blocks of 8192 columns, and
// K += B B^T by OpenBLAS's dsyrk; prints lambda_max(K / n) from Eigen's eigensolver.
int reference(const std::string& manifest) {
  const nlohmann::json m = nlohmann::json::parse(std::ifstream(manifest));
  const Index n = m["n"];
  MatrixXd k = MatrixXd::Zero(n, n);
  const Index bw = 8192;
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> b(n, bw);
  for (const auto& s : m["shards"]) {
    const std::string path = (fs::path(manifest).parent_path() / s["file"].get<std::string>()).string();
    const Index w = s["columns"][1].get<Index>() - s["columns"][0].get<Index>();
    const int fd = ::open(path.c_str(), O_RDONLY);
    struct stat st {};
    ::fstat(fd, &st);
    const auto* bytes = static_cast<const unsigned char*>(::mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0));
    unsigned short hl;
    std::memcpy(&hl, bytes + 8, 2);
    const float* g = reinterpret_cast<const float*>(bytes + 10 + hl);
    for (Index c0 = 0; c0 < w; c0 += bw) {
      const Index cw = std::min(bw, w - c0);
      for (Index i = 0; i < n; ++i)  // row i of the block: contiguous in the file and in b
        for (Index j = 0; j < cw; ++j) b(i, j) = g[i * w + c0 + j];
      // b is row-major with leading dimension bw: K (lower, column-major) = its upper, row-major
      cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, int(n), int(cw), 1.0, b.data(), int(bw), 1.0,
                  k.data(), int(n));
    }
    ::munmap(const_cast<unsigned char*>(bytes), st.st_size);
    ::close(fd);
  }
  const MatrixXd full = k.selfadjointView<Eigen::Lower>();
  Eigen::SelfAdjointEigenSolver<MatrixXd> es(full / double(n), Eigen::EigenvaluesOnly);
  std::printf("%.17g\n", es.eigenvalues()(n - 1));
  return 0;
}

struct Run {
  double seconds = 0;
  long max_rss_kib = 0;
  std::string out;
};

// Runs argv as a child process; its wall time, peak resident memory and stdout.
Run run(const std::vector<std::string>& argv) {
  char tmpl[] = "/tmp/fimcheck-bench-XXXXXX";
  const int fd = ::mkstemp(tmpl);
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fd, 1);
    std::vector<char*> a;
    for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
    a.push_back(nullptr);
    ::execv(a[0], a.data());
    std::_Exit(127);
  }
  int status = 0;
  struct rusage ru {};
  ::wait4(pid, &status, 0, &ru);
  Run r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.max_rss_kib = ru.ru_maxrss;
  std::ifstream in(tmpl);
  r.out.assign(std::istreambuf_iterator<char>(in), {});
  ::close(fd);
  ::unlink(tmpl);
  if (!WIFEXITED(status) || (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 3))
    throw std::runtime_error("'" + argv[0] + "' failed: " + r.out);
  return r;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::string fimcheck, dir = "/tmp/fimcheck-bench-shards";
  Index n = 64, d = 20000000;
  int shards = 8, reps = 3;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--reference") return reference(next());
    if (a == "--fimcheck") fimcheck = next();
    else if (a == "--n") n = std::stol(next());
    else if (a == "--d") d = std::stol(next());
    else if (a == "--shards") shards = std::stoi(next());
    else if (a == "--reps") reps = std::stoi(next());
    else if (a == "--dir") dir = next();
    else if (a == "--big") d = 100000000;
    else if (a == "--keep") keep = true;
    else {
      std::fprintf(stderr, "usage: fimcheck_bench_shards --fimcheck PATH [--n 64] [--d 20000000] "
                           "[--shards 8] [--reps 3] [--dir DIR] [--big] [--keep]\n");
      return 2;
    }
  }
  if (fimcheck.empty()) {
    std::fprintf(stderr, "fimcheck_bench_shards: --fimcheck PATH (the fimcheck binary) is required\n");
    return 2;
  }
  const auto t0 = std::chrono::steady_clock::now();
  write_data(dir, n, d, shards);
  const double write_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::uintmax_t disk = 0, largest = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    disk += e.file_size();
    if (e.path().extension() == ".npy") largest = std::max(largest, e.file_size());
  }
  std::printf("fimcheck bench shards: n = %ld, d = %ld float32 in %d shards, %.2f GB on disk "
              "(written in %.1f s); medians of %d alternating runs\n",
              long(n), long(d), shards, disk / 1e9, write_s, reps);
  const std::string manifest = dir + "/manifest.json";
  const std::string self = fs::canonical("/proc/self/exe").string();
  std::vector<double> tc, tr;
  long rss_c = 0, rss_r = 0;
  std::string cert, ref;
  for (int r = 0; r < reps; ++r) {
    const Run a = run({self, "--reference", manifest});
    const Run b = run({fimcheck, "lambda", "--gram", manifest, "--json"});
    tr.push_back(a.seconds);
    tc.push_back(b.seconds);
    rss_r = std::max(rss_r, a.max_rss_kib);
    rss_c = std::max(rss_c, b.max_rss_kib);
    ref = a.out;
    cert = b.out;
  }
  const nlohmann::json j = nlohmann::json::parse(cert);
  const double bound_mib = 1.2 * (double(n * n * 8) + double(largest)) / 1048576.0 + 64.0;
  std::printf("certified  %8.2f s  peak RSS %7.1f MiB   lambda_max %s\n", median(tc), rss_c / 1024.0,
              j["lambda_max"].dump().c_str());
  std::printf("reference  %8.2f s  peak RSS %7.1f MiB   lambda_max %s", median(tr), rss_r / 1024.0, ref.c_str());
  std::printf("ratio %.2f (target <= 1.5); memory bound 1.2 (n^2 x 8 B + largest shard %.1f MiB) + 64 MiB "
              "= %.1f MiB: %s\n",
              median(tc) / median(tr), largest / 1048576.0, bound_mib,
              rss_c / 1024.0 <= bound_mib ? "within" : "EXCEEDED");
  if (!keep) fs::remove_all(dir);
  return 0;
}
