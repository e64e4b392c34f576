#!/usr/bin/env bash
# Every number on the command line is read whole by the one strict reader: trailing text after a
# number (--at, --classify, --dim, --bits, --rel-width, --max-bits, SPEC values) is refused with
# exit 2, one line on stderr naming the option, and nothing on stdout.
# Usage: bash tests/cli/numbers.sh /path/to/fimcheck
set -u
FIM=${1:?usage: numbers.sh /path/to/fimcheck}
POL=$(cd "$(dirname "$0")/policies" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fimcheck-numbers.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/../support/cli.sh"
printf '2, 0\n0, 1\n' > "$tmp/a.csv"

refused() {  # refused NAME WORD CMD...: exit 2, WORD on stderr, nothing on stdout
  local name=$1 word=$2; shift 2
  expect_exit 2 "$name" "$@"
  grep -qF -- "$word" "$tmp/err" || bad "$name: stderr lacks '$word': $(cat "$tmp/err")"
  [ -s "$tmp/out" ] && bad "$name: wrote to stdout"
}
C=$POL/complete.json
refused "sigma --at bits=4x" "--at" "$FIM" sigma --base "$tmp/a.csv" "$tmp/a.csv" --policy "$C" --at bits=4x
refused "sigma --at bits=4e0.5" "--at" "$FIM" sigma --base "$tmp/a.csv" "$tmp/a.csv" --policy "$C" --at bits=4e0.5
refused "partition --at hyp=true --at bits=4.5.0" "--at" "$FIM" partition "$C" --classify 1 --at bits=4.5.0
refused "partition --classify 1e5.5" "--classify" "$FIM" partition "$C" --classify 1e5.5
refused "partition --classify 1,2abc" "--classify" "$FIM" partition "$C" --classify 1,2abc
refused "check --dim 3x..5" "--dim" "$FIM" check weyl --dim 3x..5 --cases 1
refused "check --dim 3..5x" "--dim" "$FIM" check weyl --dim 3..5x --cases 1
refused "experiment --bits 4x" "--bits" "$FIM" experiment inflation --bits 4x --report "$tmp/never"
refused "lambda --rel-width 1e-3x" "--rel-width" "$FIM" lambda "$tmp/a.csv" --rel-width 1e-3x
refused "lambda --max-bits 100x" "--max-bits" "$FIM" lambda "$tmp/a.csv" --max-bits 100x
refused "SPEC lr=1e-3x" "lr" "$FIM" scores --model mlp:d_in=2,n=4,lr=1e-3x --out "$tmp/never.npy"
refused "SPEC n=4x" "'n'" "$FIM" scores --model mlp:d_in=2,n=4x --out "$tmp/never.npy"
[ -e "$tmp/never.npy" ] || [ -e "$tmp/never" ] && bad "an output was written" || ok "no output written"
# A policy nested 200000 levels deep (400 kB) is refused at once instead of keeping a path per level.
/usr/bin/python3 -c "d = 200000; open('$tmp/deep.json', 'w').write('{\"x\":' + '[' * d + ']' * d + '}')"
refused "partition: a policy nested 200000 levels deep" "nested deeper than 32 levels" "$FIM" partition "$tmp/deep.json"

# The same options read well-formed numbers (so the refusals above are about the trailing text).
expect_exit 0 "partition --classify 1e-1,1.2e0 --at bits=4 --at hyp=true" \
  "$FIM" partition "$C" --classify 1e-1,1.2e0 --at bits=4 --at hyp=true
expect_exit 0 "lambda --rel-width 1e-3 --max-bits 100" "$FIM" lambda "$tmp/a.csv" --rel-width 1e-3 --max-bits 100
cli_summary
