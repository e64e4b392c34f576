// Score shards: a manifest (format "fimcheck-scores", version 1) parses into its shards and
// parameter groups, every malformed field is refused with an InputError naming it, and
// ShardReader gives exactly the blocks of the concatenated matrix, refusing a shard that does
// not match its listing when it is first read.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/matrix_io.hpp"
#include "io/npy_write.hpp"  // npy_bytes, for float32 files
#include "io/score_shards.hpp"
#include "support/io_checks.hpp"
#include "support/npy_files.hpp"

using Eigen::Index;
using Eigen::MatrixXd;
using fim::io::InputError;
using fim::io::ScoreShards;
using fim::io::ShardReader;
using fim::test::require_input_error;
using fim::test::TempDir;
using fim::test::write_npy_matrix;
using nlohmann::json;

namespace {

// Writes m (every entry a float32 value) as a float32 .npy file: write_npy's header with '<f4'
// for '<f8' (same length, so the padding stays right) and the entries as float.
std::string write32(const TempDir& dir, const std::string& name, const MatrixXd& m) {
  std::vector<double> v;
  for (Index i = 0; i < m.rows(); ++i)
    for (Index j = 0; j < m.cols(); ++j) v.push_back(m(i, j));
  const std::string b = fim::io::npy_bytes({std::uint64_t(m.rows()), std::uint64_t(m.cols())}, v);
  std::string out = b.substr(0, b.size() - 8 * v.size());
  const std::size_t at = out.find("<f8");
  REQUIRE(at != std::string::npos);
  out[at + 2] = '4';
  for (const double x : v) {
    const float f = static_cast<float>(x);
    REQUIRE(double(f) == x);
    char c[4];
    std::memcpy(c, &f, 4);
    out.append(c, 4);
  }
  return dir.write(name, out);
}

// An n x d matrix of distinct values that are exact in float32 (so both dtypes hold G exactly).
MatrixXd distinct(Index n, Index d, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> small(-1000, 1000);
  MatrixXd g(n, d);
  for (Index j = 0; j < d; ++j)
    for (Index i = 0; i < n; ++i) g(i, j) = float(small(rng) + 0.125 * double(i) + 1.0 / 1024 * double(j));
  return g;
}

json param(const std::string& name, Index c0, Index c1) {
  return {{"name", name}, {"columns", {c0, c1}}, {"shape", {c1 - c0}}};
}

// G (3 x 10) in shards [0, 4), [4, 7), [7, 10): parameter "a" [0, 3), "b" [3, 6) split over the
// first two shards, "c" [6, 10) split over the last two.
constexpr Index kN = 3, kD = 10;
json good_manifest(const std::string& dtype = "float64") {
  return {{"format", "fimcheck-scores"},
          {"version", 1},
          {"n", kN},
          {"d", kD},
          {"dtype", dtype},
          {"labels", "data"},
          {"seed", 0},
          {"method", "vmap"},
          {"model_hash", "sha256:" + std::string(64, '0')},
          {"shards",
           {{{"file", "s0.npy"}, {"columns", {0, 4}}, {"params", {param("a", 0, 3), param("b", 3, 4)}}},
            {{"file", "s1.npy"}, {"columns", {4, 7}}, {"params", {param("b", 4, 6), param("c", 6, 7)}}},
            {{"file", "s2.npy"}, {"columns", {7, 10}}, {"params", {param("c", 7, 10)}}}}},
          {"zero_grad", json::array()},
          {"frozen", json::array()},
          {"notes", json::array()}};
}

// The shards of g at the good manifest's columns, in dir, with the given dtype.
void write_shards(const TempDir& dir, const MatrixXd& g, bool f32) {
  const Index cut[] = {0, 4, 7, 10};
  for (int k = 0; k < 3; ++k) {
    const MatrixXd part = g.middleCols(cut[k], cut[k + 1] - cut[k]);
    const std::string name = std::string("s") + char('0' + k) + ".npy";
    if (f32) write32(dir, name, part);
    else write_npy_matrix(dir, name, part);
  }
}

std::string write_manifest(const TempDir& dir, const json& m, const std::string& name = "manifest.json") {
  return dir.write(name, m.dump(2));
}

// Every block of rows [r0, r0 + h) x columns [c0, c0 + w) read through the shards equals G's,
// exactly; returns how many blocks spanned 1, 2 and 3 shards.
std::vector<int> check_every_block(const ScoreShards& s, const MatrixXd& g) {
  std::vector<int> spans(4, 0);
  ShardReader reader(s);
  MatrixXd out;
  for (Index c0 = 0; c0 < g.cols(); ++c0)
    for (Index w = 1; c0 + w <= g.cols(); ++w)
      for (Index r0 = 0; r0 < g.rows(); ++r0)
        for (Index h = 1; r0 + h <= g.rows(); ++h) {
          reader.read(r0, h, c0, w, out);
          REQUIRE(out.rows() == h);
          REQUIRE(out.cols() == w);
          CHECK((out.array() == g.block(r0, c0, h, w).array()).all());
          int k = 0;
          for (const auto& sh : s.shards) k += sh.c0 < c0 + w && c0 < sh.c1;
          ++spans[std::size_t(k)];
        }
  return spans;
}

}  // namespace

