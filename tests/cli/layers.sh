#!/usr/bin/env bash
# The include graph of src/ follows the layers declared in src/CMakeLists.txt (README, "How
# fimcheck is built"): tests/support/layers.py on the real tree must pass, and on copies with an
# upward include, an undeclared folder and a declared cycle it must fail, naming each; and no file
# of src/ may use Boost's MPFR/MPFI types.
# Argument: the fimcheck binary (unused; every CLI test gets it).
set -u
here="$(cd "$(dirname "$0")" && pwd)"
src="$(cd "$here/../../src" && pwd)"
py=/usr/bin/python3
check="$here/../support/layers.py"
failed=0
ok() { echo "  ok   $1"; }
bad() { echo "  FAIL $1"; failed=1; }

if out=$("$py" "$check" "$src"); then
  ok "every #include of src/ follows the declared layers ($(ls -d "$src"/*/ | wc -l) folders)"
else
  bad "src/ breaks its declared layers:"; echo "$out"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# expect_caught NAME PATTERN: the check on $tmp/src fails and prints a line matching PATTERN.
expect_caught() {
  local out
  if out=$("$py" "$check" "$tmp/src"); then bad "$1 was not caught"
  elif echo "$out" | grep -Eq "$2"; then ok "$1 is caught: $(echo "$out" | grep -E "$2" | head -1 | sed 's/^ *//')"
  else bad "$1: the check failed without naming it: $out"; fi
}
fresh() { rm -rf "$tmp/src"; cp -r "$src" "$tmp/src"; }

fresh; sed -i '1i #include "claims/claim.hpp"' "$tmp/src/numeric/interval.cpp"
expect_caught "an upward include (numeric -> claims)" 'src/numeric/interval.cpp:1: #include "claims/claim.hpp": layer numeric does not declare claims'
fresh; sed -i '1i #include "report/svg.hpp"' "$tmp/src/claims/weyl.cpp"
expect_caught "a decision layer drawing a report (claims -> report)" 'src/claims/weyl.cpp:1: .*layer claims does not declare report'
fresh; mkdir "$tmp/src/extra"; echo 'int x;' > "$tmp/src/extra/x.cpp"
expect_caught "an undeclared folder" 'src/extra: a folder'
fresh; sed -i 's/^fim_layer(numeric)/fim_layer(numeric claims)/' "$tmp/src/CMakeLists.txt"
expect_caught "a declared cycle" 'cycle: .*numeric'
fresh; sed -i '1i #include "linalg/no_such_file.hpp"' "$tmp/src/fim/model.cpp"
expect_caught "an include of a missing header" 'no_such_file.hpp" names no file'
# Boost 1.74's MPFR/MPFI types keep one precision per process and have the traps pinned in
# tests/numeric/t-boost_traps.cpp: no file of src/ may use them (numeric/mp.hpp has fimcheck's own).
boost_mp='mpfr_float_backend|mpfi_float_backend|boost/multiprecision/(mpfr|mpfi)\.hpp'
if hits=$(grep -rEn "$boost_mp" "$src" --include='*.cpp' --include='*.hpp'); then
  bad "src/ uses Boost's MPFR/MPFI types:"; echo "$hits"
else
  ok "no file of src/ uses Boost's MPFR/MPFI types (their traps cannot be reached)"
fi
fresh; echo '#include <boost/multiprecision/mpfi.hpp>' >> "$tmp/src/linalg/gram.cpp"
if grep -rEq "$boost_mp" "$tmp/src" --include='*.cpp'; then ok "an added Boost MPFI include is caught"
else bad "an added Boost MPFI include was not caught"; fi
exit $failed
