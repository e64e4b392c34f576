"""Writes forged and hand-made certificates for tests/cli/verify_forgeries.sh, one per adversarial
class of issue 12 (proofs/verify.md, section 6), each with the exit code verify-cert must give:
0 confirmed, 1 not confirmed, 2 refused. Usage: verify_forgeries.py CERT_DIR OUT_DIR > LIST
CERT_DIR holds true certificates written by `fimcheck check` (one subfolder per claim/variant)."""
import copy, glob, json, os, sys
from fractions import Fraction

certs, out = sys.argv[1], sys.argv[2]
cases = []  # (expected exit codes, name, file)


def first(sub):
    return json.load(open(sorted(glob.glob(os.path.join(certs, sub, "cert-*.json")))[0]))


def emit(expect, name, cert=None, text=None, why=""):
    """One forged certificate; `why`, when given, is text verify-cert's one line must contain."""
    path = os.path.join(out, "f%02d.json" % len(cases))
    with open(path, "w") as f:
        f.write(text if text is not None else json.dumps(cert))
    cases.append((expect, name, path, why))


def bound_index(cert, side):
    return next(k for k, b in enumerate(cert["bounds"]) if side in b)


weyl = first("weyl-index-shift")
direc = first("directional-upper")
small = first("remainder-small-constant")
nohyp = first("remainder-no-norm-hypothesis")
conj = first("remainder-conjectured")

# -- numbers: zero and signed denominators, inexact or non-finite entries, JSON numbers --
for bad in ["1/0", "-1/0", "-4/-1", "1/-1", "2/0", "1e5.5", "inf", "nan", "", "0x1p+99999999", "1 ", "0x1.8"]:
    c = copy.deepcopy(weyl)
    c["bounds"][bound_index(c, "lower")]["lower"] = bad
    emit("2", "bound written %r is refused" % bad, c)
c = copy.deepcopy(weyl)
c["matrices"]["A"][0][0] = "inf"
emit("2", "a matrix entry 'inf' is refused", c)
c = copy.deepcopy(weyl)
c["matrices"]["E"][0][0] = 0.5
emit("2", "a JSON number where a string number belongs is refused", c)
c = copy.deepcopy(conj)
c["bound"] = "2/0*normE^3"
emit("1", "a conjectured bound dividing by zero (2/0) confirms nothing", c)
c = copy.deepcopy(small)
c["bound"] = {"constant": "2/0", "power": 3}
emit("2", "a constant '2/0' attached to a remainder certificate is an extra field", c)

# -- exact reading: a 2^-53 difference and decimal entries are not rounded away --
def half_top(a, e, sum_lo, a_hi, e_hi):
    return {"fimcheck_certificate": 2, "kind": "linear-eigenvalue-inequality", "claim": "weyl",
            "variant": "half-top", "where": {"i": 1}, "matrices": {"A": [[a]], "E": [[e]]},
            "bounds": [{"matrix": "A+E", "index": 1, "lower": sum_lo}, {"matrix": "A", "index": 1, "upper": a_hi},
                       {"matrix": "E", "index": 1, "upper": e_hi}]}
emit("0", "exact 1x1 weyl half-top counterexample (hex) is confirmed", half_top("0x1p+0", "0x1p-2", "0x1.4p+0", "0x1p+0", "0x1p-2"))
emit("1", "hex bound with 54 significant bits (1 + 2^-53 > 1) is read exactly, not rounded to 1",
     half_top("0x1p+0", "0x0p+0", "0x1.00000000000008p+0", "0x1p+0", "0x0p+0"))
emit("1", "decimal entry 0.1 is read exactly: lambda_1(A+E) >= fl(0.1) is false",
     half_top("0.1", "0", "0x1.999999999999ap-4", "0.1", "0"))
emit("0", "decimal entries 1e-400 are read exactly (not flushed to 0)", half_top("1e-400", "1e-400", "2e-400", "1e-400", "1e-400"))

