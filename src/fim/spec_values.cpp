#include "fim/spec_values.hpp"

#include <fmt/format.h>

#include <climits>
#include <cmath>
#include <optional>

#include "fim/spec.hpp"
#include "io/matrix_io.hpp"
#include "numeric/decimal.hpp"

namespace fim::model {

void bad_key(const std::string& key, const std::string& reason) {
  throw io::InputError("--model", "key '" + key + "'", reason);
}

long long integer_in(const std::string& key, const std::string& v, long long lo, long long hi) {
  if (!num::read_integer(v, LLONG_MIN, LLONG_MAX)) bad_key(key, fmt::format("'{}' is not an integer", v));
  const std::optional<long long> x = num::read_integer(v, lo, hi);
  if (!x) bad_key(key, fmt::format("{} is not in {}..{}", v, lo, hi));
  return *x;
}

std::uint64_t unsigned64(const std::string& key, const std::string& v) {
  const std::optional<std::uint64_t> x = num::read_unsigned64(v);
  if (!x) bad_key(key, fmt::format("'{}' is not an unsigned 64-bit integer", v));
  return *x;
}

// Read by the one strict reader, then rounded to nearest (as strtod would, without its laxity).
double positive_real(const std::string& key, const std::string& v) {
  const std::optional<num::Decimal> d = num::parse_decimal(v);
  if (!d) bad_key(key, fmt::format("'{}' is not a number", v));
  const double x = num::to_binary64(*d, num::Round::nearest);
  if (!(x > 0) || !std::isfinite(x)) bad_key(key, fmt::format("{} is not finite and > 0", v));
  return x;
}

Activation activation_of(const std::string& key, const std::string& v) {
  for (Activation a : {Activation::tanh, Activation::gelu, Activation::relu})
    if (v == name_of(a)) return a;
  bad_key(key, fmt::format("'{}' is not one of tanh, gelu, relu", v));
}

}  // namespace fim::model
