#!/usr/bin/env bash
# Faults while writing (io/atomic_file.hpp): a file-size limit (ulimit -f) gives exit 2 and one
# line naming the file and the reason, with no temporary file left; SIGKILL at random moments of
# `check --report` and `quantize --out`, over an older complete output, never leaves a file that is
# partial or unparseable: each output file is the old one or a complete new one. No assertion on
# time (the kill moments are random; what is checked holds at every moment).
set -u
FIM="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../support/cli.sh"
PY=/usr/bin/python3

# A file-size limit of 1 KiB: the first certificate over it fails, with the file and the reason.
(ulimit -f 1; "$FIM" check weyl --variant half-top --cases 30 --report "$tmp/limited" > "$tmp/out" 2> "$tmp/err")
rc=$?
[ "$rc" -eq 2 ] && ok "ulimit -f 1: exit 2" || bad "ulimit -f 1: exit $rc: $(cat "$tmp/err")"
[ "$(wc -l < "$tmp/err")" -eq 1 ] && grep -q "$tmp/limited/.*: cannot write: File too large" "$tmp/err" \
  && ok "  one line naming the file: $(cat "$tmp/err")" || bad "  message: $(cat "$tmp/err")"
ls "$tmp/limited" | grep -q '\.tmp-' && bad "  a temporary file is left: $(ls "$tmp/limited")" || ok "  no temporary file left"
$PY -c "import json,sys,glob; [json.load(open(f)) for f in glob.glob(sys.argv[1] + '/*.json')]" "$tmp/limited" \
  && ok "  every file written is complete JSON" || bad "  a partial file: $(ls -la "$tmp/limited")"

# complete DIR: every output file of DIR is whole (JSON parses, SVG closed, Markdown not empty).
complete() {
  $PY - "$1" <<'PY'
import glob, json, os, sys
d = sys.argv[1]
for f in sorted(os.listdir(d)):
    p = os.path.join(d, f)
    if ".tmp-" in f:
        continue  # a temporary name is never an output (a SIGKILL may leave one behind)
    data = open(p, "rb").read()
    if f.endswith(".json"):
        json.loads(data)
    elif f.endswith(".svg"):
        assert data.rstrip().endswith(b"</svg>"), f
    elif f.endswith(".md"):
        assert data.endswith(b"\n") and len(data) > 0, f
    elif f.endswith(".npy"):
        import numpy as np
        np.load(p)
PY
}

# killed NAME DIR CMD...: CMD (which writes into DIR) killed 12 times at random moments; every
# output file of DIR must stay whole each time (the old one or a complete new one).
killed() {
  local name=$1 dir=$2 broken=0; shift 2
  for i in $(seq 1 12); do
    "$@" > /dev/null 2>&1 &
    local pid=$!
    sleep "0.0$((RANDOM % 10))$((RANDOM % 10))"
    kill -9 "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
    complete "$dir" 2> "$tmp/why" || { broken=$((broken + 1)); cat "$tmp/why"; }
  done
  [ "$broken" -eq 0 ] && ok "$name killed 12 times at random moments: every file old or complete" \
    || bad "$name: $broken kills left a partial file"
}

# check --report: an old complete report, then runs killed at random moments over it.
"$FIM" check weyl --variant half-top --cases 200 --seed 1 --report "$tmp/rep" > /dev/null 2>&1
complete "$tmp/rep" && ok "the first report is complete" || bad "the first report"
killed "check --report" "$tmp/rep" "$FIM" check weyl --variant half-top --cases 200 --seed 2 --report "$tmp/rep"

# quantize --out: the same for the weights.
$PY -c "import numpy as np; np.save('$tmp/w.npy', np.random.default_rng(1).standard_normal((256, 512)))"
mkdir -p "$tmp/q"
"$FIM" quantize "$tmp/w.npy" --bits 4 --scheme sym --granularity group --out "$tmp/q/wq.npy" --delta-out "$tmp/q/d.npy" > /dev/null
killed "quantize --out" "$tmp/q" "$FIM" quantize "$tmp/w.npy" --bits 3 --scheme sym --granularity group \
  --out "$tmp/q/wq.npy" --delta-out "$tmp/q/d.npy"

# The check catches a partial file: a report.json cut in half is found.
cp -r "$tmp/rep" "$tmp/cut"
head -c 100 "$tmp/rep/report.json" > "$tmp/cut/report.json"
complete "$tmp/cut" 2> /dev/null && bad "a cut report.json passes the check" || ok "a report.json cut in half is caught (the check can fail)"

cli_summary
