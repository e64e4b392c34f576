#include "verify/cert.hpp"

#include <algorithm>

#include "verify/number.hpp"

namespace fim::verify {
namespace {

// The stated forms, from proofs/weyl.md, directional.md, remainder.md, genericity.md and approx.md
// (written out here once more on purpose: the verifier shares no code with the checker).
const VariantInfo kVariants[] = {
    {"weyl", "", "stated", "linear-eigenvalue-inequality",
     "lambda_{i+j-1}(A+E) <= lambda_i(A) + lambda_j(E) for i + j - 1 <= n, and lambda_i(A) + lambda_n(E) <= lambda_i(A+E)"},
    {"weyl", "", "index-shift", "linear-eigenvalue-inequality", "lambda_{i+j-2}(A+E) <= lambda_i(A) + lambda_j(E) for i + j >= 3"},
    {"weyl", "", "lower-top", "linear-eigenvalue-inequality", "lambda_i(A) + lambda_1(E) <= lambda_i(A+E)"},
    {"weyl", "", "half-top", "linear-eigenvalue-inequality", "lambda_i(A+E) <= lambda_i(A) + lambda_1(E) / 2"},
    {"directional", "", "stated", "linear-eigenvalue-inequality",
     "lambda_1(A+E) >= lambda_1(A) + v_1^T E v_1 for every unit top eigenvector v_1"},
    {"directional", "", "upper", "linear-eigenvalue-inequality", "lambda_1(A+E) <= lambda_1(A) + v_1^T E v_1"},
    {"directional", "", "double", "linear-eigenvalue-inequality", "lambda_1(A+E) >= lambda_1(A) + 2 v_1^T E v_1"},
    {"directional", "", "bottom", "linear-eigenvalue-inequality", "lambda_1(A+E) >= lambda_1(A) + v_n^T E v_n"},
    {"remainder", "", "stated", "remainder", "g > 0 and ||E|| < g/2 imply |R3| <= 2 ||E||^3 / (g (g - 2||E||))"},
    {"remainder", "", "small-constant", "remainder", "g > 0 and ||E|| < g/2 imply |R3| <= (1/64) ||E||^3 / (g (g - 2||E||))"},
    {"remainder", "", "fourth-power", "remainder", "g > 0 and ||E|| < g/2 imply |R3| <= 2 ||E||^4 / (g^2 (g - 2||E||))"},
    {"remainder", "", "no-norm-hypothesis", "remainder", "g > 0 implies |R3| <= 2 ||E||^3 / (g (g - 2||E||))"},
    {"remainder", "", "three-quarters", "remainder", "g > 0 and ||E|| < g/2 imply |R3| <= (3/4) ||E||^3 / g^2"},
    {"remainder", "", "conjectured", "remainder", "g > 0 and ||E|| < g/2 imply |R3| <= the certificate's bound expression"},
    {"genericity", "M1", "stated", "genericity-mean",
     "M1, E = xi B: g > 0 and c2 > 0 imply E[lambda_1(F+E)] >= lambda_1, and |E[lambda_1(F+E)] - lambda_1 - c2| <= 2||B||^3/(g(g - 2||B||)) when ||B|| < g/2"},
    {"genericity", "M1", "per-draw", "linear-eigenvalue-inequality", "lambda_1(F + E) >= lambda_1(F) for every draw E = +B, -B"},
    {"genericity", "M1", "no-remainder", "genericity-mean", "g > 0 implies E[lambda_1(F + E)] >= lambda_1 + c2"},
    {"genericity", "M1", "sign-flipped", "genericity-mean", "||B|| < g/2 implies |E[lambda_1(F+E)] - lambda_1 + c2| <= 2||B||^3/(g(g - 2||B||))"},
    {"genericity", "M1", "no-gap", "genericity-mean",
     "|E[lambda_1(F+E)] - lambda_1 - c2'| <= 2||B||^3/(g'(g' - 2||B||)), c2' and g' over the eigenvalues below lambda_1"},
    {"genericity", "M2", "stated", "genericity-mean",
     "M2, eps_i = C xi_i: g > 0 and c2 > 0 imply E[lambda_1(F(eps))] >= lambda_1, and |E[lambda_1(F(eps))] - lambda_1 - c2| <= B when 2 rho < g"},
    {"genericity", "M2", "no-first-term", "genericity-mean", "|E[lambda_1] - lambda_1 - c2''| <= B with c2'' = c2 - v_1^T Sigma v_1"},
    {"genericity", "M2", "first-term-sign", "genericity-mean", "|E[lambda_1] - lambda_1 - c2'| <= B with c2' = c2 - 2 v_1^T Sigma v_1"},
    {"approx", "", "stated", "approximation",
     "max_i ||g_i||^2/n <= lambda_1 <= sum_i ||g_i||^2/n; tr(F^2)/tr(F) <= lambda_1 <= sqrt(tr(F^2)); lambda_1 <= max_i sum_j |F_ij|"},
    {"approx", "", "score-norm-sandwich", "approximation", "max_i ||g_i||^2 / n <= lambda_1 <= sum_i ||g_i||^2 / n"},
    {"approx", "", "frobenius-sandwich", "approximation", "tr(F^2) / tr(F) <= lambda_1 <= sqrt(tr(F^2))"},
    {"approx", "", "gershgorin-upper", "approximation", "lambda_1 <= max_i sum_j |F_ij|"},
    {"approx", "", "frobenius-norm-as-lower", "approximation", "sqrt(tr(F^2)) <= lambda_1"},
    {"approx", "", "frobenius-ratio-as-upper", "approximation", "lambda_1 <= tr(F^2) / tr(F)"},
    {"approx", "", "score-max-without-n", "approximation", "max_i ||g_i||^2 <= lambda_1"},
    {"approx", "", "power-iteration-upper", "approximation", "lambda_1 <= the 4-step power iteration's Rayleigh quotient"},
    {"approx", "", "lanczos-upper", "approximation", "lambda_1 <= the 3-step Lanczos Ritz value"},
};

}  // namespace

const VariantInfo* find_variant(const std::string& claim, const std::string& model, const std::string& variant) {
  for (const VariantInfo& v : kVariants)
    if (claim == v.claim && model == v.model && variant == v.variant) return &v;
  return nullptr;
}

std::string describe(const VariantInfo& v) {
  return std::string(v.claim) + (*v.model ? std::string(" ") + v.model : "") + ", variant " + v.variant + " (" +
         v.statement + ")";
}

void NamedMatrices::add(const std::string& name, Matrix m, const mpq_class& scale) {
  m_[name] = {std::move(m), scale};
}

int NamedMatrices::dim() const { return m_.empty() ? 0 : static_cast<int>(m_.begin()->second.first.size()); }

// lambda_k >= r iff at most n - k eigenvalues lie below r; lambda_k <= r iff at most k - 1 lie above.
bool NamedMatrices::confirms(const std::string& name, int k, const mpq_class& r, bool lower) const {
  const auto& [m, scale] = m_.at(name);
  const Inertia in = inertia_at(m, guard(r * scale));
  const int n = static_cast<int>(m.size());
  return lower ? in.below <= n - k : in.above <= k - 1;
}

const mpq_class& Bounds::need(const std::string& matrix, int k, bool lower_side) const {
  const auto& side = lower_side ? lower : upper;
  const auto it = side.find({matrix, k});
  if (it == side.end())
    throw Refused(std::string("no ") + (lower_side ? "lower" : "upper") + " bound on lambda_" + std::to_string(k) +
                  "(" + matrix + ")");
  return it->second;
}

Bounds read_bounds(const Json& j, const NamedMatrices& named) {
  if (!j.is_array() || j.empty() || j.size() > 4096) throw Refused("bounds must be an array of 1 to 4096 bounds");
  Bounds b;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string what = "bounds[" + std::to_string(i) + "]";
    expect_keys(j[i], what, {"matrix", "index"}, {"lower", "upper"});
    const std::string name = text_of(j[i]["matrix"], what + ".matrix");
    if (!named.has(name)) throw Refused(what + " names the unknown matrix '" + name + "'");
    const int k = integer_of(j[i]["index"], what + ".index", 1, named.dim());
    if (!j[i].contains("lower") && !j[i].contains("upper")) throw Refused(what + " has neither lower nor upper");
    for (const bool lower : {true, false}) {
      const char* side = lower ? "lower" : "upper";
      if (!j[i].contains(side)) continue;
      const mpq_class r = number_of(j[i][side], what + "." + side);
      if (!(lower ? b.lower : b.upper).emplace(std::make_pair(name, k), r).second)
        throw Refused(what + " repeats the " + side + " bound on lambda_" + std::to_string(k) + "(" + name + ")");
      if (b.false_bound.empty() && !named.confirms(name, k, r, lower))
        b.false_bound = "lambda_" + std::to_string(k) + "(" + name + ") " + (lower ? ">= " + show_down(r) : "<= " + show_up(r)) +
                        " is false (exact inertia count)";
    }
  }
  return b;
}

std::pair<mpq_class, mpq_class> norm_range(const Bounds& b, const std::string& matrix, int n) {
  const mpq_class top_hi = b.need(matrix, 1, false), bot_lo = b.need(matrix, n, true);
  const mpq_class top_lo = b.need(matrix, 1, true), bot_hi = b.need(matrix, n, false);
  const mpq_class hi = std::max(top_hi, mpq_class(-bot_lo));
  const mpq_class lo = std::max({mpq_class(0), top_lo, mpq_class(-bot_hi)});
  return {lo, hi};
}

void require_diagonal(const Matrix& m, const std::string& what) {
  for (std::size_t i = 0; i < m.size(); ++i)
    for (std::size_t j = 0; j < m.size(); ++j)
      if (i != j && m[i][j] != 0) throw Refused("matrix " + what + " must be diagonal (the claim's eigenbasis)");
}

}  // namespace fim::verify
