#include "io/score_shards.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "io/matrix_io.hpp"
#include "io/npy.hpp"

namespace fim::io {
using Eigen::Index;
using nlohmann::json;

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Parses a manifest with the file and field every refusal names.
class ManifestReader {
 public:
  explicit ManifestReader(const std::string& path) : path_(path) {}

  ScoreShards read() {
    const json m = parse();
    if (!m.is_object()) fail("manifest", "is not a JSON object");
    if (m.value("format", json()) != "fimcheck-scores")
      fail("format", "is not \"fimcheck-scores\" (write the manifest with python/fimcheck_torch.py)");
    if (count(m, "version", 1) != 1) fail("version", "is not 1, the version this fimcheck reads");
    ScoreShards s;
    s.origin = path_;
    s.n = count(m, "n", 1);
    s.d = count(m, "d", 1);
    const std::string dtype = m.value("dtype", json()).is_string() ? m["dtype"].get<std::string>() : "";
    if (dtype != "float32" && dtype != "float64") fail("dtype", "is not \"float32\" or \"float64\"");
    s.item_bytes = dtype == "float32" ? 4 : 8;
    if (!m.contains("shards") || !m["shards"].is_array() || m["shards"].empty())
      fail("shards", "is not a non-empty array");
    for (std::size_t k = 0; k < m["shards"].size(); ++k) add_shard(s, m["shards"][k], k);
    if (s.shards.back().c1 != s.d)
      fail("shards", fmt::format("cover columns [0, {}), but d = {}", s.shards.back().c1, s.d));
    return s;
  }

 private:
  [[noreturn]] void fail(const std::string& field, const std::string& reason) const {
    throw InputError(path_, field, reason);
  }

  json parse() const {
    std::ifstream in(path_, std::ios::binary);
    if (!in) fail("file", "cannot open");
    try {
      return json::parse(in);
    } catch (const json::parse_error& e) {
      fail("file", std::string("not valid JSON: ") + e.what());
    }
  }

  // m[key] as an exact integer >= lo (a JSON number without fraction or exponent).
  Index count(const json& m, const std::string& key, Index lo) const {
    const auto it = m.find(key);
    if (it == m.end()) fail(key, "is missing");
    if (!it->is_number_integer() || it->get<long long>() < lo)
      fail(key, fmt::format("is not an integer >= {}", lo));
    return it->get<Index>();
  }

  // [c0, c1) from a JSON pair of integers with 0 <= c0 < c1.
  std::pair<Index, Index> range(const json& r, const std::string& field) const {
    if (!r.is_array() || r.size() != 2 || !r[0].is_number_integer() || !r[1].is_number_integer() ||
        r[0].get<long long>() < 0 || r[0].get<long long>() >= r[1].get<long long>())
      fail(field, "is not a column range [start, end) of integers with 0 <= start < end");
    return {r[0].get<Index>(), r[1].get<Index>()};
  }

  void add_shard(ScoreShards& s, const json& j, std::size_t k) {
    const std::string field = fmt::format("shards[{}]", k);
    if (!j.is_object() || !j.contains("file") || !j["file"].is_string())
      fail(field, "has no \"file\" string");
    const auto [c0, c1] = range(j.value("columns", json()), field + ".columns");
    const Index expect = s.shards.empty() ? 0 : s.shards.back().c1;
    if (c0 != expect) fail(field + ".columns", fmt::format("start at {}, not at {} where the shard before ends", c0, expect));
    std::filesystem::path file(j["file"].get<std::string>());
    if (file.is_relative()) file = std::filesystem::path(path_).parent_path() / file;
    s.shards.push_back({file.string(), c0, c1});
    add_groups(s, j, field, file.filename().string());
  }

  // The shard's parameters, in order, covering its columns exactly; a parameter split over
  // shards continues the group it started.
  void add_groups(ScoreShards& s, const json& j, const std::string& field, const std::string& fallback) {
    const ScoreShards::Shard& sh = s.shards.back();
    if (!j.contains("params") || j["params"].empty()) {
      s.groups.push_back({fallback, sh.c0, sh.c1});
      return;
    }
    if (!j["params"].is_array()) fail(field + ".params", "is not an array");
    Index at = sh.c0;
    for (std::size_t p = 0; p < j["params"].size(); ++p) {
      const json& q = j["params"][p];
      const std::string pf = fmt::format("{}.params[{}]", field, p);
      if (!q.is_object() || !q.contains("name") || !q["name"].is_string()) fail(pf, "has no \"name\" string");
      const auto [c0, c1] = range(q.value("columns", json()), pf + ".columns");
      if (c0 != at || c1 > sh.c1)
        fail(pf + ".columns", fmt::format("[{}, {}) does not continue the shard's columns at {} within [{}, {})", c0, c1, at, sh.c0, sh.c1));
      const std::string name = q["name"].get<std::string>();
      if (!s.groups.empty() && s.groups.back().name == name && s.groups.back().c1 == c0)
        s.groups.back().c1 = c1;
      else if (std::any_of(s.groups.begin(), s.groups.end(), [&](const auto& g) { return g.name == name; }))
        fail(pf + ".name", "'" + name + "' appears again after other parameters");
      else
        s.groups.push_back({name, c0, c1});
      at = c1;
    }
    if (at != sh.c1) fail(field + ".params", fmt::format("cover columns up to {}, but the shard ends at {}", at, sh.c1));
  }

