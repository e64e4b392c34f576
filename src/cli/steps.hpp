// The monitor's steps as `fimcheck sigma` and `fimcheck calibrate` read them: step arguments
// expanded (directories in natural order), one certified lambda_1 per file by the same path as
// `fimcheck lambda`, and sigma_t = lambda_1(F_t) / lambda_base (proofs/partition.md, Lemma 7).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "numeric/interval.hpp"

namespace fim::cli {

/// "step2" < "step10": digit runs compare as numbers, everything else character by character.
bool natural_less(const std::string& a, const std::string& b);

/// Every argument that is a directory replaced by its steps: the folder's manifest.json when it has
/// one (a folder of score shards is one step), else its .npy and .csv files and the manifests of
/// its subfolders, naturally sorted. Throws io::InputError for a directory that cannot be listed
/// or holds no step.
std::vector<std::string> expand_steps(const std::vector<std::string>& args);

/// How each file is read and enclosed: a matrix, or (gram) an n x d score matrix G with F = G^T G / n.
struct StepReading {
  bool gram = false;
  int max_bits = 1024;
  double rel_width = 1e-10;
  bool show_progress = true;  // a progress line on a terminal while reading a score matrix
};

/// A certified lambda_1 of one file's FIM and the shape read (n x d scores, or d x d).
struct LambdaMax {
  num::Ival value;
  bool narrow = false;  // the enclosure, as printed, is within the requested relative width
  Eigen::Index n = 0, d = 0;
};

/// Encloses lambda_1 of the FIM in `file`: the same load and enclose_top calls as fimcheck lambda,
/// so every command prints the same enclosure for the same file.
LambdaMax enclose_lambda_max(const std::string& file, const StepReading& how);

/// Throws io::InputError naming both shapes when the step's number of parameters d is not the
/// base's: sigma compares FIMs of one model.
void require_same_d(const std::string& file, const LambdaMax& step, const std::string& base_file,
                    const LambdaMax& base);

/// sigma = lambda_1 / lambda_base; none (undefined) when the base enclosure contains 0. Ival
/// division rounds outward, so the interval contains the true quotient (proofs/partition.md, Lemma 7).
std::optional<num::Ival> sigma_of(const num::Ival& step, const num::Ival& base);

/// Why sigma is undefined: exactly (a zero base) or because the base was not separated from 0.
std::string undefined_reason(const num::Ival& base);

/// {"lo": S, "hi": S} with outward-rounded decimals (num::decimal_enclosure), lo first.
nlohmann::ordered_json enclosure_json(const num::Ival& x);

/// How the readable lines name a step: its file name without folders (a manifest: folder/manifest.json).
std::string step_name(const std::string& path);

}  // namespace fim::cli
