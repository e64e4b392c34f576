// The one number reader of the checker: every number a user writes (CSV cells, policy thresholds,
// --at and --classify values, bound expressions, model SPEC values, integer options) is read here,
// strictly: the whole text must be the number, so "1e5.5" or "2abc" is refused, never cut short.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "numeric/mp.hpp"

namespace fim::num {

/// A decimal number sign * digits * 10^exp10, digits without leading or trailing zeros ("" = 0).
struct Decimal {
  bool negative = false;
  std::string digits;
  std::int64_t exp10 = 0;
};

/// Reads [+-]digits[.digits][(e|E)[+-]digits] (at least one mantissa digit), the whole text and
/// nothing else; nullopt otherwise. An exponent beyond +-10^15 saturates there.
std::optional<Decimal> parse_decimal(std::string_view text);

/// The largest |exponent| (of 10) that read_exact turns into a rational; beyond it, the exact
/// value would be too large to compute with, so the number is refused.
constexpr std::int64_t kMaxExactExp10 = 100000;

/// The exact value of "p/q" (p optionally signed, q > 0, both decimal digit runs) or of a decimal
/// as parse_decimal reads it; nullopt for anything else (a zero denominator, a signed q, trailing
/// text, an exponent beyond kMaxExactExp10).
std::optional<Rational> read_exact(std::string_view text);

/// A whole decimal integer (optionally signed, no exponent, no trailing text) in [lo, hi].
std::optional<long long> read_integer(std::string_view text, long long lo, long long hi);

/// A whole unsigned decimal integer (no sign, no exponent, no trailing text) below 2^64.
std::optional<std::uint64_t> read_unsigned64(std::string_view text);

/// Which binary64 value of d to take: the one below, the one above, or the nearest (ties to even).
enum class Round { down, up, nearest };
/// d rounded to binary64 in direction r, subnormals as binary64 has them, +-inf on overflow.
double to_binary64(const Decimal& d, Round r);
/// The tightest binary64 interval [lo, hi] around d (lo == hi when d is a binary64 value);
/// nullopt when |d| > DBL_MAX rounds to infinity.
std::optional<std::pair<double, double>> enclose_binary64(const Decimal& d);
/// Canonical text of a nonzero decimal, "-d.ddde-N": equal texts iff equal values.
std::string canonical(const Decimal& d);

}  // namespace fim::num
