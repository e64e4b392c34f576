#include "policy/policy.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

#include <nlohmann/json.hpp>

#include "io/matrix_io.hpp"
#include "numeric/decimal.hpp"
#include "numeric/exact.hpp"

namespace fim::policy {

using Kind = Value::Kind;
using Json = nlohmann::ordered_json;

// ---- Values ----------------------------------------------------------------------------------

bool operator==(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == Kind::Finite) return a.x == b.x;
  if (a.kind == Kind::Bool) return a.b == b.b;
  return true;
}

std::optional<Kind> special_named(const std::string& text) {
  if (text == "-inf") return Kind::NegInf;
  if (text == "+inf") return Kind::PosInf;
  if (text == "nan") return Kind::NaN;
  if (text == "undefined") return Kind::Undefined;
  return std::nullopt;
}

namespace {

// q = 2^a 5^b exactly when dividing out every 2 and 5 leaves 1; then 10^max(a, b) / q is an integer.
std::optional<unsigned> decimal_places(const num::bmp::mpz_int& q) {
  num::bmp::mpz_int rest = q;
  unsigned twos = 0, fives = 0;
  while (rest % 2 == 0) { rest /= 2; ++twos; }
  while (rest % 5 == 0) { rest /= 5; ++fives; }
  if (rest != 1) return std::nullopt;
  return std::max(twos, fives);
}

}  // namespace

std::string decimal_text(const Rational& r) {
  const auto places = decimal_places(denominator(r));
  if (!places) return num::rational_text(r);
  const num::bmp::mpz_int scaled =
      numerator(r) * num::bmp::pow(num::bmp::mpz_int(10), *places) / denominator(r);
  const bool negative = scaled < 0;
  std::string digits = (negative ? num::bmp::mpz_int(-scaled) : scaled).str();
  // value = digits * 10^-places; long runs of zeros are written with an exponent ("2e300").
  long exponent = -static_cast<long>(*places);
  while (digits.size() > 1 && digits.back() == '0') { digits.pop_back(); ++exponent; }
  const long point = static_cast<long>(digits.size()) + exponent;  // digits before the point
  std::string out;
  if (exponent >= 0 && point <= 21) out = digits + std::string(static_cast<std::size_t>(exponent), '0');
  else if (exponent < 0 && point > 0) out = digits.substr(0, point) + "." + digits.substr(point);
  else if (exponent < 0 && point > -6) out = "0." + std::string(static_cast<std::size_t>(-point), '0') + digits;
  else out = digits.substr(0, 1) + (digits.size() > 1 ? "." + digits.substr(1) : "") + "e" +
             std::to_string(point - 1);
  return (negative ? "-" : "") + out;
}

std::string to_text(const Value& v) {
  switch (v.kind) {
    case Kind::Finite: return decimal_text(v.x);
    case Kind::NegInf: return "-inf";
    case Kind::PosInf: return "+inf";
    case Kind::NaN: return "nan";
    case Kind::Undefined: return "undefined";
    case Kind::Bool: return v.b ? "true" : "false";
  }
  return "?";
}

bool in_domain(const Coordinate& c, const Value& v) {
  switch (c.type) {
    case CoordType::Real:
      return v.is_finite() || std::find(c.specials.begin(), c.specials.end(), v.kind) != c.specials.end();
    case CoordType::Discrete:
      return v.is_finite() && std::find(c.values.begin(), c.values.end(), v.x) != c.values.end();
    case CoordType::Bool: return v.kind == Kind::Bool;
  }
  return false;
}

const char* to_string(Op op) {
  switch (op) {
    case Op::Lt: return "<";
    case Op::Le: return "<=";
    case Op::Gt: return ">";
    case Op::Ge: return ">=";
    case Op::Eq: return "==";
    case Op::Ne: return "!=";
    case Op::In: return "in";
    case Op::NotIn: return "not in";
    case Op::Is: return "is";
    case Op::IsNot: return "is not";
  }
  return "?";
}

// ---- Meaning of a predicate (proofs/partition.md, Definition 2) -------------------------------

