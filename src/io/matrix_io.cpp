// Intake of user matrices: .npy through NpyMatrix, CSV parsed here with exact decimal conversion
// (SPEC S3: decimal text that is not a binary64 value becomes its tightest binary64 interval).
#include "io/matrix_io.hpp"

#include <fmt/format.h>
#include <mpfr.h>

#include <algorithm>
#include <boost/multiprecision/gmp.hpp>
#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>
#include <vector>

#include "io/npy.hpp"
#include "numeric/fp.hpp"

namespace fim::io {
using Eigen::Index;

namespace {

// Replaces control characters so that a message read from a hostile file stays on one line.
std::string one_line(std::string s) {
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return s;
}

}  // namespace

InputError::InputError(const std::string& file, const std::string& place, const std::string& reason)
    : std::runtime_error(one_line(file + ": " + place + ": " + reason)),
      file(one_line(file)),
      place(one_line(place)),
      reason(one_line(reason)) {}

namespace {

// ---- Exact decimals -----------------------------------------------------------------------------

// A decimal number sign * digits * 10^exp10, digits without leading or trailing zeros ("" = 0).
struct Decimal {
  bool negative = false;
  std::string digits;
  std::int64_t exp10 = 0;
};

// The binary64 enclosure of one cell and, when it is not exact, its canonical decimal text.
struct Cell {
  double lo, hi;
  std::string text;
};

constexpr std::int64_t kExpCap = 1'000'000'000'000'000;  // |exponent| saturates here
// A decimal with more significant digits is cut to this many plus a sticky '1': no binary64 value
// (at most 767 significant digits) lies strictly between the cut and the next 800-digit decimal,
// so both directed roundings are unchanged.
constexpr std::size_t kMaxDigits = 800;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Consumes a run of digits from s at pos and returns it.
std::string_view take_digits(std::string_view s, std::size_t& pos) {
  const std::size_t start = pos;
  while (pos < s.size() && is_digit(s[pos])) ++pos;
  return s.substr(start, pos - start);
}

// The exponent value of a digit run, saturated at +-kExpCap.
std::int64_t saturated(std::string_view digits, bool negative) {
  std::int64_t v = 0;
  for (char c : digits) v = std::min(kExpCap, v * 10 + (c - '0'));
  return negative ? -v : v;
}

// Parses [+-]digits[.digits][(e|E)[+-]digits] (at least one mantissa digit); nullopt otherwise.
std::optional<Decimal> parse_decimal(std::string_view s) {
  Decimal d;
  std::size_t pos = 0;
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) d.negative = s[pos++] == '-';
  const std::string_view int_part = take_digits(s, pos);
  std::string_view frac_part;
  if (pos < s.size() && s[pos] == '.') frac_part = take_digits(s, ++pos);
  if (int_part.empty() && frac_part.empty()) return std::nullopt;
  std::int64_t exp10 = 0;
  if (pos < s.size() && (s[pos] == 'e' || s[pos] == 'E')) {
    ++pos;
    bool neg = false;
    if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) neg = s[pos++] == '-';
    const std::string_view e = take_digits(s, pos);
    if (e.empty()) return std::nullopt;
    exp10 = saturated(e, neg);
  }
  if (pos != s.size()) return std::nullopt;
  std::string all = std::string(int_part) + std::string(frac_part);
  const std::size_t first = all.find_first_not_of('0');
  if (first == std::string::npos) return d;  // zero
  const std::size_t last = all.find_last_not_of('0');
  d.exp10 = exp10 - std::int64_t(frac_part.size()) + std::int64_t(all.size() - 1 - last);
  d.digits = all.substr(first, last + 1 - first);
  return d;
}

// Canonical text of a nonzero decimal: "-d.ddde-N" (equal texts iff equal values).
std::string canonical(const Decimal& d) {
  const std::int64_t e = d.exp10 + std::int64_t(d.digits.size()) - 1;
  std::string out = d.negative ? "-" : "";
  out += d.digits[0];
  if (d.digits.size() > 1) out += "." + d.digits.substr(1);
  return out + "e" + std::to_string(e);
}

// Sets MPFR's exponent range to binary64's for this scope (subnormals via mpfr_subnormalize).
class Binary64Range {
 public:
  Binary64Range() : emin_(mpfr_get_emin()), emax_(mpfr_get_emax()) {
    mpfr_set_emin(-1073);
    mpfr_set_emax(1024);
  }
  ~Binary64Range() {
    mpfr_set_emin(emin_);
    mpfr_set_emax(emax_);
  }

 private:
  mpfr_exp_t emin_, emax_;
};

// q rounded to binary64 in direction rnd, subnormals and overflow as binary64 does (+-inf).
double round_binary64(const boost::multiprecision::mpq_rational& q, mpfr_rnd_t rnd) {
  const Binary64Range range;
  mpfr_t x;
  mpfr_init2(x, 53);
  const int t = mpfr_set_q(x, q.backend().data(), rnd);
  mpfr_subnormalize(x, t, rnd);
  const double v = mpfr_get_d(x, rnd);  // exact: x is a binary64 value
  mpfr_clear(x);
  return v;
}

