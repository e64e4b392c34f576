#include "expr/claim_lang.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <unordered_map>
#include <utility>

#include "expr/interval_ops.hpp"
#include "expr/lexing.hpp"
#include "numeric/exact.hpp"
#include "numeric/interval.hpp"
#include "numeric/mp.hpp"
#include "numeric/rational_interval.hpp"

namespace fim::expr {

using num::Ival;
using num::MpIval;
using num::Rational;
using num::RatIval;
namespace bmp = boost::multiprecision;

ClaimError::ClaimError(const std::string& lab, std::size_t pos, const std::string& why)
    : std::invalid_argument(lab + ": position " + std::to_string(pos) + ": " + why),
      label(lab),
      position(pos),
      reason(why) {}

/// One node of a parsed claim: a formula (Forall, Or, And, Cmp) or a scalar (the rest; a Sum is
/// a scalar that binds one variable).
struct ParsedClaim::Node {
  enum class K {
    Forall,
    Or,
    And,
    Cmp,
    Num,
    N,
    Var,
    Neg,
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Sqrt,
    Abs,
    Min,
    Max,
    Atom,
    Sum
  };
  K k = K::Num;
  std::vector<std::shared_ptr<const Node>> kids;  // Forall, Sum: lo, hi, with (may be null), body;
                                                  // Cmp: lhs, rhs; Atom (Lambda): the index
  Formula::Op cmp = Formula::Op::Le;              // Cmp
  Rational value;                                 // Num
  std::string name;                               // Var
  std::vector<std::string> vars;                  // Forall; Sum: its one variable
  long exponent = 0;                              // Pow
  AtomKind atom = AtomKind::Lambda;               // Atom
  MatrixPtr m, m2;                                // Atom
  std::size_t pos = 0;                            // 1-based column, for messages
  std::size_t begin = 0, end = 0;                 // Cmp, Atom's index: 0-based source span;
                                                  // Forall, Sum: the 1-based columns of its bounds
  struct Use {
    std::size_t offset, length;
    std::string name;
  };
  std::vector<Use> uses;                    // Cmp: the bound variables in its span
  bool has_atom = false, has_free = false;  // contains an atom; contains n or a VAR (or a sum)
  int depth = 1;
};

namespace {

using Node = ParsedClaim::Node;
using K = Node::K;
using NodePtr = std::shared_ptr<const Node>;

// Bounds the parser's recursion and every tree's depth (instantiate and evaluate recurse on them).
constexpr int kMaxDepth = 1000;
// Bounds a forall's or a sum's expansion (and all expansions of one instantiation together).
constexpr long kMaxInstances = 1000000;
constexpr long kMaxExponent = 64;

const char* const kAtomList = "lambda, lambda_min, gap, norm, fro, trace, rayleigh";

struct AtomName {
  const char* name;
  AtomKind kind;
};
constexpr AtomName kAtoms[] = {{"lambda", AtomKind::Lambda},    {"lambda_min", AtomKind::LambdaMin},
                               {"gap", AtomKind::Gap},          {"norm", AtomKind::Norm},
                               {"fro", AtomKind::Fro},          {"trace", AtomKind::Trace},
                               {"rayleigh", AtomKind::Rayleigh}};
struct FuncName {
  const char* name;
  K k;
  int arity;
};
constexpr FuncName kFuncs[] = {
    {"sqrt", K::Sqrt, 1}, {"abs", K::Abs, 1}, {"min", K::Min, 2}, {"max", K::Max, 2}};
const char* const kKeywords[] = {"forall", "in", "with", "and", "or", "n",
                                 "A",      "B",  "E",    "sym", "sum"};

const AtomName* find_atom(const std::string& s) {
  for (const AtomName& a : kAtoms)
    if (s == a.name) return &a;
  return nullptr;
}
const FuncName* find_func(const std::string& s) {
  for (const FuncName& f : kFuncs)
    if (s == f.name) return &f;
  return nullptr;
}
bool is_reserved(const std::string& s) {
  for (const char* k : kKeywords)
    if (s == k) return true;
  return find_atom(s) || find_func(s);
}
const char* atom_name(AtomKind k) {
  for (const AtomName& a : kAtoms)
    if (a.kind == k) return a.name;
  return "?";
}

// ---- Canonical matrix texts ----

/// x as the operand of a product or a scale: parenthesized when a sum or difference.
std::string operand_text(const MatrixExpr& x) {
  const bool sum = x.op == MatrixExpr::Op::Add || x.op == MatrixExpr::Op::Sub;
  return sum ? "(" + x.text + ")" : x.text;
}

MatrixPtr matrix_name(char c) {
  auto m = std::make_shared<MatrixExpr>();
  m->op = MatrixExpr::Op::Name;
  m->name = c;
  m->text = std::string(1, c);
  return m;
}

/// q * x with its canonical text ("2*A", "1/2*A", "-A"); x itself when q = 1.
MatrixPtr matrix_scale(const Rational& q, MatrixPtr x) {
  if (q == 1) return x;
  auto m = std::make_shared<MatrixExpr>();
  m->op = MatrixExpr::Op::Scale;
  m->scale = q;
  m->text = (q == -1 ? std::string("-") : num::rational_text(q) + "*") + operand_text(*x);
  m->x = std::move(x);
  return m;
}

/// x + y or x - y; a sum or difference on the right keeps its parentheses.
MatrixPtr matrix_sum(MatrixExpr::Op op, MatrixPtr x, MatrixPtr y) {
  auto m = std::make_shared<MatrixExpr>();
  m->op = op;
  m->text = x->text + (op == MatrixExpr::Op::Add ? "+" : "-") + operand_text(*y);
  m->x = std::move(x);
  m->y = std::move(y);
  return m;
}

/// sym(x*y), or x*x (Square, y null).
MatrixPtr matrix_product(MatrixExpr::Op op, MatrixPtr x, MatrixPtr y) {
  auto m = std::make_shared<MatrixExpr>();
  m->op = op;
  if (op == MatrixExpr::Op::Square)
    m->text = operand_text(*x) + "*" + operand_text(*x);
  else
    m->text = "sym(" + operand_text(*x) + "*" + operand_text(*y) + ")";
  m->x = std::move(x);
  m->y = std::move(y);
  return m;
}

// ---- Lexer ----

struct Token {
  enum Kind { Number, Name, Symbol, End } kind;
  std::string text;
  std::size_t pos;  // 1-based column of its first character
  std::size_t end() const { return pos - 1 + text.size(); }  // 0-based, one past the last
};

/// The tokens of s, ending with an End token at column s.size() + 1.
std::vector<Token> tokenize(const std::string& s, const std::string& label) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (true) {
    while (i < s.size() && lex::is_space(s[i])) ++i;
    if (i == s.size()) break;
    const std::size_t start = i;
    const char c = s[i];
    const char next = i + 1 < s.size() ? s[i + 1] : '\0';
    Token::Kind kind = Token::Symbol;
    if (lex::is_digit(c) || (c == '.' && lex::is_digit(next))) {
      const lex::Scanned r = lex::scan_decimal(s, i, true);
      if (!r.ok)
        throw ClaimError(label, start + 1,
                         "malformed number '" + s.substr(start, r.end - start) + "'");
      i = r.end;
      kind = Token::Number;
    } else if (lex::is_name_start(c)) {
      while (i < s.size() && lex::is_name_char(s[i])) ++i;
      kind = Token::Name;
    } else if ((c == '<' || c == '>') && next == '=') {
      i += 2;
    } else if (c == '.' && next == '.') {
      i += 2;
    } else if (c == '=' || (c == '!' && next == '=')) {
      throw ClaimError(label, start + 1,
                       "no equality comparison: write <= and >= (comparisons: <=, <, >=, >)");
    } else if (c != '\0' && std::strchr("+-*/^(),:<>", c)) {
      ++i;
    } else {
      throw ClaimError(label, start + 1, "unexpected character " + lex::describe_char(c));
    }
    out.push_back({kind, s.substr(start, i - start), start + 1});
  }
  out.push_back({Token::End, "", s.size() + 1});
  return out;
}

bool is_cmp(const Token& t) {
  return t.kind == Token::Symbol &&
         (t.text == "<=" || t.text == "<" || t.text == ">=" || t.text == ">");
}
bool is_matrix_name(const std::string& s) { return s == "A" || s == "B" || s == "E"; }

// ---- Exact evaluation of atom-free scalars (indices, forall bounds, with conditions) ----

/// Why an exact evaluation failed, and where: the position, and the values of the variables of
/// the sums being evaluated (", i = 2", innermost last).
struct ExactFailure {
  std::size_t pos;
  std::string reason;
  std::string where;
};

/// The exact rational square root of q, if it has one.
std::optional<Rational> exact_sqrt(const Rational& q) {
  if (q < 0) return std::nullopt;
  const bmp::mpz_int p = bmp::numerator(q), d = bmp::denominator(q);
  const bmp::mpz_int rp = bmp::sqrt(p), rd = bmp::sqrt(d);
  if (rp * rp != p || rd * rd != d) return std::nullopt;
  return Rational(rp, rd);
}

/// q^e exactly; e may be negative (q != 0 then).
Rational exact_power(const Rational& q, long e) {
  Rational r = 1;
  for (long i = 0; i < (e < 0 ? -e : e); ++i) r *= q;
  return e < 0 ? Rational(1 / r) : r;
}

using Env = std::vector<std::pair<std::string, Rational>>;

/// The value of a bound variable (the innermost binding).
const Rational& lookup(const Env& env, const std::string& name) {
  for (auto it = env.rbegin(); it != env.rend(); ++it)
    if (it->first == name) return it->second;
  throw std::logic_error("claim_lang: unbound variable " + name);
}

Rational exact_sum(const Node& e, int n, const Env& env, long& instances);

/// The exact value of an atom-free scalar node at n and env, its sums' instances added to
/// `instances`; throws ExactFailure.
Rational exact_value(const Node& e, int n, const Env& env, long& instances) {
  auto arg = [&](int i) { return exact_value(*e.kids[i], n, env, instances); };
  switch (e.k) {
    case K::Num:
      return e.value;
    case K::N:
      return n;
    case K::Var:
      return lookup(env, e.name);
    case K::Neg:
      return -arg(0);
    case K::Add:
      return arg(0) + arg(1);
    case K::Sub:
      return arg(0) - arg(1);
    case K::Mul:
      return arg(0) * arg(1);
    case K::Div: {
      const Rational a = arg(0), b = arg(1);
      if (b == 0) throw ExactFailure{e.pos, "division by zero"};
      return a / b;
    }
    case K::Pow: {
      const Rational a = arg(0);
      if (a == 0 && e.exponent < 0)
        throw ExactFailure{e.pos, "division by zero (0 to a negative power)"};
      return exact_power(a, e.exponent);
    }
    case K::Sqrt: {
      const Rational a = arg(0);
      if (a < 0) throw ExactFailure{e.pos, "sqrt of a negative number"};
      const auto r = exact_sqrt(a);
      if (!r) throw ExactFailure{e.pos, "sqrt of " + num::rational_text(a) + " is not rational"};
      return *r;
    }
    case K::Abs:
      return bmp::abs(arg(0));
    case K::Min:
      return std::min(arg(0), arg(1));
    case K::Max:
      return std::max(arg(0), arg(1));
    case K::Sum:
      return exact_sum(e, n, env, instances);
    default:
      throw std::logic_error("claim_lang: exact_value of a formula or an atom");
  }
}

/// The exact truth of an atom-free formula (a `with` condition) at n and env.
bool exact_holds(const Node& f, int n, const Env& env, long& instances) {
  auto part = [&](const NodePtr& p) { return exact_holds(*p, n, env, instances); };
  switch (f.k) {
    case K::And:
      return std::all_of(f.kids.begin(), f.kids.end(), part);
    case K::Or:
      return std::any_of(f.kids.begin(), f.kids.end(), part);
    case K::Cmp: {
      const Rational a = exact_value(*f.kids[0], n, env, instances);
      const Rational b = exact_value(*f.kids[1], n, env, instances);
      switch (f.cmp) {
        case Formula::Op::Le:
          return a <= b;
        case Formula::Op::Lt:
          return a < b;
        case Formula::Op::Ge:
          return a >= b;
        default:
          return a > b;
      }
    }
    default:
      throw std::logic_error("claim_lang: a forall in a 'with' condition");
  }
}

/// The exact value of bound `which` (0 lower, 1 upper) of the forall or sum node e, which must be
/// an integer.
Rational integer_bound(const Node& e, int which, int n, const Env& env, long& instances) {
  const Rational v = exact_value(*e.kids[which], n, env, instances);
  if (bmp::denominator(v) != 1)
    throw ExactFailure{which == 0 ? e.begin : e.end,
                       std::string("the ") + (which == 0 ? "lower" : "upper") + " bound of " +
                           (e.k == K::Sum ? "sum" : "forall") + " is " + num::rational_text(v) +
                           ", not an integer"};
  return v;
}

/// The integer range lo..hi of the sum node e at n and env; its hi - lo + 1 instances (none when
/// empty) are added to `instances`, refused past kMaxInstances.
std::pair<Rational, Rational> sum_range(const Node& e, int n, const Env& env, long& instances) {
  const Rational ends[2] = {integer_bound(e, 0, n, env, instances),
                            integer_bound(e, 1, n, env, instances)};
  if (ends[1] >= ends[0]) {
    if (ends[1] - ends[0] + 1 + instances > kMaxInstances)
      throw ExactFailure{e.pos, "this sum expands to more than 1000000 instances"};
    instances += (ends[1] - ends[0] + 1).convert_to<long>();
  }
  return {ends[0], ends[1]};
}

/// The exact value of an atom-free sum: its instances (the condition, if any, true) added exactly.
Rational exact_sum(const Node& e, int n, const Env& env, long& instances) {
  const auto [lo, hi] = sum_range(e, n, env, instances);
  Env inner = env;
  inner.emplace_back(e.vars[0], lo);
  Rational total = 0;
  for (Rational i = lo; i <= hi; i += 1) {
    inner.back().second = i;
    try {
      if (!e.kids[2] || exact_holds(*e.kids[2], n, inner, instances))
        total += exact_value(*e.kids[3], n, inner, instances);
    } catch (ExactFailure& f) {
      f.where = ", " + e.vars[0] + " = " + num::rational_text(i) + f.where;
      throw;
    }
  }
  return total;
}

/// The exact value of a constant (atom-free, n-free, VAR-free, sum-free) scalar node, if it is
/// rational.
std::optional<Rational> constant_value(const Node& e) {
  if (e.has_atom || e.has_free) return std::nullopt;
  try {
    long instances = 0;  // no sum here: has_free excludes them
    return exact_value(e, 1, {}, instances);
  } catch (const ExactFailure&) {
    return std::nullopt;
  }
}

// ---- Parser ----

/// A matrix expression being parsed, with its tree depth.
struct MRes {
  MatrixPtr p;
  int depth = 1;
};

/// Recursive descent over the grammar of proofs/claim-language.md.
class Parser {
 public:
  Parser(const std::string& text, const std::string& label)
      : label_(label), toks_(tokenize(text, label)) {
    index_parentheses();
  }

