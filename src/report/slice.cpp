#include "report/slice.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "io/atomic_file.hpp"
#include "io/matrix_io.hpp"

namespace fim::report {
namespace {

constexpr const char* kFormat = "fimcheck-slice";
constexpr int kFormatVersion = 1;

std::string slice_name(const ShardSpec& s) { return std::to_string(s.index) + "/" + std::to_string(s.count); }

// The first argument whose value differs between a and b (or that only one has), for messages.
std::string first_difference(const nlohmann::json& a, const nlohmann::json& b) {
  for (const auto& [key, value] : a.items())
    if (!b.contains(key) || b[key] != value) return key;
  for (const auto& [key, value] : b.items())
    if (!a.contains(key)) return key;
  return "";
}

// A non-negative integer read from a strict decimal string ("07" and "+7" are refused).
std::optional<long long> decimal(const std::string& s) {
  if (s.empty() || s.size() > 7 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  long long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

std::optional<ShardSpec> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  const auto i = decimal(text.substr(0, slash)), n = decimal(text.substr(slash + 1));
  if (!i || !n || *n < 1 || *n > 1000000 || *i >= *n) return std::nullopt;
  return ShardSpec{static_cast<int>(*i), static_cast<int>(*n)};
}

// FNV-1a, 64 bits, over the command and the arguments' JSON (objects print their keys sorted, so
// equal arguments give equal text): it tells runs apart, it does not guard against forgery.
std::string fingerprint(const std::string& command, const nlohmann::json& arguments) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : command + "\n" + arguments.dump()) h = (h ^ c) * 0x100000001b3ull;
  char buf[32];
  std::snprintf(buf, sizeof buf, "fnv1a64:%016llx", static_cast<unsigned long long>(h));
  return buf;
}

nlohmann::json slice_json(const SliceReport& s, const std::string& version) {
  return {{"format", kFormat},
          {"format_version", kFormatVersion},
          {"fimcheck", version},
          {"command", s.command},
          {"arguments", s.arguments},
          {"fingerprint", fingerprint(s.command, s.arguments)},
          {"slice", {s.shard.index, s.shard.count}},
          {"units", s.units},
          {"range", {s.range.begin, s.range.end}},
          {"seconds", s.seconds},
          {"error", s.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.error)},
          {"result", s.result}};
}

SliceReport slice_from_json(const nlohmann::json& j, const std::string& source, const std::string& version) {
  const auto refuse = [&](const std::string& why) { return io::InputError(source, "slice", why); };
  if (!j.is_object() || j.value("format", "") != kFormat || j.value("format_version", 0) != kFormatVersion)
    throw refuse("not a slice report of fimcheck (format " + std::string(kFormat) + " " +
                 std::to_string(kFormatVersion) + ")");
  if (j.value("fimcheck", "") != version)
    throw refuse("written by fimcheck " + j.value("fimcheck", std::string("?")) + ", this is fimcheck " + version +
                 ": run every slice and the merge with one version");
  SliceReport s;
  try {
    s.command = j.at("command").get<std::string>();
    s.arguments = j.at("arguments");
    s.shard = {j.at("slice").at(0).get<int>(), j.at("slice").at(1).get<int>()};
    s.units = j.at("units").get<long long>();
    s.range = {j.at("range").at(0).get<long long>(), j.at("range").at(1).get<long long>()};
    s.seconds = j.at("seconds").get<double>();
    s.error = j.at("error").is_null() ? "" : j.at("error").get<std::string>();
    s.result = j.at("result");
    if (j.at("fingerprint").get<std::string>() != fingerprint(s.command, s.arguments))
      throw refuse("its fingerprint does not match its arguments (the file was edited)");
  } catch (const nlohmann::json::exception& e) {
    throw refuse(std::string("malformed: ") + e.what());
  }
  s.source = source;
  return s;
}

void write_slice(const std::string& dir, const SliceReport& s, const std::string& version) {
  std::filesystem::create_directories(dir);
  io::write_atomically(dir + "/slice.json", slice_json(s, version).dump(1) + "\n");
}

SliceReport read_slice(const std::string& dir, const std::string& version) {
  const std::string file = std::filesystem::is_directory(dir) ? dir + "/slice.json" : dir;
  std::ifstream in(file);
  if (!in) throw io::InputError(file, "slice", "cannot be read (is it a folder written by --shard I/N --report DIR?)");
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::exception& e) {
    throw io::InputError(file, "slice", std::string("not JSON: ") + e.what());
  }
  return slice_from_json(j, dir, version);
}