// Exact enclosure of |d| by MPFR (any magnitude that can be finite; see enclose()).
std::pair<double, double> enclose_exact(const Decimal& d) {
  namespace bmp = boost::multiprecision;
  std::string digits = d.digits;
  std::int64_t e = d.exp10;
  if (digits.size() > kMaxDigits) {
    e += std::int64_t(digits.size()) - std::int64_t(kMaxDigits) - 1;
    digits = digits.substr(0, kMaxDigits) + "1";
  }
  const bmp::mpz_int m(digits), p = bmp::pow(bmp::mpz_int(10), unsigned(std::abs(e)));
  const bmp::mpq_rational q = e >= 0 ? bmp::mpq_rational(m * p) : bmp::mpq_rational(m, p);
  return {round_binary64(q, MPFR_RNDD), round_binary64(q, MPFR_RNDU)};
}

// Enclosure of |d| by one binary64 operation and its exact residual (Clinger's fast path), when
// digits < 10^15 < 2^53 and |exp10| <= 22 (10^22 is a binary64 value); nullopt otherwise.
std::optional<std::pair<double, double>> enclose_fast(const Decimal& d) {
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  if (d.digits.size() > 15 || std::abs(d.exp10) > 22) return std::nullopt;
  const double m = double(std::stoull(d.digits)), p = kPow10[std::abs(d.exp10)];
  // r = fl(m * p) or fl(m / p); the residual (m p - r, or m - r p) is a binary64 value, so fma
  // computes it exactly and its sign tells on which side of r the exact value lies.
  const double r = d.exp10 >= 0 ? m * p : m / p;
  const double res = d.exp10 >= 0 ? std::fma(m, p, -r) : std::fma(-r, p, m);
  if (res == 0) return std::pair{r, r};
  return res > 0 ? std::pair{r, num::next_up(r)} : std::pair{num::next_down(r), r};
}

// The tightest binary64 interval around d; nullopt when |d| > DBL_MAX.
std::optional<Cell> enclose(const Decimal& d) {
  if (d.digits.empty()) return Cell{0.0, 0.0, ""};
  const std::int64_t mag = d.exp10 + std::int64_t(d.digits.size());  // 10^(mag-1) <= |d| < 10^mag
  if (mag > 309) return std::nullopt;                                // |d| >= 1e309 > DBL_MAX
  std::pair<double, double> b{0.0, DBL_TRUE_MIN};                    // |d| < 1e-324 < 2^-1074
  if (mag > -324) {
    const auto fast = enclose_fast(d);
    b = fast ? *fast : enclose_exact(d);
  }
  if (std::isinf(b.second)) return std::nullopt;
  if (d.negative) b = {-b.second, b.first == 0 ? 0.0 : -b.first};  // no -0.0
  return Cell{b.first, b.second, b.first == b.second ? "" : canonical(d)};
}

// ---- CSV ----------------------------------------------------------------------------------------

// The place of a CSV cell, 1-based as an editor shows it.
std::string cell_place(std::size_t line, std::size_t column) {
  return fmt::format("row {}, column {}", line, column);
}

// A cell quoted for a message, cut to a readable length.
std::string quoted(std::string_view cell) {
  constexpr std::size_t kShown = 40;
  return "'" + std::string(cell.substr(0, kShown)) + (cell.size() > kShown ? "...'" : "'");
}