  /// The whole input as one formula.
  NodePtr parse_all() {
    if (peek().kind == Token::End) throw error(1, "empty claim");
    NodePtr f = formula();
    if (peek().kind != Token::End) {
      if (is_cmp(peek()))
        throw error(peek().pos, "a comparison cannot be chained: join two with 'and'");
      throw error(peek().pos, "unexpected '" + peek().text + "' after the end of the formula");
    }
    return f;
  }
  /// The matrix names met, in the order A, B, E.
  std::vector<char> names() const {
    std::vector<char> out;
    for (char c : {'A', 'B', 'E'})
      if (names_.find(c) != std::string::npos) out.push_back(c);
    return out;
  }

 private:
  std::string label_;
  std::vector<Token> toks_;
  std::size_t at_ = 0;
  int nesting_ = 0;
  std::vector<std::string> scope_;  // bound variables, innermost last
  std::vector<Node::Use> uses_;     // every bound-variable occurrence, in order
  std::string names_;               // matrix names met
  std::vector<std::size_t> match_;  // for a '(' token: its ')' (or the End token)
  std::vector<bool> formula_in_;    // for a '(' token: it encloses a token only a formula has
  std::vector<int> matrix_count_;   // prefix counts of tokens only a matrix has

  ClaimError error(std::size_t pos, const std::string& why) const {
    return ClaimError(label_, pos, why);
  }
  const Token& peek() const { return toks_[at_]; }
  Token take() { return toks_[at_ == toks_.size() - 1 ? at_ : at_++]; }
  bool at_symbol(const char* s) const { return peek().kind == Token::Symbol && peek().text == s; }
  bool at_name(const char* s) const { return peek().kind == Token::Name && peek().text == s; }
  std::size_t last_end() const { return at_ == 0 ? 0 : toks_[at_ - 1].end(); }
  void expect(const char* s, const std::string& what) {
    if (!at_symbol(s))
      throw error(
          peek().pos,
          "expected " + what + (peek().kind == Token::End ? "" : " before '" + peek().text + "'"));
    take();
  }

