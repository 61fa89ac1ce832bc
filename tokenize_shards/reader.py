"""Read a shard set written by this package: memory-mapped documents and training windows.

Stable API (the trainer uses exactly this)::

    from tokenize_shards import open_shards

    shards = open_shards("OUT/shards")       # verify=True: sha256 of every file vs manifest
    shards.num_documents, shards.num_tokens   # ints
    shards.vocab_size                         # embedding rows: largest token id + 1
    shards.dtype                              # numpy dtype of the stored tokens
    shards.manifest                           # dict, the parsed manifest.json
    shards.tokenizer_path                     # str, the tokenizer.json beside the shards
    shards.document(i)                        # np.ndarray view (shard dtype) of document i
    len(shards), iter(shards)                 # documents in stream (shuffled) order

    windows = shards.windows(seq_len, document_masking=False)
    len(windows)                              # (num_tokens - 1) // seq_len
    tokens, positions, documents = windows[i] # a Window, all np.int64 of length seq_len + 1

Windows cover the concatenated token stream (every document ends with
``<｜end▁of▁sentence｜>``) with stride ``seq_len``; window ``i`` is the tokens
``[i * seq_len, (i + 1) * seq_len + 1)``, so inputs are ``tokens[:-1]`` and targets
``tokens[1:]``; the last partial window is dropped. ``documents`` gives each token's
document index. ``positions`` is ``0..seq_len`` or, with ``document_masking=True``,
restarts at 0 at every document start inside the window (Megatron's
``reset_position_ids``); a token then attends only to earlier tokens of its own
document, i.e. those with equal ``documents``.

A :class:`Shards` pickles as its folder (reopened without re-verifying), so data loader
workers can receive it. Checks: a missing or altered file raises
:class:`ShardChecksumError`; a malformed index raises :class:`IndexFormatError`.
"""
from __future__ import annotations

import os
from typing import Any, Iterator, NamedTuple

import numpy as np

from tokenize_shards.indexed_dataset import IndexFormatError, parse_index
from tokenize_shards.manifest import read_manifest, verify_checksums


class Window(NamedTuple):
    tokens: np.ndarray
    positions: np.ndarray
    documents: np.ndarray


class Shards:
    """A shard set opened read-only; see the module docstring."""

    def __init__(self, folder: str, verify: bool = True):
        self.folder = os.fspath(folder)
        self.manifest: dict[str, Any] = read_manifest(self.folder)
        if verify:
            verify_checksums(self.folder, self.manifest)
        self.dtype = np.dtype(self.manifest["dtype"])
        self.vocab_size: int = int(self.manifest["tokenizer"]["vocab_size"])
        self.tokenizer_path = os.path.join(self.folder, self.manifest["tokenizer"]["file"])
        self._bins: list[np.ndarray] = []
        doc_starts = [np.zeros(1, dtype=np.int64)]
        shard_tokens = [0]
        for shard in self.manifest["shards"]:
            lengths = self._open_shard(shard)
            doc_starts.append(shard_tokens[-1] + np.cumsum(lengths, dtype=np.int64))
            shard_tokens.append(shard_tokens[-1] + int(lengths.sum()))
        self._doc_starts = np.concatenate(doc_starts)
        self._shard_token_starts = np.asarray(shard_tokens, dtype=np.int64)
        self.num_documents = len(self._doc_starts) - 1
        self.num_tokens = int(self._doc_starts[-1])

    def _open_shard(self, shard: dict[str, Any]) -> np.ndarray:
        """Memory-map one shard's tokens after checking its index; returns its lengths."""
        prefix = os.path.join(self.folder, shard["prefix"])
        with open(prefix + ".idx", "rb") as handle:
            index = parse_index(handle.read())
        n = len(index.lengths)
        if index.dtype != self.dtype:
            raise IndexFormatError(f"{prefix}.idx: dtype {index.dtype}, manifest says {self.dtype}")
        if n != shard["documents"] or not np.array_equal(index.documents, np.arange(n + 1)):
            raise IndexFormatError(f"{prefix}.idx: expected {shard['documents']} one-sequence documents")
        expected_bytes = int(index.lengths.sum(dtype=np.int64)) * self.dtype.itemsize
        actual_bytes = os.path.getsize(prefix + ".bin")
        if actual_bytes != expected_bytes:
            raise IndexFormatError(f"{prefix}.bin: {actual_bytes} bytes, its index says {expected_bytes}")
        tokens = (np.memmap(prefix + ".bin", dtype=self.dtype.newbyteorder("<"), mode="r")
                  if actual_bytes else np.empty(0, dtype=self.dtype))
        self._bins.append(tokens)
        return index.lengths

    def __len__(self) -> int:
        return self.num_documents

    def __iter__(self) -> Iterator[np.ndarray]:
        return (self.document(i) for i in range(self.num_documents))

    def document(self, i: int) -> np.ndarray:
        """Document ``i``'s tokens: a read-only view into the memory map."""
        if not -self.num_documents <= i < self.num_documents:
            raise IndexError(f"document {i} out of range ({self.num_documents} documents)")
        i %= self.num_documents
        start, stop = int(self._doc_starts[i]), int(self._doc_starts[i + 1])
        shard = int(np.searchsorted(self._shard_token_starts, start, side="right")) - 1
        offset = int(self._shard_token_starts[shard])
        return self._bins[shard][start - offset:stop - offset]

    def tokens(self, start: int, stop: int) -> np.ndarray:
        """Stream tokens ``[start, stop)`` across shards, as int64."""
        out = np.empty(max(0, stop - start), dtype=np.int64)
        first = int(np.searchsorted(self._shard_token_starts, start, side="right")) - 1
        filled = 0
        for shard in range(max(first, 0), len(self._bins)):
            offset = int(self._shard_token_starts[shard])
            if offset >= stop:
                break
            part = self._bins[shard][max(start - offset, 0):stop - offset]
            out[filled:filled + len(part)] = part
            filled += len(part)
        return out

    def windows(self, seq_len: int, document_masking: bool = False) -> "Windows":
        return Windows(self, seq_len, document_masking)

    def __getstate__(self) -> dict[str, Any]:
        return {"folder": self.folder}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["folder"], verify=False)


class Windows:
    """Fixed-length windows over a shard set's token stream; see the module docstring."""

    def __init__(self, shards: Shards, seq_len: int, document_masking: bool = False):
        if seq_len < 1:
            raise ValueError(f"seq_len must be positive, got {seq_len}")
        self.shards = shards
        self.seq_len = seq_len
        self.document_masking = document_masking

    def __len__(self) -> int:
        return max(0, (self.shards.num_tokens - 1) // self.seq_len)

    def __getitem__(self, i: int) -> Window:
        count = len(self)
        if not -count <= i < count:
            raise IndexError(f"window {i} out of range ({count} windows)")
        start = (i % count) * self.seq_len
        stop = start + self.seq_len + 1
        tokens = self.shards.tokens(start, stop)
        doc_starts = self.shards._doc_starts
        documents = np.searchsorted(doc_starts, np.arange(start, stop), side="right") - 1
        if self.document_masking:
            first_token = np.maximum(doc_starts[documents], start) - start
            positions = np.arange(stop - start, dtype=np.int64) - first_token
        else:
            positions = np.arange(stop - start, dtype=np.int64)
        return Window(tokens, positions, documents.astype(np.int64))


def open_shards(folder: str, verify: bool = True) -> Shards:
    """Open the shard set in ``folder`` (its ``manifest.json``); ``verify=False`` skips hashing."""
    return Shards(folder, verify=verify)
