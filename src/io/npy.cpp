// .npy intake (NumPy format versions 1.0, 2.0, 3.0), memory-mapped; see npy.hpp for the contract.
// Format: "\x93NUMPY", major, minor, header length (2 bytes LE in 1.0, 4 bytes in 2.0/3.0), a
// Python dict literal {'descr': ..., 'fortran_order': ..., 'shape': (...)} padded with spaces and
// '\n', then the raw data.
#include "io/npy.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <type_traits>
#include <vector>

#include "io/matrix_io.hpp"

namespace fim::io {
using Eigen::Index;

namespace {

constexpr std::string_view kMagic{"\x93NUMPY", 6};
constexpr std::size_t kMaxDescrShown = 32;  // a longer 'descr' is not quoted in messages

// ---- The mapping --------------------------------------------------------------------------------

// An open file descriptor, closed on scope exit.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// A read-only private mapping of a whole file, unmapped on destruction.
struct Mapping {
  const unsigned char* bytes = nullptr;
  std::size_t size = 0;

  Mapping() = default;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() {
    if (bytes) ::munmap(const_cast<unsigned char*>(bytes), size);
  }
};

// Maps the regular, non-empty file at path read-only; throws InputError (place "file") otherwise.
void map_file(const std::string& path, Mapping& m) {
  const auto fail = [&](const std::string& reason) { throw InputError(path, "file", reason); };
  const Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};  // a FIFO must not block
  if (f.fd < 0) fail(fmt::format("cannot open ({})", std::strerror(errno)));
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) fail(fmt::format("cannot stat ({})", std::strerror(errno)));
  if (!S_ISREG(st.st_mode)) fail("not a regular file");
  if (st.st_size == 0) fail("empty file (0 bytes)");
  void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, f.fd, 0);
  if (p == MAP_FAILED) fail(fmt::format("cannot map ({})", std::strerror(errno)));
  m.bytes = static_cast<const unsigned char*>(p);
  m.size = static_cast<std::size_t>(st.st_size);
}

// ---- The header: a Python dict literal ----------------------------------------------------------

struct Header {
  std::string descr;
  bool fortran = false;
  std::vector<std::uint64_t> shape;
};

// Recursive descent over the header dict; every failure is an InputError at place "header".
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& file) : s_(text), file_(file) {}

  // Parses the whole dict; requires exactly the keys descr, fortran_order and shape.
  Header parse() {
    Header h;
    bool seen[3] = {false, false, false};
    skip_ws();
    expect('{');
    while (!accept('}')) {
      const std::string key = parse_string();
      expect(':');
      const int k = key_index(key);
      if (seen[k]) fail(fmt::format("key '{}' appears twice", key));
      seen[k] = true;
      if (k == 0) h.descr = parse_string();
      if (k == 1) h.fortran = parse_bool();
      if (k == 2) h.shape = parse_shape();
      if (!accept(',')) {
        expect_close('}');
        break;
      }
    }
    if (pos_ != s_.size())
      fail(fmt::format("unexpected text after the dict at character {}", pos_));
    const char* names[3] = {"descr", "fortran_order", "shape"};
    for (int k = 0; k < 3; ++k)
      if (!seen[k]) fail(fmt::format("missing key '{}'", names[k]));
    return h;
  }

 private:
  [[noreturn]] void fail(const std::string& reason) const {
    throw InputError(file_, "header", reason);
  }

  void skip_ws() {
    while (pos_ < s_.size() &&
           std::string_view(" \t\r\n\f\v").find(s_[pos_]) != std::string_view::npos)
      ++pos_;
  }
  // Skips whitespace, then consumes c if it is next.
  bool accept(char c) {
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      skip_ws();
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!accept(c)) fail(fmt::format("expected '{}' at character {} of the dict", c, pos_));
  }
  // After an element of a dict or tuple: the closing bracket, since no ',' followed.
  void expect_close(char c) {
    if (!accept(c)) fail(fmt::format("expected ',' or '{}' at character {} of the dict", c, pos_));
  }
  bool accept_word(std::string_view w) {
    if (s_.substr(pos_, w.size()) != w) return false;
    pos_ += w.size();
    skip_ws();
    return true;
  }

  int key_index(const std::string& key) const {
    if (key == "descr") return 0;
    if (key == "fortran_order") return 1;
    if (key == "shape") return 2;
    fail(fmt::format("unexpected key '{}' (an .npy header has descr, fortran_order and shape)",
                     key.substr(0, kMaxDescrShown)));
  }

  // A Python string literal in single or double quotes (no escapes in a valid header).
  std::string parse_string() {
    skip_ws();
    if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"'))
      fail(fmt::format("expected a quoted string at character {} of the dict", pos_));
    const char q = s_[pos_++];
    const std::size_t end = s_.find(q, pos_);
    if (end == std::string_view::npos) fail("unterminated string");
    const std::string out{s_.substr(pos_, end - pos_)};
    pos_ = end + 1;
    skip_ws();
    return out;
  }

  bool parse_bool() {
    if (accept_word("True")) return true;
    if (accept_word("False")) return false;
    fail(fmt::format("'fortran_order' must be True or False (character {})", pos_));
  }

  // A tuple of non-negative integers: (), (3,), (2, 4), (2,3,4); a trailing comma is allowed.
  std::vector<std::uint64_t> parse_shape() {
    std::vector<std::uint64_t> dims;
    expect('(');
    while (!accept(')')) {
      dims.push_back(parse_uint());
      if (!accept(',')) {
        expect_close(')');
        break;
      }
    }
    return dims;
  }

  // A decimal integer (Python 2 files may suffix 'L'); refuses values beyond 2^64 - 1.
  std::uint64_t parse_uint() {
    skip_ws();
    const std::size_t start = pos_;
    std::uint64_t v = 0;
    bool overflow = false;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
      overflow |= __builtin_mul_overflow(v, 10u, &v);
      overflow |= __builtin_add_overflow(v, static_cast<unsigned>(s_[pos_] - '0'), &v);
      ++pos_;
    }
    if (pos_ == start)
      fail(fmt::format("'shape' must be a tuple of integers (character {})", pos_));
    if (overflow)
      fail(fmt::format("shape entry {} is too large",
                       s_.substr(start, std::min<std::size_t>(pos_ - start, 40))));
    if (pos_ < s_.size() && (s_[pos_] == 'L' || s_[pos_] == 'l')) ++pos_;
    skip_ws();
    return v;
  }

  std::string_view s_;
  const std::string& file_;
  std::size_t pos_ = 0;
};