  /// Counts one level of recursion; refuses a claim nested too deeply.
  struct Nest {
    Parser& p;
    explicit Nest(Parser& pp) : p(pp) {
      if (++p.nesting_ > kMaxDepth)
        throw p.error(p.peek().pos, "nested too deeply (more than 1000 levels)");
    }
    ~Nest() { --p.nesting_; }
  };

  /// Matches parentheses and finds the tokens that decide what a '(' starts
  /// (proofs/claim-language.md: a '(' starts a formula only when it encloses a comparison or a
  /// connective outside the 'with' condition of a sum; in a matrix it starts a matrix only when it
  /// encloses a matrix name).
  void index_parentheses() {
    match_.assign(toks_.size(), toks_.size() - 1);
    formula_in_.assign(toks_.size(), false);
    matrix_count_.assign(toks_.size() + 1, 0);
    std::vector<std::size_t> open;
    // a formula token marks its innermost '('; a closed '(' passes the mark outward unless it is
    // the '(' of a sum, whose condition is its own
    auto close = [&] {
      const std::size_t o = open.back();
      open.pop_back();
      const bool of_sum = o > 0 && toks_[o - 1].kind == Token::Name && toks_[o - 1].text == "sum";
      if (formula_in_[o] && !of_sum && !open.empty()) formula_in_[open.back()] = true;
      return o;
    };
    for (std::size_t i = 0; i < toks_.size(); ++i) {
      const Token& t = toks_[i];
      const bool f = is_cmp(t) || (t.kind == Token::Name &&
                                   (t.text == "and" || t.text == "or" || t.text == "forall"));
      const bool m = t.kind == Token::Name && (is_matrix_name(t.text) || t.text == "sym");
      if (f && !open.empty()) formula_in_[open.back()] = true;
      matrix_count_[i + 1] = matrix_count_[i] + m;
      if (t.kind == Token::Symbol && t.text == "(") open.push_back(i);
      if (t.kind == Token::Symbol && t.text == ")" && !open.empty()) match_[close()] = i;
    }
    while (!open.empty()) close();  // unclosed: the parser reports the missing ')'
  }
  bool encloses(const std::vector<int>& count) const { return count[match_[at_]] - count[at_] > 0; }
  bool encloses_formula() const { return formula_in_[at_]; }

  /// A node over kids, with its depth and flags; refuses a tree deeper than kMaxDepth.
  std::shared_ptr<Node> node(K k, std::vector<NodePtr> kids, std::size_t pos) {
    auto n = std::make_shared<Node>();
    n->k = k;
    n->pos = pos;
    for (const NodePtr& c : kids) {
      if (!c) continue;
      n->depth = std::max(n->depth, c->depth + 1);
      n->has_atom |= c->has_atom;
      n->has_free |= c->has_free;
    }
    if (n->depth > kMaxDepth) throw error(pos, "nested too deeply (more than 1000 levels)");
    n->kids = std::move(kids);
    return n;
  }

  // ---- formulas ----

  NodePtr formula() {
    if (!at_name("forall")) return disj();
    Nest guard(*this);
    return forall();
  }

  /// A variable name for a forall or a sum (`binder`): not reserved, not already bound.
  std::string new_variable(const std::vector<std::string>& so_far, const char* binder = "forall") {
    const Token t = take();
    if (t.kind != Token::Name)
      throw error(t.pos, std::string("expected a variable name after '") + binder + "'");
    if (is_reserved(t.text))
      throw error(t.pos, "'" + t.text + "' is reserved and cannot be a variable");
    if (std::count(scope_.begin(), scope_.end(), t.text) ||
        std::count(so_far.begin(), so_far.end(), t.text))
      throw error(t.pos, "variable '" + t.text + "' is already bound");
    return t.text;
  }

  NodePtr forall() {
    const Token kw = take();
    std::vector<std::string> vars{new_variable({})};
    while (at_symbol(",")) {
      take();
      vars.push_back(new_variable(vars));
    }
    if (!at_name("in")) throw error(peek().pos, "expected 'in' after the variables of forall");
    take();
    const std::size_t lo_pos = peek().pos;
    NodePtr lo = bound_scalar("lower", "forall");
    expect("..", "'..' between the bounds of forall");
    const std::size_t hi_pos = peek().pos;
    NodePtr hi = bound_scalar("upper", "forall");
    scope_.insert(scope_.end(), vars.begin(), vars.end());
    NodePtr with = at_name("with") ? condition("forall") : nullptr;
    if (!at_symbol(":")) throw error(peek().pos, "expected ':' after the range of forall");
    take();
    NodePtr body = formula();
    scope_.resize(scope_.size() - vars.size());
    auto n = node(K::Forall, {lo, hi, with, body}, kw.pos);
    n->vars = std::move(vars);
    n->begin = lo_pos;
    n->end = hi_pos;
    return n;
  }

  static bool has_forall(const Node& f) {
    if (f.k == K::Forall) return true;
    if (f.k != K::And && f.k != K::Or) return false;
    return std::any_of(f.kids.begin(), f.kids.end(),
                       [](const NodePtr& p) { return has_forall(*p); });
  }

  /// A bound of a forall or a sum (`binder`): a scalar without atoms.
  NodePtr bound_scalar(const char* which, const char* binder) {
    const std::size_t pos = peek().pos;
    NodePtr e = scalar();
    if (e->has_atom)
      throw error(pos, std::string("the ") + which + " bound of " + binder + " cannot use an atom");
    return e;
  }

  /// A `with` condition of a forall or a sum (`binder`): a formula without atoms or foralls.
  NodePtr condition(const char* binder) {
    const std::size_t pos = take().pos;
    NodePtr with = formula();
    if (with->has_atom)
      throw error(pos, std::string("the 'with' condition of ") + binder + " cannot use an atom");
    if (has_forall(*with))
      throw error(pos, std::string("the 'with' condition of ") + binder + " cannot contain a forall");
    return with;
  }

  NodePtr disj() {
    std::vector<NodePtr> parts{conj()};
    const std::size_t pos = parts[0]->pos;
    while (at_name("or")) {
      take();
      parts.push_back(conj());
    }
    return parts.size() == 1 ? parts[0] : node(K::Or, std::move(parts), pos);
  }

