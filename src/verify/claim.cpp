// The claim language, read by the verifier itself (CLAIMLANG.md; proofs/verify.md, section 5.5):
// a recursive-descent parser into the verifier's own tree. It shares no code with the checker's
// parser on purpose; its evaluation lives in claim_eval.cpp.
#include "verify/claim_tree.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <tuple>
#include <vector>

#include "verify/number.hpp"

namespace fim::verify {
namespace {

constexpr std::size_t kMaxText = 4096;
constexpr int kMaxDepth = 200;
constexpr long kMaxExponent = 64;
const char* const kKeywords[] = {"forall", "in", "with", "and", "or", "sqrt", "abs", "min", "max", "lambda",
                                 "lambda_min", "gap", "norm", "fro", "trace", "rayleigh", "sym", "sum", "n", "A", "B", "E"};

// A parse error at a byte offset (turned into Refused at the top, so that backtracking can pick
// the error that got further).
struct ParseError {
  std::size_t pos;
  std::string why;
};

// A matrix or a constant, as the rule `matrix` reads either (a constant is legal only as a scale).
struct MatOrConst {
  bool constant = false;
  mpq_class c;
  MNode m;  // a Comb
};

// The text of a matrix node as a factor of a product or scale: parenthesized when it is a sum.
std::string factor_text(const MatNode& f) {
  return f.kind == MatNode::Comb && f.terms.size() > 1 ? "(" + f.canon + ")" : f.canon;
}

// The canonical text of a combination: "A+E", "2*A", "1/2*A", "-A+2*(A+E)".
std::string comb_text(const std::vector<std::pair<mpq_class, MNode>>& terms) {
  std::string s;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    const mpq_class& c = terms[i].first;
    if (c < 0) s += "-";
    else if (i > 0) s += "+";
    const mpq_class a = abs(c);
    if (a != 1) s += a.get_str() + "*";
    s += factor_text(*terms[i].second);
  }
  return s;
}

MNode comb(std::vector<std::pair<mpq_class, MNode>> terms) {
  auto n = std::make_shared<MatNode>();
  n->kind = MatNode::Comb;
  n->terms = std::move(terms);
  n->canon = comb_text(n->terms);
  return n;
}

// Recursive descent over the grammar of CLAIMLANG.md: each rule's method parses it at the current
// position; `d` is the nesting depth (parentheses, function and atom arguments, unary minus, forall
// bodies, sums), at most 200.
class Parser {
 public:
  explicit Parser(const std::string& text) : s_(text) {}

  FNode claim() {
    FNode f = formula(0);
    end();
    return f;
  }
  MNode matrix_only() {
    MNode m = matrix(0);
    end();
    return m;
  }
  std::set<char> names;

 private:
  [[noreturn]] void fail(const std::string& why) const { throw ParseError{i_, why}; }
  [[noreturn]] void fail_at(std::size_t pos, const std::string& why) const { throw ParseError{pos, why}; }
  void depth(int d) const {
    if (d > kMaxDepth) fail("nested deeper than 200");
  }
  void end() {
    skip();
    if (i_ != s_.size()) fail("unexpected '" + token() + "'");
  }
  void skip() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  static bool digit(char c) { return c >= '0' && c <= '9'; }
  static bool letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
  // The next token for a message: a word or one character.
  std::string token() {
    skip();
    if (i_ >= s_.size()) return "end of text";
    const std::string w = word();
    return w.empty() ? std::string(1, s_[i_]) : w;
  }
  // The identifier at the current position (not consumed), or "".
  std::string word() {
    skip();
    std::size_t j = i_;
    if (j >= s_.size() || !letter(s_[j])) return "";
    while (j < s_.size() && (letter(s_[j]) || digit(s_[j]))) ++j;
    return s_.substr(i_, j - i_);
  }
  bool keyword(const std::string& kw) {
    if (word() != kw) return false;
    i_ += kw.size();
    return true;
  }
  bool eat(const std::string& op) {
    skip();
    if (s_.compare(i_, op.size(), op) != 0) return false;
    i_ += op.size();
    return true;
  }
  void need(const std::string& op) {
    if (!eat(op)) fail("'" + op + "' expected, not '" + token() + "'");
  }
  // The source text of [from, i_) for messages: no whitespace, except one space between two words
  // ("sum(i in 1..k:lambda(i,A))").
  std::string source(std::size_t from) const {
    const auto word_char = [](char x) { return letter(x) || digit(x); };
    std::string t;
    bool gap = false;
    for (std::size_t k = from; k < i_ && k < s_.size(); ++k) {
      const char c = s_[k];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        gap = true;
        continue;
      }
      if (gap && !t.empty() && word_char(t.back()) && word_char(c)) t += ' ';
      t += c;
      gap = false;
    }
    return t;
  }

