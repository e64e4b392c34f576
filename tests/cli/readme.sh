#!/usr/bin/env bash
# Every fimcheck command README.md shows, run in a fresh temporary folder and checked against the
# exit code and output the README shows (the convention is in readme.py). The checker is first
# checked itself on a made-up README whose wrong lines it must report.
set -u
here=$(dirname "$0")
/usr/bin/python3 "$here/readme.py" "$1" --self-test || exit 1
exec /usr/bin/python3 "$here/readme.py" "$1"
