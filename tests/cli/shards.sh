#!/usr/bin/env bash
# Score shards (SPEC S13): `--gram MANIFEST.json` and `--gram SHARD...` give the enclosure of the
# single file, bit for bit, and it contains the exact lambda_max; under `mpirun -np 2` the same;
# --per-group's enclosures contain the exact values; bad manifests and shards are refused (exit 2,
# naming the field or the shard). Checked by tests/cli/shards.py (Debian's python3 with numpy).
set -euo pipefail
exec /usr/bin/python3 "$(dirname "$0")/shards.py" "$1"