# -- derived inequalities: labels cannot be attached to another inequality --
c = copy.deepcopy(weyl)
c["variant"] = "stated"
emit("12", "weyl index-shift certificate relabelled 'stated' (a true inequality) is refused", c)
c = copy.deepcopy(weyl)
c["inequality"] = {"lhs": [], "rhs": [], "constant": "-1"}
emit("2", "an 'inequality' block of the certificate's own is refused", c)
c = copy.deepcopy(nohyp)
c["variant"] = "stated"
emit("1", "remainder certificate without ||E|| < g/2 relabelled 'stated' is refused", c)
c = copy.deepcopy(small)
c["variant"] = "stated"
emit("1", "remainder small-constant certificate relabelled 'stated' (a true theorem) is refused", c)
c = copy.deepcopy(weyl)
c["claim"] = "directional"
emit("2", "claim label changed (weyl -> directional) is refused", c)
c = copy.deepcopy(weyl)
c["variant"] = "half-top"
emit("2", "variant label changed (index-shift -> half-top) is refused", c)

# -- remainder three-quarters, by hand: proofs/remainder.md section 5, family P at t = 2^-10,
# A = diag(1, 0), E = t [[-3, 4], [4, 3]], ||E|| = 5t, g = 1; lambda_1(A+E) = (1 + sqrt((1-6t)^2 + 64t^2))/2
# is bracketed by 40-digit decimals (Python's decimal module, then the verifier's inertia counts).
import decimal
decimal.getcontext().prec = 60
t = decimal.Decimal(1) / 1024
lam = (1 + ((1 - 6 * t) ** 2 + 64 * t * t).sqrt()) / 2
def decimal_text(x, rounding):
    return str(x.quantize(decimal.Decimal("1e-40"), rounding=rounding))
tq = {"fimcheck_certificate": 2, "kind": "remainder", "claim": "remainder", "variant": "three-quarters", "where": {},
      "matrices": {"A": [["1", "0"], ["0", "0"]], "E": [["-3/1024", "4/1024"], ["4/1024", "3/1024"]]},
      "bounds": [{"matrix": "A+E", "index": 1, "lower": decimal_text(lam, decimal.ROUND_FLOOR),
                  "upper": decimal_text(lam, decimal.ROUND_CEILING)},
                 {"matrix": "E", "index": 1, "lower": "5/1024", "upper": "5/1024"},
                 {"matrix": "E", "index": 2, "lower": "-5/1024", "upper": "-5/1024"}]}
emit("0", "remainder three-quarters refuted by family P at t = 2^-10 (remainder.md section 5)", tq)
c = copy.deepcopy(tq)
c["variant"] = "stated"
emit("1", "the same case relabelled 'stated' (a true theorem) is not confirmed", c)

approx = first("approx-frobenius-norm-as-lower")
c = copy.deepcopy(approx)
c["user_approximation"] = {"claimed": "lower"}
c["value_bounds"] = {"lower": "1000000", "upper": "1000000"}
emit("2", "a built-in approximation dressed as user code (value recorded, not recomputed) is refused", c)
c = copy.deepcopy(approx)
c["where"] = {"approximation": "frobenius-ratio"}
emit("2", "an approximation name changed is refused (not a reading of the variant)", c)

# -- size: a huge power is refused at once --
c = copy.deepcopy(conj)
c["bound"] = "normE^2147483648"
emit("2", "a bound expression normE^2147483648 is refused", c)
c = copy.deepcopy(conj)
c["bound"] = "((normE^64)^64)^64"
emit("2", "a tower of powers beyond 10^6 bits is refused", c)

# -- strict JSON --
text = json.dumps(weyl)
emit("2", "a duplicate key is refused", text=text.replace('"variant": "index-shift"', '"variant": "index-shift", "variant": "stated"', 1))
for field in ["where", "bounds", "matrices", "claim"]:
    c = copy.deepcopy(weyl)
    del c[field]
    emit("2", "a missing field '%s' is refused" % field, c)
