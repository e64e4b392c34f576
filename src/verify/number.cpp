#include "verify/number.hpp"

#include <cstddef>
#include <cstdio>

namespace fim::verify {
namespace {

constexpr std::size_t kMaxText = 100'000;   // characters of one number
constexpr long kMaxDecimalExponent = 300'000;  // 10^300000 has about 10^6 bits
constexpr long kMaxBinaryExponent = 1'000'000;

bool digit(char c) { return c >= '0' && c <= '9'; }
bool hex_digit(char c) { return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

[[noreturn]] void refuse(const std::string& text, const std::string& why) {
  const std::string shown = text.size() > 40 ? text.substr(0, 40) + "..." : text;
  throw Refused("'" + shown + "' is not an exact number (" + why + ")");
}

// The decimal digits text[i..j) that `accept` allows, at least one; returns j.
template <class Accept>
std::size_t scan(const std::string& text, std::size_t i, Accept accept) {
  std::size_t j = i;
  while (j < text.size() && accept(text[j])) ++j;
  if (j == i) refuse(text, "digits expected at position " + std::to_string(i + 1));
  return j;
}

// An optionally signed exponent text[i..) to the end, at most `limit` in magnitude.
long exponent(const std::string& text, std::size_t i, long limit) {
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  const std::size_t j = scan(text, i, digit);
  if (j != text.size()) refuse(text, "trailing text at position " + std::to_string(j + 1));
  if (j - i > 9) refuse(text, "exponent too large");
  const long e = std::stol(text.substr(i, j - i));
  if (e > limit) refuse(text, "exponent too large");
  return negative ? -e : e;
}

mpz_class power_of(long base, long e) {
  mpz_class r;
  mpz_ui_pow_ui(r.get_mpz_t(), static_cast<unsigned long>(base), static_cast<unsigned long>(e));
  return r;
}

// m * base^e exactly.
mpq_class scaled(const mpz_class& m, long base, long e) {
  mpq_class r(m);
  if (e >= 0) r *= mpq_class(power_of(base, e));
  else r /= mpq_class(power_of(base, -e));
  r.canonicalize();
  return r;
}

mpq_class read_hex(const std::string& text, std::size_t i) {
  std::size_t j = i;
  while (j < text.size() && hex_digit(text[j])) ++j;
  std::string mantissa = text.substr(i, j - i);
  long fraction_digits = 0;
  if (j < text.size() && text[j] == '.') {
    const std::size_t k = j + 1;
    j = k;
    while (j < text.size() && hex_digit(text[j])) ++j;
    mantissa += text.substr(k, j - k);
    fraction_digits = static_cast<long>(j - k);
  }
  if (mantissa.empty()) refuse(text, "no hex digits");
  if (j >= text.size() || (text[j] != 'p' && text[j] != 'P')) refuse(text, "a hex float needs its p exponent");
  const long e = exponent(text, j + 1, kMaxBinaryExponent);
  return scaled(mpz_class(mantissa, 16), 2, e - 4 * fraction_digits);
}

mpq_class read_decimal(const std::string& text, std::size_t i) {
  std::size_t j = scan(text, i, digit);
  std::string mantissa = text.substr(i, j - i);
  long fraction_digits = 0;
  if (j < text.size() && text[j] == '/') {
    const std::size_t k = scan(text, j + 1, digit);
    if (k != text.size()) refuse(text, "trailing text at position " + std::to_string(k + 1));
    const mpz_class q(text.substr(j + 1), 10);  // base 10: a leading 0 is not octal
    if (q == 0) refuse(text, "zero denominator");
    mpq_class r(mpz_class(mantissa, 10), q);
    r.canonicalize();
    return r;
  }
  if (j < text.size() && text[j] == '.') {
    const std::size_t k = scan(text, j + 1, digit);
    mantissa += text.substr(j + 1, k - j - 1);
    fraction_digits = static_cast<long>(k - j - 1);
    j = k;
  }
  long e = 0;
  if (j < text.size() && (text[j] == 'e' || text[j] == 'E')) e = exponent(text, j + 1, kMaxDecimalExponent);
  else if (j != text.size()) refuse(text, "trailing text at position " + std::to_string(j + 1));
  return scaled(mpz_class(mantissa, 10), 10, e - fraction_digits);
}

// 17 significant digits of x, rounded toward -inf (up = false) or +inf (up = true).
std::string show_rounded(const mpq_class& x, bool up) {
  const std::string exact = x.get_str();
  if (exact.size() <= 40 || x == 0) return exact;
  const mpq_class a = abs(x);
  // e with 10^e <= a < 10^(e+1), from the sizes, then corrected
  const long bits = static_cast<long>(mpz_sizeinbase(a.get_num_mpz_t(), 2)) - static_cast<long>(mpz_sizeinbase(a.get_den_mpz_t(), 2));
  long e = bits * 30103 / 100000;  // log10(2) = 0.30103...: a first guess
  while (scaled(1, 10, e) > a) --e;
  while (scaled(1, 10, e + 1) <= a) ++e;
  const mpq_class s = x * scaled(1, 10, 16 - e);
  mpz_class m;
  if (up) mpz_cdiv_q(m.get_mpz_t(), s.get_num_mpz_t(), s.get_den_mpz_t());
  else mpz_fdiv_q(m.get_mpz_t(), s.get_num_mpz_t(), s.get_den_mpz_t());
  std::string digits = mpz_class(abs(m)).get_str();
  const long shift = static_cast<long>(digits.size()) - 17;  // 1 when rounding carried into a new digit
  char exponent[24];
  std::snprintf(exponent, sizeof exponent, "e%+03ld", e + shift);  // as printf's %e: e-03, e+00
  return std::string(m < 0 ? "-" : "") + digits.substr(0, 1) + "." + digits.substr(1) + exponent;
}

}  // namespace

long bit_size(const mpq_class& x) {
  return static_cast<long>(mpz_sizeinbase(x.get_num_mpz_t(), 2) + mpz_sizeinbase(x.get_den_mpz_t(), 2));
}

const mpq_class& guard(const mpq_class& x) {
  if (bit_size(x) > kMaxBits) throw Refused("an exact intermediate exceeds 10^6 bits");
  return x;
}

mpq_class read_number(const std::string& text) {
  if (text.empty()) refuse(text, "empty");
  if (text.size() > kMaxText) refuse(text, "longer than 100000 characters");
  std::size_t i = text[0] == '-' ? 1 : 0;
  const bool hex = text.size() > i + 1 && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X');
  mpq_class r = hex ? read_hex(text, i + 2) : read_decimal(text, i);
  if (i == 1) r = -r;
  if (bit_size(r) > kMaxInputBits) refuse(text, "more than 20000 bits (the checker writes at most about 6000)");
  return r;
}

std::string show_down(const mpq_class& x) { return show_rounded(x, false); }
std::string show_up(const mpq_class& x) { return show_rounded(x, true); }

}  // namespace fim::verify
