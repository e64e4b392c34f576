#include "search/matrix_gen.hpp"

#include <rapidcheck.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <numeric>
#include <tuple>
#include <vector>

namespace fim::search {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;
using Ints = std::vector<int>;
namespace gen = rc::gen;

int tri(int n) { return n * (n + 1) / 2; }

// Integers in [-k, k] ordered 0, -1, 1, -2, 2, ...: shrink toward 0.
rc::Gen<int> small_int(int k) {
  return gen::map(gen::inRange(0, 2 * k + 1), [](int u) { return (u & 1) ? -((u + 1) / 2) : u / 2; });
}
// Integers in [lo, hi]: shrink toward lo.
rc::Gen<int> nat(int lo, int hi) { return gen::inRange(lo, hi + 1); }
rc::Gen<Ints> ints(int count, int k) {
  return gen::container<Ints>(static_cast<std::size_t>(std::max(count, 0)), small_int(k));
}
rc::Gen<Ints> nats(int count, int lo, int hi) {
  return gen::container<Ints>(static_cast<std::size_t>(std::max(count, 0)), nat(lo, hi));
}
// Keys of a permutation (stable argsort); all keys 0 is the identity, where they shrink.
rc::Gen<Ints> perm_keys(int n) { return nats(n, 0, 1 << 16); }
// A power-of-two scale exponent: mostly 0, sometimes moderate, rarely extreme; shrinks to 0.
rc::Gen<int> scale_exp() {
  return gen::weightedOneOf<int>({{5, gen::just(0)}, {3, small_int(40)}, {1, small_int(1000)}});
}

// B = P A P^T with P from the stable argsort of keys: exact.
MatrixXd permute(const MatrixXd& a, const Ints& keys) {
  const int n = static_cast<int>(a.rows());
  std::vector<int> p(static_cast<std::size_t>(n));
  std::iota(p.begin(), p.end(), 0);
  std::stable_sort(p.begin(), p.end(), [&](int i, int j) { return keys[i] < keys[j]; });
  MatrixXd b(n, n);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) b(p[i], p[j]) = a(i, j);
  return b;
}

// Copies the upper triangle onto the lower one and replaces non-finite entries by 0.
MatrixXd finish(MatrixXd a) {
  const Eigen::Index n = a.rows();
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i <= j; ++i) {
      if (!std::isfinite(a(i, j))) a(i, j) = 0;
      a(j, i) = a(i, j);
    }
  return a;
}

// Symmetric n x n from the upper triangle listed row by row (tri(n) values), times scale.
MatrixXd sym_from(int n, const Ints& v, double scale) {
  MatrixXd a(n, n);
  std::size_t t = 0;
  for (int i = 0; i < n; ++i)
    for (int j = i; j < n; ++j) a(i, j) = a(j, i) = v[t++] * scale;
  return a;
}

// Sylvester-Hadamard matrix of order m (a power of two): entries +-1, H H^T = m I.
MatrixXd hadamard(int m) {
  MatrixXd h = MatrixXd::Ones(1, 1);
  while (h.rows() < m) {
    const Eigen::Index k = h.rows();
    MatrixXd g(2 * k, 2 * k);
    g << h, h, h, -h;
    h = g;
  }
  return h;
}

int pow2_floor(int n) {
  int m = 1;
  while (2 * m <= n) m *= 2;
  return m;
}
int ceil_log2(int n) {
  int k = 0;
  while ((1 << k) < n) ++k;
  return k;
}

MatrixXd block_diag(const MatrixXd& a, const MatrixXd& b) {
  MatrixXd c = MatrixXd::Zero(a.rows() + b.rows(), a.cols() + b.cols());
  c.topLeftCorner(a.rows(), a.cols()) = a;
  c.bottomRightCorner(b.rows(), b.cols()) = b;
  return c;
}

