#include "policy/partition.hpp"

#include <algorithm>
#include <stdexcept>
#include <tuple>

#include "io/matrix_io.hpp"
#include "numeric/decimal.hpp"

namespace fim::policy {

using Kind = Value::Kind;
using Json = nlohmann::ordered_json;
using Int = num::bmp::mpz_int;

// ---- Representatives (proofs/partition.md, Lemma 2) -------------------------------------------

namespace {

Rational pow10(long e) {
  const Rational p{num::bmp::pow(Int(10), static_cast<unsigned>(e < 0 ? -e : e))};
  return e < 0 ? Rational(1 / p) : p;
}

Int floor_of(const Rational& x) {
  Int q = numerator(x) / denominator(x);  // truncates toward 0
  if (q * denominator(x) > numerator(x)) q -= 1;
  return q;
}
Int ceil_of(const Rational& x) { return -floor_of(Rational(-x)); }
Rational abs_of(const Rational& x) { return x < 0 ? Rational(-x) : x; }

// The e with 10^e <= |x| < 10^(e+1), for x != 0.
long decade_of(const Rational& x) {
  const Rational a = abs_of(x);
  long e = static_cast<long>(numerator(a).str().size()) - static_cast<long>(denominator(a).str().size());
  while (a < pow10(e)) --e;
  while (a >= pow10(e + 1)) ++e;
  return e;
}

// The integer strictly inside (l, h) nearest to 0 (nullopt = unbounded), if any.
std::optional<Int> integer_nearest_zero(const std::optional<Rational>& l, const std::optional<Rational>& h) {
  if ((!l || *l < 0) && (!h || *h > 0)) return Int(0);
  if (l && *l >= 0) {
    const Int m = floor_of(*l) + 1;  // the least integer > l
    if (!h || Rational(m) < *h) return m;
    return std::nullopt;
  }
  const Int m = ceil_of(*h) - 1;  // the greatest integer < h
  if (!l || Rational(m) > *l) return m;
  return std::nullopt;
}

}  // namespace

Rational shortest_decimal_between(const std::optional<Rational>& lo, const std::optional<Rational>& hi) {
  if (lo && hi && !(*lo < *hi)) throw std::invalid_argument("shortest_decimal_between: empty interval");
  if ((!lo || *lo < 0) && (!hi || *hi > 0)) return Rational(0);
  // proofs/partition.md, Lemma 2: for e from the decade of the end farther from 0 downward, the
  // first e with a multiple of 10^e strictly inside; of those, the one nearest to 0. One exists
  // as soon as 10^e < hi - lo, so the loop ends.
  const Rational far = lo && hi ? (abs_of(*lo) > abs_of(*hi) ? *lo : *hi) : (lo ? *lo : *hi);
  for (long e = far == 0 ? 0 : decade_of(far);; --e) {
    const Rational scale = pow10(e);
    const std::optional<Rational> l = lo ? std::optional<Rational>(*lo / scale) : std::nullopt;
    const std::optional<Rational> h = hi ? std::optional<Rational>(*hi / scale) : std::nullopt;
    if (const auto m = integer_nearest_zero(l, h)) return Rational(*m) * scale;
  }
}

// ---- Atoms (proofs/partition.md, Lemma 1) -----------------------------------------------------

bool atom_contains(const Atom& a, const Value& v) {
  if (a.is_point) return v == a.point;
  return v.is_finite() && (!a.lo || v.x > *a.lo) && (!a.hi || v.x < *a.hi);
}

namespace {

Atom point_atom(const Value& v) {
  Atom a;
  a.point = a.representative = v;
  return a;
}

Atom open_atom(const std::optional<Rational>& lo, const std::optional<Rational>& hi) {
  Atom a;
  a.is_point = false;
  a.lo = lo;
  a.hi = hi;
  a.representative = Value::finite(shortest_decimal_between(lo, hi));
  return a;
}

bool has_threshold(Op op) {
  return op == Op::Lt || op == Op::Le || op == Op::Gt || op == Op::Ge || op == Op::Eq || op == Op::Ne;
}

// Every finite threshold of a predicate on coordinate c, plus the extra cuts, ascending, no repeats.
std::vector<Rational> cuts_of(const Policy& p, std::size_t c, std::vector<Rational> cuts) {
  for (const Cell& cell : p.cells)
    for (const Predicate& q : cell.when)
      if (q.coord == c && has_threshold(q.op)) cuts.push_back(q.operand.x);
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  return cuts;
}

// The real line cut at t_1 < ... < t_k: (-, t_1), {t_1}, (t_1, t_2), ..., {t_k}, (t_k, +).
std::vector<Atom> finite_atoms(const std::vector<Rational>& cuts) {
  std::vector<Atom> out;
  std::optional<Rational> below;
  for (const Rational& t : cuts) {
    out.push_back(open_atom(below, t));
    out.push_back(point_atom(Value::finite(t)));
    below = t;
  }
  out.push_back(open_atom(below, std::nullopt));
  return out;
}

}  // namespace

std::vector<Atom> atoms_of(const Policy& p, std::size_t c, const std::vector<Rational>& extra_cuts) {
  const Coordinate& coord = p.coords.at(c);
  std::vector<Atom> out;
  switch (coord.type) {
    case CoordType::Real:
      out = finite_atoms(cuts_of(p, c, extra_cuts));
      for (Kind k : coord.specials) out.push_back(point_atom(Value::special(k)));
      break;
    case CoordType::Discrete: {
      std::vector<Rational> values = coord.values;
      std::sort(values.begin(), values.end());
      for (const Rational& v : values) out.push_back(point_atom(Value::finite(v)));
      break;
    }
    case CoordType::Bool:
      out = {point_atom(Value::boolean(false)), point_atom(Value::boolean(true))};
      break;
  }
  return out;
}

Space space_of(const Policy& p) {
  Space s;
  for (std::size_t c = 0; c < p.coords.size(); ++c) s.atoms.push_back(atoms_of(p, c));
  return s;
}

bool region_contains(const Space& s, const Region& r, const std::vector<Value>& point) {
  for (std::size_t c = 0; c < r.atoms.size(); ++c) {
    const auto& set = r.atoms[c];
    if (std::none_of(set.begin(), set.end(), [&](std::size_t a) { return atom_contains(s.atoms[c][a], point[c]); }))
      return false;
  }
  return true;
}

// ---- Witnesses --------------------------------------------------------------------------------

namespace {

// Smaller is simpler: finite and bool values before specials, fewer decimal places, nearer 0,
// positive before negative.
std::tuple<int, unsigned, Rational, bool, int> simplicity(const Value& v) {
  if (v.kind == Kind::Bool) return {0, 0, Rational(v.b ? 1 : 0), false, 0};
  if (!v.is_finite()) return {1, 0, Rational(0), false, static_cast<int>(v.kind)};
  unsigned places = 0;
  Int scale = 1;
  while (places < 64 && denominator(Rational(v.x * scale)) != 1) { ++places; scale *= 10; }
  if (denominator(Rational(v.x * scale)) != 1) places = 1000;  // not a short decimal: p/q
  return {0, places, Rational(v.x < 0 ? Rational(-v.x) : v.x), v.x < 0, 0};
}

}  // namespace

std::vector<Value> witness_of(const Space& s, const Region& r) {
  std::vector<Value> w;
  for (std::size_t c = 0; c < r.atoms.size(); ++c) {
    const auto& set = r.atoms[c];
    const auto best = std::min_element(set.begin(), set.end(), [&](std::size_t a, std::size_t b) {
      return simplicity(s.atoms[c][a].representative) < simplicity(s.atoms[c][b].representative);
    });
    w.push_back(s.atoms[c][*best].representative);
  }
  return w;
}

// ---- The decision procedure (proofs/partition.md, Theorem 1) ----------------------------------

namespace {

struct Leaf {
  Region region;
  std::vector<std::size_t> alive;  // the cells containing every point of the region
};

// Walks the coordinates in order, keeping the cells not yet refuted; atoms that leave the same
// cells alive are explored together (Lemma 4). A branch ends when no live cell constrains a
// later coordinate (Lemma 5).
class Explorer {
 public:
  Explorer(const Policy& p, const Space& s) : p_(p), s_(s), last_(p.cells.size(), 0) {
    for (std::size_t k = 0; k < p.cells.size(); ++k)
      for (const Predicate& q : p.cells[k].when) last_[k] = std::max(last_[k], q.coord + 1);
  }

