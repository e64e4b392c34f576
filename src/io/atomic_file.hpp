#pragma once
#include <string>

namespace fim::io {

/// Writes text to path so that path holds either its old content or the whole new text, even if
/// the process is killed or the disk fills: a temporary file with a unique name in the same folder
/// (O_CREAT | O_EXCL), written in full and fsync'ed, renamed over path, and the folder fsync'ed so
/// the rename is durable. On failure the temporary file is removed and std::runtime_error says
/// "PATH: cannot write: REASON" (e.g. "No space left on device", "File too large").
void write_atomically(const std::string& path, const std::string& text);

}  // namespace fim::io