// ---- Dtypes and conversion kernels --------------------------------------------------------------

inline std::uint32_t swap_bytes(std::uint32_t u) { return __builtin_bswap32(u); }
inline std::uint64_t swap_bytes(std::uint64_t u) { return __builtin_bswap64(u); }

// Converts an R x n tile: entry (r, k) of type F at src + r * src_row + k * sizeof(F) (byte-swapped
// if Swap) goes to dst[k * dst_stride + r], so each column of the tile is written contiguously.
// Returns false when an entry is NaN or infinite (all-ones exponent), found in the same pass.
template <class F, bool Swap, int R>
bool convert_tile(const unsigned char* src, std::size_t src_row, Index n, double* dst,
                  Index dst_stride) {
  using U = std::conditional_t<sizeof(F) == 8, std::uint64_t, std::uint32_t>;
  constexpr U exp_mask = std::bit_cast<U>(std::numeric_limits<F>::infinity());
  U nonfinite = 0;
  for (Index k = 0; k < n; ++k)
    for (int r = 0; r < R; ++r) {
      U u;
      std::memcpy(&u, src + r * src_row + std::size_t(k) * sizeof(F), sizeof(U));
      if constexpr (Swap) u = swap_bytes(u);
      nonfinite |= U((u & exp_mask) == exp_mask);
      dst[k * dst_stride + r] = static_cast<double>(std::bit_cast<F>(u));
    }
  return nonfinite == 0;
}

using TileFn = bool (*)(const unsigned char*, std::size_t, Index, double*, Index);

// Rows per tile when reading C order: one 64-byte cache line of doubles per destination column.
constexpr int kTileRows = 8;

struct Dtype {
  std::string_view descr;
  int size;
  TileFn one_row;    // convert_tile with R = 1
  TileFn tile_rows;  // convert_tile with R = kTileRows
};

template <class F, bool BigEndianFile>
constexpr Dtype make_dtype(std::string_view descr) {
  constexpr bool swap = BigEndianFile != (std::endian::native == std::endian::big);
  return {descr, int(sizeof(F)), convert_tile<F, swap, 1>, convert_tile<F, swap, kTileRows>};
}

static_assert(std::endian::native == std::endian::little || std::endian::native == std::endian::big,
              "mixed-endian host");
constexpr Dtype kDtypes[] = {make_dtype<double, false>("<f8"), make_dtype<double, true>(">f8"),
                             make_dtype<float, false>("<f4"), make_dtype<float, true>(">f4")};

// The supported dtype named by descr, or nullopt.
std::optional<Dtype> find_dtype(const std::string& descr) {
  for (const Dtype& d : kDtypes)
    if (d.descr == descr) return d;
  return std::nullopt;
}

// Columns per pass of a C-order block: the destination (kChunk x h doubles) stays in cache while
// each tile of source rows contributes contiguous segments to it.
constexpr Index kChunk = 256;

}  // namespace

// ---- NpyMatrix ----------------------------------------------------------------------------------

