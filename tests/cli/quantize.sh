#!/usr/bin/env bash
# fimcheck quantize (SPEC S5, S9, S11): bad usage and bad input exit 2 with one message and no
# output file; stochastic rounding is reproducible per seed; and w_q agrees bit for bit with the
# independent NumPy reference tests/cli/quantize_ref.py (Debian's /usr/bin/python3 with numpy).
# Usage: bash tests/cli/quantize.sh /path/to/fimcheck
set -u
FIMCHECK=${1:?usage: quantize.sh /path/to/fimcheck}
FIMCHECK=$(cd "$(dirname "$FIMCHECK")" && pwd)/$(basename "$FIMCHECK")
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fimcheck-quantize.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2
FAILED=0
fail() { echo "FAIL: $*"; FAILED=1; }

# ---- Inputs -------------------------------------------------------------------------------------
"$PY" - <<'EOF' || { echo "cannot write the inputs with $PY"; exit 2; }
import numpy as np
rng = np.random.default_rng(7)
np.save("w32.npy", rng.standard_normal((4, 96)).astype(np.float32))
np.save("w1d.npy", rng.standard_normal(70))
np.save("nan.npy", np.array([[1.0, np.nan], [0.5, 0.25]]))
np.save("inf.npy", np.array([1.0, 2.0, -np.inf]))
np.save("three_d.npy", np.zeros((2, 2, 2)))
np.save("int32.npy", np.ones((2, 2), dtype=np.int32))
np.save("tiny.npy", np.array([2.0**-1074, 0.0]))          # sym: s = 2^-1074 / 3 underflows to 0
np.save("huge.npy", np.array([-1.7e308, 1.7e308]))          # asym: max - min overflows
np.save("dblmax.npy", np.array([np.finfo(np.float64).max]))  # sym, 3 bits: 3 fl(M / 3) overflows
b = open("w32.npy", "rb").read()
open("truncated.npy", "wb").write(b[:-10])
EOF

