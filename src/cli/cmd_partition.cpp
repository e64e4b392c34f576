// fimcheck partition POLICY.json: exact completeness and disjointness of a monitor policy, or the
// exact classification of an enclosure (SPEC S6 claim C7, proofs/partition.md).
#include <iostream>
#include <memory>

#include "policy/partition.hpp"
#include "cli/commands.hpp"
#include "io/atomic_file.hpp"

namespace fim::cli {
namespace {

struct PartitionArgs {
  std::string policy, classify, coordinate = "sigma", output;
  std::vector<std::string> at;
  bool json = false;
};

// Exit 0 complete and disjoint, 1 a gap or an overlap (proofs/partition.md, Theorem 1).
int run_decide(const PartitionArgs& a, const policy::Policy& p) {
  const policy::PartitionResult r = policy::decide_partition(p);
  const nlohmann::ordered_json j = policy::to_json(p, r);
  if (!a.output.empty()) io::write_atomically(a.output, j.dump(2) + "\n");
  std::cout << (a.json ? j.dump(2) + "\n" : policy::to_text(p, r));
  return r.complete() && r.disjoint() ? kOk : kCounterexample;
}

// Exit 0 one cell, 3 ambiguous, 1 uncovered or outside the domain (Theorem 2).
int run_classify(const PartitionArgs& a, const policy::Policy& p) {
  const std::size_t coord = policy::classified_coordinate(p, a.coordinate);
  const policy::ValueSet set = policy::parse_value_set(a.classify);
  std::vector<std::pair<std::size_t, policy::Value>> fixed;
  for (const std::string& s : a.at) fixed.push_back(policy::parse_assignment(p, s));
  const policy::Classification k = policy::classify(p, coord, set, fixed);
  nlohmann::ordered_json j = policy::to_json(p, k);
  j["policy"] = p.file;
  j["coordinate"] = a.coordinate;
  j["enclosure"] = a.classify;
  if (!a.output.empty()) io::write_atomically(a.output, j.dump(2) + "\n");
  if (a.json) {
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << a.coordinate << " in " << a.classify << ": " << policy::describe(p, k);
    if (k.kind == policy::ClassKind::Ambiguous) {
      std::cout << " (candidates:";
      for (std::size_t c : k.candidates) std::cout << " " << p.cells[c].name;
      std::cout << (k.partly_uncovered ? "; some states in no cell)" : ")");
    }
    std::cout << "\n";
  }
  switch (k.kind) {
    case policy::ClassKind::Cell: return kOk;
    case policy::ClassKind::Ambiguous: return kUndecided;
    default: return kCounterexample;
  }
}

}  // namespace

void add_partition(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "partition",
      "Decide exactly whether a policy's cells cover every state and are pairwise disjoint "
      "(exit 0 yes, 1 a gap or overlap, 2 bad policy), or classify an enclosure with --classify");
  auto a = std::make_shared<PartitionArgs>();
  cmd->add_option("POLICY", a->policy, "Policy JSON: {\"coordinates\": {...}, \"cells\": [...]}")->required();
  cmd->add_option("--classify", a->classify,
                  "Classify the enclosure LO,HI (or one value: 1.5, nan, +inf, undefined) of the "
                  "coordinate --coordinate: exit 0 one cell, 3 ambiguous, 1 no cell");
  cmd->add_option("--coordinate", a->coordinate, "Real coordinate that --classify encloses")
      ->capture_default_str();
  cmd->add_option("--at", a->at, "Fix another coordinate for --classify, NAME=VALUE (repeatable)")->default_str("");
  cmd->add_flag("--json", a->json, "Print JSON on stdout");
  cmd->add_option("--output", a->output, "Also write the JSON result to this file (atomically)");
  cmd->callback([a, &exit_code] {
    const policy::Policy p = policy::read_policy(a->policy);
    exit_code = a->classify.empty() ? run_decide(*a, p) : run_classify(*a, p);
  });
}

}  // namespace fim::cli
