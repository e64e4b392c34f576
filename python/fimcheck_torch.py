"""Export per-sample scores of a PyTorch model as fimcheck score shards.

Import by path (no installation needed):

    import sys; sys.path.insert(0, "path/to/fimcheck/python")
    from fimcheck_torch import export_scores
    manifest = export_scores(model, x, "scores/", labels="sampled", seed=1)

then certify with `fimcheck lambda scores/manifest.json --gram`.  The file format is the one
fimcheck reads: column shards (2-D C-order .npy files) and `manifest.json` (see export_scores).
Requires torch >= 1.13 with functorch (Debian 12: python3-torch) and numpy.
"""

import copy
import hashlib
import json
import os
import tempfile
import warnings

import numpy as np
import torch
from torch.nn.utils import stateless

try:  # functorch ships with torch 1.13; newer torch has the same transforms in torch.func
    from functorch import grad as _ft_grad, vmap as _ft_vmap
except ImportError:  # pragma: no cover - depends on the installed torch
    from torch.func import grad as _ft_grad, vmap as _ft_vmap

_LABELS = ("data", "sampled", "argmax")
_DTYPES = {"float32": np.float32, "float64": np.float64}
_METHODS = ("auto", "vmap", "loop")
_HALF = (torch.float16, torch.bfloat16)


class UsageError(ValueError):
    """A call export_scores cannot honour; the message says what to change."""

# Per-sample gradients held at once, in entries: bounds the automatic batch size (128 MiB float32).
_BATCH_ENTRIES = 1 << 25


