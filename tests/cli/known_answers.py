"""Known-answer tests of the CLI's JSON (S9): every enclosure must contain the exact value when its
decimal strings are read as exact rationals; widths and exit codes as the issue requires.
Usage: known_answers.py PATH/TO/fimcheck. Prints one line per case and "N passed, M failed"."""
import json
import os
import subprocess
import sys
import tempfile
from fractions import Fraction

import numpy as np

EXE = sys.argv[1]
results = []


def run(args, expect_exit=(0,)):
    p = subprocess.run([EXE] + args, capture_output=True, text=True, timeout=300)
    if p.returncode not in expect_exit:
        raise AssertionError("exit %d: %s" % (p.returncode, p.stderr.strip()))
    return json.loads(p.stdout)


def encl(obj):
    return Fraction(obj["lo"]), Fraction(obj["hi"])


def case(name):
    def wrap(f):
        try:
            f()
            results.append(True)
            print("  ok   " + name)
        except Exception as e:  # any failure, including a missing key, counts
            results.append(False)
            print("  FAIL %s: %s" % (name, e))
        return f
    return wrap


tmp = tempfile.mkdtemp()


def save(name, a):
    path = os.path.join(tmp, name)
    np.save(path, a)
    return path


@case("1000 x 1000 PSD float64: relative width <= 1e-10, contains LAPACK's value")
def _():
    rng = np.random.default_rng(1)
    g = rng.standard_normal((2000, 1000))
    a = g.T @ g / 2000
    a = np.triu(a) + np.triu(a, 1).T
    j = run(["lambda", save("w1000.npy", a), "--json"])
    lo, hi = encl(j["lambda_max"])
    assert (hi - lo) / hi <= Fraction(1, 10**10), "width %g" % float((hi - lo) / hi)
    ref = np.linalg.eigvalsh(a)[-1]
    assert lo <= Fraction(ref) * (1 + Fraction(1, 10**12)) and hi >= Fraction(ref) * (1 - Fraction(1, 10**12))
    assert j["bits"] == 53 and j["form"] == "dense" and j["n"] == 1000


@case("20 x 20 dense with lambda_1 = lambda_2 = 5 exactly: valid, gap not certified")
def _():
    h = np.array([[1.0]])
    while h.shape[0] < 16:
        h = np.block([[h, h], [h, -h]])
    d = np.array([5, 5, 3, 2, 1, 1, 0, 0, 0, -1, -2, 1, 1, 1, 0.5, 0.25])
    a16 = h @ np.diag(d) @ h.T / 16
    a = np.zeros((20, 20))
    a[:16, :16] = a16
    a[16:, 16:] = np.diag([4.0, 4.5, -7.0, 0.0])
    p = np.random.default_rng(2).permutation(20)
    a = a[p][:, p]
    j = run(["lambda", save("rep20.npy", a), "--json"])
    lo, hi = encl(j["lambda_max"])
    assert lo <= 5 <= hi
    assert Fraction(j["gap"]["lo"]) <= 0, "gap certified positive: %s" % j["gap"]


@case("spectrum of diag(3, -1, 2) + permutation: every eigenvalue enclosed, descending")
def _():
    a = np.array([[2.0, 0, 0], [0, 3.0, 0], [0, 0, -1.0]])
    j = run(["spectrum", save("d3.npy", a), "--json"])
    for e, v in zip(j["eigenvalues"], [3, 2, -1]):
        lo, hi = encl(e)
        assert lo <= v <= hi


@case("spectrum of [[2,1],[1,2]] in CSV: 3 and 1")
def _():
    path = os.path.join(tmp, "a.csv")
    open(path, "w").write("2, 1\n1, 2\n")
    j = run(["spectrum", path, "--json"])
    for e, v in zip(j["eigenvalues"], [3, 1]):
        lo, hi = encl(e)
        assert lo <= v <= hi


@case("CSV decimals 0.1: the result covers the exact decimal matrix")
def _():
    path = os.path.join(tmp, "tenth.csv")
    open(path, "w").write("0.1 0.2\n0.2 0.1\n")  # eigenvalues 0.3 and -0.1 exactly
    j = run(["lambda", path, "--json"])
    lo, hi = encl(j["lambda_max"])
    assert lo <= Fraction(3, 10) <= hi


@case("Gram form: lambda_max(G^T G / n) for n = 3 < d = 5 equals G G^T / n's")
def _():
    g = np.array([[1.0, 0, 0, 0, 0], [0, 2.0, 0, 0, 0], [0, 0, 0, 0, 1.0]])
    j = run(["lambda", save("g.npy", g), "--gram", "--json"])
    lo, hi = encl(j["lambda_max"])
    assert lo <= Fraction(4, 3) <= hi
    assert j["form"] == "gram" and j["n"] == 3 and j["d"] == 5


@case("gap of 2^-100 relative: certified at 113+ bits when asked for")
def _():
    b = 2.0 ** -100
    a = np.array([[1 / 3, b], [b, 1 / 3]])
    # A relative width of 1e-40 is below one unit in the last place of binary64 end points: the
    # gap is certified, but the printed lambda_max is not that narrow, so width_reached is false.
    j = run(["lambda", save("gap.npy", a), "--json", "--rel-width", "1e-40"], expect_exit=(3,))
    glo, ghi = encl(j["gap"])
    assert glo > 0 and glo <= 2 * Fraction(b) <= ghi and j["bits"] > 53
    lo, hi = encl(j["lambda_max"])
    assert j["width_reached"] is False and hi - lo > Fraction(1, 10**40) * hi


@case("--max-bits 53 on an unreachable width: exit 3, enclosure still printed")
def _():
    b = 2.0 ** -100
    a = np.array([[1 / 3, b], [b, 1 / 3]])
    j = run(["lambda", save("gap2.npy", a), "--json", "--rel-width", "1e-40", "--max-bits", "53"],
            expect_exit=(3,))
    lo, hi = encl(j["lambda_max"])
    assert lo <= Fraction(1 / 3) + Fraction(b) <= hi and j["width_reached"] is False


@case("--symmetrize encloses (A + A^T)/2 of a non-symmetric matrix")
def _():
    a = np.array([[1.0, 0.3], [0.1, 1.0]])  # (A+A^T)/2 = [[1, .2], [.2, 1]] up to decimal rounding
    j = run(["lambda", save("ns.npy", a), "--symmetrize", "--json"])
    lo, hi = encl(j["lambda_max"])
    exact = 1 + (Fraction(0.3) + Fraction(0.1)) / 2
    assert lo <= exact <= hi


passed = sum(results)
failed = len(results) - passed
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
