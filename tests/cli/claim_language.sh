#!/usr/bin/env bash
# check --claim TEXT (a user's own inequality, proofs/claim-language.md) from the command line:
# a malformed claim exits 2 with one line naming the option and the position, and runs nothing;
# a true claim exits 0 with every case HOLDS; a false one exits 1 with a counterexample whose
# certificate verify-cert confirms (exit 0) and whose reproducing command gives VIOLATED again; a
# certificate with the claim's text edited to a true claim is not confirmed (exit 1); --given counts
# HYPOTHESIS_FAILS and never a counterexample; --psd, --eigenbasis, --search, --json,
# --list-variants work with --claim; 3 slices merged equal one run. No assertion on time.
set -u
FIM="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../support/cli.sh"

# refused CLAIM POSITION WORDS: exit 2, one line naming --claim and the position, nothing written.
refused() {
  expect_exit 2 "malformed claim '$1'" "$FIM" check --claim "$1" --report "$tmp/never"
  if [ "$(wc -l < "$tmp/err")" -eq 1 ] && grep -q -- "--claim: position $2: .*$3" "$tmp/err"; then ok "  one line: $(cat "$tmp/err")"
  else bad "  message: $(cat "$tmp/err")"; fi
  [ -e "$tmp/never" ] && bad "  a report was written" || ok "  nothing written"
}
refused 'lambda(1, A*E) <= lambda(1, A)' 11 'not symmetric: write sym(A\*E)'
refused 'lamda(1, A) <= 0' 1 "unknown name 'lamda'"
refused 'lambda(2, A) <= 0' 8 'outside 1..n for n = 1'
refused 'gap(A) > 0' 1 'n >= 2'
refused 'lambda(1, A) <= 1/(2-2)' 19 'division by zero'
refused 'forall i in 1..n lambda(i, A) <= 0' 18 "expected ':'"
refused 'lambda(1, A) <= ' 17 ''
refused 'sum(i in 1..n/2: lambda(i, A)) <= 1' 13 'upper bound of sum is 1/2, not an integer'
expect_exit 2 "CLAIM and --claim together" "$FIM" check weyl --claim 'norm(A) >= 0'
expect_exit 2 "--given without --claim" "$FIM" check weyl --given 'norm(A) >= 0'
expect_exit 2 "--psd names no matrix of the language" "$FIM" check --claim 'norm(A) >= 0' --psd Q
expect_exit 2 "--variant other than stated with --claim" "$FIM" check --claim 'norm(A) >= 0' --variant half-top
expect_exit 2 "a malformed --given" "$FIM" check --claim 'norm(A) >= 0' --given 'norm(Q) > 0'
grep -q -- "--given: position 6" "$tmp/err" && ok "  names --given and its position" || bad "  message: $(cat "$tmp/err")"

WEYL='forall i, j in 1..n with i + j - 1 <= n: lambda(i+j-1, A+E) <= lambda(i, A) + lambda(j, E)'
expect_exit 0 "Weyl in the language holds" "$FIM" check --claim "$WEYL" --cases 100
grep -q "HOLDS 100  VIOLATED 0  UNDECIDED 0  HYPOTHESIS_FAILS 0" "$tmp/out" && ok "  HOLDS on all 100 cases" || bad "  $(cat "$tmp/out")"
expect_exit 0 "--list-variants with --claim" "$FIM" check --claim "$WEYL" --list-variants
grep -q "^stated  (your claim)" "$tmp/out" && ok "  one variant, stated, your claim" || bad "  $(cat "$tmp/out")"
KYFAN='forall k in 1..n: sum(i in 1..k: lambda(i, A+E)) <= sum(i in 1..k: lambda(i, A)) + sum(i in 1..k: lambda(i, E))'
"$FIM" check --claim "$KYFAN" --cases 100 > "$tmp/out" 2> "$tmp/err"
grep -q "VIOLATED 0 " "$tmp/out" && grep -q "HOLDS 9[0-9] " "$tmp/out" && ok "Ky Fan for every k, with sums, is never violated" || bad "Ky Fan: $(cat "$tmp/out" "$tmp/err")"

# A false claim: certificate confirmed, reproduced, and an edited certificate not confirmed.
GAP='gap(A+E) >= gap(A) - norm(E)'
expect_exit 1 "the gap under perturbation with the wrong constant is refuted" \
  "$FIM" check --claim "$GAP" --dim 2..8 --report "$tmp/gap"
cert=$(ls "$tmp/gap" | grep '^cert-' | head -1)
[ -n "$cert" ] && ok "  a certificate was written ($cert)" || bad "  no certificate in $(ls "$tmp/gap")"
expect_exit 0 "verify-cert confirms it" "$FIM" verify-cert "$tmp/gap/$cert"
grep -q "CONFIRMED" "$tmp/out" && ok "  $(head -c 200 "$tmp/out")" || bad "  $(cat "$tmp/out")"
repro=$(/usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['counterexamples'][0]['reproduce'])" "$tmp/gap/report.json")
eval "\"\$FIM\" ${repro#fimcheck }" > "$tmp/out" 2> "$tmp/err"
[ $? -eq 1 ] && grep -q "VIOLATED" "$tmp/out" && ok "the reproducing command gives VIOLATED: $repro" || bad "reproduce: $repro: $(cat "$tmp/out" "$tmp/err")"
/usr/bin/python3 - "$tmp/gap/$cert" "$tmp/edited.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["statement"] = "gap(A+E) >= gap(A) - 2*norm(E)"  # Weyl: true for every case
json.dump(c, open(sys.argv[2], "w"))
PY
expect_exit 1 "a certificate edited to name a true claim is not confirmed" "$FIM" verify-cert "$tmp/edited.json"