TEST_CASE("a valid manifest gives its shards, and a parameter split over shards is one group") {
  TempDir dir;
  const MatrixXd g = distinct(kN, kD, 1);
  write_shards(dir, g, false);
  const std::string path = write_manifest(dir, good_manifest());
  CHECK(fim::io::is_manifest(path));
  const ScoreShards s = fim::io::read_manifest(path);
  CHECK(s.origin == path);
  CHECK(s.n == kN);
  CHECK(s.d == kD);
  CHECK(s.item_bytes == 8);
  REQUIRE(s.shards.size() == 3);
  const Index cut[] = {0, 4, 7, 10};
  const char* files[] = {"s0.npy", "s1.npy", "s2.npy"};
  for (std::size_t k = 0; k < 3; ++k) {
    CHECK(s.shards[k].file == (dir.path / files[k]).string());
    CHECK(s.shards[k].c0 == cut[k]);
    CHECK(s.shards[k].c1 == cut[k + 1]);
  }
  REQUIRE(s.groups.size() == 3);
  CHECK(s.groups[0].name == "a");
  CHECK(s.groups[0].c0 == 0);
  CHECK(s.groups[0].c1 == 3);
  CHECK(s.groups[1].name == "b");
  CHECK(s.groups[1].c0 == 3);
  CHECK(s.groups[1].c1 == 6);
  CHECK(s.groups[2].name == "c");
  CHECK(s.groups[2].c0 == 6);
  CHECK(s.groups[2].c1 == 10);

  // a shard without params is one group named by its file
  json m = good_manifest("float32");
  m["shards"][2].erase("params");
  m["shards"][1]["params"] = {param("b", 4, 7)};
  const ScoreShards t = fim::io::read_manifest(write_manifest(dir, m, "m2.json"));
  CHECK(t.item_bytes == 4);
  REQUIRE(t.groups.size() == 3);
  CHECK(t.groups[1].name == "b");
  CHECK(t.groups[1].c1 == 7);
  CHECK(t.groups[2].name == "s2.npy");
  CHECK(t.groups[2].c0 == 7);
  CHECK(t.groups[2].c1 == 10);
}