def export_scores(model, inputs, out_dir, labels="data", targets=None, loss=None,
                  shard_params=10_000_000, dtype="float32", seed=0, *, batch_size=None,
                  method="auto"):
    """Write the n x d matrix of per-sample scores of `model` on `inputs` as shards in `out_dir`.

    Scores.  Row i is g_i = grad_theta log p(y_i | x_i) over the trainable parameters theta.
    Without `loss` the model's output is taken as logits: log p(y | x) = log_softmax(logits)[y]
    over the last dimension; for a sequence model (logits [n, T, V], labels [n, T]) it is the sum
    over the T positions.  With `loss`, loss(output, target) is called on one sample at a time
    (batch dimension of size 1 kept) and must return a scalar; the score is then
    g_i = -grad_theta loss(output_i, target_i), the gradient of the log-likelihood when the loss is
    the negative log-likelihood (a sign flip changes no eigenvalue of G^T G / n, but keeps the
    scores comparable with those of the logits path).

    Labels.  "data": y_i = targets[i] (`targets` required).  "sampled": y_i ~ p(. | x_i), drawn by
    a torch.Generator seeded with `seed` (same seed, same model, same inputs: same labels); its
    G^T G / n is the true Fisher in expectation.  "argmax": y_i = the model's prediction
    (deterministic, but biased towards confident directions).  "sampled" and "argmax" need logits
    (no `loss`).

    Inputs.  A tensor (called as model(x)), a tuple or list of tensors (model(*x)) or a dict of
    tensors (model(**x)), batch dimension first; `targets` likewise (a tensor for the logits path).

    Model.  Put in eval mode for the export (dropout off) and restored afterwards.  Parameters with
    requires_grad=False are left out ("frozen").  Trainable parameters come in named_parameters()
    order (a tied parameter once, under its first name), each flattened in C order.  Buffers are
    passed as they are.  float16/bfloat16 parameters: the scores are computed on a float32 copy of
    the model (float16/bfloat16 input tensors are cast to float32 too).  Otherwise the scores are
    computed in the parameters' own precision and stored as `dtype` ("float32" or "float64").

    Method.  Per-sample gradients come from functorch's vmap(grad(functional_call)) on mini-batches
    of `batch_size` samples (default: as many as keep one batch of gradients of one shard's
    parameters under 2^25 entries, at least 1 and at most 64).  If that fails (an operation without
    a batching rule, data-dependent control flow), or if its gradient of the first sample of a
    shard differs from plain autograd's (a parameter also used through a tensor the module does not
    register), a per-sample autograd loop is used and the reason goes into "notes".  `method`
    ("auto", "vmap" or "loop") forces one of the two; so does the environment variable
    FIMCHECK_TORCH_METHOD when `method` is "auto".  Each shard is a separate pass over the samples,
    so at most one shard (written in place through a memory map, not held in memory) and one batch
    of per-sample gradients exist at a time; the full n x d matrix is never built.

    Files.  scores-00000.npy, ... each n x (at most shard_params) columns, split at parameter
    boundaries where possible (a parameter larger than shard_params spans several shards), and
    manifest.json, in the format fixed for fimcheck (format "fimcheck-scores", version 1).  Every
    file is written to a temporary file in out_dir and renamed into place; an existing
    manifest.json is removed first, so a failed export never leaves a manifest that names shards of
    two different exports.  "zero_grad" lists the parameters whose columns are all exactly zero
    (unused by the forward pass, or zero gradient on every sample); "model_hash" is the sha256 of
    the model's parameters, frozen ones included (see _model_hash).

    Returns the manifest as a dict; its "method" says whether vmap or the loop computed the scores.
    Raises UsageError, a ValueError saying what to change, for: labels "data" without targets,
    no samples, an unknown dtype/labels/method (FIMCHECK_TORCH_METHOD included), no trainable
    parameter, an out_dir that cannot be written.
    """
    method = method if method != "auto" else os.environ.get("FIMCHECK_TORCH_METHOD", "auto")
    _check_options(labels, targets, loss, shard_params, dtype, method, batch_size)
    n = _batch_size_of(inputs, "inputs")
    if labels == "data" and _batch_size_of(targets, "targets") != n:
        raise UsageError(f"targets have {_batch_size_of(targets, 'targets')} samples but inputs "
                         f"have {n}: give one target per input")
    names, params, frozen = _split_parameters(model)
    if not any(p.numel() for p in params):
        raise UsageError("the model has no trainable parameter (every requires_grad is False): "
                         "set requires_grad=True on the parameters whose scores you want")
    _prepare_out_dir(out_dir)

    notes = ["model in eval mode (dropout off) during the export; its training mode restored after"]
    modes = [(mod, mod.training) for mod in model.modules()]
    try:
        model.eval()
        work, inputs, half_notes = _float32_work_copy(model, inputs)
        notes += half_notes
        job = _Job(work, names, inputs, n, loss)
        job.labels = _labels(job, labels, targets, seed, batch_size or 64)
        plan = _plan_shards(names, [list(p.shape) for p in params], shard_params)
        with warnings.catch_warnings():  # functorch's "performance drop": a fallback batching rule
            warnings.filterwarnings("ignore", message="There is a performance drop")
            used, zero_grad, nonfinite = _write_shards(job, plan, out_dir, _DTYPES[dtype],
                                                       batch_size, method, notes)
    finally:
        for mod, training in modes:
            mod.training = training
    if loss is not None:
        notes.append("scores are minus the gradient of the user loss (score = grad log-likelihood)")
    if nonfinite:
        notes.append(f"{nonfinite} score entries are not finite (NaN or infinity)")
    manifest = {
        "format": "fimcheck-scores", "version": 1, "n": n,
        "d": plan[-1]["columns"][1], "dtype": dtype, "labels": labels, "seed": int(seed),
        "method": used, "model_hash": _model_hash(model),
        "shards": [{k: s[k] for k in ("file", "columns", "params")} for s in plan],
        "zero_grad": zero_grad, "frozen": frozen, "notes": notes,
    }
    _atomic_write(out_dir, "manifest.json",
                  lambda path: _write_bytes(path, json.dumps(manifest, indent=1).encode() + b"\n"))
    return manifest


def dequantized_copy(model, fimcheck="build/fimcheck", scheme=("--bits", "4", "--scheme", "sym",
                     "--granularity", "group", "--group-size", "32")):
    """A copy of `model` whose weight matrices (every parameter of 2 or more dimensions, a tied one
    once) are replaced by the dequantized w_q of `fimcheck quantize SCHEME`; vectors (biases,
    norms) stay.  A kernel of more than 2 dimensions is quantized as one row per output channel.
    The model itself is not changed."""
    import subprocess
    q = copy.deepcopy(model)
    with tempfile.TemporaryDirectory() as tmp:
        w, wq = os.path.join(tmp, "w.npy"), os.path.join(tmp, "wq.npy")
        for _, p in q.named_parameters():  # a tied parameter is listed once
            if p.dim() < 2:
                continue
            np.save(w, p.detach().double().cpu().reshape(p.shape[0], -1).numpy())
            subprocess.run([fimcheck, "quantize", w, *scheme, "--out", wq], check=True,
                           stdout=subprocess.DEVNULL)
            with torch.no_grad():  # w_q is float64; a float32 model keeps fl32(w_q)
                p.copy_(torch.from_numpy(np.load(wq)).reshape(p.shape))
    return q