// Applies the Givens rotation G(i, i + 1, theta) on both sides: A <- G A G^T (rounded).
void rotate(MatrixXd& a, Eigen::Index i, double theta) {
  const double c = std::cos(theta), s = std::sin(theta);
  for (Eigen::Index j = 0; j < a.cols(); ++j) {
    const double x = a(i, j), y = a(i + 1, j);
    a(i, j) = c * x - s * y;
    a(i + 1, j) = s * x + c * y;
  }
  for (Eigen::Index j = 0; j < a.rows(); ++j) {
    const double x = a(j, i), y = a(j, i + 1);
    a(j, i) = c * x - s * y;
    a(j, i + 1) = s * x + c * y;
  }
}

}  // namespace

DimGen dimension(int max_dim) {
  max_dim = std::max(max_dim, 1);
  return gen::weightedOneOf<int>({{4, nat(1, std::min(3, max_dim))},
                                  {3, nat(1, std::min(8, max_dim))},
                                  {3, nat(1, max_dim)}});
}

DimGen dimension_range(int lo, int hi) { return nat(lo, std::max(lo, hi)); }

// ---- random ------------------------------------------------------------------------------------

MatrixGen wishart(DimGen dims) {
  return gen::mapcat(dims, [](int n) {
    return gen::mapcat(nat(1, 2 * n + 1), [n](int m) {
      return gen::map(gen::tuple(ints(m * n, 1024), small_int(30)), [n, m](const auto& t) {
        const Ints& g = std::get<0>(t);
        MatrixXd gm(m, n);
        for (int i = 0; i < m; ++i)
          for (int j = 0; j < n; ++j) gm(i, j) = g[static_cast<std::size_t>(i) * n + j] / 1024.0;
        MatrixXd a = gm.transpose() * gm / static_cast<double>(m);
        return finish(a * std::ldexp(1.0, std::get<1>(t)));
      });
    });
  });
}

MatrixGen spiked(DimGen dims) {
  return gen::mapcat(dims, [](int n) {
    return gen::map(gen::tuple(ints(n, 64), nat(1, 1000), ints(tri(n), 64), nat(0, 60)),
                    [n](const auto& t) {
                      const Ints& u = std::get<0>(t);
                      VectorXd v(n);
                      for (int i = 0; i < n; ++i) v(i) = u[i];
                      MatrixXd a = sym_from(n, std::get<2>(t), std::ldexp(1.0 / 64, -std::get<3>(t)));
                      const double uu = v.squaredNorm();
                      if (uu > 0) a += (std::get<1>(t) / uu) * (v * v.transpose());
                      return finish(a);
                    });
  });
}

MatrixGen low_rank_noise(DimGen dims) {
  return gen::mapcat(dims, [](int n) {
    return gen::mapcat(nat(1, n), [n](int r) {
      return gen::map(gen::tuple(ints(n * r, 8), ints(tri(n), 8), nat(0, 60)), [n, r](const auto& t) {
        const Ints& u = std::get<0>(t);
        MatrixXd um(n, r);
        for (int i = 0; i < n; ++i)
          for (int j = 0; j < r; ++j) um(i, j) = u[static_cast<std::size_t>(i) * r + j];
        MatrixXd a = um * um.transpose() + sym_from(n, std::get<1>(t), std::ldexp(1.0, -std::get<2>(t)));
        return finish(a);
      });
    });
  });
}

// ---- adversarial -------------------------------------------------------------------------------

MatrixGen hadamard_repeated(DimGen dims, int max_m) {
  return gen::mapcat(dims, [max_m](int n) {
    const int m = pow2_floor(std::min(n, std::max(max_m, 1)));
    return gen::map(gen::tuple(ints(m, 8), nat(0, 4), ints(n - m, 8), nat(0, 4), scale_exp(), perm_keys(n)),
                    [n, m](const auto& t) {
                      Ints v = std::get<0>(t);
                      const int top = *std::max_element(v.begin(), v.end()) + std::get<1>(t);
                      v[0] = top;
                      if (m >= 2) v[1] = top;  // lambda_1 = lambda_2 = top 2^-j 2^e
                      const double unit = std::ldexp(1.0, -std::get<3>(t));
                      VectorXd d(m);
                      for (int i = 0; i < m; ++i) d(i) = v[i] * unit;
                      const MatrixXd h = hadamard(m);
                      MatrixXd a = h * d.asDiagonal() * h.transpose() / static_cast<double>(m);  // exact
                      const Ints& rest = std::get<2>(t);
                      VectorXd r(n - m);
                      for (int i = 0; i < n - m; ++i) r(i) = std::min(rest[i], top) * unit;
                      a = block_diag(a, MatrixXd(r.asDiagonal()));
                      return finish(permute(a * std::ldexp(1.0, std::get<4>(t)), std::get<5>(t)));
                    });
  });
}

