// read_csv / require_symmetric: decimal text read as the tightest binary64 interval (checked in
// exact rationals), both cell styles, and every malformed file refused with file, place, reason.
#include <doctest/doctest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cfloat>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "io/matrix_io.hpp"
#include "support/io_checks.hpp"
#include "numeric/fp.hpp"
#include "numeric/mp.hpp"

namespace fs = std::filesystem;
using Eigen::MatrixXd;
using fim::io::DenseInput;
using fim::io::InputError;
using fim::num::Rational;

using fim::test::require_input_error;
using TempDir = fim::test::TempDir;

namespace {



// The exact value of a decimal text [+-]digits[.digits][e[+-]digits] with a moderate exponent.
Rational exact_decimal(const std::string& s) {
  const std::size_t epos = s.find_first_of("eE");
  std::string mant = s.substr(0, epos);
  long e = epos == std::string::npos ? 0 : std::stol(s.substr(epos + 1));
  const std::size_t dot = mant.find('.');
  if (dot != std::string::npos) {
    e -= long(mant.size() - dot - 1);
    mant.erase(dot, 1);
  }
  const bool negative = mant[0] == '-';
  if (mant[0] == '+' || negative) mant.erase(0, 1);
  mant.erase(0, std::min(mant.find_first_not_of('0'), mant.size() - 1));  // not octal to Boost
  if (negative) mant.insert(0, "-");
  const boost::multiprecision::mpz_int m(mant);
  const boost::multiprecision::mpz_int p =
      boost::multiprecision::pow(boost::multiprecision::mpz_int(10), unsigned(std::labs(e)));
  return e >= 0 ? Rational(m * p) : Rational(m, p);
}

// Requires [lo, hi] to be the tightest binary64 interval around the exact value of text.
void require_tightest(const std::string& text, double lo, double hi) {
  CAPTURE(text);
  const Rational q = exact_decimal(text);
  REQUIRE(std::isfinite(lo));
  REQUIRE(std::isfinite(hi));
  CHECK(fim::num::to_rational(lo) <= q);
  CHECK(q <= fim::num::to_rational(hi));
  if (lo == hi) {
    CHECK(fim::num::to_rational(lo) == q);
  } else {
    CHECK(fim::num::next_up(lo) == hi);
    CHECK(fim::num::to_rational(lo) < q);
    CHECK(q < fim::num::to_rational(hi));
  }
}

// Reads a one-cell CSV holding text.
DenseInput one_cell(const TempDir& dir, const std::string& text) {
  const DenseInput d = fim::io::read_csv(dir.write("cell.csv", text + "\n"));
  REQUIRE(d.lo.rows() == 1);
  REQUIRE(d.lo.cols() == 1);
  return d;
}

double hi_of(const DenseInput& d, Eigen::Index i, Eigen::Index j) {
  return d.exact() ? d.lo(i, j) : d.hi(i, j);
}

}  // namespace

TEST_CASE("csv: comma and whitespace styles, comments, blank lines, CRLF") {
  TempDir dir;
  MatrixXd want(2, 3);
  want << 1, -2.5, 3e2, 0.5, 0, -0.125;
  for (const std::string text :
       {"1,-2.5,3e2\n0.5,0,-0.125\n", "1, -2.5, 3E+2\r\n0.50 ,  0.0 , -.125\r\n",
        "# a comment\n\n  1 -2.5\t300.\n\n   # indented comment\n0.5 0 -125e-3",
        "1\t-2.5\t3e2\n\t0.5\t-0\t-1.25E-1\t\n\n",
        "\xEF\xBB\xBF"
        "1,-2.5,3e2\n0.5,0,-0.125\n"}) {
    CAPTURE(text);
    const DenseInput d = fim::io::read_csv(dir.write("m.csv", text));
    CHECK(d.exact());
    CHECK(d.exact_text.empty());
    CHECK(d.lo == want);
  }
}

