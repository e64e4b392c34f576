#include "cli/input.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <unistd.h>

#include "io/matrix_io.hpp"
#include "io/npy.hpp"
#include "io/score_shards.hpp"
#include "cli/ranks.hpp"
#include "linalg/gram.hpp"
#include "linalg/product_bounds.hpp"
#include "numeric/fp.hpp"

namespace fim::cli {
using Eigen::Index;
using Eigen::MatrixXd;

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Centre = lo, radius >= || hi - lo ||_2: every matrix with entries in [lo, hi] is in the ball.
linalg::SymMatrix ball_of(const io::DenseInput& m) {
  linalg::SymMatrix s{m.lo, 0.0};
  if (!m.exact()) s.radius = linalg::norm2_up(m.hi - m.lo);  // hi - lo exact (adjacent floats)
  return s;
}

// (A + A^T) / 2 rounded, with the rounding error as radius: each entry is fl(fl(a + b) / 2),
// error <= u |result| + eta per entry (Lemma 0), and the norm of that error matrix (Lemma 2).
linalg::SymMatrix symmetrized(const io::DenseInput& m) {
  linalg::SymMatrix lo = ball_of(m);
  const MatrixXd mid = (lo.mid + lo.mid.transpose()) * 0.5;
  const MatrixXd err = (mid.cwiseAbs() * 0x1p-52).array() + 0x1p-1073;
  lo.radius = num::add_up(lo.radius, linalg::norm2_up(err));
  lo.mid = mid;
  return lo;
}

// Why a 1-D score array is refused: one sample of d scores and d samples of one score are both
// plausible readings, and they have different FIMs.
std::string one_dimensional(Index d) {
  return "a 1-D array of " + std::to_string(d) +
         " scores is ambiguous as a score matrix G (n x d): save it 2-D, with "
         "np.save(path, g.reshape(1, -1)) for one sample of " + std::to_string(d) +
         " parameters or g.reshape(-1, 1) for " + std::to_string(d) + " samples of one parameter";
}

void show(double fraction) {
  std::fprintf(stderr, "\rreading score matrix: %5.1f%%", 100.0 * fraction);
  if (fraction >= 1.0) std::fprintf(stderr, "\n");
}

}  // namespace

linalg::SymMatrix load_symmetric(const std::string& path, bool symmetrize) {
  const io::DenseInput m = io::read_dense(path);
  if (m.lo.rows() != m.lo.cols())
    throw io::InputError(path, "shape", "matrix is " + std::to_string(m.lo.rows()) + " x " +
                                            std::to_string(m.lo.cols()) + ", not square");
  if (symmetrize) return symmetrized(m);
  io::require_symmetric(m);
  return ball_of(m);
}

namespace {

// The k with 2^-k max |G| in [1, 2), read in one pass (0 for G = 0): by columns when G is wide,
// the order in which shards are streamed.
int scale_exponent_of(Index n, Index d, const linalg::BlockReader& read) {
  double big = 0;
  MatrixXd b;
  const bool wide = n < d;
  for (Index t0 = 0; t0 < (wide ? d : n); t0 += 256) {
    const Index w = std::min<Index>(256, (wide ? d : n) - t0);
    if (wide) read(0, n, t0, w, b);
    else read(t0, w, 0, d, b);
    big = std::max(big, b.cwiseAbs().maxCoeff());
  }
  return big > 0 ? std::ilogb(big) : 0;
}

// read, with every entry multiplied by 2^-k, which must be exact (Lemma 14): otherwise the scores
// span more than binary64's exponent range and the Gram matrix cannot be formed without overflow.
linalg::BlockReader scaled_reader(const linalg::BlockReader& read, int k, const std::string& path) {
  return [read, k, path](Index r0, Index h, Index c0, Index w, MatrixXd& b) {
    read(r0, h, c0, w, b);
    for (Index j = 0; j < b.cols(); ++j)
      for (Index i = 0; i < b.rows(); ++i) {
        const double y = std::ldexp(b(i, j), -k);
        if (std::ldexp(y, k) != b(i, j))
          throw io::InputError(path, "entries",
                               "G G^T overflows binary64 (largest |score| near 2^" + std::to_string(k) +
                                   "), and scaling it by 2^-" + std::to_string(k) +
                                   " would round the smallest scores: their range exceeds binary64's");
        b(i, j) = y;
      }
  };
}

// The Gram matrix by Lemma 1b or (precise) Lemma 13; when G G^T overflows, of 2^-k G instead,
// with the factor 2^2k recorded in out.scale2 (Lemma 14).
void enclose_gram_into(GramInput& out, const linalg::BlockReader& read, bool precise,
                       const std::function<void(double)>& progress, const std::string& path) {
  const auto gram = precise ? linalg::enclose_gram_dd : enclose_gram_ranks;
  out.gram = gram(out.n, out.d, read, progress);
  if (std::isfinite(out.gram.radius)) return;
  const int k = scale_exponent_of(out.n, out.d, read);
  out.gram = gram(out.n, out.d, scaled_reader(read, k, path), progress);
  out.scale2 = 2 * k;
}

}  // namespace

// The shards FILES name: one manifest, or .npy files side by side.
io::ScoreShards shards_named(const std::vector<std::string>& files) {
  return files.size() == 1 && io::is_manifest(files[0]) ? io::read_manifest(files[0]) : io::shards_of_files(files);
}

// G from a manifest or from .npy shards side by side, streamed shard by shard.
void load_shards(GramInput& out, const std::vector<std::string>& files, bool precise,
                 const std::function<void(double)>& progress) {
  const io::ScoreShards s = shards_named(files);
  out.n = s.n;
  out.d = s.d;
  io::ShardReader reader(s);
  enclose_gram_into(
      out, [&reader](Index r0, Index h, Index c0, Index w, MatrixXd& b) { reader.read(r0, h, c0, w, b); },
      precise, progress, s.origin);
}

