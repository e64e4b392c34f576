#!/usr/bin/env bash
# fimcheck check / verify-cert from the command line: exit codes (S9), report files written
# atomically, certificates confirmed, tampered ones refuted, malformed ones rejected.
set -u
FIM="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../support/cli.sh"

expect_exit 0 "directional as stated, 300 cases" "$FIM" check directional --cases 300 --seed 1
expect_exit 1 "false variant directional/upper finds a counterexample" \
  "$FIM" check directional --variant upper --cases 300 --seed 1 --report "$tmp/rep"
for f in report.json report.md; do
  [ -s "$tmp/rep/$f" ] && ok "report writes $f" || bad "report lacks $f"
done
ls "$tmp/rep" | grep -q '\.tmp-' && bad "temporary file left behind" || ok "no temporary files left"
cert=$(ls "$tmp"/rep/cert-*.json 2>/dev/null | head -1)
if [ -n "$cert" ]; then
  ok "certificate written: $(basename "$cert")"
  expect_exit 0 "verify-cert confirms it" "$FIM" verify-cert "$cert"
  # tamper: move the first lower bound far up (claims a larger eigenvalue than the truth)
  /usr/bin/python3 - "$cert" "$tmp/tampered.json" <<'PY'
import json, sys
from fractions import Fraction
c = json.load(open(sys.argv[1]))
b = c["bounds"][0]
side = "lower" if "lower" in b else "upper"
v = Fraction(b[side])
b[side] = str(v + (abs(v) + 1) * (1 if side == "lower" else -1))
json.dump(c, open(sys.argv[2], "w"))
PY
  expect_exit 1 "verify-cert refutes a tampered certificate" "$FIM" verify-cert "$tmp/tampered.json"
  echo '{"fimcheck_certificate": 1, "kind": "linear-eigenvalue-inequality"}' > "$tmp/malformed.json"
  expect_exit 2 "verify-cert rejects a malformed certificate" "$FIM" verify-cert "$tmp/malformed.json"
  echo 'not json' > "$tmp/garbage.json"
  expect_exit 2 "verify-cert rejects a file that is not JSON" "$FIM" verify-cert "$tmp/garbage.json"
else
  bad "no certificate written"
fi
reproduce=$(/usr/bin/python3 -c "import json;print(json.load(open('$tmp/rep/report.json'))['counterexamples'][0]['reproduce'])")
expect_exit 1 "the reproduce command refinds the counterexample" $(echo "$reproduce" | sed "s|^fimcheck|$FIM|")
expect_exit 1 "a conjectured bound normE^3/(4 gap^2) is refuted" \
  "$FIM" check remainder --bound "normE^3/gap^2/4" --cases 1000 --seed 1 --report "$tmp/conj"
cert=$(ls "$tmp"/conj/cert-*.json 2>/dev/null | head -1)
[ -n "$cert" ] && expect_exit 0 "verify-cert confirms the conjectured-bound certificate exactly" "$FIM" verify-cert "$cert" \
  || bad "no certificate for the conjectured bound"
expect_exit 0 "the proved bound written as an expression holds" \
  "$FIM" check remainder --bound "2*normE^3/(gap*(gap-2*normE))" --cases 300 --seed 1 --dim 2..6
expect_exit 2 "a malformed --bound names the position" "$FIM" check remainder --bound "normE^3/(gap*"
grep -q "position 14" "$tmp/err" && ok "the message gives position 14" || bad "no position in: $(cat "$tmp/err")"
expect_exit 2 "--bound on another claim" "$FIM" check weyl --bound "gap"
# A conjectured bound 9% below the asymptotic constant 4/(3 sqrt 3): 200 random cases miss it, the
# targeted search finds a certified counterexample within its budget of evaluations (not seconds).
"$FIM" check remainder --bound "0.7*normE^3/gap^2" --cases 200 --seed 1 > /dev/null 2>&1
[ $? -ne 1 ] && ok "200 random cases do not refute 0.7 normE^3/gap^2" || bad "random cases already refute it (test too easy)"
expect_exit 1 "--search refutes 0.7 normE^3/gap^2" \
  "$FIM" check remainder --bound "0.7*normE^3/gap^2" --cases 200 --seed 1 --search --budget-evals 100000 --report "$tmp/search"
