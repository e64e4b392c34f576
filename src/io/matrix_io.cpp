// Intake of user matrices: .npy through NpyMatrix, CSV parsed here with exact decimal conversion
// (SPEC S3: decimal text that is not a binary64 value becomes its tightest binary64 interval).
#include "io/matrix_io.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
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
#include "numeric/decimal.hpp"

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

// The binary64 enclosure of one cell and, when it is not exact, its canonical decimal text.
struct Cell {
  double lo, hi;
  std::string text;
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// The tightest binary64 interval around d (num::enclose_binary64); nullopt when |d| > DBL_MAX.
std::optional<Cell> enclose(const num::Decimal& d) {
  const auto b = num::enclose_binary64(d);
  if (!b) return std::nullopt;
  return Cell{b->first, b->second, b->first == b->second ? "" : num::canonical(d)};
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
  const std::optional<num::Decimal> d = num::parse_decimal(text);
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
  const Sniffed s = sniff(path);  // by content: an .npz renamed .csv is still no CSV
  if (s.kind == FileKind::archive) throw InputError(path, "file", s.reason);
  return s.kind == FileKind::npy || ends_lower(path, 4) == ".npy" ? read_npy(path) : read_csv(path);
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
