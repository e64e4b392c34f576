// C1 weyl: lambda_{i+j-1}(A+E) <= lambda_i(A) + lambda_j(E), lambda_i(A) + lambda_n(E) <=
// lambda_i(A+E) (proofs/weyl.md), and its false variants.
#include "claims/claim.hpp"
#include "claims/eigen_inequality.hpp"
#include "claims/registry.hpp"

namespace fim::claims {
namespace {

std::string ij(int i, int j) { return "i = " + std::to_string(i) + ", j = " + std::to_string(j); }

// E = c I: lambda_k(A + cI) = lambda_k(A) + c exactly, so every stated inequality reduces to
// lambda_{i+j-1}(A) <= lambda_i(A), true in descending order; A = c I likewise reduces it to
// lambda_{i+j-1}(E) <= lambda_j(E) (proofs/weyl.md, equality cases).
bool scalar_matrix(const Eigen::MatrixXd& e) { return identity_multiple(e).has_value(); }

class Weyl final : public Claim {
 public:
  std::string name() const override { return "weyl"; }
  // False variants: proofs/weyl.md section 5 (index-shift = V1, lower-top = V2, half-top = V4).
  std::vector<Variant> variants() const override {
    return {{"stated",
             "lambda_{i+j-1}(A+E) <= lambda_i(A) + lambda_j(E) for i + j - 1 <= n, and "
             "lambda_i(A) + lambda_n(E) <= lambda_i(A+E)",
             true},
            {"index-shift", "lambda_{i+j-2}(A+E) <= lambda_i(A) + lambda_j(E) for i + j >= 3", false},
            {"lower-top", "lambda_i(A) + lambda_1(E) <= lambda_i(A+E)", false},
            {"half-top", "lambda_i(A+E) <= lambda_i(A) + lambda_1(E) / 2", false}};
  }

  Outcome check_at(const MatrixCase& c, const std::string& variant, int bits) const override {
    const Variant v = *find_variant(*this, variant);
    if (v.proved && (scalar_matrix(c.e) || scalar_matrix(c.a)))
      return holds_by_structure("E or A a multiple of I");
    return decide_linear_at(inequalities(v.name, static_cast<int>(c.a.rows())), name(), v, c, bits);
  }

  std::optional<double> approx_margin(const MatrixCase& c, const std::string& variant) const override {
    return approx_linear_margin(inequalities(variant, static_cast<int>(c.a.rows())), c);
  }

 private:
  static std::vector<LinearIneq> inequalities(const std::string& variant, int n) {
    std::vector<LinearIneq> q;
    if (variant == "stated" || variant == "index-shift") {
      const int shift = variant == "stated" ? 1 : 2;
      for (int i = 1; i <= n; ++i)
        for (int j = 1; j <= n && i + j - shift <= n; ++j)
          if (i + j - shift >= 1)
            q.push_back({{{"A+E", i + j - shift}}, {{"A", i}, {"E", j}}, 0, ij(i, j), {{"i", i}, {"j", j}}});
    }
    if (variant == "stated")
      for (int i = 1; i <= n; ++i)
        q.push_back({{{"A", i}, {"E", n}}, {{"A+E", i}}, 0, "lower, i = " + std::to_string(i), {{"i", i}}});
    if (variant == "lower-top")
      for (int i = 1; i <= n; ++i)
        q.push_back({{{"A", i}, {"E", 1}}, {{"A+E", i}}, 0, "i = " + std::to_string(i), {{"i", i}}});
    if (variant == "half-top")
      for (int i = 1; i <= n; ++i)
        q.push_back({{{"A+E", i}}, {{"A", i}, {"E", 1, 0.5}}, 0, "i = " + std::to_string(i), {{"i", i}}});
    return q;
  }
};

}  // namespace

const Claim& weyl_claim() {
  static const Weyl claim;
  return claim;
}

}  // namespace fim::claims