expect_exit 0 "verify-cert confirms the search's certificate" "$FIM" verify-cert "$tmp/search/cert-search.json"
# Evaluation budgets, not seconds: a loaded machine cannot change these outcomes.
expect_exit 1 "--search refutes weyl/half-top from a single start case" \
  "$FIM" check weyl --variant half-top --cases 1 --seed 3 --search --budget-evals 10000
expect_exit 0 "--search finds nothing against weyl as stated" \
  "$FIM" check weyl --cases 1 --seed 3 --search --budget-evals 20000
# C4 genericity in M1 and M2: as stated no counterexample; false variants refuted, certificates exact.
expect_exit 0 "genericity (M1) as stated, 500 cases" "$FIM" check genericity --cases 500 --seed 1
expect_exit 0 "genericity --noise M2 as stated, 500 cases" "$FIM" check genericity --noise M2 --cases 500 --seed 1
for spec in "M1 per-draw" "M1 no-remainder" "M1 sign-flipped" "M1 no-gap" "M2 no-first-term" "M2 first-term-sign"; do
  set -- $spec
  expect_exit 1 "genericity --noise $1 --variant $2 is refuted" \
    "$FIM" check genericity --noise "$1" --variant "$2" --cases 500 --seed 1 --report "$tmp/gen-$2"
  cert=$(ls "$tmp/gen-$2"/cert-*.json 2>/dev/null | head -1)
  [ -n "$cert" ] && expect_exit 0 "  verify-cert confirms $(basename "$cert")" "$FIM" verify-cert "$cert" \
    || bad "no certificate for genericity/$2"
done
/usr/bin/python3 - "$tmp/gen-no-remainder" <<'PY' && ok "report.md shows well-formed SVG plots (tightness, spectra)" || bad "SVG plots missing or malformed"
import glob, sys, xml.etree.ElementTree as ET
d = sys.argv[1]
svgs = glob.glob(d + "/*.svg")
assert any(s.endswith("tightness.svg") for s in svgs) and any("spectra-" in s for s in svgs), svgs
for s in svgs:
    ET.parse(s)
md = open(d + "/report.md").read()
assert "](tightness.svg)" in md and "](spectra-" in md
PY
grep -q -- "--noise M2" "$tmp/gen-no-first-term/report.json" && ok "the M2 reproduce command names --noise M2" \
  || bad "reproduce command lacks --noise M2"
expect_exit 0 "genericity --case K prints c2, the exact mean and a Monte Carlo" \
  "$FIM" check genericity --noise M2 --case 36 --seed 1
grep -q '"statistical":true' "$tmp/out" && grep -q '"c2"' "$tmp/out" && ok "  the Monte Carlo is labelled statistical" \
  || bad "no statistical Monte Carlo in: $(head -c 300 "$tmp/out")"
expect_exit 2 "--noise on another claim" "$FIM" check weyl --noise M2
expect_exit 2 "--noise M4" "$FIM" check genericity --noise M4
expect_exit 2 "unknown claim" "$FIM" check nonsense
expect_exit 2 "unknown variant" "$FIM" check weyl --variant nonsense
expect_exit 2 "malformed --dim" "$FIM" check weyl --dim 5..2
expect_exit 0 "--list-variants" "$FIM" check remainder --list-variants
"$FIM" check remainder --cases 50 --json > "$tmp/j.json"
/usr/bin/python3 -c "
import json; j = json.load(open('$tmp/j.json'))
assert set(j['counts']) == {'HOLDS', 'VIOLATED', 'UNDECIDED', 'HYPOTHESIS_FAILS'}
assert sum(j['counts'].values()) == 50" && ok "--json counts all four verdicts" || bad "--json report malformed"
cli_summary
