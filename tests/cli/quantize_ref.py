#!/usr/bin/python3
"""Independent NumPy reference of fimcheck's quantizers, and a bit-for-bit cross-check of
`fimcheck quantize` against it (run by tests/cli/quantize.sh with Debian's /usr/bin/python3).

The conventions are those of src/quant/quantize.hpp: binary64, every operation rounded once to
nearest-even (NumPy float64 elementwise operations are), np.rint for round-half-to-even. The NF4
nearest level and stochastic rounding are computed here in exact rational arithmetic (fractions),
not with fimcheck's binary64 tricks, so they check those tricks rather than repeat them.

Usage: quantize_ref.py /path/to/fimcheck
"""
import itertools
import json
import math
import os
import subprocess
import sys
import tempfile
from fractions import Fraction

import numpy as np

NF4 = [-1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
       -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
       0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
       0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0]
MASK = 2**64 - 1
GOLDEN = 0x9E3779B97F4A7C15


# ---- Conventions ------------------------------------------------------------------------------

def groups(rows, cols, granularity, size):
    """(r0, r1, c0, c1) of each group in row-major order."""
    if granularity == "tensor":
        return [(0, rows, 0, cols)]
    width = cols if granularity == "channel" else size
    return [(r, r + 1, c, min(c + width, cols)) for r in range(rows) for c in range(0, cols, width)]


def clamp(x, lo, hi):
    return np.where(x < lo, lo, np.where(x > hi, hi, x))


def mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def entry_words(seed, index):
    state = mix64(seed ^ mix64(index + 1))
    while True:
        state = (state + GOLDEN) & MASK
        yield mix64(state)


def stochastic(x, seed, index):
    """x rounded up with probability frac(|x|) (then signed), from entry `index`'s words."""
    a = abs(x)
    whole = math.floor(a)
    rest = Fraction(a) - whole
    up = False
    words = entry_words(seed, index)
    while rest != 0:
        scaled = rest * 2**64
        digit = math.floor(scaled)
        b = next(words)
        if b != digit:
            up = b < digit
            break
        rest = scaled - digit
    return math.copysign(float(whole + up), x)


def to_integer(x, idx, rounding, seed):
    if rounding == "nearest":
        return np.rint(x)
    return np.array([stochastic(float(v), seed, int(i)) for v, i in zip(x.ravel(), idx.ravel())]).reshape(x.shape)


def sym(block, idx, bits, rounding, seed):
    m, mn = 2.0 ** (bits - 1) - 1, -(2.0 ** (bits - 1))
    absmax = np.max(np.abs(block))
    if absmax == 0:
        return block.copy(), 0
    s = absmax / m
    if s == 0:
        raise ZeroDivisionError("scale underflows to 0 (fimcheck refuses this group)")
    n = to_integer(block / s, idx, rounding, seed)
    q = clamp(n, mn, m)
    return q * s, int(np.sum(q != n))


def asym(block, idx, bits, rounding, seed):
    m = 2.0 ** bits - 1
    lo, hi = np.min(block), np.max(block)
    if lo == hi:
        return block.copy(), 0
    s = (hi - lo) / m
    if s == 0 or not np.isfinite(s):
        raise ZeroDivisionError("scale underflows or overflows (fimcheck refuses this group)")
    z = clamp(-np.rint(lo / s), 0.0, m)
    n = to_integer(block / s, idx, rounding, seed) + z
    c = clamp(n, 0.0, m)
    return (c - z) * s, int(np.sum(c != n))


def nf4_nearest(x):
    """Index of the level nearest to x, by exact rational distances; ties to the even index."""
    fx = Fraction(x)
    dist = [abs(fx - Fraction(level)) for level in NF4]
    best = min(dist)
    ties = [k for k, d in enumerate(dist) if d == best]
    return next((k for k in ties if k % 2 == 0), ties[0])


def nf4(block, idx, bits, rounding, seed):
    c = np.max(np.abs(block))
    if c == 0:
        return block.copy(), 0
    x = block / c
    levels = np.array([NF4[nf4_nearest(float(v))] for v in x.ravel()]).reshape(x.shape)
    return levels * c, 0


def quantize(w, scheme, bits, granularity, size, rounding="nearest", seed=0):
    """(w_q, clipped) for a 2-D float64 array w."""
    rows, cols = w.shape
    index = np.arange(rows * cols, dtype=np.int64).reshape(rows, cols)
    out = np.empty_like(w)
    clipped = 0
    fn = {"sym": sym, "asym": asym, "nf4": nf4}[scheme]
    for r0, r1, c0, c1 in groups(rows, cols, granularity, size):
        out[r0:r1, c0:c1], k = fn(w[r0:r1, c0:c1], index[r0:r1, c0:c1], bits, rounding, seed)
        clipped += k
    return out, clipped


def inexact_deltas(w, wq):
    """Entries where w_q - w is not a binary64 value, by exact rationals."""
    return sum(Fraction(float(a)) - Fraction(float(b)) != Fraction(float(a - b))
               for a, b in zip(wq.ravel(), w.ravel()))


