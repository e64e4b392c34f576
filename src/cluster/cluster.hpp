// Many machines: the ranks of an `mpirun -np K fimcheck ...` run (SPEC S13). fimcheck starts MPI
// only when a launcher started it (mpirun sets OMPI_COMM_WORLD_SIZE / PMIX_RANK / PMI_RANK); a plain
// run, and every run of a build without OpenMPI, is one process of rank 0 in a world of size 1.
#pragma once
#include <string>
#include <vector>

namespace fim::cluster {

/// This process's place among the ranks of the run.
struct World {
  int rank = 0;
  int size = 1;
  bool root() const { return rank == 0; }
};

/// Starts MPI when a launcher started this process (and the build has OpenMPI), and finalizes it
/// when destroyed. Construct one, first thing in main. Throws std::runtime_error when a launcher
/// started several ranks of a build without OpenMPI: each would run the whole job.
class Session {
 public:
  Session(int& argc, char**& argv);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
};

/// The world of this run: {0, 1} unless a Session started MPI.
World world();

/// Whether this build can run across ranks (it was built with OpenMPI).
bool built_with_mpi();

/// Collective over every rank: rank 0 receives every rank's `mine`, in rank order; the other ranks
/// receive an empty vector. With one rank: {mine}. When the results exceed 2 GiB together, every
/// rank throws std::runtime_error (none is left waiting).
std::vector<std::string> gather(const std::string& mine);

/// Collective: every rank receives rank 0's `value` (every rank throws std::runtime_error when it
/// exceeds 2 GiB).
std::string broadcast(const std::string& value);

/// Collective: waits until every rank has arrived.
void barrier();

/// The slice [begin, end) of `count` independent pieces that slice `index` of `slices` owns:
/// contiguous, in order, sizes differing by at most one (the first count % slices get one more).
struct Slice {
  long long begin = 0, end = 0;
};
Slice slice_of(long long count, int index, int slices);

}  // namespace fim::cluster