  // formula := 'forall' VAR (',' VAR)* 'in' scalar '..' scalar ['with' formula] ':' formula | disj
  FNode formula(int d) {
    depth(d);
    skip();
    const std::size_t pos = i_;
    if (keyword("forall")) return forall(d, pos);
    return junction(d, FormulaNode::Or);
  }
  // disj := conj ('or' conj)*,  conj := atomf ('and' atomf)*
  FNode junction(int d, FormulaNode::Op op) {
    depth(d);
    const char* kw = op == FormulaNode::Or ? "or" : "and";
    auto part = [&] { return op == FormulaNode::Or ? junction(d, FormulaNode::And) : atomf(d); };
    FNode first = part();
    if (word() != kw) return first;
    auto f = std::make_shared<FormulaNode>();
    f->op = op;
    f->parts.push_back(first);
    while (keyword(kw)) f->parts.push_back(part());
    return f;
  }
  // atomf := scalar CMP scalar | '(' formula ')': the comparison is tried first; on failure a
  // '(' starts a formula, and the error reported is the one that got further.
  FNode atomf(int d) {
    depth(d);
    skip();
    const std::size_t start = i_;
    if (start >= s_.size() || s_[start] != '(') return comparison(d);
    const std::size_t scope = vars_.size();
    const char* atoms = no_atoms_;  // an error inside a with condition left it set
    try {
      return comparison(d);
    } catch (const ParseError& first) {
      i_ = start;
      vars_.resize(scope);
      no_atoms_ = atoms;
      try {
        need("(");
        FNode f = formula(d + 1);
        need(")");
        return f;
      } catch (const ParseError& second) {
        throw second.pos >= first.pos ? second : first;
      }
    }
  }
  FNode comparison(int d) {
    skip();
    const std::size_t pos = i_;
    auto f = std::make_shared<FormulaNode>();
    f->op = FormulaNode::Cmp;
    f->pos = pos;
    f->l = scalar(d);
    for (const char* c : {"<=", ">=", "<", ">"})
      if (f->cmp.empty() && eat(c)) f->cmp = c;
    if (f->cmp.empty()) fail("a comparison (<=, <, >=, >) expected, not '" + token() + "'");
    f->r = scalar(d);
    return f;
  }
  FNode forall(int d, std::size_t pos) {
    auto f = std::make_shared<FormulaNode>();
    f->op = FormulaNode::Forall;
    f->pos = pos;
    do f->vars.push_back(new_variable("forall", f->vars));
    while (eat(","));
    std::tie(f->lo, f->hi) = range(d, "a forall bound");
    for (const auto& v : f->vars) vars_.push_back(v);  // bound in the condition and the body only
    f->with = condition(d);
    need(":");
    f->body = formula(d + 1);
    vars_.resize(vars_.size() - f->vars.size());
    return f;
  }
  // A variable name at the current position, consumed: not a keyword, not bound by an enclosing
  // forall or sum, nor earlier in `same` (the names of the same forall).
  std::string new_variable(const char* after, const std::vector<std::string>& same) {
    skip();
    const std::size_t at = i_;
    const std::string v = word();
    if (v.empty()) fail(std::string("a variable name expected after ") + after);
    for (const char* k : kKeywords)
      if (v == k) fail("'" + v + "' is a keyword, not a variable name");
    const auto taken = [&v](const std::vector<std::string>& names) { return std::find(names.begin(), names.end(), v) != names.end(); };
    if (taken(vars_) || taken(same)) fail_at(at, "the variable '" + v + "' is already bound");
    i_ += v.size();
    return v;
  }
  // 'in' scalar '..' scalar: the bounds of a forall or a sum, which hold no atoms.
  std::pair<SNode, SNode> range(int d, const char* where) {
    if (!keyword("in")) fail("'in' expected, not '" + token() + "'");
    SNode lo = scalar_without_atoms(d + 1, where);
    need("..");
    return {lo, scalar_without_atoms(d + 1, where)};
  }
  // ['with' formula]: the condition of a forall or a sum (no atoms), or null.
  FNode condition(int d) {
    if (!keyword("with")) return nullptr;
    const char* outer = no_atoms_;
    no_atoms_ = "a with condition";
    FNode f = formula(d + 1);
    no_atoms_ = outer;
    return f;
  }

