// C2 directional: lambda_1(A+E) >= lambda_1(A) + v_1^T E v_1 for every unit top eigenvector v_1
// (proofs/directional.md), checked in A's eigenbasis: A diagonal, v_1 = e_k, v_1^T E v_1 = E_kk.
#include <cmath>

#include "claims/claim.hpp"
#include "claims/eigen_inequality.hpp"
#include "claims/registry.hpp"

namespace fim::claims {
namespace {

// The indices k with A_kk = lambda_1(A) (the top eigenspace of diagonal A), or of the smallest.
std::vector<int> extreme_indices(const Eigen::MatrixXd& a, bool top) {
  const double target = top ? a.diagonal().maxCoeff() : a.diagonal().minCoeff();
  std::vector<int> k;
  for (int i = 0; i < a.rows(); ++i)
    if (a(i, i) == target) k.push_back(i);
  return k;
}

// E e_k parallel to e_k: e_k is an eigenvector of A + E with eigenvalue lambda_1 + E_kk, so
// lambda_1(A+E) >= lambda_1 + E_kk exactly (the equality case, decided by structure).
bool eigenvector_of_sum(const Eigen::MatrixXd& e, int k) {
  for (int j = 0; j < e.rows(); ++j)
    if (j != k && e(j, k) != 0) return false;
  return true;
}

class Directional final : public Claim {
 public:
  std::string name() const override { return "directional"; }
  bool diagonal_a() const override { return true; }
  // False variants: proofs/directional.md section 5 (upper = V2, bottom = V3, double = V4).
  std::vector<Variant> variants() const override {
    return {{"stated", "lambda_1(A+E) >= lambda_1(A) + v_1^T E v_1 for every unit top eigenvector v_1", true},
            {"upper", "lambda_1(A+E) <= lambda_1(A) + v_1^T E v_1", false},
            {"double", "lambda_1(A+E) >= lambda_1(A) + 2 v_1^T E v_1", false},
            {"bottom", "lambda_1(A+E) >= lambda_1(A) + v_n^T E v_n (bottom eigenvector)", false}};
  }

  Outcome check_at(const MatrixCase& c, const std::string& variant, int bits) const override {
    const Variant v = *find_variant(*this, variant);
    const std::vector<LinearIneq> q = inequalities(c, v.name);
    bool all_by_structure = v.proved;
    for (int k : extreme_indices(c.a, true)) all_by_structure = all_by_structure && eigenvector_of_sum(c.e, k);
    if (all_by_structure) return holds_by_structure("E v_1 parallel to v_1");
    return decide_linear_at(q, name(), v, c, bits);
  }

  std::optional<double> approx_margin(const MatrixCase& c, const std::string& variant) const override {
    return approx_linear_margin(inequalities(c, variant), c);
  }

 private:
  // One inequality per unit vector e_k of the top (bottom, for that variant) eigenspace of A.
  static std::vector<LinearIneq> inequalities(const MatrixCase& c, const std::string& variant) {
    std::vector<LinearIneq> q;
    for (int k : extreme_indices(c.a, variant != "bottom")) {
      const double ekk = c.e(k, k);
      const std::string where = "v = e_" + std::to_string(k + 1);
      const nlohmann::json place = {{"k", k + 1}};
      if (variant == "upper") q.push_back({{{"A+E", 1}}, {{"A", 1}}, ekk, where, place});
      else if (variant == "double") q.push_back({{{"A", 1}}, {{"A+E", 1}}, -2 * ekk, where, place});
      else q.push_back({{{"A", 1}}, {{"A+E", 1}}, -ekk, where, place});
    }
    return q;
  }
};

}  // namespace

const Claim& directional_claim() {
  static const Directional claim;
  return claim;
}

}  // namespace fim::claims