TEST_CASE("each malformed manifest field is refused with an InputError naming the manifest and the field") {
  TempDir dir;
  struct Bad {
    const char* what;
    std::function<void(json&)> edit;
    const char* place;
    const char* reason;
  };
  const std::vector<Bad> bad = {
      {"wrong format", [](json& m) { m["format"] = "fimcheck-score"; }, "format", "fimcheck-scores"},
      {"version 2", [](json& m) { m["version"] = 2; }, "version", "not 1"},
      {"n as 64.0", [](json& m) { m["n"] = 64.0; }, "n", "integer"},
      {"n as \"64\"", [](json& m) { m["n"] = "64"; }, "n", "integer"},
      {"negative n", [](json& m) { m["n"] = -64; }, "n", "integer"},
      {"n missing", [](json& m) { m.erase("n"); }, "n", "missing"},
      {"d as 10.0", [](json& m) { m["d"] = 10.0; }, "d", "integer"},
      {"dtype missing", [](json& m) { m.erase("dtype"); }, "dtype", "float32"},
      {"dtype float16", [](json& m) { m["dtype"] = "float16"; }, "dtype", "float32"},
      {"shards empty", [](json& m) { m["shards"] = json::array(); }, "shards", "non-empty"},
      {"shards not contiguous", [](json& m) { m["shards"][1]["columns"] = {5, 7}; }, "shards[1].columns", "start at 5"},
      {"shards overlapping", [](json& m) { m["shards"][2]["columns"] = {6, 10}; }, "shards[2].columns", "start at 6"},
      {"first shard not at 0", [](json& m) { m["shards"][0]["columns"] = {1, 4}; }, "shards[0].columns", "start at 1"},
      {"last shard short of d", [](json& m) { m["d"] = 11; }, "shards", "d = 11"},
      {"last shard past d", [](json& m) { m["d"] = 9; }, "shards", "d = 9"},
      {"shard without file", [](json& m) { m["shards"][1].erase("file"); }, "shards[1]", "file"},
      {"empty column range", [](json& m) { m["shards"][1]["columns"] = {4, 4}; }, "shards[1].columns", "range"},
      {"params not continuing",
       [](json& m) { m["shards"][0]["params"] = {param("a", 0, 3), param("b", 2, 4)}; },
       "shards[0].params[1].columns", "does not continue"},
      {"params past the shard",
       [](json& m) { m["shards"][0]["params"] = {param("a", 0, 3), param("b", 3, 5)}; },
       "shards[0].params[1].columns", "does not continue"},
      {"params not starting at the shard",
       [](json& m) { m["shards"][1]["params"] = {param("b", 5, 6), param("c", 6, 7)}; },
       "shards[1].params[0].columns", "does not continue"},
      {"params not covering the shard", [](json& m) { m["shards"][0]["params"] = {param("a", 0, 3)}; },
       "shards[0].params", "up to 3"},
      {"param without name", [](json& m) { m["shards"][2]["params"][0].erase("name"); }, "shards[2].params[0]", "name"},
      {"a name reappearing after another parameter",
       [](json& m) { m["shards"][2]["params"] = {param("c", 7, 8), param("a", 8, 10)}; },
       "shards[2].params[1].name", "'a' appears again"},
      {"a name reappearing within a shard",
       [](json& m) { m["shards"][0]["params"] = {param("a", 0, 1), param("b", 1, 2), param("a", 2, 4)}; },
       "shards[0].params[2].name", "'a' appears again"},
  };
  for (const Bad& b : bad) {
    INFO(b.what);
    json m = good_manifest();
    b.edit(m);
    const std::string path = write_manifest(dir, m);
    require_input_error([&] { fim::io::read_manifest(path); }, path, b.place, b.reason);
  }
  const std::string path = dir.write("broken.json", "{\"format\": ");
  require_input_error([&] { fim::io::read_manifest(path); }, path, "file", "not valid JSON");
  const std::string missing = (dir.path / "absent.json").string();
  require_input_error([&] { fim::io::read_manifest(missing); }, missing, "file", "cannot open");
}

TEST_CASE("ShardReader: blocks across 1, 2 and 3 shards are G's blocks, exactly, in both dtypes") {
  for (const bool f32 : {false, true}) {
    INFO("float32: " << f32);
    TempDir dir;
    const MatrixXd g = distinct(kN, kD, 2);
    write_shards(dir, g, f32);
    const ScoreShards s = fim::io::read_manifest(write_manifest(dir, good_manifest(f32 ? "float32" : "float64")));
    const std::vector<int> spans = check_every_block(s, g);
    CHECK(spans[1] > 0);
    CHECK(spans[2] > 0);
    CHECK(spans[3] > 0);
    // the same through shards_of_files (the plain list: one group per file)
    std::vector<std::string> files;
    for (const auto& sh : s.shards) files.push_back(sh.file);
    const ScoreShards p = fim::io::shards_of_files(files);
    CHECK(p.n == kN);
    CHECK(p.d == kD);
    CHECK(p.item_bytes == 0);
    REQUIRE(p.groups.size() == 3);
    CHECK(p.groups[1].name == "s1.npy");
    CHECK(p.groups[1].c0 == 4);
    CHECK(p.groups[1].c1 == 7);
    check_every_block(p, g);
  }
  // a right-to-left sweep (shards unmapped and mapped again) reads the same
  TempDir dir;
  const MatrixXd g = distinct(kN, kD, 3);
  write_shards(dir, g, false);
  const ScoreShards s = fim::io::read_manifest(write_manifest(dir, good_manifest()));
  ShardReader reader(s);
  MatrixXd out;
  for (Index c0 = kD - 1; c0 >= 0; --c0) {
    reader.read(0, kN, c0, 1, out);
    CHECK((out.array() == g.middleCols(c0, 1).array()).all());
    reader.read(0, kN, 0, kD, out);
    CHECK((out.array() == g.array()).all());
  }
}

