// The property runners' harness (properties/*.cpp): one line per property, "ok   NAME" or
// "FAIL NAME" (a failure followed by its indented details), a last line "N passed, M failed",
// and exit code 0 only when every property passed. Case counts scale with
// FIMCHECK_TEST_MULTIPLIER (tests/support/multiplier.hpp).
#pragma once
#include <cstdio>
#include <exception>
#include <sstream>
#include <string>

#include <rapidcheck.h>

#include "support/multiplier.hpp"

namespace fim::props {

using testing::scaled_count;

class Runner {
 public:
  /// Records one property's result as one line; `detail` follows the name in brackets.
  bool check(const std::string& name, bool ok, const std::string& detail = "") {
    std::printf("%s %s%s\n", ok ? "ok  " : "FAIL", name.c_str(), detail.empty() ? "" : ("  [" + detail + "]").c_str());
    std::fflush(stdout);
    (ok ? passed_ : failed_)++;
    return ok;
  }

  /// Runs a RapidCheck property on scaled_count(cases) generated cases, quietly unless it fails
  /// (then RapidCheck's shrunk counterexample follows the FAIL line, indented).
  template <class Testable>
  bool property(const std::string& name, long cases, Testable&& testable) {
    rc::detail::TestParams params = rc::detail::configuration().testParams;
    params.maxSuccess = static_cast<int>(scaled_count(cases));
    std::ostringstream why;
    bool ok = false;
    try {
      const rc::detail::TestResult r =
          rc::detail::checkTestable(std::forward<Testable>(testable), rc::detail::TestMetadata{}, params);
      rc::detail::SuccessResult success;
      ok = r.match(success);
      if (!ok) rc::detail::printResultMessage(r, why);
    } catch (const std::exception& e) {
      why << "exception: " << e.what();
    }
    check(name, ok, ok ? std::to_string(params.maxSuccess) + " cases, seed " + std::to_string(params.seed) : "");
    if (!ok) std::printf("    %s\n", indent(why.str()).c_str());
    return ok;
  }

  /// Prints "N passed, M failed"; the process's exit code: 0 when nothing failed, else 1.
  int finish() const {
    std::printf("%d passed, %d failed\n", passed_, failed_);
    return failed_ == 0 ? 0 : 1;
  }

 private:
  static std::string indent(std::string s) {
    for (std::size_t k = 0; (k = s.find('\n', k)) != std::string::npos && k + 1 < s.size(); k += 5)
      s.insert(k + 1, "    ");
    return s;
  }
  int passed_ = 0, failed_ = 0;
};

}  // namespace fim::props
