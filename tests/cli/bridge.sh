#!/usr/bin/env bash
# The PyTorch bridge (python/fimcheck_torch.py, issue 14): exported per-sample scores agree with an
# independent float64 autograd loop, the shards match their manifest, and fimcheck's certified
# lambda_max contains NumPy's float64 value (tests/python/test_bridge.py says how).  Needs Debian's
# /usr/bin/python3 with torch (python3-torch, installed by scripts/deps); skipped only without torch.
# Usage: bash tests/cli/bridge.sh /path/to/fimcheck
set -u
FIMCHECK=${1:?usage: bridge.sh /path/to/fimcheck}
FIMCHECK=$(cd "$(dirname "$FIMCHECK")" && pwd)/$(basename "$FIMCHECK")
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
if ! "$PY" -c "import torch" > /dev/null 2>&1; then
  echo "SKIPPED: $PY cannot import torch (install python3-torch: scripts/deps does)"
  exit 0
fi
"$PY" "$HERE/../python/test_bridge.py" "$FIMCHECK"
