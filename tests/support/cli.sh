# Shared by the CLI test scripts (tests/cli/*.sh): counters, ok/bad lines, and expect_exit, which
# runs a command with stdout in $tmp/out and stderr in $tmp/err and checks its exit code.
# The sourcing script sets FIM and creates $tmp first; it prints the totals with cli_summary.
passed=0 failed=0
export PYTHONPATH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)${PYTHONPATH:+:$PYTHONPATH}"  # exact_oracle.py
ok() { echo "  ok   $1"; passed=$((passed + 1)); }
bad() { echo "  FAIL $1"; failed=$((failed + 1)); }
expect_exit() {  # expect_exit CODE NAME CMD...
  local want=$1 name=$2; shift 2
  "$@" > "$tmp/out" 2> "$tmp/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok "$name (exit $got)"; else bad "$name: exit $got, expected $want: $(head -c 300 "$tmp/err")"; fi
}
cli_summary() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
# report_run DIR ARGS...: fimcheck ARGS --report DIR/rep; stdout in DIR/out, stderr in DIR.err,
# exit code in DIR/rc (tests/cli/jobs.sh and shard.sh compare such folders with same_runs).
report_run() {
  local dir=$1; shift
  mkdir -p "$dir"
  "$FIM" "$@" --report "$dir/rep" > "$dir/out" 2> "$dir.err"
  echo $? > "$dir/rc"
}
# same_runs A B: the runs in folders A and B agree (tests/support/same_runs.py), else say how not.
same_runs() { /usr/bin/python3 "$(dirname "${BASH_SOURCE[0]}")/same_runs.py" "$1" "$2"; }