def _write_bytes(path, data):
    """Writes data to the file at path."""
    with open(path, "wb") as f:
        f.write(data)


def _check_options(labels, targets, loss, shard_params, dtype, method, batch_size):
    """Raises ValueError, naming the fix, for an option export_scores cannot honour."""
    if labels not in _LABELS:
        raise UsageError(f"labels={labels!r}: use one of {', '.join(map(repr, _LABELS))}")
    if dtype not in _DTYPES:
        raise UsageError(f"dtype={dtype!r}: use 'float32' or 'float64'")
    if method not in _METHODS:
        raise UsageError(f"method={method!r} (or FIMCHECK_TORCH_METHOD): use one of "
                         f"{', '.join(map(repr, _METHODS))}")
    if labels == "data" and targets is None:
        raise UsageError("labels='data' needs targets=...: pass the labels, or use "
                         "labels='sampled' or 'argmax' when there is no ground truth")
    if loss is not None and labels != "data":
        raise UsageError(f"labels={labels!r} needs logits: with a user loss use labels='data' "
                         "and pass targets")
    if isinstance(shard_params, bool) or not isinstance(shard_params, int) or shard_params < 1:
        raise UsageError(f"shard_params={shard_params!r}: give a positive integer "
                         "(columns per shard)")
    if batch_size is not None and (not isinstance(batch_size, int) or batch_size < 1):
        raise UsageError(f"batch_size={batch_size!r}: give a positive integer or None")


def _batch_size_of(tree, what):
    """The common first dimension of the tensors in a tensor/tuple/list/dict; ValueError if none."""
    leaves = _leaves(tree)
    if not leaves or any(not isinstance(t, torch.Tensor) for t in leaves):
        raise UsageError(f"{what} must be a tensor, a tuple/list of tensors or a dict of tensors")
    sizes = {t.shape[0] if t.dim() > 0 else None for t in leaves}
    if None in sizes or len(sizes) != 1:
        raise UsageError(f"{what}: every tensor needs the same batch dimension first "
                         f"(got shapes {[tuple(t.shape) for t in leaves]})")
    n = sizes.pop()
    if n == 0:
        raise UsageError(f"{what} has no samples (batch dimension 0): give at least one")
    return n


def _leaves(tree):
    """The tensors of a tensor, tuple/list or dict, in order."""
    if isinstance(tree, dict):
        return [t for v in tree.values() for t in _leaves(v)]
    if isinstance(tree, (tuple, list)):
        return [t for v in tree for t in _leaves(v)]
    return [tree]


def _tree_map(fn, tree):
    """Applies fn to every tensor of a tensor, tuple/list or dict, keeping the structure."""
    if isinstance(tree, dict):
        return {k: _tree_map(fn, v) for k, v in tree.items()}
    if isinstance(tree, (tuple, list)):
        return type(tree)(_tree_map(fn, v) for v in tree)
    return fn(tree)


def _call(module, x):
    """module(x), module(*x) or module(**x) for a tensor, tuple/list or dict input."""
    if isinstance(x, dict):
        return module(**x)
    if isinstance(x, (tuple, list)):
        return module(*x)
    return module(x)


def _split_parameters(model):
    """(names, tensors) of the trainable parameters in named_parameters() order, frozen names."""
    names, params, frozen = [], [], []
    for name, p in model.named_parameters():
        if p.requires_grad:
            names.append(name)
            params.append(p)
        else:
            frozen.append(name)
    return names, params, frozen


def _prepare_out_dir(out_dir):
    """Creates out_dir, proves it writable, removes an old manifest; ValueError if it cannot."""
    try:
        os.makedirs(out_dir, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".probe-", suffix=".tmp", dir=out_dir)
        os.close(fd)
        os.remove(probe)
        old = os.path.join(out_dir, "manifest.json")
        if os.path.lexists(old):
            os.remove(old)
    except OSError as e:
        raise UsageError(f"out_dir {out_dir!r} cannot be written ({e.strerror or e}): "
                         "give a writable directory") from None


