// The one network every model family is: dense layers with an activation between them and a
// likelihood head on the last layer's outputs z, templated on the scalar S (double, MpReal, Ival,
// MpIval, Jet<...>). Per-sample scores are analytic: g = J^T (d log p / dz), by backpropagation
// (proofs/models.md, Lemmas 1-3). A model with no hidden layer is a generalized linear model:
// Gaussian head = linear-Gaussian regression, Bernoulli head = logistic, categorical = softmax.
#pragma once
#include <cstddef>
#include <span>
#include <vector>

#include "fim/scalar_ops.hpp"

namespace fim::model {

enum class Activation { tanh, gelu, relu };
enum class Head { gaussian, bernoulli, categorical };

/// Shapes of the network and the parameter layout: layer l (0-based, input side first) stores its
/// weight matrix W_l (fan_out x fan_in, row-major) followed by its bias b_l; scores use the same
/// layout. Hidden layers apply the activation; the last layer gives z, the head's input.
struct Architecture {
  int d_in = 1;
  std::vector<int> hidden;  // widths of the hidden layers; empty for a generalized linear model
  Activation act = Activation::tanh;
  Head head = Head::categorical;
  int outputs = 1;     // width of z: 1 for gaussian and bernoulli heads, the class count otherwise
  double sigma = 1.0;  // noise standard deviation of the gaussian head (a fixed, exact constant)

