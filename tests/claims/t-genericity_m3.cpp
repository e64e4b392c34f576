// M3 (proofs/genericity.md, section 3.5): the certified c2 of the random quantization-error
// models agrees with an independent estimate, (1/2) sum_k var_k d^2 lambda_1 / d theta_k^2 by
// central differences in binary64 (c2 is that sum, Lemma 2 with independent coordinates); the
// verdicts come from c2's sign (a certified c2 < 0 is HYPOTHESIS_FAILS), and the deterministic
// quantization's effect on lambda_1 is an observation decided from enclosures.
#include <doctest/doctest.h>

#include <cmath>

#include "claims/genericity_m3.hpp"
#include "fim/spec.hpp"

namespace {

using fim::model::Dense;

double lambda1(const fim::model::Model& m, const std::vector<double>& theta, const fim::model::LabelPlan& plan, int reference) {
  Dense<double> x(static_cast<std::size_t>(reference), m.inputs.cols);
  for (std::size_t i = 0; i < x.rows; ++i)
    for (std::size_t j = 0; j < x.cols; ++j) x(i, j) = m.inputs(i, j);
  const Dense<double> g = fim::model::score_matrix<double>(m.arch, theta, x, plan);
  Eigen::MatrixXd gm(g.rows, g.cols);
  for (std::size_t i = 0; i < g.rows; ++i)
    for (std::size_t j = 0; j < g.cols; ++j) gm(i, j) = g(i, j);
  const Eigen::MatrixXd f = gm.transpose() * gm / static_cast<double>(g.rows);
  return Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(f, Eigen::EigenvaluesOnly).eigenvalues().maxCoeff();
}

// (1/2) sum_k s_k^2/12 d^2 lambda_1 / d theta_k^2 over the quantized weights, s_k of their groups.
double c2_uniform_by_differences(const fim::model::Model& m, const fim::quant::QuantSpec& q, int reference) {
  const auto plan = fim::model::label_plan(m, fim::model::FisherMode::expected);
  const double base = lambda1(m, m.theta, plan, reference), h = 1e-4;
  double c2 = 0;
  for (int l = 0; l < m.arch.layers(); ++l) {
    const std::size_t off = m.arch.weight_offset(l);
    const int rows = m.arch.fan_out(l), cols = m.arch.fan_in(l);
    fim::quant::RowMatrix w(rows, cols);
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j) w(i, j) = m.theta[off + static_cast<std::size_t>(i) * cols + j];
    for (const auto& g : fim::quant::quantize(w, q).groups)
      for (auto i = g.row0; i < g.row0 + g.rows; ++i)
        for (auto j = g.col0; j < g.col0 + g.cols; ++j) {
          auto plus = m.theta, minus = m.theta;
          const std::size_t k = off + static_cast<std::size_t>(i) * cols + j;
          plus[k] += h;
          minus[k] -= h;
          const double second = (lambda1(m, plus, plan, reference) - 2 * base + lambda1(m, minus, plan, reference)) / (h * h);
          c2 += 0.5 * g.scale * g.scale / 12 * second;
        }
  }
  return c2;
}

void agrees(const std::string& spec, int bits) {
  const auto m = fim::model::build_model(fim::model::parse_spec(spec));
  fim::claims::M3Options o;
  o.quantizer.bits = bits;
  o.quantizer.granularity = fim::quant::Granularity::group;
  const auto r = fim::claims::check_m3(m, o);
  REQUIRE(r.c2_certified);
  const double estimate = c2_uniform_by_differences(m, o.quantizer, o.reference);
  INFO(spec << " bits " << bits << ": certified [" << r.c2_uniform.lo << ", " << r.c2_uniform.hi << "], differences " << estimate);
  CHECK(std::fabs(estimate - 0.5 * (r.c2_uniform.lo + r.c2_uniform.hi)) <= 1e-5 * (std::fabs(estimate) + 1e-3));
  CHECK(r.c2_uniform.lo <= r.c2_uniform.hi);
  CHECK(r.c2_uniform.hi - r.c2_uniform.lo <= 1e-6 * std::fabs(estimate) + 1e-12);
}

}  // namespace

