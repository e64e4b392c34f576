#!/usr/bin/env bash
# fimcheck demo --out DIR: exit 0, report.md written with every section, each image it shows
# present and well-formed, no temporary files left.
set -u
FIM="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../support/cli.sh"
"$FIM" demo --out "$tmp/rep" > "$tmp/out" 2> "$tmp/err" && ok "demo exits 0" || bad "demo failed: $(head -c 300 "$tmp/err")"
[ -s "$tmp/rep/report.md" ] && ok "report.md written" || bad "no report.md"
/usr/bin/python3 - "$tmp/rep" <<'PY' && ok "every image in report.md exists and is well-formed SVG" || bad "report.md images"
import os, re, sys, xml.etree.ElementTree as ET
d = sys.argv[1]
md = open(os.path.join(d, "report.md")).read()
images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md)
assert len(images) >= 2, images
for im in images:
    ET.parse(os.path.join(d, im))
assert md.count("\n## ") >= 7, "sections missing"
PY
grep -q "CONFIRMED" "$tmp/out" && ok "the refuted conjecture's certificate is confirmed" || bad "no confirmed certificate"
grep -q "GAPS" "$tmp/out" && ok "the partition section finds the gaps" || bad "no gap found"
find "$tmp/rep" -name '*.tmp-*' | grep -q . && bad "temporary files left" || ok "no temporary files left"
"$FIM" lambda "$tmp/rep/scores.npy" --gram > "$tmp/lam" 2>&1 && grep -q "lambda_max in" "$tmp/lam" \
  && ok "section 1's command reproduces on the written scores" || bad "section 1 command: $(cat "$tmp/lam")"
cli_summary
