// .npy output; see npy_write.hpp. Format 1.0: "\x93NUMPY", 1, 0, the header length (2 bytes,
// little-endian), then the header dict padded with spaces and '\n' so that the data start at a
// multiple of 64 bytes, then the data.
#include "io/npy_write.hpp"

#include <bit>
#include <cstring>
#include <stdexcept>

#include "io/atomic_file.hpp"

namespace fim::io {
namespace {

// The Python tuple literal of shape: "(5,)" or "(2, 3)".
std::string shape_text(const std::vector<std::uint64_t>& shape) {
  if (shape.size() == 1) return "(" + std::to_string(shape[0]) + ",)";
  return "(" + std::to_string(shape[0]) + ", " + std::to_string(shape[1]) + ")";
}

std::string header(const std::vector<std::uint64_t>& shape) {
  std::string dict =
      "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape_text(shape) + ", }";
  constexpr std::size_t kPreamble = 10;  // magic (6), version (2), header length (2)
  while ((kPreamble + dict.size() + 1) % 64 != 0) dict += ' ';
  dict += '\n';
  if (dict.size() > 0xffff) throw std::invalid_argument("npy header too long");
  std::string out("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(dict.size() & 0xff);
  out += static_cast<char>(dict.size() >> 8);
  return out + dict;
}

std::uint64_t little_endian_bits(double x) {
  const auto u = std::bit_cast<std::uint64_t>(x);
  return std::endian::native == std::endian::little ? u : __builtin_bswap64(u);
}

}  // namespace

std::string npy_bytes(const std::vector<std::uint64_t>& shape, std::span<const double> values) {
  if (shape.empty() || shape.size() > 2)
    throw std::invalid_argument("write_npy writes 1-D and 2-D arrays only");
  std::uint64_t count = 1;
  for (std::uint64_t d : shape)
    if (__builtin_mul_overflow(count, d, &count))
      throw std::invalid_argument("npy shape overflows");
  if (count != values.size()) throw std::invalid_argument("npy shape does not match the data size");
  std::string out = header(shape);
  const std::size_t start = out.size();
  out.resize(start + 8 * values.size());
  for (std::size_t k = 0; k < values.size(); ++k) {
    const std::uint64_t u = little_endian_bits(values[k]);
    std::memcpy(out.data() + start + 8 * k, &u, 8);
  }
  return out;
}

void write_npy(const std::string& path, const std::vector<std::uint64_t>& shape,
               std::span<const double> values) {
  io::write_atomically(path, npy_bytes(shape, values));
}

}  // namespace fim::io