# ---- Cross-check against fimcheck --------------------------------------------------------------

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def same_bits(a, b):
    return a.shape == b.shape and np.array_equal(a.view(np.uint64), b.view(np.uint64))


def run(fimcheck, work, w, scheme, bits, granularity, size, rounding="nearest", seed=0):
    src = os.path.join(work, "w.npy")
    np.save(src, w)
    q_path, d_path = os.path.join(work, "q.npy"), os.path.join(work, "d.npy")
    args = [fimcheck, "quantize", src, "--scheme", scheme, "--granularity", granularity,
            "--out", q_path, "--delta-out", d_path, "--json"]
    if scheme != "nf4":
        args += ["--bits", str(bits)]
    if granularity == "group":
        args += ["--group-size", str(size)]
    if rounding == "stochastic":
        args += ["--rounding", "stochastic", "--seed", str(seed)]
    label = f"{scheme} bits={bits} {granularity}/{size} {rounding} seed={seed} {w.dtype} {w.shape}"
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        check(False, f"{label}: exit {p.returncode}: {p.stderr.strip()}")
        return
    summary = json.loads(p.stdout)
    q, d = np.load(q_path), np.load(d_path)
    w64 = np.atleast_2d(w.astype(np.float64))
    ref, clipped = quantize(w64, scheme, bits, granularity, size, rounding, seed)
    ref = ref.reshape(w.shape)
    check(q.dtype == np.float64 and d.dtype == np.float64, f"{label}: output dtype")
    check(same_bits(q, ref), f"{label}: w_q differs from the reference at "
          f"{np.argwhere(q.view(np.uint64) != ref.view(np.uint64))[:3].tolist()}")
    check(same_bits(d, ref - w.astype(np.float64)), f"{label}: delta is not fl(w_q - w)")
    check(summary["clipped"] == clipped, f"{label}: clipped {summary['clipped']} != {clipped}")
    inexact = inexact_deltas(w64, np.atleast_2d(ref))
    check(summary["delta_inexact_entries"] == inexact,
          f"{label}: delta_inexact_entries {summary['delta_inexact_entries']} != {inexact}")


def special_tensors():
    """Ties, clamps, degenerate groups, all-positive asym groups, as 2-D float64."""
    ties = np.array([[7.0, 0.5, 1.5, 2.5, -2.5, -3.5, -0.5, 6.5]])  # sym 4 bits: s = 1
    mixed = np.array([[0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 4.0, 8.0],       # a zero group of 4
                      [3.0, 3.0, 3.0, 3.0, -1.0, 2.0, -0.0, 5.0]])    # a constant group of 4
    positive = np.array([[10.0, 10.5, 11.0, 12.0, 1.0, 2.0, 4.0, 3.0]])
    subnormal = np.array([[10 * 2.0**-1074, -10 * 2.0**-1074, 3 * 2.0**-1074, 2.0**-1074]])
    # NF4 ties with absmax 1: the midpoints of levels 6..7 and 7..8, and of 13..14 (inexact, no tie)
    nf4_ties = np.array([[1.0, NF4[8] / 2, NF4[6] / 2, (NF4[13] + NF4[14]) / 2]])
    return [ties, mixed, positive, subnormal, nf4_ties]


def main():
    fimcheck = sys.argv[1]
    rng = np.random.default_rng(20240611)
    tensors = [rng.standard_normal((6, 300)).astype(np.float32),
               rng.standard_normal((5, 129)) * np.exp(rng.uniform(-8, 8, (5, 1))),
               rng.uniform(-1, 3, 257).astype(np.float32),   # 1-D, mostly positive
               rng.standard_normal(200)]
    grans = [("tensor", 0), ("channel", 0), ("group", 32), ("group", 64), ("group", 128), ("group", 50)]
    with tempfile.TemporaryDirectory(prefix="fimcheck-quantize-") as work:
        runs = 0
        for w, scheme, bits, (g, size) in itertools.product(tensors, ["sym", "asym"], [2, 3, 4, 8, 16], grans):
            run(fimcheck, work, w, scheme, bits, g, size)
            runs += 1
        for w, scheme, (g, size) in itertools.product(special_tensors(), ["sym", "asym"], [("tensor", 0), ("group", 4)]):
            for bits in [2, 3, 4]:
                run(fimcheck, work, w, scheme, bits, g, size)
                runs += 1
        small = rng.standard_normal((3, 40))
        for w, (g, size) in itertools.product([small, tensors[0][:2, :70], *special_tensors()],
                                              [("tensor", 0), ("group", 64), ("group", 4)]):
            run(fimcheck, work, w, "nf4", 4, g, size)
            runs += 1
        for scheme, bits, seed in itertools.product(["sym", "asym"], [2, 4, 8], [0, 1, 2**64 - 1]):
            run(fimcheck, work, small, scheme, bits, "group", 16, "stochastic", seed)
            runs += 1
    print(f"quantize_ref: {runs} runs, {len(FAILURES)} failures")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