MatrixGen scaled_identity(DimGen dims) {
  static const std::vector<double> values = {1.0,     0.0,     -1.0,    2.0,          0.5,
                                             3.0,     -7.0,    0x1p-60, 0x1p-1074,    -0x1p-1074,
                                             1e-310,  DBL_MIN, 1e-300,  1e300,        -1e300,
                                             DBL_MAX / 64};
  return gen::map(gen::tuple(dims, gen::elementOf(values)), [](const auto& t) {
    const int n = std::get<0>(t);
    return MatrixXd(std::get<1>(t) * MatrixXd::Identity(n, n));
  });
}

MatrixGen zero_matrix(DimGen dims) {
  return gen::map(dims, [](int n) { return MatrixXd(MatrixXd::Zero(n, n)); });
}

MatrixGen block_repeat(DimGen dims) {
  return gen::mapcat(dims, [](int n) {
    return gen::mapcat(nat(1, std::min(3, n)), [n](int b) {
      return gen::map(gen::tuple(ints(tri(b), 4), ints(n, 6), perm_keys(n), scale_exp()), [n, b](const auto& t) {
        const MatrixXd blk = sym_from(b, std::get<0>(t), 1.0);
        const int r = n / b;
        MatrixXd a = MatrixXd::Zero(n, n);
        for (int c = 0; c < r; ++c) a.block(c * b, c * b, b, b) = blk;
        const Ints& rest = std::get<1>(t);
        for (int i = r * b; i < n; ++i) a(i, i) = rest[i];
        return finish(permute(a * std::ldexp(1.0, std::get<3>(t)), std::get<2>(t)));
      });
    });
  });
}

MatrixGen near_degenerate(DimGen dims) {
  return gen::mapcat(dims, [](int n) {
    const int k = std::max(n - 2, 0);
    return gen::map(
        gen::tuple(nat(1, 1 << 20), scale_exp(), nat(1, 100), nat(0, 100), small_int(3), ints(tri(k), 4),
                   nat(0, 100), ints(2 * k, 3), perm_keys(n)),
        [n, k](const auto& t) {
          const double a = std::ldexp(static_cast<double>(std::get<0>(t)), std::min(std::get<1>(t), 1000));
          if (n == 1) return MatrixXd(MatrixXd::Constant(1, 1, a));
          const double b = std::ldexp(a, -std::get<2>(t));  // gap 2b: relative 2^(1-k)
          const double c = std::get<3>(t) == 0 ? 0.0 : std::get<4>(t) * std::ldexp(a, -std::get<3>(t));
          MatrixXd m = MatrixXd::Zero(n, n);
          m(0, 0) = a;
          m(1, 1) = a + c;
          m(0, 1) = m(1, 0) = b;
          if (k > 0) {  // ||W|| <= 4 k scale <= a / 8
            m.bottomRightCorner(k, k) = sym_from(k, std::get<5>(t), std::ldexp(a, -(3 + ceil_log2(4 * k))));
            if (std::get<6>(t) > 0) {
              const Ints& cp = std::get<7>(t);
              const double s = std::ldexp(a, -std::get<6>(t));
              for (int i = 0; i < k; ++i) {
                m(0, 2 + i) = cp[i] * s;
                m(1, 2 + i) = cp[k + i] * s;
              }
            }
          }
          return finish(permute(m, std::get<8>(t)));
        });
  });
}

