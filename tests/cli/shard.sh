#!/usr/bin/env bash
# --shard I/N + fimcheck merge give what one run gives: for check (a claim as stated; a false
# variant with counterexamples in several slices; --json; more slices than cases), audit
# monotonicity (direction paths, the one mixture path) and experiment inflation, the three slices
# 0/3, 1/3, 2/3 merged (given out of order) print the same lines with the same exit code and write
# the same report files and certificates as the single run (times aside: tests/support/same_runs.py).
# Refused with exit 2 and one line: a bad I/N, --shard without --report, --shard with --search or
# --case, and merges of a missing, duplicated or foreign slice (another seed, another N, another
# version, edited arguments), which write nothing. The comparison is shown to catch a merged count
# that differs from the single run's. When mpirun is there and fimcheck was built with OpenMPI, a run
# on 2 and 3 ranks equals one process. No assertion on time.
set -u
FIM="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../support/cli.sh"
# slices DIR N ARGS...: slices 0/N .. N-1/N into DIR/s0 .. DIR/sN-1 (each must exit 0).
slices() {
  local dir=$1 n=$2; shift 2
  mkdir -p "$dir"
  for ((i = 0; i < n; i++)); do
    "$FIM" "$@" --shard "$i/$n" --report "$dir/s$i" --jobs 1 > "$dir/s$i.out" 2> "$dir/s$i.err" \
      || bad "slice $i/$n of $*: exit $?: $(head -c 300 "$dir/s$i.err")"
  done
}

# merged DIR SLICE...: fimcheck merge DIR/rep SLICE...; stdout in DIR/out, exit code in DIR/rc.
merged() {
  local dir=$1; shift
  mkdir -p "$dir"
  "$FIM" merge "$dir/rep" "$@" > "$dir/out" 2> "$dir.err"
  echo $? > "$dir/rc"
}

# compare NAME ARGS...: three slices merged (out of order) agree with the single run.
compare() {
  local name=$1; shift
  local d="$tmp/$(printf %s "$name" | tr -c 'a-zA-Z0-9' _)"
  report_run "$d/one" "$@"
  slices "$d" 3 "$@"
  merged "$d/merged" "$d/s2" "$d/s0" "$d/s1"
  if why=$(same_runs "$d/one" "$d/merged" 2>&1); then ok "$name: 3 slices merged = one run (exit $(cat "$d/one/rc"))"
  else bad "$name: $why; merge said: $(head -c 300 "$d/merged.err")"; fi
}

W="weyl --cases 200 --seed 1"
compare "check weyl" check $W
compare "check weyl --variant half-top" check $W --variant half-top
d="$tmp/check_weyl___variant_half_top"
n=$(ls "$d/one/rep" | grep -c '^cert-')
[ "$n" -ge 2 ] && ok "  half-top: $n certificates compared byte for byte" || bad "  half-top: $n certificates"
/usr/bin/python3 - "$d" <<'PY' && ok "  its counterexamples come from more than one slice" || bad "  all counterexamples in one slice"
import json, sys
d = sys.argv[1]
with_cx = [i for i in range(3) if json.load(open(f"{d}/s{i}/slice.json"))["result"]["counterexamples"]]
sys.exit(len(with_cx) < 2)
PY
compare "check weyl --variant half-top --json" check $W --variant half-top --json
compare "check directional, 2 cases in 3 slices" check directional --cases 2 --seed 3
compare "check remainder --variant small-constant" check remainder --variant small-constant --cases 150 --seed 2
M=logistic:d_in=8,n=256,seed=1
compare "audit monotonicity, 3 direction paths" audit monotonicity --model "$M" --paths 3 --grid 8 --t-max 20 --continuous
compare "audit monotonicity, the mixture path" audit monotonicity --model "$M" --path mixture --grid 8
compare "experiment inflation, one model" experiment inflation --models "logistic:d_in=8,n=256,seed=3" \
  --trajectories 5 --ood-trajectories 2 --steps 4 --window 8 --bits 4,8

# The comparison catches a merged count that differs from the single run's: one HOLDS more in a slice.
d="$tmp/check_weyl"
cp -r "$d/s1" "$tmp/forged"
/usr/bin/python3 - "$tmp/forged/slice.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
j["result"]["counts"][0] += 1
json.dump(j, open(sys.argv[1], "w"))
PY
merged "$tmp/forged_merge" "$d/s0" "$tmp/forged" "$d/s2"
same_runs "$d/one" "$tmp/forged_merge" > /dev/null 2>&1 && bad "a merge with a forged count compares equal to the run" \
  || ok "a merge with one HOLDS added to a slice compares different (the comparison can fail)"

# Refusals: exit 2, one line on stderr, nothing written.
one_line() {  # one_line NAME PATTERN: stderr of the last expect_exit is one line matching PATTERN
  [ "$(wc -l < "$tmp/err")" -eq 1 ] && grep -q -- "$2" "$tmp/err" && ok "  $1: $(cat "$tmp/err")" \
    || bad "  $1: stderr: $(cat "$tmp/err")"
}
for bad_shard in 3/3 -1/3 1/0 a/b 1 1/3/4 01/3 " 1/3"; do
  expect_exit 2 "--shard '$bad_shard' is refused" "$FIM" check weyl --cases 10 --shard "$bad_shard" --report "$tmp/x"
  one_line "names --shard" "shard"
