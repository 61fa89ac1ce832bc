"""Benchmark decontamination [DeepSeek-Coder §2.4]: drop a file that shares any 10-gram of
tokens with benchmark test data; benchmark strings of 3 to 9 tokens must occur exactly.

Tokens are maximal runs of word characters (``\\w+``, :data:`WORD_TOKENS`), as in the
near-dedup shingles and GPT-3's 13-gram overlap check: whitespace, punctuation and line
breaks only separate them, so re-indented or re-spaced copies still match, and a 10-gram
spans one or two lines of code. Comparison is case-sensitive. By default an n-gram (or
short string) made only of low-information tokens, numbers and single characters
(``0 1 2 3 4 5 6 7 8 9``, test-data lists, ``1 2 3 4 5 6 7 8 9 A`` of a hex table,
``a e i o u A E O U I``), is not indexed: such runs occur in unrelated code everywhere and
identify no task (HumanEval/78's hex digits removed commons-lang3's
``CharSequenceTranslator.java``, a hex-digit table; 1,117 of HumanEval's 24,894 10-grams
are such windows, 87 of them not numbers alone); other boilerplate windows (``for i in
range n for j in range n``) are kept, as the paper's rule says. The alternative, words plus single punctuation characters (:data:`CODE_TOKENS`),
makes a 10-gram span only 4-6 words and removes files on windows such as
``( [ " a " , " b " ,``. On real code (``benchmarks/RESULTS.md``) the default removes
0.06 % of files, indexing numbers 0.7 %, punctuation tokens 6 % (22 % of Python files).

The index is built once: every benchmark token gets an id (0 = not a benchmark token), every
benchmark 10-gram a 64-bit polynomial hash of its ids, kept in a sorted ``numpy`` array. A
document is tokenized by one regex pass, its tokens mapped to ids, and the hashes of all its
10-gram windows are computed at once (Horner's rule over shifted arrays); windows holding a
non-benchmark token cannot match and are skipped, the rest are looked up with
``searchsorted``. A hash hit is confirmed token by token, so a collision never drops a file.
Benchmark strings of 3 to 9 tokens go into an Aho-Corasick automaton over the space-joined
token sequence (delimited by spaces, so matches fall on token boundaries); shorter ones are
too generic to match on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import repeat
from typing import Any, Iterable, Mapping, NamedTuple, Optional, Sequence

import ahocorasick
import numpy as np

from filters.base import Verdict
from filters.benchmark_data import BenchmarkText, load_sources

WORD_TOKENS = r"\w+"
_ASCII_NON_WORD_TO_SPACE = "".join(c if c.isascii() and (c.isalnum() or c == "_") else " " for c in map(chr, range(128)))
CODE_TOKENS = r"\w+|[^\w\s]"
NGRAM = 10
MIN_SHORT_TOKENS = 3
DETAIL_CHARS = 200
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


def _low_information(token: str) -> bool:
    """A number or a single character: a token that says nothing about the task it is in."""
    return len(token) == 1 or token.isdecimal()


def window_hashes(ids: np.ndarray, n: int) -> np.ndarray:
    """Polynomial hash (mod 2**64) of every window of ``n`` consecutive ``uint64`` ids."""
    count = len(ids) - n + 1
    hashes = np.zeros(max(count, 0), dtype=np.uint64)
    for offset in range(n if count > 0 else 0):
        hashes = hashes * _MULTIPLIER + ids[offset: offset + count]
    return hashes


def window_counts(flags: np.ndarray, n: int) -> np.ndarray:
    """How many of the ``n`` flags in each window of ``n`` consecutive flags are set."""
    running = np.concatenate(([0], np.cumsum(flags, dtype=np.int64)))
    return running[n:] - running[:-n]


class Contamination(NamedTuple):
    """A benchmark string found in a document: its set, task and the matched tokens."""

    benchmark: str
    task_id: str
    matched: str


@dataclass(frozen=True)
class _Origin:
    benchmark: str
    task_id: str
    ids: tuple[int, ...]


class Decontaminator:
    """File filter: drop a file sharing a ``ngram``-token window with benchmark data, or
    containing a whole short (``min_short_tokens`` to ``ngram - 1`` tokens) benchmark string.

    Reason ``decontamination:<benchmark>``, detail ``<task_id>: <matched tokens>``. When an
    n-gram occurs in several tasks, the first loaded names it. ``token_pattern`` is the regex
    whose matches are the tokens (:data:`WORD_TOKENS` or :data:`CODE_TOKENS`);
    ``index_low_information`` also indexes n-grams and short strings made only of numbers and
    single characters.
    """

    name = "decontamination"

    def __init__(
        self, texts: Iterable[BenchmarkText], ngram: int = NGRAM,
        min_short_tokens: int = MIN_SHORT_TOKENS, token_pattern: str = WORD_TOKENS,
        index_low_information: bool = False,
    ) -> None:
        if not 1 <= min_short_tokens <= ngram:
            raise ValueError("need 1 <= min_short_tokens <= ngram")
        self.ngram = ngram
        self.min_short_tokens = min_short_tokens
        self.index_low_information = index_low_information
        self._tokens = re.compile(token_pattern)
        self._ascii_words = token_pattern == WORD_TOKENS
        self._vocab: dict[str, int] = {}
        self._origins: dict[int, _Origin] = {}
        self._automaton = ahocorasick.Automaton()
        for entry in texts:
            self._add(entry)
        self._hashes = np.array(sorted(self._origins), dtype=np.uint64)
        if len(self._automaton):
            self._automaton.make_automaton()

    @classmethod
    def from_sources(
        cls, names: Sequence[str] = ("humaneval",), extra_jsonl_paths: Sequence[str] = (),
        **options: Any,
    ) -> "Decontaminator":
        """Index the built-in sets ``names`` and the JSONL files ``extra_jsonl_paths``
        (see :mod:`filters.benchmark_data`)."""
        return cls(load_sources(names, extra_jsonl_paths), **options)

    @property
    def ngram_count(self) -> int:
        """Distinct benchmark n-grams in the index."""
        return len(self._hashes)

    @property
    def short_string_count(self) -> int:
        """Distinct short benchmark strings matched exactly."""
        return len(self._automaton)

    def tokenize(self, text: str) -> list[str]:
        """The tokens of ``text``, in order. For ASCII text, ``\\w+`` words are the runs of
        ``[A-Za-z0-9_]``: other characters become spaces and the text is split (C speed,
        1.7x faster than the regex)."""
        if self._ascii_words and text.isascii():
            return text.translate(_ASCII_NON_WORD_TO_SPACE).split()
        return self._tokens.findall(text)

    def _add(self, entry: BenchmarkText) -> None:
        tokens = self.tokenize(entry.text)
        low = np.fromiter(map(_low_information, tokens), dtype=bool, count=len(tokens))
        if len(tokens) < self.min_short_tokens or (low.all() and not self.index_low_information):
            return
        if len(tokens) < self.ngram:
            key = _delimited(tokens)
            if key not in self._automaton:
                self._automaton.add_word(key, (entry.benchmark, entry.task_id, " ".join(tokens)))
            return
        ids = np.array([self._vocab.setdefault(token, len(self._vocab) + 1) for token in tokens],
                       dtype=np.uint64)
        kept = (window_counts(low, self.ngram) < self.ngram) | self.index_low_information
        for start, value in zip(np.flatnonzero(kept).tolist(),
                                window_hashes(ids, self.ngram)[kept].tolist()):
            if value not in self._origins:
                window = tuple(ids[start: start + self.ngram].tolist())
                self._origins[value] = _Origin(entry.benchmark, entry.task_id, window)

    def find(self, content: str) -> Optional[Contamination]:
        """The first benchmark n-gram in ``content`` (document order), else the first short
        benchmark string found whole; ``None`` when the content is clean."""
        tokens = self.tokenize(content)
        return self._find_ngram(tokens) or self._find_short(tokens)

    def _find_ngram(self, tokens: list[str]) -> Optional[Contamination]:
        if len(tokens) < self.ngram or not len(self._hashes):
            return None
        ids = np.fromiter(map(self._vocab.get, tokens, repeat(0)), dtype=np.uint64, count=len(tokens))
        starts = np.flatnonzero(window_counts(ids == 0, self.ngram) == 0)
        if not len(starts):
            return None
        hashes = window_hashes(ids, self.ngram)[starts]
        slots = np.minimum(np.searchsorted(self._hashes, hashes), len(self._hashes) - 1)
        hit = self._hashes[slots] == hashes
        for start, value in zip(starts[hit].tolist(), hashes[hit].tolist()):
            origin = self._origins[value]
            if tuple(ids[start: start + self.ngram].tolist()) == origin.ids:
                matched = " ".join(tokens[start: start + self.ngram])
                return Contamination(origin.benchmark, origin.task_id, matched)
        return None

    def _find_short(self, tokens: list[str]) -> Optional[Contamination]:
        if not len(self._automaton) or len(tokens) < self.min_short_tokens:
            return None
        for _end, (benchmark, task_id, matched) in self._automaton.iter(_delimited(tokens)):
            return Contamination(benchmark, task_id, matched)
        return None

    def check(self, record: Mapping[str, Any]) -> Optional[Verdict]:
        found = self.find(record["content"])
        if found is None:
            return None
        detail = f"{found.task_id}: {found.matched[:DETAIL_CHARS]}"
        return Verdict(f"{self.name}:{found.benchmark}", detail)


def _delimited(tokens: Sequence[str]) -> str:
    return " " + " ".join(tokens) + " "
