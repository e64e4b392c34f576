#!/usr/bin/env bash
# fimcheck sigma: certified sigma_t = lambda_1(F_t) / lambda_base per step. Checks that each step's
# lambda_max is exactly what `fimcheck lambda` prints for the same file (dense and --gram, float32
# and float64), that sigma is the quotient (rounded outward), "undefined" for a zero base, and that
# the steps are classified into a policy's cells (ambiguous when the enclosure straddles 1.5).
# Usage: bash tests/cli/sigma.sh /path/to/fimcheck
set -u
FIM=${1:?usage: sigma.sh /path/to/fimcheck}
POL=$(cd "$(dirname "$0")/policies" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fimcheck-sigma.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/../support/cli.sh"
run() { "$@" > "$tmp/out" 2> "$tmp/err"; echo $? > "$tmp/rc"; }

# Matrices as .npy written byte by byte (no numpy needed).
/usr/bin/python3 - "$tmp" <<'PY'
import os, struct, sys
d = sys.argv[1]
def npy(name, rows, descr="<f8"):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d), }" % (descr, len(rows), len(rows[0]))
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    fmt = "<d" if descr == "<f8" else "<f"
    with open(os.path.join(d, name), "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        for r in rows:
            for x in r:
                f.write(struct.pack(fmt, x))
os.makedirs(os.path.join(d, "steps"))
os.makedirs(os.path.join(d, "gsteps"))
npy("ref.npy", [[2, 0, 0], [0, 1, 0], [0, 0, 0.5]])                  # lambda_base = 2
npy("steps/step1.npy", [[1, 0, 0], [0, 0.5, 0], [0, 0, 0]])          # sigma = 0.5
npy("steps/step2.npy", [[2, 1, 0], [1, 2, 0], [0, 0, 1]])            # lambda 3: sigma = 1.5
npy("steps/step10.npy", [[4, 0, 0], [0, 1, 0], [0, 0, 1]])           # sigma = 2
npy("zero.npy", [[0, 0], [0, 0]])                                    # lambda_base = 0
npy("zero3.npy", [[0, 0, 0], [0, 0, 0], [0, 0, 0]])                  # lambda_base = 0, d = 3
npy("g4.npy", [[1, 0, 0, 0], [0, 1, 0, 0]], "<f4")                   # d = 4, not the base's 5
npy("gzero.npy", [[0, 0, 0, 0, 0], [0, 0, 0, 0, 0]], "<f4")          # G = 0: F = 0 exactly
# score matrices G (n x d): F = G^T G / n
npy("gref.npy", [[1, 0, 0, 0, 0], [0, 1, 0, 0, 0]], "<f4")           # F = diag(1/2, 1/2): 0.5
npy("gsteps/g1.npy", [[1, 1, 0, 0, 0], [1, -1, 0, 0, 0]], "<f4")     # F = I_2 on 2 coords: 1
npy("gsteps/g2.npy", [[0.5, 0.25, 0.125, 1, 3], [1, 2, 3, 4, 5], [0, 1, 0, 1, 0]])  # float64
PY

echo "dense steps from a directory in natural order (step2 before step10), agreement with fimcheck lambda"
run "$FIM" sigma --base "$tmp/ref.npy" "$tmp/steps" --json
cp "$tmp/out" "$tmp/sigma.json"
[ "$(cat "$tmp/rc")" = 0 ] && ok "exit 0" || bad "exit $(cat "$tmp/rc"): $(cat "$tmp/err")"
for f in ref steps/step1 steps/step2 steps/step10 gref gsteps/g1 gsteps/g2; do
  flags=""; case $f in g*) flags=--gram;; esac
  "$FIM" lambda "$tmp/$f.npy" $flags --json > "$tmp/lambda-$(basename $f).json" 2>/dev/null
done
run "$FIM" sigma --base "$tmp/gref.npy" "$tmp/gsteps" --gram --json
cp "$tmp/out" "$tmp/gsigma.json"
[ "$(cat "$tmp/rc")" = 0 ] && ok "--gram: exit 0" || bad "--gram: exit $(cat "$tmp/rc"): $(cat "$tmp/err")"
if /usr/bin/python3 - "$tmp" <<'PY'
import json, sys
from fractions import Fraction as Q
d = sys.argv[1]
def lam(name): return json.load(open(f"{d}/lambda-{name}.json"))["lambda_max"]
for out, base, steps, want in [("sigma.json", "ref", ["step1", "step2", "step10"], None),
                               ("gsigma.json", "gref", ["g1", "g2"], None)]:
    j = json.load(open(f"{d}/{out}"))
    assert j["base"] == lam(base), (j["base"], lam(base))
    assert [s["file"].split("/")[-1] for s in j["steps"]] == [s + ".npy" for s in steps], j["steps"]
    for i, s in enumerate(j["steps"]):
        assert s["index"] == i
        assert s["lambda_max"] == lam(steps[i]), (s["lambda_max"], lam(steps[i]))
        assert s["cell"] is None
        lo, hi = Q(s["sigma"]["lo"]), Q(s["sigma"]["hi"])
        assert lo <= hi and hi - lo <= Q(1, 10**9) * hi, s
