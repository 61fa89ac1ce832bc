"""Attribute a document's tokens to its files' languages.

A sample's tokens (FIM and EOS tokens included) are shared among its files in proportion
to the characters of each file's chunk (path header and content) in the sample text, from
the sample's ``offsets``; without ``offsets`` each file weighs the same. Shares are whole
tokens by the largest-remainder method (ties to the earlier file), so per-language counts
add up exactly to the token total.
"""
from __future__ import annotations

from typing import Optional, Sequence


def file_weights(text_length: int, n_files: int, offsets: Optional[Sequence[int]]) -> list[int]:
    """Characters of each file's chunk, or ones when the chunk offsets are not known."""
    if not offsets or len(offsets) != n_files:
        return [1] * n_files
    ends = list(offsets[1:]) + [text_length]
    return [max(0, end - start) for start, end in zip(offsets, ends)]


def apportion(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split into whole parts proportional to ``weights`` (largest remainder)."""
    weight_sum = sum(weights)
    if weight_sum <= 0:
        weights, weight_sum = [1] * len(weights), len(weights)
    shares = [total * w // weight_sum for w in weights]
    remainders = sorted(range(len(weights)), key=lambda k: (-(total * weights[k] % weight_sum), k))
    for k in remainders[: total - sum(shares)]:
        shares[k] += 1
    return shares


def language_tokens(n_tokens: int, languages: Sequence[str], text_length: int,
                    offsets: Optional[Sequence[int]] = None) -> dict[str, int]:
    """Tokens per language for one document (languages in first-seen order)."""
    if not languages:
        return {"unknown": n_tokens}
    shares = apportion(n_tokens, file_weights(text_length, len(languages), offsets))
    counts: dict[str, int] = {}
    for language, share in zip(languages, shares):
        counts[language or "unknown"] = counts.get(language or "unknown", 0) + share
    return counts
