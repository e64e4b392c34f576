// num::parallel_for, the one worker pool of `--jobs`: every index runs exactly once on any number
// of jobs, progress counts up one at a time, and a failing piece stops the run with the exception
// a plain loop would have thrown (the smallest failing index), whatever the threads did meanwhile.
#include <doctest/doctest.h>

#include <atomic>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "numeric/parallel.hpp"

using fim::num::parallel_for;

TEST_CASE("every index runs once, in its own slot, on 1, 2 and 7 jobs") {
  for (int jobs : {1, 2, 7}) {
    std::vector<int> runs(1000, 0);
    std::vector<int> progress;
    parallel_for(0, 1000, jobs, [&](int i) { ++runs[static_cast<std::size_t>(i)]; },
                 [&](int done) { progress.push_back(done); });
    for (int r : runs) CHECK(r == 1);
    REQUIRE(progress.size() == 1000);
    for (std::size_t k = 0; k < progress.size(); ++k) CHECK(progress[k] == static_cast<int>(k) + 1);
  }
}

TEST_CASE("a range [begin, end) away from 0, and an empty one") {
  std::vector<std::atomic<int>> runs(20);
  parallel_for(5, 15, 3, [&](int i) { ++runs[static_cast<std::size_t>(i)]; });
  for (int i = 0; i < 20; ++i) CHECK(runs[static_cast<std::size_t>(i)] == (i >= 5 && i < 15 ? 1 : 0));
  bool ran = false;
  parallel_for(3, 3, 2, [&](int) { ran = true; });
  CHECK_FALSE(ran);
}

TEST_CASE("one job runs on the calling thread, in order; more jobs use more threads") {
  const auto caller = std::this_thread::get_id();
  std::vector<int> order;
  parallel_for(0, 50, 1, [&](int i) {
    CHECK(std::this_thread::get_id() == caller);
    order.push_back(i);
  });
  for (int i = 0; i < 50; ++i) CHECK(order[static_cast<std::size_t>(i)] == i);
  // two pieces that each wait for the other can only finish on two threads
  std::atomic<int> arrived{0};
  parallel_for(0, 2, 2, [&](int) {
    ++arrived;
    while (arrived.load() < 2) std::this_thread::yield();
  });
  CHECK(arrived == 2);
}

TEST_CASE("the smallest failing index is rethrown, as a loop would throw it") {
  for (int jobs : {1, 2, 4}) {
    std::atomic<int> started{0};
    try {
      parallel_for(0, 10000, jobs, [&](int i) {
        ++started;
        if (i == 300 || i == 301 || i == 5000) throw std::runtime_error("piece " + std::to_string(i));
      });
      FAIL("no exception");
    } catch (const std::runtime_error& e) {
      CHECK(std::string(e.what()) == "piece 300");
    }
    CHECK(started < 10000);  // no piece starts after a failure is seen (at most one per thread in flight)
  }
}

TEST_CASE("jobs 0 or negative means every core") {
  CHECK(fim::num::all_cores() >= 1);
  CHECK(fim::num::resolve_jobs(0) == fim::num::all_cores());
  CHECK(fim::num::resolve_jobs(-3) == fim::num::all_cores());
  CHECK(fim::num::resolve_jobs(5) == 5);
}
