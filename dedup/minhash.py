"""MinHash signatures of texts, value-compatible with datasketch 2.0, batched in numpy.

The permutations are datasketch's, drawn from ``np.random.RandomState(seed)``:

* ``"affine32"`` (datasketch 2.0's default): ``a`` odd, ``h -> a * fmix32(h) + b mod 2**32``;
  signatures are ``uint32``.
* ``"legacy"`` (datasketch before 2.0, bigcode near-dedup): ``(a * h + b) % (2**61 - 1)``
  keeping the low 32 bits, where ``a * h + b`` first wraps modulo ``2**64`` exactly as
  datasketch's uint64 numpy arithmetic does; signatures are ``uint64``.

So ``signature(text, params)`` equals ``MinHash(num_perm, seed, scheme=...)`` updated with
the document's shingles under the same 32-bit shingle hash (see :mod:`dedup.shingles`):
with ``hash_mode="datasketch"`` that is datasketch's default ``sha1_hash32`` of the shingle
strings; ``hash_mode="fast"`` (default) uses the vectorized token-combining hash.

A document without shingles (no word token) gets the all-max signature, like an empty
datasketch ``MinHash``; all such documents share it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Sequence

import numpy as np

from dedup.shingles import DEFAULT_WORD_CHARS, check_word_chars, datasketch_shingle_batches, fast_shingle_batches

MERSENNE_PRIME = (1 << 61) - 1
MAX_HASH32 = (1 << 32) - 1
SCHEMES = ("affine32", "legacy")
HASH_MODES = ("fast", "datasketch")


@dataclass(frozen=True)
class MinHashParams:
    """What defines a signature (bigcode near-dedup defaults), plus two batching bounds.

    ``batch_chars``: characters of text hashed per numpy pass (longer texts are cut into
    pieces); ``max_temp_bytes``: bound on each permutation temporary. Neither changes a
    signature. Peak memory, measured on code, is about ``25 * batch_chars`` bytes plus the
    output, however long a text is.
    """

    num_perm: int = 256
    ngram: int = 5
    seed: int = 1
    lowercase: bool = False
    word_chars: str = DEFAULT_WORD_CHARS
    hash_mode: str = "fast"
    scheme: str = "affine32"
    batch_chars: int = 1 << 20
    max_temp_bytes: int = 1 << 20

    def __post_init__(self) -> None:
        if self.num_perm < 1 or self.ngram < 1 or self.batch_chars < 1 or self.max_temp_bytes < 1:
            raise ValueError("num_perm, ngram, batch_chars and max_temp_bytes must be positive")
        if self.hash_mode not in HASH_MODES:
            raise ValueError(f"hash_mode must be one of {HASH_MODES}, got {self.hash_mode!r}")
        if self.scheme not in SCHEMES:
            raise ValueError(f"scheme must be one of {SCHEMES}, got {self.scheme!r}")
        check_word_chars(self.word_chars)

    @property
    def dtype(self) -> np.dtype:
        return np.dtype(np.uint32 if self.scheme == "affine32" else np.uint64)


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int, scheme: str) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's ``(a, b)`` for ``MinHash(num_perm, seed, scheme=scheme)``."""
    gen = np.random.RandomState(seed)
    if scheme == "legacy":
        prime = np.uint64(MERSENNE_PRIME)
        pairs = np.array(
            [(gen.randint(1, prime, dtype=np.uint64), gen.randint(0, prime, dtype=np.uint64)) for _ in range(num_perm)],
            dtype=np.uint64,
        )
        a, b = pairs[:, 0].copy(), pairs[:, 1].copy()
    else:
        a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    a.setflags(write=False)
    b.setflags(write=False)
    return a, b


def empty_signature(params: MinHashParams) -> np.ndarray:
    """The signature of a document without shingles (every value at its maximum)."""
    return np.full(params.num_perm, MAX_HASH32, dtype=params.dtype)


def signature(text: str, params: MinHashParams = MinHashParams()) -> np.ndarray:
    """The MinHash signature of one text: ``params.num_perm`` values."""
    return signatures([text], params)[0]


