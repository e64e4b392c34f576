#!/usr/bin/env bash
# verify-cert against every adversarial class of issue 12 (proofs/verify.md, section 6): forged,
# malformed, inexact or oversized certificates are refused (exit 1 or 2) with one line and no
# crash, and the true certificates of every false variant are confirmed (exit 0).
set -u
FIM="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../support/cli.sh"

mkdir -p "$tmp/certs" "$tmp/forged"
run_check() {  # run_check FOLDER ARGS...: a false variant's certificates, written to certs/FOLDER
  local sub=$1; shift
  "$FIM" check "$@" --seed 1 --report "$tmp/certs/$sub" > /dev/null 2>&1
  ls "$tmp/certs/$sub"/cert-*.json > /dev/null 2>&1 || bad "no certificate from: check $*"
}
for v in index-shift lower-top half-top; do run_check "weyl-$v" weyl --variant "$v" --cases 50; done
for v in upper double bottom; do run_check "directional-$v" directional --variant "$v" --cases 100; done
for v in small-constant fourth-power no-norm-hypothesis; do run_check "remainder-$v" remainder --variant "$v" --cases 300; done
run_check remainder-conjectured remainder --bound "normE^3/gap^2/4" --cases 1000
run_check remainder-three-quarters remainder --variant three-quarters --cases 300 --search --budget-evals 100000
for v in frobenius-norm-as-lower frobenius-ratio-as-upper score-max-without-n power-iteration-upper lanczos-upper; do
  run_check "approx-$v" approx --variant "$v" --cases 300
done

/usr/bin/python3 "$(dirname "$0")/verify_forgeries.py" "$tmp/certs" "$tmp/forged" > "$tmp/list" || bad "forgery generator failed"
while IFS=$'\t' read -r want file name why; do
  "$FIM" verify-cert "$file" > "$tmp/out" 2> "$tmp/err"
  got=$?
  lines=$(cat "$tmp/out" "$tmp/err" | wc -l)
  if [[ "$want" == *"$got"* ]] && [ "$lines" -eq 1 ] && { [ -z "$why" ] || grep -qF -- "$why" "$tmp/out" "$tmp/err"; }; then
    ok "$name (exit $got)"
  else
    bad "$name: exit $got (want $want), $lines lines: $(head -c 300 "$tmp/out" "$tmp/err")"
  fi
done < "$tmp/list"
cli_summary
