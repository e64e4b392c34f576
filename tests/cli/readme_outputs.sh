#!/usr/bin/env bash
# scripts/readme-outputs, the before/after record of the README's commands, checked on a reduced
# command set: two snapshots of one binary must compare identical (the normalisation removes every
# run-to-run difference), and one changed digit of an enclosure, in a printed line or in a written
# certificate, or of a JSON count must be reported as a difference with a non-zero exit.
set -u
fim=$1
tool="$(dirname "$0")/../../scripts/readme-outputs"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Commands that print times (check, scores, lambda --json) and write reports and certificates.
cat > "$tmp/extra.txt" <<'EOF'
build/fimcheck check weyl --cases 40 --seed 1 --json     # cases_by_precision, "seconds"
build/fimcheck check remainder --variant small-constant --cases 30 --seed 1 --report rep
build/fimcheck verify-cert rep/cert-14.json
EOF
snap() { /usr/bin/python3 "$tool" snapshot "$fim" "$tmp/$1" --only-first 4 --extra "$tmp/extra.txt" >/dev/null \
           || fail "snapshot $1 failed"; }
snap a
snap b

out=$(/usr/bin/python3 "$tool" compare "$tmp/a" "$tmp/b") || fail "two snapshots of one binary differ:
$out"
echo "$out" | tail -n 1
[ "$(echo "$out" | tail -n 1)" = "7 commands, 7 identical, 0 differ" ] || fail "unexpected summary"
grep -q 'HOLDS' "$tmp"/a/*.txt || fail "the records lost the verdict counts"

# mutate DIR PATTERN: add 1 (mod 10) to the last digit of the first match of PATTERN's group 1 in
# the records of DIR; fails when nothing matches (the records lost what must be compared).
mutate() {
  /usr/bin/python3 - "$1" "$2" <<'EOF' || fail "nothing to alter for '$2'"
import glob, re, sys
for path in sorted(glob.glob(sys.argv[1] + "/[0-9]*.txt")):
    text = open(path).read()
    m = re.search(sys.argv[2], text, re.S)
    if m:
        a, b = m.span(1)
        d = text[b - 1]
        text = text[:b - 1] + str((int(d) + 1) % 10) + text[b:]
        open(path, "w").write(text)
        print(f"altered {path.split('/')[-1]}: {m.group(1)} -> {text[a:b]}")
        sys.exit(0)
sys.exit(1)
EOF
}

expect_difference() {  # expect_difference DIR SECTION: compare a DIR reports one command, SECTION
  out=$(/usr/bin/python3 "$tool" compare "$tmp/a" "$tmp/$1")
  code=$?
  [ $code = 1 ] || fail "compare exited $code, not 1, on an altered digit:
$out"
  echo "$out" | grep -q "^DIFFERS .*: $2" || fail "the difference is not reported in $2:
$out"
  [ "$(echo "$out" | tail -n 1)" = "7 commands, 6 identical, 1 differ" ] || fail "unexpected summary:
$out"
  echo "$out" | grep -E '^DIFFERS|^    [-+][^-+]'
}

cp -r "$tmp/a" "$tmp/c"
mutate "$tmp/c" 'lambda_1 in \[([0-9.]+)e' >/dev/null
expect_difference c stdout

cp -r "$tmp/a" "$tmp/d"
mutate "$tmp/d" '=== file rep/cert-14\.json \(json\).*?"(-?[0-9]+)/' >/dev/null
expect_difference d 'file rep/cert-14.json'

# A meant change (a counter relabelled) is still a difference, unless its JSON key is left out.
cp -r "$tmp/a" "$tmp/e"
mutate "$tmp/e" '"cases_by_precision": \{\s*"[0-9]+": ([0-9]+)' >/dev/null
expect_difference e stdout
out=$(/usr/bin/python3 "$tool" compare "$tmp/a" "$tmp/e" --ignore-key cases_by_precision) || fail "--ignore-key did not leave the key out:
$out"
echo "$out" | tail -n 1

# A snapshot never writes over an existing record.
/usr/bin/python3 "$tool" snapshot "$fim" "$tmp/a" --only-first 1 >/dev/null 2>&1
[ $? = 2 ] || fail "snapshot into an existing folder did not exit 2"
echo "readme-outputs: identical twice, every altered digit reported"
