#include "verify/inertia.hpp"

#include <cstddef>

#include "verify/number.hpp"

namespace fim::verify {
namespace {

// The bits all inertia counts of one certificate may write together (each entry's size, summed
// over every elimination): bounds the verifier's time whatever the number of bounds
// (proofs/verify.md, section 2); certificates of fimcheck check need far less.
constexpr double kMaxWork = 3e8;
thread_local double work_done = 0;  // since the last reset_inertia_budget()

// Adds each entry written to the certificate's running total; refuses beyond kMaxWork.
struct Work {
  const mpq_class& add(const mpq_class& x) {
    work_done += static_cast<double>(bit_size(guard(x)));
    if (work_done > kMaxWork) throw Refused("the inertia counts exceed their budget of 3e8 bits for one certificate");
    return x;
  }
};

// The nonzero diagonal entry of the active block with the fewest bits (limits growth), or -1.
int diagonal_pivot(const Matrix& s, const std::vector<bool>& done) {
  int best = -1;
  for (std::size_t k = 0; k < s.size(); ++k)
    if (!done[k] && s[k][k] != 0 && (best < 0 || bit_size(s[k][k]) < bit_size(s[best][best])))
      best = static_cast<int>(k);
  return best;
}

// Eliminates the 1 x 1 pivot p: s_uv -= s_up s_pv / s_pp over the active block (a congruence).
void eliminate_one(Matrix& s, std::vector<bool>& done, int p, Work& w) {
  done[p] = true;
  for (std::size_t u = 0; u < s.size(); ++u) {
    if (done[u] || s[u][p] == 0) continue;
    const mpq_class f = s[u][p] / s[p][p];
    for (std::size_t v = 0; v < s.size(); ++v)
      if (!done[v]) s[u][v] = w.add(s[u][v] - f * s[p][v]);
  }
}

// Eliminates the 2 x 2 pivot [[0, b], [b, 0]] on (p, q), b != 0: with P^-1 = [[0, 1/b], [1/b, 0]],
// s_uv -= (s_up s_qv + s_uq s_pv) / b (a congruence; P has one eigenvalue of each sign).
void eliminate_two(Matrix& s, std::vector<bool>& done, int p, int q, Work& w) {
  done[p] = done[q] = true;
  const mpq_class b = s[p][q];
  std::vector<mpq_class> up(s.size()), uq(s.size());
  for (std::size_t u = 0; u < s.size(); ++u) up[u] = s[u][p], uq[u] = s[u][q];
  for (std::size_t u = 0; u < s.size(); ++u) {
    if (done[u]) continue;
    for (std::size_t v = 0; v < s.size(); ++v)
      if (!done[v]) s[u][v] = w.add(s[u][v] - (up[u] * uq[v] + uq[u] * up[v]) / b);
  }
}

}  // namespace

void reset_inertia_budget() { work_done = 0; }

const mpq_class& charge_work(const mpq_class& x) {
  work_done += static_cast<double>(bit_size(guard(x)));
  if (work_done > kMaxWork) throw Refused("the exact matrix work exceeds its budget of 3e8 bits for one certificate");
  return x;
}

// Sylvester's law of inertia: a congruence keeps the inertia, and after the pivots the remaining
// block is zero (proofs/verify.md, Lemma V1).
Inertia inertia_at(const Matrix& m, const mpq_class& x) {
  Matrix s = m;
  for (std::size_t k = 0; k < s.size(); ++k) s[k][k] = guard(s[k][k] - x);
  std::vector<bool> done(s.size(), false);
  Inertia r;
  Work work;
  for (;;) {
    if (const int p = diagonal_pivot(s, done); p >= 0) {
      (s[p][p] < 0 ? r.below : r.above) += 1;
      eliminate_one(s, done, p, work);
      continue;
    }
    int p = -1, q = -1;  // every active diagonal entry is 0: any nonzero off-diagonal entry
    for (std::size_t u = 0; u < s.size() && p < 0; ++u)
      for (std::size_t v = u + 1; v < s.size() && p < 0; ++v)
        if (!done[u] && !done[v] && s[u][v] != 0) p = static_cast<int>(u), q = static_cast<int>(v);
    if (p < 0) break;
    r.below += 1;
    r.above += 1;
    eliminate_two(s, done, p, q, work);
  }
  for (std::size_t k = 0; k < s.size(); ++k) r.at += done[k] ? 0 : 1;
  return r;
}

}  // namespace fim::verify
