// The one strict number reader (decimal.hpp), with exact decimal -> binary64 conversion
// (SPEC S3: decimal text that is not a binary64 value becomes its tightest binary64 interval).
#include "numeric/decimal.hpp"

#include <mpfr.h>

#include <algorithm>
#include <cfloat>
#include <charconv>
#include <cmath>

#include "numeric/fp.hpp"

namespace fim::num {

namespace {

constexpr std::int64_t kExpCap = 1'000'000'000'000'000;    // |exponent| saturates here
// A decimal with more significant digits is cut to this many plus a sticky '1': no binary64 value
// and no midpoint of two adjacent ones (at most 768 significant digits) lies strictly between the
// cut and the next 800-digit decimal, so every rounding (down, up, nearest) is unchanged.
constexpr std::size_t kMaxDigits = 800;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Consumes a run of digits from s at pos and returns it.
std::string_view take_digits(std::string_view s, std::size_t& pos) {
  const std::size_t start = pos;
  while (pos < s.size() && is_digit(s[pos])) ++pos;
  return s.substr(start, pos - start);
}

// The exponent value of a digit run, saturated at +-kExpCap.
std::int64_t saturated(std::string_view digits, bool negative) {
  std::int64_t v = 0;
  for (char c : digits) v = std::min(kExpCap, v * 10 + (c - '0'));
  return negative ? -v : v;
}

// A digit run without leading zeros ("0" for zero): GMP reads a leading 0 as octal.
std::string no_leading_zeros(std::string_view digits) {
  const std::size_t first = digits.find_first_not_of('0');
  return first == std::string_view::npos ? "0" : std::string(digits.substr(first));
}

// ---- Decimal -> binary64 ------------------------------------------------------------------------

// Sets MPFR's exponent range to binary64's for this scope (subnormals via mpfr_subnormalize).
class Binary64Range {
 public:
  Binary64Range() : emin_(mpfr_get_emin()), emax_(mpfr_get_emax()) {
    mpfr_set_emin(-1073);
    mpfr_set_emax(1024);
  }
  ~Binary64Range() {
    mpfr_set_emin(emin_);
    mpfr_set_emax(emax_);
  }

 private:
  mpfr_exp_t emin_, emax_;
};

mpfr_rnd_t mpfr_mode(Round r) {
  return r == Round::down ? MPFR_RNDD : r == Round::up ? MPFR_RNDU : MPFR_RNDN;
}

// |d| rounded to binary64 by MPFR, for 10^-324 <= |d| < 10^309 (the exponent stays small).
double round_exact(const Decimal& d, Round r) {
  std::string digits = d.digits;
  std::int64_t e = d.exp10;
  if (digits.size() > kMaxDigits) {
    e += std::int64_t(digits.size()) - std::int64_t(kMaxDigits) - 1;
    digits = digits.substr(0, kMaxDigits) + "1";
  }
  const bmp::mpz_int m(digits), p = bmp::pow(bmp::mpz_int(10), unsigned(std::abs(e)));
  const Rational q = e >= 0 ? Rational(m * p) : Rational(m, p);
  const Binary64Range range;
  mpfr_t x;
  mpfr_init2(x, 53);
  const int t = mpfr_set_q(x, q.backend().data(), mpfr_mode(r));
  mpfr_subnormalize(x, t, mpfr_mode(r));
  const double v = mpfr_get_d(x, mpfr_mode(r));  // exact: x is a binary64 value
  mpfr_clear(x);
  return v;
}

// Enclosure of |d| by one binary64 operation and its exact residual (Clinger's fast path), when
// digits < 10^15 < 2^53 and |exp10| <= 22 (10^22 is a binary64 value); nullopt otherwise.
std::optional<std::pair<double, double>> enclose_fast(const Decimal& d) {
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  if (d.digits.size() > 15 || std::abs(d.exp10) > 22) return std::nullopt;
  const double m = double(std::stoull(d.digits)), p = kPow10[std::abs(d.exp10)];
  // r = fl(m * p) or fl(m / p); the residual (m p - r, or m - r p) is a binary64 value, so fma
  // computes it exactly and its sign tells on which side of r the exact value lies.
  const double r = d.exp10 >= 0 ? m * p : m / p;
  const double res = d.exp10 >= 0 ? std::fma(m, p, -r) : std::fma(-r, p, m);
  if (res == 0) return std::pair{r, r};
  return res > 0 ? std::pair{r, next_up(r)} : std::pair{next_down(r), r};
}

// |d| rounded to binary64 in direction r (of the magnitude).
double magnitude(const Decimal& d, Round r) {
  if (d.digits.empty()) return 0.0;
  const std::int64_t mag = d.exp10 + std::int64_t(d.digits.size());  // 10^(mag-1) <= |d| < 10^mag
  if (mag > 309) return r == Round::down ? DBL_MAX : INFINITY;      // |d| >= 1e309 > DBL_MAX
  if (mag <= -324) return r == Round::up ? DBL_TRUE_MIN : 0.0;      // |d| < 1e-324 < 2^-1075
  if (r != Round::nearest)
    if (const auto fast = enclose_fast(d)) return r == Round::down ? fast->first : fast->second;
  return round_exact(d, r);
}

}  // namespace

std::optional<Decimal> parse_decimal(std::string_view s) {
  Decimal d;
  std::size_t pos = 0;
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) d.negative = s[pos++] == '-';
  const std::string_view int_part = take_digits(s, pos);
  std::string_view frac_part;
  if (pos < s.size() && s[pos] == '.') frac_part = take_digits(s, ++pos);
  if (int_part.empty() && frac_part.empty()) return std::nullopt;
  std::int64_t exp10 = 0;
  if (pos < s.size() && (s[pos] == 'e' || s[pos] == 'E')) {
    ++pos;
    bool neg = false;
    if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) neg = s[pos++] == '-';
    const std::string_view e = take_digits(s, pos);
    if (e.empty()) return std::nullopt;
    exp10 = saturated(e, neg);
  }
  if (pos != s.size()) return std::nullopt;  // trailing text: "1e5.5", "2abc", "1,5"
  const std::string all = std::string(int_part) + std::string(frac_part);
  const std::size_t first = all.find_first_not_of('0');
  if (first == std::string::npos) return Decimal{};  // zero, of either sign
  const std::size_t last = all.find_last_not_of('0');
  d.exp10 = exp10 - std::int64_t(frac_part.size()) + std::int64_t(all.size() - 1 - last);
  d.digits = all.substr(first, last + 1 - first);
  return d;
}

