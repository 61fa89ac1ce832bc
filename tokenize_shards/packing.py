"""Document order and shard cuts: a seeded shuffle that no runner can change.

Documents are ordered by ``shuffle_key(seed, sample_id)`` (a 64-bit hash; equal keys by
sample id). Walking that order, a shard is closed once it holds at least
``target_tokens`` tokens, at the next of 2^20 key ranges (:func:`boundaries_from_histogram`);
shard ``i`` then holds the keys in ``[boundaries[i-1], boundaries[i])``, so a document's
shard follows from its key alone (:func:`shard_of`).
"""
from __future__ import annotations

import bisect
import hashlib
from typing import Sequence

import numpy as np


def shuffle_key(seed: int, sample_id: str) -> int:
    digest = hashlib.blake2b(f"shuffle\0{seed}\0{sample_id}".encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


BUCKET_BITS = 20  # shard cuts fall on the boundaries of 2^20 equal ranges of the 64-bit key


def bucket_of(key: int) -> int:
    return key >> (64 - BUCKET_BITS)


def token_histogram(keys: Sequence[int], tokens: Sequence[int]) -> np.ndarray:
    """Tokens per key bucket (``2**BUCKET_BITS`` int64 counts, 8 MiB): what the shard cuts
    are decided from, of fixed size whatever the number of documents, so the global step
    that decides them holds no per-document state (histograms of parts add up)."""
    histogram = np.zeros(1 << BUCKET_BITS, dtype=np.int64)
    if len(keys):
        np.add.at(histogram, np.asarray(keys, dtype=np.uint64) >> np.uint64(64 - BUCKET_BITS),
                  np.asarray(tokens, dtype=np.int64))
    return histogram


def boundaries_from_histogram(histogram: np.ndarray, target_tokens: int) -> list[int]:
    """The first key of every shard after the first: walking the key buckets in order, a
    shard is closed once it holds at least ``target_tokens`` (at the next bucket that holds
    a document). A shard overshoots the target by less than one bucket's tokens: one
    document's for any corpus below millions of documents (the buckets are hash ranges),
    a 2^-20 share of the corpus beyond that."""
    boundaries: list[int] = []
    held = 0
    for bucket in np.flatnonzero(histogram).tolist():
        if held >= target_tokens:
            boundaries.append(bucket << (64 - BUCKET_BITS))
            held = 0
        held += int(histogram[bucket])
    return boundaries


def shard_boundaries(keys: Sequence[int], tokens: Sequence[int], target_tokens: int) -> list[int]:
    """The first key of every shard after the first (documents given in any order); see
    :func:`boundaries_from_histogram`."""
    return boundaries_from_histogram(token_histogram(keys, tokens), target_tokens)


def shard_of(key: int, boundaries: Sequence[int]) -> int:
    return bisect.bisect_right(boundaries, key)


def shard_prefix(index: int, count: int) -> str:
    """File name of a shard without extension (Megatron's ``--data-path`` prefix)."""
    return f"shard-{index:05d}-of-{count:05d}"
