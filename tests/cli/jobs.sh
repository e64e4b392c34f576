#!/usr/bin/env bash
# --jobs changes how fast, never what: check (every claim, as stated and a false variant with its
# counterexamples and certificates), audit monotonicity and experiment inflation print and write the
# same with --jobs 1 and --jobs 2. Compared: stdout, every report file (JSON without its "seconds",
# text with "N s)" timings masked) and every certificate byte for byte. The comparison is shown to
# fail on two runs that do differ (another seed). No assertion on time.
set -u
FIM="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../support/cli.sh"

# compare NAME ARGS...: the run with --jobs 1 and with --jobs 2 agree.
compare() {
  local name=$1; shift
  local d="$tmp/$(printf %s "$name" | tr -c 'a-zA-Z0-9' _)"
  report_run "$d/1" "$@" --jobs 1
  report_run "$d/2" "$@" --jobs 2
  if why=$(same_runs "$d/1" "$d/2" 2>&1); then ok "$name: --jobs 1 and 2 agree (exit $(cat "$d/1/rc"))"
  else bad "$name: $why"; fi
}

for claim_variant in weyl:half-top directional:upper remainder:small-constant genericity:per-draw \
                     approx:frobenius-norm-as-lower; do
  claim=${claim_variant%%:*} variant=${claim_variant#*:}
  "$FIM" check "$claim" --list-variants | grep -q "^$variant  (false variant)" || bad "$variant is no false variant of $claim"
  compare "check $claim" check "$claim" --cases 300 --seed 1
  compare "check $claim --variant $variant" check "$claim" --variant "$variant" --cases 300 --seed 1
done
d="$tmp/check_weyl___variant_half_top"
n=$(ls "$d/1/rep" | grep -c '^cert-')
[ "$n" -ge 2 ] && ok "  weyl half-top wrote $n certificates, compared byte for byte" || bad "  weyl half-top: $n certificates"
grep -q -- "--jobs" "$d/1/rep/report.json" "$d/1/out" && bad "  the job count is recorded" || ok "  the job count is recorded nowhere"
compare "check genericity --noise M2" check genericity --noise M2 --cases 100 --seed 1
compare "audit monotonicity, 3 direction paths, continuous" \
  audit monotonicity --model logistic:d_in=8,n=256,seed=1 --paths 3 --grid 8 --t-max 20 --continuous
compare "audit monotonicity, mixture path" audit monotonicity --model logistic:d_in=8,n=256,seed=1 --path mixture --grid 8
compare "experiment inflation, one model" experiment inflation --models "logistic:d_in=8,n=256,seed=3" \
  --trajectories 6 --ood-trajectories 2 --steps 4 --window 8 --bits 4,8

# The comparison itself can fail: two seeds, otherwise the same run.
report_run "$tmp/seed1" check weyl --variant half-top --cases 300 --seed 1 --jobs 2
report_run "$tmp/seed2" check weyl --variant half-top --cases 300 --seed 2 --jobs 2
same_runs "$tmp/seed1" "$tmp/seed2" > /dev/null 2>&1 && bad "runs with seeds 1 and 2 compare equal" \
  || ok "runs with seeds 1 and 2 compare different (the comparison can fail)"

expect_exit 2 "--jobs 0 is refused" "$FIM" check weyl --cases 10 --jobs 0
"$FIM" check --help | grep -q -- "--jobs.*every core" && ok "check --help shows the default: every core" \
  || bad "check --help does not show --jobs' default"
cli_summary
