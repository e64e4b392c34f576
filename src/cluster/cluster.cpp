#include "cluster/cluster.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#ifdef FIMCHECK_HAVE_MPI
#include <mpi.h>
#endif

namespace fim::cluster {

namespace {

World g_world;
bool g_started = false;

// The number of ranks a launcher says it started, 0 when no launcher started this process.
int launched_size() {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE"})
    if (const char* v = std::getenv(var)) return std::atoi(v);
  if (std::getenv("PMIX_RANK") || std::getenv("PMI_RANK")) return 1;
  return 0;
}

}  // namespace

bool built_with_mpi() {
#ifdef FIMCHECK_HAVE_MPI
  return true;
#else
  return false;
#endif
}

Session::Session(int& argc, char**& argv) {
  const int launched = launched_size();
#ifdef FIMCHECK_HAVE_MPI
  if (launched == 0) return;
  MPI_Init(&argc, &argv);
  g_started = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &g_world.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_world.size);
#else
  (void)argc;
  (void)argv;
  if (launched > 1)
    throw std::runtime_error(
        "this fimcheck was built without OpenMPI, so each of the " + std::to_string(launched) +
        " ranks mpirun started would run the whole job: install libopenmpi-dev and rebuild "
        "(scripts/deps does), or run one process");
#endif
}

Session::~Session() {
#ifdef FIMCHECK_HAVE_MPI
  if (g_started) MPI_Finalize();
#endif
  g_started = false;
  g_world = World{};
}

World world() { return g_world; }

std::vector<std::string> gather(const std::string& mine) {
  if (g_world.size == 1) return {mine};
#ifdef FIMCHECK_HAVE_MPI
  // Sizes first, then the bytes (MPI_Gatherv, whose counts are ints). Rank 0 decides whether they
  // fit and tells every rank, so that all of them refuse together rather than some waiting.
  long long len = static_cast<long long>(mine.size());
  std::vector<long long> lens(g_world.size);
  MPI_Gather(&len, 1, MPI_LONG_LONG, lens.data(), 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  std::vector<int> counts(g_world.size), displs(g_world.size);
  std::string all;
  int fits = 1;
  if (g_world.root()) {
    long long total = 0;
    for (int r = 0; r < g_world.size && fits; ++r) {
      if (lens[r] > 0x7fffffff || total > 0x7fffffff - lens[r]) fits = 0;
      else {
        counts[r] = static_cast<int>(lens[r]);
        displs[r] = static_cast<int>(total);
        total += lens[r];
      }
    }
    if (fits) all.resize(static_cast<std::size_t>(total));
  }
  MPI_Bcast(&fits, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (!fits) throw std::runtime_error("the ranks' results exceed 2 GiB together: use fewer cases per run");
  MPI_Gatherv(mine.data(), static_cast<int>(len), MPI_CHAR, all.data(), counts.data(), displs.data(),
              MPI_CHAR, 0, MPI_COMM_WORLD);
  std::vector<std::string> out;
  if (g_world.root())
    for (int r = 0; r < g_world.size; ++r) out.push_back(all.substr(displs[r], counts[r]));
  return out;
#else
  return {mine};
#endif
}

std::string broadcast(const std::string& value) {
  if (g_world.size == 1) return value;
#ifdef FIMCHECK_HAVE_MPI
  long long len = static_cast<long long>(value.size());
  MPI_Bcast(&len, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  if (len > 0x7fffffff)  // every rank knows len: all refuse together
    throw std::runtime_error("rank 0's result exceeds 2 GiB: use fewer cases per run");
  std::string out = g_world.root() ? value : std::string(static_cast<std::size_t>(len), '\0');
  MPI_Bcast(out.data(), static_cast<int>(len), MPI_CHAR, 0, MPI_COMM_WORLD);
  return out;
#else
  return value;
#endif
}

void barrier() {
#ifdef FIMCHECK_HAVE_MPI
  if (g_world.size > 1) MPI_Barrier(MPI_COMM_WORLD);
#endif
}

Slice slice_of(long long count, int index, int slices) {
  if (slices < 1 || index < 0 || index >= slices || count < 0)
    throw std::invalid_argument("slice_of: slice " + std::to_string(index) + " of " +
                                std::to_string(slices) + " (of " + std::to_string(count) + ")");
  const long long q = count / slices, r = count % slices;
  Slice s;
  s.begin = index * q + std::min<long long>(index, r);
  s.end = s.begin + q + (index < r ? 1 : 0);
  return s;
}

}  // namespace fim::cluster
