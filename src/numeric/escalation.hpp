// The one escalation mechanism (CGAL's filtered predicates): try the cheap rung first, climb the
// ladder only while the result does not decide, and count which rung decided. Every certified
// routine that escalates (claims::check, linalg::enclose_top and enclose_spectrum, the model
// scores, the Gram product) climbs a Ladder through escalate().
#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace fim::num {

/// Rung labels that are not a precision in bits.
inline constexpr int kDoubleDouble = 106;  // binary64 pairs (Lemma 13 of proofs/linear-algebra.md)
inline constexpr int kExact = 0;           // decided in exact rational arithmetic

/// A precision ladder: binary64 (53 bits), then 113, 256, 1024 and 4096 bits, none above
/// max_bits; a cap between two rungs is itself the last rung (--max-bits 100 climbs 53 -> 100).
/// Problems of dimension above max_dim stay binary64 (the multiple-precision rungs cost about
/// n^3 MPFR operations).
class Ladder {
 public:
  static constexpr int kRungs[] = {53, 113, 256, 1024, 4096};

  explicit Ladder(int max_bits = 1024, long max_dim = 160) : max_bits_(max_bits), max_dim_(max_dim) {}
  /// A ladder of exactly these rungs, in order (e.g. {53, kDoubleDouble} for the Gram product).
  static Ladder of(std::vector<int> rungs);

  /// The rungs for a problem of dimension n, lowest first.
  std::vector<int> rungs(long n = 0) const;
  int max_bits() const { return max_bits_; }
  long max_dim() const { return max_dim_; }

 private:
  int max_bits_;
  long max_dim_;
  std::vector<int> fixed_;
};

/// How many decisions each rung made: the rung's bits (or kDoubleDouble), "exact" for the exact
/// fallback, in the order of the ladder.
class RungCounts {
 public:
  void add(int rung, long count = 1) { by_rung_[rung] += count; }
  void add(const RungCounts& o);
  long at(int rung) const;
  const std::map<int, long>& by_rung() const { return by_rung_; }
  /// "53", "113", ..., "double-double".
  static std::string label(int rung);

 private:
  std::map<int, long> by_rung_;
};

/// The result of an escalation and the rung that produced it.
template <class R>
struct Escalated {
  R result{};
  int rung = 53;        // the rung of `result`
  bool decided = false;  // done(result) was true (else the ladder ran out)
};

/// Runs attempt(bits) on each rung of `rungs` in order until done(best) holds, where best is the
/// latest result that keep(result) accepted, R{} before any (a rung that fails to produce anything
/// keeps the previous one). before(bits) is called before every rung above the first (progress).
template <class R>
Escalated<R> escalate(const std::vector<int>& rungs, const std::function<R(int)>& attempt,
                      const std::function<bool(const R&)>& done,
                      const std::function<bool(const R&)>& keep = {},
                      const std::function<void(int)>& before = {}) {
  Escalated<R> e;
  for (std::size_t k = 0; k < rungs.size(); ++k) {
    if (k > 0 && before) before(rungs[k]);
    R r = attempt(rungs[k]);
    if (!keep || keep(r)) {
      e.result = std::move(r);
      e.rung = rungs[k];
    }
    if (done(e.result)) {
      e.decided = true;
      break;
    }
  }
  return e;
}

}  // namespace fim::num