done
[ -e "$tmp/x" ] && bad "a refused --shard wrote $tmp/x" || ok "no refused --shard wrote anything"
expect_exit 2 "--shard without --report" "$FIM" check weyl --cases 10 --shard 0/2
one_line "says why" "--report: missing"
expect_exit 2 "--shard with --search" "$FIM" check weyl --cases 10 --search --budget-evals 100 --shard 0/2 --report "$tmp/x"
one_line "says why" "--search: cannot be split"
expect_exit 2 "--shard with --case" "$FIM" check weyl --case 3 --shard 0/2 --report "$tmp/x"
one_line "says why" "--case: cannot be split"
s="$tmp/check_weyl"
expect_exit 2 "merge with slice 2/3 missing" "$FIM" merge "$tmp/m1" "$s/s0" "$s/s1"
one_line "names the missing slice" "slice 2/3 .*missing"
expect_exit 2 "merge with slice 1/3 twice" "$FIM" merge "$tmp/m2" "$s/s0" "$s/s1" "$s/s1" "$s/s2"
one_line "names the duplicated slice" "$s/s1.*twice"
slices "$tmp/seed2" 3 check weyl --cases 200 --seed 2
expect_exit 2 "merge with a slice of another seed" "$FIM" merge "$tmp/m3" "$s/s0" "$tmp/seed2/s1" "$s/s2"
one_line "names the foreign slice and the argument" "$tmp/seed2/s1.*different run.*seed"
slices "$tmp/two" 2 check $W
expect_exit 2 "merge with a slice of 2 among slices of 3" "$FIM" merge "$tmp/m4" "$s/s0" "$tmp/two/s1" "$s/s2"
one_line "names it" "$tmp/two/s1"
cp -r "$s/s2" "$tmp/old"
sed -i 's/"fimcheck": *"[^"]*"/"fimcheck": "0.0.1"/' "$tmp/old/slice.json"
expect_exit 2 "merge with a slice of another fimcheck version" "$FIM" merge "$tmp/m5" "$s/s0" "$s/s1" "$tmp/old"
one_line "names it and the version" "$tmp/old.*fimcheck 0.0.1"
cp -r "$s/s2" "$tmp/edited"
sed -i 's/"seed": *1/"seed": 7/' "$tmp/edited/slice.json"
expect_exit 2 "merge with a slice whose arguments were edited" "$FIM" merge "$tmp/m6" "$s/s0" "$s/s1" "$tmp/edited"
one_line "names it" "$tmp/edited.*fingerprint"
expect_exit 2 "merge of a folder that holds no slice" "$FIM" merge "$tmp/m7" "$tmp"
one_line "names it" "$tmp"
ls -d "$tmp"/m[0-9] > /dev/null 2>&1 && bad "a refused merge wrote its OUT_DIR" || ok "no refused merge wrote anything"

# Under mpirun the split and the merge happen by themselves.
if command -v mpirun > /dev/null && ldd "$FIM" | grep -q libmpi; then
  mpi() { mpirun --allow-run-as-root --oversubscribe -np "$@"; }
  for np in 2 3; do
    for args in "check $W" "check $W --variant half-top" \
                "audit monotonicity --model $M --paths 3 --grid 8 --t-max 20 --continuous"; do
      name="mpirun -np $np fimcheck $args"
      d="$tmp/mpi$np/$(printf %s "$args" | tr -c 'a-zA-Z0-9' _)"
      mkdir -p "$d"
      mpi "$np" "$FIM" $args --report "$d/rep" > "$d/out" 2> "$d.err"
      echo $? > "$d/rc"
      case "$args" in
        "check $W") one="$tmp/check_weyl/one" ;;
        "check $W --variant half-top") one="$tmp/check_weyl___variant_half_top/one" ;;
        audit*) one="$tmp/audit_monotonicity__3_direction_paths/one" ;;
      esac
      if why=$(same_runs "$one" "$d" 2>&1); then ok "$name = one process (exit $(cat "$d/rc"))"
      else bad "$name: $why: $(head -c 300 "$d.err")"; fi
    done
  done
  E="experiment inflation --models logistic:d_in=8,n=256,seed=3 --trajectories 5 --ood-trajectories 2 --steps 4 --window 8 --bits 4,8"
  d="$tmp/mpi2/experiment"
  mkdir -p "$d"
  mpi 2 "$FIM" $E --report "$d/rep" > "$d/out" 2> "$d.err"
  echo $? > "$d/rc"
  if why=$(same_runs "$tmp/experiment_inflation__one_model/one" "$d" 2>&1); then ok "mpirun -np 2 fimcheck $E = one process"
  else bad "mpirun -np 2 fimcheck $E: $why: $(head -c 300 "$d.err")"; fi
  # Ranks started with different arguments (mpirun's A : B form): rank 0 refuses the foreign rank's
  # slice, naming it, and no rank is left waiting (timeout: a guard against a hang, not a measurement).
  expect_exit 2 "ranks of different runs are refused" timeout 300 mpirun --allow-run-as-root --oversubscribe \
    -np 1 "$FIM" check weyl --cases 20 --seed 1 : -np 1 "$FIM" check weyl --cases 20 --seed 2
  grep -q "rank 1: slice 1/2: is from a different run than rank 0 (argument 'seed' differs)" "$tmp/err" \
    && ok "  rank 0 names rank 1 and the argument" || bad "  stderr: $(head -c 300 "$tmp/err")"
  expect_exit 2 "mpirun with --shard is refused" mpi 2 "$FIM" check weyl --cases 10 --shard 0/2 --report "$tmp/x"
else
  echo "  skip mpirun: $(command -v mpirun > /dev/null && echo "fimcheck was built without OpenMPI" || echo "no mpirun")"
fi
cli_summary
