"""Named model sizes with their training defaults, from ``tiny`` (tests, CPU) to ``1b``.

Plain data without torch, so the command line can list them cheaply;
:func:`trainer.train.model_config_for` turns a preset into a model shape.

Parameters at the default tokenizer's vocabulary (32,000 BPE tokens plus DeepSeek-Coder's 7
special tokens, padded to 32,064 by :func:`padded_vocab`; ``tests/test_trainer_model.py``
checks the totals):

=======  =====  ======  =====  ========  ===========  ==========  =======
preset   dim    layers  heads  kv heads  in blocks    embeddings  total
=======  =====  ======  =====  ========  ===========  ==========  =======
tiny     64     2       4      2         0.12M        2.05M tied  2.2M
small    768    12      12     12        85.0M        2 x 24.6M   134.2M
medium   1024   24      16     16        308.3M       2 x 32.8M   374.0M
1b       2048   18      16     16        924.9M       2 x 65.7M   1056.3M
=======  =====  ======  =====  ========  ===========  ==========  =======

The larger presets untie input and output embeddings as DeepSeek-Coder does; ``tiny`` ties
them so that its small body is not dwarfed by the vocabulary. ``1b`` has the width and heads
of DeepSeek-Coder 1.3B with 18 instead of 24 layers.
"""
from __future__ import annotations

from dataclasses import dataclass

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


PRESETS: dict[str, Preset] = {
    # tests and CPU: a few hundred steps take well under a minute on one core
    "tiny": Preset(dim=64, n_layers=2, n_heads=4, n_kv_heads=2, tie_embeddings=True,
                   seq_len=128, micro_batch=8, lr=3e-3, warmup_steps=20,
                   eval_interval=50, eval_windows=16, ckpt_interval=100),
    "small": Preset(dim=768, n_layers=12, n_heads=12, n_kv_heads=0, tie_embeddings=False,
                    seq_len=1024, micro_batch=16, lr=6e-4, warmup_steps=1000,
                    eval_interval=500, eval_windows=64, ckpt_interval=1000),
    "medium": Preset(dim=1024, n_layers=24, n_heads=16, n_kv_heads=0, tie_embeddings=False,
                     seq_len=2048, micro_batch=8, lr=3e-4, warmup_steps=2000,
                     eval_interval=500, eval_windows=64, ckpt_interval=1000),
    "1b": Preset(dim=2048, n_layers=18, n_heads=16, n_kv_heads=0, tie_embeddings=False,
                 seq_len=2048, micro_batch=8, lr=3e-4, warmup_steps=2000,
                 eval_interval=500, eval_windows=64, ckpt_interval=1000),
}


def get_preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(f"unknown preset {name!r}; choose from {', '.join(PRESETS)}") from None