namespace {

// The IEEE 754 relation of v to the finite threshold t: -1, 0, +1, or nullopt for unordered
// (NaN, undefined). -inf is below and +inf above every finite t.
std::optional<int> relation(const Value& v, const Rational& t) {
  switch (v.kind) {
    case Kind::Finite: return v.x < t ? -1 : (v.x == t ? 0 : 1);
    case Kind::NegInf: return -1;
    case Kind::PosInf: return 1;
    default: return std::nullopt;
  }
}

bool member(const Value& v, const std::vector<Rational>& set) {
  return v.is_finite() && std::find(set.begin(), set.end(), v.x) != set.end();
}

bool equal_to_operand(const Value& v, const Value& operand) {
  if (operand.kind == Kind::Bool) return v == operand;
  const auto r = relation(v, operand.x);
  return r && *r == 0;
}

}  // namespace

bool holds(const Predicate& p, const Value& v) {
  switch (p.op) {
    case Op::Lt: { const auto r = relation(v, p.operand.x); return r && *r < 0; }
    case Op::Le: { const auto r = relation(v, p.operand.x); return r && *r <= 0; }
    case Op::Gt: { const auto r = relation(v, p.operand.x); return r && *r > 0; }
    case Op::Ge: { const auto r = relation(v, p.operand.x); return r && *r >= 0; }
    case Op::Eq: return equal_to_operand(v, p.operand);
    case Op::Ne: return !equal_to_operand(v, p.operand);  // IEEE: NaN != t holds
    case Op::In: return member(v, p.set);
    case Op::NotIn: return !member(v, p.set);
    case Op::Is: return v.kind == p.operand.kind;
    case Op::IsNot: return v.kind != p.operand.kind;
  }
  return false;
}

bool cell_contains(const Cell& c, const std::vector<Value>& point) {
  return std::all_of(c.when.begin(), c.when.end(),
                     [&](const Predicate& p) { return holds(p, point[p.coord]); });
}

std::optional<std::size_t> Policy::coord_index(const std::string& name) const {
  for (std::size_t i = 0; i < coords.size(); ++i)
    if (coords[i].name == name) return i;
  return std::nullopt;
}

// ---- JSON text -> DOM, numbers kept as their exact text ----------------------------------------

namespace {

std::string line_and_column(const std::string& text, std::size_t byte) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    if (text[i] == '\n') { ++line; column = 1; } else { ++column; }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

bool is_identifier(const std::string& key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](unsigned char ch) {
    return std::isalnum(ch) || ch == '_';
  });
}

std::string child_path(const std::string& parent, const std::string& key) {
  return is_identifier(key) ? parent + "." + key : parent + "[" + Json(key).dump() + "]";
}
std::string child_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

// A SAX handler that builds an ordered DOM in which every JSON number is replaced by the string
// of its source text (so "0.1" stays exactly 1/10), and that refuses repeated object keys.
class ExactDom {
 public:
  ExactDom(Json& root, const std::string& text, const std::string& file)
      : root_(root), text_(text), file_(file) {}

