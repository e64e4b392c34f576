// Exact numbers of a certificate (proofs/verify.md, section 2): the only number reader of
// `fimcheck verify-cert`. Every number is read exactly or refused; every exact intermediate of the
// verifier is bounded in size, so no input makes it run for minutes or exhaust memory.
#pragma once
#include <stdexcept>
#include <string>

#include <gmpxx.h>

namespace fim::verify {

/// A certificate that cannot be checked as written (malformed, unknown, too large): exit 2.
struct Refused : std::runtime_error {
  /// The reason keeps every byte (what() would stop at a NUL a certificate put in a name).
  explicit Refused(const std::string& why) : std::runtime_error(why), reason(why) {}
  std::string reason;
};

/// The largest exact number (bits of numerator plus denominator) the verifier computes with.
constexpr long kMaxBits = 1'000'000;
/// The size of one number read from a certificate: the checker's largest (a 4096-bit end point
/// near the binary64 range) has about 6000 bits, so this leaves room and keeps products small.
constexpr long kMaxInputBits = 20'000;

/// Bits of numerator plus bits of denominator of x.
long bit_size(const mpq_class& x);
/// Throws Refused when x is larger than kMaxBits; returns x otherwise.
const mpq_class& guard(const mpq_class& x);

/// Reads an exact decimal (-12.5e-3), an integer fraction p/q (q > 0, unsigned) or a C99 hex float
/// (0x1.8p-3), exactly; anything else (trailing text, 1/0, -4/-1, 1e5.5, inf, nan, "") is refused.
mpq_class read_number(const std::string& text);

/// x for a message: its exact text when short, else 17 significant decimal digits rounded down
/// (show_down) or up (show_up), so that a printed inequality stays true.
std::string show_down(const mpq_class& x);
std::string show_up(const mpq_class& x);

}  // namespace fim::verify
