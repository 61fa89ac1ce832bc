"""Megatron's indexed dataset (``.bin`` + ``.idx``), one sequence per document.

``.bin`` is the raw token array. ``.idx`` is, little-endian (megatron-core
``megatron/core/datasets/indexed_dataset.py``, ``_IndexWriter.write``/``_IndexReader``):

=========================  ==============================================================
``b"MMIDIDX\\x00\\x00"``   9-byte magic
u64                        version, 1
u8                         dtype code (megatron ``DType``: 4 = int32, 8 = uint16, ...)
u64                        sequence count ``S``
u64                        document count ``D`` (= documents + 1)
int32[S]                   sequence lengths in tokens
int64[S]                   byte offset of each sequence in ``.bin``
int64[D]                   document indices: sequence index where each document starts,
                           then ``S`` (here ``0, 1, ..., S``)
=========================  ==============================================================
"""
from __future__ import annotations

import struct
from typing import NamedTuple, Sequence

import numpy as np


INDEX_HEADER = b"MMIDIDX\x00\x00"
INDEX_VERSION = 1
DTYPE_CODES = {
    np.dtype(np.uint8): 1, np.dtype(np.int8): 2, np.dtype(np.int16): 3, np.dtype(np.int32): 4,
    np.dtype(np.int64): 5, np.dtype(np.float64): 6, np.dtype(np.float32): 7, np.dtype(np.uint16): 8,
}
CODE_DTYPES = {code: dtype for dtype, code in DTYPE_CODES.items()}
_FIXED = struct.Struct("<9sQBQQ")


class IndexFormatError(ValueError):
    """An ``.idx`` file does not follow the layout above."""


class Index(NamedTuple):
    dtype: np.dtype
    lengths: np.ndarray    # int32[S]
    pointers: np.ndarray   # int64[S], bytes
    documents: np.ndarray  # int64[D]


def index_bytes(lengths: Sequence[int], dtype: np.dtype) -> bytes:
    """The ``.idx`` content for documents of these token ``lengths``."""
    dtype = np.dtype(dtype)
    sizes = np.asarray(lengths, dtype=np.int64)
    pointers = np.zeros(len(sizes), dtype=np.int64)
    np.cumsum(sizes[:-1] * dtype.itemsize, out=pointers[1:])
    header = _FIXED.pack(INDEX_HEADER, INDEX_VERSION, DTYPE_CODES[dtype], len(sizes), len(sizes) + 1)
    return b"".join((
        header,
        sizes.astype("<i4").tobytes(),
        pointers.astype("<i8").tobytes(),
        np.arange(len(sizes) + 1, dtype="<i8").tobytes(),
    ))


def parse_index(data: bytes | memoryview) -> Index:
    """Read an ``.idx`` buffer; raises :class:`IndexFormatError` on a malformed one."""
    if len(data) < _FIXED.size:
        raise IndexFormatError(f"index of {len(data)} bytes is shorter than its header")
    magic, version, code, n_seq, n_doc = _FIXED.unpack_from(data)
    if magic != INDEX_HEADER:
        raise IndexFormatError(f"bad magic {magic!r}")
    if version != INDEX_VERSION:
        raise IndexFormatError(f"unsupported version {version}")
    if code not in CODE_DTYPES:
        raise IndexFormatError(f"unknown dtype code {code}")
    expected = _FIXED.size + 4 * n_seq + 8 * n_seq + 8 * n_doc
    if len(data) != expected:
        raise IndexFormatError(f"index is {len(data)} bytes, its counts say {expected}")
    offset = _FIXED.size
    lengths = np.frombuffer(data, dtype="<i4", count=n_seq, offset=offset)
    pointers = np.frombuffer(data, dtype="<i8", count=n_seq, offset=offset + 4 * n_seq)
    documents = np.frombuffer(data, dtype="<i8", count=n_doc, offset=offset + 12 * n_seq)
    return Index(CODE_DTYPES[code], lengths, pointers, documents)
