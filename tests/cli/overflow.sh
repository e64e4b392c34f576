#!/usr/bin/env bash
# Entries near 1e170 and above: no radius may overflow into [-inf, inf]. Dense matrices of ~1e200
# (binary64 .npy and inexact CSV decimals, also with --symmetrize) and score files whose G G^T
# overflows but whose FIM does not get finite enclosures that contain the truth (exact oracle:
# Sylvester's inertia in rationals); a FIM truly above binary64's range gets [DBL_MAX, inf] and
# says why.
# Usage: bash tests/cli/overflow.sh /path/to/fimcheck
set -u
FIM=${1:?usage: overflow.sh /path/to/fimcheck}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fimcheck-overflow.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/../support/cli.sh"
/usr/bin/python3 -c 'import numpy' 2> /dev/null || { echo "numpy not found: skipped"; exit 0; }
/usr/bin/python3 - "$tmp" <<'PY'
import sys, numpy as np
d = sys.argv[1]
rng = np.random.default_rng(17)
a = rng.standard_normal((5, 5)) * 1e200
np.save(d + "/dense200.npy", a + a.T)
b = rng.standard_normal((4, 4)) * 1e307
np.save(d + "/dense307.npy", (b + b.T) / 2)
open(d + "/dense200.csv", "w").write("1e200, 2.5e200, -3.3e199\n2.5e200, 1.1e200, 7e200\n-3.3e199, 7e200, 4.4e200\n")
np.save(d + "/tall153.npy", rng.standard_normal((1000, 4)) * 1e153)   # G^T G overflows, F = G^T G / n does not
np.save(d + "/wide170.npy", rng.standard_normal((4, 6)) * 1e170)      # F itself exceeds binary64
PY

# encloses FILE FORM [ARGS...]: finite lambda_max enclosure that contains the exact lambda_max.
encloses() {
  local file=$1 form=$2; shift 2
  expect_exit 0 "$file $*" "$FIM" lambda "$tmp/$file" "$@" --json
  if /usr/bin/python3 - "$tmp/out" "$tmp/$file" "$form" <<'PY'
import json, sys
from fractions import Fraction as Q
import numpy as np
j = json.load(open(sys.argv[1])); path, form = sys.argv[2], sys.argv[3]
lo, hi = Q(j["lambda_max"]["lo"]), Q(j["lambda_max"]["hi"])
if path.endswith(".csv"):
    A = [[Q(c.strip()) for c in line.split(",")] for line in open(path) if line.strip()]
else:
    M = np.load(path)
    A = [[Q(float(x)) for x in r] for r in M]
if form == "sym":
    A = [[(A[i][k] + A[k][i]) / 2 for k in range(len(A))] for i in range(len(A))]
if form == "gram":
    n = len(A); cols = list(zip(*A))
    A = [[sum(x * y for x, y in zip(ci, ck)) / n for ck in cols] for ci in cols]
from exact_oracle import encloses
assert encloses(lo, hi, A), "lambda_max outside [lo, hi]"
assert hi - lo <= Q(1, 10**9) * hi, "too wide"
PY
  then ok "$file $*: finite, contains the exact lambda_max"; else bad "$file $*: $(tr '\n' ' ' < "$tmp/out" | head -c 300)"; fi
}
encloses dense200.npy dense
encloses dense200.csv dense
encloses dense307.npy sym --symmetrize
encloses tall153.npy gram --gram
encloses tall153.npy gram --gram --rel-width 1e-14

run_text() { "$FIM" "$@" > "$tmp/out" 2> "$tmp/err"; echo $?; }
code=$(run_text lambda "$tmp/wide170.npy" --gram)
if [ "$code" = 3 ] && grep -qF "lambda_max in [1.7976931348623157e+308, inf]" "$tmp/out" \
   && grep -q "certified to exceed the largest binary64 number" "$tmp/out"; then
  ok "a FIM above binary64's range: [DBL_MAX, inf] and the reason (exit 3)"
else bad "FIM above binary64's range: exit $code $(cat "$tmp/out" "$tmp/err")"; fi
cli_summary
