// The values of SPEC keys, read strictly (model SPECs of spec.cpp and language_model.cpp): each
// reader returns the value or throws io::InputError("--model", "key 'K'", reason).
#pragma once
#include <cstdint>
#include <string>

#include "fim/network.hpp"

namespace fim::model {

/// Throws the InputError of a bad key.
[[noreturn]] void bad_key(const std::string& key, const std::string& reason);
/// A whole decimal integer in [lo, hi].
long long integer_in(const std::string& key, const std::string& v, long long lo, long long hi);
/// An unsigned 64-bit decimal integer.
std::uint64_t unsigned64(const std::string& key, const std::string& v);
/// A finite number > 0.
double positive_real(const std::string& key, const std::string& v);
/// tanh | gelu | relu.
Activation activation_of(const std::string& key, const std::string& v);

}  // namespace fim::model