struct NpyMatrix::Impl {
  std::string file;
  Mapping map;
  std::size_t data_offset = 0;  // byte offset of entry (0, 0) in the file
  Index rows = 0, cols = 0;
  int ndim = 2;
  bool fortran = false;
  Dtype dtype{};

  [[noreturn]] void fail(const std::string& place, const std::string& reason) const {
    throw InputError(file, place, reason);
  }
  // Byte offset in the file of entry (i, j).
  std::size_t offset(Index i, Index j) const {
    const Index k = fortran ? j * rows + i : i * cols + j;
    return data_offset + std::size_t(k) * std::size_t(dtype.size);
  }
  const unsigned char* at(Index i, Index j) const { return map.bytes + offset(i, j); }

  bool read_c(Index r0, Index h, Index c0, Index w, double* out) const;
  bool read_fortran(Index r0, Index h, Index c0, Index w, double* out) const;
  std::string_view header_text();
  void validate(const Header& h);
  void check_data_size(std::uint64_t r, std::uint64_t c) const;
  [[noreturn]] void throw_first_nonfinite(Index r0, Index h, Index c0, Index w) const;
};

// Checks magic and version, and returns the header dict text; sets data_offset past the header.
std::string_view NpyMatrix::Impl::header_text() {
  const std::size_t n = map.size;
  if (std::string_view(reinterpret_cast<const char*>(map.bytes), std::min(n, kMagic.size())) !=
      kMagic.substr(0, std::min(n, kMagic.size())))
    fail("magic", not_npy_reason(std::string_view(reinterpret_cast<const char*>(map.bytes), n)));
  if (n < 10) fail("magic", fmt::format("truncated: {} bytes, too short for an .npy preamble", n));
  const int major = map.bytes[6], minor = map.bytes[7];
  if (major < 1 || major > 3 || minor != 0)
    fail("version",
         fmt::format("unsupported format version {}.{} (fimcheck reads 1.0, 2.0 and 3.0)", major,
                     minor));
  const std::size_t start = major == 1 ? 10 : 12;
  if (n < start)
    fail("header", fmt::format("truncated: {} bytes, too short for an .npy preamble", n));
  std::size_t len = 0;
  for (std::size_t b = start; b-- > 8;) len = len * 256 + map.bytes[b];
  if (len > n - start)
    fail("header",
         fmt::format("truncated: the header declares {} bytes but the file holds {} after "
                     "the preamble",
                     len, n - start));
  data_offset = start + len;
  return {reinterpret_cast<const char*>(map.bytes) + start, len};
}

// Checks that the file holds exactly r x c entries of the dtype after the header.
void NpyMatrix::Impl::check_data_size(std::uint64_t r, std::uint64_t c) const {
  const std::uint64_t held = map.size - data_offset;
  std::uint64_t count = 0, bytes = 0;
  const bool huge = __builtin_mul_overflow(r, c, &count) ||
                    __builtin_mul_overflow(count, std::uint64_t(dtype.size), &bytes);
  if (!huge && bytes == held) return;
  const std::string declared = fmt::format(
      "header declares {} x {} float{} ({} of data) but the file holds {}", r, c, 8 * dtype.size,
      huge ? std::string("over 2^64 bytes") : fmt::format("{} bytes", bytes), held);
  fail("data", (huge || bytes > held ? "truncated: " : "trailing bytes: ") + declared);
}

// Validates shape, dtype and data size, and records them.
void NpyMatrix::Impl::validate(const Header& h) {
  if (h.shape.empty() || h.shape.size() > 2)
    fail("header",
         fmt::format("shape has {} dimensions; fimcheck reads 1-D and 2-D arrays", h.shape.size()));
  const std::uint64_t r = h.shape.size() == 1 ? 1 : h.shape[0];
  const std::uint64_t c = h.shape.back();
  if (r == 0 || c == 0) fail("header", fmt::format("empty matrix ({} x {})", r, c));
  const std::optional<Dtype> d = find_dtype(h.descr);
  if (!d) {
    const std::string name = h.descr.size() <= kMaxDescrShown
                                 ? "'" + h.descr + "'"
                                 : fmt::format("of {} characters", h.descr.size());
    const bool half = h.descr == "<f2" || h.descr == ">f2" || h.descr == "|f2";
    fail("header", fmt::format("unsupported dtype {} (fimcheck reads float32 and float64{})", name,
                               half ? "; convert with np.save(path, a.astype(np.float32)), which "
                                      "is exact for every float16 value"
                                    : ""));
  }
  dtype = *d;
  check_data_size(r, c);
  rows = Index(r);
  cols = Index(c);
  ndim = int(h.shape.size());
  fortran = h.fortran && h.shape.size() == 2;
}

