"""Tests of python/fimcheck_torch.py (the PyTorch bridge) against an independent float64 loop.

Usage: /usr/bin/python3 tests/python/test_bridge.py /path/to/fimcheck
Most tests export scores with export_scores, reassemble G from the shards after checking the
manifest, and compare G with a per-sample autograd loop run on a float64 copy of the model.
Prints one line per test and exits 1 if any failed.
"""

import copy
import json
import os
import subprocess
import sys
import tempfile
import traceback
from fractions import Fraction

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import fimcheck_torch  # noqa: E402
from fimcheck_torch import export_scores  # noqa: E402
# the module's small helpers over tensor / tuple / dict trees, not under test themselves
from fimcheck_torch import _call as call, _leaves as leaves, _tree_map as tree_map  # noqa: E402

FIMCHECK = None
WORK = None
torch.set_num_threads(2)

# Tolerance of the float32 export against the float64 reference, relative to the largest |score|
# of the row: each score here is a chain of at most ~10 layers of dot products of length <= 64 in
# float32, unit roundoff u = 2^-24 ~ 6e-8; the usual forward-error bounds give a few dozen u of the
# row's scale in practice (measured: below 4e-7 ~ 6u on every model here).  1e-5 ~ 170u leaves a
# margin and stays far below a real error (a wrong label, a missed alias of a tied weight, a
# transposed block, a sign: all O(1) relative); the negative test shows 1e-4 of the scale is caught.
REL_TOL = 1e-5


# ---- The reference: per-sample autograd in float64 -----------------------------------------------

def reference_scores(model, inputs, labels, loss=None):
    """n x d float64 scores by a plain per-sample autograd loop on a float64 copy of the model."""
    ref = copy.deepcopy(model).double().eval()
    params = [p for _, p in ref.named_parameters() if p.requires_grad]
    inputs = tree_map(lambda t: t.double() if t.is_floating_point() else t, inputs)
    if loss is not None:
        labels = tree_map(lambda t: t.double() if t.is_floating_point() else t, labels)
    rows = []
    for i in range(leaves(inputs)[0].shape[0]):
        x, y = (tree_map(lambda t: t[i:i + 1], tree) for tree in (inputs, labels))
        out = call(ref, x)
        if loss is not None:
            ll = -loss(out, y)
        else:
            ll = torch.log_softmax(out, -1).gather(-1, y.unsqueeze(-1)).sum()
        gs = torch.autograd.grad(ll, params, allow_unused=True)
        rows.append(torch.cat([torch.zeros(p.numel(), dtype=torch.float64) if g is None
                               else g.reshape(-1) for p, g in zip(params, gs)]))
    return torch.stack(rows).numpy()


# ---- Checks --------------------------------------------------------------------------------------

def assemble(out_dir, manifest, shard_params):
    """Checks manifest.json (as written and as returned) against the shards; returns G (float64)."""
    on_disk = json.load(open(os.path.join(out_dir, "manifest.json")))
    assert on_disk == manifest, "manifest.json differs from the returned manifest"
    assert manifest["format"] == "fimcheck-scores" and manifest["version"] == 1
    n, d = manifest["n"], manifest["d"]
    assert manifest["model_hash"].startswith("sha256:") and len(manifest["model_hash"]) == 71
    blocks, col, last_param = [], 0, {}
    for k, s in enumerate(manifest["shards"]):
        a, b = s["columns"]
        assert a == col and b > a, f"shard {k}: columns {s['columns']} do not follow {col}"
        assert b - a <= shard_params, f"shard {k}: width {b - a} > shard_params {shard_params}"
        pcol = a
        for p in s["params"]:
            pa, pb = p["columns"]
            assert pa == pcol and pb > pa, f"shard {k}: {p['name']} {p['columns']} not at {pcol}"
            end = last_param.get(p["name"])
            assert end is None or end == pa, f"{p['name']}: pieces not contiguous"
            last_param[p["name"]], pcol = pb, pb
        assert pcol == b, f"shard {k}: params cover up to {pcol}, shard ends at {b}"
        g = np.load(os.path.join(out_dir, s["file"]))
        assert g.dtype == np.dtype(manifest["dtype"]), (g.dtype, manifest["dtype"])
        assert g.shape == (n, b - a) and g.flags.c_contiguous, (g.shape, n, b - a)
        blocks.append(g)
        col = b
    assert col == d, f"shards end at {col}, d = {d}"
    sizes = {}
    for s in manifest["shards"]:
        for p in s["params"]:
            sizes[p["name"]] = sizes.get(p["name"], 0) + p["columns"][1] - p["columns"][0]
            assert int(np.prod(p["shape"])) >= sizes[p["name"]]
    for s in manifest["shards"]:
        for p in s["params"]:
            assert sizes[p["name"]] == int(np.prod(p["shape"])), f"{p['name']}: pieces != shape"
    assert not [f for f in os.listdir(out_dir) if f.endswith(".tmp")], "temporary file left"
    return np.concatenate(blocks, axis=1).astype(np.float64)


