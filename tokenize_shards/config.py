"""Settings of the tokenize-and-shard stage (plain values, so the run's YAML can carry them)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ShardsConfig:
    """How curated samples become token shards.

    tokenizer            path of an HF ``tokenizer.json`` to load; ``""`` trains one.
    vocab_size           byte-level BPE base vocabulary when training (DeepSeek-Coder: 32,000);
                         the seven special tokens come on top.
    train_sample_bytes   UTF-8 bytes of sample text the tokenizer trains on: the samples of
                         smallest ``hash(sample_id)`` up to this budget (the last one cut).
                         32 MiB: held-out compression was within 0.4 % of a 35 MB sample
                         from 24 MB on, 1.8 % worse at 16 MB; training costs ~0.42 CPU s
                         per MB (benchmarks/RESULTS.md).
    fim_rate             share of documents rearranged fill-in-the-middle (paper §3.1: 0.5).
    fim_spm_rate         share of FIM documents in SPM rather than PSM order.
    seed                 seeds the FIM draws and the document shuffle.
    target_shard_tokens  a shard is closed once it holds at least this many tokens.
    piece_chars          documents are encoded in pieces of about this many characters,
                         cut before a newline, so the tokenizer's threads share long documents.
    batch_documents      documents per tokenizer batch in the Beam stage.
    """

    tokenizer: str = ""
    vocab_size: int = 32_000
    train_sample_bytes: int = 32 << 20
    fim_rate: float = 0.5
    fim_spm_rate: float = 0.0
    seed: int = 0
    target_shard_tokens: int = 100_000_000
    piece_chars: int = 4096
    batch_documents: int = 256
