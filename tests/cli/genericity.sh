#!/usr/bin/env bash
# C4 genericity as the README shows it. M1/M2: a HOLDS is counted by kind (mean checked exactly, or
# only the hypothesis certified), in text and JSON. M3: a certified c2 < 0 is HYPOTHESIS_FAILS
# (exit 0, never 1), a lowered lambda_1 after one quantization is an observation, not a verdict,
# and the JSON carries the verdicts, the counts and the observation.
set -u
FIM="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../support/cli.sh"

softmax="softmax:d_in=8,classes=4,n=256,seed=1"
expect_exit 0 "M3 with c2 certified negative for both error models exits 0 (README command)" \
  "$FIM" check genericity --noise M3 --model "$softmax" --bits 4
[ "$(grep -c 'HYPOTHESIS_FAILS (c2 < 0 certified: the genericity hypothesis c2 > 0 fails' "$tmp/out")" -eq 2 ] \
  && ok "  both error models: HYPOTHESIS_FAILS, c2 < 0 certified" || bad "  verdict lines: $(cat "$tmp/out")"
grep -q 'observation about one draw (not a verdict): the deterministic quantization certifiably LOWERS lambda_1' "$tmp/out" \
  && ok "  the lowered lambda_1 is labelled an observation about one draw" || bad "  no observation line"
grep -q 'VIOLATED' "$tmp/out" && bad "  M3 output says VIOLATED" || ok "  no VIOLATED"
grep -q 'c2, uniform noise of the step     \[-1.3007143558616652e-03, -1.3007143552458927e-03\]' "$tmp/out" \
  && ok "  c2 (uniform noise) as the README shows it" || bad "  c2 differs from the README"
expect_exit 0 "M3 --json" "$FIM" check genericity --noise M3 --model "$softmax" --bits 4 --json
/usr/bin/python3 - "$tmp/out" <<'PY' && ok "  JSON: verdicts, counts, holds_detail, one_draw_observation" || bad "  JSON malformed: $(head -c 400 "$tmp/out")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["verdicts"]["uniform_noise"]["verdict"] == "HYPOTHESIS_FAILS"
assert j["verdicts"]["stochastic_rounding"]["verdict"] == "HYPOTHESIS_FAILS"
assert j["counts"] == {"HOLDS": 0, "VIOLATED": 0, "UNDECIDED": 0, "HYPOTHESIS_FAILS": 2}
assert j["holds_detail"] == {"hypothesis_certified": 0, "mean_checked_exactly": 0, "mean_not_checked": 0}
o = j["one_draw_observation"]
assert o["lambda_1"] == "lowered" and o["certified"] is True and "not a verdict" in o["note"]
PY
# c2 > 0 for uniform noise, < 0 for stochastic rounding, and one draw lowers lambda_1: exit 0.
expect_exit 0 "M3 logistic 2 bits: one HOLDS (mean not checked), one HYPOTHESIS_FAILS" \
  "$FIM" check genericity --noise M3 --model logistic:d_in=8,n=256,seed=1 --bits 2 --json
/usr/bin/python3 - "$tmp/out" <<'PY' && ok "  counts: HOLDS 1 with the mean not checked, HYPOTHESIS_FAILS 1" || bad "  counts wrong: $(head -c 400 "$tmp/out")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["counts"]["HOLDS"] == 1 and j["counts"]["HYPOTHESIS_FAILS"] == 1 and j["counts"]["VIOLATED"] == 0
assert j["holds_detail"] == {"hypothesis_certified": 1, "mean_checked_exactly": 0, "mean_not_checked": 1}
assert "mean not checked" in j["verdicts"]["uniform_noise"]["where"]
PY
# nf4: no uniform step, c2 not modeled: UNDECIDED, exit 3.
expect_exit 3 "M3 nf4: c2 not modeled, UNDECIDED" \
  "$FIM" check genericity --noise M3 --model logistic:d_in=8,n=256,seed=1 --bits 4 --scheme nf4 --group-size 64
# The README's table of M1 and M2 runs, counts by kind of HOLDS.
expect_exit 0 "M1, 2000 cases (README table)" "$FIM" check genericity --cases 2000 --seed 1 --json
/usr/bin/python3 - "$tmp/out" <<'PY' && ok "  M1: HOLDS 972, all with the mean checked exactly" || bad "  M1 counts differ from the README"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["counts"] == {"HOLDS": 972, "VIOLATED": 0, "UNDECIDED": 0, "HYPOTHESIS_FAILS": 1028}, j["counts"]
assert j["holds_detail"] == {"hypothesis_certified": 972, "mean_checked_exactly": 972, "mean_not_checked": 0}
PY
expect_exit 0 "M2, 2000 cases (README table)" "$FIM" check genericity --noise M2 --cases 2000 --seed 1
grep -q "of the HOLDS: hypothesis certified 1375; mean checked exactly: 228; mean not checked, conclusion unchecked (too many draws for the exact mean): 1147" "$tmp/out" \
  && ok "  M2 text: 1375 = 228 mean checked exactly + 1147 mean not checked" || bad "  M2 text: $(cat "$tmp/out")"
cli_summary