def param_columns(manifest, name):
    """The global column range [a, b) of a parameter (all its pieces)."""
    cols = [c for s in manifest["shards"] for p in s["params"] if p["name"] == name
            for c in p["columns"]]
    return min(cols), max(cols)


def agree(G, R, what):
    """Asserts |G - R| <= REL_TOL * (largest |R| of the row), entry by entry."""
    assert G.shape == R.shape, f"{what}: shape {G.shape} vs reference {R.shape}"
    scale = np.abs(R).max(axis=1, keepdims=True)
    assert (scale > 0).all(), f"{what}: a reference row is zero"
    err = np.abs(G - R) / scale
    worst = np.unravel_index(np.argmax(err), err.shape)
    assert err.max() <= REL_TOL, (f"{what}: score [{worst[0]}, {worst[1]}] is off by "
                                  f"{err.max():.3g} of its row's scale (tolerance {REL_TOL})")
    return err.max()


def export(model, inputs, name, **kw):
    """export_scores into a fresh folder; returns (out_dir, manifest, G)."""
    out = os.path.join(WORK, name)
    man = export_scores(model, inputs, out, **kw)
    return out, man, assemble(out, man, kw.get("shard_params", 10_000_000))


def numpy_lambda(G):
    """NumPy's float64 lambda_max of G^T G / n, as the largest eigenvalue of G G^T / n."""
    return float(np.linalg.eigvalsh(G @ G.T / G.shape[0])[-1])


def certified_lambda(path):
    """fimcheck's certified [lo, hi] of lambda_max for `lambda PATH --gram --json`, as fractions."""
    r = subprocess.run([FIMCHECK, "lambda", path, "--gram", "--json"], capture_output=True,
                       text=True)
    assert r.returncode == 0, f"lambda {path} --gram: exit {r.returncode}: {r.stderr.strip()}"
    lam = json.loads(r.stdout)["lambda_max"]
    return Fraction(lam["lo"]), Fraction(lam["hi"])


def manifest_supported():
    """True when this fimcheck's `lambda --help` says it reads a shard manifest."""
    r = subprocess.run([FIMCHECK, "lambda", "--help"], capture_output=True, text=True)
    return "manifest" in (r.stdout + r.stderr).lower()


def check_certified(out_dir, G, what):
    """fimcheck's certified lambda_max (of the manifest if supported, else of G.npy) contains
    NumPy's float64 value; and the enclosure is narrow enough to reject a value 1e-6 away."""
    g_path = os.path.join(out_dir, "G.npy")
    np.save(g_path, G.astype(np.float32))  # the exported values are float32, so this is exact
    lam = numpy_lambda(G)
    targets = [g_path] + ([os.path.join(out_dir, "manifest.json")] if manifest_supported() else [])
    for path in targets:
        lo, hi = certified_lambda(path)
        assert lo <= Fraction(lam) <= hi, f"{what}: NumPy's {lam!r} not in [{lo}, {hi}]"
        off = Fraction(lam) * (1 + Fraction(1, 10**6))
        assert not lo <= off <= hi, f"{what}: enclosure [{float(lo)}, {float(hi)}] too wide to test"
    return lam, len(targets)


