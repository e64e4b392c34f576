#!/usr/bin/env bash
# --gram precision: `lambda G.npy --gram --rel-width 1e-14` reaches its width on float32 and float64
# scores (the Gram product is accumulated again in double-double when its rounding bounds the
# width), width_reached is true only when the PRINTED interval, read as exact decimals, meets the
# width, and the printed interval contains the true lambda_max (exact oracle: Sylvester's inertia of
# x I - G G^T / n in rationals). An unreachable width names its cause.
# Usage: bash tests/cli/gram_precision.sh /path/to/fimcheck
set -u
FIM=${1:?usage: gram_precision.sh /path/to/fimcheck}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fimcheck-gram-precision.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/../support/cli.sh"
/usr/bin/python3 -c 'import numpy' 2> /dev/null || { echo "numpy not found: skipped"; exit 0; }
/usr/bin/python3 - "$tmp" <<'PY'
import sys, numpy as np
rng = np.random.default_rng(7)
g = rng.standard_normal((8, 40)) * np.where(np.arange(40) % 3 == 0, 1e3, 1.0)
np.save(sys.argv[1] + "/g64.npy", g)
np.save(sys.argv[1] + "/g32.npy", g.astype(np.float32))
np.save(sys.argv[1] + "/tall64.npy", rng.standard_normal((300, 6)))   # n >= d: G^T G
a = rng.standard_normal((5, 5))
np.save(sys.argv[1] + "/dense.npy", a + a.T)                         # no --gram
PY

# check FILE WIDTH WANT-REACHED: exit code, width_reached, printed width and exact containment.
check() {
  local file=$1 width=$2 want=$3 code=0 gram=--gram
  [ "$want" = true ] || code=3
  case $file in dense*) gram=;; esac
  expect_exit "$code" "$file $gram --rel-width $width --json" "$FIM" lambda "$tmp/$file" $gram --rel-width "$width" --json
  if /usr/bin/python3 - "$tmp/out" "$tmp/$file" "$width" "$want" <<'PY'
import json, sys
from fractions import Fraction as Q
import numpy as np
j = json.load(open(sys.argv[1])); G = np.load(sys.argv[2]).astype(np.float64)
width, want = Q(sys.argv[3]), sys.argv[4] == "true"
lo, hi = Q(j["lambda_max"]["lo"]), Q(j["lambda_max"]["hi"])
printed_ok = hi - lo <= width * max(abs(lo), abs(hi))
assert j["width_reached"] == want == printed_ok, (j["width_reached"], want, printed_ok, float((hi - lo) / hi))
n = G.shape[0]
rows = [[Q(float(x)) for x in r] for r in (G if G.shape[0] < G.shape[1] else G.T)]
K = [[sum(a * b for a, b in zip(ri, rj)) / n for rj in rows] for ri in rows]
if "dense" in sys.argv[2]: K = [[Q(float(x)) for x in r] for r in G]
from exact_oracle import encloses
assert encloses(lo, hi, K), "lambda_max outside [lo, hi]"
PY
  then ok "$file at $width: width_reached=$want agrees with the printed decimals; truth inside"
  else bad "$file at $width: $(cat "$tmp/out" | tr '\n' ' ' | head -c 400)"; fi
}
check g64.npy 1e-14 true
check g32.npy 1e-14 true
check tall64.npy 1e-14 true
check g64.npy 1e-17 false   # below one unit in the last place of a binary64 end point
check dense.npy 1e-16 false # binary64 end points within 2 units in the last place, printed wider than 1e-16
check dense.npy 1e-12 true
"$FIM" lambda "$tmp/g64.npy" --gram --rel-width 1e-17 > "$tmp/out" 2>&1
grep -q "end points are binary64 values" "$tmp/out" && ok "an unreachable width names its cause" \
  || bad "cause of an unreachable width: $(cat "$tmp/out")"
expect_exit 0 "sigma --gram --rel-width 1e-14 (float32 base, float64 step)" \
  "$FIM" sigma --gram --rel-width 1e-14 --base "$tmp/g32.npy" "$tmp/g64.npy"
cli_summary
