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

// Pairwise accumulation of chunk products: a binary counter of partial sums, so every term passes
// through at most ceil(log2(chunks)) + 1 additions after its chunk product.
class PairwiseSum {
 public:
  void add(MatrixXd m) {
    int level = 0;
    while (!stack_.empty() && stack_.back().level == level) {
      m += stack_.back().sum;
      stack_.pop_back();
      ++level;
    }
    stack_.push_back({level, std::move(m)});
    ++count_;
  }
  MatrixXd total(Index dim) {
    MatrixXd s = MatrixXd::Zero(dim, dim);
    while (!stack_.empty()) {
      s += stack_.back().sum;
      stack_.pop_back();
    }
    return s;
  }
  Index count() const { return count_; }

 private:
  struct Entry {
    int level;
    MatrixXd sum;
  };
  std::vector<Entry> stack_;
  Index count_ = 0;
};

Index ceil_log2(Index x) {
  Index l = 0;
  while ((Index{1} << l) < x) ++l;
  return l;
}

}  // namespace

SymMatrix enclose_gram(Index n, Index d, const BlockReader& read,
                       const std::function<void(double)>& progress) {
  const bool rows_small = n < d;  // K = G G^T (n x n), else G^T G (d x d)
  const Index dim = rows_small ? n : d, terms = rows_small ? d : n;
  PairwiseSum acc;
  MatrixXd block;
  bool zero = true;  // every entry of G is 0: then every product and sum is exact (radius 0)
  for (Index t0 = 0; t0 < terms; t0 += kChunk) {
    const Index w = std::min(kChunk, terms - t0);
    if (rows_small) read(0, n, t0, w, block);
    else read(t0, w, 0, d, block);
    zero = zero && (block.array() == 0).all();
    MatrixXd part = MatrixXd::Zero(dim, dim);
    if (rows_small) part.selfadjointView<Eigen::Lower>().rankUpdate(block);
    else part.selfadjointView<Eigen::Lower>().rankUpdate(block.transpose());
    acc.add(std::move(part));
    if (progress) progress(static_cast<double>(t0 + w) / static_cast<double>(terms));
  }
  MatrixXd lower = acc.total(dim);
  SymMatrix k;
  k.mid = lower.selfadjointView<Eigen::Lower>();
  // Height: chunk product (<= kChunk + 1 roundings), binary counter (<= 2 ceil(log2 C) + 1).
  const Index h = kChunk + 2 + 2 * ceil_log2(acc.count() + 1);
  const Ival g(num::gamma_up(static_cast<std::size_t>(h)));
  const Ival deta = Ival(static_cast<double>(terms)) * Ival(num::eta);
  Ival trace(0.0);
  for (Index i = 0; i < dim; ++i) trace += Ival(k.mid(i, i)) + deta;
  // ||K^ - K||_2 <= gamma_h / (1 - gamma_h) sum_i (K^_ii + d eta) + dim d eta   (Lemma 1b)
  const Ival radius = g / (Ival(1.0) - g) * trace + Ival(static_cast<double>(dim)) * deta;
  k.radius = zero ? 0.0 : k.mid.allFinite() ? radius.hi : num::inf;
  return k;
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
