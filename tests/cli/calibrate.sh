#!/usr/bin/env bash
# fimcheck calibrate: the certified enclosure of the empirical q-quantile of sigma_t over a
# directory of steps contains the true order statistic (exact small cases; NumPy float64 eigvalsh
# with a margin for its rounding on score matrices), the rank is ceil(q N) of q as written, the
# written policy is certified complete by fimcheck partition and keeps the quantile's own step
# nominal, and the false variants are caught: a wrong rank misses the truth, a policy with its
# boundary left open or without a nan cell is refused by partition. Bad input: exit 2, one line,
# nothing written.
# Usage: bash tests/cli/calibrate.sh /path/to/fimcheck
set -u
FIM=${1:?usage: calibrate.sh /path/to/fimcheck}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fimcheck-calibrate.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/../support/cli.sh"
PY=/usr/bin/python3

# Exact cases: dense diagonal steps whose lambda_1 are 1 3 2 5 4 (sigma over lambda_base = 2:
# 0.5 1.5 1 2.5 2). Score matrices: 12 steps of random G (6 x 5), each scaled differently so the
# sigma are well apart, named so that natural order differs from sorted order.
$PY - "$tmp" <<'PY'
import os, sys
import numpy as np
d = sys.argv[1]
os.makedirs(f"{d}/exact"); os.makedirs(f"{d}/scores"); os.makedirs(f"{d}/empty"); os.makedirs(f"{d}/mixed")
np.save(f"{d}/base.npy", np.diag([2.0, 1.0, 0.5]))
for i, lam in enumerate([1, 3, 2, 5, 4], 1):
    np.save(f"{d}/exact/step{i}.npy", np.diag([float(lam), 0.5, 0.25]))
rng = np.random.default_rng(7)
np.save(f"{d}/gbase.npy", rng.standard_normal((6, 5)))
for i, s in enumerate(rng.permutation(12), 1):
    np.save(f"{d}/scores/step_{i}.npy", (0.5 + 0.25 * s) * rng.standard_normal((6, 5)))
np.save(f"{d}/zero.npy", np.zeros((3, 3)))
np.save(f"{d}/two.npy", np.eye(2))
np.save(f"{d}/mixed/a.npy", np.eye(3))
np.save(f"{d}/mixed/b.npy", np.eye(2))
open(f"{d}/tiny.csv", "w").write("1e-400\n")  # an enclosure [0, 2^-1074]: contains 0, is not 0
open(f"{d}/one.csv", "w").write("1\n")
PY

echo "exact cases: the order statistic of known sigma"
for case in "0.6 3 1.5" "0.4 2 1" "0.99 5 2.5" "0.01 1 0.5" "0.9 5 2.5" "0.8 4 2"; do
  set -- $case
  expect_exit 0 "q = $1: rank $2, sigma quantile $3" "$FIM" calibrate --base "$tmp/base.npy" --steps "$tmp/exact" --quantile "$1" --json
  $PY - "$tmp/out" "$2" "$3" <<'PY' && ok "q = $1: rank $2, enclosure contains $3 exactly" || bad "q = $1: $(head -c 400 "$tmp/out")"
import json, sys
from fractions import Fraction as Q
j = json.load(open(sys.argv[1]))
assert j["rank"] == int(sys.argv[2]) and j["steps"] == 5, j
lo, hi = Q(j["sigma_quantile"]["lo"]), Q(j["sigma_quantile"]["hi"])
assert lo <= Q(sys.argv[3]) <= hi, (lo, hi)
assert Q(j["threshold"]) == hi and j["width_reached"] is True
PY
done
# 0.4 * 5 is 2 as written; the binary64 nearest 0.4 is above 2/5 and its exact ceil(q N) is 3.

echo "score matrices: the enclosure contains NumPy's float64 order statistic (margin 1e-12 relative)"
expect_exit 0 "calibrate --gram --quantile 0.75 --policy-out" \
  "$FIM" calibrate --base "$tmp/gbase.npy" --steps "$tmp/scores" --gram --quantile 0.75 --policy-out "$tmp/p.json" --json