def signatures(texts: Sequence[str], params: MinHashParams = MinHashParams()) -> np.ndarray:
    """Signatures of many texts, one row each; a row never depends on the other texts."""
    out = np.full((len(texts), params.num_perm), MAX_HASH32, dtype=params.dtype)
    hasher = fast_shingle_batches if params.hash_mode == "fast" else datasketch_shingle_batches
    for batch in hasher(texts, params.ngram, params.word_chars, params.lowercase, params.batch_chars):
        _fold_min_into(out, batch.docs, batch.hashes, params)
    return out


def hashes_signature(hashes: np.ndarray, params: MinHashParams = MinHashParams()) -> np.ndarray:
    """The signature of one document from its 32-bit shingle hashes (any order; repeats do not
    change a minimum, so the distinct hashes give the same signature as all of them)."""
    out = empty_signature(params)[None, :].copy()
    if hashes.size:
        _fold_min_into(out, np.zeros(hashes.size, dtype=np.int64), hashes, params)
    return out[0]


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, datasketch's pre-mix for the affine schemes."""
    h = h ^ (h >> np.uint32(16))
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def _permute_affine32(h: np.ndarray, a: np.uint32, b: np.uint32, out: np.ndarray) -> np.ndarray:
    """``a * h + b`` (mod 2**32) of pre-mixed shingle hashes, for one permutation."""
    np.multiply(h, a, out=out)
    return np.add(out, b, out=out)


def _permute_legacy(h: np.ndarray, a: np.uint64, b: np.uint64, out: np.ndarray) -> np.ndarray:
    """``((a * h + b) mod 2**64) mod (2**61 - 1)``, low 32 bits, for one permutation.

    No division: ``x = hi * 2**61 + lo`` and ``2**61 = 1 (mod p)``, so ``x = hi + lo (mod p)``
    with ``hi + lo < 2 * p``; ``min(y, y - p)`` (wrapping) is the one conditional subtraction.
    """
    prime = np.uint64(MERSENNE_PRIME)
    np.multiply(h, a, out=out)
    np.add(out, b, out=out)
    high = out >> np.uint64(61)
    np.bitwise_and(out, prime, out=out)
    np.add(out, high, out=out)
    np.minimum(out, np.subtract(out, prime, out=high), out=out)
    return np.bitwise_and(out, np.uint64(MAX_HASH32), out=out)


def _blocks(run_starts: np.ndarray, total: int, max_shingles: int, max_docs: int) -> Iterator[tuple[int, int]]:
    """``[lo, hi)`` shingle ranges of at most ``max_shingles`` shingles and ``max_docs`` runs."""
    lo, run = 0, 0
    while lo < total:
        hi = min(lo + max_shingles, total)
        if run + max_docs < run_starts.size:
            hi = min(hi, int(run_starts[run + max_docs]))
        yield lo, hi
        lo = hi
        run = int(np.searchsorted(run_starts, lo, side="right")) - 1


def _fold_min_into(out: np.ndarray, docs: np.ndarray, hashes: np.ndarray, params: MinHashParams) -> None:
    """``out[doc] = min(out[doc], permuted hashes of doc)``, each document's hashes being contiguous.

    Works on blocks of shingles and, within a block, one permutation at a time over one
    contiguous vector (numpy's fastest shape: no shingles x permutations matrix); the
    per-document minima come from ``np.minimum.reduceat``. Each temporary stays under
    ``params.max_temp_bytes``.
    """
    a, b = permutations(params.num_perm, params.seed, params.scheme)
    if params.scheme == "affine32":
        values, permute = _fmix32(hashes), _permute_affine32
    else:
        values, permute = hashes.astype(np.uint64), _permute_legacy
    itemsize = params.dtype.itemsize
    run_starts = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]]) if docs.size else docs
    max_docs = max(1, params.max_temp_bytes // (params.num_perm * itemsize))
    for lo, hi in _blocks(run_starts, values.size, max(1, params.max_temp_bytes // itemsize), max_docs):
        block_docs = docs[lo:hi]
        runs = np.flatnonzero(np.r_[True, block_docs[1:] != block_docs[:-1]])
        permuted = np.empty(hi - lo, dtype=params.dtype)
        mins = np.empty((params.num_perm, runs.size), dtype=params.dtype)
        for k in range(params.num_perm):
            np.minimum.reduceat(permute(values[lo:hi], a[k], b[k], permuted), runs, out=mins[k])
        rows = block_docs[runs]
        out[rows] = np.minimum(out[rows], mins.T)
