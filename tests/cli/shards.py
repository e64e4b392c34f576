"""Score shards, checked against the single file and an exact oracle.

G holds small integers stored as float32, so K = G G^T is computed exactly in int64 and
lambda_max(K / n) is decided exactly (tests/support/exact_oracle.py). d = 2^21 + 5 columns
makes three units of 2^20 columns (proofs/linear-algebra.md, "Units, groups and ranks"), so the
mpirun run really splits them across ranks.
Usage: shards.py /path/to/fimcheck"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from fractions import Fraction

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from exact_oracle import encloses  # noqa: E402

FIM = os.path.abspath(sys.argv[1])
tmp = tempfile.mkdtemp(prefix="fimcheck-shards.")
passed = failed = 0


def ok(name):
    global passed
    passed += 1
    print("  ok  ", name)


def bad(name):
    global failed
    failed += 1
    print("  FAIL", name)


def check(cond, name):
    ok(name) if cond else bad(name)


def run(args, mpi=0):
    cmd = ([shutil.which("mpirun"), "--allow-run-as-root", "--oversubscribe", "-np", str(mpi)] if mpi else []) + [FIM] + args
    return subprocess.run(cmd, capture_output=True, text=True, cwd=tmp)


def lam(args, mpi=0):
    r = run(args + ["--json"], mpi)
    if r.returncode not in (0, 3):
        bad(f"{' '.join(args)}: exit {r.returncode}: {r.stderr.strip()[:300]}")
        return None
    return json.loads(r.stdout)


def write_manifest(path, n, d, shards, dtype="float32", extra=None):
    m = {"format": "fimcheck-scores", "version": 1, "n": n, "d": d, "dtype": dtype, "labels": "data",
         "seed": 0, "method": "user", "model_hash": "sha256:test", "shards": shards, "zero_grad": [],
         "frozen": [], "notes": []}
    m.update(extra or {})
    with open(path, "w") as f:
        json.dump(m, f)


rng = np.random.default_rng(5)
n, d = 4, (1 << 21) + 5
G = rng.integers(-3, 4, size=(n, d)).astype(np.float32)
G[:, 1000:1300] = 0  # a parameter with no gradient: zero columns
np.save(os.path.join(tmp, "G.npy"), G)
cuts = [0, 1000, 1300, 900_001, 1_600_000, d]  # shards cross the units' boundaries
names = ["embed.weight", "unused.bias", "block.weight", "block.weight", "head.weight"]
shards = []
for k in range(len(cuts) - 1):
    f = f"scores-{k:05d}.npy"
    np.save(os.path.join(tmp, f), np.ascontiguousarray(G[:, cuts[k]:cuts[k + 1]]))
    shards.append({"file": f, "columns": [cuts[k], cuts[k + 1]],
                   "params": [{"name": names[k], "columns": [cuts[k], cuts[k + 1]], "shape": [cuts[k + 1] - cuts[k]]}]})
write_manifest(os.path.join(tmp, "manifest.json"), n, d, shards)
K = G.astype(np.int64) @ G.astype(np.int64).T  # exact: |entries| <= 9 d < 2^63
F = [[Fraction(int(K[i, j]), n) for j in range(n)] for i in range(n)]
files = [s["file"] for s in shards]

print("one file, its manifest, its shards side by side")
single = lam(["lambda", "G.npy", "--gram"])
viaman = lam(["lambda", "manifest.json", "--gram"])
viaset = lam(["lambda", "--gram"] + files)
if single and viaman and viaset:
    check(encloses(single["lambda_max"]["lo"], single["lambda_max"]["hi"], F),
          "the single file's enclosure contains the exact lambda_max (exact oracle)")
    check(viaman["lambda_max"] == single["lambda_max"] and viaman["gap"] == single["gap"],
          "manifest: the same enclosure and gap as the single file, bit for bit")
    check(viaset["lambda_max"] == single["lambda_max"], "shards side by side: the same enclosure")
    check(viaman["n"] == n and viaman["d"] == d, "n and d as the manifest says")
    ref = float(np.linalg.eigvalsh(K.astype(np.float64) / n)[-1])
    check(float(viaman["lambda_max"]["lo"]) <= ref <= float(viaman["lambda_max"]["hi"]),
          "NumPy's float64 lambda_max lies in the enclosure")

print("a tampered shard changes the answer (the comparison has teeth)")
t = np.load(os.path.join(tmp, "scores-00002.npy"))
t[1, 5] += 1
os.makedirs(os.path.join(tmp, "tampered"))
for k, f in enumerate(files):
    shutil.copy(os.path.join(tmp, f), os.path.join(tmp, "tampered", f))
np.save(os.path.join(tmp, "tampered", "scores-00002.npy"), t)
write_manifest(os.path.join(tmp, "tampered", "manifest.json"), n, d, shards)
tam = lam(["lambda", "tampered/manifest.json", "--gram"])
if tam and single:
    check(tam["lambda_max"] != single["lambda_max"], "one changed score gives another enclosure")
    check(not encloses(tam["lambda_max"]["lo"], tam["lambda_max"]["hi"], F),
          "and the exact oracle refutes it as an enclosure of the untampered matrix")

print("per group")
pg = lam(["lambda", "manifest.json", "--gram", "--per-group"])
if pg:
    groups = {g["name"]: g for g in pg["groups"]}
    check(list(groups) == ["embed.weight", "unused.bias", "block.weight", "head.weight"],
          "one group per parameter, in column order; block.weight's two pieces are one group")
    check(groups["block.weight"]["columns"] == [1300, 1_600_000], "a split parameter's columns join up")
    check(groups["unused.bias"]["lambda_max"] == {"lo": "0", "hi": "0"} or
          (float(groups["unused.bias"]["lambda_max"]["lo"]) == 0 and float(groups["unused.bias"]["lambda_max"]["hi"]) == 0),
          "a parameter with no gradient: lambda_max exactly 0")
    all_ok = True
    for name, g in groups.items():
        c0, c1 = g["columns"]
        Gg = G[:, c0:c1].astype(np.int64)
        Kg = Gg @ Gg.T
        Fg = [[Fraction(int(Kg[i, j]), n) for j in range(n)] for i in range(n)]
        tr = Fraction(int(np.trace(Kg)), n)
        all_ok &= encloses(g["lambda_max"]["lo"], g["lambda_max"]["hi"], Fg)
        all_ok &= Fraction(g["trace"]["lo"]) <= tr <= Fraction(g["trace"]["hi"])
    check(all_ok, "every group's lambda_max and trace enclosures contain the exact values")
    check(encloses(pg["lambda_max"]["lo"], pg["lambda_max"]["hi"], F), "the whole FIM's enclosure still contains the exact value")
r = run(["lambda", "manifest.json", "--gram", "--per-group", "--report", "rep"])
check(r.returncode == 0 and all(os.path.exists(os.path.join(tmp, "rep", f)) for f in ("report.md", "report.json", "groups.svg")),
      "--report writes report.md, report.json and the bar plot groups.svg")
if r.returncode == 0:
    md = open(os.path.join(tmp, "rep", "report.md")).read()
    check("| `block.weight` | [1300, 1600000) |" in md and "groups.svg" in md, "the report's table names each group")

print("spectrum and sigma read manifests too")
r = run(["spectrum", "manifest.json", "--gram", "--json"])
check(r.returncode in (0, 3) and len(json.loads(r.stdout)["eigenvalues"]) == n, "spectrum --gram manifest.json")
r = run(["sigma", "--base", "manifest.json", "--gram", "manifest.json"])
check(r.returncode == 0 and "sigma" in r.stdout, "sigma --base manifest.json --gram manifest.json")

print("steps exported as folders of shards")
for k, scale in enumerate([1, 2, 3]):
    os.makedirs(os.path.join(tmp, "steps", f"step{k + 1}"))
    np.save(os.path.join(tmp, "steps", f"step{k + 1}", "scores-00000.npy"), G[:, :5000] * scale)
    write_manifest(os.path.join(tmp, "steps", f"step{k + 1}", "manifest.json"), n, 5000,
                   [{"file": "scores-00000.npy", "columns": [0, 5000]}])
r = run(["sigma", "--gram", "--base", "steps/step1", "steps"])
lines = [l for l in r.stdout.splitlines() if l.startswith("step")]
check(r.returncode == 0 and [l.split()[0] for l in lines] == ["step1/manifest.json", "step2/manifest.json", "step3/manifest.json"],
      "sigma: a folder of step folders is one step per manifest, in natural order, named by folder")
check(r.returncode == 0 and "sigma 4" in lines[1] and "sigma 9" in lines[2], "sigma of 2 G and 3 G: 4 and 9")
folder = lam(["lambda", "steps/step2", "--gram", "--per-group"])
check(folder is not None and folder["groups"][0]["name"] == "scores-00000.npy",
      "lambda --gram --per-group on a folder of shards reads its manifest.json")
r = run(["calibrate", "--gram", "--base", "steps/step1", "--steps", "steps", "--quantile", "0.5",
         "--policy-out", "cal.json"])
check(r.returncode == 0, f"calibrate on folders of shards (exit {r.returncode}: {r.stderr.strip()[:200]})")
r = run(["partition", "cal.json"])
check(r.returncode == 0, "and partition certifies the calibrated policy complete")

print("under mpirun")
version = run(["--version"]).stdout
if shutil.which("mpirun") and "with OpenMPI" in version:
    two = lam(["lambda", "manifest.json", "--gram"], mpi=2)
    if two and single:
        check(two["lambda_max"] == single["lambda_max"] and two["gap"] == single["gap"],
              "mpirun -np 2: the same enclosure as one process, bit for bit")
    four = lam(["lambda", "--gram"] + files, mpi=4)
    if four and single:
        check(four["lambda_max"] == single["lambda_max"],
              "mpirun -np 4 over shards side by side (3 units: one rank has none): the same")
    pg2 = lam(["lambda", "manifest.json", "--gram", "--per-group"], mpi=2)
    if pg2 and pg:
        check(pg2["groups"] == pg["groups"], "mpirun -np 2 --per-group: every group's enclosures the same")
        check(encloses(pg2["lambda_max"]["lo"], pg2["lambda_max"]["hi"], F), "and the whole FIM's contains the exact value")
    r = run(["lambda", "tampered/manifest.json", "--gram"], mpi=2)
    np.save(os.path.join(tmp, "tampered", "scores-00004.npy"), np.zeros((n + 1, cuts[5] - cuts[4]), np.float32))
    r = run(["lambda", "tampered/manifest.json", "--gram"], mpi=2)
    check(r.returncode == 2 and "scores-00004.npy: shard: has 5 rows, but n = 4" in r.stderr and
          r.stderr.count("fimcheck:") == 1,
          "mpirun -np 2: a bad shard read by rank 1 is reported once, by rank 0, exit 2")
else:
    print("  (this fimcheck was built without OpenMPI, or mpirun is missing: the mpirun checks are skipped)")
    check("without OpenMPI" in version, "--version says it was built without OpenMPI")

print("refusals")
def refused(args, needle, name):
    r = run(args)
    check(r.returncode == 2 and needle in r.stderr and r.stdout == "" and r.stderr.count("\n") == 1,
          f"{name} (exit {r.returncode}: {r.stderr.strip()[:160]})")

def bad_manifest(name, change, needle):
    m = json.load(open(os.path.join(tmp, "manifest.json")))
    change(m)
    with open(os.path.join(tmp, "bad.json"), "w") as f:
        json.dump(m, f)
    refused(["lambda", "bad.json", "--gram"], needle, name)

bad_manifest("another format", lambda m: m.update(format="x"), "bad.json: format:")
bad_manifest("version 2", lambda m: m.update(version=2), "bad.json: version:")
bad_manifest("n = 4.0", lambda m: m.update(n=4.0), "bad.json: n: is not an integer")
bad_manifest("dtype float16", lambda m: m.update(dtype="float16"), "bad.json: dtype:")
bad_manifest("a gap between shards", lambda m: m["shards"][1].update(columns=[1001, 1300]), "shards[1].columns")
bad_manifest("shards short of d", lambda m: m.update(d=d + 1), "but d = ")
bad_manifest("a parameter outside its shard", lambda m: m["shards"][0]["params"][0].update(columns=[0, 999]), "shards[0].params")
bad_manifest("a parameter that reappears", lambda m: m["shards"][4]["params"][0].update(name="embed.weight"), "appears again")
bad_manifest("float64 declared, float32 stored", lambda m: m.update(dtype="float64"), "holds float32, but the manifest's dtype is float64")
np.save(os.path.join(tmp, "short.npy"), np.zeros((n + 1, 10), np.float32))
refused(["lambda", "--gram", files[0], "short.npy"], "short.npy: shape: has 5 rows", "shards side by side with different row counts")
refused(["lambda", files[0], files[1]], "only with --gram", "several files without --gram")
refused(["lambda", "manifest.json", "--per-group"], "add --gram", "--per-group without --gram")
refused(["lambda", "missing.json", "--gram"], "missing.json: file: cannot open", "a missing manifest")

shutil.rmtree(tmp)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
