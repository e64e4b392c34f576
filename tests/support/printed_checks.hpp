// Exact checks of figures printed for people and machines: the exact value of a printed decimal,
// the "[lo, hi]" intervals of a text, and whether a printed interval encloses an enclosure (its
// lower end <= lo and its upper end >= hi, compared in rationals).
#pragma once
#include <cstdlib>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include <boost/multiprecision/gmp.hpp>
#include <nlohmann/json.hpp>

#include "numeric/interval.hpp"

namespace fim::test {

using Q = boost::multiprecision::mpq_rational;

/// The exact rational value of a printed decimal such as "-1.23e+05", "0.999" or "126".
inline Q exact_decimal(const std::string& s) {
  using Z = boost::multiprecision::mpz_int;
  const std::size_t e = s.find_first_of("eE");
  std::string mant = s.substr(0, e);
  long exp10 = e == std::string::npos ? 0 : std::stol(s.substr(e + 1));
  const std::size_t dot = mant.find('.');
  if (dot != std::string::npos) {
    exp10 -= static_cast<long>(mant.size() - dot - 1);
    mant.erase(dot, 1);
  }
  const bool negative = !mant.empty() && mant[0] == '-';
  mant = mant.substr(negative);
  mant.erase(0, std::min(mant.find_first_not_of('0'), mant.size() - 1));  // a leading 0 would mean octal
  if (negative) mant = "-" + mant;
  const Q q{Z(mant)};
  const Z p = boost::multiprecision::pow(Z(10), static_cast<unsigned>(std::labs(exp10)));
  return exp10 >= 0 ? Q(q * p) : Q(q / p);
}

/// Whether the printed lower end `lo` is <= x (an "-inf" end always is; "inf" never unless x is).
inline bool printed_below(const std::string& lo, double x) {
  if (lo == "-inf") return true;
  if (lo == "inf") return x == num::inf;
  return x == num::inf || (x != -num::inf && exact_decimal(lo) <= Q(x));
}
/// Whether the printed upper end `hi` is >= x.
inline bool printed_above(const std::string& hi, double x) {
  if (hi == "inf") return true;
  if (hi == "-inf") return x == -num::inf;
  return x == -num::inf || (x != num::inf && exact_decimal(hi) >= Q(x));
}
/// Whether the printed interval [lo, hi] encloses x: rounded outward, checked exactly.
inline bool printed_encloses(const std::string& lo, const std::string& hi, const num::Ival& x) {
  return printed_below(lo, x.lo) && printed_above(hi, x.hi);
}
/// The same for a JSON enclosure {"lo": "...", "hi": "..."}.
inline bool json_encloses(const nlohmann::json& j, const num::Ival& x) {
  return j.is_object() && j.contains("lo") && j.contains("hi") &&
         printed_encloses(j["lo"].get<std::string>(), j["hi"].get<std::string>(), x);
}

/// Every "[lo, hi]" of decimals (or +-inf) in text, in order.
inline std::vector<std::pair<std::string, std::string>> printed_intervals(const std::string& text) {
  static const std::regex re(R"(\[(-?inf|-?[0-9][0-9.]*(?:[eE][-+]?[0-9]+)?), (-?inf|-?[0-9][0-9.]*(?:[eE][-+]?[0-9]+)?)\])");
  std::vector<std::pair<std::string, std::string>> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
    out.emplace_back((*it)[1].str(), (*it)[2].str());
  return out;
}

/// The printed intervals of text that enclose none of `enclosures` (empty: all rounded outward
/// around one of them). `printed` receives how many intervals were found.
inline std::vector<std::string> unenclosing(const std::string& text, const std::vector<num::Ival>& enclosures, int& printed) {
  std::vector<std::string> bad;
  const auto found = printed_intervals(text);
  printed = static_cast<int>(found.size());
  for (const auto& [lo, hi] : found) {
    bool ok = false;
    for (const auto& x : enclosures) ok = ok || printed_encloses(lo, hi, x);
    if (!ok) bad.push_back("[" + lo + ", " + hi + "]");
  }
  return bad;
}

}  // namespace fim::test
