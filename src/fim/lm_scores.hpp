// The small language model's forward pass and analytic per-sample scores, templated on the scalar
// S (double, MpReal, Ival, MpIval, Jet<...>) through ScalarOps<S>, like network.hpp. It predicts
// token x_(s+k) from the k previous tokens; the score is grad_theta log p(next | context; theta),
// embedding rows included (proofs/models.md, section 9, Lemmas 10-13).
//
// Parameter layout (theta and every score row use it; matrices row-major, rows = outputs):
//   both archs:   E   (V x e)       token embedding, row t is the embedding of token t
//   arch=mlp:     W1  (h x k e), b1 (h), W2 (V x h), b2 (V)
//                 x = [E[t_0]; ...; E[t_(k-1)]], a = W1 x + b1, z = W2 act(a) + b2
//   arch=attention:
//                 P (k x e) position embeddings, Wq, Wk, Wv (e x e each), Wo (V x e), bo (V)
//                 x_j = E[t_j] + P[j], q = Wq x_(k-1), key_j = Wk x_j, v_j = Wv x_j,
//                 alpha = softmax_j(q . key_j / sqrt(e)), r = x_(k-1) + sum_j alpha_j v_j,
//                 z = Wo r + bo
// and p(next | context) = softmax(z)_next over the V words of vocabulary().
#pragma once
#include <span>
#include <vector>

#include "fim/model.hpp"
#include "fim/network.hpp"

namespace fim::model {

enum class LmArch { mlp, attention };

/// Shapes and parameter offsets of a language model (layout in the comment above).
struct LmShape {
  LmArch arch = LmArch::mlp;
  int vocab = 42, context = 4, embed = 16, hidden = 32;
  Activation act = Activation::tanh;

  std::size_t embedding_size() const { return std::size_t(vocab) * embed; }
  /// Offset of P (attention only).
  std::size_t position_offset() const { return embedding_size(); }
  /// Offset of Wq (m = 0), Wk (m = 1), Wv (m = 2) (attention only).
  std::size_t attention_offset(int m) const {
    return position_offset() + std::size_t(context) * embed + std::size_t(m) * embed * embed;
  }
  /// Offset of the dense part: W1 (mlp) or Wo (attention).
  std::size_t head_offset() const {
    return arch == LmArch::mlp ? embedding_size() : attention_offset(3);
  }
  /// The dense network after the embedding, in network.hpp's layout: mlp k e -> h -> V,
  /// attention e -> V (the linear readout).
  Architecture head_net() const {
    Architecture a;
    a.d_in = arch == LmArch::mlp ? context * embed : embed;
    if (arch == LmArch::mlp) a.hidden = {hidden};
    a.act = act;
    a.head = Head::categorical;
    a.outputs = vocab;
    return a;
  }
  std::size_t num_params() const { return head_offset() + head_net().num_params(); }
};

namespace lm_detail {

/// W x for W (rows x cols, row-major at w).
template <class S>
std::vector<S> matvec(const S* w, int rows, int cols, std::span<const S> x) {
  std::vector<S> y(rows);
  for (int i = 0; i < rows; ++i) {
    S s(0.0);
    for (int j = 0; j < cols; ++j) s += w[std::size_t(i) * cols + j] * x[j];
    y[i] = s;
  }
  return y;
}

/// W^T y for W (rows x cols, row-major at w): the backward pass of x -> W x.
template <class S>
std::vector<S> matvec_t(const S* w, int rows, int cols, std::span<const S> y) {
  std::vector<S> x(cols, S(0.0));
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) x[j] += w[std::size_t(i) * cols + j] * y[i];
  return x;
}

/// g += a b^T on the rows x cols block at g (the weight gradient of x -> W x, Lemma 2).
template <class S>
void add_outer(S* g, std::span<const S> a, std::span<const S> b) {
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < b.size(); ++j) g[i * b.size() + j] += a[i] * b[j];
}

/// softmax(a) with the shift m = max approx(a_j) (exact for every constant m, Lemma 3).
template <class S>
std::vector<S> softmax(const std::vector<S>& a) {
  using O = ScalarOps<S>;
  double m = O::approx(a[0]);
  for (const S& v : a) m = std::max(m, O::approx(v));
  std::vector<S> e(a.size());
  S sum(0.0);
  for (std::size_t j = 0; j < a.size(); ++j) sum += (e[j] = O::exp(a[j] - S(m)));
  for (S& v : e) v = v / sum;
  return e;
}

/// Row `token` of E as a vector of e values.
template <class S>
std::vector<S> embedding(const LmShape& s, std::span<const S> theta, int token) {
  const S* row = theta.data() + std::size_t(token) * s.embed;
  return std::vector<S>(row, row + s.embed);
}

/// g[E row token] += d (the embedding gradient, Lemma 10).
template <class S>
void add_to_embedding(const LmShape& s, int token, std::span<const S> d, std::span<S> g) {
  for (int c = 0; c < s.embed; ++c) g[std::size_t(token) * s.embed + c] += d[c];
}

