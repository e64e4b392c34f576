#include "verify/expr.hpp"

#include <algorithm>
#include <cstddef>

#include "verify/number.hpp"

namespace fim::verify {

enum class Op { Num, Var, Neg, Add, Sub, Mul, Div, Pow, Sqrt, Abs, Min, Max };

struct ExprNode {
  Op op = Op::Num;
  std::shared_ptr<const ExprNode> a, b;
  mpq_class value;     // Num
  std::string name;    // Var
  long exponent = 0;   // Pow
};

namespace {

using Node = std::shared_ptr<const ExprNode>;
constexpr int kMaxDepth = 200;
constexpr long kMaxExponent = 64;
const char* const kVariables[] = {"normE", "gap", "d", "lambda1", "lambda2", "lambda_min", "e11"};

// A node with its operator and operands.
Node make(Op op, Node a = nullptr, Node b = nullptr) {
  auto n = std::make_shared<ExprNode>();
  n->op = op;
  n->a = std::move(a);
  n->b = std::move(b);
  return n;
}

// Recursive descent over the grammar of expr.hpp: each rule's method parses it at the current
// position and returns its tree; `depth` bounds the recursion; any error is Refused, with its column.
class Parser {
 public:
  explicit Parser(const std::string& text) : s_(text) {}
  Node all() {
    Node n = expr(0);
    skip();
    if (i_ != s_.size()) fail("unexpected '" + std::string(1, s_[i_]) + "'");
    return n;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw Refused("bound expression: position " + std::to_string(i_ + 1) + ": " + why);
  }
  void skip() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
  }
  bool eat(char c) {
    skip();
    if (i_ < s_.size() && s_[i_] == c) return ++i_, true;
    return false;
  }
  void need(char c) {
    if (!eat(c)) fail(std::string("'") + c + "' expected");
  }
  static bool digit(char c) { return c >= '0' && c <= '9'; }
  static bool letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

  Node expr(int depth) {
    if (depth > kMaxDepth) fail("nested too deeply");
    Node n = term(depth + 1);
    for (;;) {
      if (eat('+')) n = make(Op::Add, n, term(depth + 1));
      else if (eat('-')) n = make(Op::Sub, n, term(depth + 1));
      else return n;
    }
  }
  Node term(int depth) {
    Node n = unary(depth + 1);
    for (;;) {
      if (eat('*')) n = make(Op::Mul, n, unary(depth + 1));
      else if (eat('/')) n = make(Op::Div, n, unary(depth + 1));
      else return n;
    }
  }
  Node unary(int depth) {
    if (depth > kMaxDepth) fail("nested too deeply");
    if (eat('-')) return make(Op::Neg, unary(depth + 1));
    Node n = primary(depth + 1);
    if (!eat('^')) return n;
    auto p = std::make_shared<ExprNode>();
    p->op = Op::Pow;
    p->a = n;
    p->exponent = exponent();
    return p;
  }
  long exponent() {
    const bool paren = eat('(');
    const bool negative = eat('-');
    skip();
    const std::size_t start = i_;
    while (i_ < s_.size() && digit(s_[i_])) ++i_;
    if (i_ == start) fail("the exponent must be an integer");
    if (i_ - start > 3 || std::stol(s_.substr(start, i_ - start)) > kMaxExponent)
      fail("exponent beyond " + std::to_string(kMaxExponent));
    const long e = std::stol(s_.substr(start, i_ - start));
    if (paren) need(')');
    return negative ? -e : e;
  }
  Node primary(int depth) {
    skip();
    if (i_ >= s_.size()) fail("unexpected end");
    if (eat('(')) {
      Node n = expr(depth + 1);
      need(')');
      return n;
    }
    if (digit(s_[i_])) return number();
    if (!letter(s_[i_])) fail("unexpected '" + std::string(1, s_[i_]) + "'");
    const std::size_t start = i_;
    while (i_ < s_.size() && (letter(s_[i_]) || digit(s_[i_]))) ++i_;
    const std::string name = s_.substr(start, i_ - start);
    for (const char* v : kVariables)
      if (name == v) {
        auto n = std::make_shared<ExprNode>();
        n->op = Op::Var;
        n->name = name;
        return n;
      }
    const Op op = name == "sqrt" ? Op::Sqrt : name == "abs" ? Op::Abs : name == "min" ? Op::Min
                : name == "max" ? Op::Max : Op::Num;
    if (op == Op::Num) fail("unknown name '" + name + "'");
    need('(');
    Node a = expr(depth + 1), b;
    if (op == Op::Min || op == Op::Max) {
      need(',');
      b = expr(depth + 1);
    }
    need(')');
    return make(op, a, b);
  }
  // A decimal literal digits [. digits] [e [+-] digits], read exactly by the number reader.
  Node number() {
    const std::size_t start = i_;
    while (i_ < s_.size() && digit(s_[i_])) ++i_;
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      while (i_ < s_.size() && digit(s_[i_])) ++i_;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      while (i_ < s_.size() && digit(s_[i_])) ++i_;
    }
    auto n = std::make_shared<ExprNode>();
    n->value = read_number(s_.substr(start, i_ - start));
    return n;
  }

