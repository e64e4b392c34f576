// Internal to src/expr: the characters and decimal literals both expression languages
// (bound_expr, claim_lang) share, so that a number reads the same in both.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <string>

namespace fim::expr::lex {

inline bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
inline bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }

/// The index just past the digits of s starting at i.
inline std::size_t skip_digits(const std::string& s, std::size_t i) {
  while (i < s.size() && is_digit(s[i])) ++i;
  return i;
}

/// Where the decimal literal starting at i ends (digits [. digits] [e [+-] digits]), and whether it
/// is well formed (a mantissa digit; exponent digits after an 'e'). With range_dots, a '.' followed
/// by another '.' ends the literal (so "1..n" reads 1, .., n).
struct Scanned {
  std::size_t end;
  bool ok;
};
inline Scanned scan_decimal(const std::string& s, std::size_t i, bool range_dots) {
  const std::size_t start = i;
  i = skip_digits(s, i);
  std::size_t digits = i - start;
  if (i < s.size() && s[i] == '.' && !(range_dots && i + 1 < s.size() && s[i + 1] == '.')) {
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
  return {ok ? i : std::max(i, start + 1), ok};
}

/// "'c'" for a printable character, its byte value otherwise.
inline std::string describe_char(char c) {
  if (c > ' ' && c < 127) return "'" + std::string(1, c) + "'";
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", static_cast<unsigned char>(c));
  return std::string("byte ") + buf;
}

}  // namespace fim::expr::lex