# --given: a failed hypothesis is HYPOTHESIS_FAILS, never a counterexample.
expect_exit 0 "--given counts the cases outside the hypothesis" \
  "$FIM" check --claim 'gap(A+E) >= gap(A) - 2*norm(E)' --given 'gap(A) > 2*norm(E)' --dim 2..8 --cases 100
grep -q "HYPOTHESIS_FAILS [1-9]" "$tmp/out" && grep -q "VIOLATED 0" "$tmp/out" && grep -q "hypothesis fails: the given is false" "$tmp/out" \
  && ok "  $(head -1 "$tmp/out" | cut -c1-160)" || bad "  $(cat "$tmp/out")"

# --psd: tr(AE) >= 0 for positive semidefinite A and E, false without.
expect_exit 0 "--psd A --psd E: trace(sym(A*E)) >= 0 holds" "$FIM" check --claim 'trace(sym(A*E)) >= 0' --psd A --psd E --cases 100
expect_exit 1 "without --psd it is refuted" "$FIM" check --claim 'trace(sym(A*E)) >= 0' --cases 100

# --eigenbasis A: directional (C2) restated, every case HOLDS or HYPOTHESIS_FAILS (repeated top).
expect_exit 0 "directional in the language, --eigenbasis A" \
  "$FIM" check --claim 'lambda(1, A+E) >= lambda(1, A) + rayleigh(A, E)' --eigenbasis A --cases 100
grep -q "VIOLATED 0  UNDECIDED 0" "$tmp/out" && grep -q "top eigenvalue is not simple" "$tmp/out" \
  && ok "  $(head -1 "$tmp/out" | cut -c1-160)" || bad "  $(cat "$tmp/out")"

# --search: a false claim the seeded cases miss is found by the targeted search and certified.
expect_exit 1 "--search finds and certifies a counterexample" \
  "$FIM" check --claim "$GAP" --dim 2..4 --cases 5 --search --budget-evals 5000 --report "$tmp/search"
[ -f "$tmp/search/cert-search.json" ] && ok "  cert-search.json written" || bad "  $(ls "$tmp/search")"
expect_exit 0 "  verify-cert confirms it" "$FIM" verify-cert "$tmp/search/cert-search.json"

# abs, min, max, or, division, powers and n, end to end: a true claim holds on every case, a false
# one is refuted with a certificate verify-cert confirms.
expect_exit 0 "a true claim with abs, min, max, or, / and n holds" \
  "$FIM" check --claim 'abs(lambda(1, A)) <= 2*norm(A) + 1 and min(lambda_min(A), 0) >= -2*norm(A) - 1 and (trace(A)/n <= lambda(1, A) + 1 or n > 100)' --cases 100
grep -q "HOLDS 100 " "$tmp/out" && ok "  HOLDS on all 100 cases" || bad "  $(head -c 400 "$tmp/out")"
expect_exit 1 "a false one is refuted" "$FIM" check --claim 'abs(lambda(1, A)) <= max(norm(E), lambda_min(A)) or fro(A) < min(norm(A), 1)^2/2' \
  --dim 2..6 --cases 100 --report "$tmp/ops"
cert=$(ls "$tmp/ops" | grep '^cert-' | head -1)
expect_exit 0 "  verify-cert confirms its certificate" "$FIM" verify-cert "$tmp/ops/$cert"

# --json carries the claim's text; slices merged equal one run.
expect_exit 1 "--json" "$FIM" check --claim "$GAP" --dim 2..8 --cases 60 --json
/usr/bin/python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(not (j['claim']=='user' and j['statement']==sys.argv[2] and j['counts']['VIOLATED']>0))" \
  "$tmp/out" "$GAP" && ok "  claim 'user', the statement as given, VIOLATED counted" || bad "  $(head -c 300 "$tmp/out")"
report_run "$tmp/one" check --claim "$GAP" --dim 2..8 --cases 200
for i in 0 1 2; do
  "$FIM" check --claim "$GAP" --dim 2..8 --cases 200 --shard "$i/3" --report "$tmp/s$i" > /dev/null 2>&1 \
    || bad "slice $i/3 exit $?"
done
mkdir -p "$tmp/merged"
"$FIM" merge "$tmp/merged/rep" "$tmp/s2" "$tmp/s0" "$tmp/s1" > "$tmp/merged/out" 2> "$tmp/merged.err"
echo $? > "$tmp/merged/rc"
if why=$(same_runs "$tmp/one" "$tmp/merged" 2>&1); then ok "3 slices of --claim merged = one run (exit $(cat "$tmp/one/rc"))"
else bad "merge of --claim slices: $why $(head -c 300 "$tmp/merged.err")"; fi

cli_summary
