#!/usr/bin/env bash
# fimcheck partition (claim C7): exact completeness verdicts with witnesses on the example policies
# in tests/cli/policies/, classification of enclosures, and bad policies (exit 2, the JSON path of
# the problem on stderr, nothing on stdout, no output file).
# Usage: bash tests/cli/partition.sh /path/to/fimcheck
set -u
FIM=${1:?usage: partition.sh /path/to/fimcheck}
POL=$(cd "$(dirname "$0")/policies" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fimcheck-partition.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { echo "  ok   $1"; passed=$((passed + 1)); }
bad() { echo "  FAIL $1"; failed=$((failed + 1)); }
run() { "$@" > "$tmp/out" 2> "$tmp/err"; echo $? > "$tmp/rc"; }
expect() {  # expect CODE NAME TEXT-ON-STDOUT CMD...: exit CODE and stdout containing TEXT
  local want=$1 name=$2 text=$3; shift 3
  run "$@"
  local got; got=$(cat "$tmp/rc")
  if [ "$got" -ne "$want" ]; then bad "$name: exit $got, expected $want: $(head -c 300 "$tmp/err")"; return; fi
  if ! grep -qF -- "$text" "$tmp/out"; then bad "$name: stdout lacks '$text': $(head -c 400 "$tmp/out")"; return; fi
  ok "$name (exit $got)"
}

echo "verdicts and witnesses"
expect 0 "complete, disjoint policy passes" "COMPLETE" "$FIM" partition "$POL/complete.json"
expect 1 "a boundary written as < on both sides: single-point gap at 1.5" "witness: sigma = 1.5" \
  "$FIM" partition "$POL/point_gap.json"
expect 1 "NaN and undefined not covered" "gap 1: sigma is nan or sigma is undefined" \
  "$FIM" partition "$POL/nan_gap.json"
expect 1 "infinite values not covered" "sigma is -inf or sigma is +inf" "$FIM" partition "$POL/inf_gap.json"
expect 1 "values above 1e300 not covered, witness 2e300" "witness: sigma = 2e300" "$FIM" partition "$POL/inf_gap.json"
expect 1 "a missing discrete value" "gap 1: sigma < 1.5; bits = 2" "$FIM" partition "$POL/discrete_gap.json"
expect 1 "overlapping cells, witness at the shared threshold" "overlap 1 of 'nominal' and 'alarm': sigma = 1.5" \
  "$FIM" partition "$POL/overlap.json"
expect 1 "a second overlap, witness between thresholds" "witness: sigma = 2.1, hyp = true" \
  "$FIM" partition "$POL/overlap.json"
expect 1 "the issue's example: bits 2 and 3 below 1.5, and undefined" "finite sigma < 1.5 or sigma is -inf; bits in {2, 3}" \
  "$FIM" partition "$POL/example.json"

run "$FIM" partition "$POL/overlap.json" --json --output "$tmp/result.json"
if [ "$(cat "$tmp/rc")" = 1 ] && /usr/bin/python3 - "$tmp/out" "$tmp/result.json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
assert a == b and a["complete"] is True and a["disjoint"] is False
assert [o["cells"] for o in a["overlaps"]] == [["nominal", "alarm"], ["alarm", "flagged"]]
assert a["overlaps"][0]["witness"] == {"sigma": "1.5", "hyp": False}
PY
then ok "--json and --output agree, witnesses as JSON"; else bad "--json / --output"; fi
ls "$tmp" | grep -q '\.tmp' && bad "temporary file left behind" || ok "no temporary file left"

echo "classification"
C=$POL/complete.json
expect 0 "inside one cell" "sigma in 1,1.2: nominal" "$FIM" partition "$C" --classify 1,1.2 --at bits=4 --at hyp=true
expect 3 "straddling 1.5: ambiguous with both candidates" "ambiguous (candidates: nominal alarm)" \
  "$FIM" partition "$C" --classify 1.4,1.6 --at bits=4 --at hyp=true
expect 3 "free coordinate that matters: ambiguous" "candidates: nominal watch" "$FIM" partition "$C" --classify 1,1.2 --at bits=4
expect 0 "the threshold itself belongs to alarm" "alarm" "$FIM" partition "$C" --classify 1.5,1.5 --at bits=4
expect 0 "undefined sigma" "no_base" "$FIM" partition "$C" --classify undefined
expect 0 "unbounded above" "alarm" "$FIM" partition "$C" --classify 2,inf
expect 1 "a value in no cell" "uncovered" "$FIM" partition "$POL/point_gap.json" --classify 1.5
expect 1 "a value outside the domain" "outside the domain" "$FIM" partition "$POL/point_gap.json" --classify nan
run "$FIM" partition "$C" --classify 1,1.2 --at bits=4 --at hyp=true --json
/usr/bin/python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["cell"]=="nominal" and j["classification"]=="cell"' \
  "$tmp/out" && ok "classification as JSON" || bad "classification as JSON"

echo "bad policies and bad arguments: exit 2, the JSON path named, nothing written"
coords='"coordinates": {"sigma": {"type": "real", "special": ["nan"]}, "bits": {"type": "discrete", "values": [2, 4]}, "hyp": {"type": "bool"}}'
bad_policy() {  # bad_policy NAME PATH JSON
  local name=$1 path=$2
  printf '%s' "$3" > "$tmp/bad.json"
  run "$FIM" partition "$tmp/bad.json" --output "$tmp/never.json"
  local got; got=$(cat "$tmp/rc")
  if [ "$got" -ne 2 ]; then bad "$name: exit $got, expected 2"
  elif ! grep -qF -- "$path" "$tmp/err"; then bad "$name: stderr lacks '$path': $(cat "$tmp/err")"
  elif [ -s "$tmp/out" ]; then bad "$name: wrote to stdout"
  elif [ -e "$tmp/never.json" ]; then bad "$name: wrote the output file"
  else ok "$name -> $(cat "$tmp/err")"; fi
}
cell() { printf '{%s, "cells": [{"name": "a", "when": []}, {"name": "b", "when": [%s]}]}' "$coords" "$1"; }
bad_policy "unknown coordinate" '$.cells[1].when[0][0]' "$(cell '["sigmaa", "<", "1"]')"
bad_policy "unknown operator" '$.cells[1].when[0][1]' "$(cell '["sigma", "=<", "1"]')"
bad_policy "non-numeric threshold" '$.cells[1].when[0][2]' "$(cell '["sigma", "<", "1.5x"]')"
bad_policy "threshold 1e5.5 (trailing text after the exponent)" '$.cells[1].when[0][2]' "$(cell '["sigma", "<", "1e5.5"]')"
bad_policy "threshold with trailing space" '$.cells[1].when[0][2]' "$(cell '["sigma", "<", "1.5 "]')"
bad_policy "threshold with a zero denominator" '$.cells[1].when[0][2]' "$(cell '["sigma", "<", "1/0"]')"
# Read as 1e5, "1e5.5" made these cells look disjoint and complete (exit 0): they overlap on
# [1e5, 10^5.5), so the only honest answer is to refuse the threshold.
bad_policy "a 1e5.5 threshold that once passed as DISJOINT" '$.cells[0].when[0][2]' \
  '{"coordinates": {"sigma": {"type": "real"}}, "cells": [{"name": "a", "when": [["sigma", "<", "1e5.5"]]}, {"name": "b", "when": [["sigma", ">=", "100000"]]}]}'
bad_policy "threshold not a number at all" '$.cells[1].when[0][2]' "$(cell '["sigma", "<", null]')"
bad_policy "value outside a discrete domain (==)" '$.cells[1].when[0][2]' "$(cell '["bits", "==", 3]')"
bad_policy "value outside a discrete domain (in)" '$.cells[1].when[0][2][1]' "$(cell '["bits", "in", [2, 8]]')"
bad_policy "special value not in the domain" '$.cells[1].when[0][2]' "$(cell '["sigma", "is", "undefined"]')"
bad_policy "in on a real coordinate" '$.cells[1].when[0][1]' "$(cell '["sigma", "in", [1]]')"
bad_policy "bool compared with a string" '$.cells[1].when[0][2]' "$(cell '["hyp", "==", "true"]')"
bad_policy "predicate of two elements" '$.cells[1].when[0]' "$(cell '["sigma", "<"]')"
bad_policy "duplicate cell names" '$.cells[1].name' \
  "$(printf '{%s, "cells": [{"name": "a", "when": []}, {"name": "a", "when": []}]}' "$coords")"
bad_policy "duplicate coordinate names" '$.coordinates.s' \
  '{"coordinates": {"s": {"type": "real"}, "s": {"type": "bool"}}, "cells": []}'
bad_policy "unknown coordinate type" '$.coordinates.s.type' '{"coordinates": {"s": {"type": "int"}}, "cells": []}'
bad_policy "unknown special value" '$.coordinates.s.special[0]' \
  '{"coordinates": {"s": {"type": "real", "special": ["inf"]}}, "cells": []}'
bad_policy "unknown key (a typo)" '$.cells[0].whn' '{"coordinates": {}, "cells": [{"name": "a", "whn": []}]}'
bad_policy "malformed JSON" 'line 2, column' "$(printf '{"coordinates": {},\n "cells": [,]}')"
bad_policy "empty file" 'line 1, column 1' ''
bad_policy "not an object" '$' '[1, 2]'
run "$FIM" partition "$tmp/does-not-exist.json"
[ "$(cat "$tmp/rc")" = 2 ] && ok "missing policy file (exit 2)" || bad "missing policy file"
for arg in "--classify 1,x" "--classify 1.5x" "--classify 1e5.5" "--classify 1,2abc" "--classify 1e0.5,2" "--classify 1/0" "--classify 1 --at bits=4x" "--classify 1 --at bits=4e0.5" "--classify 2,1" "--classify 1 --at bits=5" "--classify 1 --at hyp=maybe" "--classify 1 --at nosuch=1" "--classify 1 --coordinate bits"; do
  run "$FIM" partition "$C" $arg
  [ "$(cat "$tmp/rc")" = 2 ] && [ ! -s "$tmp/out" ] && ok "$arg -> $(cat "$tmp/err")" || bad "$arg: exit $(cat "$tmp/rc")"
done

run "$FIM" partition --help
[ "$(cat "$tmp/rc")" = 0 ] && grep -q -- "--classify" "$tmp/out" && ok "--help" || bad "--help"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
