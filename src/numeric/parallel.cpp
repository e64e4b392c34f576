#include "numeric/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include <mpfr.h>

namespace fim::num {

int all_cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

int resolve_jobs(int jobs) { return jobs >= 1 ? jobs : all_cores(); }

void parallel_for(int begin, int end, int jobs, const std::function<void(int)>& work,
                  const std::function<void(int)>& done) {
  if (end <= begin) return;
  const int threads = std::min(resolve_jobs(jobs), end - begin);
  std::atomic<int> next{begin};
  std::atomic<bool> failed{false};
  std::mutex lock;  // guards finished, first_failure, error and the calls of done
  int finished = 0, first_failure = end;
  std::exception_ptr error;
  const auto run = [&] {
    for (int i; !failed.load() && (i = next++) < end;) {
      try {
        work(i);
      } catch (...) {
        const std::lock_guard g(lock);
        if (i < first_failure) first_failure = i, error = std::current_exception();
        failed = true;
        continue;
      }
      const std::lock_guard g(lock);
      ++finished;
      if (done) done(finished);
    }
  };
  std::vector<std::thread> pool;
  for (int w = 1; w < threads; ++w) {
    try {
      pool.emplace_back([&] {
        run();
        mpfr_free_cache2(MPFR_FREE_LOCAL_CACHE);  // MPFR keeps per-thread caches of constants (pi, log 2)
      });
    } catch (const std::system_error&) {
      break;  // no more threads to be had: the ones running (and this one) do the rest
    }
  }
  run();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace fim::num