# ---- Models --------------------------------------------------------------------------------------

class TinyTransformer(nn.Module):
    """Embedding, a TransformerEncoderLayer with dropout, LayerNorm, head tied to the embedding."""

    def __init__(self, vocab=23, dim=16):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.pos = nn.Parameter(0.1 * torch.randn(8, dim))
        self.layer = nn.TransformerEncoderLayer(dim, nhead=2, dim_feedforward=32, dropout=0.2,
                                                batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, vocab, bias=False)
        self.head.weight = self.embed.weight

    def forward(self, tokens):
        h = self.embed(tokens) + self.pos[: tokens.shape[1]]
        return self.head(self.norm(self.layer(h)))


class TinyConvNet(nn.Module):
    """Conv2d, BatchNorm (running statistics are buffers), ReLU, max pooling, Linear."""

    def __init__(self, classes=5):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(4 * 4 * 4, classes)

    def forward(self, x):
        return self.fc(self.pool(torch.relu(self.bn(self.conv(x)))).flatten(1))


class FrozenAndUnused(nn.Module):
    """A frozen first layer, a trainable second one and a parameter the forward pass never uses."""

    def __init__(self):
        super().__init__()
        self.frozen = nn.Linear(6, 8)
        self.frozen.requires_grad_(False)
        self.out = nn.Linear(8, 3)
        self.unused = nn.Parameter(torch.ones(5))

    def forward(self, x):
        return self.out(torch.tanh(self.frozen(x)))


class TwoInputs(nn.Module):
    """Called as model(tokens, feats) or model(tokens=..., feats=...)."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(11, 4)
        self.lin = nn.Linear(4 + 3, 4)

    def forward(self, tokens, feats):
        return self.lin(torch.cat([self.embed(tokens).mean(1), feats], -1))


class Branchy(nn.Module):
    """Data-dependent control flow: vmap refuses it, so export_scores must fall back to the loop."""

    def __init__(self):
        super().__init__()
        self.a, self.b = nn.Linear(4, 3), nn.Linear(4, 3)

    def forward(self, x):
        return self.a(x) if x.sum() > 0 else self.b(x)


class HiddenUse(nn.Module):
    """Uses lin.weight also through a plain list, which functional_call cannot see: vmap's gradient
    misses that use, and export_scores must notice and fall back to the loop."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 4)
        self.hidden = [self.lin.weight]

    def forward(self, x):
        return self.lin(x) @ self.hidden[0]


def transformer_data(n=24, seq=6, seed=0):
    torch.manual_seed(seed)
    model = TinyTransformer()
    return model, torch.randint(0, 23, (n, seq)), torch.randint(0, 23, (n, seq))


def conv_data(n=16):
    torch.manual_seed(1)
    model = TinyConvNet()
    x = torch.randn(n, 3, 8, 8)
    with torch.no_grad():  # non-trivial running statistics in the BatchNorm buffers
        model.train()
        for _ in range(3):
            model(torch.randn(32, 3, 8, 8) * 2 + 1)
    return model, x


# ---- Tests ---------------------------------------------------------------------------------------

