"""Exact repository Jaccard, the ground truth of ``bench_repo_dedup.py`` (issue 12).

Written independently of repocurate's dedup code (no import from ``dedup/``), from the
definition the paper's near-dedup uses (bigcode ``near_deduplication``): tokens are the
maximal runs of ``[A-Za-z0-9_]`` (every other character, non-ASCII included, separates
tokens; no lower-casing), a shingle is 5 consecutive tokens, and the Jaccard of two
repositories is ``|A & B| / |A | B|`` of their shingle *sets*.

A repository's set is the union of its files' sets, so it depends on file contents only:
not on paths, file order or the comment headers repocurate writes between files (a renamed
or moved file is the same content). A file with 1 to 4 tokens is one shingle of all of
them; a file without tokens has none. Shingles are kept as 64-bit BLAKE2b digests of the
space-joined tokens: deterministic across processes, and a collision among the ~10^7
shingles of a benchmark has probability ~10^-5.
"""
from __future__ import annotations

import hashlib
import re
from typing import Iterable, Mapping, Sequence

import numpy as np
from scipy import sparse

NGRAM = 5
_TOKEN = re.compile(r"[A-Za-z0-9_]+")


def shingle_hashes(text: str, n: int = NGRAM) -> set[int]:
    """The 64-bit hashes of the distinct ``n``-token shingles of one file."""
    toks = _TOKEN.findall(text)
    if not toks:
        return set()
    if len(toks) < n:
        grams = [" ".join(toks)]
    else:
        grams = {" ".join(toks[i:i + n]) for i in range(len(toks) - n + 1)}
    return {int.from_bytes(hashlib.blake2b(g.encode("ascii"), digest_size=8).digest(), "little") for g in grams}


class ShingleCache:
    """Per-file shingle sets, memoised by the file's text (forks share most of their files)."""

    def __init__(self, parent: "ShingleCache | None" = None) -> None:
        self._by_digest: dict[bytes, frozenset[int]] = {}
        self._parent = parent  # looked up, never added to: a short-lived child for trial versions

    def _get(self, key: bytes) -> frozenset[int] | None:
        found = self._by_digest.get(key)
        return found if found is not None or self._parent is None else self._parent._get(key)

    def file(self, text: str) -> frozenset[int]:
        key = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        found = self._get(key)
        if found is None:
            found = self._by_digest[key] = frozenset(shingle_hashes(text))
        return found

    def repo(self, texts: Iterable[str]) -> set[int]:
        out: set[int] = set()
        for text in texts:
            out |= self.file(text)
        return out


def jaccard(a: set[int], b: set[int]) -> float:
    """Set Jaccard; two empty repositories are identical (1.0)."""
    if not a and not b:
        return 1.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


def as_array(shingles: Iterable[int]) -> np.ndarray:
    return np.array(sorted(shingles), dtype=np.uint64)


def jaccard_matrix(sets: Sequence[np.ndarray]) -> np.ndarray:
    """Exact Jaccard of every pair of repositories, ``(n, n)``: a sparse repository x shingle
    incidence matrix times its transpose gives every intersection at once."""
    if not sets:
        return np.zeros((0, 0))
    values, columns = np.unique(np.concatenate(sets), return_inverse=True)
    rows = np.repeat(np.arange(len(sets)), [s.size for s in sets])
    incidence = sparse.csr_matrix((np.ones(rows.size, dtype=np.int32), (rows, columns.ravel())),
                                  shape=(len(sets), values.size))
    common = (incidence @ incidence.T).toarray().astype(np.float64)
    sizes = np.array([s.size for s in sets], dtype=np.float64)
    union = sizes[:, None] + sizes[None, :] - common
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(union > 0, common / union, 1.0)


def repo_sets(files: Mapping[str, Mapping[str, str]], cache: ShingleCache | None = None) -> dict[str, np.ndarray]:
    """``{repo: sorted uint64 shingle array}`` from ``{repo: {path: text}}``."""
    cache = cache or ShingleCache()
    return {repo: as_array(cache.repo(texts[p] for p in sorted(texts))) for repo, texts in files.items()}


def datatrove_word_tokenizer():
    """This module's tokenizer as a datatrove ``WordTokenizer`` (datatrove imported lazily)."""
    from datatrove.utils.word_tokenizers import WordTokenizer

    class WordRuns(WordTokenizer):
        def word_tokenize(self, text: str) -> list[str]:
            return _TOKEN.findall(text)

        def sent_tokenize(self, text: str) -> list[str]:
            return [text]

        def span_tokenize(self, text: str) -> list[tuple[int, int]]:
            return [(0, len(text))]

    return WordRuns()