def _float32_work_copy(model, inputs):
    """(model to differentiate, inputs, notes): a float32 copy if a parameter is half precision."""
    if not any(p.dtype in _HALF for p in model.parameters()):
        return model, inputs, []
    work = copy.deepcopy(model).float()  # deepcopy keeps tied parameters tied
    work.eval()
    half = sorted({str(p.dtype)[6:] for p in model.parameters() if p.dtype in _HALF})
    inputs = _tree_map(lambda t: t.float() if t.dtype in _HALF else t, inputs)
    return work, inputs, [f"scores computed in float32 for {'/'.join(half)} parameters "
                          "(on a float32 copy of the model; half-precision inputs cast to float32)"]


def _model_hash(model):
    """"sha256:<hex>" over every parameter (frozen too) in named_parameters() order: for each, the
    UTF-8 name, NUL, the shape as a decimal list like "[10, 100]", NUL, the dtype like "float32",
    NUL, then the raw bytes of the values in C order in the machine's byte order."""
    h = hashlib.sha256()
    for name, p in model.named_parameters():
        t = p.detach().cpu().contiguous()
        h.update(f"{name}\0{list(t.shape)}\0{str(t.dtype).replace('torch.', '')}\0".encode())
        if t.dtype == torch.bfloat16:  # numpy has no bfloat16: hash the same 2 bytes as int16
            t = t.view(torch.int16)
        h.update(t.numpy().tobytes())
    return "sha256:" + h.hexdigest()


class _Job:
    """What every pass over the samples needs: the model and its aliases, inputs, labels, loss."""

    def __init__(self, model, names, inputs, n, loss):
        self.model, self.names, self.inputs, self.n, self.loss = model, names, inputs, n, loss
        self.labels = None
        self.aliases = _aliases(model)
        self.param = dict(model.named_parameters())

    def rows(self, tree, lo, hi):
        """Samples lo..hi-1 of a tensor tree."""
        return _tree_map(lambda t: t[lo:hi], tree)


def _aliases(model):
    """id(tensor) -> every dotted name under which a parameter or buffer is reachable (tied weights
    have several); functional_call must replace all of them, or a tied use escapes the gradient."""
    out = {}

    def walk(module, prefix, seen):
        for kind in (module._parameters, module._buffers):
            for name, t in kind.items():
                if t is not None:
                    out.setdefault(id(t), []).append(prefix + name)
        for name, child in module._modules.items():
            if child is not None and id(child) not in seen:
                walk(child, prefix + name + ".", seen | {id(child)})

    walk(model, "", {id(model)})
    return out


def _labels(job, labels, targets, seed, batch):
    """The y_i for every sample: targets as given, or sampled / argmax from the model's logits."""
    if labels == "data":
        return targets
    gen = torch.Generator().manual_seed(int(seed))
    out = []
    with torch.no_grad():
        for lo in range(0, job.n, batch):
            logits = _logits(_call(job.model, job.rows(job.inputs, lo, lo + batch)))
            flat = logits.reshape(-1, logits.shape[-1]).double().cpu()
            if labels == "argmax":
                y = flat.argmax(-1)
            else:
                y = torch.multinomial(torch.softmax(flat, -1), 1, generator=gen)[:, 0]
            out.append(y.reshape(logits.shape[:-1]).to(logits.device))
    return torch.cat(out)


def _logits(out):
    """The logits of a model output: the tensor itself, out.logits, out["logits"] or out[0]."""
    if isinstance(out, torch.Tensor):
        return out
    if hasattr(out, "logits"):
        return out.logits
    if isinstance(out, dict) and "logits" in out:
        return out["logits"]
    if isinstance(out, (tuple, list)) and out and isinstance(out[0], torch.Tensor):
        return out[0]
    raise UsageError(f"cannot find logits in a model output of type {type(out).__name__}: "
                     "return a tensor, or pass loss=...")