from exact_oracle import encloses  # exact, no numpy (tests/support/exact_oracle.py)
G = [[Q(x) for x in r] for r in [[0.5, 0.25, 0.125, 1, 3], [1, 2, 3, 4, 5], [0, 1, 0, 1, 0]]]
K = [[sum(a * b for a, b in zip(G[i], G[j])) / 3 for j in range(3)] for i in range(3)]
g = json.load(open(f"{d}/gsigma.json"))
s2 = g["steps"][1]
assert encloses(Q(s2["lambda_max"]["lo"]), Q(s2["lambda_max"]["hi"]), K), s2
hi = Q(s2["lambda_max"]["hi"])  # the oracle can fail: intervals above and below the truth are rejected
assert not encloses(2 * hi, 3 * hi, K) and not encloses(0, Q(s2["lambda_max"]["lo"]) / 2, K)
# lambda_base = 1/2 exactly, so sigma contains lambda_1 / (1/2)
assert encloses(Q(s2["sigma"]["lo"]) / 2, Q(s2["sigma"]["hi"]) / 2, K), s2
j = json.load(open(f"{d}/sigma.json"))
for s, true in zip(j["steps"], [Q(1, 2), Q(3, 2), Q(2)]):
    assert Q(s["sigma"]["lo"]) <= true <= Q(s["sigma"]["hi"]), (s, true)
j = json.load(open(f"{d}/gsigma.json"))
assert Q(j["base"]["lo"]) <= Q(1, 2) <= Q(j["base"]["hi"])
assert Q(j["steps"][0]["sigma"]["lo"]) <= 2 <= Q(j["steps"][0]["sigma"]["hi"])
PY
then ok "base and every step equal fimcheck lambda's enclosure; sigma contains the true quotient (exact oracle)"
else bad "agreement with fimcheck lambda"; fi

echo "classification"
run "$FIM" sigma --base "$tmp/ref.npy" "$tmp/steps" --policy "$POL/complete.json" --at bits=4 --at hyp=true --json
rc=$(cat "$tmp/rc")
if [ "$rc" = 3 ] && /usr/bin/python3 - "$tmp/out" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
cells = [(s["cell"], s["classification"], s["candidates"]) for s in j["steps"]]
assert cells[0] == ("nominal", "cell", ["nominal"]), cells
assert cells[2] == ("alarm", "cell", ["alarm"]), cells
# sigma = 1.5 exactly is enclosed by an interval around 1.5: it straddles the threshold
assert cells[1][1] in ("ambiguous", "cell"), cells
assert cells[1][1] == "cell" or cells[1][2] == ["nominal", "alarm"], cells
PY
then ok "steps classified: nominal, alarm, and sigma = 1.5 (exit $rc: straddles the threshold)"
else bad "classification (exit $rc): $(head -c 600 "$tmp/out") $(cat "$tmp/err")"; fi
run "$FIM" sigma --base "$tmp/ref.npy" "$tmp/steps/step1.npy" "$tmp/steps/step10.npy" --policy "$POL/complete.json" --at bits=4 --at hyp=false
grep -q "cell: watch" "$tmp/out" && grep -q "cell: alarm" "$tmp/out" && [ "$(cat "$tmp/rc")" = 0 ] \
  && ok "text output, all steps in one cell: exit 0" || bad "text output: $(cat "$tmp/out") $(cat "$tmp/err")"
run "$FIM" sigma --base "$tmp/zero.npy" "$tmp/zero.npy" --policy "$POL/complete.json" --json
/usr/bin/python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["steps"][0]; assert s["sigma"]=="undefined" and s["cell"]=="no_base", s' \
  "$tmp/out" && [ "$(cat "$tmp/rc")" = 0 ] && ok "zero base: sigma undefined, classified no_base" \
  || bad "zero base (exit $(cat "$tmp/rc")): $(cat "$tmp/out") $(cat "$tmp/err")"
run "$FIM" sigma --base "$tmp/zero.npy" "$tmp/zero.npy" --policy "$POL/point_gap.json"
[ "$(cat "$tmp/rc")" = 1 ] && grep -q "outside the domain" "$tmp/out" && ok "undefined not in the policy's domain: exit 1" \
  || bad "undefined outside domain: exit $(cat "$tmp/rc") $(cat "$tmp/out")"