def test_transformer_vmap_and_loop():
    model, x, y = transformer_data()
    model.train()
    R = reference_scores(model, x, y)
    msgs = []
    for method, batch in (("vmap", 7), ("loop", 5)):  # batches that do not divide n = 24
        out, man, G = export(model, x, "tf-" + method, targets=y, shard_params=500, method=method,
                             batch_size=batch)
        assert man["method"] == method, man["method"]
        assert model.training and model.layer.dropout.training, "training mode not restored"
        assert any("eval mode" in s for s in man["notes"]), man["notes"]
        assert len(man["shards"]) > 2 and man["d"] == R.shape[1], (len(man["shards"]), man["d"])
        # embed.weight is tied to head.weight: one set of columns, under the first name
        names = [p["name"] for s in man["shards"] for p in s["params"]]
        assert "embed.weight" in names and "head.weight" not in names, names
        err = agree(G, R, f"transformer ({method})")
        lam, k = check_certified(out, G, f"transformer ({method})")
        msgs.append(f"{method}: max rel err {err:.2e}, lambda_max {lam:.12g} in fimcheck's "
                    f"enclosure ({k} input{'s' if k > 1 else ''})")
    return "; ".join(msgs) + f"; n {G.shape[0]}, d {G.shape[1]}, {len(man['shards'])} shards"


def test_conv_net_labels():
    model, x = conv_data()
    model.eval()
    with torch.no_grad():
        logits = model(x)
    argmax = logits.argmax(-1)
    out, man, G = export(model, x, "conv-argmax", labels="argmax")
    err = agree(G, reference_scores(model, x, argmax), "conv net (argmax)")
    check_certified(out, G, "conv net (argmax)")
    # sampled: the same seed gives the same bytes, another seed other labels
    _, m1, G1 = export(model, x, "conv-s1", labels="sampled", seed=3, shard_params=100)
    _, m2, G2 = export(model, x, "conv-s2", labels="sampled", seed=3, shard_params=100)
    _, m3, G3 = export(model, x, "conv-s3", labels="sampled", seed=4, shard_params=100)
    assert np.array_equal(G1, G2) and m1 == m2, "sampled labels not reproducible with one seed"
    assert not np.array_equal(G1, G3) and m3["seed"] == 4, "seeds 3 and 4 gave the same scores"
    gen = torch.Generator().manual_seed(3)  # the documented draw: softmax in float64, multinomial
    sampled = torch.multinomial(torch.softmax(logits.double(), -1), 1, generator=gen)[:, 0]
    err = max(err, agree(G1, reference_scores(model, x, sampled), "conv net (sampled)"))
    assert m1["labels"] == "sampled" and m1["method"] == "vmap", (m1["labels"], m1["method"])
    return f"max rel err {err:.2e}; d {G.shape[1]}; sampled reproducible, seed-dependent"


def test_frozen_unused_float64_shards():
    torch.manual_seed(2)
    model, x = FrozenAndUnused(), torch.randn(10, 6)
    y = torch.randint(0, 3, (10,))
    out, man, G = export(model, x, "frozen", targets=y, dtype="float64", shard_params=7)
    assert man["frozen"] == ["frozen.weight", "frozen.bias"], man["frozen"]
    assert man["zero_grad"] == ["unused"], man["zero_grad"]
    assert man["d"] == 8 * 3 + 3 + 5 and man["dtype"] == "float64", (man["d"], man["dtype"])
    a, b = param_columns(man, "unused")
    assert (a, b) == (0, 5) and not G[:, a:b].any(), "the unused parameter's columns are not zero"
    a, b = param_columns(man, "out.weight")
    assert G[:, a:b].any(), "a used parameter's columns are zero"
    err = agree(G, reference_scores(model, x, y), "frozen/unused")
    return f"frozen {man['frozen']}, zero_grad {man['zero_grad']}, max rel err {err:.2e}"


def test_half_precision():
    msgs = []
    for half in (torch.float16, torch.bfloat16):
        torch.manual_seed(3)
        model = nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 4)).to(half)
        x, y = torch.randn(12, 6).to(half), torch.randint(0, 4, (12,))
        h0 = fimcheck_torch._model_hash(model)
        out, man, G = export(model, x, f"half-{half}", targets=y)
        assert next(model.parameters()).dtype == half, "the caller's model was converted"
        assert fimcheck_torch._model_hash(model) == h0 == man["model_hash"]
        assert any("float32" in s for s in man["notes"]), man["notes"]
        # the reference: float64 copy of the same half-precision weights and inputs (exact casts)
        err = agree(G, reference_scores(model, x, y), str(half))
        msgs.append(f"{str(half)[6:]} max rel err {err:.2e}")
    return ", ".join(msgs)


