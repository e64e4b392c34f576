// NpyMatrix / read_npy: every supported layout read exactly, every malformed file refused with
// an InputError naming the file, the place and the reason.
#include <doctest/doctest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "io/matrix_io.hpp"
#include "support/io_checks.hpp"
#include "io/npy.hpp"

namespace fs = std::filesystem;
using Eigen::Index;
using Eigen::MatrixXd;
using fim::io::InputError;
using fim::io::NpyMatrix;

using fim::test::require_input_error;
using TempDir = fim::test::TempDir;

namespace {


// The header dict numpy would write.
std::string dict(const std::string& descr, bool fortran, const std::string& shape) {
  return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
         ", 'shape': " + shape + ", }";
}

// A whole .npy file: magic, version, header length, dict padded to 64 bytes with '\n', data.
std::string npy(const std::string& header, const std::string& data, int major = 1, int minor = 0) {
  const std::size_t pre = major == 1 ? 10 : 12;
  std::string h = header;
  while ((pre + h.size() + 1) % 64 != 0) h += ' ';
  h += '\n';
  std::string out = std::string("\x93NUMPY", 6) + char(major) + char(minor);
  for (std::size_t b = 0; b < pre - 8; ++b) out += char((h.size() >> (8 * b)) & 0xff);
  return out + h + data;
}

// The bytes of values stored as F, in little- or big-endian order.
template <class F>
std::string encode(const std::vector<double>& values, bool big_endian) {
  std::string out;
  for (double v : values) {
    char b[sizeof(F)];
    const F f = static_cast<F>(v);
    std::memcpy(b, &f, sizeof(F));
    if (big_endian) std::reverse(b, b + sizeof(F));
    out.append(b, sizeof(F));
  }
  return out;
}

std::string encode(const std::string& descr, const std::vector<double>& values) {
  const bool big = descr[0] == '>';
  return descr[2] == '8' ? encode<double>(values, big) : encode<float>(values, big);
}

// The storage order of the entries of m (row-major for C order, column-major for Fortran order).
std::vector<double> storage(const MatrixXd& m, bool fortran) {
  std::vector<double> v;
  for (Index a = 0; a < (fortran ? m.cols() : m.rows()); ++a)
    for (Index b = 0; b < (fortran ? m.rows() : m.cols()); ++b)
      v.push_back(fortran ? m(b, a) : m(a, b));
  return v;
}


void require_npy_error(const std::string& path, const std::string& place,
                       const std::string& reason) {
  require_input_error([&] { NpyMatrix m(path); }, path, place, reason);
}

// A test matrix whose entries are exact in float32: small integers, halves, 2^-k, subnormals.
MatrixXd sample(Index r, Index c, bool float32) {
  MatrixXd m(r, c);
  for (Index i = 0; i < r; ++i)
    for (Index j = 0; j < c; ++j)
      m(i, j) = (double(i * c + j) - 7.5) * std::ldexp(1.0, int(j % 5) - 2);
  m(0, 0) = float32 ? double(0.1f) : 0.1;
  if (r > 1 && c > 1)
    m(1, 1) = float32 ? std::ldexp(1.0, -140) : std::ldexp(1.0, -1070);  // subnormal
  return m;
}

}  // namespace

TEST_CASE("npy: every version, dtype and order reads exact values") {
  TempDir dir;
  for (int major : {1, 2, 3})
    for (const char* descr : {"<f8", ">f8", "<f4", ">f4"})
      for (bool fortran : {false, true}) {
        const bool f32 = descr[2] == '4';
        const MatrixXd m = sample(3, 5, f32);
        const std::string path = dir.write("m.npy", npy(dict(descr, fortran, "(3, 5)"),
                                                        encode(descr, storage(m, fortran)), major));
        CAPTURE(major);
        CAPTURE(std::string(descr));
        CAPTURE(fortran);
        const NpyMatrix a(path);
        REQUIRE(a.rows() == 3);
        REQUIRE(a.cols() == 5);
        CHECK(a.file() == path);
        MatrixXd out;
        a.read_block(0, 3, 0, 5, out);
        CHECK(out == m);
        const fim::io::DenseInput d = fim::io::read_dense(path);
        CHECK(d.exact());
        CHECK(d.exact_text.empty());
        CHECK(d.file == path);
        CHECK(d.lo == m);
      }
}