run "$FIM" sigma --base "$tmp/zero3.npy" "$tmp/ref.npy"
grep -q "undefined (lambda_base = 0 exactly)" "$tmp/out" && ! grep -q "not certified" "$tmp/out" && [ "$(cat "$tmp/rc")" = 0 ] \
  && ok "zero base: the reason is lambda_base = 0 exactly, exit 0" || bad "zero base reason (exit $(cat "$tmp/rc")): $(cat "$tmp/out")"
run "$FIM" sigma --base "$tmp/zero3.npy" "$tmp/ref.npy" --json
/usr/bin/python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); from fractions import Fraction as Q; assert Q(j["base"]["lo"])==0==Q(j["base"]["hi"]) and j["steps"][0]["sigma"]=="undefined" and j["steps"][0]["sigma_reason"]=="lambda_base = 0 exactly", j' \
  "$tmp/out" && ok "zero base as JSON: sigma_reason" || bad "zero base JSON: $(cat "$tmp/out")"

for form in "" --json; do
  run "$FIM" lambda "$tmp/gzero.npy" --gram $form
  if [ "$(cat "$tmp/rc")" = 0 ] && /usr/bin/python3 - "$tmp/out" "$form" <<'PY'
import json, re, sys
from fractions import Fraction as Q
t = open(sys.argv[1]).read()
if sys.argv[2]:
    j = json.loads(t)
    assert Q(j["lambda_max"]["lo"]) == 0 == Q(j["lambda_max"]["hi"]) and j["width_reached"] is True, j
else:
    lo, hi = re.search(r"lambda_max in \[(\S+), (\S+)\]", t).groups()
    assert Q(lo) == 0 == Q(hi), t
PY
  then ok "G = 0 exactly: lambda_max = [0, 0], exit 0 ${form}"; else bad "G = 0 ${form}: exit $(cat "$tmp/rc") $(cat "$tmp/out")"; fi
done
run "$FIM" sigma --base "$tmp/gzero.npy" "$tmp/gref.npy" --gram
grep -q "undefined (lambda_base = 0 exactly)" "$tmp/out" && [ "$(cat "$tmp/rc")" = 0 ] \
  && ok "--gram zero base: sigma undefined, lambda_base = 0 exactly" || bad "--gram zero base: exit $(cat "$tmp/rc") $(cat "$tmp/out")"

echo "readable lines and JSON Lines"
run "$FIM" sigma --base "$tmp/ref.npy" "$tmp/steps" --policy "$POL/complete.json" --at bits=4 --at hyp=false --jsonl "$tmp/steps.jsonl"
if [ "$(cat "$tmp/rc")" = 3 ] && /usr/bin/python3 - "$tmp/out" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
readable = [l for l in lines if l.startswith("step")]
assert readable[0] == "step1.npy  sigma 0.500  watch", readable
assert readable[1] in ("step2.npy  sigma 1.50  ambiguous", "step2.npy  sigma 1.50  alarm"), readable
assert readable[2] == "step10.npy  sigma 2.00  alarm", readable
assert any(l.startswith("0  ") and "sigma in [" in l for l in lines)  # the certified lines stay
PY
then ok "one readable line per step: file name, sigma to 3 digits, cell (sigma = 1.5 rounds to 1.50 and stays ambiguous)"
else bad "readable lines (exit $(cat "$tmp/rc")): $(cat "$tmp/out")"; fi
run "$FIM" sigma --base "$tmp/ref.npy" "$tmp/steps" --policy "$POL/complete.json" --at bits=4 --at hyp=false --json
if /usr/bin/python3 - "$tmp/steps.jsonl" "$tmp/out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
steps = json.load(open(sys.argv[2]))["steps"]
assert len(rows) == 3 and rows == steps, (rows, steps)
assert [r["name"] for r in rows] == ["step1.npy", "step2.npy", "step10.npy"]
assert [r["index"] for r in rows] == [0, 1, 2] and rows[2]["cell"] == "alarm"
from fractions import Fraction as Q
assert Q(rows[0]["sigma"]["lo"]) <= Q(1, 2) <= Q(rows[0]["sigma"]["hi"])
PY
then ok "--jsonl FILE: one object per step, equal to the --json steps, sigma as exact decimals"
else bad "--jsonl FILE: $(head -c 400 "$tmp/steps.jsonl")"; fi
run "$FIM" sigma --base "$tmp/ref.npy" "$tmp/steps/step1.npy" "$tmp/steps/step10.npy" --jsonl -
/usr/bin/python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; assert [x["name"] for x in r]==["step1.npy","step10.npy"] and r[1]["cell"] is None, r' "$tmp/out" \
  && [ "$(cat "$tmp/rc")" = 0 ] && ok "--jsonl -: JSON Lines on stdout instead of the text" || bad "--jsonl -: $(cat "$tmp/out")"