  NodePtr conj() {
    std::vector<NodePtr> parts{atomf()};
    const std::size_t pos = parts[0]->pos;
    while (at_name("and")) {
      take();
      parts.push_back(atomf());
    }
    return parts.size() == 1 ? parts[0] : node(K::And, std::move(parts), pos);
  }

  NodePtr atomf() {
    if (at_symbol("(") && encloses_formula()) {
      Nest guard(*this);
      take();
      NodePtr f = formula();
      expect(")", "')'");
      return f;
    }
    const std::size_t first = at_;
    const std::size_t uses_before = uses_.size();
    NodePtr lhs = scalar();
    if (!is_cmp(peek())) {
      if (peek().kind == Token::End)
        throw error(peek().pos, "expected a comparison (<=, <, >=, >)");
      throw error(peek().pos, "expected a comparison (<=, <, >=, >) before '" + peek().text + "'");
    }
    const Token op = take();
    NodePtr rhs = scalar();
    auto n = node(K::Cmp, {lhs, rhs}, toks_[first].pos);
    n->cmp = op.text == "<="   ? Formula::Op::Le
             : op.text == "<"  ? Formula::Op::Lt
             : op.text == ">=" ? Formula::Op::Ge
                               : Formula::Op::Gt;
    n->begin = toks_[first].pos - 1;
    n->end = last_end();
    n->uses.assign(uses_.begin() + static_cast<long>(uses_before), uses_.end());
    return n;
  }

  // ---- scalars ----

  NodePtr scalar() {
    NodePtr e = term();
    while (at_symbol("+") || at_symbol("-")) {
      const Token op = take();
      NodePtr rhs = term();
      e = node(op.text == "+" ? K::Add : K::Sub, {e, rhs}, op.pos);
    }
    return e;
  }

  NodePtr term() {
    NodePtr e = unary();
    while (at_symbol("*") || at_symbol("/")) {
      const Token op = take();
      const std::size_t pos = peek().pos;
      NodePtr rhs = unary();
      if (op.text == "/") {
        const auto v = constant_value(*rhs);
        if (v && *v == 0) throw error(pos, "division by zero");
      }
      e = node(op.text == "*" ? K::Mul : K::Div, {e, rhs}, op.text == "/" ? pos : op.pos);
    }
    return e;
  }

  NodePtr unary() {
    if (at_symbol("-")) {
      Nest guard(*this);
      const Token op = take();
      return node(K::Neg, {unary()}, op.pos);
    }
    return power();
  }

  NodePtr power() {
    NodePtr base = primary();
    if (!at_symbol("^")) return base;
    const Token caret = take();
    const long e = exponent();
    const auto v = constant_value(*base);
    if (e < 0 && v && *v == 0) throw error(caret.pos, "division by zero (0 to a negative power)");
    auto n = node(K::Pow, {base}, caret.pos);
    n->exponent = e;
    return n;
  }

  /// The exponent after '^': ['-'] INT or '(' ['-'] INT ')', |INT| <= 64.
  long exponent() {
    const bool paren = at_symbol("(");
    if (paren) take();
    const bool neg = at_symbol("-");
    if (neg) take();
    const Token t = take();
    if (t.kind != Token::Number)
      throw error(t.pos, "exponent must be an integer constant (x^2, x^-1, x^(-3))");
    const Rational v = number_value(t);
    if (bmp::denominator(v) != 1)
      throw error(t.pos, "exponent must be an integer, not '" + t.text + "'");
    if (v > kMaxExponent) throw error(t.pos, "exponent " + t.text + " is too large (at most 64)");
    if (paren) expect(")", "')' after the exponent");
    const long e = bmp::numerator(v).convert_to<long>();
    return neg ? -e : e;
  }

  Rational number_value(const Token& t) const {
    try {
      return num::parse_rational(t.text);
    } catch (const std::exception&) {  // exponent beyond 1e+-100000, or beyond a long
      throw error(t.pos, "number out of range '" + t.text + "'");
    }
  }

  NodePtr primary() {
    const Token t = take();
    if (t.kind == Token::Number) {
      auto n = node(K::Num, {}, t.pos);
      n->value = number_value(t);
      return n;
    }
    if (t.kind == Token::Name) return name(t);
    if (t.kind == Token::End) throw error(t.pos, "expected a number, n, a variable or an atom");
    if (t.text != "(") throw error(t.pos, "unexpected '" + t.text + "'");
    Nest guard(*this);
    NodePtr e = scalar();
    expect(")", "')'");
    return e;
  }

  NodePtr name(const Token& t) {
    if (t.text == "n") {
      auto n = node(K::N, {}, t.pos);
      n->has_free = true;
      return n;
    }
    if (std::count(scope_.begin(), scope_.end(), t.text)) {
      auto n = node(K::Var, {}, t.pos);
      n->name = t.text;
      n->has_free = true;
      uses_.push_back({t.pos - 1, t.text.size(), t.text});
      return n;
    }
    if (t.text == "sum") return sum(t);
    if (const FuncName* f = find_func(t.text)) return call(t, *f);
    if (const AtomName* a = find_atom(t.text)) return atom(t, a->kind);
    if (is_matrix_name(t.text))
      throw error(t.pos, "a matrix is not a number: use an atom such as norm(" + t.text + ")");
    if (t.text == "forall")
      throw error(t.pos, "a forall joined by and / or must be in parentheses: (forall ...)");
    if (is_reserved(t.text)) throw error(t.pos, "unexpected '" + t.text + "'");
    throw error(t.pos, "unknown name '" + t.text + "' (atoms: " + kAtomList + ")");
  }

  NodePtr call(const Token& t, const FuncName& f) {
    Nest guard(*this);
    expect("(", "'(' after '" + t.text + "'");
    std::vector<NodePtr> args{scalar()};
    while (at_symbol(",")) {
      take();
      args.push_back(scalar());
    }
    expect(")", "')'");
    if (static_cast<int>(args.size()) != f.arity)
      throw error(t.pos, t.text + " takes " + std::to_string(f.arity) +
                             (f.arity == 1 ? " argument" : " arguments"));
    return node(f.k, std::move(args), t.pos);
  }

  /// sum '(' VAR 'in' LO '..' HI ['with' C] ':' EXPR ')': VAR is bound in C and EXPR only.
  NodePtr sum(const Token& kw) {
    Nest guard(*this);
    expect("(", "'(' after 'sum'");
    std::string var = new_variable({}, "sum(");
    if (!at_name("in")) throw error(peek().pos, "expected 'in' after the variable of sum");
    take();
    const std::size_t lo_pos = peek().pos;
    NodePtr lo = bound_scalar("lower", "sum");
    expect("..", "'..' between the bounds of sum");
    const std::size_t hi_pos = peek().pos;
    NodePtr hi = bound_scalar("upper", "sum");
    const std::size_t uses_before = uses_.size();
    scope_.push_back(var);
    NodePtr with = at_name("with") ? condition("sum") : nullptr;
    if (!at_symbol(":")) throw error(peek().pos, "expected ':' after the range of sum");
    take();
    NodePtr body = scalar();
    scope_.pop_back();
    expect(")", "')' closing sum");
    // a comparison's text substitutes forall variables only: the sum's own stays as written
    uses_.erase(std::remove_if(uses_.begin() + static_cast<long>(uses_before), uses_.end(),
                               [&](const Node::Use& u) { return u.name == var; }),
                uses_.end());
    auto n = node(K::Sum, {lo, hi, with, body}, kw.pos);
    n->has_free = true;  // never folded while parsing: its instances count at instantiation
    n->vars = {std::move(var)};
    n->begin = lo_pos;
    n->end = hi_pos;
    return n;
  }

