#include "linalg/gram.hpp"

#include <cmath>
#include <vector>

#include "linalg/product_bounds.hpp"
#include "numeric/interval.hpp"

namespace fim::linalg {
using Eigen::Index;
using Eigen::MatrixXd;
using num::Ival;

namespace {

constexpr Index kChunk = 256;  // terms per chunk: bounds the rounding height (Lemma 1b)

Index ceil_log2(Index x) {
  Index l = 0;
  while ((Index{1} << l) < x) ++l;
  return l;
}

}  // namespace

void PairwiseSum::add(MatrixXd m) {
  int level = 0;
  while (!stack_.empty() && stack_.back().level == level) {
    m += stack_.back().sum;
    stack_.pop_back();
    ++level;
  }
  stack_.push_back({level, std::move(m)});
  ++count_;
}

MatrixXd PairwiseSum::total(Index dim) {
  MatrixXd s = MatrixXd::Zero(dim, dim);
  while (!stack_.empty()) {
    s += stack_.back().sum;
    stack_.pop_back();
  }
  return s;
}

GramAccumulator::GramAccumulator(Index m) : m_(m) {}

void GramAccumulator::add(const MatrixXd& block) {
  zero_ = zero_ && (block.array() == 0).all();
  MatrixXd part = MatrixXd::Zero(m_, m_);
  part.selfadjointView<Eigen::Lower>().rankUpdate(block);
  sum_.add(std::move(part));
  terms_ += block.cols();
}

GramPartial GramAccumulator::finish() {
  // Height: chunk product (<= kChunk + 1 roundings), binary counter (<= 2 ceil(log2 C) + 1).
  const Index chunks = sum_.count();
  return {sum_.total(m_), kChunk + 2 + 2 * ceil_log2(chunks + 1), terms_, zero_};
}

void PartialSum::add(GramPartial p) {
  if (p.terms == 0) return;  // no columns (a rank with no groups): nothing to add
  if (parts_ == 0) m_ = p.lower.rows();
  height_ = std::max(height_, p.height);
  terms_ += p.terms;
  zero_ = zero_ && p.zero;
  sum_.add(std::move(p.lower));
  ++parts_;
}

GramPartial PartialSum::total() {
  // Each term passes through at most 2 ceil(log2(P + 1)) further additions (Corollary 1b, D);
  // one part is only added to a zero matrix, which is exact and not counted (Lemma 1).
  const Index extra = parts_ <= 1 ? 0 : 2 * ceil_log2(parts_ + 1);
  return {sum_.total(m_), height_ + extra, terms_, zero_};
}

SymMatrix enclose_partial(const GramPartial& p) {
  const Index dim = p.lower.rows();
  SymMatrix k;
  k.mid = p.lower.selfadjointView<Eigen::Lower>();
  const Ival g(num::gamma_up(static_cast<std::size_t>(p.height)));
  const Ival deta = Ival(static_cast<double>(p.terms)) * Ival(num::eta);
  Ival trace(0.0);
  for (Index i = 0; i < dim; ++i) trace += Ival(k.mid(i, i)) + deta;
  // ||K^ - K||_2 <= gamma_h / (1 - gamma_h) sum_i (K^_ii + t eta) + dim t eta   (Corollary 1b)
  const Ival radius = g / (Ival(1.0) - g) * trace + Ival(static_cast<double>(dim)) * deta;
  k.radius = p.zero ? 0.0 : k.mid.allFinite() ? radius.hi : num::inf;
  return k;
}

GramPartial gram_of_columns(Index n, Index c0, Index c1, const BlockReader& read,
                            const std::function<void(Index)>& done) {
  GramAccumulator acc(n);
  MatrixXd block;
  for (Index t0 = c0; t0 < c1; t0 += kChunk) {
    const Index w = std::min(kChunk, c1 - t0);
    read(0, n, t0, w, block);
    acc.add(block);
    if (done) done(t0 + w - c0);
  }
  return acc.finish();
}

Index gram_units(Index d) { return (d + kUnitColumns - 1) / kUnitColumns; }

GramPartial gram_of_unit(Index n, Index d, Index u, const BlockReader& read,
                         const std::function<void(Index)>& done) {
  const Index c0 = u * kUnitColumns;
  return gram_of_columns(n, c0, std::min(d, c0 + kUnitColumns), read, done);
}

SymMatrix enclose_gram(Index n, Index d, const BlockReader& read,
                       const std::function<void(double)>& progress) {
  if (n < d) {  // K = G G^T (n x n), the columns of G streamed unit by unit
    PartialSum units;
    for (Index u = 0; u < gram_units(d); ++u)
      units.add(gram_of_unit(n, d, u, read, [&](Index done) {
        if (progress) progress(static_cast<double>(u * kUnitColumns + done) / static_cast<double>(d));
      }));
    return enclose_partial(units.total());
  }
  GramAccumulator acc(d);  // G^T G (d x d), the rows of G streamed
  MatrixXd block;
  for (Index t0 = 0; t0 < n; t0 += kChunk) {
    const Index w = std::min(kChunk, n - t0);
    read(t0, w, 0, d, block);
    acc.add(block.transpose());
    if (progress) progress(static_cast<double>(t0 + w) / static_cast<double>(n));
  }
  return enclose_partial(acc.finish());
}

namespace {

// Dot2 accumulators of every lower-triangle entry (Ogita, Rump and Oishi 2005): p + s is the
// running sum, p its leading part (TwoSum, error-free), s the sum of the exact product errors
// and of the TwoSum errors, in binary64 (proofs/linear-algebra.md, Lemma 13).
struct Dot2 {
  MatrixXd p, s;
  explicit Dot2(Index dim) : p(MatrixXd::Zero(dim, dim)), s(MatrixXd::Zero(dim, dim)) {}

