// Monitor policies (SPEC S6, claim C7): the state coordinates, the cells, and the exact meaning of
// every predicate (proofs/partition.md, Definitions 1-3). Numbers are exact rationals throughout.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "numeric/mp.hpp"

namespace fim::policy {

using num::Rational;

/// One value of a coordinate: a finite rational, one of the four special values, or a bool.
struct Value {
  enum class Kind { Finite, NegInf, PosInf, NaN, Undefined, Bool };
  Kind kind = Kind::Finite;
  Rational x;      // the value when kind == Finite
  bool b = false;  // the value when kind == Bool

  static Value finite(const Rational& r) { Value v; v.x = r; return v; }
  static Value special(Kind k) { Value v; v.kind = k; return v; }
  static Value boolean(bool b) { Value v; v.kind = Kind::Bool; v.b = b; return v; }
  bool is_finite() const { return kind == Kind::Finite; }
};
bool operator==(const Value& a, const Value& b);

/// The special value named "-inf", "+inf", "nan" or "undefined"; nullopt for any other text.
std::optional<Value::Kind> special_named(const std::string& text);
/// "1.5" (a finite decimal when the value has one, else "p/q"), "-inf", "+inf", "nan", "undefined",
/// "true" or "false".
std::string to_text(const Value& v);
/// A rational as a finite decimal ("-0.125", "3") when its denominator is 2^a 5^b, else "p/q".
std::string decimal_text(const Rational& r);

enum class CoordType { Real, Discrete, Bool };

/// A coordinate and its domain (Definition 1): Real = the finite rationals plus `specials`;
/// Discrete = exactly `values`; Bool = {false, true}.
struct Coordinate {
  std::string name;
  CoordType type = CoordType::Real;
  std::vector<Value::Kind> specials;  // Real only, in the order -inf, +inf, nan, undefined
  std::vector<Rational> values;       // Discrete only, in file order, no repeats
};

/// Whether v belongs to the domain of c.
bool in_domain(const Coordinate& c, const Value& v);

enum class Op { Lt, Le, Gt, Ge, Eq, Ne, In, NotIn, Is, IsNot };
/// "<", "<=", ">", ">=", "==", "!=", "in", "not in", "is", "is not".
const char* to_string(Op op);

/// `coordinate op operand`: the operand is a threshold (finite Value), a special Value, a bool
/// Value, or the list `set` for In / NotIn.
struct Predicate {
  std::size_t coord = 0;
  Op op = Op::Lt;
  Value operand;
  std::vector<Rational> set;
};

/// Whether the value v of the predicate's coordinate satisfies it, with IEEE 754 semantics for the
/// order comparisons (proofs/partition.md, Definition 2).
bool holds(const Predicate& p, const Value& v);

/// A cell is the conjunction of its predicates; an empty `when` is the whole state space.
struct Cell {
  std::string name;
  std::vector<Predicate> when;
};

struct Policy {
  std::string file;
  std::vector<Coordinate> coords;
  std::vector<Cell> cells;
  /// The index of the coordinate called `name`, or nullopt.
  std::optional<std::size_t> coord_index(const std::string& name) const;
};

/// Whether the point (one value per coordinate, in policy order) satisfies every predicate of c.
bool cell_contains(const Cell& c, const std::vector<Value>& point);

/// Parses POLICY JSON text; throws io::InputError(file, "$.cells[2].when[0][1]", reason) naming
/// the JSON path of the first problem (malformed JSON: "line L, column C").
Policy parse_policy(const std::string& text, const std::string& file);
/// Reads and parses the policy file at `path`; throws io::InputError.
Policy read_policy(const std::string& path);

/// Reads VALUE text for coordinate c ("1.5", "nan", "true", ...); throws io::InputError(file,
/// place, reason) when it is not a value of c's domain.
Value parse_value(const Coordinate& c, const std::string& text, const std::string& file,
                  const std::string& place);

/// Reads "NAME=VALUE" as (index of coordinate NAME, its value); throws io::InputError("--at",
/// text, reason) for an unknown coordinate or a value outside its domain.
std::pair<std::size_t, Value> parse_assignment(const Policy& p, const std::string& text);

}  // namespace fim::policy