MatrixGen clusters(DimGen dims) {
  return gen::mapcat(dims, [](int n) {
    return gen::map(gen::tuple(nat(1, 3), nats(3, 1, 1024), ints(n, 16), nat(10, 100), nat(0, 1), nat(4, 40),
                               perm_keys(n), scale_exp()),
                    [n](const auto& t) {
                      const int nc = std::get<0>(t), k = std::get<3>(t);
                      const Ints &centre = std::get<1>(t), &off = std::get<2>(t);
                      VectorXd d(n);
                      for (int i = 0; i < n; ++i) {
                        const double c = centre[i % nc];
                        d(i) = c + c * std::ldexp(static_cast<double>(off[i]), -k);
                      }
                      MatrixXd a;
                      if (std::get<4>(t) == 0) {
                        const int m = pow2_floor(std::min(n, 16));
                        const MatrixXd h = hadamard(m);
                        a = h * d.head(m).asDiagonal() * h.transpose() / static_cast<double>(m);
                        a = block_diag(a, MatrixXd(d.tail(n - m).asDiagonal()));
                      } else {
                        a = d.asDiagonal();
                        const double theta = 0.5 + std::ldexp(1.0, -std::get<5>(t));
                        for (int i = 0; i + 1 < n; ++i) rotate(a, i, theta);
                      }
                      return finish(permute(a * std::ldexp(1.0, std::get<7>(t)), std::get<6>(t)));
                    });
  });
}

MatrixGen dynamic_range(DimGen dims, int max_dim) {
  return gen::mapcat(dims, [max_dim](int n0) {
    const int n = std::max(1, std::min(n0, max_dim));
    return gen::map(gen::tuple(nats(n, 1, 1 << 20), ints(n, 1000), ints(n, 1), ints(n * (n - 1) / 2, 3),
                               nat(1, 60), perm_keys(n)),
                    [n](const auto& t) {
                      const Ints &mant = std::get<0>(t), &ex = std::get<1>(t), &sg = std::get<2>(t);
                      const Ints& cp = std::get<3>(t);
                      const int shift = std::get<4>(t);
                      std::vector<int> e(n);
                      for (int i = 0; i < n; ++i) e[i] = std::clamp(ex[i], -1000, 990);
                      MatrixXd a = MatrixXd::Zero(n, n);
                      std::size_t c = 0;
                      for (int i = 0; i < n; ++i) {
                        a(i, i) = (sg[i] < 0 ? -1.0 : 1.0) * std::ldexp(static_cast<double>(mant[i]), e[i] - 20);
                        for (int j = i + 1; j < n; ++j, ++c) {
                          const int ge = static_cast<int>(std::floor((e[i] + e[j]) / 2.0)) - shift;
                          a(i, j) = cp[c] * std::ldexp(1.0, ge);
                        }
                      }
                      return finish(permute(a, std::get<5>(t)));
                    });
  });
}

MatrixGen rank_deficient(DimGen dims) {
  return gen::mapcat(dims, [](int n) {
    return gen::mapcat(nat(0, n - 1), [n](int r) {
      return gen::map(gen::tuple(ints(n * r, 6), ints(r, 1), scale_exp()), [n, r](const auto& t) {
        const Ints &u = std::get<0>(t), &s = std::get<1>(t);
        MatrixXd um(n, r);
        VectorXd sv(r);
        for (int i = 0; i < n; ++i)
          for (int j = 0; j < r; ++j) um(i, j) = u[static_cast<std::size_t>(i) * r + j];
        for (int j = 0; j < r; ++j) sv(j) = s[j] < 0 ? -1.0 : 1.0;
        MatrixXd a = um * sv.asDiagonal() * um.transpose();  // exact small integers
        return finish(a * std::ldexp(1.0, std::get<2>(t)));
      });
    });
  });
}

MatrixGen subnormal(DimGen dims) {
  static const std::vector<double> values = {0.0,         0x1p-1074, -0x1p-1074, 0x3p-1074,
                                             1e-310,      -1e-310,   DBL_MIN - 0x1p-1074,
                                             DBL_MIN,     -DBL_MIN,  0x1p-1050,  1e-300,
                                             1.0,         -1.0};
  return gen::mapcat(dims, [](int n) {
    return gen::map(nats(tri(n), 0, static_cast<int>(values.size()) - 1), [n](const Ints& idx) {
      MatrixXd a(n, n);
      std::size_t t = 0;
      for (int i = 0; i < n; ++i)
        for (int j = i; j < n; ++j) a(i, j) = a(j, i) = values[idx[t++]];
      return a;
    });
  });
}