TEST_CASE("npy: a 1-D array is a 1 x d matrix") {
  TempDir dir;
  const std::vector<double> v{1.5, -2.0, 0.25, 1e300};
  for (bool fortran : {false, true}) {
    const std::string path =
        dir.write("v.npy", npy(dict("<f8", fortran, "(4,)"), encode("<f8", v)));
    const fim::io::DenseInput d = fim::io::read_npy(path);
    REQUIRE(d.lo.rows() == 1);
    REQUIRE(d.lo.cols() == 4);
    for (Index j = 0; j < 4; ++j) CHECK(d.lo(0, j) == v[std::size_t(j)]);
  }
}

TEST_CASE("npy: header dicts written by hand parse") {
  TempDir dir;
  const std::string data = encode("<f8", {1, 2, 3, 4, 5, 6});
  for (const std::string h :
       {"{'descr':'<f8','fortran_order':False,'shape':(2,3)}",
        "{ 'shape' : ( 2 , 3 ) , 'fortran_order' : False , 'descr' : '<f8' , }",
        "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (2, 3,)}",
        "{'fortran_order': False, 'shape': (2L, 3L), 'descr': '<f8'}\t\r"}) {
    CAPTURE(h);
    const fim::io::DenseInput d = fim::io::read_npy(dir.write("h.npy", npy(h, data)));
    MatrixXd want(2, 3);
    want << 1, 2, 3, 4, 5, 6;
    CHECK(d.lo == want);
  }
}

TEST_CASE("npy: read_block returns any sub-block, across row tiles and column chunks") {
  TempDir dir;
  for (const char* descr : {"<f8", ">f4"})
    for (bool fortran : {false, true}) {
      MatrixXd m = sample(19, 600, descr[2] == '4');
      const std::string path = dir.write(
          "b.npy", npy(dict(descr, fortran, "(19, 600)"), encode(descr, storage(m, fortran)), 2));
      const NpyMatrix a(path);
      MatrixXd out;
      for (auto [r0, h, c0, w] : {std::array<Index, 4>{0, 19, 0, 600},
                                  {2, 11, 100, 300},
                                  {18, 1, 599, 1},
                                  {8, 8, 255, 2},
                                  {1, 17, 250, 270},
                                  {3, 0, 5, 4},
                                  {1, 2, 600, 0}}) {
        CAPTURE(r0);
        CAPTURE(c0);
        a.read_block(r0, h, c0, w, out);
        REQUIRE(out.rows() == h);
        REQUIRE(out.cols() == w);
        CHECK(out == m.block(r0, c0, h, w));
      }
      CHECK_THROWS_AS(a.read_block(17, 3, 0, 1, out), std::out_of_range);
      CHECK_THROWS_AS(a.read_block(0, 1, -1, 1, out), std::out_of_range);

      m(13, 400) = -std::numeric_limits<double>::infinity();
      m(14, 300) = std::numeric_limits<double>::quiet_NaN();
      const std::string bad = dir.write(
          "bad.npy", npy(dict(descr, fortran, "(19, 600)"), encode(descr, storage(m, fortran)), 2));
      const NpyMatrix b(bad);
      const char* first = fortran ? "entry (14, 300)" : "entry (13, 400)";
      require_input_error([&] { b.read_block(0, 19, 0, 600, out); }, bad, first,
                          fortran ? "NaN" : "-inf");
      require_input_error([&] { b.read_block(9, 8, 260, 200, out); }, bad, first,
                          fortran ? "NaN" : "-inf");
      CHECK_NOTHROW(b.read_block(0, 13, 0, 600, out));
    }
}