# expect_exit CODE WHAT ARGS...: runs fimcheck quantize ARGS, requires exit CODE; for CODE 2 also
# one line on stderr and no q.npy / d.npy left behind.
expect_exit() {
  local code=$1 what=$2
  shift 2
  rm -f q.npy d.npy
  "$FIMCHECK" quantize "$@" > out.txt 2> err.txt
  local got=$?
  [ "$got" = "$code" ] || { fail "$what: exit $got, expected $code ($(head -c 300 err.txt))"; return; }
  if [ "$code" = 2 ]; then
    [ -s err.txt ] || fail "$what: no message on stderr"
    [ ! -e q.npy ] && [ ! -e d.npy ] || fail "$what: an output file was written"
    ls ./*.tmp-* > /dev/null 2>&1 && fail "$what: a temporary file was left"
  fi
}

expect_exit 0 "sym group" w32.npy --bits 4 --scheme sym --granularity group --group-size 32 --out q.npy --delta-out d.npy
[ -s q.npy ] && [ -s d.npy ] || fail "sym group: outputs missing"
grep -q "clipped values: 0" out.txt || fail "sym group: summary lacks the clip count ($(cat out.txt))"
grep -q "max |delta| / step" out.txt || fail "sym group: summary lacks max |delta| / step"
expect_exit 0 "nf4 default blocks" w32.npy --scheme nf4 --out q.npy
grep -q "groups: 8 " out.txt || fail "nf4: expected 8 blocks of 64 over 4 x 96 ($(head -2 out.txt))"
expect_exit 0 "1-D asym" w1d.npy --bits 3 --scheme asym --granularity tensor --out q.npy
"$PY" -c "import numpy as np; assert np.load('q.npy').shape == (70,)" || fail "1-D input: output not 1-D"
expect_exit 0 "help" --help
grep -q "round half to even" out.txt || fail "--help does not state the conventions"

# ---- Bad usage and bad input: exit 2, nothing written -------------------------------------------
expect_exit 2 "missing file" absent.npy --bits 4 --scheme sym --granularity tensor --out q.npy
expect_exit 2 "NaN weight" nan.npy --bits 4 --scheme sym --granularity tensor --out q.npy
grep -q "entry (0, 1)" err.txt || fail "NaN weight: position not named ($(cat err.txt))"
expect_exit 2 "inf weight" inf.npy --bits 4 --scheme sym --granularity tensor --out q.npy
grep -q "entry (0, 2)" err.txt || fail "inf weight: position not named ($(cat err.txt))"
expect_exit 2 "3-D array" three_d.npy --bits 4 --scheme sym --granularity tensor --out q.npy
expect_exit 2 "int32 array" int32.npy --bits 4 --scheme sym --granularity tensor --out q.npy
expect_exit 2 "truncated file" truncated.npy --bits 4 --scheme sym --granularity tensor --out q.npy
expect_exit 2 "bits 1" w32.npy --bits 1 --scheme sym --granularity tensor --out q.npy
expect_exit 2 "bits 17" w32.npy --bits 17 --scheme asym --granularity tensor --out q.npy
expect_exit 2 "no bits" w32.npy --scheme sym --granularity tensor --out q.npy
expect_exit 2 "nf4 with 8 bits" w32.npy --bits 8 --scheme nf4 --out q.npy
expect_exit 2 "nf4 stochastic" w32.npy --scheme nf4 --rounding stochastic --seed 1 --out q.npy
expect_exit 2 "unknown scheme" w32.npy --bits 4 --scheme int4 --granularity tensor --out q.npy
expect_exit 2 "no granularity" w32.npy --bits 4 --scheme sym --out q.npy
expect_exit 2 "group size 0" w32.npy --bits 4 --scheme sym --granularity group --group-size 0 --out q.npy
expect_exit 2 "group size -3" w32.npy --bits 4 --scheme sym --granularity group --group-size -3 --out q.npy
expect_exit 2 "group size without group" w32.npy --bits 4 --scheme sym --granularity channel --group-size 32 --out q.npy
expect_exit 2 "stochastic without seed" w32.npy --bits 4 --scheme sym --granularity tensor --rounding stochastic --out q.npy
expect_exit 2 "seed without stochastic" w32.npy --bits 4 --scheme sym --granularity tensor --seed 3 --out q.npy
expect_exit 2 "no --out" w32.npy --bits 4 --scheme sym --granularity tensor
expect_exit 2 "same outputs" w32.npy --bits 4 --scheme sym --granularity tensor --out q.npy --delta-out q.npy
expect_exit 2 "scale underflow" tiny.npy --bits 3 --scheme sym --granularity tensor --out q.npy
grep -q "underflows" err.txt || fail "scale underflow: reason not given ($(cat err.txt))"
expect_exit 2 "range overflow" huge.npy --bits 3 --scheme asym --granularity tensor --out q.npy
grep -q "overflows" err.txt || fail "range overflow: reason not given ($(cat err.txt))"
expect_exit 2 "w_q overflow" dblmax.npy --bits 3 --scheme sym --granularity tensor --out q.npy
grep -q "overflows" err.txt || fail "w_q overflow: reason not given ($(cat err.txt))"
expect_exit 2 "unwritable output" w32.npy --bits 4 --scheme sym --granularity tensor --out no/such/dir/q.npy

# ---- Stochastic rounding: same seed, same bits; another seed, other bits -------------------------
sr() { "$FIMCHECK" quantize w32.npy --bits 3 --scheme asym --granularity channel --rounding stochastic --seed "$1" --out "$2" > /dev/null || fail "stochastic run $1"; }
sr 11 a.npy; sr 11 b.npy; sr 12 c.npy
cmp -s a.npy b.npy || fail "stochastic rounding: seed 11 twice gave different bits"
cmp -s a.npy c.npy && fail "stochastic rounding: seeds 11 and 12 gave the same bits"

# ---- Bit-for-bit against the NumPy reference ----------------------------------------------------
"$PY" "$HERE/quantize_ref.py" "$FIMCHECK" || fail "quantize_ref.py cross-check"

[ "$FAILED" = 0 ] && echo "quantize.sh: all checks passed"
exit "$FAILED"