TEST_CASE("certified c2 (uniform noise) agrees with second differences of lambda_1") {
  agrees("logistic:d_in=8,n=256,seed=1", 4);
  agrees("softmax:d_in=8,classes=4,n=256,seed=1", 4);
  agrees("mlp:hidden=8,act=tanh,d_in=4,classes=3,n=256,seed=2", 3);
}

TEST_CASE("one deterministic quantization is an observation, decided from enclosures both ways") {
  fim::claims::M3Options o;
  o.quantizer.bits = 2;
  o.quantizer.granularity = fim::quant::Granularity::group;
  const auto lowered = fim::claims::check_m3(fim::model::build_model(fim::model::parse_spec("logistic:d_in=8,n=256,seed=1")), o);
  CHECK(lowered.one_draw == fim::claims::OneDraw::Lowered);
  CHECK(lowered.lambda_after.hi < lowered.lambda_before.lo);
  // a lowered draw is no verdict: neither error model's verdict is VIOLATED
  CHECK(lowered.uniform.verdict != fim::claims::Verdict::Violated);
  CHECK(lowered.stochastic.verdict != fim::claims::Verdict::Violated);
  const auto raised = fim::claims::check_m3(fim::model::build_model(fim::model::parse_spec("mlp:hidden=8,act=tanh,d_in=4,classes=3,n=256,seed=2")), o);
  CHECK(raised.one_draw == fim::claims::OneDraw::Raised);
  CHECK(raised.lambda_before.hi < raised.lambda_after.lo);
}

TEST_CASE("a certified c2 < 0 is HYPOTHESIS_FAILS, a certified c2 > 0 HOLDS with the mean unchecked") {
  fim::claims::M3Options o;
  o.quantizer.bits = 4;
  o.quantizer.granularity = fim::quant::Granularity::group;
  const auto r = fim::claims::check_m3(fim::model::build_model(fim::model::parse_spec("softmax:d_in=8,classes=4,n=256,seed=1")), o);
  REQUIRE(r.c2_certified);
  CHECK(r.c2_uniform.hi < 0);
  CHECK(r.uniform.verdict == fim::claims::Verdict::HypothesisFails);
  CHECK(r.uniform.where.find("c2 > 0 fails") != std::string::npos);
  using fim::num::Ival;
  CHECK(fim::claims::m3_verdict(true, Ival(-2.0, -1.0), "").verdict == fim::claims::Verdict::HypothesisFails);
  CHECK(fim::claims::m3_verdict(true, Ival(-1.0, 0.0), "").verdict == fim::claims::Verdict::HypothesisFails);
  CHECK(fim::claims::m3_verdict(true, Ival(-1.0, 1.0), "").verdict == fim::claims::Verdict::Undecided);
  CHECK(fim::claims::m3_verdict(false, Ival(1.0, 2.0), "gap").verdict == fim::claims::Verdict::Undecided);
  const auto holds = fim::claims::m3_verdict(true, Ival(1.0, 2.0), "");
  CHECK(holds.verdict == fim::claims::Verdict::Holds);
  CHECK(holds.where.find("mean not checked") != std::string::npos);
  const auto json = fim::claims::m3_json(r, o);
  CHECK(json["verdicts"]["uniform_noise"]["verdict"] == "HYPOTHESIS_FAILS");
  CHECK(json["counts"]["VIOLATED"] == 0);
  CHECK(json["holds_detail"]["mean_checked_exactly"] == 0);
}

TEST_CASE("nf4 and large models: lambda_1 still checked, c2 says why it is not certified") {
  fim::claims::M3Options o;
  o.quantizer.scheme = fim::quant::Scheme::nf4;
  o.quantizer.bits = 4;
  o.quantizer.granularity = fim::quant::Granularity::group;
  o.quantizer.group_size = 64;
  const auto r = fim::claims::check_m3(fim::model::build_model(fim::model::parse_spec("logistic:d_in=8,n=256,seed=1")), o);
  CHECK(!r.c2_certified);
  CHECK(r.c2_note.find("nf4") != std::string::npos);
  CHECK(r.lambda_before.lo <= r.lambda_before.hi);
}