// ---- arch=mlp (Lemma 11) --------------------------------------------------------------------------

template <class S>
struct MlpPass {
  std::vector<S> x;  // the k embeddings, concatenated
  Trace<S> trace;    // network.hpp's forward pass of k e -> h -> V
};

/// Forward pass of the MLP language model on a context of k tokens.
template <class S>
MlpPass<S> mlp_forward(const LmShape& s, std::span<const S> theta, std::span<const int> context) {
  MlpPass<S> p;
  for (int t : context) {
    const std::vector<S> row = embedding<S>(s, theta, t);
    p.x.insert(p.x.end(), row.begin(), row.end());
  }
  p.trace = forward<S>(s.head_net(), theta.subspan(s.head_offset()), p.x);
  return p;
}

/// g += J^T u for the MLP (u = d log p / dz), Lemma 11: the dense layers as in Lemma 2, then the
/// gradient of x split into k blocks and added to the embedding rows of the context tokens (Lemma 10).
template <class S>
void mlp_backward(const LmShape& s, std::span<const S> theta, std::span<const int> context,
                  const MlpPass<S>& p, const std::vector<S>& u, std::span<S> g) {
  const int in = s.context * s.embed, h = s.hidden, V = s.vocab;
  const std::size_t w1 = s.head_offset(), b1 = w1 + std::size_t(h) * in, w2 = b1 + h, b2 = w2 + std::size_t(V) * h;
  const std::vector<S>& hid = p.trace.post[1];
  add_outer<S>(g.data() + w2, u, hid);
  for (int i = 0; i < V; ++i) g[b2 + i] += u[i];
  std::vector<S> da = matvec_t<S>(theta.data() + w2, V, h, u);
  for (int i = 0; i < h; ++i) da[i] = da[i] * activate_derivative(s.act, p.trace.pre[0][i]);
  add_outer<S>(g.data() + w1, da, p.x);
  for (int i = 0; i < h; ++i) g[b1 + i] += da[i];
  const std::vector<S> dx = matvec_t<S>(theta.data() + w1, h, in, da);
  for (int j = 0; j < s.context; ++j)
    add_to_embedding<S>(s, context[j], std::span<const S>(dx).subspan(std::size_t(j) * s.embed, s.embed), g);
}

// ---- arch=attention (Lemma 12) ----------------------------------------------------------------------

template <class S>
struct AttentionPass {
  std::vector<std::vector<S>> x, key, value;  // per position j = 0..k-1
  std::vector<S> query, alpha, r;
  S scale;  // 1 / sqrt(e), enclosed for interval S
  Trace<S> trace;  // the readout e -> V
};

/// Forward pass of the attention language model on a context of k tokens.
template <class S>
AttentionPass<S> attention_forward(const LmShape& s, std::span<const S> theta, std::span<const int> context) {
  using O = ScalarOps<S>;
  const int e = s.embed, k = s.context;
  AttentionPass<S> p;
  p.scale = S(1.0) / O::sqrt(S(static_cast<double>(e)));
  for (int j = 0; j < k; ++j) {
    std::vector<S> x = embedding<S>(s, theta, context[j]);
    for (int c = 0; c < e; ++c) x[c] += theta[s.position_offset() + std::size_t(j) * e + c];
    p.key.push_back(matvec<S>(theta.data() + s.attention_offset(1), e, e, x));
    p.value.push_back(matvec<S>(theta.data() + s.attention_offset(2), e, e, x));
    p.x.push_back(std::move(x));
  }
  p.query = matvec<S>(theta.data() + s.attention_offset(0), e, e, p.x.back());
  std::vector<S> a(k);
  for (int j = 0; j < k; ++j) {
    S dot(0.0);
    for (int c = 0; c < e; ++c) dot += p.query[c] * p.key[j][c];
    a[j] = p.scale * dot;
  }
  p.alpha = softmax(a);
  p.r = p.x.back();  // residual: r = x_(k-1) + sum_j alpha_j v_j
  for (int j = 0; j < k; ++j)
    for (int c = 0; c < e; ++c) p.r[c] += p.alpha[j] * p.value[j][c];
  p.trace = forward<S>(s.head_net(), theta.subspan(s.head_offset()), p.r);
  return p;
}

