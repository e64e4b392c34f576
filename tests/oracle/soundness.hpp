// The soundness harness shared by tests/oracle/t-soundness-*.cpp: draws matrices from the
// search/ generators with a reproducible seed, runs certified routines on them, checks every
// claim with the exact oracle (inertia.hpp), tallies the outcomes, and on a miss prints the
// matrix exactly, shrinks it (RapidCheck's shrink tree) and prints the minimal failing matrix.
// Soundness alone is not enough: a routine that claims nothing is never wrong. Each suite also
// asserts, per generator family and routine, a floor on the fraction of results that are decided
// (finite and tight, see Outcome::decided) and of certified positive gaps (check_floors).
//
// Environment: FIMCHECK_SEED (uint64, default kDefaultSeed) and FIMCHECK_TEST_MULTIPLIER
// (support/multiplier.hpp: a positive number scaling every case count, default 1).
#pragma once
#include <doctest/doctest.h>
#include <rapidcheck.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "linalg/sym_matrix.hpp"
#include "support/multiplier.hpp"
#include "support/enclosure_checks.hpp"
#include "search/matrix_gen.hpp"

namespace fim::oracle {

inline constexpr std::uint64_t kDefaultSeed = 0x5eed2606ULL;

inline std::uint64_t seed_from_env() {
  if (const char* s = std::getenv("FIMCHECK_SEED"); s && *s)
    return std::strtoull(s, nullptr, 0);
  return kDefaultSeed;
}

using testing::multiplier_from_env;
using testing::scaled_count;

/// The Random of case `index` of stream `stream` under `seed`: each case replays on its own.
inline rc::Random case_random(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
  std::uint64_t x = seed ^ (stream * 0x9e3779b97f4a7c15ULL) ^ (index * 0xbf58476d1ce4e5b9ULL);
  x ^= x >> 31;  // splitmix64 finaliser
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 29;
  return rc::Random(x);
}

/// What one routine claimed about one matrix, checked.
struct Outcome {
  CheckReport report;
  int results = 0;        // results produced (a routine may produce several, e.g. +-A)
  int not_ok = 0;         // of which ok == false (claims nothing; allowed, counted)
  int decided = 0;        // results whose every claim is finite and tight (see decided_result)
  int positive_gaps = 0;  // tops with a certified gap.lo > 0
  int missing_gaps = 0;   // ok results for n >= 2 without a gap enclosure
  std::string detail;     // the enclosures, printed on a miss
};

/// A certified routine under test: runs on (A, oracle of A) and returns the checked outcome.
struct Routine {
  std::string name;
  std::function<bool(const Eigen::MatrixXd&)> applies;  // empty: always
  std::function<Outcome(const Eigen::MatrixXd&, const ExactSym&)> run;
};

struct RoutineTally {
  long calls = 0, results = 0, not_ok = 0, decided = 0, enclosures = 0, gaps = 0, positive_gaps = 0,
       missing_gaps = 0, undecided = 0, misses = 0;
  double seconds = 0;
};

/// part / whole, 0 when there is nothing to divide.
inline double fraction(long part, long whole) { return whole > 0 ? static_cast<double>(part) / whole : 0.0; }

/// Counts over a whole test case, printed as a one-line summary (plus one line per routine).
struct Tally {
  long matrices = 0;
  std::map<std::string, RoutineTally> routines;
  std::map<int, long> dims;  // histogram of dimensions
  double oracle_seconds = 0;

