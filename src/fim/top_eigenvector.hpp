// A certified top eigenpair of an interval FIM: lambda_1, a box holding a unit top eigenvector
// (proofs/genericity.md, Lemma 9: sin-theta from a residual and the certified gap) and lambda_2's
// upper end. Shared by C4 in M3 (c2) and the C5 audit (the right derivative of lambda_1 at t = 0).
#pragma once
#include <string>
#include <vector>

#include "fim/model.hpp"
#include "numeric/interval.hpp"

namespace fim::model {

using IVec = std::vector<num::Ival>;

/// The interval dot product a^T b.
num::Ival dot(const IVec& a, const IVec& b);
/// G v for an interval matrix G and an interval vector v.
IVec times(const Dense<num::Ival>& g, const IVec& v);
/// An upper bound of the Euclidean norm of every vector in the box v.
double upper_norm2(const IVec& v);

/// The top eigenpair of every symmetric F in an interval box. When ok: lambda1 encloses lambda_1,
/// v1 holds a unit top eigenvector of every F in the box (one sign of it), lambda2_hi >= lambda_2.
/// When not ok, note says why (no certified gap, or an eigenvector too loose to box).
struct TopPair {
  num::Ival lambda1;
  IVec v1;
  double lambda2_hi = 0;
  bool ok = false;
  std::string note;
};

/// Encloses the top eigenpair of every matrix in the symmetric interval matrix f (d x d, dense).
TopPair enclose_top_pair(const Dense<num::Ival>& f);

}  // namespace fim::model
