#!/usr/bin/env bash
# fimcheck audit monotonicity: the exit codes of S9 read as findings about Proposition 3.2's
# hypothesis (1: it fails on a path, certified, never VIOLATED; 0: it holds on every path; 3:
# undecided), the right derivative at t = 0 per path (a certified negative one alone fails the
# hypothesis), the first certified drop in typical input norms, the strict and non-strict
# conclusions, lambda_base agreeing with `fimcheck scores` + `fimcheck lambda --gram`, report files
# and plot, bad input exit 2.
set -u
FIM="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../support/cli.sh"
M=logistic:d_in=8,n=256,seed=1
expect_exit 1 "logistic regression: the hypothesis fails along a direction, certified" \
  "$FIM" audit monotonicity --model "$M" --paths 3 --grid 16 --t-max 20 --continuous --report "$tmp/rep"
grep -q "HYPOTHESIS_FAILS on 2 of 3 paths: a certified finding about Proposition 3.2's monotonicity hypothesis" "$tmp/out" \
  && ok "  the text says it is a finding about the hypothesis" || bad "  no finding line: $(cat "$tmp/out")"
grep -q "VIOLATED" "$tmp/out" "$tmp/rep/report.md" "$tmp/rep/report.json" && bad "  VIOLATED printed for a hypothesis failure" \
  || ok "  VIOLATED appears nowhere (text, report.md, report.json)"
grep -q "counterexample to Proposition" "$tmp/rep/report.md" && grep -q "not a counterexample" "$tmp/rep/report.md" \
  && ok "  report.md says it is not a counterexample" || bad "  report.md wording"
/usr/bin/python3 - "$tmp/rep/report.json" <<'PY' && ok "  report.json: drops ordered exactly, derivative signs, conclusions, typical norm" || bad "  report.json"
import json, sys
from fractions import Fraction as F
j = json.load(open(sys.argv[1]))
ps = j["paths"]
assert [p["hypothesis"] for p in ps] == ["HOLDS", "HYPOTHESIS_FAILS", "HYPOTHESIS_FAILS"], [p["hypothesis"] for p in ps]
assert [p["right_derivative_at_0"]["sign"] for p in ps] == ["positive", "negative", "positive"]
for p in ps:
    d = p["right_derivative_at_0"]
    lo, hi = F(d["value"]["lo"]), F(d["value"]["hi"])
    assert lo <= hi and (d["sign"] != "positive" or lo > 0) and (d["sign"] != "negative" or hi < 0)
    for key in ("first_certified_drop", "largest_certified_drop"):
        w = p[key]
        if w is None:
            continue
        assert w["t_a"] < w["t_b"]
        assert F(w["lambda_b"]["hi"]) < F(w["lambda_a"]["lo"])
        n = j["typical_input_norm"]["value"]
        assert F(w["t_b_in_typical_norms"]["lo"]) * F(n["hi"]) <= F(w["t_b"]) <= F(w["t_b_in_typical_norms"]["hi"]) * F(n["lo"])
    if p["first_certified_drop"] and p["largest_certified_drop"]:
        assert p["first_certified_drop"]["t_b"] <= p["largest_certified_drop"]["t_b"]
    assert len(p["conclusion_strict"]) == len(p["conclusion_nonstrict"]) == 16
    base = j["lambda_base"]
    for x, s, n in zip(p["lambda_max"][1:], p["conclusion_strict"], p["conclusion_nonstrict"]):
        assert F(x["lo"]) <= F(x["hi"])
        assert (s == "true") == (F(x["lo"]) > F(base["hi"])) and (s == "false") == (F(x["hi"]) <= F(base["lo"]))
        assert (n == "true") == (F(x["lo"]) >= F(base["hi"])) and (n == "false") == (F(x["hi"]) < F(base["lo"]))
    assert len(p["continuous"]) == 16
assert ps[2]["strict_on_grid"] == "false" and ps[0]["strict_on_grid"] == "true"
PY
for f in report.json report.md monotonicity.svg; do [ -s "$tmp/rep/$f" ] && ok "  writes $f" || bad "  no $f"; done
/usr/bin/python3 -c "import xml.etree.ElementTree as ET; ET.parse('$tmp/rep/monotonicity.svg')" && ok "  the plot is well-formed SVG" || bad "  malformed SVG"
grep -q "monotonicity.svg" "$tmp/rep/report.md" && ok "  report.md shows the plot" || bad "  report.md lacks the plot"
expect_exit 1 "locality: a certified negative derivative at t = 0 fails the hypothesis where the grid cannot see a drop" \
  "$FIM" audit monotonicity --model "$M" --paths 2 --grid 2 --t-max 1e-14
grep -q "dt at t = 0+: negative" "$tmp/out" && ! grep -q "first certified drop" "$tmp/out" \
  && ok "  the failure comes from the derivative alone" || bad "  derivative line: $(cat "$tmp/out")"
expect_exit 3 "undecided: a grid too fine for its enclosures and a positive derivative" \
  "$FIM" audit monotonicity --model "$M" --paths 1 --grid 2 --t-max 1e-14
grep -q "dt at t = 0+: positive" "$tmp/out" && ok "  the derivative sign is reported" || bad "  no derivative: $(cat "$tmp/out")"
expect_exit 0 "linear-Gaussian regression, direction 1: the hypothesis holds (monotone on the grid)" \
  "$FIM" audit monotonicity --model linear:d_in=8,n=256,seed=1 --paths 1 --grid 8
grep -q "dt at t = 0+: positive" "$tmp/out" && ok "  it rises at t = 0, certified" || bad "  derivative sign: $(cat "$tmp/out")"
expect_exit 1 "linear-Gaussian regression, direction 2: it dips just after t = 0 (negative derivative), then rises" \
  "$FIM" audit monotonicity --model linear:d_in=8,n=256,seed=1 --paths 2 --grid 4 --t-max 0.2
grep -q "first certified drop at t = 0.05" "$tmp/out" && ok "  and the grid confirms it: lambda(0.05) < lambda(0)" || bad "  no drop at 0.05: $(cat "$tmp/out")"
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
grep -q "dt at t = 0+: negative" "$tmp/out" && grep -q "(mixture weight)" "$tmp/out" \
  && ok "  negative at t = 0, t read as a mixture weight" || bad "  mixture lines: $(cat "$tmp/out")"
expect_exit 2 "bad SPEC" "$FIM" audit monotonicity --model "mlp:hidden=0"
expect_exit 2 "unknown path kind" "$FIM" audit monotonicity --model "$M" --path sideways
expect_exit 0 "--help" "$FIM" audit monotonicity --help
cli_summary