  NodePtr atom(const Token& t, AtomKind kind) {
    Nest guard(*this);
    expect("(", "'(' after '" + t.text + "'");
    NodePtr index;
    std::size_t begin = 0, end = 0;
    if (kind == AtomKind::Lambda) {
      const std::size_t pos = peek().pos;
      begin = pos - 1;
      index = scalar();
      end = last_end();
      if (index->has_atom) throw error(pos, "the index of lambda cannot use an atom");
      expect(",", "',' after the index of lambda");
    }
    auto n = node(K::Atom, {index}, t.pos);
    n->has_atom = true;
    n->atom = kind;
    n->begin = begin;
    n->end = end;
    n->m = matrix().p;
    if (kind == AtomKind::Rayleigh) {
      expect(",", "',' between the two matrices of rayleigh");
      n->m2 = matrix().p;
    }
    expect(")", std::string("')' closing ") + t.text);
    return n;
  }

  // ---- matrices ----

  MRes matrix() {
    MRes t = mterm();
    while (at_symbol("+") || at_symbol("-")) {
      const Token op = take();
      MRes u = mterm();
      const int depth = std::max(t.depth, u.depth) + 1;
      if (depth > kMaxDepth) throw error(op.pos, "nested too deeply (more than 1000 levels)");
      t = {matrix_sum(op.text == "+" ? MatrixExpr::Op::Add : MatrixExpr::Op::Sub, t.p, u.p), depth};
    }
    return t;
  }

  /// The factors of a product: its rational scale and its matrix factors (scales taken out).
  struct Product {
    Rational scale = 1;
    std::vector<MRes> factors;
    std::vector<std::size_t> positions;
  };

  Product product() {
    Product p;
    if (at_symbol("-")) {
      take();
      p.scale = -1;
    }
    mfactor(p);
    while (at_symbol("*") || at_symbol("/")) {
      if (take().text == "*") {
        mfactor(p);
        continue;
      }
      const std::size_t pos = peek().pos;
      if ((peek().kind == Token::Name && (is_matrix_name(peek().text) || peek().text == "sym")) ||
          (at_symbol("(") && encloses(matrix_count_)))
        throw error(pos, "cannot divide by a matrix");
      const Rational q = constant();
      if (q == 0) throw error(pos, "division by zero");
      p.scale /= q;
    }
    return p;
  }

  /// One factor of a product into p: a matrix (its scale taken out) or a constant.
  void mfactor(Product& p) {
    Nest guard(*this);  // sym( and ( nest here
    const Token& t = peek();
    const std::size_t pos = t.pos;
    MRes m;
    if (t.kind == Token::Name && is_matrix_name(t.text)) {
      names_ += t.text;
      m = {matrix_name(take().text[0]), 1};
    } else if (t.kind == Token::Name && t.text == "sym") {
      m = sym();
    } else if (at_symbol("(") && encloses(matrix_count_)) {
      take();
      m = matrix();
      expect(")", "')'");
    } else if (t.kind == Token::Number || at_symbol("(")) {
      p.scale *= constant();
      return;
    } else if (t.kind == Token::Name && !is_reserved(t.text) &&
               !std::count(scope_.begin(), scope_.end(), t.text)) {
      throw error(pos, "unknown matrix '" + t.text + "' (matrices: A, B, E, sym(X*Y))");
    } else if (t.kind == Token::Name) {
      throw error(pos, "'" + t.text + "' in a matrix: a matrix is scaled only by numbers");
    } else {
      throw error(pos, t.kind == Token::End ? "expected a matrix"
                                            : "expected a matrix, found '" + t.text + "'");
    }
    if (m.p->op == MatrixExpr::Op::Scale) {
      p.scale *= m.p->scale;
      m.p = m.p->x;
    }
    p.factors.push_back(m);
    p.positions.push_back(pos);
  }

  /// A term of a matrix sum: a scaled matrix, or X*X.
  MRes mterm() {
    const std::size_t pos = peek().pos;
    Product p = product();
    if (p.factors.empty())
      throw error(pos, "a number is not a matrix (there is no identity matrix)");
    if (p.factors.size() > 2)
      throw error(p.positions[2],
                  "three matrix factors in one product (at most two: X*X or sym(X*Y))");
    MRes m = p.factors[0];
    if (p.factors.size() == 2) {
      const MatrixExpr &x = *p.factors[0].p, &y = *p.factors[1].p;
      const std::string xy = operand_text(x) + "*" + operand_text(y);
      if (x.text != y.text)
        throw error(p.positions[0], xy + " is not symmetric: write sym(" + xy + ")");
      m = {matrix_product(MatrixExpr::Op::Square, p.factors[0].p, nullptr),
           std::max(p.factors[0].depth, p.factors[1].depth) + 1};
    }
    if (m.depth + 1 > kMaxDepth) throw error(pos, "nested too deeply (more than 1000 levels)");
    return {matrix_scale(p.scale, m.p), m.depth + 1};
  }

  /// sym '(' X '*' Y ')': the symmetric product (XY + YX)/2, any scale taken out.
  MRes sym() {
    const Token kw = take();
    expect("(", "'(' after 'sym'");
    const std::size_t pos = peek().pos;
    Product p = product();
    if (p.factors.size() != 2 || !at_symbol(")"))
      throw error(pos, "sym takes a product of two matrices, sym(X*Y)");
    take();
    const int depth = std::max(p.factors[0].depth, p.factors[1].depth) + 2;
    if (depth > kMaxDepth) throw error(kw.pos, "nested too deeply (more than 1000 levels)");
    MatrixPtr s = matrix_product(MatrixExpr::Op::SymProduct, p.factors[0].p, p.factors[1].p);
    return {matrix_scale(p.scale, s), depth};
  }

  /// constant := NUMBER | '(' constant-expression ')', evaluated exactly.
  Rational constant() {
    const Token t = take();
    if (t.kind == Token::Number) return number_value(t);
    if (t.kind == Token::Symbol && t.text == "(") {
      Nest guard(*this);
      const Rational v = cexpr();
      expect(")", "')'");
      return v;
    }
    if (t.kind == Token::Name)
      throw error(t.pos, "'" + t.text + "' in a matrix: a matrix is scaled only by numbers");
    throw error(t.pos, t.kind == Token::End ? "expected a number"
                                            : "expected a number, found '" + t.text + "'");
  }

  Rational cexpr() {
    Rational v = cterm();
    while (at_symbol("+") || at_symbol("-")) v = take().text == "+" ? v + cterm() : v - cterm();
    return v;
  }

  Rational cterm() {
    Rational v = cunary();
    while (at_symbol("*") || at_symbol("/")) {
      const bool mul = take().text == "*";
      const std::size_t pos = peek().pos;
      const Rational w = cunary();
      if (!mul && w == 0) throw error(pos, "division by zero");
      v = mul ? Rational(v * w) : Rational(v / w);
    }
    return v;
  }

  Rational cunary() {
    if (at_symbol("-")) {
      Nest guard(*this);
      take();
      return -cunary();
    }
    if (peek().kind == Token::Name && (is_matrix_name(peek().text) || peek().text == "sym"))
      throw error(peek().pos, "a matrix inside a number");
    return constant();
  }
};

}  // namespace

ParsedClaim ParsedClaim::parse(const std::string& text, const std::string& label) {
  ParsedClaim c;
  c.text_ = text;
  c.label_ = label;
  Parser p(c.text_, label);
  c.root_ = p.parse_all();
  c.names_ = p.names();
  return c;
}

std::vector<char> ParsedClaim::matrix_names() const { return names_; }

