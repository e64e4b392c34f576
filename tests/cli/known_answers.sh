#!/usr/bin/env bash
# fimcheck lambda/spectrum --json on matrices with exactly known eigenvalues, checked in exact
# rationals by tests/cli/known_answers.py (Debian's python3 with numpy writes the inputs).
set -euo pipefail
exec /usr/bin/python3 "$(dirname "$0")/known_answers.py" "$1"
