#include "fim/grammar.hpp"

#include <cmath>
#include <map>
#include <numbers>
#include <stdexcept>

namespace fim::model {
namespace {

using P = Production;

// Shared by both grammars: lexical rules. Weights within a category are Zipf-like.
void add_lexicon(Grammar& g, bool rare_words_frequent) {
  const double rare = rare_words_frequent ? 3.0 : 0.15;
  g.rules.push_back({"Det", {{{"the"}, 6}, {{"a"}, 4}, {{"every"}, 1}, {{"some"}, 1}}});
  g.rules.push_back({"N", {{{"cat"}, 5}, {{"dog"}, 4}, {{"child"}, 3}, {{"teacher"}, 2}, {{"model"}, 2},
                           {{"river"}, 1.5}, {{"garden"}, 1}, {{"book"}, 1}, {{"gradient"}, rare}, {{"lattice"}, rare}}});
  g.rules.push_back({"V", {{{"sees"}, 5}, {{"likes"}, 4}, {{"follows"}, 3}, {{"reads"}, 2}, {{"finds"}, 2},
                           {{"quantizes"}, rare}, {{"diverges"}, rare}}});
  g.rules.push_back({"Vi", {{{"sleeps"}, 4}, {{"runs"}, 3}, {{"waits"}, 2}, {{"sings"}, 1}}});
  g.rules.push_back({"Adj", {{{"small"}, 4}, {{"old"}, 3}, {{"green"}, 2}, {{"quiet"}, 2}, {{"strange"}, rare}}});
  g.rules.push_back({"Prep", {{{"near"}, 3}, {{"with"}, 3}, {{"under"}, 2}, {{"behind"}, 1}}});
  g.rules.push_back({"Adv", {{{"slowly"}, 3}, {{"often"}, 2}, {{"never"}, 1}}});
  g.rules.push_back({"Conj", {{{"and"}, 3}, {{"but"}, 1}}});
}

}  // namespace

// In-distribution: declarative sentences, short noun phrases, occasional prepositional phrases.
Grammar training_grammar() {
  Grammar g{"training", {}};
  g.rules.push_back({"S", {{{"NP", "VP", "."}, 8}, {{"NP", "VP", "Conj", "NP", "VP", "."}, 1}}});
  g.rules.push_back({"NP", {{{"Det", "N"}, 6}, {{"Det", "Adj", "N"}, 3}, {{"Det", "N", "PP"}, 1}}});
  g.rules.push_back({"PP", {{{"Prep", "Det", "N"}, 1}}});
  g.rules.push_back({"VP", {{{"V", "NP"}, 6}, {{"Vi"}, 3}, {{"Vi", "Adv"}, 1}}});
  add_lexicon(g, false);
  return g;
}

// Out-of-distribution (documented in proofs/inflation.md): questions ("does NP V NP ?"), long
// coordinated clauses, stacked adjectives and prepositional phrases, and the rare words frequent.
Grammar perturbed_grammar() {
  Grammar g{"perturbed", {}};
  g.rules.push_back({"S", {{{"NP", "VP", "."}, 3}, {{"does", "NP", "V", "NP", "?"}, 3},
                           {{"NP", "VP", "Conj", "NP", "VP", "Conj", "NP", "VP", "."}, 2}}});
  g.rules.push_back({"NP", {{{"Det", "N"}, 2}, {{"Det", "Adj", "Adj", "N"}, 3}, {{"Det", "N", "PP", "PP"}, 2}}});
  g.rules.push_back({"PP", {{{"Prep", "Det", "N"}, 1}}});
  g.rules.push_back({"VP", {{{"V", "NP"}, 3}, {{"Vi"}, 1}, {{"Adv", "V", "NP"}, 3}}});
  add_lexicon(g, true);
  return g;
}

const std::vector<std::string>& vocabulary() {
  static const std::vector<std::string> words = [] {
    std::vector<std::string> v = {"."};  // id 0: the sentence separator
    for (const Grammar& g : {training_grammar(), perturbed_grammar()})
      for (const auto& [lhs, prods] : g.rules)
        for (const Production& p : prods)
          for (const std::string& s : p.rhs) {
            bool nonterminal = false;
            for (const auto& r : g.rules) nonterminal = nonterminal || r.first == s;
            bool known = false;
            for (const std::string& w : v) known = known || w == s;
            if (!nonterminal && !known) v.push_back(s);
          }
    return v;
  }();
  return words;
}

std::uint64_t Rng::next() {  // splitmix64 (Steele, Lea, Flood 2014)
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::size_t Rng::pick(const std::vector<double>& weights) {
  double total = 0;
  for (double w : weights) total += w;
  double u = uniform() * total;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (u < weights[i]) return i;
    u -= weights[i];
  }
  return weights.size() - 1;  // u landed on the rounding slack at the end
}

std::vector<double> Rng::unit_vector(std::size_t d) {
  std::vector<double> u(d);
  double norm2 = 0;
  for (double& x : u) {
    const double radius = std::sqrt(-2 * std::log(1 - uniform()));  // drawn first: a fixed order
    x = radius * std::cos(2 * std::numbers::pi * uniform());
    norm2 += x * x;
  }
  for (double& x : u) x /= std::sqrt(norm2);
  return u;
}

namespace {

void expand(const Grammar& g, const std::map<std::string, int>& ids, const std::string& symbol, Rng& rng,
            std::vector<int>& out, int depth) {
  if (depth > 32) throw std::logic_error("grammar recursion too deep");
  for (const auto& [lhs, prods] : g.rules)
    if (lhs == symbol) {
      std::vector<double> w;
      for (const Production& p : prods) w.push_back(p.weight);
      for (const std::string& s : prods[rng.pick(w)].rhs) expand(g, ids, s, rng, out, depth + 1);
      return;
    }
  out.push_back(ids.at(symbol));
}

}  // namespace

std::vector<int> sample_tokens(const Grammar& g, std::uint64_t seed, int length) {
  std::map<std::string, int> ids;
  const auto& v = vocabulary();
  for (std::size_t i = 0; i < v.size(); ++i) ids[v[i]] = static_cast<int>(i);
  Rng rng(seed);
  std::vector<int> out;
  while (static_cast<int>(out.size()) < length) expand(g, ids, "S", rng, out, 0);
  out.resize(length);
  return out;
}

std::string detokenize(const std::vector<int>& tokens) {
  std::string s;
  for (int t : tokens) s += (s.empty() ? "" : " ") + vocabulary().at(t);
  return s;
}

}  // namespace fim::model