  std::vector<Leaf> leaves() {
    std::vector<std::size_t> all(p_.cells.size());
    for (std::size_t k = 0; k < all.size(); ++k) all[k] = k;
    Region prefix;
    visit(0, all, prefix);
    return std::move(leaves_);
  }

 private:
  bool settled(std::size_t i, const std::vector<std::size_t>& alive) const {
    return std::all_of(alive.begin(), alive.end(), [&](std::size_t k) { return last_[k] <= i; });
  }

  // The live cells whose predicates on coordinate i hold on atom a (Lemmas 1 and 3: on all of it).
  std::vector<std::size_t> survivors(std::size_t i, const Atom& a, const std::vector<std::size_t>& alive) const {
    std::vector<std::size_t> out;
    for (std::size_t k : alive) {
      const auto& when = p_.cells[k].when;
      if (std::all_of(when.begin(), when.end(),
                      [&](const Predicate& q) { return q.coord != i || holds(q, a.representative); }))
        out.push_back(k);
    }
    return out;
  }

  void visit(std::size_t i, const std::vector<std::size_t>& alive, Region& prefix) {
    if (settled(i, alive)) {
      Leaf leaf{prefix, alive};
      for (std::size_t c = i; c < s_.atoms.size(); ++c) {
        std::vector<std::size_t> every(s_.atoms[c].size());
        for (std::size_t a = 0; a < every.size(); ++a) every[a] = a;
        leaf.region.atoms.push_back(every);
      }
      leaves_.push_back(std::move(leaf));
      return;
    }
    std::vector<std::pair<std::vector<std::size_t>, std::vector<std::size_t>>> groups;  // alive -> atoms
    for (std::size_t a = 0; a < s_.atoms[i].size(); ++a) {
      std::vector<std::size_t> next = survivors(i, s_.atoms[i][a], alive);
      auto g = std::find_if(groups.begin(), groups.end(), [&](const auto& x) { return x.first == next; });
      if (g == groups.end()) groups.push_back({std::move(next), {a}});
      else g->second.push_back(a);
    }
    for (const auto& [next, atoms] : groups) {
      prefix.atoms.push_back(atoms);
      visit(i + 1, next, prefix);
      prefix.atoms.pop_back();
    }
  }

