// fimcheck quantize W.npy ...: a weight tensor through a deployed quantizer (SPEC S5), writing w_q
// and optionally delta = w_q - w. Conventions: src/quant/quantize.hpp; proofs/quantization.md.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "cli/commands.hpp"
#include "io/matrix_io.hpp"
#include "io/npy.hpp"
#include "io/npy_write.hpp"
#include "quant/quantize.hpp"

namespace fim::cli {
namespace {

using quant::Granularity;
using quant::Rounding;
using quant::Scheme;

struct QuantArgs {
  std::string file, out, delta_out, scheme, granularity, rounding = "nearest";
  int bits = 0;  // 0: not given
  Eigen::Index group_size = 0;
  std::uint64_t seed = 0;
  bool json = false;
  CLI::Option *seed_option = nullptr, *group_size_option = nullptr;
};

const char* kHelpFooter =
    R"(Conventions (binary64, each operation rounded once, rint = round half to even):
  sym : s = max|w| / (2^(B-1) - 1), w_q = clamp(rint(w / s), -2^(B-1), 2^(B-1) - 1) * s
  asym: s = (max w - min w) / (2^B - 1), z = clamp(-rint(min w / s), 0, 2^B - 1),
        w_q = (clamp(rint(w / s) + z, 0, 2^B - 1) - z) * s
  nf4 : c = max|w| per block (64 along each row unless --granularity/--group-size say otherwise),
        w_q = nearest of the 16 NF4 levels to w / c (ties to the even index), times c
Groups run along the last axis (a 1-D tensor is one row); a final group of a row may be shorter.
A group of zeros (sym, nf4) or of equal values (asym) is written unchanged.
Stochastic rounding rounds w / s up with probability exactly its fractional part; entry i uses
the random words of (seed, i), so the same seed gives the same bits.
Output: float64 .npy files. delta = w_q - w is exact when it is a binary64 value; otherwise
D.npy holds fl(delta) and the summary counts those entries and bounds |delta - fl(delta)|.
Exit 0 written, 2 bad usage or bad input (nothing written). Details: proofs/quantization.md.
)";

void add_options(CLI::App* cmd, QuantArgs& a) {
  cmd->add_option("W", a.file, ".npy weights, 1-D or 2-D, float32 or float64")->required();
  cmd->add_option("--bits", a.bits, "Bit width B: 2..16 for sym and asym; nf4 is 4 bits")
      ->default_str("");
  cmd->add_option("--scheme", a.scheme, "sym | asym | nf4")
      ->required()
      ->check(CLI::IsMember({"sym", "asym", "nf4"}));
  cmd->add_option("--granularity", a.granularity,
                  "tensor | channel (one group per row) | group (--group-size along each row); "
                  "required for sym and asym, nf4 defaults to group")
      ->check(CLI::IsMember({"tensor", "channel", "group"}));
  a.group_size_option = cmd->add_option(
      "--group-size", a.group_size,
      "Group size for --granularity group, any positive size")
      ->default_str("128, nf4: 64");
  cmd->add_option("--rounding", a.rounding, "nearest | stochastic (sym and asym only)")
      ->check(CLI::IsMember({"nearest", "stochastic"}));
  a.seed_option =
      cmd->add_option("--seed", a.seed, "Seed of stochastic rounding (required with it)")->default_str("");
  cmd->add_option("--out", a.out, "Output .npy of w_q (float64)")->required();
  cmd->add_option("--delta-out", a.delta_out,
                  "Output .npy of delta = w_q - w (float64, see below)");
  cmd->add_flag("--json", a.json, "Print the summary as JSON on stdout");
  cmd->footer(kHelpFooter);
}

[[noreturn]] void usage(const std::string& option, const std::string& reason) {
  throw CLI::ValidationError(option, reason);
}

void set_scheme_and_bits(const QuantArgs& a, quant::QuantSpec& s) {
  s.scheme = a.scheme == "sym" ? Scheme::sym : a.scheme == "asym" ? Scheme::asym : Scheme::nf4;
  const bool nf4 = s.scheme == Scheme::nf4;
  if (!nf4 && a.bits == 0) usage("--bits", "sym and asym need --bits (2..16)");
  if (!nf4 && (a.bits < 2 || a.bits > 16))
    usage("--bits", fmt::format("{} is not in 2..16", a.bits));
  if (nf4 && a.bits != 0 && a.bits != 4)
    usage("--bits", "nf4 is a 4-bit code: use --bits 4 or omit it");
  s.bits = nf4 ? 4 : a.bits;
}

// Granularity and group size; nf4 defaults to blocks of 64 along each row.
void set_grouping(const QuantArgs& a, quant::QuantSpec& s) {
  const bool nf4 = s.scheme == Scheme::nf4;
  if (!nf4 && a.granularity.empty())
    usage("--granularity", "sym and asym need tensor, channel or group");
  const std::string g = a.granularity.empty() ? "group" : a.granularity;
  s.granularity = g == "tensor"    ? Granularity::tensor
                  : g == "channel" ? Granularity::channel
                                   : Granularity::group;
  const bool sized = a.group_size_option->count() > 0;
  if (sized && s.granularity != Granularity::group)
    usage("--group-size", "needs --granularity group");
  if (sized && a.group_size <= 0)
    usage("--group-size", fmt::format("{} is not positive", a.group_size));
  s.group_size = sized ? a.group_size : nf4 ? 64 : 128;
}

void set_rounding(const QuantArgs& a, quant::QuantSpec& s) {
  s.rounding = a.rounding == "stochastic" ? Rounding::stochastic : Rounding::nearest;
  if (s.scheme == Scheme::nf4 && s.rounding == Rounding::stochastic)
    usage("--rounding", "nf4 rounds to the nearest level only");
  const bool seeded = a.seed_option->count() > 0;
  if (s.rounding == Rounding::stochastic && !seeded)
    usage("--seed", "stochastic rounding needs --seed");
  if (s.rounding == Rounding::nearest && seeded)
    usage("--seed", "only used with --rounding stochastic");
  s.seed = a.seed;
}

// The quantizer the options ask for; throws CLI::ValidationError (exit 2) on bad usage.
quant::QuantSpec spec_of(const QuantArgs& a) {
  quant::QuantSpec s;
  set_scheme_and_bits(a, s);
  set_grouping(a, s);
  set_rounding(a, s);
  if (!a.delta_out.empty() && a.delta_out == a.out)
    usage("--delta-out", "must differ from --out");
  return s;
}

// Whether the .npy file at path (already validated by NpyMatrix) declares a 1-D shape, so that the
// output keeps it: NpyMatrix reads a 1-D array as one row and does not say which it was.
bool declares_one_dimension(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char pre[12] = {};
  in.read(pre, sizeof pre);
  const bool v1 = pre[6] == 1;
  std::size_t len = 0;
  for (int b = v1 ? 9 : 11; b >= 8; --b) len = len * 256 + static_cast<unsigned char>(pre[b]);
  std::string dict(len, '\0');
  in.seekg(v1 ? 10 : 12);
  in.read(dict.data(), static_cast<std::streamsize>(len));
  const std::size_t key = dict.find("shape"), open = dict.find('(', key),
                    close = dict.find(')', open);
  int dims = 0;
  bool in_number = false;
  for (std::size_t k = open + 1; k < close && close != std::string::npos; ++k) {
    const bool digit = dict[k] >= '0' && dict[k] <= '9';
    dims += digit && !in_number;
    in_number = digit;
  }
  return dims == 1;
}

struct Loaded {
  quant::RowMatrix w;
  bool one_dimensional = false;
};

Loaded load(const std::string& path) {
  Loaded l;
  Eigen::MatrixXd m;
  {
    const io::NpyMatrix npy(path);  // float32/float64, either order; refuses NaN/inf with the entry
    npy.read_block(0, npy.rows(), 0, npy.cols(), m);
  }
  l.w = m;
  l.one_dimensional = declares_one_dimension(path);
  return l;
}

quant::Quantized run_quantizer(const QuantArgs& a, const Loaded& l, const quant::QuantSpec& s) {
  try {
    return quant::quantize(l.w, s);
  } catch (const std::domain_error& e) {  // a group where the formulas are undefined
    throw io::InputError(a.file, "quantization", e.what());
  }
}

// max |delta| / s over the non-degenerate groups (binary64 estimate, for the summary only).
double max_delta_over_step(const quant::Quantized& q) {
  double worst = 0;
  for (const quant::Group& g : q.groups)
    if (!g.degenerate)
      worst = std::max(
          worst, q.delta_hi.block(g.row0, g.col0, g.rows, g.cols).cwiseAbs().maxCoeff() / g.scale);
  return worst;
}

std::vector<std::uint64_t> shape_of(const Loaded& l) {
  const auto r = static_cast<std::uint64_t>(l.w.rows()), c = static_cast<std::uint64_t>(l.w.cols());
  return l.one_dimensional ? std::vector<std::uint64_t>{c} : std::vector<std::uint64_t>{r, c};
}

// Writes Q (and D); removes Q again when D cannot be written, so a failure leaves no output.
void write_outputs(const QuantArgs& a, const Loaded& l, const quant::Quantized& q) {
  const auto shape = shape_of(l);
  io::write_npy(a.out, shape, {q.w_q.data(), static_cast<std::size_t>(q.w_q.size())});
  if (a.delta_out.empty()) return;
  try {
    io::write_npy(a.delta_out, shape,
                  {q.delta_hi.data(), static_cast<std::size_t>(q.delta_hi.size())});
  } catch (...) {
    std::remove(a.out.c_str());
    throw;
  }
}

std::string granularity_text(const quant::QuantSpec& s) {
  if (s.granularity == Granularity::tensor) return "tensor";
  if (s.granularity == Granularity::channel) return "channel";
  return fmt::format("group of {}", s.group_size);
}

long degenerate_groups(const quant::Quantized& q) {
  return std::count_if(q.groups.begin(), q.groups.end(),
                       [](const quant::Group& g) { return g.degenerate; });
}

void print_text(const QuantArgs& a, const Loaded& l, const quant::QuantSpec& s,
                const quant::Quantized& q) {
  const bool nf4 = s.scheme == Scheme::nf4;
  const auto shape = shape_of(l);
  std::cout << fmt::format(
      "{} (shape ({})) -> {}: {} {}-bit, {}, rounding {}{}\n", a.file, fmt::join(shape, ", "),
      a.out, a.scheme, s.bits, granularity_text(s), a.rounding,
      s.rounding == Rounding::stochastic ? fmt::format(" (seed {})", s.seed) : "");
  std::cout << fmt::format("groups: {} ({} quantized to themselves: all zero{})\n", q.groups.size(),
                           degenerate_groups(q), s.scheme == Scheme::asym ? " or all equal" : "");
  std::cout << fmt::format("clipped values: {}\n", q.clipped);
  std::cout << fmt::format("max |delta| / {}: {:.6g}\n", nf4 ? "absmax" : "step",
                           max_delta_over_step(q));
  // proofs/quantization.md, Lemma 12: fl(delta) is off by |delta_lo| <= 2^-53 |fl(delta)|.
  if (q.delta_inexact == 0)
    std::cout << "delta: a binary64 value at every entry (exact)\n";
  else
    std::cout << fmt::format(
        "delta: {} entries are not binary64 values; {} holds fl(delta) there, with "
        "|delta - fl(delta)| <= {:.3g} (and <= 2^-53 |fl(delta)| each)\n",
        q.delta_inexact, a.delta_out.empty() ? "the delta output" : a.delta_out,
        q.max_abs_delta_lo);
  if (!a.delta_out.empty())
    std::cout << "wrote " << a.out << " and " << a.delta_out << "\n";
  else
    std::cout << "wrote " << a.out << "\n";
}

void print_json(const QuantArgs& a, const Loaded& l, const quant::QuantSpec& s,
                const quant::Quantized& q) {
  nlohmann::json j = {
      {"file", a.file},
      {"shape", shape_of(l)},
      {"scheme", a.scheme},
      {"bits", s.bits},
      {"granularity", s.granularity == Granularity::tensor    ? "tensor"
                      : s.granularity == Granularity::channel ? "channel"
                                                              : "group"},
      {"group_size", s.granularity == Granularity::group ? nlohmann::json(s.group_size) : nullptr},
      {"rounding", a.rounding},
      {"seed", s.rounding == Rounding::stochastic ? nlohmann::json(s.seed) : nullptr},
      {"groups", q.groups.size()},
      {"degenerate_groups", degenerate_groups(q)},
      {"clipped", q.clipped},
      {s.scheme == Scheme::nf4 ? "max_abs_delta_over_absmax" : "max_abs_delta_over_step",
       max_delta_over_step(q)},
      {"delta_inexact_entries", q.delta_inexact},
      {"max_abs_delta_rounding", q.max_abs_delta_lo},
      {"out", a.out},
      {"delta_out", a.delta_out.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.delta_out)}};
  std::cout << j.dump(2) << "\n";
}

int run_quantize(const QuantArgs& a) {
  const quant::QuantSpec s = spec_of(a);
  const Loaded l = load(a.file);
  const quant::Quantized q = run_quantizer(a, l, s);
  write_outputs(a, l, q);
  if (a.json)
    print_json(a, l, s, q);
  else
    print_text(a, l, s, q);
  return kOk;
}

}  // namespace

void add_quantize(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "quantize", "Quantize a weight tensor (sym, asym, nf4) and write w_q and delta");
  auto a = std::make_shared<QuantArgs>();
  add_options(cmd, *a);
  cmd->callback([a, &exit_code] { exit_code = run_quantize(*a); });
}

}  // namespace fim::cli