  void add(const std::string& name, const Outcome& o, double seconds) {
    RoutineTally& t = routines[name];
    ++t.calls;
    t.results += o.results;
    t.not_ok += o.not_ok;
    t.decided += o.decided;
    t.enclosures += o.report.enclosures;
    t.gaps += o.report.gaps;
    t.positive_gaps += o.positive_gaps;
    t.missing_gaps += o.missing_gaps;
    t.undecided += o.report.undecided;
    t.misses += static_cast<long>(o.report.misses.size());
    t.seconds += seconds;
  }
  RoutineTally total() const {
    RoutineTally s;
    for (const auto& [name, t] : routines) {
      s.calls += t.calls;
      s.results += t.results;
      s.not_ok += t.not_ok;
      s.decided += t.decided;
      s.enclosures += t.enclosures;
      s.gaps += t.gaps;
      s.positive_gaps += t.positive_gaps;
      s.missing_gaps += t.missing_gaps;
      s.undecided += t.undecided;
      s.misses += t.misses;
    }
    return s;
  }
  void print(const std::string& title, double seconds) const {
    const RoutineTally s = total();
    std::printf("[%s] matrices %ld, eigenvalue enclosures %ld, gaps %ld, misses %ld, ok==false %ld of "
                "%ld results, tops with certified gap > 0: %ld, oracle-undecided gaps %ld, "
                "missing gaps %ld (%.1f s)\n",
                title.c_str(), matrices, s.enclosures, s.gaps, s.misses, s.not_ok, s.results,
                s.positive_gaps, s.undecided, s.missing_gaps, seconds);
    for (const auto& [name, t] : routines)
      std::printf("    %-28s calls %6ld  results %6ld  ok==false %5ld  decided %6ld (%.4f)  enclosures %7ld  "
                  "gaps %6ld  gap>0 %6ld (%.4f)  undecided %3ld  misses %ld  (%.2f s incl. oracle)\n",
                  name.c_str(), t.calls, t.results, t.not_ok, t.decided, fraction(t.decided, t.results),
                  t.enclosures, t.gaps, t.positive_gaps, fraction(t.positive_gaps, t.results), t.undecided,
                  t.misses, t.seconds);
    std::string h = "    dimensions:";
    for (const auto& [n, c] : dims) h += " " + std::to_string(n) + ":" + std::to_string(c);
    std::printf("%s\n", h.c_str());
    std::fflush(stdout);
  }
};

/// The least a routine must achieve on one generator family: fractions of its results.
struct Floor {
  std::string routine;
  double decided = 0;        // results decided (finite and tight)
  double positive_gaps = 0;  // results with a certified gap.lo > 0 (0: not asserted)
};

/// One message per floor that the tally does not reach (a floor naming a routine that never ran
/// is not reached either); empty when every floor is met.
inline std::vector<std::string> floor_failures(const Tally& tally, const std::vector<Floor>& floors) {
  std::vector<std::string> out;
  char buf[300];
  for (const Floor& f : floors) {
    const auto it = tally.routines.find(f.routine);
    if (it == tally.routines.end() || it->second.results == 0) {
      out.push_back(f.routine + ": no results, so no floor can be met");
      continue;
    }
    const RoutineTally& t = it->second;
    const double dec = fraction(t.decided, t.results), pos = fraction(t.positive_gaps, t.results);
    if (dec < f.decided) {
      std::snprintf(buf, sizeof buf, "%s: decided %ld of %ld results (%.4f), below the floor %.4f",
                    f.routine.c_str(), t.decided, t.results, dec, f.decided);
      out.push_back(buf);
    }
    if (pos < f.positive_gaps) {
      std::snprintf(buf, sizeof buf, "%s: certified gap > 0 in %ld of %ld results (%.4f), below the floor %.4f",
                    f.routine.c_str(), t.positive_gaps, t.results, pos, f.positive_gaps);
      out.push_back(buf);
    }
  }
  return out;
}

/// Fails the test case once per floor not reached (see floor_failures).
inline void check_floors(const Tally& tally, const std::vector<Floor>& floors) {
  const std::vector<std::string> failures = floor_failures(tally, floors);
  for (const std::string& m : failures) FAIL_CHECK("FLOOR NOT REACHED: " << m);
  CHECK(failures.empty());
}

/// Follows the shrink tree of s while `fails` holds for a smaller value (greedy, bounded).
inline Eigen::MatrixXd minimize(rc::Shrinkable<Eigen::MatrixXd> s,
                                const std::function<bool(const Eigen::MatrixXd&)>& fails,
                                int max_tries = 3000) {
  int tries = 0;
  for (bool progress = true; progress && tries < max_tries;) {
    progress = false;
    auto seq = s.shrinks();
    while (auto next = seq.next()) {
      if (++tries > max_tries) break;
      const Eigen::MatrixXd m = next->value();
      if (fails(m)) {
        s = *next;
        progress = true;
        break;
      }
    }
  }
  return s.value();
}

/// Runs routine r on a; true when some claim is a certified miss.
inline bool routine_misses(const Routine& r, const Eigen::MatrixXd& a) {
  if (r.applies && !r.applies(a)) return false;
  try {
    const ExactSym ex(a);
    return !r.run(a, ex).report.sound;
  } catch (const std::invalid_argument&) {
    return false;
  }
}

/// Draws `count` matrices from g (stream `stream` of the seed), runs every routine on each and
/// checks every claim exactly; a miss prints everything needed to reproduce it and fails.
inline void run_soundness(const std::string& title, const search::MatrixGen& g, std::uint64_t stream,
                          long count, const std::vector<Routine>& routines, Tally& tally) {
  const std::uint64_t seed = seed_from_env();
  const auto t_start = std::chrono::steady_clock::now();
  int printed = 0, printed_undecided = 0;
  for (long i = 0; i < count; ++i) {
    const rc::Shrinkable<Eigen::MatrixXd> s = g(case_random(seed, stream, static_cast<std::uint64_t>(i)),
                                                rc::kNominalSize);
    const Eigen::MatrixXd a = s.value();
    REQUIRE_MESSAGE(a.allFinite(), "generator produced a non-finite matrix");
    REQUIRE_MESSAGE((a.rows() >= 1 && a == a.transpose()), "generator produced a non-symmetric matrix");
    const ExactSym ex(a);
    ++tally.matrices;
    ++tally.dims[static_cast<int>(a.rows())];
    for (const Routine& r : routines) {
      if (r.applies && !r.applies(a)) continue;
      const auto t0 = std::chrono::steady_clock::now();
      const Outcome o = r.run(a, ex);
      tally.add(r.name, o, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      if (o.report.undecided > 0 && printed_undecided++ < 3)
        std::printf("note: the oracle left a gap claim undecided (%s, case %ld): %s\n  matrix: %s", r.name.c_str(), i,
                    o.detail.c_str(), hex_matrix(a).c_str());
      if (o.report.sound) continue;
      std::string msg = "SOUNDNESS MISS in " + r.name + " (" + title + ", FIMCHECK_SEED=" +
                        std::to_string(seed) + ", stream " + std::to_string(stream) + ", case " +
                        std::to_string(i) + ")\n";
      for (const std::string& m : o.report.misses) msg += "  " + m + "\n";
      msg += "  " + o.detail + "\n  matrix: " + hex_matrix(a);
      if (printed < 5) {
        const Eigen::MatrixXd small = minimize(s, [&](const Eigen::MatrixXd& m) { return routine_misses(r, m); });
        const Outcome os = r.run(small, ExactSym(small));
        msg += "  shrunk to: " + hex_matrix(small);
        for (const std::string& m : os.report.misses) msg += "    " + m + "\n";
        msg += "    " + os.detail + "\n";
      }
      ++printed;
      std::printf("%s", msg.c_str());
      std::fflush(stdout);
      FAIL_CHECK(msg);
    }
  }
  tally.oracle_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
}

// ---- routine adaptors --------------------------------------------------------------------------

inline std::string describe(const linalg::Spectrum& s) {
  std::string d = "ok=" + std::to_string(s.ok) + " bits=" + std::to_string(s.bits) + " eig:";
  for (const num::Ival& x : s.eig) d += " " + hex(x);
  if (s.gap) d += " gap " + hex(*s.gap);
  return d;
}
inline std::string describe(const linalg::Top& t) {
  std::string d = "ok=" + std::to_string(t.ok) + " bits=" + std::to_string(t.bits) + " lambda1 " + hex(t.lambda1);
  if (t.gap) d += " gap " + hex(*t.gap);
  return d;
}

/// The claims of a result for the ball {A + E : ||E|| <= r} hold for A - rI, A and A + rI.
inline std::vector<ExactSym> ball_views(const ExactSym& ex, double r) {
  if (r == 0) return {ex};
  const Rational rr = num::to_rational(r);
  return {ex.shifted(-rr), ex, ex.shifted(rr)};
}

/// An enclosure is tight when it is finite and no wider than the ball's own spread 2 r plus
/// 2^-20 of a bound on ||A|| (Gershgorin): an interval like [-||A||, ||A||] or the whole line,
/// which is sound but certifies nothing useful, is not.
inline bool tight(const num::Ival& x, double radius, double scale) {
  return std::isfinite(x.lo) && std::isfinite(x.hi) && x.hi - x.lo <= 2 * radius + 0x1p-20 * scale;
}
inline bool decided_result(const linalg::Spectrum& s, double radius, double scale) {
  if (!s.ok) return false;
  for (const num::Ival& x : s.eig)
    if (!tight(x, radius, scale)) return false;
  return true;
}
inline bool decided_result(const linalg::Top& t, double radius, double scale) {
  return t.ok && tight(t.lambda1, radius, scale);
}

// One result (a Spectrum or a Top) checked against every ball member the oracle distinguishes.
template <class Result, class Check>
Outcome check_result(const ExactSym& ex, const Result& r, double radius, const std::string& name,
                     Check check) {
  Outcome o;
  o.results = 1;
  o.not_ok = r.ok ? 0 : 1;
  o.decided = decided_result(r, radius, ex.bound().convert_to<double>()) ? 1 : 0;
  if (r.ok && ex.dim() >= 2 && !r.gap) o.missing_gaps = 1;
  if (r.ok && r.gap && r.gap->lo > 0) o.positive_gaps = 1;
  for (const ExactSym& v : ball_views(ex, radius))
    o.report.merge(check(v, r, name + (radius != 0 ? " [ball member shift " + v.shift().str() + "]" : "")));
  o.detail = describe(r) + (radius != 0 ? " radius " + hex(radius) : "");
  return o;
}

inline Outcome check_spectrum_result(const ExactSym& ex, const linalg::Spectrum& s, double radius,
                                     const std::string& name) {
  return check_result(ex, s, radius, name, [](const ExactSym& v, const linalg::Spectrum& x,
                                              const std::string& n) { return check_spectrum(v, x, n); });
}

inline Outcome check_top_result(const ExactSym& ex, const linalg::Top& t, double radius,
                                const std::string& name) {
  return check_result(ex, t, radius, name, [](const ExactSym& v, const linalg::Top& x,
                                              const std::string& n) { return check_top(v, x, n); });
}

inline Outcome check_norm_result(const ExactSym& ex, double bound, double radius, const std::string& name) {
  Outcome o;
  o.results = 1;
  o.not_ok = bound == num::inf ? 1 : 0;
  o.decided = std::isfinite(bound) ? 1 : 0;
  for (const ExactSym& v : ball_views(ex, radius)) o.report.merge(check_norm_up(v, bound, name));
  o.detail = "norm bound " + hex(bound) + (radius != 0 ? " radius " + hex(radius) : "");
  return o;
}

/// A 64-bit hash of the dimension and the entries' bits (FNV-1a style): deterministic choices
/// per matrix, independent of the case index.
inline std::uint64_t matrix_hash(const Eigen::MatrixXd& a) {
  std::uint64_t h = 0x243f6a8885a308d3ULL + static_cast<std::uint64_t>(a.rows());
  for (Eigen::Index i = 0; i < a.size(); ++i) {
    std::uint64_t bits;
    std::memcpy(&bits, a.data() + i, sizeof bits);
    h = (h ^ bits) * 0x100000001b3ULL;
  }
  h ^= h >> 29;
  return h * 0xbf58476d1ce4e5b9ULL;
}

/// A radius determined by the matrix: 0 three times out of four, else the smallest subnormal,
/// 2^-k max |a_ij| (k in 1..60), or max |a_ij| itself.
inline double radius_for(const Eigen::MatrixXd& a) {
  std::mt19937_64 rng(matrix_hash(a));
  const int pick = static_cast<int>(rng() % 12);
  const double m = a.cwiseAbs().maxCoeff();
  switch (pick) {
    case 0: return 0x1p-1074;
    case 1: return m > 0 ? std::ldexp(m, -static_cast<int>(1 + rng() % 60)) : 0x1p-1074;
    case 2: return m > 0 && m < 1e300 ? m : 1.0;
    default: return 0.0;
  }
}

/// A nonzero power-of-two radius in the matrix's own binade range, 2^(ilogb(max |a_ij|) - k) with
/// k in 1..60 (2^-1074 for the zero matrix): cheap for the oracle on large dense matrices,
/// unlike a subnormal radius.
inline double radius_pow2_for(const Eigen::MatrixXd& a) {
  const double m = a.cwiseAbs().maxCoeff();
  if (!(m > 0)) return 0x1p-1074;
  const int k = 1 + static_cast<int>((matrix_hash(a) >> 7) % 60);
  return std::max(0x1p-1074, std::ldexp(1.0, std::ilogb(m) - k));
}

/// certify_lambda_min_lower on X = A and on X = A - (mu - t) I, mu an unverified estimate of
/// lambda_min(A) and t = +-2^-k max |a_ij| (k from a hash), so that X is nearly singular, either
/// side: every returned bound L must satisfy lambda_min(X) >= L <=> count_below(X, L) = 0.
/// A failed certificate (nullopt) claims nothing; it is counted as ok == false only when X is
/// exactly positive definite (a certificate was possible).
inline Outcome check_cholesky_certificates(const Eigen::MatrixXd& a, const ExactSym& ex,
                                           const std::function<std::optional<double>(const Eigen::MatrixXd&)>& certify,
                                           const std::string& name) {
  Outcome o;
  std::vector<Eigen::MatrixXd> xs = {a};
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(a, Eigen::EigenvaluesOnly);
  const double m = a.cwiseAbs().maxCoeff();
  if (es.info() == Eigen::Success && std::isfinite(es.eigenvalues()(0)) && m > 0 && std::isfinite(m)) {
    const std::uint64_t h = matrix_hash(a);
    const double t = std::ldexp(m, -static_cast<int>(8 + (h >> 20) % 50)) * ((h >> 8) % 2 ? 1.0 : -1.0);
    Eigen::MatrixXd x = a;
    x.diagonal().array() -= es.eigenvalues()(0) - t;
    if (x.allFinite()) xs.push_back(x);
  }
  for (const Eigen::MatrixXd& x : xs) {
    ++o.results;
    const std::optional<double> l = certify(x);
    const ExactSym exx = &x == &xs.front() ? ex : ExactSym(x);
    if (!l) {  // counted as a failure only when X is exactly positive definite
      const Inertia at0 = exx.inertia(0);
      if (at0.neg == 0 && at0.zero == 0) ++o.not_ok;
      continue;
    }
    o.detail += " lambda_min >= " + hex(*l);
    ++o.report.enclosures;
    o.decided += std::isfinite(*l) ? 1 : 0;
    if (std::isnan(*l)) {
      o.report.miss(name + ": returned NaN");
      continue;
    }
    if (*l == -num::inf) continue;
    const int below = exx.count_below(num::to_rational(*l));
    if (below != 0)
      o.report.miss(name + ": lambda_min(X) >= " + hex(*l) + " fails: count_below = " + std::to_string(below) +
                    " for X =\n" + hex_matrix(x));
  }
  return o;
}

}  // namespace fim::oracle
