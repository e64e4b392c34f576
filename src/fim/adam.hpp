// Adam (beta1 = 0.9, beta2 = 0.999, eps = 1e-8, bias-corrected), the one optimizer every built-in
// model trains with, in binary64 with a fixed order of operations (the same inputs, the same bits).
#pragma once
#include <cmath>
#include <vector>

namespace fim::model {

class Adam {
 public:
  explicit Adam(std::size_t params) : first_(params, 0.0), second_(params, 0.0) {}
  /// One step of size lr on theta along the gradient grad of the loss.
  void step(std::vector<double>& theta, const std::vector<double>& grad, double lr) {
    constexpr double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
    power1_ *= beta1;
    power2_ *= beta2;
    for (std::size_t k = 0; k < grad.size(); ++k) {
      first_[k] = beta1 * first_[k] + (1 - beta1) * grad[k];
      second_[k] = beta2 * second_[k] + (1 - beta2) * grad[k] * grad[k];
      const double mhat = first_[k] / (1 - power1_), vhat = second_[k] / (1 - power2_);
      theta[k] -= lr * mhat / (std::sqrt(vhat) + eps);
    }
  }

 private:
  std::vector<double> first_, second_;
  double power1_ = 1, power2_ = 1;
};

}  // namespace fim::model
