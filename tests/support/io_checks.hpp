// Test helpers for intake: a temporary folder, and the shape of an InputError (S11).
#pragma once
#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "io/matrix_io.hpp"

namespace fim::test {

/// A fresh directory under the system temp dir, removed with its contents at scope exit.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& prefix = "fimcheck") {
    std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string write(const std::string& name, const std::string& bytes) const {
    const std::filesystem::path p = path / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }
};

/// Requires that f() throws an InputError "file: place: reason" on one line, naming the file,
/// with a place containing `place` and a reason containing `reason`.
template <class Fn>
void require_input_error(Fn f, const std::string& file, const std::string& place,
                         const std::string& reason) {
  try {
    f();
    FAIL("no InputError for " << file << " (expected " << place << ": " << reason << ")");
  } catch (const io::InputError& e) {
    const std::string what = e.what();
    INFO("what() = " << what);
    CHECK(what.find('\n') == std::string::npos);
    CHECK(e.file == file);
    CHECK(e.place.find(place) != std::string::npos);
    CHECK(e.reason.find(reason) != std::string::npos);
    CHECK(what == file + ": " + e.place + ": " + e.reason);
  }
}

}  // namespace fim::test