c = copy.deepcopy(weyl)
c["statement"] = "anything"
emit("2", "an extra field is refused", c)
c = copy.deepcopy(weyl)
c["bounds"][0]["note"] = "x"
emit("2", "an extra field inside a bound is refused", c)
c = copy.deepcopy(weyl)
c["kind"] = "spectral-gap"
emit("2", "an unknown certificate kind is refused", c)
c = copy.deepcopy(weyl)
c["claim"] = "nonsense"
emit("2", "an unknown claim is refused", c)
c = copy.deepcopy(weyl)
c["fimcheck_certificate"] = 1
emit("2", "format 1 is refused", c)
emit("2", "a file that is not JSON is refused", text="{\"fimcheck_certificate\": 2,")
emit("2", "a deeply nested file is refused", text="[" * 100000 + "]" * 100000)

# -- forgeries of a true counterexample --
c = copy.deepcopy(weyl)
k = bound_index(c, "lower")
v = Fraction(c["bounds"][k]["lower"])
c["bounds"][k]["lower"] = str(v + abs(v) + 1)
emit("1", "a lower bound moved past the truth is not confirmed", c)
c = copy.deepcopy(weyl)
k = bound_index(c, "upper")
v = Fraction(c["bounds"][k]["upper"])
c["bounds"][k]["upper"] = str(v - abs(v) - 1)
emit("1", "an upper bound moved past the truth is not confirmed", c)
c = copy.deepcopy(direc)
kk = c["where"]["k"] - 1
c["matrices"]["E"][kk][kk] = float.hex(float.fromhex(c["matrices"]["E"][kk][kk]) + 1000.0)
emit("1", "a matrix entry changed (E_kk + 1000 of directional upper) is not confirmed", c)
c = copy.deepcopy(weyl)
c["where"] = {"i": weyl["where"]["j"], "j": weyl["where"]["i"]}
emit("12", "indices i and j swapped are refused", c)
c = copy.deepcopy(weyl)
b = c["bounds"][bound_index(c, "lower")]
b["index"] = 2 if b["index"] == 1 else 1
emit("12", "a bound's eigenvalue index changed is refused", c)

# -- resources: one work budget per certificate, bounded object counts and number sizes --
import random
rng = random.Random(1)
n = 60
m = [[0] * n for _ in range(n)]
for i in range(n):
    for j in range(i + 1):
        m[i][j] = m[j][i] = str(rng.randrange(10**299, 10**300))
c = copy.deepcopy(weyl)
c["matrices"] = {"A": m, "E": [["0"] * n for _ in range(n)]}
c["bounds"] = [{"matrix": "A+E", "index": 1, "lower": "0"}] * 3
emit("2", "a 60 x 60 matrix of 300-digit entries with three bounds: refused by the certificate's one work budget", c,
     why="exceed their budget")
emit("2", "30000 empty objects in the bounds: refused (more than 20000 JSON objects)",
     text=json.dumps(weyl).replace('"bounds": [', '"bounds": [' + "{}, " * 30000, 1), why="more than 20000 JSON objects")
c = copy.deepcopy(weyl)
c["bounds"][bound_index(c, "lower")]["lower"] = "1" * 7000  # about 23000 bits
emit("2", "a 7000-digit bound: refused (more than 20000 bits)", c, why="more than 20000 bits")
c = copy.deepcopy(weyl)
c["claim"] = "we\u0000yl"
emit("2", "a claim name with a NUL character: refused, the NUL shown escaped", c, why="we\\x00yl")

# -- every false variant's own certificate is confirmed --
for sub in sorted(os.listdir(certs)):
    for f in sorted(glob.glob(os.path.join(certs, sub, "cert-*.json")))[:2]:
        cases.append(("0", "the true certificate %s/%s is confirmed" % (sub, os.path.basename(f)), f, ""))

for expect, name, path, why in cases:
    print("%s\t%s\t%s\t%s" % (expect, path, name, why))
