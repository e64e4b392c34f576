// The Gram product of wide score matrices across the ranks of an mpirun run (SPEC S13).
#pragma once
#include <functional>
#include <string>
#include <string_view>

#include "fim/group_curvature.hpp"
#include "io/score_shards.hpp"
#include "linalg/gram.hpp"

namespace fim::cli {

/// linalg::enclose_gram, with the units of a wide G (n < d, linalg::gram_of_unit) split across
/// the ranks of the run: each rank reads only its units' columns, rank 0 adds the units'
/// partials in unit order and every rank receives the sum. The result is the one enclose_gram
/// gives on one process, bit for bit. With one rank, or n >= d, it is enclose_gram itself.
/// A rank's input error reaches every rank, which throws it (io::InputError).
linalg::SymMatrix enclose_gram_ranks(Eigen::Index n, Eigen::Index d, const linalg::BlockReader& read,
                                     const std::function<void(double)>& progress = {});

/// fim::group_pass over every group of a wide G (n < d), the groups split across the ranks of the
/// run: every rank receives every group's curvature, in group order, and the sum of the ranks'
/// partials (with one rank: group_pass itself; with K ranks the sum's centre may differ from
/// one rank's in its last bits, and its radius counts 2 ceil(log2(K + 1)) more additions).
fim::GroupPass group_pass_ranks(const io::ScoreShards& s, const std::function<void(double)>& progress = {});

/// A partial's exact bytes (binary64 as stored: ranks of one run share the byte order), and back.
std::string to_bytes(const linalg::GramPartial& p);
linalg::GramPartial partial_from_bytes(std::string_view bytes);

}  // namespace fim::cli