// Converts a block of a C-order array into out (column-major, h x w): the columns in chunks, the
// rows of a chunk in tiles of kTileRows; false when an entry is not finite.
bool NpyMatrix::Impl::read_c(Index r0, Index h, Index c0, Index w, double* out) const {
  const std::size_t row_bytes = std::size_t(cols) * std::size_t(dtype.size);
  bool finite = true;
  for (Index jc = 0; jc < w; jc += kChunk) {
    const Index wc = std::min(kChunk, w - jc);
    Index i = 0;
    for (; i + kTileRows <= h; i += kTileRows)
      finite &= dtype.tile_rows(at(r0 + i, c0 + jc), row_bytes, wc, out + jc * h + i, h);
    for (; i < h; ++i)
      finite &= dtype.one_row(at(r0 + i, c0 + jc), row_bytes, wc, out + jc * h + i, h);
  }
  return finite;
}

// Converts a block of a Fortran-order array into out: each column is contiguous in both.
bool NpyMatrix::Impl::read_fortran(Index r0, Index h, Index c0, Index w, double* out) const {
  bool finite = true;
  for (Index j = 0; j < w; ++j) finite &= dtype.one_row(at(r0, c0 + j), 0, h, out + j * h, 1);
  return finite;
}

// Finds the first non-finite entry of the block in file order and throws its InputError.
void NpyMatrix::Impl::throw_first_nonfinite(Index r0, Index h, Index c0, Index w) const {
  const Index outer = fortran ? w : h, inner = fortran ? h : w;
  for (Index a = 0; a < outer; ++a)
    for (Index b = 0; b < inner; ++b) {
      const Index i = r0 + (fortran ? b : a), j = c0 + (fortran ? a : b);
      double v;
      dtype.one_row(at(i, j), 0, 1, &v, 1);
      if (std::isfinite(v)) continue;
      fail(fmt::format("entry ({}, {}) at byte offset {}", i, j, offset(i, j)), std::isnan(v)
                                                                                    ? "NaN"
                                                                                : v > 0 ? "+inf"
                                                                                        : "-inf");
    }
  throw std::logic_error("npy: non-finite entry reported but not found");
}

NpyMatrix::NpyMatrix(const std::string& path) : impl_(std::make_unique<Impl>()) {
  impl_->file = path;
  map_file(path, impl_->map);
  const std::string_view text = impl_->header_text();
  impl_->validate(HeaderParser(text, path).parse());
}

NpyMatrix::~NpyMatrix() = default;
NpyMatrix::NpyMatrix(NpyMatrix&&) noexcept = default;
NpyMatrix& NpyMatrix::operator=(NpyMatrix&&) noexcept = default;

Index NpyMatrix::rows() const { return impl_->rows; }
Index NpyMatrix::cols() const { return impl_->cols; }
int NpyMatrix::ndim() const { return impl_->ndim; }
const std::string& NpyMatrix::file() const { return impl_->file; }
int NpyMatrix::item_bytes() const { return impl_->dtype.size; }

void NpyMatrix::read_block(Index r0, Index h, Index c0, Index w, Eigen::MatrixXd& out) const {
  const Impl& m = *impl_;
  if (r0 < 0 || h < 0 || c0 < 0 || w < 0 || r0 > m.rows - h || c0 > m.cols - w)
    throw std::out_of_range(
        fmt::format("npy read_block: rows [{}, +{}) x cols [{}, +{}) outside {} x {}", r0, h, c0, w,
                    m.rows, m.cols));
  out.resize(h, w);
  if (!(m.fortran ? m.read_fortran(r0, h, c0, w, out.data()) : m.read_c(r0, h, c0, w, out.data())))
    m.throw_first_nonfinite(r0, h, c0, w);
}

std::string not_npy_reason(std::string_view head) {
  constexpr const char* kOneArray = "; save one array with np.save(path, array)";
  if (head.substr(0, 4) == std::string_view("PK\x03\x04", 4))
    return std::string("a zip archive (an .npz of several arrays, or a PyTorch .pt file), not one "
                       "array") + kOneArray + " (for a tensor t: np.save(path, t.numpy()))";
  if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x80 &&
      static_cast<unsigned char>(head[1]) >= 2 && static_cast<unsigned char>(head[1]) <= 5)
    return std::string("a Python pickle (pickle.dump or an old torch.save), not an array") + kOneArray;
  return "not an .npy file (it does not start with \"\\x93NUMPY\")";
}

Sniffed sniff(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[6] = {};
  in.read(head, sizeof head);
  const std::string_view h(head, std::size_t(in.gcount()));
  if (h.size() == kMagic.size() && h == kMagic) return {FileKind::npy, ""};
  std::string reason = not_npy_reason(h);
  if (reason.rfind("not an .npy", 0) == 0) return {FileKind::other, ""};
  return {FileKind::archive, std::move(reason)};
}

}  // namespace fim::io
