#!/usr/bin/env bash
# fimcheck experiment inflation --quick: the shared-baseline reading leads (text, report.md, JSON),
# report.json's numbers are consistent with the lemmas of proofs/inflation.md (checked in exact
# decimals), every printed figure is rounded outward (no lower end above its enclosure), per model
# the labels used, the direction of lambda_base and the out-of-distribution elevation rate, plots
# well-formed with the baseline and the models named and no label overlapping another (a forged
# overlap is caught), bad input exit 2.
set -u
FIM="$1"
here="$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$here/../support/cli.sh"
expect_exit 0 "experiment inflation --quick" "$FIM" experiment inflation --quick --report "$tmp/rep"
cp "$tmp/out" "$tmp/summary"
grep -q "244x" "$tmp/summary" && ok "the summary answers the 244x question" || bad "no answer about 244x"
grep -q "certified below" "$tmp/summary" "$tmp/rep/report.md" && bad "'certified below' the paper's figure is printed" \
  || ok "nothing is 'certified below' the paper's figure"
/usr/bin/python3 - "$tmp/summary" "$tmp/rep/report.md" <<'PY' && ok "the shared baseline leads the summary and report.md" || bad "the own baseline leads"
import sys
for f in sys.argv[1:]:
    t = open(f).read()
    assert 0 <= t.index("Shared baseline (the paper's reading") < t.index("Own baseline (secondary"), f
PY
/usr/bin/python3 - "$tmp/rep/report.json" "$tmp/summary" "$tmp/rep/report.md" <<'PY' && ok "report.json: shared first, consistent enclosures, labels, directions, elevation rates; text rounded outward" || bad "report.json or printed figures inconsistent"
import json, re, sys
from fractions import Fraction as F
j = json.load(open(sys.argv[1]))
assert list(j)[:3] == ["experiment", "reading", "answer"] and j["reading"].startswith("shared_baseline first")
assert j["trajectories_total"] == j["trajectories_per_model"] * len(j["models"])
labels = {m["spec"].split(":")[0]: m["labels"] for m in j["models"]}
assert all(l.startswith("expected") for l in labels.values()), labels
figures, rates = [], []  # inflations (printed in both texts) and false-alarm rates (in report.md)
for m in j["models"]:
    ps = m["precisions"]
    assert ps[0]["bits"] == "full" and [p["bits"] for p in ps[1:]] == [2, 3, 4, 8]
    fp = ps[0]["threshold_own_baseline"]
    for p in ps:
        for k in ("lambda_base", "threshold_own_baseline", "threshold_shared_baseline"):
            assert F(p[k]["lo"]) <= F(p[k]["hi"]) and F(p[k]["lo"]) > 0, (k, p[k])
        for k in ("ood_elevation_rate_shared_baseline", "ood_elevation_rate_own_baseline"):
            assert 0 <= F(p[k]["lo"]) <= F(p[k]["hi"]) <= 1, (k, p[k])
    for p in ps[1:]:
        keys = list(p)
        assert keys.index("inflation_shared_baseline") < keys.index("inflation_own_baseline"), keys
        full, q = ps[0]["lambda_base"], p["lambda_base"]
        want = "up" if F(q["lo"]) > F(full["hi"]) else "down" if F(q["hi"]) < F(full["lo"]) else "undecided"
        assert p["lambda_base_direction"] == want, (p["lambda_base_direction"], want)
        mid = lambda x: (F(x["lo"]) + F(x["hi"])) / 2
        for inf, t in ((p["inflation_own_baseline"], p["threshold_own_baseline"]),
                       (p["inflation_shared_baseline"], p["threshold_shared_baseline"])):
            # Lemma 2: the ratio of points of the two threshold enclosures lies in the inflation
            assert F(inf["lo"]) <= mid(t) / mid(fp) <= F(inf["hi"])
            assert F(inf["hi"]) - F(inf["lo"]) <= F(1, 10**6) * F(inf["hi"])  # and it is tight
            figures.append(inf)
        fa = p["false_alarm_rate"]
        assert 0 <= F(fa["lo"]) <= F(fa["hi"]) <= 1
        rates.append(fa)
        assert p["inflation_own_baseline_bootstrap_ci95"]["statistical"] is True
# Every "[lo, hi]" printed for an inflation or a rate contains that figure's enclosure: printed lo
# <= certified lo and printed hi >= certified hi (outward rounding).
for f, xs in ((sys.argv[2], figures), (sys.argv[3], figures + rates)):
    printed = [(F(a), F(b)) for a, b in re.findall(r"\[([-\d.e+]+), ([-\d.e+]+)\]", open(f).read())]
    for x in xs:
        lo, hi = F(x["lo"]), F(x["hi"])
        near = [(a, b) for a, b in printed if a <= hi and lo <= b and b - a <= max(F(1, 10) * hi, F(1, 100))]
        assert near, (f, x)
        assert any(a <= lo and hi <= b for a, b in near), (f, x, near)
PY
for f in report.md inflation.svg traces.svg; do [ -s "$tmp/rep/$f" ] && ok "writes $f" || bad "no $f"; done
/usr/bin/python3 -c "
import xml.etree.ElementTree as ET
for f in ('inflation.svg', 'traces.svg'): ET.parse('$tmp/rep/' + f)" && ok "plots are well-formed SVG" || bad "malformed plots"
grep -q "shared full-precision baseline" "$tmp/rep/inflation.svg" && grep -q "mlp:hidden=16,act=tanh" "$tmp/rep/inflation.svg" \
  && ok "the inflation plot names its baseline and the models" || bad "the inflation plot lacks its baseline or model names"
/usr/bin/python3 "$here/../support/svg_labels.py" "$tmp/rep/inflation.svg" "$tmp/rep/traces.svg" \
  && ok "no label of the plots overlaps another or leaves the canvas" || bad "overlapping labels"
sed 's|<text x="476" y="[0-9.]*" text-anchor="end" fill="#555">1x|<text x="84" y="413" fill="#555">1x|' "$tmp/rep/inflation.svg" > "$tmp/forged.svg"
cmp -s "$tmp/forged.svg" "$tmp/rep/inflation.svg" && bad "the forged plot did not change" || \
  { /usr/bin/python3 "$here/../support/svg_labels.py" "$tmp/forged.svg" > /dev/null && bad "a forged overlap is not caught" \
    || ok "a forged overlap (the 1x label moved onto the legend) is caught"; }
expect_exit 2 "bad --bits" "$FIM" experiment inflation --quick --bits 4,1 --report "$tmp/x"
expect_exit 2 "bad model SPEC" "$FIM" experiment inflation --models "mlp:act=sigmoid" --report "$tmp/y"
[ ! -e "$tmp/x/report.json" ] && [ ! -e "$tmp/y/report.json" ] && ok "bad input writes nothing" || bad "a report was written for bad input"
expect_exit 0 "a language model, a short run" "$FIM" experiment inflation --models "lm:arch=mlp,seed=1" \
  --trajectories 2 --steps 2 --window 4 --bits 4 --ood-trajectories 1 --report "$tmp/lm"
/usr/bin/python3 -c "
import json; m = json.load(open('$tmp/lm/report.json'))['models'][0]
assert m['labels'].startswith('data: the observed next token'), m['labels']" \
  && ok "  report.json says its labels are the observed tokens" || bad "  the language model's labels are misreported"
cli_summary