std::optional<Rational> read_exact(std::string_view text) {
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    std::string_view p = text.substr(0, slash), q = text.substr(slash + 1);
    const bool negative = !p.empty() && p[0] == '-';
    if (!p.empty() && (p[0] == '-' || p[0] == '+')) p.remove_prefix(1);
    const auto digits_only = [](std::string_view s) {
      return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
    };
    if (!digits_only(p) || !digits_only(q) || q.find_first_not_of('0') == std::string_view::npos)
      return std::nullopt;  // also refuses q = 0, which GMP would not survive
    const bmp::mpz_int num(no_leading_zeros(p)), den(no_leading_zeros(q));
    return Rational(negative ? bmp::mpz_int(-num) : num, den);
  }
  const std::optional<Decimal> d = parse_decimal(text);
  if (!d) return std::nullopt;
  if (d->digits.empty()) return Rational(0);
  if (std::abs(d->exp10) > kMaxExactExp10) return std::nullopt;
  const bmp::mpz_int m(d->digits);
  const bmp::mpz_int ten = bmp::pow(bmp::mpz_int(10), unsigned(std::abs(d->exp10)));
  const Rational v = d->exp10 >= 0 ? Rational(m * ten) : Rational(m, ten);
  return d->negative ? Rational(-v) : v;
}

std::optional<long long> read_integer(std::string_view text, long long lo, long long hi) {
  std::string_view s = text;
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);  // from_chars reads '-' but not '+'
  if (s.empty() || (s.size() < text.size() && !is_digit(s[0]))) return std::nullopt;
  long long x = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
  if (ec != std::errc() || end != s.data() + s.size() || x < lo || x > hi) return std::nullopt;
  return x;
}

std::optional<std::uint64_t> read_unsigned64(std::string_view text) {
  std::uint64_t x = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return x;
}

double to_binary64(const Decimal& d, Round r) {
  // For a negative d, rounding down the value is rounding up the magnitude, and vice versa.
  const Round m = !d.negative || r == Round::nearest ? r : (r == Round::down ? Round::up : Round::down);
  const double v = magnitude(d, m);
  return d.negative && v != 0 ? -v : v;  // no -0.0
}

std::optional<std::pair<double, double>> enclose_binary64(const Decimal& d) {
  const double lo = to_binary64(d, Round::down), hi = to_binary64(d, Round::up);
  if (std::isinf(lo) || std::isinf(hi)) return std::nullopt;
  return std::pair{lo, hi};
}

std::string canonical(const Decimal& d) {
  const std::int64_t e = d.exp10 + std::int64_t(d.digits.size()) - 1;
  std::string out = d.negative ? "-" : "";
  out += d.digits[0];
  if (d.digits.size() > 1) out += "." + d.digits.substr(1);
  return out + "e" + std::to_string(e);
}

}  // namespace fim::num
