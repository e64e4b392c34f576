#include "claims/exact_ties.hpp"

#include "numeric/exact.hpp"
#include "exact/inertia.hpp"

namespace fim::claims {
using num::Rational;
namespace bmp = num::bmp;

ExactCase::ExactCase(const MatrixCase& c) : c_(c), n_(static_cast<int>(c.a.rows())) {}
ExactCase::~ExactCase() = default;

const oracle::ExactSym& ExactCase::get(const std::string& name) {
  auto& slot = m_[name];
  if (!slot) {
    if (name == "A") slot = std::make_unique<oracle::ExactSym>(c_.a);
    else if (name == "E") slot = std::make_unique<oracle::ExactSym>(c_.e);
    else {
      std::vector<std::vector<Rational>> sum(n_, std::vector<Rational>(n_));
      for (int i = 0; i < n_; ++i)
        for (int j = 0; j < n_; ++j) sum[i][j] = num::to_rational(c_.a(i, j)) + num::to_rational(c_.e(i, j));
      slot = std::make_unique<oracle::ExactSym>(sum);
    }
  }
  return *slot;
}

// Continued-fraction descent: the simplest rational in [lo, hi] (Stern-Brocot).
Rational simplest_rational(const Rational& lo, const Rational& hi) {
  if (lo <= 0 && 0 <= hi) return 0;
  if (hi < 0) return -simplest_rational(-hi, -lo);
  const bmp::mpz_int fl = numerator(lo) / denominator(lo);  // floor, lo > 0
  if (Rational(fl) == lo) return lo;
  if (Rational(fl + 1) <= hi) return Rational(fl + 1);
  // lo and hi share the integer part fl: recurse on the reciprocals of the fractional parts
  const Rational inv = simplest_rational(1 / (hi - Rational(fl)), 1 / (lo - Rational(fl)));
  return Rational(fl) + 1 / inv;
}

std::optional<Rational> rational_eigenvalue(ExactCase& exact, const std::string& matrix, int k,
                                            const Rational& lo, const Rational& hi) {
  return rational_eigenvalue(exact.get(matrix), k, lo, hi);
}

std::optional<Rational> rational_eigenvalue(const oracle::ExactSym& m, int k, const Rational& lo,
                                            const Rational& hi) {
  const Rational r = simplest_rational(lo, hi);
  if (numerator(r) > bmp::mpz_int(1) << 4096 || denominator(r) > bmp::mpz_int(1) << 4096)
    return std::nullopt;  // not a simple number: the eigenvalue is most likely irrational
  const int n = m.dim();
  if (m.count_below(r) <= n - k && m.count_above(r) <= k - 1) return r;
  return std::nullopt;
}

bool possible_tie(const Rational& llo, const Rational& lhi, const Rational& rlo, const Rational& rhi) {
  if (lhi < rlo || rhi < llo) return false;  // disjoint: not a tie
  const Rational lo = llo < rlo ? llo : rlo, hi = lhi > rhi ? lhi : rhi;
  const Rational mag = abs(lo) > abs(hi) ? abs(lo) : abs(hi);
  return (hi - lo) * Rational(bmp::pow(bmp::mpz_int(10), 30)) <= mag;
}

}  // namespace fim::claims