TEST_CASE("csv: 0.5 is exact, 0.1 is the tightest interval around 1/10") {
  TempDir dir;
  const DenseInput d = fim::io::read_csv(dir.write("m.csv", "0.5, 0.1\n-0.1, 2\n"));
  REQUIRE_FALSE(d.exact());
  REQUIRE(d.hi.rows() == 2);
  REQUIRE(d.hi.cols() == 2);
  CHECK(d.lo(0, 0) == 0.5);
  CHECK(d.hi(0, 0) == 0.5);
  CHECK(d.lo(0, 1) < d.hi(0, 1));
  CHECK(d.hi(0, 1) == std::nextafter(d.lo(0, 1), 1.0));
  CHECK(fim::num::to_rational(d.lo(0, 1)) <= Rational(1, 10));
  CHECK(Rational(1, 10) <= fim::num::to_rational(d.hi(0, 1)));
  CHECK(d.lo(1, 0) == -d.hi(0, 1));
  CHECK(d.hi(1, 0) == -d.lo(0, 1));
  REQUIRE(d.exact_text.size() == 4);
  CHECK(d.exact_text[0] == "");
  CHECK(d.exact_text[1] == "1e-1");
  CHECK(d.exact_text[2] == "-1e-1");
  CHECK(d.exact_text[3] == "");
}

TEST_CASE("csv: hard decimals are enclosed tightly (checked in rationals)") {
  TempDir dir;
  for (const std::string& text : std::vector<std::string>{
           "0.1",
           "1e23",
           "9007199254740993",
           "123456789012345678901234567890",
           "2.2250738585072011e-308",
           "2.2250738585072014e-308",
           "4.9406564584124654e-324",
           "2.4703282292062327e-324",
           "2.4703282292062328e-324",
           "1e-320",
           "-1.7976931348623157e308",
           "1.797693134862315708e308",
           "0.000000000000000000000000000000000000000000000000000000000001",
           "3.14159265358979323846264338327950288",
           "1" + std::string(1000, '0') + "e-1000",
           "0." + std::string(900, '3'),
           "1.00000000000000011102230246251565404236316680908203125",  // a binary64 midpoint
           "1.00000000000000011102230246251565404236316680908203124" + std::string(900, '9'),
           "-2.5e-3",
           "7e22",
           "7e-22",
           "999999999999999e22",
           "123456789012345e-22"}) {
    const DenseInput d = one_cell(dir, text);
    require_tightest(text, d.lo(0, 0), hi_of(d, 0, 0));
  }
  // Exact decimal expansions of binary64 values (glibc prints them in full) are exact.
  for (double x : {DBL_MAX, -DBL_TRUE_MIN, DBL_MIN, 0.1, 1.0 / 3}) {
    char buf[1200];
    std::snprintf(buf, sizeof buf, "%.1100e", x);
    const DenseInput d = one_cell(dir, buf);
    CHECK(d.exact());
    CHECK(d.lo(0, 0) == x);
  }
}

TEST_CASE("csv: random decimals, fast and exact paths, subnormals, are enclosed tightly") {
  TempDir dir;
  std::mt19937_64 rng(20240601);
  std::vector<std::string> texts;
  while (texts.size() < 3000) {
    const int digits = 1 + int(rng() % (texts.size() % 2 ? 17 : 40));
    std::string m;
    for (int k = 0; k < digits; ++k) m += char('0' + rng() % 10);
    const int point = int(rng() % (digits + 1));
    m.insert(std::size_t(point), ".");
    const int range = texts.size() % 4 == 0 ? 345 : 25;
    const long e = long(rng() % (2 * range + 1)) - range;
    if (e + point > 306) continue;  // stay clear of overflow
    texts.push_back((rng() % 2 ? "-" : "") + m + "e" + std::to_string(e));
  }
  std::string csv;
  for (const std::string& t : texts) csv += t + "\n";
  const DenseInput d = fim::io::read_csv(dir.write("random.csv", csv));
  REQUIRE(d.lo.rows() == Eigen::Index(texts.size()));
  for (std::size_t k = 0; k < texts.size(); ++k)
    require_tightest(texts[k], d.lo(Eigen::Index(k), 0), hi_of(d, Eigen::Index(k), 0));
}

