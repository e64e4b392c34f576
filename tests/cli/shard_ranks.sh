#!/usr/bin/env bash
# Score shards across the ranks of mpirun (proofs/linear-algebra.md, "Units, groups and ranks"):
# `lambda --gram` on a manifest of d = 2^20 + 3000 columns (two units) prints the same enclosure
# from one .npy file, from its shards, and from 2 and 3 ranks (3 ranks: one has no unit), since
# the ranks' partials travel as exact bytes and rank 0 adds them in unit order. With --per-group
# each group's enclosure is the same on any number of ranks. A broken shard read by rank 1 only
# is refused on rank 0's stderr, naming the shard, exit 2, no output.
# Skipped (exit 0) without mpirun or in a build without OpenMPI.
# Usage: bash tests/cli/shard_ranks.sh /path/to/fimcheck
set -u
FIM=${1:?usage: shard_ranks.sh /path/to/fimcheck}
FIM=$(cd "$(dirname "$FIM")" && pwd)/$(basename "$FIM")
PY=/usr/bin/python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fimcheck-shard-ranks.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../support/cli.sh"
cd "$tmp" || exit 2

if ! command -v mpirun > /dev/null; then echo "skipped: no mpirun"; exit 0; fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
ranks() { local k=$1; shift; mpirun -np "$k" "$FIM" "$@"; }

# G (2 x 2^20 + 3000): the second row nearly cancels the first; shards cut inside unit 0 and
# parameter "b" split over both shards.
"$PY" - <<'EOF' || exit 2
import json
import numpy as np
rng = np.random.default_rng(14)
n, d, cut = 2, 2**20 + 3000, 700000
G = rng.standard_normal((n, d))
G[1] = G[0] * np.where(np.arange(d) % 2, -1, 1) * (1 + 1e-9 * rng.standard_normal(d))
np.save("G.npy", G)
np.save("s0.npy", np.ascontiguousarray(G[:, :cut]))
np.save("s1.npy", np.ascontiguousarray(G[:, cut:]))
np.save("s1-short.npy", np.ascontiguousarray(G[:, cut:-1]))
def param(name, c0, c1): return {"name": name, "columns": [c0, c1], "shape": [c1 - c0]}
m = {"format": "fimcheck-scores", "version": 1, "n": n, "d": d, "dtype": "float64",
     "labels": "data", "seed": 0, "method": "user", "model_hash": "sha256:" + "0" * 64,
     "shards": [{"file": "s0.npy", "columns": [0, cut], "params": [param("a", 0, 500000), param("b", 500000, cut)]},
                {"file": "s1.npy", "columns": [cut, d], "params": [param("b", cut, 900000), param("c", 900000, d)]}],
     "zero_grad": [], "frozen": [], "notes": []}
json.dump(m, open("manifest.json", "w"))
m["shards"][1]["file"] = "s1-short.npy"
json.dump(m, open("broken.json", "w"))
EOF

# same KEY A.json B.json...: the runs printed the same strings under KEY (a JSON path a.b.c).
same() {
  "$PY" - "$@" <<'EOF'
import json, sys
key, runs = sys.argv[1], [json.load(open(f)) for f in sys.argv[2:]]
for k in key.split("."):
    runs = [r[k] for r in runs]
assert all(r == runs[0] for r in runs), f"{key}: {runs}"
EOF
}

expect_exit 0 "one file" "$FIM" lambda --gram G.npy --json
cp "$tmp/out" file.json
expect_exit 0 "its shards" "$FIM" lambda --gram manifest.json --json
cp "$tmp/out" one.json
for k in 2 3; do
  ranks "$k" lambda --gram manifest.json --json > "r$k.json" 2> "r$k.err"
  code=$?
  if [ $code -ne 0 ] && grep -q "built without OpenMPI" "r$k.err"; then echo "skipped: built without OpenMPI"; exit 0; fi
  [ $code -eq 0 ] && ok "$k ranks (exit 0)" || bad "$k ranks: exit $code: $(head -c 300 "r$k.err")"
done
for key in lambda_max gap; do
  same "$key" file.json one.json r2.json r3.json && ok "$key: the shards and 2 or 3 ranks print the file's" ||
    bad "$key: the file, its shards and the ranks differ"
done
# the comparison has teeth: a run on other scores prints another lambda_max
"$PY" -c "import numpy as np; g = np.load('G.npy'); g[0, 5] += 1; np.save('G2.npy', g)"
"$FIM" lambda --gram G2.npy --json > other.json 2> /dev/null
same lambda_max one.json other.json 2> /dev/null && bad "other scores print the same lambda_max" || ok "other scores print another lambda_max"

# --per-group: every group's enclosure is the same on 1 and 2 ranks
expect_exit 0 "per group, one process" "$FIM" lambda --gram --per-group manifest.json --json
cp "$tmp/out" pg1.json
ranks 2 lambda --gram --per-group manifest.json --json > pg2.json 2> pg2.err && ok "per group, 2 ranks (exit 0)" ||
  bad "per group, 2 ranks: $(head -c 300 pg2.err)"
"$PY" - pg1.json pg2.json <<'EOF' && ok "per group: 2 ranks print every group's enclosure as one process" || bad "per group: groups differ"
import json, sys
a, b = (json.load(open(f))["groups"] for f in sys.argv[1:])
assert [g["name"] for g in a] == ["a", "b", "c"], a
assert a == b, (a, b)
EOF

# rank 1 reads s1-short.npy (unit 1 lies in it): the error reaches rank 0, which prints it
ranks 2 lambda --gram broken.json --json > broken.out 2> broken.err
code=$?
[ $code -eq 2 ] && ok "broken shard on rank 1: exit 2" || bad "broken shard on rank 1: exit $code"
[ ! -s broken.out ] && ok "broken shard: no output" || bad "broken shard: output $(head -c 200 broken.out)"
# (mpirun adds its own notice of the exit code below fimcheck's line)
head -n 1 broken.err | grep -q "^fimcheck: s1-short.npy: shard: has 351575 columns, .*(listed in broken.json)$" &&
  [ "$(grep -c s1-short broken.err)" -eq 1 ] && ok "broken shard: one line, once, naming the shard" ||
  bad "broken shard: stderr $(head -c 300 broken.err)"
cli_summary
