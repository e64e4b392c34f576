#!/usr/bin/env bash
# fimcheck scores (SPEC S5, S9): for every model family, the exported score matrix G.npy has the
# announced shape, and `fimcheck lambda --gram G.npy` agrees with the in-tool enclosure of
# lambda_1(G^T G / rows) (the two enclosures overlap and both are narrow); the same SPEC gives the
# same bytes; bad SPECs and bad options exit 2 naming the key, with no output file; --help works.
# Usage: bash tests/cli/scores.sh /path/to/fimcheck
set -u
FIMCHECK=${1:?usage: scores.sh /path/to/fimcheck}
FIMCHECK=$(cd "$(dirname "$FIMCHECK")" && pwd)/$(basename "$FIMCHECK")
PY=/usr/bin/python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fimcheck-scores.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2
FAILED=0
fail() { echo "FAIL: $*"; FAILED=1; }

# agree SCORES.json LAMBDA.json G.npy: shape matches, enclosures overlap, relative widths <= 1e-9.
# Decimal strings are compared exactly (fractions), as S9 says they parse as exact decimals.
agree() {
  "$PY" - "$1" "$2" "$3" <<'EOF'
import json, sys
from fractions import Fraction as Q
import numpy as np
s, l = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
g = np.load(sys.argv[3])
assert g.dtype == np.float64 and g.shape == (s["rows"], s["d"]), (g.shape, s["rows"], s["d"])
assert l["n"] == s["rows"] and l["d"] == s["d"], (l["n"], l["d"])
a = (Q(s["lambda_max"]["lo"]), Q(s["lambda_max"]["hi"]))
b = (Q(l["lambda_max"]["lo"]), Q(l["lambda_max"]["hi"]))
assert a[0] <= b[1] and b[0] <= a[1], f"disjoint: in-tool {a} vs lambda --gram {b}"
for lo, hi in (a, b):
    assert 0 < lo <= hi and (hi - lo) / hi <= Q(1, 10**9), f"wide: [{float(lo)}, {float(hi)}]"
print(f"  {s['model']} --fisher {s['fisher']}: rows {s['rows']}, d {s['d']}, "
      f"trained in {s['train_seconds']:.3f} s, lambda_max ~ {float(a[0]):.12g}")
EOF
}

