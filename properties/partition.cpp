// partition (claim C7): the exact decision procedure against brute-force enumeration of the cut
// points, on random policies; complete policies by construction; and mutation variants (a strict
// < turned into <=, a <= turned into <, a cell dropped) caught with the right witness.
#include <cstdio>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <rapidcheck.h>

#include "runner.hpp"

#include "policy/partition.hpp"
#include "policy/policy.hpp"

using namespace fim::policy;
using fim::num::Rational;
using Kind = Value::Kind;

namespace fim::claims {
// Operators print as in policy files when RapidCheck shows a counterexample.
std::ostream& operator<<(std::ostream& os, Op op) { return os << to_string(op); }
}  // namespace fim::claims

namespace {

// ---- Brute-force oracle, written apart from the library -------------------------------------

// Truth of `value op operand` by cases, without the library's relation(): NaN and undefined
// satisfy only != and "is not" / "is" on their own kind; -inf < every finite < +inf.
bool oracle_holds(const Predicate& p, const Value& v) {
  const bool unordered = v.kind == Kind::NaN || v.kind == Kind::Undefined;
  if (p.op == Op::Is) return v.kind == p.operand.kind;
  if (p.op == Op::IsNot) return v.kind != p.operand.kind;
  if (p.op == Op::In || p.op == Op::NotIn) {
    bool found = false;
    for (const Rational& r : p.set) found = found || (v.kind == Kind::Finite && v.x == r);
    return p.op == Op::In ? found : !found;
  }
  if (v.kind == Kind::Bool) return p.op == Op::Eq ? v.b == p.operand.b : v.b != p.operand.b;
  if (unordered) return p.op == Op::Ne;
  const Rational& t = p.operand.x;
  const bool below = v.kind == Kind::NegInf || (v.kind == Kind::Finite && v.x < t);
  const bool above = v.kind == Kind::PosInf || (v.kind == Kind::Finite && v.x > t);
  switch (p.op) {
    case Op::Lt: return below;
    case Op::Le: return !above;
    case Op::Gt: return above;
    case Op::Ge: return !below;
    case Op::Eq: return !below && !above;
    case Op::Ne: return below || above;
    default: return false;
  }
}

bool oracle_in(const Cell& c, const std::vector<Value>& x) {
  for (const Predicate& p : c.when)
    if (!oracle_holds(p, x[p.coord])) return false;
  return true;
}

// Candidate values of coordinate c: every threshold on it, a midpoint between neighbours, one
// point beyond each end, its specials; every discrete value; both bools.
std::vector<Value> cut_points(const Policy& p, std::size_t c) {
  const Coordinate& coord = p.coords[c];
  std::vector<Value> out;
  if (coord.type == CoordType::Bool) return {Value::boolean(false), Value::boolean(true)};
  if (coord.type == CoordType::Discrete) {
    for (const Rational& v : coord.values) out.push_back(Value::finite(v));
    return out;
  }
  std::vector<Rational> t;
  for (const Cell& cell : p.cells)
    for (const Predicate& q : cell.when)
      if (q.coord == c && q.operand.kind == Kind::Finite && q.op != Op::In && q.op != Op::NotIn) t.push_back(q.operand.x);
  std::sort(t.begin(), t.end());
  t.erase(std::unique(t.begin(), t.end()), t.end());
  if (t.empty()) out.push_back(Value::finite(Rational(7, 3)));
  for (std::size_t k = 0; k < t.size(); ++k) {
    out.push_back(Value::finite(t[k]));
    if (k + 1 < t.size()) out.push_back(Value::finite((t[k] + t[k + 1]) / 2));
  }
  if (!t.empty()) {
    out.push_back(Value::finite(t.front() - 1));
    out.push_back(Value::finite(t.back() + 1));
  }
  for (Kind k : coord.specials) out.push_back(Value::special(k));
  return out;
}

// Every point of the product of the cut points, with the cells containing it.
std::vector<std::pair<std::vector<Value>, std::vector<std::size_t>>> enumerate(const Policy& p) {
  std::vector<std::vector<Value>> axes;
  for (std::size_t c = 0; c < p.coords.size(); ++c) axes.push_back(cut_points(p, c));
  std::vector<std::pair<std::vector<Value>, std::vector<std::size_t>>> out;
  std::vector<std::size_t> idx(axes.size(), 0);
  for (;;) {
    std::vector<Value> x;
    for (std::size_t c = 0; c < axes.size(); ++c) x.push_back(axes[c][idx[c]]);
    std::vector<std::size_t> in;
    for (std::size_t k = 0; k < p.cells.size(); ++k)
      if (oracle_in(p.cells[k], x)) in.push_back(k);
    out.push_back({x, in});
    std::size_t c = 0;
    while (c < axes.size() && ++idx[c] == axes[c].size()) idx[c++] = 0;
    if (c == axes.size()) return out;
  }
}

std::string show(const Policy& p, const std::vector<Value>& x) {
  std::string s;
  for (std::size_t c = 0; c < x.size(); ++c) s += p.coords[c].name + "=" + to_text(x[c]) + " ";
  return s;
}

// The decision agrees exactly with brute force: the verdicts, every witness, and the regions
// (a point is in a gap region iff it is in no cell; in an (a, b) region iff in both a and b).
void check_against_oracle(const Policy& p, const PartitionResult& r) {
  const auto points = enumerate(p);
  bool any_gap = false, any_overlap = false;
  for (const auto& [x, in] : points) {
    any_gap = any_gap || in.empty();
    any_overlap = any_overlap || in.size() > 1;
    bool in_gap = false;
    for (const Gap& g : r.gaps) in_gap = in_gap || region_contains(r.space, g.region, x);
    RC_ASSERT(in_gap == in.empty());
    for (std::size_t a = 0; a < p.cells.size(); ++a)
      for (std::size_t b = a + 1; b < p.cells.size(); ++b) {
        bool in_overlap = false;
        for (const Overlap& o : r.overlaps)
          in_overlap = in_overlap || (o.first == a && o.second == b && region_contains(r.space, o.region, x));
        const bool both = std::count(in.begin(), in.end(), a) && std::count(in.begin(), in.end(), b);
        if (in_overlap != both) RC_FAIL("overlap region disagrees at " + show(p, x));
      }
  }
  RC_ASSERT(r.complete() == !any_gap);
  RC_ASSERT(r.disjoint() == !any_overlap);
  for (const Gap& g : r.gaps)
    for (const Cell& c : p.cells) RC_ASSERT(!oracle_in(c, g.witness));
  for (const Overlap& o : r.overlaps) {
    RC_ASSERT(oracle_in(p.cells[o.first], o.witness));
    RC_ASSERT(oracle_in(p.cells[o.second], o.witness));
  }
}

// ---- Generators ------------------------------------------------------------------------------

const std::vector<Rational> kPool = {Rational(-2), Rational(-1), Rational(-1, 2), Rational(0), Rational(1, 3),
                                     Rational(1, 2), Rational(1), Rational(3, 2), Rational(2), Rational(10)};

Rational any_threshold() { return kPool[*rc::gen::inRange<std::size_t>(0, kPool.size())]; }

std::vector<Kind> any_specials() {
  std::vector<Kind> out;
  for (Kind k : {Kind::NegInf, Kind::PosInf, Kind::NaN, Kind::Undefined})
    if (*rc::gen::arbitrary<bool>()) out.push_back(k);
  return out;
}

Coordinate any_coordinate(std::size_t i) {
  Coordinate c;
  c.name = "x" + std::to_string(i);
  const int type = *rc::gen::inRange(0, 3);
  c.type = type == 0 ? CoordType::Real : type == 1 ? CoordType::Discrete : CoordType::Bool;
  if (c.type == CoordType::Real) c.specials = any_specials();
  if (c.type == CoordType::Discrete)
    for (int v = 1, n = *rc::gen::inRange(1, 5); v <= n; ++v) c.values.push_back(Rational(v));
  return c;
}

std::vector<Rational> any_subset(const std::vector<Rational>& values) {
  std::vector<Rational> out;
  for (const Rational& v : values)
    if (*rc::gen::arbitrary<bool>()) out.push_back(v);
  return out;
}

Predicate any_predicate(const Policy& p) {
  Predicate q;
  q.coord = *rc::gen::inRange<std::size_t>(0, p.coords.size());
  const Coordinate& c = p.coords[q.coord];
  if (c.type == CoordType::Bool) {
    q.op = *rc::gen::element(Op::Eq, Op::Ne);
    q.operand = Value::boolean(*rc::gen::arbitrary<bool>());
  } else if (c.type == CoordType::Discrete) {
    q.op = *rc::gen::element(Op::Lt, Op::Le, Op::Gt, Op::Ge, Op::Eq, Op::Ne, Op::In, Op::NotIn);
    if (q.op == Op::In || q.op == Op::NotIn) q.set = any_subset(c.values);
    else if (q.op == Op::Eq || q.op == Op::Ne) q.operand = Value::finite(*rc::gen::elementOf(c.values));
    else q.operand = Value::finite(any_threshold() + Rational(*rc::gen::inRange(0, 5)));
  } else if (!c.specials.empty() && *rc::gen::inRange(0, 4) == 0) {
    q.op = *rc::gen::element(Op::Is, Op::IsNot);
    q.operand = Value::special(*rc::gen::elementOf(c.specials));
  } else {
    q.op = *rc::gen::element(Op::Lt, Op::Le, Op::Gt, Op::Ge, Op::Eq, Op::Ne);
    q.operand = Value::finite(any_threshold());
  }
  return q;
}

Policy any_policy() {
  Policy p;
  p.file = "generated";
  for (std::size_t i = 0, n = *rc::gen::inRange(1, 4); i < n; ++i) p.coords.push_back(any_coordinate(i));
  for (int k = 0, n = *rc::gen::inRange(0, 6); k < n; ++k) {
    Cell c;
    c.name = "c" + std::to_string(k);
    for (int j = 0, m = *rc::gen::inRange(0, 4); j < m; ++j) c.when.push_back(any_predicate(p));
    p.cells.push_back(c);
  }
  return p;
}

Predicate on(std::size_t coord, Op op, const Value& v) {
  Predicate q;
  q.coord = coord;
  q.op = op;
  q.operand = v;
  return q;
}

// A complete, disjoint policy by construction: sigma cut at t_1 < ... < t_k (k >= 1), each t_j
// closing one side at random; -inf and +inf in the end pieces (or -inf alone); one cell per other
// special; one piece split by a discrete coordinate's `in` / `not in` a random subset.
Policy any_complete_policy() {
  Policy p;
  p.file = "generated-complete";
  Coordinate sigma;
  sigma.name = "sigma";
  sigma.specials = any_specials();
  Coordinate bits;
  bits.name = "bits";
  bits.type = CoordType::Discrete;
  bits.values = {Rational(2), Rational(4), Rational(8)};
  p.coords = {sigma, bits};
  std::vector<Rational> t = any_subset(kPool);
  if (t.empty()) t.push_back(Rational(1));
  std::sort(t.begin(), t.end());
  for (std::size_t j = 0; j <= t.size(); ++j) {
    Cell c;
    c.name = "piece" + std::to_string(j);
    if (j > 0) c.when.push_back(on(0, *rc::gen::element(Op::Gt, Op::Ge), Value::finite(t[j - 1])));
    if (j < t.size()) c.when.push_back(on(0, Op::Lt, Value::finite(t[j])));
    p.cells.push_back(c);
  }
  // close each threshold on exactly one side: piece j-1 takes t_j iff piece j's bound is strict
  for (std::size_t j = 1; j < p.cells.size(); ++j)
    if (p.cells[j].when[0].op == Op::Gt) p.cells[j - 1].when.back().op = Op::Le;
  const bool has_neg_inf = std::count(sigma.specials.begin(), sigma.specials.end(), Kind::NegInf) > 0;
  if (has_neg_inf && *rc::gen::arbitrary<bool>()) {
    p.cells[0].when.push_back(on(0, Op::IsNot, Value::special(Kind::NegInf)));
    p.cells.push_back({"minus_inf", {on(0, Op::Is, Value::special(Kind::NegInf))}});
  }
  for (Kind k : sigma.specials)
    if (k == Kind::NaN || k == Kind::Undefined) p.cells.push_back({"is_" + to_text(Value::special(k)), {on(0, Op::Is, Value::special(k))}});
  const std::size_t split = *rc::gen::inRange<std::size_t>(0, t.size() + 1);
  Cell other = p.cells[split];
  Predicate in = on(1, Op::In, Value());
  in.set = {bits.values[0]};  // 2 in, 8 out: neither half of the split piece is empty
  if (*rc::gen::arbitrary<bool>()) in.set.push_back(bits.values[1]);
  p.cells[split].when.push_back(in);
  in.op = Op::NotIn;
  other.when.push_back(in);
  other.name += "_rest";
  p.cells.push_back(other);
  return p;
}

// ---- JSON round trip: the parser reads what the generator built ------------------------------

std::string to_policy_json(const Policy& p) {
  nlohmann::ordered_json j;
  for (const Coordinate& c : p.coords) {
    nlohmann::ordered_json s;
    s["type"] = c.type == CoordType::Real ? "real" : c.type == CoordType::Discrete ? "discrete" : "bool";
    if (c.type == CoordType::Real) {
      s["special"] = nlohmann::ordered_json::array();
      for (Kind k : c.specials) s["special"].push_back(to_text(Value::special(k)));
    }
    if (c.type == CoordType::Discrete)
      for (const Rational& v : c.values) s["values"].push_back(decimal_text(v));
    j["coordinates"][c.name] = s;
  }
  j["cells"] = nlohmann::ordered_json::array();
  for (const Cell& c : p.cells) {
    nlohmann::ordered_json when = nlohmann::ordered_json::array();
    for (const Predicate& q : c.when) {
      nlohmann::ordered_json operand;
      if (q.op == Op::In || q.op == Op::NotIn) {
        operand = nlohmann::ordered_json::array();
        for (const Rational& v : q.set) operand.push_back(decimal_text(v));
      } else if (q.operand.kind == Kind::Bool) {
        operand = q.operand.b;
      } else {
        operand = to_text(q.operand);
      }
      when.push_back({p.coords[q.coord].name, to_string(q.op), operand});
    }
    j["cells"].push_back({{"name", c.name}, {"when", when}});
  }
  return j.dump();
}

}  // namespace