MatrixGen binade(DimGen dims) {
  const rc::Gen<int> base = gen::weightedOneOf<int>(
      {{6, small_int(24)}, {1, gen::element(-1070, -1022, -512, 512, 1019)}});
  return gen::mapcat(dims, [base](int n) {
    return gen::map(gen::tuple(base, nats(tri(n), 0, 6), ints(tri(n), 4)), [n](const auto& t) {
      const Ints &sel = std::get<1>(t), &dk = std::get<2>(t);
      MatrixXd a(n, n);
      std::size_t c = 0;
      for (int i = 0; i < n; ++i)
        for (int j = i; j < n; ++j, ++c) {
          const int k = std::clamp(std::get<0>(t) + dk[c], -1074, 1023);
          const double p = std::ldexp(1.0, k);
          double x = 0;
          switch (sel[c]) {
            case 1: x = p; break;
            case 2: x = -p; break;
            case 3: x = p + std::ldexp(p, -52); break;  // 2^k (1 + 2^-52), rounded when subnormal
            case 4: x = -(p + std::ldexp(p, -52)); break;
            case 5: x = p - std::ldexp(p, -53); break;  // 2^k (1 - 2^-53)
            case 6: x = -(p - std::ldexp(p, -53)); break;
            default: break;
          }
          a(i, j) = a(j, i) = x;
        }
      return finish(a);
    });
  });
}

MatrixGen nearly_parallel(DimGen dims) {
  return gen::mapcat(dims, [](int n) {
    return gen::mapcat(nat(0, 1), [n](int variant) -> MatrixGen {
      if (variant == 0)
        return gen::map(gen::tuple(ints(n, 8), nat(10, 60), small_int(100)), [n](const auto& t) {
          const Ints& d = std::get<0>(t);
          MatrixXd a = MatrixXd::Zero(n, n);
          for (int i = 0; i < n; ++i) a(i, i) = d[i];
          const double theta = 0.5 + std::get<2>(t) / 64.0, eps = std::ldexp(1.0, -std::get<1>(t));
          for (int pass = 0; pass < 2; ++pass)
            for (int i = 0; i + 1 < n; ++i) rotate(a, i, theta + i * eps);
          return finish(a);
        });
      return gen::mapcat(nat(1, n), [n](int r) {
        return gen::map(gen::tuple(ints(n, 8), ints(n * r, 8), ints(r, 3), nat(10, 52)), [n, r](const auto& t) {
          const Ints &u = std::get<0>(t), &w = std::get<1>(t), &s = std::get<2>(t);
          const double eps = std::ldexp(1.0, -std::get<3>(t));
          MatrixXd a = MatrixXd::Zero(n, n);
          for (int j = 0; j < r; ++j) {
            VectorXd v(n);
            for (int i = 0; i < n; ++i) v(i) = u[i] + eps * w[static_cast<std::size_t>(j) * n + i];
            a += (s[j] == 0 ? 1.0 : s[j]) * (v * v.transpose());
          }
          return finish(a);
        });
      });
    });
  });
}

MatrixGen one_by_one() {
  static const std::vector<double> values = {
      1.0,     0.0,     -0.0,        -1.0,    0x1p-1074, -0x1p-1074, 1e-310, DBL_MIN, 1e-300,
      1e300,   DBL_MAX, -DBL_MAX,    3.0,     1.0 + DBL_EPSILON,     1.0 - DBL_EPSILON / 2,
      -0x1.fffffffffffffp+1022};
  return gen::map(gen::elementOf(values), [](double x) { return MatrixXd(MatrixXd::Constant(1, 1, x)); });
}

// ---- mixtures ----------------------------------------------------------------------------------