  SNode scalar_without_atoms(int d, const char* where) {
    const char* outer = no_atoms_;
    no_atoms_ = where;
    SNode s = scalar(d);
    no_atoms_ = outer;
    return s;
  }
  static SNode node(ScalarNode::Op op, SNode a = nullptr, SNode b = nullptr) {
    auto n = std::make_shared<ScalarNode>();
    n->op = op;
    n->a = std::move(a);
    n->b = std::move(b);
    return n;
  }
  // scalar := term (('+'|'-') term)*; records its source text for messages.
  SNode scalar(int d) {
    depth(d);
    skip();
    const std::size_t start = i_;
    SNode n = term(d);
    for (;;) {
      skip();
      const std::size_t pos = i_;
      const ScalarNode::Op op = eat("+") ? ScalarNode::Add : eat("-") ? ScalarNode::Sub : ScalarNode::Num;
      if (op == ScalarNode::Num) break;
      n = node(op, n, term(d));
      std::const_pointer_cast<ScalarNode>(n)->pos = pos;
    }
    auto t = std::const_pointer_cast<ScalarNode>(n);
    if (t->text.empty()) t->text = source(start);
    return n;
  }
  SNode term(int d) {
    depth(d);
    SNode n = unary(d);
    for (;;) {
      skip();
      const std::size_t pos = i_;
      const ScalarNode::Op op = eat("*") ? ScalarNode::Mul : eat("/") ? ScalarNode::Div : ScalarNode::Num;
      if (op == ScalarNode::Num) return n;
      n = node(op, n, unary(d));
      std::const_pointer_cast<ScalarNode>(n)->pos = pos;
    }
  }
  SNode unary(int d) {
    depth(d);
    if (eat("-")) return node(ScalarNode::Neg, unary(d + 1));
    skip();
    const std::size_t start = i_;
    SNode p = primary(d);
    if (!eat("^")) return p;
    auto n = std::const_pointer_cast<ScalarNode>(node(ScalarNode::Pow, p));
    n->exponent = exponent();
    n->pos = start;
    return n;
  }
  // '^' ['-'] INT | '^' '(' ['-'] INT ')', |INT| <= 64.
  long exponent() {
    const bool paren = eat("(");
    const bool negative = eat("-");
    skip();
    const std::size_t start = i_;
    while (i_ < s_.size() && digit(s_[i_])) ++i_;
    if (i_ == start) fail("the exponent must be an integer");
    if (i_ - start > 3 || std::stol(s_.substr(start, i_ - start)) > kMaxExponent) fail_at(start, "exponent beyond 64");
    const long e = std::stol(s_.substr(start, i_ - start));
    if (paren) need(")");
    return negative ? -e : e;
  }
  // NUMBER: digits ['.' digits] [('e'|'E') ['+'|'-'] digits], read exactly by read_number ("1..n"
  // keeps its "..": a '.' belongs to the number only when a digit follows).
  mpq_class number() {
    const std::size_t start = i_;
    while (i_ < s_.size() && digit(s_[i_])) ++i_;
    if (i_ + 1 < s_.size() && s_[i_] == '.' && digit(s_[i_ + 1])) {
      ++i_;
      while (i_ < s_.size() && digit(s_[i_])) ++i_;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      while (i_ < s_.size() && digit(s_[i_])) ++i_;
    }
    try {
      return read_number(s_.substr(start, i_ - start));
    } catch (const Refused& e) {
      fail_at(start, e.reason);
    }
  }
  SNode primary(int d) {
    depth(d);
    skip();
    const std::size_t pos = i_;
    if (i_ >= s_.size()) fail("unexpected end of text");
    if (eat("(")) {
      SNode n = scalar(d + 1);
      need(")");
      return n;
    }
    if (digit(s_[i_])) {
      auto n = std::const_pointer_cast<ScalarNode>(node(ScalarNode::Num));
      n->value = number();
      return n;
    }
    const std::string w = word();
    if (w.empty()) fail("unexpected '" + token() + "'");
    i_ += w.size();
    auto n = std::const_pointer_cast<ScalarNode>(node(ScalarNode::Num));
    n->pos = pos;
    if (w == "n") return n->op = ScalarNode::Dim, n;
    for (const auto& v : vars_)
      if (v == w) return n->op = ScalarNode::Var, n->name = w, n;
    if (w == "sqrt" || w == "abs" || w == "min" || w == "max") return function(d, w, n);
    if (w == "sum") return sum(d, n);
    if (w == "lambda" || w == "lambda_min" || w == "gap" || w == "norm" || w == "fro" || w == "trace" || w == "rayleigh")
      return atom(d, w, n);
    if (w == "A" || w == "B" || w == "E") fail_at(pos, "the matrix " + w + " where a number is expected");
    for (const char* k : kKeywords)
      if (w == k) fail_at(pos, "unexpected '" + w + "'");
    fail_at(pos, "unknown name '" + w + "'");
  }
  SNode function(int d, const std::string& w, const std::shared_ptr<ScalarNode>& n) {
    n->op = w == "sqrt" ? ScalarNode::Sqrt : w == "abs" ? ScalarNode::Abs : w == "min" ? ScalarNode::Min : ScalarNode::Max;
    need("(");
    n->a = scalar(d + 1);
    if (w == "min" || w == "max") {
      need(",");
      n->b = scalar(d + 1);
    }
    need(")");
    return n;
  }
  // 'sum' '(' VAR 'in' scalar '..' scalar ['with' formula] ':' scalar ')': VAR is bound in the
  // condition and the summand only (CLAIMLANG.md, sums over an integer range).
  SNode sum(int d, const std::shared_ptr<ScalarNode>& n) {
    n->op = ScalarNode::Sum;
    need("(");
    n->name = new_variable("sum(", {});
    std::tie(n->lo, n->hi) = range(d, "a sum bound");
    vars_.push_back(n->name);
    n->with = condition(d);
    need(":");
    n->a = scalar(d + 1);
    vars_.pop_back();
    need(")");
    return n;
  }
  SNode atom(int d, const std::string& w, const std::shared_ptr<ScalarNode>& n) {
    if (no_atoms_) fail_at(n->pos, "the atom " + w + " cannot appear in " + no_atoms_);
    using O = ScalarNode::Op;
    n->op = w == "lambda" ? O::Lambda : w == "lambda_min" ? O::LambdaMin : w == "gap" ? O::Gap : w == "norm" ? O::Norm
          : w == "fro" ? O::Fro : w == "trace" ? O::Trace : O::Rayleigh;
    need("(");
    if (n->op == O::Lambda) {
      n->a = scalar_without_atoms(d + 1, "a lambda index");
      need(",");
    }
    n->m = matrix(d + 1);
    if (n->op == O::Rayleigh) {
      need(",");
      n->m2 = matrix(d + 1);
    }
    need(")");
    return n;
  }

