// The policy `fimcheck calibrate` writes: one real coordinate cut at a calibrated threshold
// (proofs/inflation.md, Lemma 4). Complete and disjoint by construction; `fimcheck partition`
// re-decides it from the file.
#pragma once
#include <string>

namespace fim::policy {

/// The policy over coordinate `coordinate` (real, with the specials nan, +inf, -inf, undefined)
/// with the cells nominal (`<= threshold`), alarm (`> threshold`), invalid (`is nan`) and no_base
/// (`is undefined`), as the JSON text read_policy reads, one cell per line. `threshold` is a
/// decimal read exactly; throws std::invalid_argument when it is not one.
std::string threshold_policy(const std::string& coordinate, const std::string& threshold,
                                        const std::string& description);

}  // namespace fim::policy
