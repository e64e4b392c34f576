#!/usr/bin/env bash
# The README's full inflation run (C8), exactly as the README shows it: 12 models x 90 trajectories
# (about 3 minutes on 2 idle cores, so it has a test of its own that runs beside the others instead
# of inside the README test). Checks the figures the README quotes from its output.
# Usage: bash tests/cli/inflation_full.sh /path/to/fimcheck
set -u
FIM=${1:?usage: inflation_full.sh /path/to/fimcheck}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fimcheck-inflation.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/../support/cli.sh"
cd "$tmp" || exit 1

expect_exit 0 "experiment inflation --report inflation-report (README command)" \
  "$FIM" experiment inflation --report inflation-report
grep -q "^12 models x 90 trajectories = 1080 trajectories" "$tmp/out" \
  && ok "  12 models x 90 = 1,080 trajectories" || bad "  $(head -c 300 "$tmp/out")"
grep -q "^Shared baseline .*largest inflation at least 127x, certified in \[127, 128\] (mlp:hidden=32x32,act=gelu,.*4-bit); lambda_base moved up by a factor in \[60.5, 60.6\]; the full-precision threshold flags \[0.997, 0.998\]" "$tmp/out" \
  && ok "  shared baseline leads: at least 127x in [127, 128], lambda_base up by [60.5, 60.6], flags [0.997, 0.998] (as in the README)" \
  || bad "  shared-baseline line differs from the README: $(grep '^Shared' "$tmp/out")"
grep -q "^Own baseline .*largest inflation at least 2.09x" "$tmp/out" \
  && ok "  own baseline second: at least 2.09x (as in the README)" || bad "  own-baseline line: $(grep '^Own' "$tmp/out")"
for f in report.md report.json inflation.svg; do
  [ -s "inflation-report/$f" ] && ok "  wrote inflation-report/$f" || bad "  inflation-report/$f missing"
done
cli_summary
