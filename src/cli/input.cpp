#include "cli/input.hpp"

#include <cmath>
#include <cstdio>
#include <unistd.h>

#include "io/matrix_io.hpp"
#include "io/npy.hpp"
#include "linalg/gram.hpp"
#include "linalg/product_bounds.hpp"

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

GramInput load_gram(const std::string& path, bool show_progress, bool precise) {
  GramInput out;
  const bool tty = show_progress && isatty(STDERR_FILENO);
  std::function<void(double)> progress;
  if (tty) progress = show;
  const io::Sniffed kind = io::sniff(path);
  if (kind.kind == io::FileKind::archive) throw io::InputError(path, "file", kind.reason);
  if (kind.kind == io::FileKind::npy || ends_with(path, ".npy")) {
    const io::NpyMatrix g(path);
    if (g.ndim() == 1) throw io::InputError(path, "shape", one_dimensional(g.cols()));
    out.n = g.rows();
    out.d = g.cols();
    out.gram = (precise ? linalg::enclose_gram_dd : linalg::enclose_gram)(
        out.n, out.d,
        [&g](Index r0, Index h, Index c0, Index w, MatrixXd& b) { g.read_block(r0, h, c0, w, b); },
        progress);
    return out;
  }
  const io::DenseInput m = io::read_dense(path);
  if (!m.exact())
    throw io::InputError(path, "entries",
                         "score matrices must hold binary64 values; decimal text that is not "
                         "exactly representable is accepted for dense matrices only");
  out.n = m.lo.rows();
  out.d = m.lo.cols();
  out.gram = (precise ? linalg::enclose_gram_dd : linalg::enclose_gram)(
      out.n, out.d,
      [&m](Index r0, Index h, Index c0, Index w, MatrixXd& b) { b = m.lo.block(r0, c0, h, w); }, {});
  return out;
}

FimMatrix load_fim_matrix(const std::string& path, bool gram, bool symmetrize, bool show_progress,
                          bool precise_gram) {
  FimMatrix f;
  if (gram) {
    GramInput g = load_gram(path, show_progress, precise_gram);
    f.precise_gram = precise_gram;
    f.m = std::move(g.gram);
    f.divisor = static_cast<double>(g.n);
    f.n = g.n;
    f.d = g.d;
  } else {
    f.m = load_symmetric(path, symmetrize);
    f.n = f.d = f.m.dim();
  }
  return f;
}

bool gram_worth_refining(const FimMatrix& f, const num::Ival& raw, double rel_width) {
  if (f.divisor == 1 || f.precise_gram || !(f.m.radius > 0) || !std::isfinite(f.m.radius)) return false;
  // the radius widens the enclosure by 2 radius (Corollary 5a); worth it past half the budget
  return num::mul_up(4.0, f.m.radius) > rel_width * raw.mag();
}

}  // namespace fim::cli
