#include "expr/bound_expr.hpp"

#include <mpfi.h>
#include <mpfr.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <optional>
#include <type_traits>

#include "numeric/exact.hpp"
#include "numeric/interval.hpp"
#include "numeric/mp.hpp"
#include "numeric/rational_interval.hpp"

namespace fim::expr {

using num::Ival;
using num::MpIval;
using num::RatIval;
using num::Rational;
namespace bmp = boost::multiprecision;

BoundExprError::BoundExprError(std::size_t pos, const std::string& why)
    : std::invalid_argument("EXPR: position " + std::to_string(pos) + ": " + why),
      position(pos),
      reason(why) {}

namespace detail {

enum class Op { Num, Var, Neg, Add, Sub, Mul, Div, Pow, Sqrt, Abs, Min, Max };

/// One node of the syntax tree; immutable once parsed.
struct BoundNode {
  Op op = Op::Num;
  std::shared_ptr<const BoundNode> a, b;  // operands (b only for binary operators)
  Rational value;                         // Num: the literal, exactly
  Ival value_ival;                        // Num: its binary64 enclosure, computed once
  std::string name;                       // Var: the variable
  long exponent = 0;                      // Pow: the integer exponent of a
  int depth = 1;                          // longest path to a leaf, counting this node
};

}  // namespace detail

namespace {

using detail::BoundNode;
using detail::Op;
using NodePtr = std::shared_ptr<const BoundNode>;

// Bounds both the parser's recursion and the tree's depth (eval recurses along it).
constexpr int kMaxDepth = 1000;
// Integer exponents beyond this are refused (and would only overflow anyway).
constexpr long kMaxExponent = 1L << 31;

const std::vector<std::string> kVariables = {"normE",  "gap",        "d",  "lambda1",
                                             "lambda2", "lambda_min", "e11"};

struct Function {
  const char* name;
  Op op;
  int arity;
};
constexpr Function kFunctions[] = {
    {"sqrt", Op::Sqrt, 1}, {"abs", Op::Abs, 1}, {"min", Op::Min, 2}, {"max", Op::Max, 2}};

/// The function called `name`, or nullptr.
const Function* find_function(const std::string& name) {
  for (const Function& f : kFunctions)
    if (name == f.name) return &f;
  return nullptr;
}

/// "a, b, c": the names, for messages.
std::string name_list(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

/// The tightest binary64 interval containing the rational q (an end is infinite on overflow).
Ival enclose_binary64(const Rational& q) {
  mpfr_t t;
  mpfr_init2(t, 53);
  mpfr_set_q(t, q.backend().data(), MPFR_RNDD);
  const double lo = mpfr_get_d(t, MPFR_RNDD);  // beyond DBL_MAX: DBL_MAX below, +inf above
  mpfr_set_q(t, q.backend().data(), MPFR_RNDU);
  const double hi = mpfr_get_d(t, MPFR_RNDU);
  mpfr_clear(t);
  return Ival(lo, hi);
}

// ---- Lexer ---------------------------------------------------------------------------------------

struct Token {
  enum Kind { Number, Name, Symbol, End } kind;
  std::string text;
  std::size_t pos;  // 1-based column of its first character
};

bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }

/// The index just past the digits of s starting at i.
std::size_t skip_digits(const std::string& s, std::size_t i) {
  while (i < s.size() && is_digit(s[i])) ++i;
  return i;
}

/// The end of the decimal literal starting at i (digits [. digits] [e [+-] digits]); throws if
/// it has no mantissa digit or an exponent without digits.
std::size_t scan_number(const std::string& s, std::size_t i) {
  const std::size_t start = i;
  i = skip_digits(s, i);
  std::size_t digits = i - start;
  if (i < s.size() && s[i] == '.') {
    const std::size_t frac = i + 1;
    i = skip_digits(s, frac);
    digits += i - frac;
  }
  bool ok = digits > 0;
  if (ok && i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    i = skip_digits(s, j);
    ok = i > j;
  }
  if (!ok) {
    const std::size_t end = std::max(i, start + 1);
    throw BoundExprError(start + 1, "malformed number '" + s.substr(start, end - start) + "'");
  }
  return i;
}

/// "'c'" for a printable character, its byte value otherwise.
std::string describe_char(char c) {
  if (c > ' ' && c < 127) return "'" + std::string(1, c) + "'";
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", static_cast<unsigned char>(c));
  return std::string("byte ") + buf;
}

/// The tokens of s, ending with an End token at column s.size() + 1.
std::vector<Token> tokenize(const std::string& s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (true) {
    while (i < s.size() && is_space(s[i])) ++i;
    if (i == s.size()) break;
    const std::size_t start = i;
    const char c = s[i];
    Token::Kind kind = Token::Symbol;
    if (is_digit(c) || c == '.') {
      i = scan_number(s, i);
      kind = Token::Number;
    } else if (is_name_start(c)) {
      while (i < s.size() && is_name_char(s[i])) ++i;
      kind = Token::Name;
    } else if (c != '\0' && std::strchr("+-*/^(),", c)) {
      ++i;
    } else {
      throw BoundExprError(start + 1, "unexpected character " + describe_char(c));
    }
    out.push_back({kind, s.substr(start, i - start), start + 1});
  }
  out.push_back({Token::End, "", s.size() + 1});
  return out;
}

// ---- Parser --------------------------------------------------------------------------------------

/// A literal, or the negation of one (parentheses leave no node): its exact value.
std::optional<Rational> literal_value(const BoundNode& n) {
  if (n.op == Op::Num) return n.value;
  if (n.op != Op::Neg) return std::nullopt;
  const auto v = literal_value(*n.a);
  return v ? std::optional<Rational>(-*v) : std::nullopt;
}

/// Recursive descent over the grammar in bound_expr.hpp.
class Parser {
 public:
  explicit Parser(const std::string& text) : toks_(tokenize(text)) {}