cp "$tmp/out" "$tmp/cal.json"
$PY - "$tmp" <<'PY' && ok "rank 9 of 12, enclosure contains the truth; rank 8's enclosure does not (a wrong rank is caught)" || bad "score-matrix quantile: $(head -c 600 "$tmp/cal.json")"
import json, math, sys
from fractions import Fraction as Q
import numpy as np
d = sys.argv[1]
j = json.load(open(f"{d}/cal.json"))
def lam(path):
    G = np.load(path)
    return np.linalg.eigvalsh(G.T @ G / G.shape[0])[-1]
base = lam(f"{d}/gbase.npy")
files = [s["file"] for s in j["step_sigma"]]
assert [f.split("/")[-1] for f in files] == [f"step_{i}.npy" for i in range(1, 13)], files  # natural order
sigma = sorted(lam(f) / base for f in files)
k = math.ceil(Q("0.75") * 12)
assert j["rank"] == k == 9, j["rank"]
margin = 1e-12
def contains(enc, t):
    return Q(enc["lo"]) <= Q(t) * Q(1 + margin) and Q(t) * Q(1 - margin) <= Q(enc["hi"])
assert contains(j["sigma_quantile"], sigma[k - 1]), (j["sigma_quantile"], sigma[k - 1])
for s in j["step_sigma"]:
    assert Q(s["sigma"]["hi"]) - Q(s["sigma"]["lo"]) <= Q(1, 10**9) * Q(s["sigma"]["hi"]), s
# the false variant: the same lemma at rank k - 1 (or k + 1) does not contain the k-th value
lo = sorted(Q(s["sigma"]["lo"]) for s in j["step_sigma"]); hi = sorted(Q(s["sigma"]["hi"]) for s in j["step_sigma"])
for wrong in (k - 1, k + 1):
    assert not contains({"lo": lo[wrong - 1], "hi": hi[wrong - 1]}, sigma[k - 1]), wrong
assert contains({"lo": lo[k - 1], "hi": hi[k - 1]}, sigma[k - 1])
PY

echo "the written policy"
expect_exit 0 "fimcheck partition certifies the calibrated policy complete" "$FIM" partition "$tmp/p.json"
grep -q "^COMPLETE" "$tmp/out" && grep -q "^DISJOINT" "$tmp/out" && ok "COMPLETE and DISJOINT" || bad "partition: $(cat "$tmp/out")"
expect_exit 0 "sigma --policy on the calibration steps: every step in one cell" \
  "$FIM" sigma --gram --base "$tmp/gbase.npy" "$tmp/scores" --policy "$tmp/p.json" --json
$PY - "$tmp" <<'PY' && ok "at most N - k = 3 alarms; the quantile's own step (upper end = threshold) is nominal" || bad "classification: $(head -c 600 "$tmp/out")"
import json, sys
from fractions import Fraction as Q
d = sys.argv[1]
cal = json.load(open(f"{d}/cal.json")); s = json.load(open(f"{d}/out"))
cells = [x["cell"] for x in s["steps"]]
assert set(cells) <= {"nominal", "alarm"} and cells.count("alarm") <= 12 - 9, cells
t = Q(cal["threshold"])
at_t = [x for x in s["steps"] if Q(x["sigma"]["hi"]) == t]
assert len(at_t) == 1 and at_t[0]["cell"] == "nominal", at_t
for x in s["steps"]:
    assert (x["cell"] == "alarm") == (Q(x["sigma"]["lo"]) > t), x
PY
for variant in open no_nan; do
  $PY - "$tmp/p.json" "$tmp/$variant.json" "$variant" <<'PY'
import sys
t = open(sys.argv[1]).read()
if sys.argv[3] == "open":
    assert '"<="' in t; t = t.replace('"<="', '"<"')
else:
    assert '"is","nan"' in t; t = t.replace('"is","nan"', '"is","undefined"')
open(sys.argv[2], "w").write(t)
PY
done
expect_exit 1 "a tampered policy with its boundary left open (< and >) is refused by partition" "$FIM" partition "$tmp/open.json"
$PY - "$tmp/out" "$tmp/cal.json" <<'PY' && ok "its gap's witness is the threshold itself" || bad "open boundary witness: $(cat "$tmp/out")"
import json, re, sys
from fractions import Fraction as Q
w = re.findall(r"witness: sigma = (\S+)", open(sys.argv[1]).read())
assert len(w) == 1 and Q(w[0]) == Q(json.load(open(sys.argv[2]))["threshold"]), w
PY
expect_exit 1 "a tampered policy without a nan cell is refused by partition" "$FIM" partition "$tmp/no_nan.json"
grep -q "sigma is nan" "$tmp/out" && ok "the gap names nan" || bad "no_nan gap: $(cat "$tmp/out")"

