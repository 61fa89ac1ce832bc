"""Document order and shard cuts: a seeded shuffle that no runner can change.

Documents are ordered by ``shuffle_key(seed, sample_id)`` (a 64-bit hash; equal keys by
sample id). Walking that order, a shard is closed once it holds at least
``target_tokens`` tokens; shard ``i`` then holds the keys in ``[boundaries[i-1],
boundaries[i])``, so a document's shard follows from its key alone (:func:`shard_of`).
"""
from __future__ import annotations

import bisect
import hashlib
from typing import Sequence


def shuffle_key(seed: int, sample_id: str) -> int:
    digest = hashlib.blake2b(f"shuffle\0{seed}\0{sample_id}".encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def shard_boundaries(keys: Sequence[int], tokens: Sequence[int], target_tokens: int) -> list[int]:
    """The first key of every shard after the first (documents given in any order)."""
    boundaries: list[int] = []
    held = 0
    previous = None
    for key, n in sorted(zip(keys, tokens)):
        if held >= target_tokens and key != previous:
            boundaries.append(key)
            held = 0
        held += n
        previous = key
    return boundaries


def shard_of(key: int, boundaries: Sequence[int]) -> int:
    return bisect.bisect_right(boundaries, key)


def shard_prefix(index: int, count: int) -> str:
    """File name of a shard without extension (Megatron's ``--data-path`` prefix)."""
    return f"shard-{index:05d}-of-{count:05d}"
