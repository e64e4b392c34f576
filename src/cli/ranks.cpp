#include "cli/ranks.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "cluster/cluster.hpp"
#include "io/matrix_io.hpp"

namespace fim::cli {
using Eigen::Index;

namespace {

struct Head {
  long long m, height, terms, zero;
};

// A rank's units, or its error: "P" + partials, or "E" + file \0 place \0 reason.
std::string run_units(Index n, Index d, const linalg::BlockReader& read, cluster::World w,
                      const std::function<void(double)>& progress) {
  const cluster::Slice mine = cluster::slice_of(linalg::gram_units(d), w.rank, w.size);
  const Index width = std::min<Index>(d, mine.end * linalg::kUnitColumns) - mine.begin * linalg::kUnitColumns;
  std::string out = "P";
  try {
    for (Index u = mine.begin; u < mine.end; ++u)
      out += to_bytes(linalg::gram_of_unit(n, d, u, read, [&](Index done) {
        if (progress && width > 0)
          progress(static_cast<double>((u - mine.begin) * linalg::kUnitColumns + done) / static_cast<double>(width));
      }));
  } catch (const io::InputError& e) {
    return "E" + e.file + '\0' + e.place + '\0' + e.reason;
  } catch (const std::exception& e) {
    return "E" + std::string("rank ") + std::to_string(w.rank) + '\0' + "gram" + '\0' + e.what();
  }
  return out;
}

[[noreturn]] void rethrow(const std::string& error) {
  const std::size_t a = error.find('\0', 1), b = error.find('\0', a + 1);
  throw io::InputError(error.substr(1, a - 1), error.substr(a + 1, b - a - 1), error.substr(b + 1));
}

}  // namespace

std::string to_bytes(const linalg::GramPartial& p) {
  const Head h{p.lower.rows(), p.height, p.terms, p.zero ? 1 : 0};
  std::string s(sizeof h + sizeof(double) * std::size_t(p.lower.size()), '\0');
  std::memcpy(s.data(), &h, sizeof h);
  std::memcpy(s.data() + sizeof h, p.lower.data(), sizeof(double) * std::size_t(p.lower.size()));
  return s;
}

linalg::GramPartial partial_from_bytes(std::string_view bytes) {
  Head h{};
  if (bytes.size() < sizeof h) throw std::runtime_error("a rank sent a truncated Gram partial");
  std::memcpy(&h, bytes.data(), sizeof h);
  if (h.m < 0 || bytes.size() != sizeof h + sizeof(double) * std::size_t(h.m * h.m))
    throw std::runtime_error("a rank sent a Gram partial of the wrong size");
  linalg::GramPartial p;
  p.lower.resize(h.m, h.m);
  std::memcpy(p.lower.data(), bytes.data() + sizeof h, sizeof(double) * std::size_t(h.m * h.m));
  p.height = h.height;
  p.terms = h.terms;
  p.zero = h.zero != 0;
  return p;
}

linalg::SymMatrix enclose_gram_ranks(Index n, Index d, const linalg::BlockReader& read,
                                     const std::function<void(double)>& progress) {
  const cluster::World w = cluster::world();
  if (w.size == 1 || n >= d) return linalg::enclose_gram(n, d, read, progress);
  const std::vector<std::string> ranks = cluster::gather(run_units(n, d, read, w, progress));
  std::string total;  // rank 0: "P" + the sum of every unit in unit order, or the first error
  if (w.root()) {
    linalg::PartialSum sum;
    const std::size_t each = sizeof(Head) + sizeof(double) * std::size_t(n * n);
    for (const std::string& r : ranks) {
      if (r[0] == 'E') {
        total = r;
        break;
      }
      for (std::size_t at = 1; at < r.size(); at += each) sum.add(partial_from_bytes(std::string_view(r).substr(at, each)));
    }
    if (total.empty()) total = "P" + to_bytes(sum.total());
  }
  total = cluster::broadcast(total);
  if (total[0] == 'E') rethrow(total);
  return linalg::enclose_partial(partial_from_bytes(std::string_view(total).substr(1)));
}

}  // namespace fim::cli