  const Policy& p_;
  const Space& s_;
  std::vector<std::size_t> last_;  // 1 + the last coordinate each cell constrains (0: none)
  std::vector<Leaf> leaves_;
};

// Replaces two regions that differ in one coordinate only by their union (Lemma 6), until none do.
void merge(std::vector<Region>& rs) {
  if (rs.size() > 4000) return;  // still exact, only less compact
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < rs.size() && !changed; ++i) {
      for (std::size_t j = i + 1; j < rs.size() && !changed; ++j) {
        std::size_t differ = 0, where = 0;
        for (std::size_t c = 0; c < rs[i].atoms.size(); ++c)
          if (rs[i].atoms[c] != rs[j].atoms[c]) { ++differ; where = c; }
        if (differ > 1) continue;
        auto& into = rs[i].atoms[where];
        into.insert(into.end(), rs[j].atoms[where].begin(), rs[j].atoms[where].end());
        std::sort(into.begin(), into.end());
        into.erase(std::unique(into.begin(), into.end()), into.end());
        rs.erase(rs.begin() + static_cast<long>(j));
        changed = true;
      }
    }
  }
}

}  // namespace

PartitionResult decide_partition(const Policy& p) {
  PartitionResult out;
  out.space = space_of(p);
  const std::vector<Leaf> leaves = Explorer(p, out.space).leaves();
  std::vector<Region> gaps;
  std::vector<std::vector<std::vector<Region>>> pairs(p.cells.size(), std::vector<std::vector<Region>>(p.cells.size()));
  for (const Leaf& leaf : leaves) {
    if (leaf.alive.empty()) gaps.push_back(leaf.region);
    for (std::size_t a = 0; a < leaf.alive.size(); ++a)
      for (std::size_t b = a + 1; b < leaf.alive.size(); ++b) pairs[leaf.alive[a]][leaf.alive[b]].push_back(leaf.region);
  }
  merge(gaps);
  for (const Region& r : gaps) out.gaps.push_back({r, witness_of(out.space, r)});
  for (std::size_t a = 0; a < p.cells.size(); ++a)
    for (std::size_t b = a + 1; b < p.cells.size(); ++b) {
      merge(pairs[a][b]);
      for (const Region& r : pairs[a][b]) out.overlaps.push_back({a, b, r, witness_of(out.space, r)});
    }
  return out;
}

