#!/usr/bin/env bash
# fimcheck audit monotonicity: a certified violation on a real model (exit 1) with a witness whose
# enclosures are ordered exactly, a monotone case (exit 0), lambda_base agreeing with
# `fimcheck scores` + `fimcheck lambda --gram`, report files and plot, bad input exit 2.
set -u
FIM="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../support/cli.sh"
M=logistic:d_in=8,n=256,seed=1
expect_exit 1 "logistic regression: monotonicity violated along a direction, certified" \
  "$FIM" audit monotonicity --model "$M" --paths 3 --grid 16 --t-max 20 --continuous --report "$tmp/rep"
/usr/bin/python3 - "$tmp/rep/report.json" <<'PY' && ok "  the witness is ordered exactly: hi(lambda(t_b)) < lo(lambda(t_a)), t_a < t_b" || bad "  witness not exact"
import json, sys
from fractions import Fraction as F
j = json.load(open(sys.argv[1]))
ws = [p["witness"] for p in j["paths"] if p["hypothesis"] == "VIOLATED"]
assert ws
for w in ws:
    assert w["t_a"] < w["t_b"]
    assert F(w["lambda_b"]["hi"]) < F(w["lambda_a"]["lo"])
for p in j["paths"]:
    for x in p["lambda_max"]:
        assert F(x["lo"]) <= F(x["hi"])
    assert len(p["continuous"]) == 16
PY
for f in report.json report.md monotonicity.svg; do [ -s "$tmp/rep/$f" ] && ok "  writes $f" || bad "  no $f"; done
/usr/bin/python3 -c "import xml.etree.ElementTree as ET; ET.parse('$tmp/rep/monotonicity.svg')" && ok "  the plot is well-formed SVG" || bad "  malformed SVG"
grep -q "monotonicity.svg" "$tmp/rep/report.md" && ok "  report.md shows the plot" || bad "  report.md lacks the plot"
expect_exit 0 "linear-Gaussian regression: monotone on the grid" "$FIM" audit monotonicity --model linear:d_in=8,n=256,seed=1 --paths 2 --grid 8
"$FIM" audit monotonicity --model "$M" --ensemble 256 --paths 1 --grid 1 --json > "$tmp/a.json"
"$FIM" scores --model "$M" --fisher expected --out "$tmp/g.npy" > /dev/null
"$FIM" lambda "$tmp/g.npy" --gram --json > "$tmp/l.json"
/usr/bin/python3 - "$tmp/a.json" "$tmp/l.json" <<'PY' && ok "lambda_base overlaps fimcheck scores + fimcheck lambda --gram" || bad "lambda_base disagrees with the exported scores"
import json, sys
from fractions import Fraction as F
a = json.load(open(sys.argv[1]))["lambda_base"]; l = json.load(open(sys.argv[2]))["lambda_max"]
assert max(F(a["lo"]), F(l["lo"])) <= min(F(a["hi"]), F(l["hi"]))
PY
expect_exit 1 "the mixture path: mixing in out-of-distribution inputs first lowers lambda_max" \
  "$FIM" audit monotonicity --model softmax:d_in=8,classes=4,n=256,seed=1 --path mixture --grid 10
expect_exit 2 "bad SPEC" "$FIM" audit monotonicity --model "mlp:hidden=0"
expect_exit 2 "unknown path kind" "$FIM" audit monotonicity --model "$M" --path sideways
expect_exit 0 "--help" "$FIM" audit monotonicity --help
cli_summary