def _log_lik(out, y, loss):
    """log p(y | x) of one sample (batch of one): log_softmax of the logits at y summed over
    positions, or minus the user loss."""
    if loss is not None:
        return -loss(out, y)
    logits = _logits(out)
    if logits.shape[:-1] != y.shape:
        raise UsageError(f"logits of shape {tuple(logits.shape)} do not match labels of shape "
                         f"{tuple(y.shape)}: labels need the logits' shape without the last "
                         "dimension")
    if y.dtype.is_floating_point or y.dtype.is_complex:
        raise UsageError("targets must be integer class indices (torch.long) for the logits path; "
                         "for other targets pass loss=...")
    return torch.log_softmax(logits, -1).gather(-1, y.unsqueeze(-1)).sum()


def _plan_shards(names, shapes, shard_params):
    """Shards of at most shard_params columns, cut at parameter boundaries except inside a parameter
    larger than shard_params (which starts a shard of its own).  Each shard: file, global columns,
    params (manifest form) and pieces (name, offset in the flattened parameter, global start,
    global end)."""
    shards, start = [], 0
    for name, shape in zip(names, shapes):
        size, offset = int(np.prod(shape, dtype=np.int64)), 0
        while offset < size:
            used = shards[-1]["columns"][1] - shards[-1]["columns"][0] if shards else shard_params
            room = shard_params - used
            if room == 0 or (offset == 0 and size > room):
                shards.append({"file": f"scores-{len(shards):05d}.npy", "columns": [start, start],
                               "params": [], "pieces": []})
                room = shard_params
            take = min(room, size - offset)
            cur = shards[-1]
            cur["pieces"].append((name, offset, start, start + take))
            cur["params"].append({"name": name, "columns": [start, start + take], "shape": shape})
            cur["columns"][1] = start + take
            offset, start = offset + take, start + take
    return shards


