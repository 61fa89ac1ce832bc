"""Named model sizes with their training defaults, from ``tiny`` (tests, CPU) to ``1b``.

Parameter counts are for the default tokenizer: 32,000 BPE tokens plus DeepSeek-Coder's 7
special tokens, padded to 32,064 (:func:`padded_vocab`). The larger presets untie input
and output embeddings as DeepSeek-Coder does; ``tiny`` ties them so that its small body is
not dwarfed by the vocabulary.
"""
from __future__ import annotations

from dataclasses import dataclass

from trainer.model import ModelConfig

VOCAB_MULTIPLE = 64


def padded_vocab(vocab_size: int, multiple: int = VOCAB_MULTIPLE) -> int:
    """Round the tokenizer's vocabulary up so the embedding matmuls use aligned shapes."""
    return -(-vocab_size // multiple) * multiple


@dataclass(frozen=True)
class Preset:
    """A model shape plus the training defaults that suit it (each overridable)."""

    dim: int
    n_layers: int
    n_heads: int
    n_kv_heads: int
    tie_embeddings: bool
    seq_len: int
    micro_batch: int
    lr: float
    warmup_steps: int
    eval_interval: int
    eval_windows: int
    ckpt_interval: int

    def model_config(self, vocab_size: int, seq_len: int, rope_base: float = 10_000.0,
                     rope_scaling: float = 1.0) -> ModelConfig:
        return ModelConfig(
            vocab_size=padded_vocab(vocab_size), dim=self.dim, n_layers=self.n_layers,
            n_heads=self.n_heads, n_kv_heads=self.n_kv_heads, max_seq_len=seq_len,
            rope_base=rope_base, rope_scaling=rope_scaling, tie_embeddings=self.tie_embeddings,
        )


PRESETS: dict[str, Preset] = {
    # tiny: 2.2M parameters (0.12M in 2 blocks, 2.05M tied embedding); dim 64, 4 heads
    # sharing 2 key/value heads. Trains in seconds on a CPU.
    "tiny": Preset(dim=64, n_layers=2, n_heads=4, n_kv_heads=2, tie_embeddings=True,
                   seq_len=128, micro_batch=8, lr=3e-3, warmup_steps=20,
                   eval_interval=50, eval_windows=16, ckpt_interval=100),
    # small: 134M parameters (85M in the 12 blocks, 2 x 24.6M embeddings); dim 768, 12 heads.
    "small": Preset(dim=768, n_layers=12, n_heads=12, n_kv_heads=0, tie_embeddings=False,
                    seq_len=1024, micro_batch=16, lr=6e-4, warmup_steps=1000,
                    eval_interval=500, eval_windows=64, ckpt_interval=1000),
    # medium: 374M parameters (308M in 24 blocks, 2 x 32.8M embeddings); dim 1024, 16 heads.
    "medium": Preset(dim=1024, n_layers=24, n_heads=16, n_kv_heads=0, tie_embeddings=False,
                     seq_len=2048, micro_batch=8, lr=3e-4, warmup_steps=2000,
                     eval_interval=500, eval_windows=64, ckpt_interval=1000),
    # 1b: 1.06B parameters (925M in 18 blocks, 2 x 65.7M embeddings); dim 2048, 16 heads,
    # the width and heads of DeepSeek-Coder 1.3B with 18 instead of 24 layers.
    "1b": Preset(dim=2048, n_layers=18, n_heads=16, n_kv_heads=0, tie_embeddings=False,
                 seq_len=2048, micro_batch=8, lr=3e-4, warmup_steps=2000,
                 eval_interval=500, eval_windows=64, ckpt_interval=1000),
}


def get_preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(f"unknown preset {name!r}; choose from {', '.join(PRESETS)}") from None