TEST_CASE("npy: a moved matrix keeps its mapping") {
  TempDir dir;
  const std::string path =
      dir.write("m.npy", npy(dict("<f4", false, "(1, 2)"), encode("<f4", {3, 4})));
  NpyMatrix a(path);
  NpyMatrix b(std::move(a));
  MatrixXd out;
  b.read_block(0, 1, 0, 2, out);
  CHECK(out(0, 1) == 4.0);
  NpyMatrix c(path);
  c = std::move(b);
  c.read_block(0, 1, 0, 2, out);
  CHECK(out(0, 0) == 3.0);
}

TEST_CASE("npy: NaN and infinities are refused with entry and byte offset") {
  TempDir dir;
  const double nan = std::numeric_limits<double>::quiet_NaN(),
               inf = std::numeric_limits<double>::infinity();
  struct Case {
    double value;
    const char* reason;
  };
  for (const char* descr : {"<f8", ">f8", "<f4", ">f4"})
    for (bool fortran : {false, true})
      for (const Case c : {Case{nan, "NaN"}, Case{inf, "+inf"}, Case{-inf, "-inf"}}) {
        MatrixXd m = sample(3, 4, true);
        m(1, 2) = c.value;
        m(2, 3) = nan;  // a later entry in either order: the first one is reported
        const std::string data = encode(descr, storage(m, fortran));
        const std::string bytes = npy(dict(descr, fortran, "(3, 4)"), data, 1);
        const std::string path = dir.write("n.npy", bytes);
        const std::size_t k = fortran ? 2 * 3 + 1 : 1 * 4 + 2;
        const std::size_t offset = bytes.size() - data.size() + k * (descr[2] == '8' ? 8 : 4);
        CAPTURE(std::string(descr));
        CAPTURE(fortran);
        require_input_error([&] { fim::io::read_npy(path); }, path,
                            "entry (1, 2) at byte offset " + std::to_string(offset), c.reason);
        const NpyMatrix a(path);
        MatrixXd out;
        CHECK_NOTHROW(a.read_block(0, 3, 0, 2, out));  // the block without them is fine
        require_input_error([&] { a.read_block(1, 2, 2, 2, out); }, path, "entry (1, 2)", c.reason);
      }
}