def _write_shards(job, plan, out_dir, np_dtype, batch_size, method, notes):
    """Writes every shard (one pass over the samples each); returns (method used, zero_grad names,
    count of non-finite entries).  A failed vmap switches to the loop and says why in notes.
    Without batch_size, a batch holds at most _BATCH_ENTRIES gradient entries (at least one
    sample): the gradient of a parameter split over shards is computed whole each time."""
    state = {"used": "loop" if method == "loop" else "vmap", "nonfinite": 0,
             "nonzero": {nm: False for nm in job.names}, "method": method, "notes": notes}
    for s in plan:
        wanted = list(dict.fromkeys(nm for nm, _, _, _ in s["pieces"]))
        widest = max([s["columns"][1] - s["columns"][0]] + [job.param[nm].numel() for nm in wanted])
        batch = batch_size or max(1, min(job.n, 64, _BATCH_ENTRIES // widest))
        fill = lambda path, s=s, batch=batch: _fill_shard(path, job, s, np_dtype, batch, state)
        _atomic_write(out_dir, s["file"], fill)
    zero = [nm for nm in job.names if not state["nonzero"][nm]]
    return state["used"], zero, state["nonfinite"]


def _fill_shard(path, job, shard, np_dtype, batch, state):
    """Writes the n x width .npy of one shard at path through a memory map, batch by batch."""
    c0, c1 = shard["columns"]
    wanted = list(dict.fromkeys(nm for nm, _, _, _ in shard["pieces"]))
    mm = np.lib.format.open_memmap(path, mode="w+", dtype=np_dtype, shape=(job.n, c1 - c0))
    for lo in range(0, job.n, batch):
        hi = min(job.n, lo + batch)
        grads, state["used"] = _batch_grads(job, wanted, lo, hi, state["used"], state["method"],
                                            state["notes"])
        for nm, off, a, b in shard["pieces"]:
            block = grads[nm][:, off:off + (b - a)]
            state["nonzero"][nm] = state["nonzero"][nm] or bool(block.any())
            state["nonfinite"] += int((~torch.isfinite(block)).sum())
            mm[lo:hi, a - c0:b - c0] = block.cpu().numpy()
    mm.flush()
    del mm


def _batch_grads(job, wanted, lo, hi, used, method, notes):
    """Per-sample gradients of samples lo..hi-1 for the parameters `wanted`, as name -> [b, numel];
    vmap first unless the loop was chosen or vmap already failed (then the loop; reason in notes).
    The first vmap batch of every shard is checked against the loop on its first sample."""
    if used == "vmap":
        try:
            grads = _vmap_grads(job, wanted, lo, hi)
            if lo == 0:
                _check_against_loop(job, wanted, grads)
            return grads, "vmap"
        except UsageError:
            raise
        except Exception as e:  # no batching rule, data-dependent control flow, a missed alias
            if method == "vmap":
                raise
            first = (str(e).strip().splitlines() or [""])[0][:200]
            notes.append(f"vmap failed at samples {lo}..{hi - 1} ({type(e).__name__}: {first}); "
                         "the per-sample autograd loop computed the scores from there on")
    return _loop_grads(job, wanted, lo, hi), "loop"


def _check_against_loop(job, wanted, grads):
    """Raises RuntimeError if vmap's gradient of sample 0 differs from plain autograd's by more than
    1e-3 of its largest entry: two evaluations of one gradient differ by rounding only (~1e-6 in
    float32), while a use of a parameter that functional_call cannot replace (a tensor kept outside
    the module's registered parameters) is missing from vmap's gradient altogether."""
    ref = _loop_grads(job, wanted, 0, 1)
    scale = max(float(ref[nm].abs().max()) for nm in wanted)
    diff = max(float((grads[nm][:1] - ref[nm]).abs().max()) for nm in wanted)
    if not diff <= 1e-3 * scale:
        raise RuntimeError(f"vmap's gradient of sample 0 differs from autograd's by {diff:.3g} "
                           f"(largest entry {scale:.3g})")


def _vmap_grads(job, wanted, lo, hi):
    """functorch vmap(grad) over samples lo..hi-1 of log p(y_i | x_i) w.r.t. `wanted`."""
    model, aliases = job.model, job.aliases
    diff = {nm: job.param[nm].detach() for nm in wanted}
    const = {}
    for t in list(model.parameters()) + list(model.buffers()):
        fixed = t.detach()  # one object for all aliases, so that tied tensors stay tied
        for alias in aliases[id(t)]:
            const[alias] = fixed
    for nm in wanted:
        for alias in aliases[id(job.param[nm])]:
            del const[alias]

    def log_lik(diff, x, y):
        state = dict(const)
        for nm, t in diff.items():
            for alias in aliases[id(job.param[nm])]:
                state[alias] = t
        one = lambda t: t.unsqueeze(0)  # the model sees a batch of one sample
        out = _call_functional(model, state, _tree_map(one, x))
        return _log_lik(out, _tree_map(one, y), job.loss)

    g = _ft_vmap(_ft_grad(log_lik), in_dims=(None, 0, 0))(
        diff, job.rows(job.inputs, lo, hi), job.rows(job.labels, lo, hi))
    return {nm: g[nm].reshape(hi - lo, -1).detach() for nm in wanted}


def _call_functional(model, state, x):
    """model(x) with its parameters and buffers replaced by `state` (all aliases included)."""
    if isinstance(x, dict):
        return stateless.functional_call(model, state, (), x)
    if isinstance(x, (tuple, list)):
        return stateless.functional_call(model, state, tuple(x))
    return stateless.functional_call(model, state, (x,))


def _loop_grads(job, wanted, lo, hi):
    """Per-sample autograd over samples lo..hi-1: one backward pass per sample; an unused
    parameter's gradient (None) is zeros."""
    params = [job.param[nm] for nm in wanted]
    rows = {nm: [] for nm in wanted}
    for i in range(lo, hi):
        with torch.enable_grad():
            out = _call(job.model, job.rows(job.inputs, i, i + 1))
            ll = _log_lik(out, job.rows(job.labels, i, i + 1), job.loss)
            gs = torch.autograd.grad(ll, params, allow_unused=True)
        for nm, p, g in zip(wanted, params, gs):
            rows[nm].append(torch.zeros(p.numel(), dtype=p.dtype, device=p.device)
                            if g is None else g.detach().reshape(-1))
    return {nm: torch.stack(r) for nm, r in rows.items()}


def _atomic_write(out_dir, name, fill):
    """Writes out_dir/name by fill(path of a temporary file in out_dir), syncs it and renames it
    into place; the temporary file is removed if anything fails."""
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
    os.close(fd)
    try:
        fill(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, os.path.join(out_dir, name))
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