namespace {

/// The ground operation of a scalar operator node.
Scalar::Op ground_op(K k) {
  using Op = Scalar::Op;
  static const std::pair<K, Op> kOps[] = {{K::Neg, Op::Neg},   {K::Add, Op::Add}, {K::Sub, Op::Sub},
                                          {K::Mul, Op::Mul},   {K::Div, Op::Div}, {K::Pow, Op::Pow},
                                          {K::Sqrt, Op::Sqrt}, {K::Abs, Op::Abs}, {K::Min, Op::Min},
                                          {K::Max, Op::Max}};
  for (const auto& [from, to] : kOps)
    if (from == k) return to;
  throw std::logic_error("claim_lang: a formula where a scalar belongs");
}

/// Expands one parsed claim at dimension n into ground formulas, adding its matrices and atoms to
/// the ground's tables (each distinct canonical text once).
class Instantiator {
 public:
  /// The tables one instantiation shares between its given and its claim.
  struct Tables {
    Ground& g;
    std::unordered_map<std::string, int> matrix_ids, atom_ids;  // canonical text -> index
    long instances = 0;                                 // forall and sum instances so far
  };
  /// Instantiates the claim text `source` (labelled `label` in errors) into t.
  Instantiator(Tables& t, const std::string& label, const std::string& source)
      : t_(t), g_(t.g), label_(label), source_(source) {}

  FormulaPtr formula(const Node& f, const std::string& where) {
    switch (f.k) {
      case K::Forall:
        return forall(f, where);
      case K::And:
      case K::Or: {
        auto out = std::make_shared<Formula>();
        out->op = f.k == K::And ? Formula::Op::And : Formula::Op::Or;
        out->where = where;
        out->position = f.pos;
        for (const NodePtr& p : f.kids) out->parts.push_back(formula(*p, where));
        return out;
      }
      case K::Cmp: {
        auto out = std::make_shared<Formula>();
        out->op = f.cmp;
        out->lhs = scalar(*f.kids[0]);
        out->rhs = scalar(*f.kids[1]);
        out->where = where;
        out->text = comparison_text(f);
        out->position = f.pos;
        return out;
      }
      default:
        throw std::logic_error("claim_lang: a scalar where a formula belongs");
    }
  }

 private:
  Tables& t_;
  Ground& g_;
  const std::string& label_;
  const std::string& source_;  // the claim's text, for comparison texts and messages
  Env env_;

  ClaimError error(std::size_t pos, const std::string& why) const {
    return ClaimError(label_, pos, why);
  }

  /// The result of an exact evaluation `run` here; a failure is a ClaimError at its position.
  template <class Run>
  auto exactly(Run run) const {
    try {
      return run();
    } catch (const ExactFailure& f) {
      throw error(f.pos, f.reason + " (n = " + std::to_string(g_.n) + where_suffix() + f.where + ")");
    }
  }
  /// The exact value of an atom-free scalar here.
  Rational exact(const Node& e) const {
    return exactly([&] { return exact_value(e, g_.n, env_, t_.instances); });
  }
  std::string where_suffix() const {
    std::string s;
    for (const auto& [name, v] : env_) s += ", " + name + " = " + num::rational_text(v);
    return s;
  }

  /// The comparison's source text with each bound variable replaced by its value.
  std::string comparison_text(const Node& f) const {
    std::string out;
    std::size_t at = f.begin;
    for (const Node::Use& u : f.uses) {
      out += source_.substr(at, u.offset - at) + num::rational_text(lookup(env_, u.name));
      at = u.offset + u.length;
    }
    return out + source_.substr(at, f.end - at);
  }

  /// A forall: the And of its instances (those whose `with` holds), in lexicographic order.
  FormulaPtr forall(const Node& f, const std::string& where) {
    const Rational lo = exactly([&] { return integer_bound(f, 0, g_.n, env_, t_.instances); });
    const Rational hi = exactly([&] { return integer_bound(f, 1, g_.n, env_, t_.instances); });
    auto out = std::make_shared<Formula>();
    out->op = Formula::Op::And;
    out->where = where;
    out->position = f.pos;
    if (hi < lo) return out;  // an empty range: vacuously true
    const Rational width = hi - lo + 1;
    Rational count = 1;
    for (std::size_t i = 0; i < f.vars.size() && count <= kMaxInstances; ++i) count *= width;
    if (count + t_.instances > kMaxInstances)
      throw error(f.pos, "this forall expands to more than 1000000 instances (n = " +
                             std::to_string(g_.n) + ")");
    t_.instances += count.convert_to<long>();
    const std::size_t base = env_.size();
    for (const std::string& v : f.vars) env_.emplace_back(v, lo);
    while (true) {
      if (!f.kids[2] || holds_exactly(*f.kids[2])) {
        std::string w = where;
        for (std::size_t i = base; i < env_.size(); ++i)
          w += (w.empty() ? "" : ", ") + env_[i].first + " = " + num::rational_text(env_[i].second);
        out->parts.push_back(formula(*f.kids[3], w));
      }
      std::size_t i = env_.size();  // the next tuple, the last variable fastest
      while (i > base && env_[i - 1].second == hi) env_[--i].second = lo;
      if (i == base) break;
      env_[i - 1].second += 1;
    }
    env_.resize(base);
    return out;
  }

  /// The exact truth of an atom-free formula (a `with` condition) here.
  bool holds_exactly(const Node& f) const {
    return exactly([&] { return exact_holds(f, g_.n, env_, t_.instances); });
  }

  /// The ground scalar: n and variables become numbers, atom-free parts are folded exactly when
  /// they are rational and defined (otherwise evaluation reports them).
  ScalarPtr scalar(const Node& e) {
    auto out = std::make_shared<Scalar>();
    out->position = e.pos;
    if (!e.has_atom && e.k != K::Num) {
      const long instances = t_.instances;
      try {
        out->value = exact_value(e, g_.n, env_, t_.instances);
        return out;
      } catch (const ExactFailure&) {  // keep the operations: evaluation gives the reason
        t_.instances = instances;      // (a sum's range error is raised by its expansion)
      }
    }
    if (e.k == K::Sum) return sum(e);
    if (e.k == K::Num || e.k == K::N || e.k == K::Var) {  // not reached for N, Var: folded above
      out->value = e.k == K::Num ? e.value : e.k == K::N ? Rational(g_.n) : lookup(env_, e.name);
      return out;
    }
    if (e.k == K::Atom) {
      out->op = Scalar::Op::Atom;
      out->atom = atom(e);
      return out;
    }
    out->op = ground_op(e.k);
    out->exponent = e.exponent;
    out->a = scalar(*e.kids[0]);
    if (e.kids.size() > 1) out->b = scalar(*e.kids[1]);
    return out;
  }

  /// A sum: the additions of its instances (those whose `with` holds), grouped as a balanced tree
  /// so that evaluation recurses only to depth log2 of the count (exact addition is associative;
  /// proofs/claim-language.md, section 1.1); an empty sum is 0.
  ScalarPtr sum(const Node& e) {
    const auto [lo, hi] = exactly([&] { return sum_range(e, g_.n, env_, t_.instances); });
    std::vector<ScalarPtr> terms;
    const std::size_t at = env_.size();
    env_.emplace_back(e.vars[0], lo);
    for (Rational i = lo; i <= hi; i += 1) {
      env_[at].second = i;
      if (!e.kids[2] || holds_exactly(*e.kids[2])) terms.push_back(scalar(*e.kids[3]));
    }
    env_.resize(at);
    return add_all(terms, 0, terms.size(), e.pos);
  }

  /// terms[b] + ... + terms[e - 1] as a balanced tree of additions (0 when there are none).
  static ScalarPtr add_all(const std::vector<ScalarPtr>& terms, std::size_t b, std::size_t e,
                           std::size_t pos) {
    if (e - b == 1) return terms[b];
    auto out = std::make_shared<Scalar>();
    out->position = pos;
    if (e == b) return out;  // Num 0
    const std::size_t mid = b + (e - b) / 2;
    out->op = Scalar::Op::Add;
    out->a = add_all(terms, b, mid, pos);
    out->b = add_all(terms, mid, e, pos);
    return out;
  }