// ---- Classification (proofs/partition.md, Theorem 2) ------------------------------------------

namespace {

bool in_set(const ValueSet& set, const Value& v) {
  if (set.point) return v == *set.point;
  if (v.kind == Kind::Undefined) return set.with_undefined;
  return v.is_finite() && (!set.lo || v.x >= *set.lo) && (!set.hi || v.x <= *set.hi);
}

// The atoms of coordinate c (cut also at `cuts`) that lie inside the set of values `keep`.
template <class Keep>
std::vector<Atom> atoms_within(const Policy& p, std::size_t c, const std::vector<Rational>& cuts, Keep keep) {
  std::vector<Atom> out;
  for (Atom& a : atoms_of(p, c, cuts))
    if (keep(a.representative)) out.push_back(std::move(a));
  return out;
}

}  // namespace

Classification classify(const Policy& p, std::size_t coord, const ValueSet& given,
                        const std::vector<std::pair<std::size_t, Value>>& fixed) {
  if (p.coords.at(coord).type != CoordType::Real) throw std::invalid_argument("classify: not a real coordinate");
  ValueSet set = given;
  if (set.point && set.point->is_finite()) set = ValueSet{std::nullopt, set.point->x, set.point->x, false};
  Space s;
  for (std::size_t c = 0; c < p.coords.size(); ++c) {
    std::vector<Rational> cuts;
    std::optional<Value> pinned;
    for (const auto& [k, v] : fixed)
      if (k == c) pinned = v;
    if (c == coord) {
      if (set.lo) cuts.push_back(*set.lo);
      if (set.hi) cuts.push_back(*set.hi);
      s.atoms.push_back(atoms_within(p, c, cuts, [&](const Value& v) { return in_set(set, v); }));
    } else if (pinned) {
      if (pinned->is_finite()) cuts.push_back(pinned->x);
      s.atoms.push_back(atoms_within(p, c, cuts, [&](const Value& v) { return v == *pinned; }));
    } else {
      s.atoms.push_back(atoms_of(p, c));
    }
  }
  Classification out;
  const Coordinate& c = p.coords[coord];
  // Values of the set outside the domain (an unlisted special) are states in no cell.
  const bool outside = (set.point && !in_domain(c, *set.point)) ||
                       (set.with_undefined && !in_domain(c, Value::special(Kind::Undefined)));
  if (s.atoms[coord].empty()) {
    out.kind = ClassKind::OutsideDomain;
    out.partly_uncovered = true;
    return out;
  }
  out.partly_uncovered = outside;
  for (const Leaf& leaf : Explorer(p, s).leaves()) {
    if (leaf.alive.empty()) out.partly_uncovered = true;
    out.candidates.insert(out.candidates.end(), leaf.alive.begin(), leaf.alive.end());
  }
  std::sort(out.candidates.begin(), out.candidates.end());
  out.candidates.erase(std::unique(out.candidates.begin(), out.candidates.end()), out.candidates.end());
  if (out.candidates.empty()) out.kind = ClassKind::Uncovered;
  else if (out.candidates.size() == 1 && !out.partly_uncovered) out.kind = ClassKind::Cell;
  else out.kind = ClassKind::Ambiguous;
  return out;
}

// ---- Output -----------------------------------------------------------------------------------