echo "--jobs does not change the output; text output"
"$FIM" calibrate --base "$tmp/gbase.npy" --steps "$tmp/scores" --gram --quantile 0.75 --json --jobs 1 > "$tmp/j1.json" 2>/dev/null
"$FIM" calibrate --base "$tmp/gbase.npy" --steps "$tmp/scores" --gram --quantile 0.75 --json --jobs 2 > "$tmp/j2.json" 2>/dev/null
[ -s "$tmp/j1.json" ] && cmp -s "$tmp/j1.json" "$tmp/j2.json" && ok "--jobs 1 and --jobs 2 print the same JSON" || bad "--jobs changes the output"
expect_exit 0 "text output" "$FIM" calibrate --base "$tmp/base.npy" --steps "$tmp/exact/step1.npy" "$tmp/exact/step2.npy" "$tmp/exact/step3.npy" --quantile 0.5
grep -q "order statistic k = 2 of N = 3" "$tmp/out" && grep -q "nominal when sigma <= " "$tmp/out" && grep -q "alarm when sigma > " "$tmp/out" \
  && ok "files as steps; names the order statistic and the boundary" || bad "text: $(cat "$tmp/out")"

echo "undecided: lambda_base's enclosure contains 0 without being 0 (exit 3, no policy written)"
expect_exit 3 "base 1e-400 (read as [0, 2^-1074])" "$FIM" calibrate --base "$tmp/tiny.csv" --steps "$tmp/one.csv" --policy-out "$tmp/never3.json"
grep -q "UNDECIDED" "$tmp/out" && [ ! -e "$tmp/never3.json" ] && ok "says UNDECIDED, writes no policy" || bad "undecided: $(cat "$tmp/out")"

echo "bad input: exit 2, one line on stderr, nothing on stdout, no policy written"
refused() {  # refused NAME ARGS...: exit 2, one line on stderr, nothing written
  local name=$1; shift
  "$FIM" calibrate --policy-out "$tmp/never.json" "$@" > "$tmp/out" 2> "$tmp/err"
  local rc=$?
  if [ "$rc" = 2 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && [ ! -s "$tmp/out" ] && [ ! -e "$tmp/never.json" ]; then ok "$name -> $(head -1 "$tmp/err")"
  else bad "$name: exit $rc, stderr $(wc -l < "$tmp/err") lines: $(head -c 300 "$tmp/err")"; fi
}
for q in 0 1 1.5 -0.5 abc 0.5x 1e-99999999; do
  refused "--quantile $q" --base "$tmp/base.npy" --steps "$tmp/exact" --quantile "$q"
done
refused "no --steps" --base "$tmp/base.npy"
refused "--steps with no value" --base "$tmp/base.npy" --steps
refused "a directory with no step files" --base "$tmp/base.npy" --steps "$tmp/empty"
refused "a missing step file" --base "$tmp/base.npy" --steps "$tmp/missing.npy"
refused "a missing base" --base "$tmp/missing.npy" --steps "$tmp/exact"
refused "lambda_base = 0 exactly" --base "$tmp/zero.npy" --steps "$tmp/exact"
refused "a step with another d than the base" --base "$tmp/base.npy" --steps "$tmp/mixed"
refused "a step with another d than the base, on 2 jobs" --base "$tmp/base.npy" --steps "$tmp/exact" "$tmp/two.npy" --jobs 2
grep -q "two.npy" "$tmp/err" && ok "the step of another d is named" || bad "wrong step named: $(cat "$tmp/err")"

echo "--help"
expect_exit 0 "calibrate --help" "$FIM" calibrate --help
grep -q "0.99" "$tmp/out" && grep -q "sigma <= T" "$tmp/out" && grep -q -- "--policy-out" "$tmp/out" \
  && ok "--help shows the default quantile and the boundary" || bad "--help: $(cat "$tmp/out")"

cli_summary