run "$FIM" sigma --base "$tmp/zero3.npy" "$tmp/ref.npy" --jsonl -
/usr/bin/python3 -c 'import json,sys; r=json.loads(open(sys.argv[1]).read()); assert r["sigma"]=="undefined" and r["sigma_reason"]=="lambda_base = 0 exactly", r' "$tmp/out" \
  && ok "--jsonl: undefined sigma with its reason" || bad "--jsonl undefined: $(cat "$tmp/out")"
run "$FIM" sigma --base "$tmp/zero3.npy" "$tmp/ref.npy"
grep -q "^ref.npy  sigma undefined$" "$tmp/out" && ok "readable line of an undefined sigma" || bad "readable undefined: $(cat "$tmp/out")"
run "$FIM" sigma --base "$tmp/ref.npy" "$tmp/steps" --json --jsonl -
[ "$(cat "$tmp/rc")" = 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l < "$tmp/err")" = 1 ] && ok "--json with --jsonl - refused: $(cat "$tmp/err")" \
  || bad "--json --jsonl -: exit $(cat "$tmp/rc")"
run "$FIM" sigma --base "$tmp/ref.npy" "$tmp/steps" "$tmp/missing.npy" --jsonl "$tmp/never.jsonl"
[ "$(cat "$tmp/rc")" = 2 ] && [ ! -e "$tmp/never.jsonl" ] && ok "bad input: no JSON Lines file written" || bad "--jsonl on bad input"

echo "shapes: a step with another d than the base, a 1-D score array"
shape_refused() {  # shape_refused NAME WORD... -- ARGS: exit 2, every WORD on stderr, nothing written
  local name=$1; shift; local words=()
  while [ "$1" != -- ]; do words+=("$1"); shift; done; shift
  run "$FIM" sigma "$@" --json --output "$tmp/never.json"
  local w missing=''
  for w in "${words[@]}"; do grep -qF -- "$w" "$tmp/err" || missing+=" '$w'"; done
  if [ "$(cat "$tmp/rc")" = 2 ] && [ -z "$missing" ] && [ ! -s "$tmp/out" ] && [ ! -e "$tmp/never.json" ]; then ok "$name -> $(cat "$tmp/err")"
  else bad "$name: exit $(cat "$tmp/rc"), stderr lacks$missing: $(cat "$tmp/err")"; fi
}
shape_refused "dense step 2 x 2 against a 3 x 3 base" "2 x 2" "3 x 3" -- --base "$tmp/ref.npy" "$tmp/zero.npy"
shape_refused "--gram step 2 x 4 against a 2 x 5 base" "2 x 4" "2 x 5" "g4.npy" -- --base "$tmp/gref.npy" "$tmp/g4.npy" --gram
/usr/bin/python3 - "$tmp" <<'PY'
import struct, sys
h = "{'descr': '<f8', 'fortran_order': False, 'shape': (5,), }"
h += " " * ((64 - (10 + len(h) + 1) % 64) % 64) + "\n"
open(sys.argv[1] + "/g1d.npy", "wb").write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h.encode() + struct.pack("<5d", 1, 2, 3, 4, 5))
PY
shape_refused "--gram base given as a 1-D array" "reshape(1, -1)" "reshape(-1, 1)" -- --base "$tmp/g1d.npy" "$tmp/gsteps" --gram
shape_refused "--gram step given as a 1-D array" "g1d.npy" "reshape(1, -1)" -- --base "$tmp/gref.npy" "$tmp/g1d.npy" --gram

echo "bad input: exit 2, nothing written"
for args in "--base $tmp/ref.npy $tmp/missing.npy" "--base $tmp/ref.npy $tmp/steps --policy $tmp/missing.json" \
            "--base $tmp/ref.npy $tmp/steps --policy $POL/complete.json --at bits=5" \
            "--base $tmp/missing.npy $tmp/steps" "--base $tmp/ref.npy $tmp/gsteps"; do
  run "$FIM" sigma $args --json --output "$tmp/never.json"
  if [ "$(cat "$tmp/rc")" = 2 ] && [ ! -s "$tmp/out" ] && [ ! -e "$tmp/never.json" ]; then ok "$(cat "$tmp/err")"
  else bad "sigma $args: exit $(cat "$tmp/rc")"; fi
done
run "$FIM" sigma --base "$tmp/ref.npy" "$tmp/steps" --output "$tmp/report.json"
/usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/report.json" && ok "--output writes the JSON" || bad "--output"
run "$FIM" sigma --help
[ "$(cat "$tmp/rc")" = 0 ] && grep -q -- "--gram" "$tmp/out" && grep -q -- "--jsonl" "$tmp/out" && grep -q "for reading only" "$tmp/out" \
  && ok "--help (says the rounded sigma is for reading only)" || bad "--help"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