namespace {

bool has_infinities(const Coordinate& c) {
  return std::any_of(c.specials.begin(), c.specials.end(),
                     [](Kind k) { return k == Kind::NegInf || k == Kind::PosInf; });
}

// A run of consecutive finite atoms first..last as "1.5 < x <= 3", "x < 1.5", "x = 2".
std::string describe_run(const std::string& x, const Atom& first, const Atom& last, bool flag_finite) {
  if (first.is_point && last.is_point && first.point == last.point) return x + " = " + to_text(first.point);
  const std::optional<Rational> lo = first.is_point ? std::optional<Rational>(first.point.x) : first.lo;
  const std::optional<Rational> hi = last.is_point ? std::optional<Rational>(last.point.x) : last.hi;
  std::string text;
  if (lo) text += decimal_text(*lo) + (first.is_point ? " <= " : " < ");
  text += x;
  if (hi) text += (last.is_point ? " <= " : " < ") + decimal_text(*hi);
  if (!lo && !hi) text = "any finite " + x;
  else if (flag_finite && (!lo || !hi)) text = "finite " + text;
  return text;
}

std::string joined(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& s : parts) out += (out.empty() ? "" : sep) + s;
  return out;
}

}  // namespace

std::string describe(const Policy& p, const Space& s, const Region& r, std::size_t c) {
  const auto& set = r.atoms[c];
  const auto& atoms = s.atoms[c];
  const Coordinate& coord = p.coords[c];
  if (set.size() == atoms.size()) return "any";
  std::vector<std::string> parts;
  if (coord.type == CoordType::Real) {
    for (std::size_t k = 0; k < set.size(); ++k) {
      const Atom& first = atoms[set[k]];
      if (!first.is_point || first.point.is_finite()) {
        std::size_t end = k;
        while (end + 1 < set.size() && set[end + 1] == set[end] + 1 &&
               (!atoms[set[end + 1]].is_point || atoms[set[end + 1]].point.is_finite()))
          ++end;
        parts.push_back(describe_run(coord.name, first, atoms[set[end]], has_infinities(coord)));
        k = end;
      } else {
        parts.push_back(coord.name + " is " + to_text(first.point));
      }
    }
    return joined(parts, " or ");
  }
  for (std::size_t a : set) parts.push_back(to_text(atoms[a].point));
  if (parts.size() == 1) return coord.name + " = " + parts[0];
  return coord.name + " in {" + joined(parts, ", ") + "}";
}

namespace {

Json region_json(const Policy& p, const Space& s, const Region& r) {
  Json j = Json::object();
  for (std::size_t c = 0; c < p.coords.size(); ++c)
    if (const std::string d = describe(p, s, r, c); d != "any") j[p.coords[c].name] = d;
  return j;
}

Json witness_json(const Policy& p, const std::vector<Value>& w) {
  Json j = Json::object();
  for (std::size_t c = 0; c < p.coords.size(); ++c)
    j[p.coords[c].name] = w[c].kind == Kind::Bool ? Json(w[c].b) : Json(to_text(w[c]));
  return j;
}

std::string region_text(const Policy& p, const Space& s, const Region& r) {
  std::vector<std::string> parts;
  for (std::size_t c = 0; c < p.coords.size(); ++c)
    if (const std::string d = describe(p, s, r, c); d != "any") parts.push_back(d);
  return parts.empty() ? "every state" : joined(parts, "; ");
}

std::string witness_text(const Policy& p, const std::vector<Value>& w) {
  std::vector<std::string> parts;
  for (std::size_t c = 0; c < p.coords.size(); ++c) parts.push_back(p.coords[c].name + " = " + to_text(w[c]));
  return parts.empty() ? "(the single state)" : joined(parts, ", ");
}

}  // namespace

Json to_json(const Policy& p, const PartitionResult& r) {
  Json j;
  j["policy"] = p.file;
  j["complete"] = r.complete();
  j["disjoint"] = r.disjoint();
  j["gaps"] = Json::array();
  for (const Gap& g : r.gaps)
    j["gaps"].push_back({{"region", region_json(p, r.space, g.region)}, {"witness", witness_json(p, g.witness)}});
  j["overlaps"] = Json::array();
  for (const Overlap& o : r.overlaps)
    j["overlaps"].push_back({{"cells", {p.cells[o.first].name, p.cells[o.second].name}},
                             {"region", region_json(p, r.space, o.region)},
                             {"witness", witness_json(p, o.witness)}});
  return j;
}