// Converts one CSV cell; throws InputError at its place when it is not a finite binary64 number.
Cell read_cell(const std::string& file, std::string_view text, std::size_t line,
               std::size_t column) {
  const auto fail = [&](const std::string& reason) {
    throw InputError(file, cell_place(line, column), reason);
  };
  if (text.empty()) fail("empty cell");
  const std::optional<Decimal> d = parse_decimal(text);
  if (!d) {
    std::string word(text.substr(text[0] == '+' || text[0] == '-' ? 1 : 0));
    std::transform(word.begin(), word.end(), word.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    const bool nonfinite = word == "nan" || word == "inf" || word == "infinity";
    fail(quoted(text) + (nonfinite ? " is not a finite number" : " is not a number"));
  }
  const std::optional<Cell> c = enclose(*d);
  if (!c) fail(quoted(text) + " overflows binary64");
  return *c;
}

// The cells of one data line: comma-separated (spaces around cells allowed) or
// whitespace-separated.
std::vector<std::string_view> split_cells(std::string_view line) {
  std::vector<std::string_view> cells;
  if (line.find(',') != std::string_view::npos) {
    for (std::size_t start = 0;;) {
      const std::size_t comma = line.find(',', start);
      cells.push_back(trim(line.substr(start, comma - start)));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    return cells;
  }
  for (std::size_t pos = 0; pos < line.size();) {
    const std::size_t end = std::find_if(line.begin() + pos, line.end(), is_space) - line.begin();
    if (end > pos) cells.push_back(line.substr(pos, end - pos));
    pos = end + 1;
  }
  return cells;
}

// The whole file as text; throws InputError (place "file") when it cannot be read.
std::string read_text(const std::string& path) {
  std::error_code ec;
  const std::filesystem::file_status st = std::filesystem::status(path, ec);
  if (std::filesystem::exists(st) && !std::filesystem::is_regular_file(st))
    throw InputError(path, "file", "not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "file", fmt::format("cannot open ({})", std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(path, "file", "read error");
  return std::move(text).str();
}

// Cells read so far, row-major; texts are kept only once some cell is inexact.
struct Table {
  std::size_t rows = 0, cols = 0, first_line = 0;
  std::vector<double> lo, hi;
  std::vector<std::string> text;
  bool inexact = false;

  void add(Cell&& c) {
    if (!c.text.empty() && !inexact) {
      inexact = true;
      text.resize(lo.size());
    }
    lo.push_back(c.lo);
    hi.push_back(c.hi);
    if (inexact) text.push_back(std::move(c.text));
  }
};

// Appends the cells of one data line, checking that it has as many cells as the first one.
void add_row(const std::string& file, std::string_view line, std::size_t line_no, Table& t) {
  const std::vector<std::string_view> cells = split_cells(line);
  if (t.rows == 0) {
    t.cols = cells.size();
    t.first_line = line_no;
  } else if (cells.size() != t.cols) {
    throw InputError(file, fmt::format("row {}", line_no),
                     fmt::format("has {} cells, expected {} (as in row {})", cells.size(), t.cols,
                                 t.first_line));
  }
  for (std::size_t c = 0; c < cells.size(); ++c) t.add(read_cell(file, cells[c], line_no, c + 1));
  ++t.rows;
}

// A row-major vector as an r x c matrix.
Eigen::MatrixXd to_matrix(const std::vector<double>& v, std::size_t r, std::size_t c) {
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  return Eigen::Map<const RowMajor>(v.data(), Index(r), Index(c));
}

// The last n characters of s in lower case.
std::string ends_lower(const std::string& s, std::size_t n) {
  std::string tail = s.substr(s.size() - std::min(n, s.size()));
  for (char& c : tail) c = char(std::tolower(static_cast<unsigned char>(c)));
  return tail;
}

// The value of entry (i, j) for a message: its exact decimal if inexact, else %.17g.
std::string shown(const DenseInput& m, Index i, Index j) {
  const Index k = i * m.lo.cols() + j;
  if (!m.exact_text.empty() && !m.exact_text[std::size_t(k)].empty())
    return m.exact_text[std::size_t(k)];
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", m.lo(i, j));
  return buf;
}

// Whether entries (i, j) and (j, i) are equal as exact values.
bool same_entry(const DenseInput& m, Index i, Index j) {
  if (m.exact_text.empty()) return m.lo(i, j) == m.lo(j, i);
  const std::size_t n = std::size_t(m.lo.cols());
  const std::string& a = m.exact_text[std::size_t(i) * n + std::size_t(j)];
  const std::string& b = m.exact_text[std::size_t(j) * n + std::size_t(i)];
  return a.empty() && b.empty() ? m.lo(i, j) == m.lo(j, i) : a == b;
}

}  // namespace

DenseInput read_dense(const std::string& path) {
  return ends_lower(path, 4) == ".npy" ? read_npy(path) : read_csv(path);
}

DenseInput read_npy(const std::string& path) {
  const NpyMatrix npy(path);
  DenseInput out;
  out.file = path;
  npy.read_block(0, npy.rows(), 0, npy.cols(), out.lo);
  return out;
}

DenseInput read_csv(const std::string& path) {
  const std::string text = read_text(path);
  Table t;
  std::size_t line_no = 0;
  const std::size_t bom =
      text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;  // spreadsheets write a UTF-8 BOM
  for (std::size_t start = bom; start < text.size();) {
    const std::size_t nl = std::min(text.find('\n', start), text.size());
    const std::string_view line = trim(std::string_view(text).substr(start, nl - start));
    ++line_no;
    start = nl + 1;
    if (!line.empty() && line[0] != '#') add_row(path, line, line_no, t);
  }
  if (t.rows == 0) throw InputError(path, "file", "no numbers in the file");
  DenseInput out;
  out.file = path;
  out.lo = to_matrix(t.lo, t.rows, t.cols);
  if (t.inexact) {
    out.hi = to_matrix(t.hi, t.rows, t.cols);
    out.exact_text = std::move(t.text);
  }
  return out;
}

void require_symmetric(const DenseInput& m) {
  const Index n = m.lo.rows();
  if (n != m.lo.cols())
    throw InputError(m.file, "shape", fmt::format("matrix is {} x {}, not square", n, m.lo.cols()));
  for (Index i = 0; i < n; ++i)
    for (Index j = i + 1; j < n; ++j) {
      if (same_entry(m, i, j)) continue;
      throw InputError(
          m.file, fmt::format("entry ({}, {})", i, j),
          fmt::format("A({0}, {1}) = {2} differs from A({1}, {0}) = {3}; the matrix must "
                      "be symmetric (use --symmetrize to enclose (A + A^T)/2)",
                      i, j, shown(m, i, j), shown(m, j, i)));
    }
}

}  // namespace fim::io