/// g += J^T u for the attention model, Lemma 12 (a)-(e): readout, attention weights through the
/// softmax Jacobian, query/key/value maps, then position and embedding rows (Lemma 10).
template <class S>
void attention_backward(const LmShape& s, std::span<const S> theta, std::span<const int> context,
                        const AttentionPass<S>& p, const std::vector<S>& u, std::span<S> g) {
  const int e = s.embed, k = s.context, V = s.vocab;
  const std::size_t wo = s.head_offset(), bo = wo + std::size_t(V) * e;
  add_outer<S>(g.data() + wo, u, p.r);
  for (int i = 0; i < V; ++i) g[bo + i] += u[i];
  const std::vector<S> dr = matvec_t<S>(theta.data() + wo, V, e, u);
  // Lemma 12 (b): beta_j = v_j . dr, d(q . key_j) = sigma alpha_j (beta_j - sum_i alpha_i beta_i)
  std::vector<S> dalpha(k);
  S mean(0.0);
  for (int j = 0; j < k; ++j) {
    S dot(0.0);
    for (int c = 0; c < e; ++c) dot += p.value[j][c] * dr[c];
    dalpha[j] = dot;
    mean += p.alpha[j] * dot;
  }
  std::vector<std::vector<S>> dx(k, std::vector<S>(e, S(0.0)));
  dx[k - 1] = dr;  // Lemma 12 (e): the residual path
  std::vector<S> dq(e, S(0.0));
  for (int j = 0; j < k; ++j) {
    const S da = p.scale * (p.alpha[j] * (dalpha[j] - mean));  // d log p / d(q . key_j)
    std::vector<S> dkey(e), dv(e);
    for (int c = 0; c < e; ++c) {
      dq[c] += da * p.key[j][c];
      dkey[c] = da * p.query[c];
      dv[c] = p.alpha[j] * dr[c];
    }
    add_outer<S>(g.data() + s.attention_offset(1), dkey, p.x[j]);
    add_outer<S>(g.data() + s.attention_offset(2), dv, p.x[j]);
    const std::vector<S> from_key = matvec_t<S>(theta.data() + s.attention_offset(1), e, e, dkey);
    const std::vector<S> from_value = matvec_t<S>(theta.data() + s.attention_offset(2), e, e, dv);
    for (int c = 0; c < e; ++c) dx[j][c] += from_key[c] + from_value[c];
  }
  add_outer<S>(g.data() + s.attention_offset(0), dq, p.x[k - 1]);
  const std::vector<S> from_query = matvec_t<S>(theta.data() + s.attention_offset(0), e, e, dq);
  for (int c = 0; c < e; ++c) dx[k - 1][c] += from_query[c];
  for (int j = 0; j < k; ++j) {  // x_j = E[t_j] + P[j]
    for (int c = 0; c < e; ++c) g[s.position_offset() + std::size_t(j) * e + c] += dx[j][c];
    add_to_embedding<S>(s, context[j], dx[j], g);
  }
}

}  // namespace lm_detail

/// The logits z (V values) for a context of exactly k tokens.
template <class S>
std::vector<S> lm_logits(const LmShape& s, std::span<const S> theta, std::span<const int> context) {
  if (s.arch == LmArch::mlp) return lm_detail::mlp_forward<S>(s, theta, context).trace.logits();
  return lm_detail::attention_forward<S>(s, theta, context).trace.logits();
}

/// log p(next | context; theta) (Lemma 1 (c) on the logits).
template <class S>
S lm_log_prob(const LmShape& s, std::span<const S> theta, std::span<const int> context, int next) {
  return head_log_prob(s.head_net(), lm_logits<S>(s, theta, context), Target{next, 0.0});
}

/// Writes the score grad_theta log p(next | context; theta) into g (num_params values; Lemma 13).
template <class S>
void lm_write_score(const LmShape& s, std::span<const S> theta, std::span<const int> context, int next,
                    std::span<S> g) {
  std::fill(g.begin(), g.end(), S(0.0));
  const Architecture net = s.head_net();
  if (s.arch == LmArch::mlp) {
    const auto p = lm_detail::mlp_forward<S>(s, theta, context);
    lm_detail::mlp_backward<S>(s, theta, context, p, head_score(net, p.trace.logits(), Target{next, 0.0}), g);
    return;
  }
  const auto p = lm_detail::attention_forward<S>(s, theta, context);
  lm_detail::attention_backward<S>(s, theta, context, p, head_score(net, p.trace.logits(), Target{next, 0.0}), g);
}

/// The score as a new vector (num_params values).
template <class S>
std::vector<S> lm_score(const LmShape& s, std::span<const S> theta, std::span<const int> context, int next) {
  std::vector<S> g(s.num_params());
  lm_write_score<S>(s, theta, context, next, g);
  return g;
}

/// Score rows of `count` consecutive predictions: row i predicts tokens[first + i + k] from
/// tokens[first + i .. first + i + k - 1] (data labels: the empirical FIM is G^T G / count).
/// Needs first + count + k <= tokens.size().
template <class S>
Dense<S> lm_score_matrix(const LmShape& s, std::span<const S> theta, std::span<const int> tokens,
                         std::size_t first, std::size_t count) {
  Dense<S> g(count, s.num_params());
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t at = first + i;
    lm_write_score<S>(s, theta, tokens.subspan(at, s.context), tokens[at + s.context], g.row(i));
  }
  return g;
}

}  // namespace fim::model
