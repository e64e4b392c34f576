#include "cli/steps.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "cli/input.hpp"
#include "io/matrix_io.hpp"
#include "linalg/enclose_top.hpp"
#include "numeric/enclosure_json.hpp"
#include "numeric/outward.hpp"

namespace fim::cli {
using num::Ival;

bool natural_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      std::size_t i2 = i, j2 = j;
      while (i2 < a.size() && std::isdigit(static_cast<unsigned char>(a[i2]))) ++i2;
      while (j2 < b.size() && std::isdigit(static_cast<unsigned char>(b[j2]))) ++j2;
      std::string x = a.substr(i, i2 - i), y = b.substr(j, j2 - j);
      x.erase(0, std::min(x.find_first_not_of('0'), x.size()));
      y.erase(0, std::min(y.find_first_not_of('0'), y.size()));
      if (x.size() != y.size()) return x.size() < y.size();
      if (x != y) return x < y;
      i = i2;
      j = j2;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

std::vector<std::string> expand_steps(const std::vector<std::string>& args) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const std::string& s : args) {
    std::error_code ec;
    if (!fs::is_directory(s, ec)) {
      out.push_back(s);
      continue;
    }
    // A folder of shards is one step, its manifest (the shards are not steps of their own).
    if (fs::is_regular_file(fs::path(s) / "manifest.json", ec)) {
      out.push_back((fs::path(s) / "manifest.json").string());
      continue;
    }
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(s, ec)) {
      const std::string ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".npy" || ext == ".csv")) files.push_back(e.path().string());
      else if (e.is_directory() && fs::is_regular_file(e.path() / "manifest.json"))
        files.push_back((e.path() / "manifest.json").string());  // one exported step per folder
    }
    if (ec) throw io::InputError(s, "directory", "cannot list: " + ec.message());
    if (files.empty())
      throw io::InputError(s, "directory", "holds no .npy or .csv step files and no folders with a manifest.json");
    std::sort(files.begin(), files.end(), natural_less);
    out.insert(out.end(), files.begin(), files.end());
  }
  return out;
}

LambdaMax enclose_lambda_max(const std::string& file, const StepReading& how) {
  FimMatrix f = load_fim_matrix(file, how.gram, false, how.show_progress);
  const linalg::Precision p{how.max_bits, how.rel_width};
  const linalg::Top top = enclose_refining_gram(
      f, file, how.rel_width, how.max_bits, how.show_progress,
      [&p](const linalg::SymMatrix& m) { return linalg::enclose_top(m, p); },
      [](const linalg::Top& t) { return std::optional<Ival>(t.lambda1); });
  LambdaMax out;
  out.n = f.n;
  out.d = f.d;
  out.value = fim_value(f, top.lambda1);
  out.narrow = top.ok && linalg::narrow_enough(out.value, how.rel_width, out.value.mag()) &&
               num::printed_within(num::to_json(out.value), how.rel_width);  // as printed
  return out;
}

namespace {

// The shape of a loaded file as the user wrote it.
std::string shape_text(const LambdaMax& l) { return std::to_string(l.n) + " x " + std::to_string(l.d); }

}  // namespace

void require_same_d(const std::string& file, const LambdaMax& step, const std::string& base_file,
                    const LambdaMax& base) {
  if (step.d == base.d) return;
  throw io::InputError(file, "shape",
                       "is " + shape_text(step) + " (d = " + std::to_string(step.d) + ") but the base " +
                           base_file + " is " + shape_text(base) + " (d = " + std::to_string(base.d) +
                           "); sigma compares FIMs of the same d parameters");
}

std::optional<Ival> sigma_of(const Ival& step, const Ival& base) {
  if (base.contains_zero()) return std::nullopt;
  return step / base;
}

std::string undefined_reason(const Ival& base) {
  return base.lo == 0 && base.hi == 0 ? "lambda_base = 0 exactly" : "lambda_base's enclosure contains 0";
}

nlohmann::ordered_json enclosure_json(const Ival& x) {
  const auto [lo, hi] = num::decimal_enclosure(x.lo, x.hi);
  return {{"lo", lo}, {"hi", hi}};
}

std::string step_name(const std::string& path) {
  // A manifest's file name is the same for every step: its folder names the step.
  const std::filesystem::path p(path);
  if (p.extension() == ".json" && p.has_parent_path() && p.parent_path().has_filename())
    return (p.parent_path().filename() / p.filename()).string();
  return p.filename().string();
}

}  // namespace fim::cli