def test_tuple_and_dict_inputs():
    torch.manual_seed(4)
    model = TwoInputs()
    tokens, feats, y = torch.randint(0, 11, (9, 5)), torch.randn(9, 3), torch.randint(0, 4, (9,))
    R = reference_scores(model, (tokens, feats), y)
    errs = []
    for kind, inp in (("tuple", (tokens, feats)), ("dict", {"tokens": tokens, "feats": feats})):
        for method in ("vmap", "loop"):
            _, man, G = export(model, inp, f"{kind}-{method}", targets=y, method=method)
            assert man["method"] == method
            errs.append(agree(G, R, f"{kind} input ({method})"))
    return f"tuple and dict, vmap and loop: max rel err {max(errs):.2e}"


def test_user_loss():
    model, x, y = transformer_data(n=8, seq=4, seed=5)
    ce = lambda out, t: nn.functional.cross_entropy(out.flatten(0, 1), t.flatten(), reduction="sum")
    _, man, G = export(model, x, "loss-ce", targets=y, loss=ce)
    _, _, L = export(model, x, "logits-ce", targets=y)
    # score = -grad loss: with the cross-entropy it is the logits path's grad log p, same sign
    err = agree(G, L, "user cross-entropy vs logits path")
    assert any("minus the gradient" in s for s in man["notes"]), man["notes"]
    torch.manual_seed(6)
    reg = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2))
    xs, ts = torch.randn(7, 3), torch.randn(7, 2)
    mse = lambda out, t: 0.5 * ((out - t) ** 2).sum()
    _, _, G2 = export(reg, xs, "loss-mse", targets=ts, loss=mse)
    err = max(err, agree(G2, reference_scores(reg, xs, ts, loss=mse), "user MSE loss"))
    return f"cross-entropy loss == logits path, MSE vs reference: max rel err {err:.2e}"


def test_auto_falls_back_to_loop():
    torch.manual_seed(7)
    model, x, y = Branchy(), torch.randn(8, 4), torch.randint(0, 3, (8,))
    _, man, G = export(model, x, "branchy", targets=y)
    assert man["method"] == "loop", man["method"]
    assert any("vmap failed" in s for s in man["notes"]), man["notes"]
    assert man["zero_grad"] == [] and G.any()
    err = agree(G, reference_scores(model, x, y), "fallback loop")
    try:
        export_scores(model, x, os.path.join(WORK, "branchy-forced"), targets=y, method="vmap")
        raise AssertionError("method='vmap' did not raise on a model vmap cannot run")
    except (RuntimeError, ValueError):
        pass
    os.environ["FIMCHECK_TORCH_METHOD"] = "loop"
    try:
        _, man2, _ = export(*transformer_data(n=4)[:2], "env-loop",
                            targets=transformer_data(n=4)[2])
    finally:
        del os.environ["FIMCHECK_TORCH_METHOD"]
    assert man2["method"] == "loop", man2["method"]
    return f"auto -> loop with the reason in notes, max rel err {err:.2e}; env var forces loop"


def test_vmap_checked_against_loop():
    torch.manual_seed(9)
    model, x, y = HiddenUse(), torch.randn(6, 4), torch.randint(0, 4, (6,))
    _, man, G = export(model, x, "hidden", targets=y)
    assert man["method"] == "loop", man["method"]
    assert any("differs from autograd" in s for s in man["notes"]), man["notes"]
    err = agree(G, reference_scores(model, x, y), "hidden use")
    return f"a use vmap cannot see is caught; the loop's scores agree (max rel err {err:.2e})"