  /// The index of matrix m in the ground's table (added when new).
  int matrix(const MatrixPtr& m) {
    const auto [it, added] = t_.matrix_ids.emplace(m->text, static_cast<int>(g_.matrices.size()));
    if (added) g_.matrices.push_back(m);
    return it->second;
  }

  /// The index of the atom e at this instance in the ground's table (added when new).
  int atom(const Node& e) {
    Atom a;
    a.kind = e.atom;
    a.m = matrix(e.m);
    const std::string& mt = e.m->text;
    if (e.atom == AtomKind::Lambda) {
      const Rational k = exact(*e.kids[0]);
      const std::string idx = source_.substr(e.begin, e.end - e.begin);
      const std::string value = num::rational_text(k);
      const std::string shown = "lambda index " + idx + (idx == value ? "" : " = " + value);
      if (bmp::denominator(k) != 1)
        throw error(e.begin + 1, shown + " is not an integer" + context());
      if (k < 1 || k > g_.n)
        throw error(e.begin + 1,
                    shown + " is outside 1..n for n = " + std::to_string(g_.n) + where_suffix());
      a.k = k.convert_to<int>();
      a.text = "lambda(" + std::to_string(a.k) + ", " + mt + ")";
    } else if (e.atom == AtomKind::Rayleigh) {
      a.m2 = matrix(e.m2);
      a.text = "rayleigh(" + mt + ", " + e.m2->text + ")";
    } else {
      if (e.atom == AtomKind::Gap && g_.n < 2)
        throw error(e.pos, "gap(" + mt + ") needs n >= 2 (lambda_2 does not exist for n = 1)");
      a.text = std::string(atom_name(e.atom)) + "(" + mt + ")";
    }
    const auto [it, added] = t_.atom_ids.emplace(a.text, static_cast<int>(g_.atoms.size()));
    if (added) g_.atoms.push_back(std::move(a));
    return it->second;
  }
  std::string context() const { return " (n = " + std::to_string(g_.n) + where_suffix() + ")"; }
};

}  // namespace

Ground instantiate(const ParsedClaim& claim, const ParsedClaim* given, int n) {
  if (n < 1)
    throw std::invalid_argument("claim_lang: instantiate at n = " + std::to_string(n) + " < 1");
  Ground g;
  g.n = n;
  Instantiator::Tables tables{g, {}, {}, 0};
  for (const ParsedClaim* c : {given, &claim}) {
    if (!c) continue;
    if (!c->root_)
      throw std::logic_error("claim_lang: instantiate of a claim that was never parsed");
    (c == given ? g.given : g.claim) =
        Instantiator(tables, c->label_, c->text_).formula(*c->root_, "");
  }
  return g;
}

// ---- Evaluation ----

namespace {

using namespace ops;  // NOLINT: the interval primitives (interval_ops.hpp)

/// "[lo, hi]" of an enclosure, for messages only (ends rounded to 17 digits).
std::string show(double lo, double hi) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "[%.17g, %.17g]", lo, hi);
  return buf;
}
std::string show(const Ival& x) { return show(x.lo, x.hi); }
std::string show(const MpIval& x) { return show(num::to_ival(x)); }
std::string show(const RatIval& x) {
  if (x.whole) return "(-inf, inf)";
  return show(x.lo.convert_to<double>(), x.hi.convert_to<double>());
}

std::string at(std::size_t pos) { return " at position " + std::to_string(pos); }

/// Appends the exact ends of a bounded enclosure to `out`; false when an end is infinite.
bool rational_ends(const Ival& x, std::vector<Rational>& out) {
  if (!x.is_finite()) return false;
  out.push_back(num::lower_rational(x)), out.push_back(num::upper_rational(x));
  return true;
}
bool rational_ends(const MpIval& x, std::vector<Rational>& out) {
  if (!num::isfinite(lower(x)) || !num::isfinite(upper(x))) return false;
  out.push_back(num::lower_rational(x)), out.push_back(num::upper_rational(x));
  return true;
}
bool rational_ends(const RatIval& x, std::vector<Rational>& out) {
  if (x.whole) return false;
  out.push_back(x.lo), out.push_back(x.hi);
  return true;
}

template <class I>
using Val = Value<I>;

template <class I>
Val<I> defined(I x) {
  Val<I> v;
  v.x = no_nan(x);
  return v;
}
template <class I>
Val<I> undefined(typename Val<I>::Def def, std::string why) {
  Val<I> v;
  v.x = entire(Tag<I>{});
  v.def = def;
  v.why = std::move(why);
  return v;
}

template <class I>
Val<I> eval_scalar(const Scalar& e, const std::vector<Val<I>>& atoms);

/// The first operand not Defined (Undefined before MaybeUndefined), or nullptr.
template <class I>
const Val<I>* not_defined(const Val<I>& a, const Val<I>* b) {
  using D = typename Val<I>::Def;
  if (a.def == D::Undefined) return &a;
  if (b && b->def == D::Undefined) return b;
  if (a.def == D::MaybeUndefined) return &a;
  if (b && b->def == D::MaybeUndefined) return b;
  return nullptr;
}

/// Encloses x / y: Undefined when y is certified 0, MaybeUndefined when y contains 0.
template <class I>
Val<I> checked_divide(const I& x, const I& y, std::size_t pos) {
  using D = typename Val<I>::Def;
  if (is_zero(y)) return undefined<I>(D::Undefined, "division by zero" + at(pos));
  if (contains_zero(y))
    return undefined<I>(D::MaybeUndefined, "division by a value that may be 0" + at(pos));
  return defined<I>(x / y);
}

/// Encloses the operation of e on its operands' enclosures x (and y).
template <class I>
Val<I> apply(const Scalar& e, const I& x, const I& y) {
  using D = typename Val<I>::Def;
  using Op = Scalar::Op;
  switch (e.op) {
    case Op::Neg:
      return defined<I>(-x);
    case Op::Add:
      return defined<I>(x + y);
    case Op::Sub:
      return defined<I>(x - y);
    case Op::Mul:
      return defined<I>(x * y);
    case Op::Div:
      return checked_divide(x, y, e.position);
    case Op::Abs:
      return defined<I>(abs(x));
    case Op::Min:
      return defined<I>(min_of(x, y));
    case Op::Max:
      return defined<I>(max_of(x, y));
    case Op::Sqrt:
      if (hi_sign(x) < 0)
        return undefined<I>(D::Undefined, "sqrt of a negative value" + at(e.position));
      if (lo_sign(x) < 0)
        return undefined<I>(D::MaybeUndefined,
                            "sqrt of a value that may be negative" + at(e.position));
      return defined<I>(sqrt(x));
    case Op::Pow:
      if (e.exponent >= 0) return defined<I>(int_power(x, e.exponent));
      return checked_divide(I(1), int_power(x, -e.exponent), e.position);
    default:
      throw std::logic_error("claim_lang: apply on a leaf");
  }
}

/// Encloses the value of e (or says why it is, or may be, undefined).
template <class I>
Val<I> eval_scalar(const Scalar& e, const std::vector<Val<I>>& atoms) {
  if (e.op == Scalar::Op::Num) return defined<I>(from_rational(e.value, Tag<I>{}));
  if (e.op == Scalar::Op::Atom) {
    const Val<I>& v = atoms.at(static_cast<std::size_t>(e.atom));
    if (v.def == Val<I>::Def::Defined) return v;
    return undefined<I>(
        v.def, (v.why.empty() ? std::string("the atom is undefined") : v.why) + at(e.position));
  }
  const Val<I> a = eval_scalar(*e.a, atoms);
  std::optional<Val<I>> b;
  if (e.b) b = eval_scalar(*e.b, atoms);
  if (const Val<I>* bad = not_defined(a, b ? &*b : nullptr)) return *bad;
  return apply(e, a.x, b ? b->x : a.x);
}