// FILES with every folder of exported shards replaced by its manifest.json.
std::vector<std::string> manifests_for_folders(std::vector<std::string> files) {
  for (std::string& f : files)
    if (std::error_code ec; std::filesystem::is_directory(f, ec) &&
                            std::filesystem::is_regular_file(std::filesystem::path(f) / "manifest.json", ec))
      f = (std::filesystem::path(f) / "manifest.json").string();
  return files;
}

GramInput load_gram(const std::vector<std::string>& given, bool show_progress, bool precise) {
  const std::vector<std::string> files = manifests_for_folders(given);
  GramInput out;
  const bool tty = show_progress && isatty(STDERR_FILENO);
  std::function<void(double)> progress;
  if (tty) progress = show;
  if (files.size() != 1 || io::is_manifest(files[0])) {
    load_shards(out, files, precise, progress);
    return out;
  }
  const std::string& path = files[0];
  const io::Sniffed kind = io::sniff(path);
  if (kind.kind == io::FileKind::archive) throw io::InputError(path, "file", kind.reason);
  if (kind.kind == io::FileKind::npy || ends_with(path, ".npy")) {
    const io::NpyMatrix g(path);
    if (g.ndim() == 1) throw io::InputError(path, "shape", one_dimensional(g.cols()));
    out.n = g.rows();
    out.d = g.cols();
    enclose_gram_into(
        out, [&g](Index r0, Index h, Index c0, Index w, MatrixXd& b) { g.read_block(r0, h, c0, w, b); },
        precise, progress, path);
    return out;
  }
  const io::DenseInput m = io::read_dense(path);
  if (!m.exact())
    throw io::InputError(path, "entries",
                         "score matrices must hold binary64 values; decimal text that is not "
                         "exactly representable is accepted for dense matrices only");
  out.n = m.lo.rows();
  out.d = m.lo.cols();
  enclose_gram_into(
      out, [&m](Index r0, Index h, Index c0, Index w, MatrixXd& b) { b = m.lo.block(r0, c0, h, w); },
      precise, {}, path);
  return out;
}

FimMatrix load_fim_matrix(const std::vector<std::string>& files, bool gram, bool symmetrize,
                          bool show_progress, bool precise_gram) {
  FimMatrix f;
  if (gram) {
    GramInput g = load_gram(files, show_progress, precise_gram);
    f.precise_gram = precise_gram;
    f.scale2 = g.scale2;
    f.m = std::move(g.gram);
    f.divisor = static_cast<double>(g.n);
    f.n = g.n;
    f.d = g.d;
  } else {
    if (files.size() != 1)
      throw io::InputError(files.at(1), "arguments",
                           "several files are read side by side, as score shards, only with --gram");
    f.m = load_symmetric(files[0], symmetrize);
    f.n = f.d = f.m.dim();
  }
  return f;
}

FimMatrix load_fim_matrix(const std::string& path, bool gram, bool symmetrize, bool show_progress,
                          bool precise_gram) {
  return load_fim_matrix(std::vector<std::string>{path}, gram, symmetrize, show_progress, precise_gram);
}

GroupedFim load_per_group(const std::vector<std::string>& given, bool show_progress) {
  const std::vector<std::string> files = manifests_for_folders(given);
  for (const std::string& f : files)
    if (!io::is_manifest(f) && io::sniff(f).kind != io::FileKind::npy)
      throw io::InputError(f, "file", "--per-group reads a manifest (.json) or .npy score shards");
  const io::ScoreShards s = shards_named(files);
  GroupedFim out;
  out.shards = static_cast<int>(s.shards.size());
  FimMatrix& f = out.fim;
  f.n = s.n;
  f.d = s.d;
  f.divisor = static_cast<double>(s.n);
  std::function<void(double)> progress;
  if (show_progress && isatty(STDERR_FILENO)) progress = show;
  if (s.n < s.d) {  // K = sum of the groups' G_g G_g^T, each enclosed on the way (Corollary 1c)
    fim::GroupPass pass = group_pass_ranks(s, progress);
    f.m = linalg::enclose_partial(pass.total);
    out.groups = std::move(pass.groups);
    return out;
  }
  f = load_fim_matrix(files, true, false, show_progress);  // G^T G (d x d): blocks of it
  if (f.scale2 != 0)
    throw io::InputError(s.origin, "entries", "G^T G overflows binary64; --per-group needs it unscaled");
  for (const io::ScoreShards::Group& g : s.groups)
    out.groups.push_back(fim::block_curvature(g.name, f.m, g.c0, g.c1, s.n, s.origin));
  return out;
}

// Rounds v 2^s outward: exact unless it overflows or underflows (Lemma 14.1-2).
double scaled_end(double v, int s, bool upper) {
  double r = std::ldexp(v, s);
  if (std::isinf(r)) return upper == (r > 0) ? r : std::copysign(DBL_MAX, r);
  if (std::ldexp(r, -s) != v) r = upper ? num::next_up(r) : num::next_down(r);
  return r;
}

num::Ival fim_value(const FimMatrix& f, const num::Ival& raw) {
  const num::Ival x = raw / num::Ival(f.divisor);
  if (f.scale2 == 0) return x;
  return {scaled_end(x.lo, f.scale2, false), scaled_end(x.hi, f.scale2, true)};
}

bool gram_worth_refining(const FimMatrix& f, const num::Ival& raw, double rel_width, int max_bits) {
  return max_bits > 53 && f.divisor != 1 && !f.precise_gram && linalg::gram_radius_limits(f.m.radius, raw.mag(), rel_width);
}

}  // namespace fim::cli