def test_large_parameter_split():
    torch.manual_seed(8)
    model, x = nn.Sequential(nn.Linear(30, 20), nn.Linear(20, 3)), torch.randn(5, 30)
    y = torch.randint(0, 3, (5,))
    _, man, G = export(model, x, "split", targets=y, shard_params=256)
    pieces = [(p["name"], p["columns"]) for s in man["shards"] for p in s["params"]]
    assert pieces[:3] == [("0.weight", [0, 256]), ("0.weight", [256, 512]),
                          ("0.weight", [512, 600])], pieces
    err = agree(G, reference_scores(model, x, y), "split parameter")
    return f"{len(man['shards'])} shards, pieces {pieces[:4]}..., max rel err {err:.2e}"


def test_dequantized_copy():
    model, x, y = transformer_data(n=10)
    before = copy.deepcopy(model.state_dict())
    q = fimcheck_torch.dequantized_copy(model, fimcheck=FIMCHECK)
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items()), "model changed"
    assert q.head.weight is q.embed.weight, "the copy lost the tie"
    for name, p in q.named_parameters():
        orig = dict(model.named_parameters())[name]
        if p.dim() < 2:
            assert torch.equal(p, orig), f"{name}: a vector was quantized"
            continue
        assert not torch.equal(p, orig), f"{name}: not quantized"
        rows = p.detach().reshape(p.shape[0], -1)
        for g in range(0, rows.shape[1], 32):
            levels = max(len(torch.unique(r[g:g + 32])) for r in rows)
            assert levels <= 16, f"{name}: {levels} values in a 4-bit group"
    out, man, G = export(q, x, "dequantized", targets=y)
    assert man["model_hash"] != fimcheck_torch._model_hash(model), "same hash for another model"
    err = agree(G, reference_scores(q, x, y), "dequantized copy")
    lam, _ = check_certified(out, G, "dequantized copy")
    ref_out, _, G_ref = export(model, x, "dequantized-ref", targets=y)
    check_certified(ref_out, G_ref, "reference of the dequantized copy")
    sigma = check_sigma(ref_out, out)
    return (f"4-bit sym copy: max rel err {err:.2e}, lambda_max {lam:.12g} certified, "
            f"sigma {sigma:.9g} certified")


def check_sigma(base_dir, step_dir):
    """`fimcheck sigma --gram --base BASE STEP` (manifests if supported, else the G.npy files that
    check_certified wrote) encloses NumPy's float64 ratio of the two lambda_max."""
    ratio = Fraction(numpy_lambda(np.load(os.path.join(step_dir, "G.npy")).astype(np.float64)))
    ratio /= Fraction(numpy_lambda(np.load(os.path.join(base_dir, "G.npy")).astype(np.float64)))
    names = ["G.npy"] + (["manifest.json"] if manifest_supported() else [])
    for name in names:
        base, step = os.path.join(base_dir, name), os.path.join(step_dir, name)
        r = subprocess.run([FIMCHECK, "sigma", "--gram", "--base", base, step, "--json"],
                           capture_output=True, text=True)
        assert r.returncode == 0, f"sigma on {name}: exit {r.returncode}: {r.stderr.strip()}"
        sig = json.loads(r.stdout)["steps"][0]["sigma"]
        lo, hi = Fraction(sig["lo"]), Fraction(sig["hi"])
        # both NumPy values lie in their lambda enclosures (check_certified), so their exact
        # ratio lies in the quotient of the enclosures, which sigma's enclosure contains
        assert lo <= ratio <= hi, f"sigma on {name}: NumPy's {float(ratio)!r} not in [{lo}, {hi}]"
    return float(ratio)