  // Adds term k of every entry (i, j), j <= i: b(i, k) b(j, k).
  void add(const MatrixXd& b) {
    for (Index j = 0; j < b.rows(); ++j)
      for (Index i = j; i < b.rows(); ++i) {
        double pij = p(i, j), sij = s(i, j);
        for (Index k = 0; k < b.cols(); ++k) {
          const double h = b(i, k) * b(j, k);
          const double r = std::fma(b(i, k), b(j, k), -h);  // TwoProduct: exact but for underflow
          const double t = pij + h, z = t - pij;           // TwoSum: t + q = pij + h exactly
          const double q = (pij - (t - z)) + (h - z);
          pij = t;
          sij += q + r;
        }
        p(i, j) = pij;
        s(i, j) = sij;
      }
  }
};

}  // namespace

SymMatrix enclose_gram_dd(Index n, Index d, const BlockReader& read,
                          const std::function<void(double)>& progress) {
  const bool rows_small = n < d;
  const Index dim = rows_small ? n : d, terms = rows_small ? d : n;
  Dot2 acc(dim);
  MatrixXd block;
  bool zero = true;
  for (Index t0 = 0; t0 < terms; t0 += kChunk) {
    const Index w = std::min(kChunk, terms - t0);
    if (rows_small) read(0, n, t0, w, block);
    else read(t0, w, 0, d, block);
    zero = zero && (block.array() == 0).all();
    if (rows_small) acc.add(block);
    else acc.add(block.transpose());
    if (progress) progress(static_cast<double>(t0 + w) / static_cast<double>(terms));
  }
  const MatrixXd lower = acc.p + acc.s;  // res = fl(p + s), entry by entry
  SymMatrix k;
  k.mid = lower.selfadjointView<Eigen::Lower>();
  if (zero) return k;  // every operation was exact on zeros: K = 0 (radius 0)
  if (!k.mid.allFinite() || !acc.s.allFinite()) {
    k.radius = num::inf;
    return k;
  }
  // Lemma 13: |res_ij - K_ij| <= u |res_ij| + c H_ij + (2 gamma_N + 1) N eta, with
  // c = gamma_N u (N (1 + gamma_N) + 1), ||[H_ij]||_2 <= (1 + u) tr K + dim N eta and
  // tr K <= ((1 + u) sum_i |res_ii| + dim (c + 2 gamma_N + 1) N eta) / (1 - c (1 + u)).
  const Ival u(0x1p-53), one(1.0), N(static_cast<double>(terms)), m(static_cast<double>(dim));
  const Ival gN(num::gamma_up(static_cast<std::size_t>(terms)));
  const Ival Neta = N * Ival(num::eta);
  const Ival c = gN * u * (N * (one + gN) + one);
  Ival diag(0.0);
  for (Index i = 0; i < dim; ++i) diag += Ival(std::abs(k.mid(i, i)));
  const Ival under = (Ival(2.0) * gN + one) * Neta;
  const Ival trace = ((one + u) * diag + m * (c * Neta + under)) / (one - c * (one + u));
  const Ival radius = u * Ival(norm2_up(k.mid.cwiseAbs())) +
                      c * ((one + u) * trace + m * Neta) + m * under;
  k.radius = std::isfinite(radius.hi) ? radius.hi : num::inf;
  return k;
}

bool gram_radius_limits(double radius, double mag, double rel_width) {
  return radius > 0 && std::isfinite(radius) && num::mul_up(4.0, radius) > rel_width * mag;
}

}  // namespace fim::linalg