TEST_CASE("a shard that differs from the manifest is refused when first read, naming the shard") {
  const MatrixXd g = distinct(kN, kD, 4);
  struct Bad {
    const char* what;
    MatrixXd shard;  // what s1.npy holds instead of columns [4, 7) of g
    bool f32;
    const char* reason;
  };
  const std::vector<Bad> bad = {
      {"wrong rows", distinct(kN + 1, 3, 5), false, "rows"},
      {"wrong columns", distinct(kN, 4, 6), false, "columns"},
      {"float64 for float32", g.middleCols(4, 3), false, "float64"},
  };
  for (const Bad& b : bad) {
    INFO(b.what);
    TempDir dir;
    write_shards(dir, g, true);
    const std::string s1 = b.f32 ? write32(dir, "s1.npy", b.shard) : write_npy_matrix(dir, "s1.npy", b.shard);
    const std::string path = write_manifest(dir, good_manifest("float32"));
    const ScoreShards s = fim::io::read_manifest(path);  // the manifest itself is fine
    ShardReader reader(s);
    MatrixXd out;
    reader.read(0, kN, 0, 4, out);  // shard 0 only: read
    CHECK((out.array() == g.leftCols(4).array()).all());
    require_input_error([&] { reader.read(0, kN, 2, 4, out); }, s1, "shard", b.reason);
    try {
      ShardReader(s).read(0, 1, 5, 1, out);
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(e.reason.find(path) != std::string::npos);  // and names the manifest listing it
    }
  }
  // float32 where the manifest says float64 is refused too
  TempDir dir;
  write_shards(dir, g, true);
  const ScoreShards s = fim::io::read_manifest(write_manifest(dir, good_manifest("float64")));
  MatrixXd out;
  require_input_error([&] { ShardReader(s).read(0, kN, 0, 1, out); }, s.shards[0].file, "shard", "float32");
}

TEST_CASE("shards_of_files refuses files with different row counts, naming the file") {
  TempDir dir;
  const std::string a = write_npy_matrix(dir, "a.npy", distinct(3, 4, 7));
  const std::string b = write_npy_matrix(dir, "b.npy", distinct(3, 2, 8));
  const std::string c = write_npy_matrix(dir, "c.npy", distinct(4, 2, 9));
  const ScoreShards ok = fim::io::shards_of_files({a, b});
  CHECK(ok.d == 6);
  CHECK(ok.shards[1].c0 == 4);
  require_input_error([&] { fim::io::shards_of_files({a, b, c}); }, c, "shape", "4 rows");
  require_input_error([&] { fim::io::shards_of_files({c, a}); }, a, "shape", "3 rows");
}

TEST_CASE("a 1-D array is refused as a shard, by the reader and by shards_of_files") {
  TempDir dir;
  const std::vector<double> v = {1, 2, 3};
  const std::string flat = (dir.path / "flat.npy").string();
  fim::io::write_npy(flat, {3}, v);
  json m = good_manifest();
  m["n"] = 1;
  m["d"] = 3;
  m["shards"] = {{{"file", "flat.npy"}, {"columns", {0, 3}}}};
  const ScoreShards s = fim::io::read_manifest(write_manifest(dir, m));
  MatrixXd out;
  require_input_error([&] { ShardReader(s).read(0, 1, 0, 3, out); }, flat, "shard", "2-D");
  require_input_error([&] { fim::io::shards_of_files({flat}); }, flat, "shape", "2-D");
}