  std::string path_;
};

}  // namespace

bool is_manifest(const std::string& path) { return ends_with(path, ".json"); }

ScoreShards read_manifest(const std::string& path) { return ManifestReader(path).read(); }

ScoreShards shards_of_files(const std::vector<std::string>& files) {
  ScoreShards s;
  s.origin = files.at(0);
  for (const std::string& f : files) {
    const NpyMatrix g(f);
    if (g.ndim() != 2) throw InputError(f, "shape", "a shard must be a 2-D array (n x columns)");
    if (s.shards.empty()) s.n = g.rows();
    if (g.rows() != s.n)
      throw InputError(f, "shape", fmt::format("has {} rows, but {} has {}: every shard holds all n samples", g.rows(), files[0], s.n));
    s.shards.push_back({f, s.d, s.d + g.cols()});
    // A group is named by its file name, or by its path when two shards share a file name.
    const std::string name = std::filesystem::path(f).filename().string();
    const bool repeated = std::any_of(files.begin(), files.end(), [&](const std::string& o) {
      return o != f && std::filesystem::path(o).filename().string() == name;
    });
    s.groups.push_back({repeated ? f : name, s.d, s.d + g.cols()});
    s.d += g.cols();
  }
  return s;
}

ShardReader::ShardReader(const ScoreShards& s) : s_(s), open_(s.shards.size()) {}
ShardReader::~ShardReader() = default;

const NpyMatrix& ShardReader::open(std::size_t k) {
  if (open_[k]) return *open_[k];
  const ScoreShards::Shard& sh = s_.shards[k];
  auto g = std::make_unique<NpyMatrix>(sh.file);
  const auto refuse = [&](const std::string& reason) {
    throw InputError(sh.file, "shard", reason + " (listed in " + s_.origin + ")");
  };
  if (g->ndim() != 2) refuse("is not a 2-D array");
  if (g->rows() != s_.n) refuse(fmt::format("has {} rows, but n = {}", g->rows(), s_.n));
  if (g->cols() != sh.c1 - sh.c0)
    refuse(fmt::format("has {} columns, but its range [{}, {}) has {}", g->cols(), sh.c0, sh.c1, sh.c1 - sh.c0));
  if (s_.item_bytes != 0 && g->item_bytes() != s_.item_bytes)
    refuse(fmt::format("holds float{}, but the manifest's dtype is float{}", 8 * g->item_bytes(), 8 * s_.item_bytes));
  open_[k] = std::move(g);
  return *open_[k];
}

void ShardReader::read(Index r0, Index h, Index c0, Index w, Eigen::MatrixXd& out) {
  if (r0 < 0 || h < 0 || c0 < 0 || w < 0 || r0 > s_.n - h || c0 > s_.d - w)
    throw std::out_of_range(fmt::format("ShardReader::read: rows [{}, +{}) x columns [{}, +{}) outside {} x {}",
                                        r0, h, c0, w, s_.n, s_.d));
  // Shards wholly left of this block are done with in a left-to-right sweep: unmap them.
  for (std::size_t k = 0; k < open_.size() && s_.shards[k].c1 <= c0; ++k) open_[k].reset();
  out.resize(h, w);
  for (std::size_t k = 0; k < s_.shards.size(); ++k) {
    const ScoreShards::Shard& sh = s_.shards[k];
    const Index lo = std::max(c0, sh.c0), hi = std::min(c0 + w, sh.c1);
    if (lo >= hi) continue;
    const NpyMatrix& g = open(k);
    if (lo == c0 && hi == c0 + w) {
      g.read_block(r0, h, lo - sh.c0, hi - lo, out);  // the common case: the block lies in one shard
      return;
    }
    g.read_block(r0, h, lo - sh.c0, hi - lo, part_);
    out.middleCols(lo - c0, hi - lo) = part_;
  }
}

}  // namespace fim::io