std::vector<SliceReport> whole_run(std::vector<SliceReport> slices) {
  if (slices.empty()) throw io::InputError("merge", "slices", "no slice given");
  const SliceReport& first = slices.front();
  const std::string print = fingerprint(first.command, first.arguments);
  std::map<int, const SliceReport*> seen;
  for (const SliceReport& s : slices) {
    const auto refuse = [&](const std::string& why) { return io::InputError(s.source, "slice " + slice_name(s.shard), why); };
    if (s.command != first.command)
      throw refuse("is a slice of fimcheck " + s.command + ", " + first.source + " of fimcheck " + first.command);
    if (fingerprint(s.command, s.arguments) != print)
      throw refuse("is from a different run than " + first.source + " (argument '" +
                   first_difference(s.arguments, first.arguments) + "' differs)");
    if (s.shard.count != first.shard.count)
      throw refuse("is one of " + std::to_string(s.shard.count) + " slices, " + first.source + " one of " +
                   std::to_string(first.shard.count));
    if (s.shard.index < 0 || s.shard.index >= s.shard.count) throw refuse("has no such index");
    if (const auto it = seen.find(s.shard.index); it != seen.end())
      throw refuse("is given twice (also " + it->second->source + ")");
    const cluster::Slice want = cluster::slice_of(s.units, s.shard.index, s.shard.count);
    if (s.units != first.units || s.range.begin != want.begin || s.range.end != want.end)
      throw refuse("holds units [" + std::to_string(s.range.begin) + ", " + std::to_string(s.range.end) +
                   "), not the slice's [" + std::to_string(want.begin) + ", " + std::to_string(want.end) + ")");
    seen[s.shard.index] = &s;
  }
  for (int i = 0; i < first.shard.count; ++i)
    if (!seen.count(i))
      throw io::InputError("merge", "slices", "slice " + slice_name({i, first.shard.count}) + " of " + first.command +
                                                  " is missing (" + std::to_string(seen.size()) + " of " +
                                                  std::to_string(first.shard.count) + " given)");
  std::sort(slices.begin(), slices.end(),
            [](const SliceReport& a, const SliceReport& b) { return a.shard.index < b.shard.index; });
  return slices;
}

nlohmann::json exact_json(double x) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%a", x);
  return buf;
}

double exact_double(const nlohmann::json& j) {
  if (!j.is_string()) throw io::InputError("slice", "result", "expected a hex float, got " + j.dump());
  const std::string s = j.get<std::string>();
  char* end = nullptr;
  const double x = std::strtod(s.c_str(), &end);  // C99: a hex float is read exactly
  if (s.empty() || end != s.c_str() + s.size()) throw io::InputError("slice", "result", "not a hex float: '" + s + "'");
  return x;
}

nlohmann::json exact_json(const num::Ival& x) { return {exact_json(x.lo), exact_json(x.hi)}; }

num::Ival exact_ival(const nlohmann::json& j) {
  if (!j.is_array() || j.size() != 2) throw io::InputError("slice", "result", "expected [lo, hi], got " + j.dump());
  num::Ival x;
  x.lo = exact_double(j[0]);
  x.hi = exact_double(j[1]);
  return x;
}

nlohmann::json exact_json(const Eigen::MatrixXd& m) {
  nlohmann::json rows = nlohmann::json::array();
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    nlohmann::json row = nlohmann::json::array();
    for (Eigen::Index k = 0; k < m.cols(); ++k) row.push_back(exact_json(m(i, k)));
    rows.push_back(row);
  }
  return {{"rows", m.rows()}, {"cols", m.cols()}, {"entries", rows}};
}

Eigen::MatrixXd exact_matrix(const nlohmann::json& j) {
  try {
    Eigen::MatrixXd m(j.at("rows").get<Eigen::Index>(), j.at("cols").get<Eigen::Index>());
    for (Eigen::Index i = 0; i < m.rows(); ++i)
      for (Eigen::Index k = 0; k < m.cols(); ++k) m(i, k) = exact_double(j.at("entries").at(i).at(k));
    return m;
  } catch (const nlohmann::json::exception& e) {
    throw io::InputError("slice", "result", std::string("malformed matrix: ") + e.what());
  }
}

double slowest_seconds(const std::vector<SliceReport>& slices) {
  double t = 0;
  for (const SliceReport& s : slices) t = std::max(t, s.seconds);
  return t;
}

}  // namespace fim::report
