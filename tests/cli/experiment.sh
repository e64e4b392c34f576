#!/usr/bin/env bash
# fimcheck experiment inflation --quick: report.json's schema and numbers consistent with the
# lemmas of proofs/inflation.md (checked in exact decimals), plots well-formed, bad input exit 2.
set -u
FIM="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../support/cli.sh"
expect_exit 0 "experiment inflation --quick" "$FIM" experiment inflation --quick --report "$tmp/rep"
grep -q "244x" "$tmp/out" && ok "the summary answers the 244x question" || bad "no answer about 244x"
/usr/bin/python3 - "$tmp/rep/report.json" <<'PY' && ok "report.json: thresholds, inflations and false-alarm rates are consistent enclosures" || bad "report.json inconsistent"
import json, sys
from fractions import Fraction as F
j = json.load(open(sys.argv[1]))
assert j["trajectories_total"] == j["trajectories_per_model"] * len(j["models"])
for m in j["models"]:
    ps = m["precisions"]
    assert ps[0]["bits"] == "full" and [p["bits"] for p in ps[1:]] == [2, 3, 4, 8]
    fp = ps[0]["threshold"]
    for p in ps:
        for k in ("lambda_base", "threshold", "threshold_shared_baseline"):
            assert F(p[k]["lo"]) <= F(p[k]["hi"]) and F(p[k]["lo"]) > 0, (k, p[k])
    for p in ps[1:]:
        inf, t = p["inflation"], p["threshold"]
        # Lemma 2: the ratio of points of the two threshold enclosures lies in the inflation
        mid = lambda x: (F(x["lo"]) + F(x["hi"])) / 2
        assert F(inf["lo"]) <= mid(t) / mid(fp) <= F(inf["hi"])
        assert F(inf["hi"]) - F(inf["lo"]) <= F(1, 10**6) * F(inf["hi"])  # and it is tight
        fa = p["false_alarm_rate"]
        assert 0 <= F(fa["lo"]) <= F(fa["hi"]) <= 1
        assert p["inflation_bootstrap_ci95"]["statistical"] is True
PY
for f in report.md inflation.svg traces.svg; do [ -s "$tmp/rep/$f" ] && ok "writes $f" || bad "no $f"; done
/usr/bin/python3 -c "
import xml.etree.ElementTree as ET
for f in ('inflation.svg', 'traces.svg'): ET.parse('$tmp/rep/' + f)" && ok "plots are well-formed SVG" || bad "malformed plots"
expect_exit 2 "bad --bits" "$FIM" experiment inflation --quick --bits 4,1 --report "$tmp/x"
expect_exit 2 "bad model SPEC" "$FIM" experiment inflation --models "mlp:act=sigmoid" --report "$tmp/y"
[ ! -e "$tmp/x/report.json" ] && [ ! -e "$tmp/y/report.json" ] && ok "bad input writes nothing" || bad "a report was written for bad input"
cli_summary