  const std::string& s_;
  std::size_t i_ = 0;
};

static const Range kWhole{0, 0, true};

}  // namespace

// [lo, hi], each end within the size limit.
static Range checked(mpq_class lo, mpq_class hi) { return {guard(lo), guard(hi), false}; }

// x * y: the extreme products of the ends.
Range range_mul(const Range& x, const Range& y) {
  if (x.whole || y.whole) return kWhole;
  const mpq_class p[] = {x.lo * y.lo, x.lo * y.hi, x.hi * y.lo, x.hi * y.hi};
  return checked(*std::min_element(p, p + 4), *std::max_element(p, p + 4));
}

// x / y, the whole line when y may be 0.
Range range_div(const Range& x, const Range& y) {
  if (x.whole || y.whole || (y.lo <= 0 && y.hi >= 0)) return kWhole;  // may divide by zero
  return range_mul(x, checked(1 / y.hi, 1 / y.lo));
}

// x^k, k >= 0, refused before computing when the result would exceed the size limit.
Range range_power(const Range& x, long k) {
  if (k == 0) return Range::point(1);  // 0^0 = 1
  if (x.whole) return kWhole;
  if (std::max(bit_size(x.lo), bit_size(x.hi)) * k > kMaxBits) throw Refused("a power exceeds 10^6 bits");
  auto pw = [k](const mpq_class& b) {
    mpq_class r;
    mpz_pow_ui(r.get_num_mpz_t(), b.get_num_mpz_t(), static_cast<unsigned long>(k));
    mpz_pow_ui(r.get_den_mpz_t(), b.get_den_mpz_t(), static_cast<unsigned long>(k));
    return r;
  };
  if (k % 2 == 1) return checked(pw(x.lo), pw(x.hi));
  const mpq_class a = abs(x.lo), b = abs(x.hi);
  const mpq_class top = pw(std::max(a, b));
  if (x.lo <= 0 && x.hi >= 0) return checked(0, top);
  return checked(pw(std::min(a, b)), top);
}

// sqrt(q) within [s / (r 2^k), (s + 1) / (r 2^k)], s = floor(sqrt(p r 4^k)), q = p / r >= 0.
mpq_class sqrt_bound(const mpq_class& q, bool up) {
  const unsigned long k = 128;
  mpz_class t = q.get_num() * q.get_den(), s;
  t <<= 2 * k;
  mpz_sqrt(s.get_mpz_t(), t.get_mpz_t());
  if (up && s * s != t) s += 1;
  mpq_class r(s, mpz_class(q.get_den()) << k);
  r.canonicalize();
  return guard(r);
}

namespace {

// The enclosure of node n (proofs/verify.md, Lemma V3).
Range eval_node(const ExprNode& n, const std::map<std::string, Range>& vars) {
  switch (n.op) {
    case Op::Num: return Range::point(n.value);
    case Op::Var: {
      const auto it = vars.find(n.name);
      if (it == vars.end()) throw Refused("bound expression: variable '" + n.name + "' has no value here");
      return it->second;
    }
    default: break;
  }
  const Range x = eval_node(*n.a, vars);
  if (n.op == Op::Pow) return n.exponent >= 0 ? range_power(x, n.exponent) : range_div(Range::point(1), range_power(x, -n.exponent));
  if (n.op == Op::Neg) return x.whole ? kWhole : checked(-x.hi, -x.lo);
  if (n.op == Op::Sqrt) return x.whole || x.lo < 0 ? kWhole : Range{sqrt_bound(x.lo, false), sqrt_bound(x.hi, true)};
  if (n.op == Op::Abs) {
    if (x.whole) return kWhole;
    if (x.lo >= 0) return x;
    if (x.hi <= 0) return checked(-x.hi, -x.lo);
    return checked(0, std::max(mpq_class(-x.lo), x.hi));
  }
  const Range y = eval_node(*n.b, vars);
  if (n.op == Op::Mul) return range_mul(x, y);
  if (n.op == Op::Div) return range_div(x, y);
  if (x.whole || y.whole) return kWhole;
  switch (n.op) {
    case Op::Add: return checked(x.lo + y.lo, x.hi + y.hi);
    case Op::Sub: return checked(x.lo - y.hi, x.hi - y.lo);
    case Op::Min: return checked(std::min(x.lo, y.lo), std::min(x.hi, y.hi));
    default: return checked(std::max(x.lo, y.lo), std::max(x.hi, y.hi));  // Max
  }
}

}  // namespace

Expr Expr::parse(const std::string& text) {
  if (text.size() > 10000) throw Refused("bound expression longer than 10000 characters");
  Expr e;
  e.root_ = Parser(text).all();
  return e;
}

Range Expr::eval(const std::map<std::string, Range>& vars) const { return eval_node(*root_, vars); }

}  // namespace fim::verify