# check_model SPEC MODE [SEED]: scores -> G.npy -> lambda --gram, compared.
check_model() {
  local spec=$1 mode=$2 extra=()
  [ $# -ge 3 ] && extra=(--seed "$3")
  rm -f G.npy
  "$FIMCHECK" scores --model "$spec" --fisher "$mode" "${extra[@]}" --out G.npy --json > s.json 2> err.txt
  local rc=$?
  [ "$rc" = 0 ] || { fail "scores $spec $mode: exit $rc ($(head -c 300 err.txt))"; return; }
  "$FIMCHECK" lambda --gram G.npy --json > l.json 2> err.txt ||
    { fail "lambda --gram for $spec $mode: exit $? ($(head -c 300 err.txt))"; return; }
  agree s.json l.json G.npy || fail "$spec --fisher $mode: in-tool and lambda --gram disagree"
}

echo "per family: in-tool enclosure vs fimcheck lambda --gram on the exported G"
check_model "linear:d_in=8,n=256,seed=1" data
check_model "linear:d_in=8,n=256,seed=1" expected
check_model "logistic:d_in=8,n=256,seed=1" data
check_model "logistic:d_in=8,n=256,seed=1" argmax
check_model "softmax:d_in=8,classes=4,n=256,seed=1" data
check_model "softmax:d_in=8,classes=4,n=256,seed=1" sampled 7
check_model "mlp:hidden=16x16,act=gelu,d_in=8,classes=4,n=512,seed=3" data
check_model "mlp:hidden=16x16,act=gelu,d_in=8,classes=4,n=512,seed=3" expected
check_model "mlp:hidden=16,act=tanh,d_in=8,classes=4,n=256,seed=2" data
check_model "mlp:hidden=8x8x8,act=relu,d_in=6,classes=3,n=256,seed=4" data
check_model "mlp:hidden=8x8x8,act=relu,d_in=6,classes=3,n=256,seed=4" argmax

# ---- Rows per mode: expected has one row per input and class --------------------------------------
"$FIMCHECK" scores --model "softmax:d_in=3,classes=5,n=10,seed=1" --fisher expected --out G.npy --json > s.json ||
  fail "expected mode run"
"$PY" -c "import json; j = json.load(open('s.json')); assert j['rows'] == 50 and j['d'] == 20, j" ||
  fail "expected mode: softmax with 5 classes and 10 inputs should give 50 rows x 20 params"

# ---- Determinism: same SPEC same bytes; another seed other bytes ---------------------------------
run() { "$FIMCHECK" scores --model "$1" --out "$2" > /dev/null || fail "scores $1"; }
run "mlp:hidden=8x8,act=gelu,d_in=4,classes=3,n=64,seed=5" a.npy
run "mlp:hidden=8x8,act=gelu,d_in=4,classes=3,n=64,seed=5" b.npy
run "mlp:hidden=8x8,act=gelu,d_in=4,classes=3,n=64,seed=6" c.npy
cmp -s a.npy b.npy || fail "the same SPEC gave different score bytes"
cmp -s a.npy c.npy && fail "seeds 5 and 6 gave the same score bytes"
"$FIMCHECK" scores --model "softmax:d_in=4,n=64,seed=5" --fisher sampled --seed 1 --out a.npy > /dev/null
"$FIMCHECK" scores --model "softmax:d_in=4,n=64,seed=5" --fisher sampled --seed 1 --out b.npy > /dev/null
cmp -s a.npy b.npy || fail "--fisher sampled --seed 1 twice gave different bytes"

# ---- Bad usage: exit 2, a message naming the key, no output file -----------------------------------
expect_bad() {
  local what=$1 needle=$2
  shift 2
  rm -f G.npy
  "$FIMCHECK" scores "$@" > out.txt 2> err.txt
  local rc=$?
  [ "$rc" = 2 ] || { fail "$what: exit $rc, expected 2"; return; }
  grep -q -- "$needle" err.txt || fail "$what: message lacks '$needle' ($(head -c 300 err.txt))"
  [ ! -e G.npy ] || fail "$what: G.npy was written"
  ls ./*.tmp-* > /dev/null 2>&1 && fail "$what: a temporary file was left"
}
expect_bad "unknown family" "family 'cnn'" --model "cnn:d_in=3" --out G.npy
expect_bad "unknown key" "key 'width'" --model "mlp:width=3" --out G.npy
expect_bad "key of another family" "key 'classes'" --model "linear:classes=3" --out G.npy
expect_bad "four hidden layers" "key 'hidden'" --model "mlp:hidden=4x4x4x4" --out G.npy
expect_bad "bad activation" "key 'act'" --model "mlp:act=swish" --out G.npy
expect_bad "one class" "key 'classes'" --model "softmax:classes=1" --out G.npy
expect_bad "zero inputs" "key 'n'" --model "logistic:n=0" --out G.npy
expect_bad "non-numeric lr" "key 'lr'" --model "logistic:lr=fast" --out G.npy
expect_bad "repeated key" "key 'n'" --model "linear:n=4,n=5" --out G.npy
expect_bad "unknown fisher mode" "fisher" --model "linear" --fisher empirical --out G.npy
expect_bad "argmax for linear-Gaussian" "argmax" --model "linear:n=8" --fisher argmax --out G.npy
expect_bad "seed without sampled" "seed" --model "linear:n=8" --seed 3 --out G.npy
expect_bad "no --model" "model" --out G.npy
expect_bad "no --out" "out" --model "linear:n=8"

# ---- Help -------------------------------------------------------------------------------------------
"$FIMCHECK" scores --help > out.txt 2>&1 || fail "scores --help: exit $?"
grep -q "hidden" out.txt && grep -q "expected" out.txt || fail "scores --help lacks SPEC keys or modes"

[ "$FAILED" = 0 ] && echo "scores.sh: all checks passed"
exit "$FAILED"
