#include "fim/top_eigenvector.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>

#include "fim/enclose_fim.hpp"
#include "linalg/enclose_spectrum.hpp"

namespace fim::model {

using num::Ival;

Ival dot(const IVec& a, const IVec& b) {
  Ival s(0.0);
  for (std::size_t i = 0; i < a.size(); ++i) s = s + a[i] * b[i];
  return s;
}

IVec times(const Dense<Ival>& g, const IVec& v) {
  IVec r(g.rows, Ival(0.0));
  for (std::size_t i = 0; i < g.rows; ++i)
    for (std::size_t j = 0; j < g.cols; ++j) r[i] = r[i] + g(i, j) * v[j];
  return r;
}

double upper_norm2(const IVec& v) { return num::sqrt_up(dot(v, v).hi); }

TopPair enclose_top_pair(const Dense<Ival>& f) {
  TopPair t;
  const linalg::SymMatrix box = linalg::ball_of(box_of(f));  // fim_of: symmetric intervals
  const linalg::Spectrum s = linalg::enclose_spectrum_fp(box);
  if (!s.ok || s.eig.size() < 2 || !(s.eig[0].lo > s.eig[1].hi)) {
    t.note = "the gap lambda_1 - lambda_2 is not certified positive";
    return t;
  }
  t.lambda1 = s.eig[0];
  t.lambda2_hi = s.eig[1].hi;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(box.mid);
  const double mu = es.eigenvalues()(f.rows - 1);
  const Eigen::VectorXd x = es.eigenvectors().col(f.rows - 1);
  IVec xi(x.data(), x.data() + x.size());
  IVec r = times(f, xi);
  for (std::size_t i = 0; i < r.size(); ++i) r[i] = r[i] - Ival(mu) * xi[i];
  const Ival norm_x = sqrt(dot(xi, xi));
  const double delta = num::add_down(mu, -t.lambda2_hi);
  if (!(delta > 0) || !(norm_x.lo > 0)) {
    t.note = "the approximate top eigenvalue is not separated from lambda_2";
    return t;
  }
  const double sin_theta = num::div_up(upper_norm2(r), num::mul_down(delta, norm_x.lo));  // Lemma 9
  if (!(sin_theta < 0.5)) {
    t.note = "the top eigenvector is not enclosed tightly enough";
    return t;
  }
  const double eps = num::add_up(num::mul_up(num::sqrt_up(2.0), sin_theta),
                                 std::max(num::add_up(norm_x.hi, -1.0), num::add_up(1.0, -norm_x.lo)));
  for (Ival& c : xi) c = c + Ival(-eps, eps);
  t.v1 = xi;
  t.ok = true;
  return t;
}

}  // namespace fim::model