TEST_CASE("csv: a million-digit cell is enclosed without reading all its digits into GMP") {
  TempDir dir;
  const std::string text = "0." + std::string(1'000'000, '3') + "e-2";
  const DenseInput d = one_cell(dir, text);
  CHECK(d.lo(0, 0) < d.hi(0, 0));
  CHECK(fim::num::to_rational(d.lo(0, 0)) < Rational(1, 300));
  CHECK(Rational(1, 300) < fim::num::to_rational(d.hi(0, 0)));
}

TEST_CASE("csv: tiny values round to [0, 2^-1074]; huge exponents finish quickly") {
  TempDir dir;
  for (const char* text : {"1e-400", "1e-999999999", "1e-99999999999999999999999999", "0.4e-323"}) {
    const DenseInput d = one_cell(dir, text);
    CHECK(d.lo(0, 0) == 0.0);
    CHECK(d.hi(0, 0) == DBL_TRUE_MIN);
  }
  const DenseInput neg = one_cell(dir, "-1e-400");
  CHECK(neg.lo(0, 0) == -DBL_TRUE_MIN);
  CHECK(neg.hi(0, 0) == 0.0);
  CHECK_FALSE(std::signbit(neg.hi(0, 0)));
  CHECK(one_cell(dir, "0e999999999").exact());
  CHECK(one_cell(dir, "-0.000").exact());
}

TEST_CASE("csv: exact text is canonical, so equal decimals compare equal") {
  TempDir dir;
  const DenseInput d =
      fim::io::read_csv(dir.write("m.csv", "0.10, 1.0e-1, 00.01e1, -12.3400e5, 1.5\n"));
  CHECK(d.exact_text[0] == "1e-1");
  CHECK(d.exact_text[1] == "1e-1");
  CHECK(d.exact_text[2] == "1e-1");
  CHECK(d.exact_text[3] == "");  // -1234000 is exact
  CHECK(d.exact_text[4] == "");
  const DenseInput e = one_cell(dir, "-0.0012340");
  CHECK(e.exact_text[0] == "-1.234e-3");
}

TEST_CASE("csv: malformed files name file, row, column and reason") {
  TempDir dir;
  const auto csv_error = [&](const std::string& text, const std::string& place,
                             const std::string& reason) {
    CAPTURE(text);
    const std::string path = dir.write("bad.csv", text);
    require_input_error([&] { fim::io::read_csv(path); }, path, place, reason);
  };
  csv_error("# header\n\n1,2\n3,abc\n", "row 4, column 2", "'abc' is not a number");
  csv_error("1 2 3\n4 5 nan\n", "row 2, column 3", "'nan' is not a finite number");
  csv_error("inf\n", "row 1, column 1", "'inf' is not a finite number");
  csv_error("1, -Infinity\n", "row 1, column 2", "'-Infinity' is not a finite number");
  csv_error("1,2,3,4,5\n1,2,3,4,5\n1,2,3,4,5\n1,2,3\n", "row 4",
            "has 3 cells, expected 5 (as in row 1)");
  csv_error("\n\n1 2\n3 4 5\n", "row 4", "has 3 cells, expected 2 (as in row 3)");
  csv_error("", "file", "no numbers in the file");
  csv_error("# only\n\n  \r\n", "file", "no numbers in the file");
  csv_error("1,,2\n", "row 1, column 2", "empty cell");
  csv_error("1,2,\n", "row 1, column 3", "empty cell");
  csv_error("1e400\n", "row 1, column 1", "'1e400' overflows binary64");
  csv_error("2, -1e999999999\n", "row 1, column 2", "'-1e999999999' overflows binary64");
  csv_error("1.7976931348623159e308\n", "row 1, column 1", "overflows binary64");
  csv_error("1e99999999999999999999999999999\n", "row 1, column 1", "overflows binary64");
  for (const char* cell :
       {"1.2.3", "1e", ".", "+", "-", "0x10", "1e+", "e5", "1,5e3", "1 000", "--1", "1d5"}) {
    const std::string text =
        std::string("7, ") + (std::string(cell) == "1,5e3" ? "\"1,5e3\"" : cell) + "\n";
    const std::string path =
        dir.write("bad.csv", std::string(cell) == "1 000" ? "7, 1 000\n" : text);
    CAPTURE(cell);
    CHECK_THROWS_AS(fim::io::read_csv(path), InputError);
  }
  csv_error(std::string(100, '7') + "x\n", "row 1, column 1", "...' is not a number");
  csv_error("1\n\x01\x02\n", "row 2, column 1",
            "'?"
            "?' is not a number");
  const std::string missing = (dir.path / "missing.csv").string();
  require_input_error([&] { fim::io::read_csv(missing); }, missing, "file", "cannot open");
  require_input_error([&] { fim::io::read_csv(dir.path.string()); }, dir.path.string(), "file",
                      "not a regular file");
  const std::string fifo = (dir.path / "fifo.csv").string();
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  require_input_error([&] { fim::io::read_csv(fifo); }, fifo, "file", "not a regular file");
}

