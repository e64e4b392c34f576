"""A worked export: a small transformer language model's per-sample scores, and those of its
4-bit dequantized copy, as fimcheck score shards (the README's "Real models" section runs it).

Usage: python3 python/example_export.py OUT_DIR
writes OUT_DIR/ref (the model) and OUT_DIR/q4 (its copy quantized by `fimcheck quantize`, 4-bit
symmetric groups of 32), each a folder of shards and manifest.json, with labels sampled from the
model (seed 1): the mode for a monitor without ground truth. The fimcheck binary is $FIMCHECK,
else build/fimcheck.
"""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fimcheck_torch import dequantized_copy, export_scores  # noqa: E402


class TinyLM(nn.Module):
    """Embedding + position, one TransformerEncoderLayer, LayerNorm, a head tied to the embedding."""

    def __init__(self, vocab=32, dim=16, length=8):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.pos = nn.Parameter(0.1 * torch.randn(length, dim))
        self.layer = nn.TransformerEncoderLayer(dim, nhead=2, dim_feedforward=32, dropout=0.1,
                                                batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, vocab, bias=False)
        self.head.weight = self.embed.weight

    def forward(self, tokens):
        return self.head(self.norm(self.layer(self.embed(tokens) + self.pos[: tokens.shape[1]])))


def main(out):
    torch.manual_seed(0)
    model = TinyLM()
    tokens = torch.randint(0, 32, (24, 8))  # n = 24 sequences of 8 tokens
    fimcheck = os.environ.get("FIMCHECK", "build/fimcheck")
    for name, m in (("ref", model), ("q4", dequantized_copy(model, fimcheck=fimcheck))):
        man = export_scores(m, tokens, os.path.join(out, name), labels="sampled", seed=1,
                            shard_params=2000)
        print(f"{name}: n = {man['n']}, d = {man['d']} in {len(man['shards'])} shards "
              f"({man['method']}), {os.path.join(out, name, 'manifest.json')}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 python/example_export.py OUT_DIR")
    main(sys.argv[1])
