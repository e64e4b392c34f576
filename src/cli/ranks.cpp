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

// The partials of this rank's units, one after another.
std::string run_units(Index n, Index d, const linalg::BlockReader& read, cluster::World w,
                      const std::function<void(double)>& progress) {
  const cluster::Slice mine = cluster::slice_of(linalg::gram_units(d), w.rank, w.size);
  const Index width = std::min<Index>(d, mine.end * linalg::kUnitColumns) - mine.begin * linalg::kUnitColumns;
  std::string out;
  for (Index u = mine.begin; u < mine.end; ++u)
    out += to_bytes(linalg::gram_of_unit(n, d, u, read, [&](Index done) {
      if (progress && width > 0)
        progress(static_cast<double>((u - mine.begin) * linalg::kUnitColumns + done) / static_cast<double>(width));
    }));
  return out;
}

// Appends x's bytes to out / reads them from in at `at`, advancing it.
template <class T>
void put(std::string& out, const T& x) {
  out.append(reinterpret_cast<const char*>(&x), sizeof x);
}
template <class T>
T take(std::string_view in, std::size_t& at) {
  if (at + sizeof(T) > in.size()) throw std::runtime_error("a rank sent a truncated result");
  T x;
  std::memcpy(&x, in.data() + at, sizeof x);
  at += sizeof x;
  return x;
}

// A group pass as bytes: the group count, each group's name, columns and the four ends, then the
// partial. Every number keeps its exact binary64 value.
std::string pass_to_bytes(const fim::GroupPass& p) {
  std::string out;
  put(out, static_cast<long long>(p.groups.size()));
  for (const fim::GroupCurvature& g : p.groups) {
    put(out, static_cast<long long>(g.name.size()));
    out += g.name;
    for (const double x : {double(g.c0), double(g.c1), g.lambda_max.lo, g.lambda_max.hi, g.trace.lo, g.trace.hi})
      put(out, x);
  }
  return out + to_bytes(p.total);
}

fim::GroupPass pass_from_bytes(std::string_view in) {
  fim::GroupPass p;
  std::size_t at = 0;
  const auto count = take<long long>(in, at);
  for (long long k = 0; k < count; ++k) {
    fim::GroupCurvature g;
    const auto len = static_cast<std::size_t>(take<long long>(in, at));
    if (at + len > in.size()) throw std::runtime_error("a rank sent a truncated result");
    g.name = std::string(in.substr(at, len));
    at += len;
    g.c0 = static_cast<Index>(take<double>(in, at));
    g.c1 = static_cast<Index>(take<double>(in, at));
    g.lambda_max.lo = take<double>(in, at);
    g.lambda_max.hi = take<double>(in, at);
    g.trace.lo = take<double>(in, at);
    g.trace.hi = take<double>(in, at);
    p.groups.push_back(std::move(g));
  }
  p.total = partial_from_bytes(in.substr(at));
  return p;
}

[[noreturn]] void rethrow(const std::string& error) {
  const std::size_t a = error.find('\0', 1), b = error.find('\0', a + 1);
  throw io::InputError(error.substr(1, a - 1), error.substr(a + 1, b - a - 1), error.substr(b + 1));
}

// The collective both computations share: every rank runs `mine` (its part as bytes) and rank 0
// turns the parts, in rank order, into the result with `combine`; every rank receives the result.
// An error on any rank travels as "E" + file \0 place \0 reason, and every rank throws it.
template <class Mine, class Combine>
std::string across_ranks(cluster::World w, const char* what, Mine mine, Combine combine) {
  std::string part;
  try {
    part = "P" + mine();
  } catch (const io::InputError& e) {
    part = "E" + e.file + '\0' + e.place + '\0' + e.reason;
  } catch (const std::exception& e) {
    part = "E" + std::string("rank ") + std::to_string(w.rank) + '\0' + what + '\0' + e.what();
  }
  const std::vector<std::string> parts = cluster::gather(part);
  std::string result;
  if (w.root()) {
    std::vector<std::string_view> ok;
    for (const std::string& r : parts) {
      if (r[0] == 'E') {
        result = r;
        break;
      }
      ok.push_back(std::string_view(r).substr(1));
    }
    if (result.empty()) result = "P" + combine(ok);
  }
  result = cluster::broadcast(result);
  if (result[0] == 'E') rethrow(result);
  return result.substr(1);
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
  const std::size_t each = sizeof(Head) + sizeof(double) * std::size_t(n * n);
  const std::string total = across_ranks(
      w, "gram", [&] { return run_units(n, d, read, w, progress); },
      [&](const std::vector<std::string_view>& parts) {
        linalg::PartialSum sum;  // every unit, in unit order: the sum one process forms
        for (std::string_view r : parts)
          for (std::size_t at = 0; at < r.size(); at += each) sum.add(partial_from_bytes(r.substr(at, each)));
        return to_bytes(sum.total());
      });
  return linalg::enclose_partial(partial_from_bytes(total));
}

fim::GroupPass group_pass_ranks(const io::ScoreShards& s, const std::function<void(double)>& progress) {
  const cluster::World w = cluster::world();
  const cluster::Slice mine = cluster::slice_of(static_cast<long long>(s.groups.size()), w.rank, w.size);
  const std::size_t g0 = std::size_t(mine.begin), g1 = std::size_t(mine.end);
  const Index width = g1 > g0 ? s.groups[g1 - 1].c1 - s.groups[g0].c0 : 0;
  const auto done = [&](Index k) {
    if (progress && width > 0) progress(static_cast<double>(k) / static_cast<double>(width));
  };
  if (w.size == 1) return fim::group_pass(s, g0, g1, done);
  return pass_from_bytes(across_ranks(
      w, "groups", [&] { return pass_to_bytes(fim::group_pass(s, g0, g1, done)); },
      [](const std::vector<std::string_view>& parts) {
        fim::GroupPass sum;
        linalg::PartialSum total;
        for (std::string_view r : parts) {
          fim::GroupPass p = pass_from_bytes(r);
          for (auto& g : p.groups) sum.groups.push_back(std::move(g));
          total.add(std::move(p.total));
        }
        sum.total = total.total();
        return pass_to_bytes(sum);
      }));
}

}  // namespace fim::cli
