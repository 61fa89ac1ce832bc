"""Word tokens, n-gram shingles and their 32-bit hashes, the input of MinHash.

Tokens are maximal runs of *word characters* (default ``[A-Za-z0-9_]``, the complement of
bigcode near-dedup's ``NON_ALPHA = re.compile("[^A-Za-z_0-9]")``); every other character,
including all non-ASCII ones, separates tokens. bigcode splits on *single* separators, which
yields empty tokens for runs of separators and makes shingles sensitive to spacing; runs are
used here (like ``\\W+``). bigcode does not lowercase; ``lowercase=True`` folds tokens to
ASCII lower case (datatrove lowercases).

A shingle is ``" ".join`` of ``n`` consecutive tokens. A document with fewer than ``n``
tokens (but at least one) is one shingle of all its tokens, so short documents are compared
by content instead of all sharing the empty signature; a document without tokens has no
shingles.

Two shingle hashes:

* :func:`datasketch_shingle_hashes`: datasketch's default ``sha1_hash32`` of the UTF-8
  shingle string (the first 4 bytes of SHA-1, little-endian). Reference speed.
* :func:`fast_shingle_hashes`: each token is hashed once, straight from the UTF-8 bytes of a
  whole batch with numpy (no token strings are built), and the ``n`` token hashes of each
  window are combined arithmetically. A shingle's hash is still a function of its tokens
  alone, so it is a valid ``hashfunc`` for datasketch over :func:`shingle_strings`.
"""
from __future__ import annotations

import hashlib
import re
import string
from functools import lru_cache
from typing import NamedTuple, Sequence

import numpy as np
import xxhash

DEFAULT_WORD_CHARS = string.ascii_letters + string.digits + "_"
LONG_TOKEN_BYTES = 64  # longer tokens are hashed one by one with xxh3 instead of vectorized

_U64 = np.uint64
_GOLDEN = 0x9E3779B97F4A7C15
_LOWER_ASCII = bytes.maketrans(string.ascii_uppercase.encode(), string.ascii_lowercase.encode())
_BYTE_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [(1 << 64) - 1], dtype=_U64)


class ShingleHashes(NamedTuple):
    """The shingle hashes of a batch: ``hashes[i]`` belongs to document ``docs[i]``.

    Within one document the hashes keep the order of :func:`shingle_strings`; documents
    without shingles do not appear.
    """

    hashes: np.ndarray  # uint32
    docs: np.ndarray    # int64, index into the batch


def check_word_chars(word_chars: str) -> None:
    """Word characters must be printable ASCII (the fast path classifies UTF-8 bytes)."""
    if not word_chars or any(ord(c) >= 128 or not c.isprintable() or c.isspace() for c in word_chars):
        raise ValueError(f"word_chars must be printable, non-space ASCII characters: {word_chars!r}")


@lru_cache(maxsize=16)
def _token_regex(word_chars: str) -> re.Pattern:
    check_word_chars(word_chars)
    return re.compile("[" + "".join(re.escape(c) for c in sorted(set(word_chars))) + "]+")


@lru_cache(maxsize=16)
def _word_byte_table(word_chars: str) -> bytes:
    """``bytes.translate`` table mapping word bytes to 1 and every other byte to 0."""
    check_word_chars(word_chars)
    word = set(word_chars.encode("ascii"))
    return bytes(1 if b in word else 0 for b in range(256))


def tokens(text: str, word_chars: str = DEFAULT_WORD_CHARS, lowercase: bool = False) -> list[str]:
    """The word tokens of ``text`` (reference tokenizer; the fast path agrees with it)."""
    found = _token_regex(word_chars).findall(text)
    return [t.lower() for t in found] if lowercase else found


def shingle_strings(
    text: str, n: int = 5, word_chars: str = DEFAULT_WORD_CHARS, lowercase: bool = False
) -> list[str]:
    """Each window of ``n`` consecutive tokens joined by one space, in order (duplicates kept)."""
    toks = tokens(text, word_chars, lowercase)
    if len(toks) < n:
        return [" ".join(toks)] if toks else []
    return [" ".join(toks[i:i + n]) for i in range(len(toks) - n + 1)]


def sha1_hash32(data: bytes) -> int:
    """datasketch's default hash: the first 4 bytes of SHA-1, little-endian."""
    return int.from_bytes(hashlib.sha1(data).digest()[:4], "little")


def datasketch_shingle_hashes(
    texts: Sequence[str], n: int = 5, word_chars: str = DEFAULT_WORD_CHARS, lowercase: bool = False
) -> ShingleHashes:
    """``sha1_hash32`` of every UTF-8 shingle string (the slow, datasketch-identical path)."""
    per_doc = [
        [sha1_hash32(s.encode("utf-8", "surrogatepass")) for s in shingle_strings(t, n, word_chars, lowercase)]
        for t in texts
    ]
    counts = np.fromiter(map(len, per_doc), dtype=np.int64, count=len(per_doc))
    hashes = np.fromiter((h for doc in per_doc for h in doc), dtype=np.uint32, count=int(counts.sum()))
    return ShingleHashes(hashes, np.repeat(np.arange(len(texts), dtype=np.int64), counts))


def fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer (a bijection that spreads every input bit), in place."""
    h ^= h >> _U64(33)
    h *= _U64(0xFF51AFD7ED558CCD)
    h ^= h >> _U64(33)
    h *= _U64(0xC4CEB9FE1A85EC53)
    h ^= h >> _U64(33)
    return h


@lru_cache(maxsize=16)
def _window_multipliers(n: int) -> np.ndarray:
    """Odd 64-bit multipliers: one per position in a window, and one (last) for its length."""
    return fmix64(np.arange(1, n + 2, dtype=_U64) * _U64(_GOLDEN)) | _U64(1)


def _length_seeds(limit: int) -> np.ndarray:
    """A mixed seed per token length, so tokens of different lengths start apart."""
    return fmix64(np.arange(limit + 2, dtype=_U64) * _U64(_GOLDEN) + _U64(1))


_LENGTH_SEEDS = _length_seeds(LONG_TOKEN_BYTES)


def _token_spans(data: bytes, word_chars: str) -> tuple[np.ndarray, np.ndarray]:
    """Start and end byte offsets of the maximal runs of word bytes in ``data``."""
    flags = np.frombuffer(b"\x00" + data.translate(_word_byte_table(word_chars)) + b"\x00", dtype=np.bool_)
    edges = np.flatnonzero(flags[1:] != flags[:-1])
    return edges[0::2], edges[1::2]


def _token_hashes(data: bytes, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each token ``data[start:end]``.

    Short tokens: 8-byte little-endian words are gathered at once (an unaligned, stride-1
    uint64 view), masked to the token, and chained through :func:`fmix64` starting from a
    seed for the token's length. Tokens over ``LONG_TOKEN_BYTES`` (rare in code) use xxh3.
    """
    padded = data + bytes(8)
    words = np.ndarray(shape=(len(data) + 1,), dtype="<u8", buffer=padded, strides=(1,))
    lengths = ends - starts
    first = words[starts] & _BYTE_MASKS[np.minimum(lengths, 8)]
    hashes = fmix64(_LENGTH_SEEDS[np.minimum(lengths, LONG_TOKEN_BYTES + 1)] ^ first)
    active = np.flatnonzero((lengths > 8) & (lengths <= LONG_TOKEN_BYTES))
    offset = 8
    while active.size:
        remaining = lengths[active] - offset
        chunk = words[starts[active] + offset] & _BYTE_MASKS[np.minimum(remaining, 8)]
        hashes[active] = fmix64(hashes[active] ^ chunk)
        offset += 8
        active = active[remaining > 8]
    long_ = np.flatnonzero(lengths > LONG_TOKEN_BYTES)
    digests = np.fromiter(
        (xxhash.xxh3_64_intdigest(data[s:e]) for s, e in zip(starts[long_].tolist(), ends[long_].tolist())),
        dtype=_U64, count=long_.size,
    )
    hashes[long_] = fmix64(hashes[long_] ^ digests)
    return hashes


def _combine_windows(token_hashes: np.ndarray, token_docs: np.ndarray, n: int) -> ShingleHashes:
    """Hash every window of ``n`` consecutive tokens of one document.

    ``sum_j hash(token_j) * M_j + n * M_len`` (mod 2**64), then :func:`fmix64`, high 32 bits.
    """
    mult = _window_multipliers(n)
    count = token_hashes.size - n + 1
    if count <= 0:
        return ShingleHashes(np.empty(0, np.uint32), np.empty(0, np.int64))
    combined = np.full(count, n, dtype=_U64) * mult[n]
    for j in range(n):
        combined += token_hashes[j:j + count] * mult[j]
    within_doc = token_docs[:count] == token_docs[n - 1:]
    return ShingleHashes(
        (fmix64(combined[within_doc]) >> _U64(32)).astype(np.uint32), token_docs[:count][within_doc]
    )


def _combine_short_docs(token_hashes: np.ndarray, token_docs: np.ndarray, n: int) -> ShingleHashes:
    """One shingle per document with 1..n-1 tokens, hashed like a window of that length."""
    counts = np.bincount(token_docs)
    short = counts[token_docs] < n
    if not short.any():
        return ShingleHashes(np.empty(0, np.uint32), np.empty(0, np.int64))
    docs = token_docs[short]
    first = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]])
    position = np.arange(docs.size) - np.repeat(first, np.diff(np.r_[first, docs.size]))
    mult = _window_multipliers(n)
    sums = np.add.reduceat(token_hashes[short] * mult[position], first)
    sums += counts[docs[first]].astype(_U64) * mult[n]
    return ShingleHashes((fmix64(sums) >> _U64(32)).astype(np.uint32), docs[first])


def fast_shingle_hashes(
    texts: Sequence[str], n: int = 5, word_chars: str = DEFAULT_WORD_CHARS, lowercase: bool = False
) -> ShingleHashes:
    """Shingle hashes of a batch in one numpy pass over the batch's UTF-8 bytes.

    Documents are joined by a NUL byte (never a word byte), so no token spans two of them.
    """
    encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
    data = b"\x00".join(encoded)
    starts, ends = _token_spans(data, word_chars)
    if lowercase:
        data = data.translate(_LOWER_ASCII)
    doc_starts = np.cumsum([0] + [len(e) + 1 for e in encoded[:-1]])
    first_tokens = np.searchsorted(starts, doc_starts)
    token_docs = np.repeat(np.arange(len(texts)), np.diff(np.r_[first_tokens, starts.size]))
    token_hashes = _token_hashes(data, starts, ends)
    windows = _combine_windows(token_hashes, token_docs, n)
    short = _combine_short_docs(token_hashes, token_docs, n)
    return ShingleHashes(np.concatenate([windows.hashes, short.hashes]), np.concatenate([windows.docs, short.docs]))
