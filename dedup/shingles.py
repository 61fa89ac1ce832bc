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

Two shingle hashes, both yielded batch by batch as :class:`ShingleHashes`:

* :func:`datasketch_shingle_batches`: datasketch's default ``sha1_hash32`` of the UTF-8
  shingle string (the first 4 bytes of SHA-1, little-endian). Reference speed.
* :func:`fast_shingle_batches`: each token is hashed once, straight from the UTF-8 bytes of
  a whole batch with numpy (no token strings are built), and the ``n`` token hashes of each
  window are combined arithmetically. A shingle's hash is still a function of its tokens
  alone, so it is a valid ``hashfunc`` for datasketch over :func:`shingle_strings`.
"""
from __future__ import annotations

import hashlib
import re
import string
from functools import lru_cache
from typing import Iterator, NamedTuple, Sequence

import numpy as np
import xxhash

DEFAULT_WORD_CHARS = string.ascii_letters + string.digits + "_"
LONG_TOKEN_BYTES = 64  # longer tokens are hashed one by one with xxh3 instead of vectorized

_U64 = np.uint64
_GOLDEN = 0x9E3779B97F4A7C15
_LOWER_ASCII = bytes.maketrans(string.ascii_uppercase.encode(), string.ascii_lowercase.encode())
_BYTE_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [(1 << 64) - 1], dtype=_U64)


class ShingleHashes(NamedTuple):
    """Shingle hashes of a batch: ``hashes[i]`` belongs to document ``docs[i]``.

    A document's hashes are contiguous and in the order of :func:`shingle_strings`
    (a long document may continue in the next batch); documents without shingles do not
    appear.
    """

    hashes: np.ndarray  # uint32
    docs: np.ndarray    # int64, index into the texts


_NO_SHINGLES = ShingleHashes(np.empty(0, np.uint32), np.empty(0, np.int64))


def check_word_chars(word_chars: str) -> None:
    """Word characters must be printable ASCII (the fast path classifies UTF-8 bytes)."""
    if not word_chars or any(ord(c) >= 128 or not c.isprintable() or c.isspace() for c in word_chars):
        raise ValueError(f"word_chars must be printable, non-space ASCII characters: {word_chars!r}")


def _char_class(word_chars: str) -> str:
    check_word_chars(word_chars)
    return "".join(re.escape(c) for c in sorted(set(word_chars)))


@lru_cache(maxsize=16)
def _token_regex(word_chars: str) -> re.Pattern:
    return re.compile("[" + _char_class(word_chars) + "]+")


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
        return _NO_SHINGLES
    combined = np.full(count, n, dtype=_U64) * mult[n]
    for j in range(n):
        combined += token_hashes[j:j + count] * mult[j]
    within_doc = token_docs[:count] == token_docs[n - 1:]
    return ShingleHashes(
        (fmix64(combined[within_doc]) >> _U64(32)).astype(np.uint32), token_docs[:count][within_doc]
    )


def _combine_short_docs(token_hashes: np.ndarray, token_docs: np.ndarray, short: np.ndarray, n: int) -> ShingleHashes:
    """One shingle per short document (``short`` marks its tokens), hashed like a window of its length."""
    if not short.any():
        return _NO_SHINGLES
    docs = token_docs[short]
    first = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]])
    counts = np.diff(np.r_[first, docs.size])
    position = np.arange(docs.size) - np.repeat(first, counts)
    mult = _window_multipliers(n)
    sums = np.add.reduceat(token_hashes[short] * mult[position], first)
    sums += counts.astype(_U64) * mult[n]
    return ShingleHashes((fmix64(sums) >> _U64(32)).astype(np.uint32), docs[first])


class _Piece(NamedTuple):
    doc: int
    text: str
    last: bool  # the document's final piece


class _Carry(NamedTuple):
    """The tail of a document that continues into the next group of pieces."""

    doc: int
    hashes: np.ndarray  # its last (at most n - 1) token hashes
    total: int          # its tokens so far


@lru_cache(maxsize=16)
def _separator_regex(word_chars: str) -> re.Pattern:
    return re.compile("[^" + _char_class(word_chars) + "]")


def _pieces(texts: Sequence[str], max_chars: int, separator: re.Pattern) -> Iterator[_Piece]:
    """Documents cut after about ``max_chars`` characters, at a separator (never inside a token)."""
    for doc, text in enumerate(texts):
        start = 0
        while len(text) - start > max_chars:
            found = separator.search(text, start + max_chars)
            if found is None:
                break
            yield _Piece(doc, text[start:found.start()], False)
            start = found.start()
        yield _Piece(doc, text[start:], True)


def _groups(pieces: Iterator[_Piece], max_chars: int) -> Iterator[list[_Piece]]:
    """Consecutive pieces of about ``max_chars`` characters in all."""
    group: list[_Piece] = []
    size = 0
    for piece in pieces:
        if group and size + len(piece.text) > max_chars:
            yield group
            group, size = [], 0
        group.append(piece)
        size += len(piece.text)
    if group:
        yield group


def _group_tokens(group: list[_Piece], word_chars: str, lowercase: bool) -> tuple[np.ndarray, np.ndarray]:
    """Token hashes of a group of pieces and the document of each token.

    The pieces are joined by a NUL byte (never a word byte), so no token spans two of them.
    """
    encoded = [piece.text.encode("utf-8", "surrogatepass") for piece in group]
    data = b"\x00".join(encoded)
    starts, ends = _token_spans(data, word_chars)
    if lowercase:
        data = data.translate(_LOWER_ASCII)
    piece_offsets = np.cumsum([0] + [len(e) + 1 for e in encoded[:-1]])
    tokens_per_piece = np.diff(np.r_[np.searchsorted(starts, piece_offsets), starts.size])
    token_docs = np.repeat(np.array([piece.doc for piece in group], dtype=np.int64), tokens_per_piece)
    return _token_hashes(data, starts, ends), token_docs


def fast_shingle_batches(
    texts: Sequence[str],
    n: int = 5,
    word_chars: str = DEFAULT_WORD_CHARS,
    lowercase: bool = False,
    batch_chars: int = 1 << 20,
) -> Iterator[ShingleHashes]:
    """Shingle hashes of ``texts``, one numpy pass per ``batch_chars`` characters of text.

    Short texts are batched together; a long text is cut into pieces at separators, and its
    last ``n - 1`` token hashes carry over to the next batch so windows across a cut are
    kept. Memory stays proportional to ``batch_chars``, whatever the length of a text.
    """
    empty = np.empty(0, dtype=_U64)
    carry = _Carry(-1, empty, 0)
    for group in _groups(_pieces(texts, batch_chars, _separator_regex(word_chars)), batch_chars):
        hashes, docs = _group_tokens(group, word_chars, lowercase)
        hashes = np.concatenate([carry.hashes, hashes])
        docs = np.concatenate([np.full(carry.hashes.size, carry.doc, dtype=np.int64), docs])
        first_doc = group[0].doc
        totals = np.bincount(docs - first_doc, minlength=group[-1].doc - first_doc + 1)
        if carry.doc == first_doc:
            totals[0] += carry.total - carry.hashes.size
        ended = np.zeros(totals.size, dtype=bool)
        ended[[piece.doc - first_doc for piece in group if piece.last]] = True
        short_doc = ended & (totals < n)
        windows = _combine_windows(hashes, docs, n)
        short = _combine_short_docs(hashes, docs, short_doc[docs - first_doc], n)
        yield ShingleHashes(np.concatenate([windows.hashes, short.hashes]), np.concatenate([windows.docs, short.docs]))
        last = group[-1]
        carry = _Carry(-1, empty, 0) if last.last else _Carry(
            last.doc, hashes[docs == last.doc][-(n - 1):] if n > 1 else empty, int(totals[-1])
        )


def datasketch_shingle_batches(
    texts: Sequence[str],
    n: int = 5,
    word_chars: str = DEFAULT_WORD_CHARS,
    lowercase: bool = False,
    batch_chars: int = 1 << 20,
) -> Iterator[ShingleHashes]:
    """``sha1_hash32`` of every UTF-8 shingle string (the slow path), whole texts per batch."""
    for group in _groups((_Piece(doc, text, True) for doc, text in enumerate(texts)), batch_chars):
        per_doc = [
            [sha1_hash32(s.encode("utf-8", "surrogatepass")) for s in shingle_strings(p.text, n, word_chars, lowercase)]
            for p in group
        ]
        counts = [len(hashes) for hashes in per_doc]
        yield ShingleHashes(
            np.fromiter((h for hashes in per_doc for h in hashes), dtype=np.uint32, count=sum(counts)),
            np.repeat(np.array([p.doc for p in group], dtype=np.int64), counts),
        )