  // matrix := mterm (('+'|'-') mterm)*; a constant only as a whole parenthesized scale.
  MNode matrix(int d) {
    skip();
    const std::size_t pos = i_;
    const MatOrConst v = msum(d);
    if (v.constant) fail_at(pos, "a number is not a matrix");
    return v.m;
  }
  MatOrConst msum(int d) {
    depth(d);
    skip();
    std::size_t pos = i_;
    MatOrConst acc = mterm(d);
    for (;;) {
      const int sign = eat("+") ? 1 : eat("-") ? -1 : 0;
      if (sign == 0) return acc;
      skip();
      const std::size_t at = i_;
      const MatOrConst t = mterm(d);
      if (acc.constant != t.constant) fail_at(acc.constant ? pos : at, "a number is not a matrix");
      if (acc.constant) {
        acc.c = guard(acc.c + sign * t.c);
        continue;
      }
      auto terms = acc.m->terms;
      for (const auto& [c, f] : t.m->terms) terms.emplace_back(sign * c, f);
      acc.m = comb(std::move(terms));
      pos = at;
    }
  }
  // The factors of a product: the constant scale and the matrix factors with their positions.
  struct Product {
    mpq_class scale = 1;
    std::vector<MNode> factors;
    std::vector<std::size_t> at;
  };
  Product product(int d) {
    depth(d);
    Product p;
    if (eat("-")) p.scale = -1;
    auto take = [&](bool divide) {
      skip();
      const std::size_t at = i_;
      const MatOrConst f = mfactor(d);
      if (divide && !f.constant) fail_at(at, "a matrix divisor: divide by a constant only");
      if (divide && f.c == 0) fail_at(at, "division by zero");
      if (f.constant) p.scale = guard(divide ? mpq_class(p.scale / f.c) : mpq_class(p.scale * f.c));
      else p.factors.push_back(f.m), p.at.push_back(at);
    };
    take(false);
    for (;;) {
      if (eat("*")) take(false);
      else if (eat("/")) take(true);
      else return p;
    }
  }
  // mterm := ['-'] mfactor (('*' mfactor) | ('/' constant))*: at most X*X of one expression.
  MatOrConst mterm(int d) {
    const Product p = product(d);
    MatOrConst r;
    if (p.factors.empty()) return r.constant = true, r.c = p.scale, r;
    if (p.factors.size() > 2) fail_at(p.at[2], "a product of three or more matrices");
    MNode f = p.factors[0];
    if (p.factors.size() == 2) {
      if (f->canon != p.factors[1]->canon)
        fail_at(p.at[0], factor_text(*f) + "*" + factor_text(*p.factors[1]) + " is not symmetric: write sym(" +
                             factor_text(*f) + "*" + factor_text(*p.factors[1]) + ")");
      auto sq = std::make_shared<MatNode>();
      sq->kind = MatNode::Square;
      sq->a = f;
      sq->canon = factor_text(*f) + "*" + factor_text(*f);
      r.m = comb({{p.scale, sq}});
      return r;
    }
    if (f->kind == MatNode::Comb && f->terms.size() == 1)  // "2*(3*A)" is "6*A"
      r.m = comb({{guard(p.scale * f->terms[0].first), f->terms[0].second}});
    else if (f->kind == MatNode::Comb && p.scale == 1)  // "((A+E))" is "A+E"
      r.m = f;
    else
      r.m = comb({{p.scale, f}});
    return r;
  }
  // mfactor := 'A' | 'B' | 'E' | 'sym' '(' matrix '*' matrix ')' | '(' matrix ')' | constant
  MatOrConst mfactor(int d) {
    depth(d);
    skip();
    MatOrConst r;
    if (i_ >= s_.size()) fail("unexpected end of text");
    if (eat("(")) {
      r = msum(d + 1);
      need(")");
      return r;
    }
    if (digit(s_[i_])) return r.constant = true, r.c = number(), r;
    const std::string w = word();
    const std::size_t pos = i_;
    i_ += w.size();
    auto m = std::make_shared<MatNode>();
    if (w == "A" || w == "B" || w == "E") {
      m->name = w[0];
      m->canon = w;
      names.insert(w[0]);
      r.m = m;
      return r;
    }
    if (w != "sym") fail_at(pos, w.empty() ? "a matrix expected, not '" + token() + "'" : "'" + w + "' is not a matrix (A, B, E, sym(X*Y) or a sum of them)");
    return sym(d, m);
  }
  // 'sym' '(' X '*' Y ')': exactly one product of two matrix factors (a constant scale allowed).
  MatOrConst sym(int d, const std::shared_ptr<MatNode>& m) {
    need("(");
    skip();
    const std::size_t pos = i_;
    const Product p = product(d + 1);
    if (p.factors.size() != 2) fail_at(pos, "sym(...) holds a product of two matrices");
    need(")");
    m->kind = MatNode::Sym;
    m->a = p.factors[0];
    m->b = p.factors[1];
    m->canon = "sym(" + factor_text(*m->a) + "*" + factor_text(*m->b) + ")";
    MatOrConst r;
    r.m = comb({{p.scale, m}});
    return r;
  }

