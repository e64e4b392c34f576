// Pieces shared by the two models of C4 genericity (M1 in genericity.cpp, M2 in genericity_m2.cpp):
// the top of a diagonal F, the readings of Theorem G's conclusion, and the statistical Monte Carlo.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include "claims/claim.hpp"

namespace fim::claims {

/// Index t of the largest entry of f (the first, if repeated), lambda1 = f_t, lambda2 = the largest
/// other entry (may equal lambda1), lambda2_distinct = the largest entry below lambda1 (-inf: none).
struct TopOfDiagonal {
  Eigen::Index t = 0;
  double lambda1 = 0, lambda2 = -std::numeric_limits<double>::infinity(),
         lambda2_distinct = -std::numeric_limits<double>::infinity();
};
TopOfDiagonal top_of_diagonal(const Eigen::VectorXd& f);

/// One reading of the conclusion about Delta = E[lambda_1(perturbed)] - lambda_1:
/// Delta >= coef c2 (prop7 false), or |Delta - coef c2| <= B of Proposition 7 (prop7 true);
/// distinct_gap: c2 and g taken over the eigenvalues strictly below lambda_1 (variant no-gap);
/// first_term: the coefficient of c2's first term v_1^T Sigma v_1 (M2; 1 as stated).
struct MeanReading {
  int coef;
  bool prop7, distinct_gap;
  std::string where;
  int first_term = 1;
};
/// The readings a variant asserts (proofs/genericity.md, sections 1 and 6).
std::vector<MeanReading> mean_readings(const std::string& variant);

/// The kinds of a stated HOLDS (Claim::holds_scopes), the same in M1, M2 and M3: the hypothesis is
/// certified in each; the mean was checked exactly, or not (then the conclusion is not checked).
std::vector<std::pair<std::string, std::string>> genericity_holds_scopes();
inline const char* kMeanCheckedExactly = "mean_checked_exactly";
inline const char* kMeanNotChecked = "mean_not_checked";

/// Mean and 95% confidence interval of known_mean + Y over the draws y: statistical, never a verdict.
nlohmann::json monte_carlo_json(const std::vector<double>& y, double known_mean);
/// A seed determined by the case's entries (the same case always gets the same draws).
std::uint64_t case_seed(const MatrixCase& c);

}  // namespace fim::claims