/// The distinct atoms of e, in order of first appearance, appended to out.
void collect_atoms(const Scalar& e, std::vector<int>& out) {
  if (e.op == Scalar::Op::Atom) {
    if (std::find(out.begin(), out.end(), e.atom) == out.end()) out.push_back(e.atom);
    return;
  }
  if (e.a) collect_atoms(*e.a, out);
  if (e.b) collect_atoms(*e.b, out);
}

/// The truth of l OP r over the enclosures (Le: True when upper(l) <= lower(r), False when
/// lower(l) > upper(r); Lt: True when upper(l) < lower(r), False when lower(l) >= upper(r)).
template <class I>
Truth compare(Formula::Op op, const I& l, const I& r) {
  switch (op) {
    case Formula::Op::Le:
      return hi_le_lo(l, r) ? Truth::True : hi_lt_lo(r, l) ? Truth::False : Truth::Unknown;
    case Formula::Op::Lt:
      return hi_lt_lo(l, r) ? Truth::True : hi_le_lo(r, l) ? Truth::False : Truth::Unknown;
    case Formula::Op::Ge:
      return compare(Formula::Op::Le, r, l);
    default:
      return compare(Formula::Op::Lt, r, l);
  }
}

template <class I>
Evaluation eval_comparison(const Formula& f, const std::vector<Val<I>>& atoms) {
  using D = typename Val<I>::Def;
  Evaluation out;
  const Val<I> l = eval_scalar(*f.lhs, atoms), r = eval_scalar(*f.rhs, atoms);
  if (const Val<I>* bad = not_defined(l, &r)) {
    out.truth = bad->def == D::Undefined ? Truth::Undefined : Truth::Unknown;
    out.why = "undefined: " + bad->why;
    if (bad->def == D::MaybeUndefined) out.why = "may be undefined: " + bad->why;
  } else {
    out.truth = compare(f.op, l.x, r.x);
    if (out.truth == Truth::True) return out;
    out.why = "left side " + show(l.x) + (out.truth == Truth::False ? " against " : " overlaps ") +
              "right side " + show(r.x);
    if (out.truth == Truth::Unknown && !(rational_ends(l.x, out.sides) && rational_ends(r.x, out.sides)))
      out.sides.clear();
  }
  out.where = f.where;
  out.text = f.text;
  collect_atoms(*f.lhs, out.atoms_used);
  collect_atoms(*f.rhs, out.atoms_used);
  return out;
}

template <class I>
Evaluation eval_formula(const Formula& f, const std::vector<Val<I>>& atoms);

/// and: the first False part; else the first Unknown; else the first Undefined; else True. Unknown
/// before Undefined: an Undefined result then means every part is True or Undefined exactly, so
/// the whole formula is undefined (proofs/claim-language.md, section 3).
template <class I>
Evaluation eval_and(const Formula& f, const std::vector<Val<I>>& atoms) {
  std::optional<Evaluation> undefined_part, unknown_part;
  for (const FormulaPtr& p : f.parts) {
    Evaluation e = eval_formula(*p, atoms);
    if (e.truth == Truth::False) return e;
    if (e.truth == Truth::Undefined && !undefined_part) undefined_part = std::move(e);
    if (e.truth == Truth::Unknown && !unknown_part) unknown_part = std::move(e);
  }
  if (unknown_part) return *unknown_part;
  if (undefined_part) return *undefined_part;
  return {};
}

/// or: True if a part is; else Unknown / Undefined / False from the first such part, with the
/// atoms of all parts (every part decided the result).
template <class I>
Evaluation eval_or(const Formula& f, const std::vector<Val<I>>& atoms) {
  std::vector<Evaluation> parts;
  for (const FormulaPtr& p : f.parts) {
    parts.push_back(eval_formula(*p, atoms));
    if (parts.back().truth == Truth::True) return {};
  }
  Evaluation out;
  out.truth = Truth::False;
  for (Truth t : {Truth::Unknown, Truth::Undefined})
    for (const Evaluation& e : parts)
      if (out.truth == Truth::False && e.truth == t) out = e;
  if (out.truth == Truth::False && !parts.empty()) {
    out.where = parts[0].where;
    for (const Evaluation& e : parts) {
      out.text += (out.text.empty() ? "" : " or ") + e.text;
      out.why += (out.why.empty() ? "" : "; ") + e.why;
    }
  }
  out.atoms_used.clear();
  for (const Evaluation& e : parts)
    for (int a : e.atoms_used)
      if (std::find(out.atoms_used.begin(), out.atoms_used.end(), a) == out.atoms_used.end())
        out.atoms_used.push_back(a);
  return out;
}

template <class I>
Evaluation eval_formula(const Formula& f, const std::vector<Val<I>>& atoms) {
  switch (f.op) {
    case Formula::Op::And:
      return eval_and(f, atoms);
    case Formula::Op::Or:
      return eval_or(f, atoms);
    default:
      return eval_comparison(f, atoms);
  }
}

/// The point value of e at the atoms' point values (NaN where undefined).
double point_value(const Scalar& e, const std::vector<double>& atoms) {
  using Op = Scalar::Op;
  if (e.op == Op::Num) return e.value.convert_to<double>();
  if (e.op == Op::Atom) return atoms.at(static_cast<std::size_t>(e.atom));
  const double a = point_value(*e.a, atoms), b = e.b ? point_value(*e.b, atoms) : 0.0;
  switch (e.op) {
    case Op::Neg:
      return -a;
    case Op::Add:
      return a + b;
    case Op::Sub:
      return a - b;
    case Op::Mul:
      return a * b;
    case Op::Div:
      return b == 0 ? std::nan("") : a / b;
    case Op::Pow:
      return std::pow(a, static_cast<double>(e.exponent));
    case Op::Sqrt:
      return a < 0 ? std::nan("") : std::sqrt(a);
    case Op::Abs:
      return std::fabs(a);
    case Op::Min:
      return std::min(a, b);
    default:
      return std::max(a, b);
  }
}

}  // namespace

template <class I>
Evaluation evaluate(const Formula& f, const std::vector<Value<I>>& atoms) {
  return eval_formula(f, atoms);
}

template Evaluation evaluate<Ival>(const Formula&, const std::vector<Value<Ival>>&);
template Evaluation evaluate<MpIval>(const Formula&, const std::vector<Value<MpIval>>&);
template Evaluation evaluate<RatIval>(const Formula&, const std::vector<Value<RatIval>>&);

template <class I>
Value<I> evaluate(const Scalar& s, const std::vector<Value<I>>& atoms) {
  return eval_scalar(s, atoms);
}

template Value<Ival> evaluate<Ival>(const Scalar&, const std::vector<Value<Ival>>&);
template Value<MpIval> evaluate<MpIval>(const Scalar&, const std::vector<Value<MpIval>>&);
template Value<RatIval> evaluate<RatIval>(const Scalar&, const std::vector<Value<RatIval>>&);

double violation_margin(const Formula& f, const std::vector<double>& atoms) {
  if (f.op == Formula::Op::And || f.op == Formula::Op::Or) {
    const bool all = f.op == Formula::Op::And;
    double m = all ? -1.0 : 1.0;  // an empty and is true: no violation
    for (const FormulaPtr& p : f.parts) {
      const double v = violation_margin(*p, atoms);
      m = all ? std::max(m, v) : std::min(m, v);
    }
    return m;
  }
  const double l = point_value(*f.lhs, atoms), r = point_value(*f.rhs, atoms);
  const bool le = f.op == Formula::Op::Le || f.op == Formula::Op::Lt;
  const double m = (le ? l - r : r - l) / (1 + std::fabs(l) + std::fabs(r));
  return std::isnan(m) ? -1.0 : m;  // undefined at this point: not a violation
}

}  // namespace fim::expr