  /// The whole input as one expression.
  NodePtr parse_all() {
    if (peek().kind == Token::End) throw BoundExprError(1, "empty expression");
    NodePtr e = expr();
    if (peek().kind != Token::End) throw unexpected(peek());
    return e;
  }
  /// The distinct variables met, in order of first appearance.
  const std::vector<std::string>& variables() const { return variables_; }

 private:
  std::vector<Token> toks_;
  std::size_t at_ = 0;
  int nesting_ = 0;
  std::vector<std::string> variables_;

  const Token& peek() const { return toks_[at_]; }
  Token take() { return toks_[at_ == toks_.size() - 1 ? at_ : at_++]; }
  bool at_symbol(char c) const { return peek().kind == Token::Symbol && peek().text[0] == c; }
  static BoundExprError unexpected(const Token& t) {
    return BoundExprError(t.pos, "unexpected '" + t.text + "'");
  }

  /// A node over operands a and b (b may be null); throws if the tree gets too deep.
  std::shared_ptr<BoundNode> node(Op op, NodePtr a, NodePtr b, std::size_t pos) {
    auto n = std::make_shared<BoundNode>();
    n->op = op;
    n->depth = 1 + std::max(a ? a->depth : 0, b ? b->depth : 0);
    if (n->depth > kMaxDepth) throw BoundExprError(pos, "expression nested too deeply");
    n->a = std::move(a);
    n->b = std::move(b);
    return n;
  }

  NodePtr expr() {
    NodePtr e = term();
    while (at_symbol('+') || at_symbol('-')) {
      const Token op = take();
      NodePtr rhs = term();
      e = node(op.text == "+" ? Op::Add : Op::Sub, e, rhs, op.pos);
    }
    return e;
  }

  NodePtr term() {
    NodePtr e = unary();
    while (at_symbol('*') || at_symbol('/')) {
      const Token op = take();
      NodePtr rhs = unary();
      e = node(op.text == "*" ? Op::Mul : Op::Div, e, rhs, op.pos);
    }
    return e;
  }

