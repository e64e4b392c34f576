// Independent pieces of work on several threads (`--jobs N` of check, audit and experiment). The
// callers keep results in slots indexed by piece and read them in order afterwards, so what they
// report does not depend on the number of jobs.
#pragma once
#include <functional>

namespace fim::num {

/// The number of jobs meant by `--jobs` left at its default: every core the system reports (>= 1).
int all_cores();

/// `jobs` itself when it is >= 1, all_cores() when it is 0 or negative.
int resolve_jobs(int jobs);

/// Runs work(i) for every i in [begin, end) on up to resolve_jobs(jobs) threads, the calling thread
/// one of them (jobs = 1: all on the calling thread, in order). Indices start in increasing order;
/// after each piece, done() is called with the pieces finished so far, one call at a time. If pieces
/// throw, no further piece starts and the exception of the smallest such index is rethrown, as a
/// loop over i would have thrown it. Each extra thread frees MPFR's per-thread caches when it ends.
void parallel_for(int begin, int end, int jobs, const std::function<void(int)>& work,
                  const std::function<void(int)>& done = {});

}  // namespace fim::num
