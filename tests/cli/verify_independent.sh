#!/usr/bin/env bash
# The verifier's trusted base is src/verify alone (proofs/verify.md, section 1): every #include of a
# file there names a file of src/verify, a standard library header, GMP (<gmp.h>, <gmpxx.h>,
# Boost.Multiprecision's gmp backend) or <nlohmann/json.hpp>. Anything else fails this test; a copy
# of src/verify with one include of the checker added shows that the check can fail.
# Argument: the fimcheck binary (unused; every CLI test gets it).
set -u
src="$(cd "$(dirname "$0")/../../src/verify" && pwd)"
std='algorithm|array|cassert|cctype|cmath|cstddef|cstdint|cstdio|cstdlib|cstring|exception|fstream|functional|initializer_list|iomanip|ios|iosfwd|iostream|istream|iterator|limits|map|memory|new|optional|ostream|set|sstream|stdexcept|string|string_view|tuple|type_traits|unordered_map|unordered_set|utility|variant|vector'
allowed="^<(${std}|gmp\.h|gmpxx\.h|boost/multiprecision/gmp\.hpp|nlohmann/json\.hpp)>\$"

# check_dir DIR: prints each include of DIR/*.cpp, *.hpp outside the base; fails if there is one.
check_dir() {
  local dir=$1 bad=0 f inc
  for f in "$dir"/*.cpp "$dir"/*.hpp; do
    [ -f "$f" ] || continue
    while IFS= read -r inc; do
      if [[ "$inc" =~ ^\"verify/([A-Za-z0-9_]+\.hpp)\"$ ]] && [ -f "$dir/${BASH_REMATCH[1]}" ]; then continue; fi
      echo "$inc" | grep -Eq "$allowed" && continue
      echo "    $(basename "$f"): #include $inc is outside the verifier's trusted base"
      bad=1
    done < <(sed -nE 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*([<"][^>"]*[>"]).*/\1/p' "$f")
  done
  return $bad
}

failed=0
n=$(ls "$src"/*.cpp "$src"/*.hpp | wc -l)
if [ "$n" -gt 0 ] && check_dir "$src"; then
  echo "  ok   the $n files of src/verify include only src/verify, the standard library, GMP and nlohmann-json"
else
  echo "  FAIL src/verify includes a header outside its trusted base"; failed=1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$src"/*.cpp "$src"/*.hpp "$tmp"/
sed -i '1i #include "numeric/exact.hpp"' "$tmp/inertia.cpp"
if check_dir "$tmp" > /dev/null; then
  echo "  FAIL an added #include \"numeric/exact.hpp\" was not caught"; failed=1
else
  echo "  ok   an added #include \"numeric/exact.hpp\" is caught"
fi
exit $failed
