// Claim C7 `partition`: exact decision of whether a policy's cells cover the state space and are
// pairwise disjoint, and exact classification of an enclosure into a cell (proofs/partition.md).
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "policy/policy.hpp"

namespace fim::policy {

/// A piece of one coordinate's domain on which every predicate of the policy is constant
/// (proofs/partition.md, Lemma 1): one value, or the finite reals strictly between lo and hi
/// (nullopt = unbounded). `representative` is a value inside it (Lemma 2).
struct Atom {
  bool is_point = true;
  Value point;
  std::optional<Rational> lo, hi;
  Value representative;
};

/// Whether v lies in the atom.
bool atom_contains(const Atom& a, const Value& v);

/// A short decimal strictly between lo and hi (nullopt = unbounded; lo < hi): 0 if inside, else
/// the multiple of the coarsest power of 10 that fits, nearest to 0 ((1.5, 3) -> 2, (0.1, 0.2) ->
/// 0.11, (1e300, +) -> 2e300; proofs/partition.md, Lemma 2). Exact; always terminates.
Rational shortest_decimal_between(const std::optional<Rational>& lo, const std::optional<Rational>& hi);

/// The atoms of every coordinate, in order: finite atoms ascending, then the specials.
struct Space {
  std::vector<std::vector<Atom>> atoms;
};

/// The atoms of coordinate c cut at every threshold of the policy on c and at `extra_cuts`
/// (Lemma 1): they partition the domain of c.
std::vector<Atom> atoms_of(const Policy& p, std::size_t c, const std::vector<Rational>& extra_cuts = {});
/// atoms_of for every coordinate.
Space space_of(const Policy& p);

/// A product set: for each coordinate, the indices of the atoms it contains.
struct Region {
  std::vector<std::vector<std::size_t>> atoms;
};

/// Whether the point (one value per coordinate) lies in the region.
bool region_contains(const Space& s, const Region& r, const std::vector<Value>& point);

/// The simplest point of the region (per coordinate the atom representative with the shortest
/// decimal, nearest to 0; specials last), a readable witness.
std::vector<Value> witness_of(const Space& s, const Region& r);

/// A set of uncovered points, or a set of points in both cells `first` < `second`.
struct Gap {
  Region region;
  std::vector<Value> witness;
};
struct Overlap {
  std::size_t first = 0, second = 0;
  Region region;
  std::vector<Value> witness;
};

struct PartitionResult {
  Space space;
  std::vector<Gap> gaps;          // together exactly the uncovered points
  std::vector<Overlap> overlaps;  // per pair of cells, together exactly their common points
  bool complete() const { return gaps.empty(); }
  bool disjoint() const { return overlaps.empty(); }
};

/// Decides exactly whether the cells of p cover the state space and are pairwise disjoint, and
/// lists every gap and every overlap as regions with a witness (proofs/partition.md, Theorem 1).
/// Cost: at most one visit per distinct set of surviving cells per atom prefix, no sampling.
PartitionResult decide_partition(const Policy& p);

/// The set of possible values of one real coordinate: a single value, or the finite reals in
/// [lo, hi] (nullopt = unbounded), optionally together with `undefined`.
struct ValueSet {
  std::optional<Value> point;
  std::optional<Rational> lo, hi;
  bool with_undefined = false;
};

enum class ClassKind { Cell, Ambiguous, Uncovered, OutsideDomain };

/// Cell: every point of the set lies in exactly the cell `candidates[0]`. Ambiguous: several
/// cells, or one cell and uncovered points. Uncovered: no point in any cell. OutsideDomain: no
/// value of the set is in the coordinate's domain.
struct Classification {
  ClassKind kind = ClassKind::Uncovered;
  std::vector<std::size_t> candidates;  // cells containing some point of the set, ascending
  bool partly_uncovered = false;        // some point of the set is in no cell
};

/// Classifies the states whose coordinate `coord` (real) lies in `set`, whose coordinates in
/// `fixed` have the given values and whose other coordinates are free (proofs/partition.md,
/// Theorem 2). Exact.
Classification classify(const Policy& p, std::size_t coord, const ValueSet& set,
                        const std::vector<std::pair<std::size_t, Value>>& fixed);

/// Reads "LO,HI" (decimals; "-inf" / "inf" for an unbounded end) or a single value ("1.5",
/// "nan", "+inf", "undefined"); throws io::InputError("--classify", text, reason).
ValueSet parse_value_set(const std::string& text);

/// The index of the real coordinate `name` that an enclosure is classified on; throws
/// io::InputError naming the policy file when there is none.
std::size_t classified_coordinate(const Policy& p, const std::string& name);

/// "finite sigma < 1.5 or sigma is -inf": the values of coordinate c in the region, for people;
/// "any" when the region holds the whole domain.
std::string describe(const Policy& p, const Space& s, const Region& r, std::size_t c);
/// "ambiguous", "uncovered", "outside the domain" or the cell's name.
std::string describe(const Policy& p, const Classification& k);

/// {"complete", "disjoint", "gaps": [{"region", "witness"}], "overlaps": [{"cells", ...}]}.
nlohmann::ordered_json to_json(const Policy& p, const PartitionResult& r);
/// The result for people, one gap or overlap per paragraph.
std::string to_text(const Policy& p, const PartitionResult& r);
/// {"classification", "cell", "candidates", "partly_uncovered"}; "cell" is the cell's name,
/// "ambiguous", or null (uncovered, outside the domain).
nlohmann::ordered_json to_json(const Policy& p, const Classification& k);

}  // namespace fim::policy
