#include "fim/spec_values.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "fim/spec.hpp"
#include "io/matrix_io.hpp"

namespace fim::model {

void bad_key(const std::string& key, const std::string& reason) {
  throw io::InputError("--model", "key '" + key + "'", reason);
}

long long integer_in(const std::string& key, const std::string& v, long long lo, long long hi) {
  long long x = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size())
    bad_key(key, fmt::format("'{}' is not an integer", v));
  if (x < lo || x > hi) bad_key(key, fmt::format("{} is not in {}..{}", x, lo, hi));
  return x;
}

std::uint64_t unsigned64(const std::string& key, const std::string& v) {
  std::uint64_t x = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size())
    bad_key(key, fmt::format("'{}' is not an unsigned 64-bit integer", v));
  return x;
}

double positive_real(const std::string& key, const std::string& v) {
  double x = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size())
    bad_key(key, fmt::format("'{}' is not a number", v));
  if (!(x > 0) || !std::isfinite(x)) bad_key(key, fmt::format("{} is not finite and > 0", v));
  return x;
}

Activation activation_of(const std::string& key, const std::string& v) {
  for (Activation a : {Activation::tanh, Activation::gelu, Activation::relu})
    if (v == name_of(a)) return a;
  bad_key(key, fmt::format("'{}' is not one of tanh, gelu, relu", v));
}

}  // namespace fim::model
