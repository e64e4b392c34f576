#!/usr/bin/env python3
"""same_runs.py A B: two runs of fimcheck in folders A and B printed and wrote the same.

Each folder holds a run's stdout in `out` (JSON with --json), its exit code in `rc` (stderr in `err`, if kept, is
compared too) and its report folder `rep/`; each folder's own path, wherever a run printed it, reads
as RUN. Compared: every file, JSON without its "seconds" keys, text with "N s)" timings masked,
everything else (certificates are JSON without times; plots) byte for byte. Exit 0 when they agree,
else one line naming the first file that differs. Used by tests/cli/jobs.sh and tests/cli/shard.sh.
"""
import json
import os
import re
import sys


def timeless(v):
    if isinstance(v, dict): return {k: timeless(x) for k, x in v.items() if k != "seconds"}
    if isinstance(v, list): return [timeless(x) for x in v]
    return v


def normal(top, path):
    data = open(path, "rb").read().replace(top.encode(), b"RUN")  # where the run wrote
    if path.endswith(".json") or (path.endswith("out") and data.startswith(b"{")):  # --json prints JSON
        return json.dumps(timeless(json.loads(data)))
    if path.endswith((".md", "out")): return re.sub(rb"[0-9][0-9.e+-]* s\)", b"T s)", data)
    return data


def files(top):
    return sorted(os.path.relpath(os.path.join(d, f), top) for d, _, fs in os.walk(top) for f in fs)


a, b = sys.argv[1:]
fa, fb = files(a), files(b)
if fa != fb: sys.exit(f"different files: {fa} vs {fb}")
for f in fa:
    if normal(a, os.path.join(a, f)) != normal(b, os.path.join(b, f)): sys.exit(f"{f} differs")
if not any(f.startswith("rep/") for f in fa): sys.exit("no report written")
