#include "expr/bound_expr.hpp"

#include <mpfi.h>
#include <mpfr.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <optional>
#include <type_traits>

#include "expr/interval_ops.hpp"
#include "expr/lexing.hpp"
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

// ---- Lexer ---------------------------------------------------------------------------------------

struct Token {
  enum Kind { Number, Name, Symbol, End } kind;
  std::string text;
  std::size_t pos;  // 1-based column of its first character
};

/// The end of the decimal literal starting at i; throws if it is malformed.
std::size_t scan_number(const std::string& s, std::size_t i) {
  const lex::Scanned r = lex::scan_decimal(s, i, false);
  if (!r.ok) throw BoundExprError(i + 1, "malformed number '" + s.substr(i, r.end - i) + "'");
  return r.end;
}

/// The tokens of s, ending with an End token at column s.size() + 1.
std::vector<Token> tokenize(const std::string& s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (true) {
    while (i < s.size() && lex::is_space(s[i])) ++i;
    if (i == s.size()) break;
    const std::size_t start = i;
    const char c = s[i];
    Token::Kind kind = Token::Symbol;
    if (lex::is_digit(c) || c == '.') {
      i = scan_number(s, i);
      kind = Token::Number;
    } else if (lex::is_name_start(c)) {
      while (i < s.size() && lex::is_name_char(s[i])) ++i;
      kind = Token::Name;
    } else if (c != '\0' && std::strchr("+-*/^(),", c)) {
      ++i;
    } else {
      throw BoundExprError(start + 1, "unexpected character " + lex::describe_char(c));
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
    n->value_ival = ops::enclose_binary64(n->value);
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

using namespace ops;  // NOLINT: the interval primitives (interval_ops.hpp)

Ival constant(const BoundNode& n, Tag<Ival>) { return n.value_ival; }
template <class I>
I constant(const BoundNode& n, Tag<I> tag) { return from_rational(n.value, tag); }

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
