#!/usr/bin/env bash
# Bad input (SPEC S11): each malformed or hostile file makes `fimcheck lambda FILE [--json]` exit 2
# with exactly one line on stderr naming the file, no JSON on stdout, and no file written.
# Usage: bash tests/cli/bad_input.sh /path/to/fimcheck
set -u
FIMCHECK=${1:?usage: bad_input.sh /path/to/fimcheck}
FIMCHECK=$(cd "$(dirname "$FIMCHECK")" && pwd)/$(basename "$FIMCHECK")
[ -x "$FIMCHECK" ] || { echo "not executable: $FIMCHECK" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/fimcheck-bad-input.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
CASES=$WORK/cases   # the malformed files, and the working directory of every run
OUT=$WORK/out       # captured stdout and stderr, kept apart from CASES
mkdir -p "$CASES" "$OUT"

# ---- Writing .npy files byte by byte -------------------------------------------------------------

# npy FILE DICT DATA [MAJOR]: magic, version MAJOR.0 (1 by default), header length, DICT padded
# with spaces and '\n' to a multiple of 64 bytes, then DATA (a printf format of the data bytes).
npy() {
  local file=$1 dict=$2 data=$3 major=${4:-1}
  local pre=$((major == 1 ? 10 : 12))
  local pad=$(( (64 - (pre + ${#dict} + 1) % 64) % 64 ))
  local len=$(( ${#dict} + pad + 1 ))
  {
    printf '\x93NUMPY'
    printf "\\x$(printf %02x "$major")\\x00"
    printf "\\x$(printf %02x $((len % 256)))\\x$(printf %02x $((len / 256)))"
    [ "$major" = 1 ] || printf '\x00\x00'
    printf '%s%*s\n' "$dict" "$pad" ''
    printf "$data"
  } > "$CASES/$file"
}

# dict DESCR SHAPE: the header dict numpy writes for a C-order array.
dict() { printf "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" "$1" "$2"; }

# repeat N FORMAT: FORMAT N times.
repeat() { local i out=''; for ((i = 0; i < $1; i++)); do out+=$2; done; printf '%s' "$out"; }

ONE='\x00\x00\x00\x00\x00\x00\xf0\x3f'   # 1.0 as <f8
TWO='\x00\x00\x00\x00\x00\x00\x00\x40'   # 2.0 as <f8
NAN='\x00\x00\x00\x00\x00\x00\xf8\x7f'   # NaN as <f8
INF='\x00\x00\x00\x00\x00\x00\xf0\x7f'   # +inf as <f8

npy ok.npy "$(dict '<f8' '(3, 3)')" "$(repeat 9 "$ONE")"
head -c $(( $(wc -c < "$CASES/ok.npy") - 20 )) "$CASES/ok.npy" > "$CASES/truncated.npy"
head -c 40 "$CASES/ok.npy" > "$CASES/truncated_header.npy"
printf 'PK\x03\x04 not an npy file at all' > "$CASES/bad_magic.npy"
npy bad_header.npy "{'descr': '<f8' 'fortran_order': False, 'shape': (3, 3)}" "$(repeat 9 "$ONE")"
npy int32.npy "$(dict '<i4' '(3, 3)')" "$(repeat 9 '\x01\x00\x00\x00')"
npy three_d.npy "$(dict '<f8' '(2, 2, 2)')" "$(repeat 8 "$ONE")" 2
npy shape_too_big.npy "$(dict '<f8' '(30, 30)')" "$(repeat 9 "$ONE")"
npy huge_shape.npy "$(dict '<f8' '(1000000000000, 1000000000000)')" "$(repeat 9 "$ONE")"
npy nan.npy "$(dict '<f8' '(3, 3)')" "$(repeat 4 "$ONE")$NAN$(repeat 4 "$ONE")"
npy inf.npy "$(dict '<f8' '(3, 3)')" "$(repeat 8 "$ONE")$INF"
npy asymmetric.npy "$(dict '<f8' '(3, 3)')" "$ONE$TWO$(repeat 7 "$ONE")"
npy not_square.npy "$(dict '<f8' '(2, 3)')" "$(repeat 6 "$ONE")"
: > "$CASES/empty.npy"
: > "$CASES/empty.csv"
printf '# comment only\n\n' > "$CASES/no_numbers.csv"
printf '1, 2, 3\n2, 1, 0\n3, 0\n' > "$CASES/ragged.csv"
printf '1, 2\n2, abc\n' > "$CASES/non_numeric.csv"
printf '1, nan\nnan, 1\n' > "$CASES/nan.csv"
printf '1, 2\n2, 1.5abc\n' > "$CASES/trailing_text.csv"
printf '1, 2\n2, 1e5.5\n' > "$CASES/trailing_exponent.csv"
printf '1, 2\n2, 0x10\n' > "$CASES/hex.csv"
printf '1 2\n2 1 x\n' > "$CASES/trailing_word.csv"
printf '1, 2\n2, 1e400\n' > "$CASES/overflow.csv"
printf '1, 2\n3, 1\n' > "$CASES/asymmetric.csv"
printf '1, 0.1\n0.1000000000000000001, 1\n' > "$CASES/asymmetric_decimal.csv"

# Files numpy, pickle and PyTorch write that hold no single float32/float64 array (made with numpy
# when it is there; torch is not needed: a .pt file is a zip archive, or a pickle when old).
HAVE_NUMPY=0
if /usr/bin/python3 -c 'import numpy' 2> /dev/null; then
  HAVE_NUMPY=1
  /usr/bin/python3 - "$CASES" <<'PY'
import os, pickle, sys, zipfile
import numpy as np
d = sys.argv[1]
np.savez(os.path.join(d, "several.npz"), a=np.eye(3), b=np.ones(2))
with zipfile.ZipFile(os.path.join(d, "model.pt"), "w") as z:  # the layout of torch.save
    z.writestr("archive/data.pkl", pickle.dumps({"w": [1.0, 2.0]}, protocol=2))
with open(os.path.join(d, "legacy.pt"), "wb") as f:
    pickle.dump({"w": [1.0, 2.0]}, f, protocol=2)
with open(os.path.join(d, "array.pkl"), "wb") as f:
    pickle.dump(np.eye(3), f, protocol=4)
np.save(os.path.join(d, "half.npy"), np.eye(3, dtype=np.float16))
np.save(os.path.join(d, "scores_1d.npy"), np.array([1.0, 2.0, 3.0]))
import shutil
shutil.copy(os.path.join(d, "several.npz"), os.path.join(d, "npz_named.csv"))
PY
fi

# ---- Running the cases ---------------------------------------------------------------------------

passed=0
failed=0

# check NAME FILE [ARGS...]: runs `fimcheck lambda FILE ARGS` in CASES and checks the contract.
check() {
  local name=$1 file=$CASES/$2
  shift 2
  local before after code lines why=''
  before=$(ls -A "$CASES")
  (cd "$CASES" && "$FIMCHECK" lambda "$file" "$@" > "$OUT/stdout" 2> "$OUT/stderr" < /dev/null)
  code=$?
  after=$(ls -A "$CASES")
  lines=$(wc -l < "$OUT/stderr")
  if [ "$code" != 2 ]; then why="exit code $code, expected 2"
  elif [ "$lines" != 1 ] || [ "$(tail -c 1 "$OUT/stderr" | od -An -c | tr -d ' ')" != '\n' ]; then
    why="stderr has $lines lines, expected exactly one"
  elif ! grep -qF -- "$file" "$OUT/stderr"; then why="stderr does not name the file"
  elif [ "$*" = --json ] && grep -q '[{}]' "$OUT/stdout"; then why="JSON on stdout"
  elif [ "$before" != "$after" ]; then
    local new
    new=$(comm -13 <(echo "$before") <(echo "$after"))
    why="files appeared: $(echo "$new" | tr '\n' ' ')"
    (cd "$CASES" && echo "$new" | xargs -r -d '\n' rm -rf --)  # keep the next cases independent
  fi
  if [ -z "$why" ]; then
    passed=$((passed + 1))
    printf 'ok   %s\n' "$name"
  else
    failed=$((failed + 1))
    printf 'FAIL %s: %s\n     stderr: %s\n' "$name" "$why" "$(head -c 400 "$OUT/stderr" | tr '\n' '|')"
  fi
}

for args in "" "--json"; do
  suffix=${args:+ $args}
  check "truncated npy$suffix" truncated.npy $args
  check "truncated npy header$suffix" truncated_header.npy $args
  check "bad magic$suffix" bad_magic.npy $args
  check "bad header$suffix" bad_header.npy $args
  check "unsupported dtype <i4$suffix" int32.npy $args
  check "3-D shape$suffix" three_d.npy $args
  check "declared shape larger than the file$suffix" shape_too_big.npy $args
  check "huge declared shape$suffix" huge_shape.npy $args
  check "NaN entry$suffix" nan.npy $args
  check "inf entry$suffix" inf.npy $args
  check "non-symmetric npy$suffix" asymmetric.npy $args
  check "non-square npy$suffix" not_square.npy $args
  check "empty npy$suffix" empty.npy $args
  check "empty csv$suffix" empty.csv $args
  check "csv without numbers$suffix" no_numbers.csv $args
  check "ragged csv$suffix" ragged.csv $args
  check "non-numeric csv cell$suffix" non_numeric.csv $args
  check "nan csv cell$suffix" nan.csv $args
  check "csv cell with trailing text$suffix" trailing_text.csv $args
  check "csv cell 1e5.5$suffix" trailing_exponent.csv $args
  check "csv hex cell$suffix" hex.csv $args
  check "csv row with a trailing word$suffix" trailing_word.csv $args
  check "overflowing csv cell$suffix" overflow.csv $args
  check "non-symmetric csv$suffix" asymmetric.csv $args
  check "non-symmetric csv decimals$suffix" asymmetric_decimal.csv $args
done

# hint NAME WORD FILE [ARGS...]: the one stderr line of `fimcheck lambda FILE ARGS` holds WORD.
hint() {
  local name=$1 word=$2 file=$CASES/$3
  shift 3
  (cd "$CASES" && "$FIMCHECK" lambda "$file" "$@" > "$OUT/stdout" 2> "$OUT/stderr" < /dev/null)
  if grep -qF -- "$word" "$OUT/stderr"; then passed=$((passed + 1)); printf 'ok   %s\n' "$name"
  else failed=$((failed + 1)); printf 'FAIL %s: stderr lacks %s: %s\n' "$name" "$word" "$(cat "$OUT/stderr")"; fi
}

if [ "$HAVE_NUMPY" = 1 ]; then
  for args in "" "--gram"; do
    suffix=${args:+ $args}
    check ".npz archive$suffix" several.npz $args
    check ".npz archive named .csv$suffix" npz_named.csv $args
    check "PyTorch .pt (zip)$suffix" model.pt $args
    check "legacy PyTorch .pt (pickle)$suffix" legacy.pt $args
    check "pickle of an array$suffix" array.pkl $args
    check "float16 npy$suffix" half.npy $args
    hint ".npz: hint np.save$suffix" "np.save(path, array)" several.npz $args
    hint ".npz named .csv: zip, not CSV$suffix" "zip archive" npz_named.csv $args
    hint ".pt: hint np.save$suffix" "np.save(path, array)" model.pt $args
    hint "pickle: named$suffix" "Python pickle" array.pkl $args
    hint "float16: hint astype$suffix" "astype(np.float32)" half.npy $args
  done
  check "1-D scores with --gram" scores_1d.npy --gram
  check "1-D scores with --gram --json" scores_1d.npy --gram --json
  hint "1-D scores: hint reshape(1, -1)" "reshape(1, -1)" scores_1d.npy --gram
  hint "1-D scores: hint reshape(-1, 1)" "reshape(-1, 1)" scores_1d.npy --gram
else
  echo "numpy not found: the .npz, .pt, pickle and float16 cases are skipped"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