  int layers() const { return static_cast<int>(hidden.size()) + 1; }
  int fan_in(int l) const { return l == 0 ? d_in : hidden[l - 1]; }
  int fan_out(int l) const { return l + 1 == layers() ? outputs : hidden[l]; }
  /// Offset of W_l in theta; b_l follows at weight_offset(l) + fan_out(l) * fan_in(l).
  std::size_t weight_offset(int l) const;
  std::size_t num_params() const { return weight_offset(layers()); }
  /// Label values of the head: 2 (bernoulli), outputs (categorical), 0 (gaussian: y is real).
  int classes() const;
};

/// An observed output: a class label (bernoulli: 0 or 1; categorical: 0..C-1) or a real y.
struct Target {
  int label = 0;
  double y = 0.0;
};

/// Pre-activations and activations of one forward pass: post[0] = x, pre[l] = W_l post[l] + b_l,
/// post[l + 1] = act(pre[l]) for hidden layers; pre.back() is z.
template <class S>
struct Trace {
  std::vector<std::vector<S>> pre, post;
  const std::vector<S>& logits() const { return pre.back(); }
};

// ---- Activations (proofs/models.md, Lemma 4) ----------------------------------------------------

/// act(z): tanh; GELU z Phi(z) with Phi(z) = (1 + erf(z / sqrt 2)) / 2 (PyTorch's exact form); ReLU.
template <class S>
S activate(Activation a, const S& z) {
  using O = ScalarOps<S>;
  switch (a) {
    case Activation::tanh: return O::tanh(z);
    case Activation::gelu:
      return z * (S(0.5) * (S(1.0) + O::erf(z * O::constant(Constant::inv_sqrt2))));
    case Activation::relu: return O::relu(z);
  }
  return z;
}

/// act'(z): 1 - tanh^2; Phi(z) + z phi(z) with phi(z) = exp(-z^2 / 2) / sqrt(2 pi); 1[z > 0].
template <class S>
S activate_derivative(Activation a, const S& z) {
  using O = ScalarOps<S>;
  switch (a) {
    case Activation::tanh: return S(1.0) - O::sqr(O::tanh(z));
    case Activation::gelu: {
      const S cdf = S(0.5) * (S(1.0) + O::erf(z * O::constant(Constant::inv_sqrt2)));
      const S pdf = O::constant(Constant::inv_sqrt_2pi) * O::exp(-(S(0.5) * O::sqr(z)));
      return cdf + z * pdf;
    }
    case Activation::relu: return O::step(z);
  }
  return S(1.0);
}

// ---- Forward pass ------------------------------------------------------------------------------

/// The forward pass of the network with parameters theta (layout above) at input x (d_in values).
template <class S>
Trace<S> forward(const Architecture& a, std::span<const S> theta, std::span<const S> x) {
  Trace<S> t;
  t.post.emplace_back(x.begin(), x.end());
  for (int l = 0; l < a.layers(); ++l) {
    const int in = a.fan_in(l), out = a.fan_out(l);
    const S* w = theta.data() + a.weight_offset(l);
    const S* b = w + static_cast<std::size_t>(out) * in;
    std::vector<S> z(out);
    for (int i = 0; i < out; ++i) {
      S s = b[i];
      for (int j = 0; j < in; ++j) s += w[static_cast<std::size_t>(i) * in + j] * t.post[l][j];
      z[i] = s;
    }
    if (l + 1 < a.layers()) {
      std::vector<S> h(out);
      for (int i = 0; i < out; ++i) h[i] = activate(a.act, z[i]);
      t.post.push_back(std::move(h));
    }
    t.pre.push_back(std::move(z));
  }
  return t;
}

// ---- Heads: log p(y | z) and its gradient in z (proofs/models.md, Lemma 1) -----------------------

/// log(1 + exp(u)), shifted by a constant m so that no exponential overflows in binary64
/// (the identity log(1 + e^u) = m + log(e^-m + e^(u-m)) holds for every constant m).
template <class S>
S softplus(const S& u) {
  using O = ScalarOps<S>;
  const double m = std::max(0.0, O::approx(u));
  const S ms(m);
  return ms + O::log(O::exp(-ms) + O::exp(u - ms));
}

/// log sum_k exp(z_k), shifted by the constant m = max_k approx(z_k).
template <class S>
S log_sum_exp(const std::vector<S>& z) {
  using O = ScalarOps<S>;
  double m = O::approx(z[0]);
  for (const S& v : z) m = std::max(m, O::approx(v));
  const S ms(m);
  S sum(0.0);
  for (const S& v : z) sum += O::exp(v - ms);
  return ms + O::log(sum);
}

/// log p(target | z) of the head.
template <class S>
S head_log_prob(const Architecture& a, const std::vector<S>& z, const Target& t) {
  using O = ScalarOps<S>;
  switch (a.head) {
    case Head::gaussian: {  // -(y - z)^2 / (2 sigma^2) + log(1 / (sigma sqrt(2 pi)))
      const S sigma(a.sigma), r = S(t.y) - z[0];
      return -(O::sqr(r) / (S(2.0) * O::sqr(sigma))) +
             O::log(O::constant(Constant::inv_sqrt_2pi) / sigma);
    }
    case Head::bernoulli: return -softplus(t.label == 1 ? -z[0] : z[0]);
    case Head::categorical: return z[t.label] - log_sum_exp(z);
  }
  return S(0.0);
}

/// Class probabilities p(c | z), c = 0..classes()-1 (categorical: softmax; bernoulli: 1 - s, s).
template <class S>
std::vector<S> head_probabilities(const Architecture& a, const std::vector<S>& z) {
  using O = ScalarOps<S>;
  if (a.head == Head::bernoulli) {
    const S s = S(1.0) / (S(1.0) + O::exp(-z[0]));
    return {S(1.0) - s, s};
  }
  double m = O::approx(z[0]);
  for (const S& v : z) m = std::max(m, O::approx(v));
  std::vector<S> e(z.size());
  S sum(0.0);
  for (std::size_t k = 0; k < z.size(); ++k) sum += (e[k] = O::exp(z[k] - S(m)));
  for (S& v : e) v = v / sum;
  return e;
}

/// d log p(target | z) / dz (Lemma 1): (y - z) / sigma^2; y - s; e_y - softmax(z).
template <class S>
std::vector<S> head_score(const Architecture& a, const std::vector<S>& z, const Target& t) {
  if (a.head == Head::gaussian) return {(S(t.y) - z[0]) / ScalarOps<S>::sqr(S(a.sigma))};
  std::vector<S> p = head_probabilities(a, z);
  if (a.head == Head::bernoulli) return {S(t.label == 1 ? 1.0 : 0.0) - p[1]};
  for (S& v : p) v = -v;
  p[t.label] += S(1.0);
  return p;
}

// ---- Backpropagation (proofs/models.md, Lemma 2) ------------------------------------------------

/// Writes g = J^T dz into g (num_params values), J = dz/dtheta at the traced input: the chain
/// rule layer by layer, delta_L = dz, delta_(l-1) = act'(pre[l-1]) * (W_l^T delta_l).
template <class S>
void backprop(const Architecture& a, std::span<const S> theta, const Trace<S>& t,
              std::vector<S> delta, std::span<S> g) {
  for (int l = a.layers() - 1; l >= 0; --l) {
    const int in = a.fan_in(l), out = a.fan_out(l);
    const std::size_t w0 = a.weight_offset(l), b0 = w0 + static_cast<std::size_t>(out) * in;
    for (int i = 0; i < out; ++i) {
      for (int j = 0; j < in; ++j) g[w0 + static_cast<std::size_t>(i) * in + j] = delta[i] * t.post[l][j];
      g[b0 + i] = delta[i];
    }
    if (l == 0) break;
    std::vector<S> below(in, S(0.0));
    for (int i = 0; i < out; ++i)
      for (int j = 0; j < in; ++j) below[j] += theta[w0 + static_cast<std::size_t>(i) * in + j] * delta[i];
    for (int j = 0; j < in; ++j) below[j] = below[j] * activate_derivative(a.act, t.pre[l - 1][j]);
    delta = std::move(below);
  }
}

/// log p(target | x; theta).
template <class S>
S log_prob(const Architecture& a, std::span<const S> theta, std::span<const S> x,
           const Target& target) {
  return head_log_prob(a, forward(a, theta, x).logits(), target);
}

/// The score grad_theta log p(target | x; theta) (num_params values).
template <class S>
std::vector<S> score(const Architecture& a, std::span<const S> theta, std::span<const S> x,
                     const Target& target) {
  const Trace<S> t = forward(a, theta, x);
  std::vector<S> g(a.num_params());
  backprop<S>(a, theta, t, head_score(a, t.logits(), target), g);
  return g;
}

}  // namespace fim::model