  const std::string& s_;
  std::size_t i_ = 0;
  std::vector<std::string> vars_;  // bound by the enclosing foralls and sums
  const char* no_atoms_ = nullptr; // where atoms are not allowed (forall and sum bounds, with, lambda index)
};

// Runs one parse, turning its error into "LABEL: position P: reason".
template <class F>
auto parse_with(const std::string& text, const std::string& label, F f) {
  if (text.size() > kMaxText) throw Refused(label + ": longer than 4096 bytes");
  Parser p(text);
  try {
    auto root = f(p);
    return std::make_pair(root, p.names);
  } catch (const ParseError& e) {
    throw Refused(label + ": position " + std::to_string(e.pos + 1) + ": " + e.why);
  }
}

}  // namespace

MatrixText MatrixText::parse(const std::string& text, const std::string& label) {
  MatrixText m;
  std::tie(m.root_, m.names_) = parse_with(text, label, [](Parser& p) { return p.matrix_only(); });
  return m;
}

const std::string& MatrixText::canon() const { return root_->canon; }

ClaimText ClaimText::parse(const std::string& text, const std::string& label) {
  ClaimText c;
  std::tie(c.root_, c.names_) = parse_with(text, label, [](Parser& p) { return p.claim(); });
  c.label_ = label;
  return c;
}

}  // namespace fim::verify
