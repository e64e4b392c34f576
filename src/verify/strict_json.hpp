// Strict reading of a certificate's JSON (proofs/verify.md, section 2): duplicate keys, missing or
// extra fields, a JSON number where a string number is expected, and wrong types are refused.
#pragma once
#include <initializer_list>
#include <string>

#include <gmpxx.h>
#include <nlohmann/json.hpp>

#include "verify/inertia.hpp"

namespace fim::verify {

using Json = nlohmann::json;

/// Parses text, refusing invalid JSON, a duplicate key in any object, and nesting deeper than 16.
Json parse_strict(const std::string& text);

/// Refuses j unless it is an object whose keys are all of `required` and some of `optional`.
void expect_keys(const Json& j, const std::string& what, std::initializer_list<const char*> required,
                 std::initializer_list<const char*> optional = {});

/// A string field.
std::string text_of(const Json& j, const std::string& what);
/// An exact number written as a JSON string (never a JSON number).
mpq_class number_of(const Json& j, const std::string& what);
/// A JSON integer in [lo, hi].
int integer_of(const Json& j, const std::string& what, int lo, int hi);
/// A matrix of string numbers, 1 to 200 rows of equal length; square and symmetric when asked.
Matrix matrix_of(const Json& j, const std::string& what, bool square, bool symmetric = true);

}  // namespace fim::verify
