#!/usr/bin/env bash
# What a newcomer meets first: --version; an unknown command named, with the closest one and the
# list of commands (exit 2); defaults in every --help; every claim in check --help; where
# experiment inflation writes; and a Weyl run left undecided only by equality cases says so.
set -u
FIM="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../support/cli.sh"

expect_exit 0 "--version" "$FIM" --version
grep -Eq '^fimcheck [0-9]+\.[0-9]+\.[0-9]+ \((with|without) OpenMPI[^)]*\)$' "$tmp/out" && ok "--version prints 'fimcheck X.Y.Z (with|without OpenMPI...)'" || bad "--version printed: $(cat "$tmp/out")"

expect_exit 2 "a misspelt command" "$FIM" lamda --json
grep -Fq "unknown command 'lamda'; did you mean 'lambda'?" "$tmp/err" && ok "names it and suggests lambda" || bad "no suggestion: $(cat "$tmp/err")"
[ "$(wc -l < "$tmp/err")" -eq 1 ] && ok "in one line" || bad "$(wc -l < "$tmp/err") lines on stderr"
[ ! -s "$tmp/out" ] && ok "nothing on stdout" || bad "stdout not empty"
commands="lambda spectrum check verify-cert partition sigma quantize scores audit experiment merge demo"
missing=""
for c in $commands; do grep -Eq "[ ,]$c[,( ]" "$tmp/err" || missing="$missing $c"; done
[ -z "$missing" ] && ok "the message lists every command" || bad "the message lacks:$missing"
expect_exit 2 "a word far from every command" "$FIM" xyzzy
grep -q "did you mean" "$tmp/err" && bad "suggests a command for xyzzy: $(cat "$tmp/err")" || ok "no far-fetched suggestion"
expect_exit 2 "check verify-cert's spelling" "$FIM" verify-crt x.json
grep -Fq "did you mean 'verify-cert'?" "$tmp/err" && ok "suggests verify-cert" || bad "$(cat "$tmp/err")"
# A usage error (a missing, unknown or malformed option) is one line naming the command's --help.
for args in "calibrate --base x" "lambda --bogus x" "check weyl --cases abc"; do
  expect_exit 2 "usage error: $args" "$FIM" $args
  [ "$(wc -l < "$tmp/err")" -eq 1 ] && grep -q "(see fimcheck ${args%% *}.* --help)$" "$tmp/err" \
    && ok "  one line: $(cat "$tmp/err")" || bad "  stderr: $(cat "$tmp/err")"
done
for c in $commands; do  # every command is still reached under its own name
  "$FIM" $c --help > /dev/null 2>&1 && ok "$c --help exits 0" || bad "$c --help fails"
done

# Defaults in --help: one option (or more) per subcommand whose default must be shown, and no
# sentinel shown as if it were a default.
help_has() {  # help_has "SUBCOMMAND WORDS" TEXT...
  local sub=$1; shift
  "$FIM" $sub --help > "$tmp/help" 2>&1
  for want in "$@"; do
    grep -Fq -- "$want" "$tmp/help" && ok "$sub --help shows $want" || bad "$sub --help lacks '$want'"
  done
}
help_has lambda "--max-bits INT:INT in [53 - 4096]=1024" "--rel-width FLOAT:FLOAT in [0 - 1]=1e-10"
help_has spectrum "=1024" "=1e-10"
help_has check "--cases INT:INT in [1 - 10000000]=200" "--seed UINT=1" "--dim TEXT=1..8" "=30" "--variant TEXT=stated"
help_has partition "--coordinate TEXT=sigma"
help_has sigma "--coordinate TEXT=sigma" "=1e-10"
help_has quantize "--rounding TEXT:{nearest,stochastic}=nearest" "--group-size INT=128, nf4: 64"
help_has scores "--fisher TEXT:{data,expected,sampled,argmax}=data" "--seed UINT=0"
help_has "audit monotonicity" "--paths INT:INT in [1 - 1000]=4" "--t-max FLOAT:POSITIVE=4"
help_has "experiment inflation" "=90" "--bits TEXT=2,3,4,8" "=inflation-report" "=0.99"
help_has demo "--out TEXT=demo-report"
"$FIM" --help-all > "$tmp/all" 2>&1
grep -Eq '=(-1|\[\])( |$)' "$tmp/all" && bad "a sentinel shown as a default: $(grep -E '=(-1|\[\])( |$)' "$tmp/all")" || ok "no sentinel (-1, []) shown as a default"
grep -Eq -- '--bits INT=0' "$tmp/all" && bad "quantize --bits shows 0" || ok "quantize --bits shows no made-up default"

# check --help lists every claim, and every claim it lists exists.
"$FIM" check --help > "$tmp/help"
for c in weyl directional remainder genericity approx; do
  grep -q "$c" "$tmp/help" && ok "check --help lists $c" || bad "check --help lacks $c"
done
listed=$(sed -n 's/^  CLAIM TEXT REQUIRED *//p' "$tmp/help" | tr -d '|')
for c in $listed; do expect_exit 0 "claim '$c' from check --help exists" "$FIM" check "$c" --list-variants; done

# experiment inflation says where it writes, in one line, before it runs (also with --json).
expect_exit 0 "a small inflation run" "$FIM" experiment inflation --models "linear:d_in=2,n=32,seed=1" \
  --trajectories 2 --steps 2 --window 4 --reference 8 --bits 4 --report "$tmp/infl" --json
grep -Fxq "fimcheck: experiment inflation writes report.md, report.json and plots to $tmp/infl/" "$tmp/err" \
  && ok "it says where it writes" || bad "no such line: $(head -c 300 "$tmp/err")"
[ -s "$tmp/infl/report.md" ] && ok "and writes there" || bad "no $tmp/infl/report.md"

# A Weyl case left undecided only because both sides agree (lambda_1(A+E) = lambda_1(A) +
# lambda_1(E) to 4096 bits) says so; the same case at 53 bits, where the sides are merely
# close, must not be called an equality case.
tie="every undecided case is a possible equality case"
expect_exit 3 "weyl case 457 (an equality case) is undecided" "$FIM" check weyl --seed 1 --case 457
grep -Fq "$tie" "$tmp/out" && ok "one line says it is an equality case" || bad "no equality line: $(cat "$tmp/out")"
[ "$(grep -c "$tie" "$tmp/out")" -eq 1 ] && ok "exactly one such line" || bad "more than one such line"
grep -Fq "both sides agree to 30 digits" "$tmp/out" && ok "the case itself is marked" || bad "the case is not marked"
expect_exit 3 "the same case at 53 bits" "$FIM" check weyl --seed 1 --case 457 --max-bits 53
grep -Fq "$tie" "$tmp/out" && bad "53 bits cannot show 30 digits of agreement, yet the line is printed" || ok "no equality line at 53 bits"

cli_summary