std::string to_text(const Policy& p, const PartitionResult& r) {
  std::string out = p.file + ": " + std::to_string(p.cells.size()) + " cells over " +
                    std::to_string(p.coords.size()) + " coordinates, decided exactly\n";
  out += r.complete() ? "COMPLETE: every state lies in some cell\n"
                      : "GAPS: " + std::to_string(r.gaps.size()) + " region(s) of states in no cell\n";
  for (std::size_t k = 0; k < r.gaps.size(); ++k)
    out += "  gap " + std::to_string(k + 1) + ": " + region_text(p, r.space, r.gaps[k].region) +
           "\n    witness: " + witness_text(p, r.gaps[k].witness) + "\n";
  out += r.disjoint() ? "DISJOINT: no state lies in two cells\n"
                      : "OVERLAPS: " + std::to_string(r.overlaps.size()) + " region(s) of states in two cells\n";
  for (std::size_t k = 0; k < r.overlaps.size(); ++k) {
    const Overlap& o = r.overlaps[k];
    out += "  overlap " + std::to_string(k + 1) + " of '" + p.cells[o.first].name + "' and '" +
           p.cells[o.second].name + "': " + region_text(p, r.space, o.region) +
           "\n    witness: " + witness_text(p, o.witness) + "\n";
  }
  return out;
}

std::string describe(const Policy& p, const Classification& k) {
  switch (k.kind) {
    case ClassKind::Cell: return p.cells[k.candidates[0]].name;
    case ClassKind::Ambiguous: return "ambiguous";
    case ClassKind::Uncovered: return "uncovered";
    case ClassKind::OutsideDomain: return "outside the domain";
  }
  return "?";
}

Json to_json(const Policy& p, const Classification& k) {
  static const char* names[] = {"cell", "ambiguous", "uncovered", "outside_domain"};
  Json j;
  j["classification"] = names[static_cast<int>(k.kind)];
  j["cell"] = k.kind == ClassKind::Cell        ? Json(p.cells[k.candidates[0]].name)
              : k.kind == ClassKind::Ambiguous ? Json("ambiguous")
                                               : Json(nullptr);
  j["candidates"] = Json::array();
  for (std::size_t c : k.candidates) j["candidates"].push_back(p.cells[c].name);
  j["partly_uncovered"] = k.partly_uncovered;
  return j;
}

}  // namespace fim::policy

namespace fim::policy {

namespace {

std::optional<Rational> end_of(const std::string& text, const std::string& whole, bool lower) {
  if (text == (lower ? "-inf" : "inf") || (!lower && text == "+inf")) return std::nullopt;
  const auto r = num::read_exact(text);
  if (!r) throw io::InputError("--classify", whole, "'" + text + "' is not a number");
  return r;
}

}  // namespace

ValueSet parse_value_set(const std::string& text) {
  ValueSet set;
  const auto comma = text.find(',');
  if (comma == std::string::npos) {
    if (const auto k = special_named(text)) set.point = Value::special(*k);
    else if (const auto r = num::read_exact(text)) set.point = Value::finite(*r);
    else throw io::InputError("--classify", text, "expected LO,HI or a single value such as 1.5 or nan");
    return set;
  }
  set.lo = end_of(text.substr(0, comma), text, true);
  set.hi = end_of(text.substr(comma + 1), text, false);
  if (set.lo && set.hi && *set.hi < *set.lo) throw io::InputError("--classify", text, "LO exceeds HI");
  return set;
}

std::size_t classified_coordinate(const Policy& p, const std::string& name) {
  const auto c = p.coord_index(name);
  if (!c || p.coords[*c].type != CoordType::Real)
    throw io::InputError(p.file, "$.coordinates", "no real coordinate '" + name + "' to classify");
  return *c;
}

}  // namespace fim::policy