MatrixGen signed_variant(MatrixGen g) {
  return gen::mapcat(g, [](const MatrixXd& a) {
    return gen::map(nat(0, 2), [a](int which) {
      if (which == 0) return a;
      // finish: Eigen 3.4's AVX negation computes 0 - x, so -(+0) is +0 in vector lanes and -0 in
      // the scalar tail; copying the upper triangle keeps -a symmetric bit for bit
      if (which == 1) return finish(-a);
      MatrixXd b = a;
      const double c = a.rows() > 0 ? a.trace() / static_cast<double>(a.rows()) : 0.0;
      b.diagonal().array() -= c;
      return finish(b);
    });
  });
}

MatrixGen scaled_variant(MatrixGen g) {
  return gen::mapcat(g, [](const MatrixXd& a) {
    return gen::map(gen::element(0, -60, 60, -80, -110, -300, -600, 100, 500), [a](int e) {
      if (e == 0 || a.size() == 0) return a;
      const double m = a.cwiseAbs().maxCoeff();
      if (m > 0) e = std::min(e, 1000 - std::ilogb(m));  // keep the largest entry below 2^1001
      return finish(a * std::ldexp(1.0, e));
    });
  });
}

MatrixGen random(DimGen dims) {
  return gen::weightedOneOf<MatrixXd>({{2, wishart(dims)},
                                       {2, spiked(dims)},
                                       {2, low_rank_noise(dims)},
                                       {1, signed_variant(wishart(dims))},
                                       {1, signed_variant(spiked(dims))},
                                       {1, signed_variant(low_rank_noise(dims))}});
}

MatrixGen adversarial(DimGen dims) {
  return gen::weightedOneOf<MatrixXd>({{4, signed_variant(hadamard_repeated(dims))},
                                       {4, signed_variant(near_degenerate(dims))},
                                       {2, signed_variant(block_repeat(dims))},
                                       {2, signed_variant(clusters(dims))},
                                       {2, signed_variant(dynamic_range(dims))},
                                       {2, signed_variant(rank_deficient(dims))},
                                       {2, signed_variant(subnormal(dims))},
                                       {2, signed_variant(binade(dims))},
                                       {2, signed_variant(nearly_parallel(dims))},
                                       {2, scaled_variant(random(dims))},
                                       {1, scaled_identity(dims)},
                                       {1, zero_matrix(dims)},
                                       {1, one_by_one()}});
}

MatrixGen any(DimGen dims) {
  return gen::weightedOneOf<MatrixXd>({{3, adversarial(dims)}, {1, random(dims)}});
}

MatrixGen block_diagonal(MatrixGen blocks, DimGen dims) {
  return gen::mapcat(dims, [blocks](int n) {
    return gen::map(gen::tuple(gen::container<std::vector<MatrixXd>>(static_cast<std::size_t>(n), blocks),
                               nat(0, 2), perm_keys(n)),
                    [n](const auto& t) {
                      std::vector<MatrixXd> bs = std::get<0>(t);
                      if (std::get<1>(t) == 0 && bs.size() >= 2) bs[1] = bs[0];  // exact repeat
                      MatrixXd a = MatrixXd::Zero(n, n);
                      int at = 0;
                      for (const MatrixXd& b : bs) {
                        if (at >= n) break;
                        const int m = std::min(static_cast<int>(b.rows()), n - at);
                        a.block(at, at, m, m) = b.topLeftCorner(m, m);
                        at += m;
                      }
                      return finish(permute(a, std::get<2>(t)));
                    });
  });
}

MatrixGen large_structured(DimGen dims) {
  const MatrixGen bd = block_diagonal(any(dimension(16)), dims);
  return gen::weightedOneOf<MatrixXd>({{2, bd}, {1, scaled_variant(bd)}});
}

MatrixGen large_dense(DimGen dims) {
  return gen::weightedOneOf<MatrixXd>({{2, signed_variant(hadamard_repeated(dims, 128))},
                                       {2, signed_variant(near_degenerate(dims))},
                                       {1, signed_variant(rank_deficient(dims))},
                                       {1, block_repeat(dims)}});
}

MatrixGen large(DimGen dims) {
  return gen::weightedOneOf<MatrixXd>({{5, large_structured(dims)}, {1, large_dense(dims)}});
}

}  // namespace fim::search
