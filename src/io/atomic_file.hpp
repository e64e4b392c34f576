#pragma once
#include <string>

namespace fim::io {

/// Writes text to path through a temporary file in the same folder and a rename, so a reader never
/// sees a half-written file and a failure leaves nothing behind. Throws std::runtime_error.
void write_atomically(const std::string& path, const std::string& text);

}  // namespace fim::io