def test_errors():
    model, x, y = transformer_data(n=3)
    bad_file = os.path.join(WORK, "a-file")
    open(bad_file, "w").close()
    frozen = copy.deepcopy(model).requires_grad_(False)
    cases = [
        ("targets", dict(labels="data"), x, model, "labels='data' needs targets"),
        ("no samples", dict(targets=y[:0]), x[:0], model, "no samples"),
        ("dtype", dict(targets=y, dtype="float16"), x, model, "dtype='float16'"),
        ("labels", dict(labels="true"), x, model, "labels='true'"),
        ("frozen", dict(targets=y), x, frozen, "no trainable parameter"),
        ("targets count", dict(targets=y[:2]), x, model, "targets have 2 samples"),
        ("loss sampled", dict(labels="sampled", loss=lambda o, t: o.sum()), x, model,
         "needs logits"),
    ]
    for what, kw, inp, mdl, words in cases:
        out = os.path.join(WORK, "err-" + what.replace(" ", "-"))
        try:
            export_scores(mdl, inp, out, **kw)
            raise AssertionError(f"{what}: no ValueError")
        except ValueError as e:
            assert words in str(e), f"{what}: message {e!r} lacks {words!r}"
        assert not os.path.exists(os.path.join(out, "manifest.json")), f"{what}: manifest written"
    try:
        export_scores(model, x, os.path.join(bad_file, "sub"), targets=y)
        raise AssertionError("unwritable out_dir: no ValueError")
    except ValueError as e:
        assert "cannot be written" in str(e), str(e)
    return f"{len(cases) + 1} bad calls refused with ValueError"


class Broken(nn.Module):
    """A forward pass that fails (vmap and loop alike)."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(3, 2)

    def forward(self, x):
        raise RuntimeError("broken forward")


def test_failed_export_leaves_no_manifest():
    torch.manual_seed(10)
    x, y = torch.randn(4, 3), torch.randint(0, 2, (4,))
    out, man, _ = export(nn.Linear(3, 2), x, "rewrite", targets=y)
    try:
        export_scores(Broken(), x, out, targets=y)
        raise AssertionError("a failing forward pass did not raise")
    except RuntimeError as e:
        assert "broken forward" in str(e), str(e)
    left = sorted(os.listdir(out))
    assert "manifest.json" not in left, "the old manifest survived a failed export"
    assert not [f for f in left if f.endswith(".tmp")], f"temporary files left: {left}"
    return f"after a failed export: {left} (no manifest, no temporary file)"


def test_checks_can_fail():
    """The comparisons of this file catch a wrong export: a perturbed score, a wrong manifest."""
    model, x, y = transformer_data(n=6)
    out, man, G = export(model, x, "negative", targets=y, shard_params=500)
    R = reference_scores(model, x, y)
    agree(G, R, "unperturbed")
    bad = G.copy()
    col = int(np.argmax(np.abs(R[2])))
    bad[2, col] += 1e-4 * np.abs(R[2]).max()
    caught = []
    try:
        agree(bad, R, "perturbed")
    except AssertionError as e:
        caught.append(str(e).split(":")[1].strip())
    assert caught and f"[2, {col}]" in caught[0], "a perturbed score went undetected"
    wrong = copy.deepcopy(man)
    wrong["shards"][1]["columns"][1] -= 1
    json.dump(wrong, open(os.path.join(out, "manifest.json"), "w"))
    try:
        assemble(out, wrong, 500)
        raise RuntimeError("a wrong shard column range went undetected")
    except AssertionError:
        pass
    lam = numpy_lambda(G)
    lo, hi = certified_lambda(_save(out, G))
    assert not lo <= Fraction(lam * (1 + 1e-6)) <= hi, "a wrong lambda_max went undetected"
    return f"perturbed {caught[0]}; bad columns and a lambda 1e-6 off rejected"


def _save(out, G):
    path = os.path.join(out, "G.npy")
    np.save(path, G.astype(np.float32))
    return path


def main():
    global FIMCHECK, WORK
    FIMCHECK = os.path.abspath(sys.argv[1])
    tests = [(k, f) for k, f in globals().items() if k.startswith("test_") and callable(f)]
    failed = 0
    with tempfile.TemporaryDirectory(prefix="fimcheck-bridge.") as WORK:
        for name, fn in tests:
            try:
                print(f"ok   {name}: {fn()}")
            except Exception:  # report every test, then fail
                failed += 1
                print(f"FAIL {name}:\n{traceback.format_exc()}")
    print(f"{len(tests) - failed} of {len(tests)} bridge tests passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