  NodePtr unary() {
    if (++nesting_ > kMaxDepth) throw BoundExprError(peek().pos, "expression nested too deeply");
    NodePtr e;
    if (at_symbol('-')) {
      const Token op = take();
      e = node(Op::Neg, unary(), nullptr, op.pos);
    } else {
      e = power();
    }
    --nesting_;
    return e;
  }

  NodePtr power() {
    NodePtr base = primary();
    if (!at_symbol('^')) return base;
    const Token caret = take();
    const std::size_t pos = peek().pos;
    auto n = node(Op::Pow, base, nullptr, caret.pos);
    n->exponent = integer_exponent(*unary(), pos);
    return n;
  }

  /// The exponent's value: an integer literal of magnitude at most kMaxExponent.
  static long integer_exponent(const BoundNode& e, std::size_t pos) {
    const auto v = literal_value(e);
    if (!v) throw BoundExprError(pos, "exponent must be an integer constant");
    if (bmp::denominator(*v) != 1) throw BoundExprError(pos, "exponent must be an integer");
    if (bmp::abs(*v) > kMaxExponent) throw BoundExprError(pos, "exponent too large");
    return bmp::numerator(*v).convert_to<long>();
  }

  NodePtr primary() {
    const Token t = take();
    if (t.kind == Token::Number) return number(t);
    if (t.kind == Token::Name) return name(t);
    if (t.kind == Token::End) throw BoundExprError(t.pos, "expected a number or a variable");
    if (t.text != "(") throw unexpected(t);
    NodePtr e = expr();
    close();
    return e;
  }

  void close() {
    if (!at_symbol(')')) throw BoundExprError(peek().pos, "missing ')'");
    take();
  }

  NodePtr number(const Token& t) {
    auto n = node(Op::Num, nullptr, nullptr, t.pos);
    try {
      n->value = num::parse_rational(t.text);
    } catch (const std::exception&) {  // exponent beyond 1e+-100000, or beyond a long
      throw BoundExprError(t.pos, "number out of range '" + t.text + "'");
    }
    n->value_ival = enclose_binary64(n->value);
    return n;
  }

  NodePtr name(const Token& t) {
    if (std::find(kVariables.begin(), kVariables.end(), t.text) != kVariables.end()) return var(t);
    if (const Function* f = find_function(t.text)) return call(t, *f);
    if (at_symbol('('))
      throw BoundExprError(t.pos, "unknown function '" + t.text +
                                      "' (functions: sqrt, abs, min, max)");
    throw BoundExprError(t.pos, "unknown variable '" + t.text + "' (variables: " +
                                    name_list(kVariables) + ")");
  }

  NodePtr var(const Token& t) {
    auto n = node(Op::Var, nullptr, nullptr, t.pos);
    n->name = t.text;
    if (std::find(variables_.begin(), variables_.end(), t.text) == variables_.end())
      variables_.push_back(t.text);
    return n;
  }

