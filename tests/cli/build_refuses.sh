#!/usr/bin/env bash
# The build refuses value-changing floating-point flags at configure time (non-negotiable 1).
set -u
src="$(cd "$(dirname "$0")/../.." && pwd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
for flags in "-ffast-math" "-O3 -Ofast" "-funsafe-math-optimizations" "-mfpmath=387"; do
  if cmake -S "$src" -B "$tmp/b" -DCMAKE_CXX_FLAGS="$flags" > "$tmp/log" 2>&1; then
    echo "  FAIL configure accepted $flags"; failed=$((failed + 1))
  elif grep -q "fimcheck refuses" "$tmp/log"; then
    echo "  ok   configure refuses $flags"; passed=$((passed + 1))
  else
    echo "  FAIL configure failed for another reason with $flags"; failed=$((failed + 1))
  fi
  rm -rf "$tmp/b"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