int main() {
  fim::props::Runner run;
  run.property("random policies: decision == brute-force enumeration of the cut points", 100, [] {
    const Policy p = any_policy();
    RC_LOG() << to_policy_json(p) << "\n";
    const PartitionResult r = decide_partition(p);
    RC_TAG(r.complete() ? "complete" : "gap", r.disjoint() ? "disjoint" : "overlap");
    check_against_oracle(p, r);
  });
  run.property("a policy read back from its JSON text decides the same", 100, [] {
    const Policy p = any_policy();
    const Policy back = parse_policy(to_policy_json(p), "round-trip");
    const PartitionResult a = decide_partition(p), b = decide_partition(back);
    RC_ASSERT(a.gaps.size() == b.gaps.size());
    RC_ASSERT(a.overlaps.size() == b.overlaps.size());
    for (std::size_t k = 0; k < a.gaps.size(); ++k) RC_ASSERT(a.gaps[k].witness == b.gaps[k].witness);
  });
  run.property("generator: complete policies are complete and disjoint (brute force)", 100, [] {
    const Policy p = any_complete_policy();
    for (const auto& [x, in] : enumerate(p)) RC_ASSERT(in.size() == 1u);
    const PartitionResult r = decide_partition(p);
    RC_ASSERT(r.complete());
    RC_ASSERT(r.disjoint());
  });
  run.property("mutation: a strict < turned into <= is caught as an overlap at its threshold", 100, [] {
    Policy p = any_complete_policy();
    std::vector<std::pair<std::size_t, std::size_t>> strict;
    for (std::size_t k = 0; k < p.cells.size(); ++k)
      for (std::size_t j = 0; j < p.cells[k].when.size(); ++j)
        if (p.cells[k].when[j].op == Op::Lt || p.cells[k].when[j].op == Op::Gt) strict.push_back({k, j});
    RC_PRE(!strict.empty());
    const auto [k, j] = *rc::gen::elementOf(strict);
    RC_LOG() << "mutating cell " << k << " predicate " << j << " of " << to_policy_json(p) << "\n";
    Predicate& q = p.cells[k].when[j];
    const Rational t = q.operand.x;
    q.op = q.op == Op::Lt ? Op::Le : Op::Ge;
    const PartitionResult r = decide_partition(p);
    RC_ASSERT(!r.disjoint());
    RC_ASSERT(r.complete());
    for (const Overlap& o : r.overlaps) RC_ASSERT(o.witness[0] == Value::finite(t));
    check_against_oracle(p, r);
  });
  run.property("mutation: a <= turned into < is caught as a gap at its threshold", 100, [] {
    Policy p = any_complete_policy();
    std::vector<std::pair<std::size_t, std::size_t>> closed;
    for (std::size_t k = 0; k < p.cells.size(); ++k)
      for (std::size_t j = 0; j < p.cells[k].when.size(); ++j)
        if (p.cells[k].when[j].op == Op::Le || p.cells[k].when[j].op == Op::Ge) closed.push_back({k, j});
    RC_PRE(!closed.empty());
    const auto [k, j] = *rc::gen::elementOf(closed);
    RC_LOG() << "mutating cell " << k << " predicate " << j << " of " << to_policy_json(p) << "\n";
    Predicate& q = p.cells[k].when[j];
    const Rational t = q.operand.x;
    q.op = q.op == Op::Le ? Op::Lt : Op::Gt;
    const PartitionResult r = decide_partition(p);
    RC_ASSERT(!r.complete());
    RC_ASSERT(r.disjoint());
    for (const Gap& g : r.gaps) RC_ASSERT(g.witness[0] == Value::finite(t));
    check_against_oracle(p, r);
  });
  run.property("mutation: a dropped cell is caught as a gap whose witness lies in that cell", 100, [] {
    Policy p = any_complete_policy();
    const std::size_t k = *rc::gen::inRange<std::size_t>(0, p.cells.size());
    const Cell dropped = p.cells[k];
    RC_LOG() << "dropping cell " << k << " of " << to_policy_json(p) << "\n";
    p.cells.erase(p.cells.begin() + static_cast<long>(k));
    const PartitionResult r = decide_partition(p);
    // a cell can be empty (bits in {} ): dropping it changes nothing, which brute force confirms
    bool nonempty = false;
    Policy with = p;
    with.cells.push_back(dropped);
    for (const auto& [x, in] : enumerate(with)) nonempty = nonempty || oracle_in(dropped, x);
    RC_TAG(nonempty ? "dropped a nonempty cell" : "dropped an empty cell");
    RC_ASSERT(r.complete() == !nonempty);
    for (const Gap& g : r.gaps) RC_ASSERT(oracle_in(dropped, g.witness));
    check_against_oracle(p, r);
  });
  run.property("classification agrees with brute force over the enclosure's cut points", 100, [] {
    const Policy p = any_complete_policy();
    Rational lo = any_threshold(), hi = any_threshold();
    if (hi < lo) std::swap(lo, hi);
    if (*rc::gen::arbitrary<bool>()) hi = lo;
    ValueSet set;
    set.lo = lo;
    set.hi = hi;
    const Value bits = Value::finite(*rc::gen::elementOf(p.coords[1].values));
    const Classification k = classify(p, 0, set, {{1, bits}});
    // brute force: the cells of the points lo, hi, the cut points inside, and midpoints
    std::vector<Rational> xs = {lo, hi};
    for (const Value& v : cut_points(p, 0))
      if (v.kind == Kind::Finite && lo <= v.x && v.x <= hi) xs.push_back(v.x);
    std::sort(xs.begin(), xs.end());
    for (std::size_t i = 0, n = xs.size(); i + 1 < n; ++i) xs.push_back((xs[i] + xs[i + 1]) / 2);
    std::vector<std::size_t> seen;
    for (const Rational& x : xs)
      for (std::size_t c = 0; c < p.cells.size(); ++c)
        if (oracle_in(p.cells[c], {Value::finite(x), bits})) seen.push_back(c);
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    RC_ASSERT(k.candidates == seen);
    RC_ASSERT((k.kind == ClassKind::Cell) == (seen.size() == 1));
    RC_TAG(k.kind == ClassKind::Cell ? "one cell" : "ambiguous");
  });
  return run.finish();
}