  NodePtr call(const Token& t, const Function& f) {
    if (!at_symbol('(')) throw BoundExprError(peek().pos, "expected '(' after '" + t.text + "'");
    take();
    std::vector<NodePtr> args{expr()};
    while (at_symbol(',')) {
      take();
      args.push_back(expr());
    }
    close();
    if (static_cast<int>(args.size()) != f.arity)
      throw BoundExprError(t.pos, t.text + " takes " + std::to_string(f.arity) +
                                      (f.arity == 1 ? " argument" : " arguments"));
    return node(f.op, args[0], f.arity == 2 ? args[1] : nullptr, t.pos);
  }
};

// ---- Interval primitives, one overload per interval type ------------------------------------------

template <class I>
using Tag = std::type_identity<I>;

int lo_sign(const Ival& x) { return (x.lo > 0) - (x.lo < 0); }
int hi_sign(const Ival& x) { return (x.hi > 0) - (x.hi < 0); }
bool lo_le(const Ival& a, const Ival& b) { return a.lo <= b.lo; }
bool hi_le(const Ival& a, const Ival& b) { return a.hi <= b.hi; }
/// [lower(a), upper(b)], given lower(a) <= upper(b).
Ival between(const Ival& a, const Ival& b) { return {a.lo, b.hi}; }
/// The point interval at lower(x).
Ival low_point(const Ival& x) { return Ival(x.lo); }
Ival entire(Tag<Ival>) { return Ival::entire(); }
Ival constant(const BoundNode& n, Tag<Ival>) { return n.value_ival; }
/// Ival maps NaN ends to the whole line on construction already.
Ival no_nan(const Ival& x) { return x; }

mpfr_srcptr lo_end(const MpIval& x) { return &x.data()->left; }
mpfr_srcptr hi_end(const MpIval& x) { return &x.data()->right; }
int lo_sign(const MpIval& x) { return mpfr_sgn(lo_end(x)); }
int hi_sign(const MpIval& x) { return mpfr_sgn(hi_end(x)); }
bool lo_le(const MpIval& a, const MpIval& b) { return mpfr_lessequal_p(lo_end(a), lo_end(b)); }
bool hi_le(const MpIval& a, const MpIval& b) { return mpfr_lessequal_p(hi_end(a), hi_end(b)); }
MpIval between(const MpIval& a, const MpIval& b) {
  MpIval r;
  mpfi_interv_fr(r.data(), lo_end(a), hi_end(b));  // rounded outward
  return r;
}
MpIval low_point(const MpIval& x) {
  MpIval r;
  mpfi_set_fr(r.data(), lo_end(x));  // rounded outward if x is more precise
  return r;
}
MpIval entire(Tag<MpIval>) {
  MpIval r;
  mpfi_interv_d(r.data(), -num::inf, num::inf);
  return r;
}
MpIval constant(const BoundNode& n, Tag<MpIval>) {
  MpIval r;
  mpfi_set_q(r.data(), n.value.backend().data());  // rounded outward
  return r;
}
/// The whole line in place of an interval with a NaN end (from an indeterminate form).
MpIval no_nan(const MpIval& x) { return mpfi_nan_p(x.data()) ? entire(Tag<MpIval>{}) : x; }

// Exact rational intervals (verify-cert): ends compared exactly, the whole line as a flag.
int sign_of(const Rational& x) { return (x > 0) - (x < 0); }
int lo_sign(const RatIval& x) { return x.whole ? -1 : sign_of(x.lo); }
int hi_sign(const RatIval& x) { return x.whole ? 1 : sign_of(x.hi); }
bool lo_le(const RatIval& a, const RatIval& b) { return a.whole || (!b.whole && a.lo <= b.lo); }
bool hi_le(const RatIval& a, const RatIval& b) { return b.whole || (!a.whole && a.hi <= b.hi); }
RatIval between(const RatIval& a, const RatIval& b) {
  return a.whole || b.whole ? RatIval::entire() : RatIval(a.lo, b.hi);
}
RatIval low_point(const RatIval& x) { return x.whole ? x : RatIval(x.lo); }
RatIval entire(Tag<RatIval>) { return RatIval::entire(); }
RatIval constant(const BoundNode& n, Tag<RatIval>) { return RatIval(n.value); }
RatIval no_nan(const RatIval& x) { return x; }

// ---- Operations, generic over the interval type ----------------------------------------------------

template <class I>
bool contains_zero(const I& x) { return lo_sign(x) <= 0 && hi_sign(x) >= 0; }

/// The point interval at upper(x).
template <class I>
I high_point(const I& x) { return -low_point(-x); }

/// Encloses x / y; the whole line when y contains 0.
template <class I>
I divide(const I& x, const I& y) { return contains_zero(y) ? entire(Tag<I>{}) : x / y; }

/// Encloses sqrt over the nonnegative part of x; the whole line when x < 0 throughout.
template <class I>
I sqrt_part(const I& x) {
  if (hi_sign(x) < 0) return entire(Tag<I>{});
  return lo_sign(x) < 0 ? sqrt(between(I(0), x)) : sqrt(x);
}

/// Encloses {min(a, b)}: [min of the lower ends, min of the upper ends].
template <class I>
I min_of(const I& a, const I& b) { return between(lo_le(a, b) ? a : b, hi_le(a, b) ? a : b); }
/// Encloses {max(a, b)}: [max of the lower ends, max of the upper ends].
template <class I>
I max_of(const I& a, const I& b) { return between(lo_le(a, b) ? b : a, hi_le(a, b) ? b : a); }

/// Encloses p^n by binary powering (p a point or a narrow interval, n >= 0).
template <class I>
I power_by_squaring(I p, unsigned long n) {
  I r(1);
  for (; n; n >>= 1) {
    if (n & 1) r = r * p;
    if (n > 1) p = p * p;
  }
  return r;
}

/// Encloses x^n for n >= 1 where t -> t^n increases on x: powers of the two ends.
template <class I>
I monotone_power(const I& x, unsigned long n) {
  return between(power_by_squaring(low_point(x), n), power_by_squaring(high_point(x), n));
}

/// Encloses x^n (0^0 = 1); for even n it works on |x|, so the lower end is 0 when x contains 0.
template <class I>
I int_power(const I& x, long n) {
  if (n == 0) return I(1);
  if (n < 0) return divide(I(1), int_power(x, -n));
  const auto m = static_cast<unsigned long>(n);
  return m % 2 == 0 ? monotone_power(I(abs(x)), m) : monotone_power(x, m);
}

/// The value given for variable `name`; throws std::invalid_argument if none was.
template <class I>
const I& lookup(const std::map<std::string, I>& vars, const std::string& name) {
  const auto it = vars.find(name);
  if (it == vars.end())
    throw std::invalid_argument("EXPR: no value given for variable '" + name + "'");
  return it->second;
}

template <class I>
I eval_node(const BoundNode& n, const std::map<std::string, I>& vars);

/// Encloses the binary operation op over the enclosures x and y of its operands.
template <class I>
I eval_binary(Op op, const I& x, const I& y) {
  switch (op) {
    case Op::Add: return x + y;
    case Op::Sub: return x - y;
    case Op::Mul: return x * y;
    case Op::Div: return divide(x, y);
    case Op::Min: return min_of(x, y);
    default: return max_of(x, y);
  }
}

/// Encloses node n's value over the variable intervals, before the NaN guard.
template <class I>
I eval_raw(const BoundNode& n, const std::map<std::string, I>& vars) {
  switch (n.op) {
    case Op::Num: return constant(n, Tag<I>{});
    case Op::Var: return lookup(vars, n.name);
    case Op::Neg: return -eval_node(*n.a, vars);
    case Op::Pow: return int_power(eval_node(*n.a, vars), n.exponent);
    case Op::Sqrt: return sqrt_part(eval_node(*n.a, vars));
    case Op::Abs: return abs(eval_node(*n.a, vars));
    default: return eval_binary(n.op, eval_node(*n.a, vars), eval_node(*n.b, vars));
  }
}

/// Encloses node n's value over the variable intervals.
template <class I>
I eval_node(const BoundNode& n, const std::map<std::string, I>& vars) {
  return no_nan(I(eval_raw(n, vars)));
}

}  // namespace

BoundExpr BoundExpr::parse(const std::string& text) {
  Parser p(text);
  BoundExpr e;
  e.root_ = p.parse_all();
  e.text_ = text;
  e.variables_ = p.variables();
  return e;
}

const std::vector<std::string>& BoundExpr::known_variables() { return kVariables; }

template <class I>
I BoundExpr::eval(const std::map<std::string, I>& vars) const {
  if (!root_) throw std::logic_error("BoundExpr::eval on an expression that was never parsed");
  return eval_node(*root_, vars);
}

template Ival BoundExpr::eval<Ival>(const std::map<std::string, Ival>&) const;
template MpIval BoundExpr::eval<MpIval>(const std::map<std::string, MpIval>&) const;
template RatIval BoundExpr::eval<RatIval>(const std::map<std::string, RatIval>&) const;

}  // namespace fim::expr
