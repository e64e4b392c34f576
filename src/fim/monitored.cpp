#include "fim/monitored.hpp"

#include <algorithm>

#include "fim/grammar.hpp"
#include "quant/quantize.hpp"

namespace fim::model {
namespace {

using num::Ival;

class MonitoredNetwork final : public Monitored {
 public:
  MonitoredNetwork(const Model& m, int reference_size)
      : m_(m), plan_(label_plan(m, FisherMode::expected)),
        reference_(std::min<std::size_t>(m.inputs.rows, static_cast<std::size_t>(std::max(1, reference_size)))) {}

  std::string spec() const override { return m_.spec.text(); }
  const std::vector<double>& theta() const override { return m_.theta; }
  std::string labels() const override { return "expected: every class, weighted by the model's own probability"; }

  std::vector<WeightMatrix> weight_matrices() const override {
    std::vector<WeightMatrix> w;
    for (int l = 0; l < m_.arch.layers(); ++l) w.push_back({m_.arch.weight_offset(l), m_.arch.fan_out(l), m_.arch.fan_in(l)});
    return w;
  }

  Dense<Ival> reference_scores(std::span<const double> theta) const override {
    return scores(theta, reference_inputs(m_, static_cast<int>(reference_)));
  }

  // Observation s of trajectory `seed`: a uniformly drawn reference input, plus 3 w out of
  // distribution (w a random unit vector), from a generator seeded by (seed, s).
  Dense<Ival> observation_scores(std::span<const double> theta, std::uint64_t seed, int s,
                                 bool out_of_distribution) const override {
    Dense<Ival> x(1, m_.inputs.cols);
    Rng rng(seed * 0x9e3779b97f4a7c15ULL + static_cast<std::uint64_t>(s));
    const auto i = static_cast<std::size_t>(rng.uniform() * static_cast<double>(reference_));
    const std::vector<double> w = out_of_distribution ? rng.unit_vector(x.cols) : std::vector<double>(x.cols, 0.0);
    for (std::size_t j = 0; j < x.cols; ++j) x(0, j) = Ival(m_.inputs(i, j)) + Ival(3.0) * Ival(w[j]);
    return scores(theta, x);
  }

 private:
  Dense<Ival> scores(std::span<const double> theta, const Dense<Ival>& x) const {
    return score_matrix<Ival>(m_.arch, cast<Ival>(theta), x, plan_);
  }
  const Model& m_;
  LabelPlan plan_;
  std::size_t reference_;
};

}  // namespace

Dense<num::Ival> reference_inputs(const Model& m, int count) {
  const std::size_t rows = std::min<std::size_t>(m.inputs.rows, static_cast<std::size_t>(std::max(1, count)));
  Dense<Ival> x(rows, m.inputs.cols);
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < x.cols; ++j) x(i, j) = Ival(m.inputs(i, j));
  return x;
}

std::unique_ptr<Monitored> monitored_network(const Model& m, int reference_size) {
  return std::make_unique<MonitoredNetwork>(m, reference_size);
}

std::vector<double> quantized_theta(const Monitored& m, int bits, int group_size) {
  std::vector<double> theta = m.theta();
  quant::QuantSpec q;
  q.scheme = quant::Scheme::sym;
  q.bits = bits;
  q.granularity = quant::Granularity::group;
  q.group_size = group_size;
  for (const WeightMatrix& w : m.weight_matrices()) {
    quant::RowMatrix mat(w.rows, w.cols);
    for (int i = 0; i < w.rows; ++i)
      for (int j = 0; j < w.cols; ++j) mat(i, j) = theta[w.offset + static_cast<std::size_t>(i) * w.cols + j];
    const quant::Quantized r = quant::quantize(mat, q);
    for (int i = 0; i < w.rows; ++i)
      for (int j = 0; j < w.cols; ++j) theta[w.offset + static_cast<std::size_t>(i) * w.cols + j] = r.w_q(i, j);
  }
  return theta;
}

}  // namespace fim::model