TEST_CASE("npy: malformed files name file, place and reason") {
  TempDir dir;
  const std::string d12 = encode("<f8", std::vector<double>(12, 1.0));
  const auto file = [&](const std::string& name, const std::string& bytes) {
    return dir.write(name, bytes);
  };

  require_npy_error(file("empty.npy", ""), "file", "empty file");
  require_npy_error((dir.path / "missing.npy").string(), "file", "cannot open");
  require_npy_error(dir.path.string(), "file", "not a regular file");
  const std::string fifo = (dir.path / "fifo.npy").string();
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  require_npy_error(fifo, "file", "not a regular file");  // and does not block waiting for a writer
  require_npy_error(file("magic.npy", "PK\x03\x04 this is a zip file"), "magic",
                    "a zip archive (an .npz of several arrays, or a PyTorch .pt file)");
  require_npy_error(file("short.npy", std::string("\x93NUM", 4)), "magic", "truncated: 4 bytes");
  require_npy_error(file("tiny.npy", "x"), "magic", "not an .npy file");
  require_npy_error(file("short2.npy", std::string("\x93NUMPY\x01", 7)), "magic", "truncated");
  require_npy_error(file("v4.npy", npy(dict("<f8", false, "(3, 4)"), d12, 4)), "version",
                    "unsupported format version 4.0");
  require_npy_error(file("v15.npy", npy(dict("<f8", false, "(3, 4)"), d12, 1, 5)), "version",
                    "1.5");
  std::string cut = npy(dict("<f8", false, "(3, 4)"), "");
  require_npy_error(file("cuthdr.npy", cut.substr(0, 40)), "header", "truncated");

  const auto header_error = [&](const std::string& h, const std::string& reason) {
    CAPTURE(h);
    require_npy_error(file("h.npy", npy(h, d12)), "header", reason);
  };
  header_error("{'descr': '<f8' 'fortran_order': False, 'shape': (3, 4)}", "expected ',' or '}'");
  header_error("{'descr' '<f8', 'fortran_order': False, 'shape': (3, 4)}", "expected ':'");
  header_error("['descr', '<f8']", "expected '{'");
  header_error("{'descr': '<f8', 'fortran_order': False}", "missing key 'shape'");
  header_error("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), 'x': 1}",
               "unexpected key 'x'");
  header_error("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (3, 4)}",
               "key 'descr' appears twice");
  header_error("{'descr': '<f8', 'fortran_order': 0, 'shape': (3, 4)}", "True or False");
  header_error("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 'a')}", "tuple of integers");
  header_error("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4)} junk", "unexpected text");
  header_error("{'descr': '<f8, 'fortran_order': False, 'shape': (3, 4)}", "expected ',' or '}'");
  header_error("{'descr': '<f8', 'fortran_order': False, 'shape': (3 4)}", "expected ',' or ')'");
  header_error("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (3, 4)}",
               "quoted string");
  header_error("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999999, 4)}",
               "shape entry 99999999999999999999999 is too large");
  header_error(dict("<i4", false, "(3, 4)"),
               "unsupported dtype '<i4' (fimcheck reads float32 and float64)");
  header_error(dict("|f8", false, "(3, 4)"), "unsupported dtype '|f8'");
  header_error(dict("<f2", false, "(3, 4)"), "unsupported dtype '<f2'");
  header_error(dict(std::string(100, 'x'), false, "(3, 4)"), "unsupported dtype of 100 characters");
  header_error(dict("<f8", false, "()"), "shape has 0 dimensions");
  header_error(dict("<f8", false, "(2, 3, 2)"), "shape has 3 dimensions");
  header_error(dict("<f8", false, "(0, 3)"), "empty matrix");
  header_error(dict("<f8", false, "(3, 0)"), "empty matrix");
  header_error(dict("<f8", false, "(0,)"), "empty matrix");

  require_npy_error(
      file("trunc.npy", npy(dict("<f8", false, "(3, 4)"), d12.substr(0, 40))), "data",
      "truncated: header declares 3 x 4 float64 (96 bytes of data) but the file holds 40");
  require_npy_error(
      file("big.npy", npy(dict("<f8", false, "(3, 5)"), d12)), "data",
      "truncated: header declares 3 x 5 float64 (120 bytes of data) but the file holds 96");
  require_npy_error(
      file("small.npy", npy(dict("<f4", false, "(3, 5)"), d12)), "data",
      "trailing bytes: header declares 3 x 5 float32 (60 bytes of data) but the file holds 96");
  require_npy_error(
      file("trail.npy", npy(dict("<f8", false, "(3, 4)"), d12 + "xx")), "data",
      "trailing bytes: header declares 3 x 4 float64 (96 bytes of data) but the file holds 98");
  require_npy_error(
      file("huge.npy", npy(dict("<f8", false, "(1000000000000, 1000000000000)"), d12)), "data",
      "(over 2^64 bytes of data)");
  require_npy_error(file("huge2.npy", npy(dict("<f4", false, "(4611686018427387904,)"), d12)),
                    "data",
                    "truncated: header declares 1 x 4611686018427387904 float32 (over 2^64 bytes");
  require_npy_error(file("huge3.npy", npy(dict("<f8", false, "(4294967296, 4294967296)"), d12)),
                    "data", "truncated");
}

TEST_CASE("npy: a control character from the file stays out of the one-line message") {
  TempDir dir;
  const std::string path =
      dir.write("c.npy", npy(dict("<i\n4", false, "(1,)"), encode("<f8", {1.0})));
  require_npy_error(path, "header", "unsupported dtype '<i?4'");
}