  bool null() { return put(nullptr); }
  bool boolean(bool b) { return put(b); }
  bool number_integer(Json::number_integer_t v) { return put(std::to_string(v)); }
  bool number_unsigned(Json::number_unsigned_t v) { return put(std::to_string(v)); }
  bool number_float(Json::number_float_t, const std::string& text) { return put(text); }
  bool string(std::string& s) { return put(s); }
  bool binary(Json::binary_t&) { return put(nullptr); }
  bool start_object(std::size_t) { return open(Json::object()); }
  bool start_array(std::size_t) { return open(Json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(std::string& k) {
    if (stack_.back()->contains(k))
      throw io::InputError(file_, child_path(paths_.back(), k), "duplicate key '" + k + "'");
    key_ = k;
    return true;
  }
  template <class E>
  bool parse_error(std::size_t byte, const std::string&, const E& e) {
    std::string why = e.what();
    if (const auto colon = why.rfind(": "); colon != std::string::npos) why = why.substr(colon + 2);
    throw io::InputError(file_, line_and_column(text_, byte), "malformed JSON: " + why);
  }

 private:
  // Places v in the open container (or as the root); returns its address and path.
  Json* place(Json v, std::string& path) {
    if (stack_.empty()) {
      root_ = std::move(v);
      path = "$";
      return &root_;
    }
    Json& top = *stack_.back();
    if (top.is_array()) {
      path = child_path(paths_.back(), top.size());
      top.push_back(std::move(v));
      return &top.back();
    }
    path = child_path(paths_.back(), key_);
    return &(top[key_] = std::move(v));
  }
  bool put(Json v) {
    std::string path;
    place(std::move(v), path);
    return true;
  }
  bool open(Json v) {
    std::string path;
    // a policy is a few levels deep; each open level keeps its path, so depth must be bounded
    if (stack_.size() >= kMaxDepth) throw io::InputError(file_, paths_.back(), "JSON nested deeper than 32 levels");
    stack_.push_back(place(std::move(v), path));
    paths_.push_back(path);
    return true;
  }
  bool close() {
    stack_.pop_back();
    paths_.pop_back();
    return true;
  }

  static constexpr std::size_t kMaxDepth = 32;
  Json& root_;
  const std::string& text_;
  const std::string& file_;
  std::vector<Json*> stack_;  // open containers; parents are not modified while a child is open
  std::vector<std::string> paths_;
  std::string key_;
};

Json parse_exact_json(const std::string& text, const std::string& file) {
  Json root;
  ExactDom dom(root, text, file);
  Json::sax_parse(text, &dom);
  return root;
}

// ---- DOM -> Policy, each problem reported with its JSON path -----------------------------------

class Reader {
 public:
  explicit Reader(const std::string& file) : file_(file) {}

  [[noreturn]] void fail(const std::string& path, const std::string& reason) const {
    throw io::InputError(file_, path, reason);
  }

  void only_keys(const Json& obj, const std::string& path, const std::vector<std::string>& keys) const {
    for (const auto& [k, v] : obj.items()) {
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
        std::string list;
        for (const auto& a : keys) list += (list.empty() ? "" : ", ") + a;
        fail(child_path(path, k), "unknown key '" + k + "' (expected one of: " + list + ")");
      }
    }
  }

  const Json& need(const Json& obj, const std::string& path, const std::string& key) const {
    if (!obj.contains(key)) fail(path, "missing key '" + key + "'");
    return obj.at(key);
  }

  const std::string& text_at(const Json& v, const std::string& path, const std::string& what) const {
    if (!v.is_string()) fail(path, what + " must be a string, not " + std::string(v.type_name()));
    return v.get_ref<const std::string&>();
  }

  Rational number_at(const Json& v, const std::string& path, const std::string& what) const {
    if (!v.is_string()) fail(path, what + " must be a number, not " + std::string(v.type_name()));
    const auto r = num::read_exact(v.get<std::string>());
    if (!r) fail(path, what + " '" + v.get<std::string>() + "' is not a number (write a decimal such as \"1.5\")");
    return *r;
  }

  Policy policy(const Json& root) const {
    if (!root.is_object()) fail("$", "a policy is a JSON object with keys coordinates and cells");
    only_keys(root, "$", {"coordinates", "cells", "description"});
    Policy p;
    p.file = file_;
    const Json& coords = need(root, "$", "coordinates");
    if (!coords.is_object()) fail("$.coordinates", "must be an object {name: {\"type\": ...}}");
    for (const auto& [name, spec] : coords.items())
      p.coords.push_back(coordinate(name, spec, child_path("$.coordinates", name)));
    const Json& cells = need(root, "$", "cells");
    if (!cells.is_array()) fail("$.cells", "must be an array of cells");
    for (std::size_t i = 0; i < cells.size(); ++i) p.cells.push_back(cell(p, cells[i], child_path("$.cells", i)));
    require_unique_names(p, cells);
    return p;
  }

 private:
  Coordinate coordinate(const std::string& name, const Json& spec, const std::string& path) const {
    if (name.empty()) fail(path, "a coordinate needs a non-empty name");
    if (!spec.is_object()) fail(path, "must be an object such as {\"type\": \"real\"}");
    only_keys(spec, path, {"type", "special", "values", "description"});
    Coordinate c;
    c.name = name;
    const std::string& type = text_at(need(spec, path, "type"), path + ".type", "type");
    if (type == "real") c.type = CoordType::Real;
    else if (type == "discrete") c.type = CoordType::Discrete;
    else if (type == "bool") c.type = CoordType::Bool;
    else fail(path + ".type", "unknown type '" + type + "' (expected real, discrete or bool)");
    if (spec.contains("special") && c.type != CoordType::Real)
      fail(path + ".special", "only real coordinates have special values");
    if (spec.contains("values") && c.type != CoordType::Discrete)
      fail(path + ".values", "only discrete coordinates list values");
    if (c.type == CoordType::Real && spec.contains("special")) c.specials = specials(spec["special"], path + ".special");
    if (c.type == CoordType::Discrete) c.values = discrete_values(need(spec, path, "values"), path + ".values");
    return c;
  }

  std::vector<Kind> specials(const Json& list, const std::string& path) const {
    if (!list.is_array()) fail(path, "must be an array such as [\"nan\", \"+inf\", \"-inf\", \"undefined\"]");
    std::vector<Kind> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string at = child_path(path, i);
      const std::string& name = text_at(list[i], at, "a special value");
      const auto k = special_named(name);
      if (!k) fail(at, "unknown special value '" + name + "' (expected nan, +inf, -inf or undefined)");
      if (std::find(out.begin(), out.end(), *k) != out.end()) fail(at, "special value '" + name + "' listed twice");
      out.push_back(*k);
    }
    std::sort(out.begin(), out.end());  // canonical order: -inf, +inf, nan, undefined
    return out;
  }

