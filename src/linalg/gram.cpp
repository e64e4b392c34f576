#include "linalg/gram.hpp"

#include <cmath>
#include <vector>

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

}  // namespace fim::linalg