TEST_CASE("csv: read_dense dispatches on the extension") {
  TempDir dir;
  CHECK(fim::io::read_dense(dir.write("m.txt", "1 2\n")).lo.cols() == 2);
  CHECK(fim::io::read_dense(dir.write("m", "1 2 3\n")).lo.cols() == 3);
  const std::string npy = dir.write("m.NPY", "1 2\n");  // read as .npy: the magic is missing
  require_input_error([&] { fim::io::read_dense(npy); }, npy, "magic", "not an .npy file");
}

TEST_CASE("require_symmetric: exact decimals, shapes and the first differing entry") {
  TempDir dir;
  const auto read = [&](const std::string& text) {
    return fim::io::read_csv(dir.write("s.csv", text));
  };
  CHECK_NOTHROW(fim::io::require_symmetric(read("1, 2\n2, 1\n")));
  CHECK_NOTHROW(fim::io::require_symmetric(read("1, 0.1\n0.10, 1\n")));
  CHECK_NOTHROW(fim::io::require_symmetric(read("1, 0.1, 3\n1e-1, 1, 0.3\n3.0, 0.30, 5\n")));
  CHECK_NOTHROW(fim::io::require_symmetric(read("4\n")));

  DenseInput m = read("1, 2, 3\n4, 5, 6\n7, 8, 9\n0, 0, 0\n");
  require_input_error([&] { fim::io::require_symmetric(m); }, m.file, "shape",
                      "matrix is 4 x 3, not square");

  m = read("1, 2, 3\n2, 5, 6\n3, 6.5, 9\n");
  require_input_error([&] { fim::io::require_symmetric(m); }, m.file, "entry (1, 2)",
                      "A(1, 2) = 6 differs from A(2, 1) = 6.5; the matrix must be symmetric (use "
                      "--symmetrize to enclose (A + A^T)/2)");

  // Same binary64 interval, different decimals: still not symmetric.
  m = read("1, 0.1\n0.1000000000000000001, 1\n");
  CHECK(m.lo(0, 1) == m.lo(1, 0));
  require_input_error([&] { fim::io::require_symmetric(m); }, m.file, "entry (0, 1)",
                      "A(0, 1) = 1e-1 differs from A(1, 0) = 1.000000000000000001e-1");

  m = read("1, 0.1\n0.5, 1\n");
  require_input_error([&] { fim::io::require_symmetric(m); }, m.file, "entry (0, 1)",
                      "A(0, 1) = 1e-1 differs from A(1, 0) = 0.5");

  m = read("0, 0.1\n0.1, 0\n");
  m.exact_text.clear();  // as for an exact (npy) input
  m.lo(1, 0) = std::nextafter(m.lo(0, 1), 1.0);
  require_input_error([&] { fim::io::require_symmetric(m); }, m.file, "entry (0, 1)",
                      "A(0, 1) = 0.099999999999999992 differs from A(1, 0) = 0.10000000000000001");
}