  std::vector<Rational> discrete_values(const Json& list, const std::string& path) const {
    if (!list.is_array() || list.empty()) fail(path, "must be a non-empty array of numbers");
    std::vector<Rational> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const Rational r = number_at(list[i], child_path(path, i), "a discrete value");
      if (std::find(out.begin(), out.end(), r) != out.end())
        fail(child_path(path, i), "value " + decimal_text(r) + " listed twice");
      out.push_back(r);
    }
    return out;
  }

  Cell cell(const Policy& p, const Json& spec, const std::string& path) const {
    if (!spec.is_object()) fail(path, "a cell is an object {\"name\": ..., \"when\": [...]}");
    only_keys(spec, path, {"name", "when", "description"});
    Cell c;
    c.name = text_at(need(spec, path, "name"), path + ".name", "a cell name");
    if (c.name.empty()) fail(path + ".name", "a cell name must not be empty");
    const Json& when = need(spec, path, "when");
    if (!when.is_array()) fail(path + ".when", "must be an array of predicates [coordinate, operator, value]");
    for (std::size_t i = 0; i < when.size(); ++i) c.when.push_back(predicate(p, when[i], child_path(path + ".when", i)));
    return c;
  }

  Predicate predicate(const Policy& p, const Json& spec, const std::string& path) const {
    if (!spec.is_array() || spec.size() != 3)
      fail(path, "a predicate is an array [coordinate, operator, value]");
    const std::string& name = text_at(spec[0], path + "[0]", "a coordinate");
    const auto index = p.coord_index(name);
    if (!index) {
      std::string known;
      for (const auto& c : p.coords) known += (known.empty() ? "" : ", ") + c.name;
      fail(path + "[0]", "unknown coordinate '" + name + "' (known: " + known + ")");
    }
    Predicate q;
    q.coord = *index;
    q.op = op_at(spec[1], path + "[1]");
    operand(p.coords[*index], q, spec[2], path);
    return q;
  }

  Op op_at(const Json& v, const std::string& path) const {
    const std::string& text = text_at(v, path, "an operator");
    for (Op op : {Op::Lt, Op::Le, Op::Gt, Op::Ge, Op::Eq, Op::Ne, Op::In, Op::NotIn, Op::Is, Op::IsNot})
      if (text == to_string(op)) return op;
    fail(path, "unknown operator '" + text + "' (expected <, <=, >, >=, ==, !=, in, not in, is, is not)");
  }

  [[noreturn]] void not_for(const Coordinate& c, Op op, const std::string& path, const std::string& hint) const {
    fail(path + "[1]", std::string("operator '") + to_string(op) + "' does not apply to " +
                           (c.type == CoordType::Real ? "real" : c.type == CoordType::Bool ? "bool" : "discrete") +
                           " coordinate '" + c.name + "' (" + hint + ")");
  }

  Rational domain_value(const Coordinate& c, const Json& v, const std::string& at) const {
    const Rational r = number_at(v, at, "value");
    if (!in_domain(c, Value::finite(r))) {
      std::string list;
      for (const auto& x : c.values) list += (list.empty() ? "" : ", ") + decimal_text(x);
      fail(at, "value " + decimal_text(r) + " is outside the domain of '" + c.name + "' {" + list + "}");
    }
    return r;
  }

  void operand(const Coordinate& c, Predicate& q, const Json& v, const std::string& path) const {
    const std::string at = path + "[2]";
    const bool order = q.op == Op::Lt || q.op == Op::Le || q.op == Op::Gt || q.op == Op::Ge;
    const bool equality = q.op == Op::Eq || q.op == Op::Ne;
    const bool membership = q.op == Op::In || q.op == Op::NotIn;
    const bool special = q.op == Op::Is || q.op == Op::IsNot;
    switch (c.type) {
      case CoordType::Bool:
        if (!equality) not_for(c, q.op, path, "use == or != with true or false");
        if (!v.is_boolean()) fail(at, "compare bool coordinate '" + c.name + "' with JSON true or false");
        q.operand = Value::boolean(v.get<bool>());
        return;
      case CoordType::Discrete:
        if (special) not_for(c, q.op, path, "discrete coordinates have no special values");
        if (order) q.operand = Value::finite(number_at(v, at, "threshold"));
        if (equality) q.operand = Value::finite(domain_value(c, v, at));
        if (membership) {
          if (!v.is_array()) fail(at, "'" + std::string(to_string(q.op)) + "' needs an array of values");
          for (std::size_t k = 0; k < v.size(); ++k) q.set.push_back(domain_value(c, v[k], child_path(at, k)));
        }
        return;
      case CoordType::Real:
        if (membership) not_for(c, q.op, path, "'in' and 'not in' apply to discrete coordinates");
        if (order || equality) q.operand = Value::finite(number_at(v, at, "threshold"));
        if (special) {
          const std::string& name = text_at(v, at, "a special value");
          const auto k = special_named(name);
          if (!k) fail(at, "unknown special value '" + name + "' (expected nan, +inf, -inf or undefined)");
          if (!in_domain(c, Value::special(*k)))
            fail(at, "special value '" + name + "' is outside the domain of '" + c.name +
                         "' (add it to \"special\")");
          q.operand = Value::special(*k);
        }
        return;
    }
  }

  void require_unique_names(const Policy& p, const Json&) const {
    for (std::size_t i = 0; i < p.cells.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (p.cells[i].name == p.cells[j].name)
          fail(child_path("$.cells", i) + ".name",
               "duplicate cell name '" + p.cells[i].name + "' (also " + child_path("$.cells", j) + ".name)");
  }

  std::string file_;
};

}  // namespace

