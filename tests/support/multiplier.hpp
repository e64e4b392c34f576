// FIMCHECK_TEST_MULTIPLIER: one positive number that scales every case count of the soundness
// suites (tests/oracle) and of the property runners (properties/); default 1.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace fim::testing {

/// The multiplier from the environment (default 1); a value that is not a positive finite
/// number ends the process with exit 2 and one line, rather than silently running the default.
inline double multiplier_from_env() {
  const char* s = std::getenv("FIMCHECK_TEST_MULTIPLIER");
  if (!s || !*s) return 1.0;
  char* end = nullptr;
  const double m = std::strtod(s, &end);
  if (*end != '\0' || !std::isfinite(m) || !(m > 0)) {
    std::fprintf(stderr, "FIMCHECK_TEST_MULTIPLIER='%s': expected a positive number\n", s);
    std::exit(2);
  }
  return m;
}

/// base times the multiplier, at least 1.
inline long scaled_count(long base) {
  return std::max(1L, static_cast<long>(static_cast<double>(base) * multiplier_from_env()));
}

}  // namespace fim::testing