Policy parse_policy(const std::string& text, const std::string& file) {
  return Reader(file).policy(parse_exact_json(text, file));
}

Policy read_policy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw io::InputError(path, "file", "cannot open");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_policy(text, path);
}

Value parse_value(const Coordinate& c, const std::string& text, const std::string& file,
                  const std::string& place) {
  Value v;
  if (c.type == CoordType::Bool && (text == "true" || text == "false")) v = Value::boolean(text == "true");
  else if (const auto k = special_named(text)) v = Value::special(*k);
  else if (const auto r = num::read_exact(text)) v = Value::finite(*r);
  else throw io::InputError(file, place, "'" + text + "' is not a value of coordinate '" + c.name + "'");
  if (!in_domain(c, v))
    throw io::InputError(file, place, "'" + text + "' is outside the domain of coordinate '" + c.name + "'");
  return v;
}

}  // namespace fim::policy

namespace fim::policy {

std::pair<std::size_t, Value> parse_assignment(const Policy& p, const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos) throw io::InputError("--at", text, "expected NAME=VALUE, e.g. bits=4");
  const std::string name = text.substr(0, eq);
  const auto index = p.coord_index(name);
  if (!index) throw io::InputError("--at", text, "unknown coordinate '" + name + "' in " + p.file);
  return {*index, parse_value(p.coords[*index], text.substr(eq + 1), "--at", text)};
}

}  // namespace fim::policy
