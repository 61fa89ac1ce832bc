"""The deterministic sample of the corpus that the tokenizer trains on.

The sample is the samples of smallest ``sample_key(sample_id)`` whose texts fit in a
byte budget, the last one cut to fill it: the same set whatever order the samples arrive
in or however they are split between workers, because keeping the budget-prefix of each
part and then of their union gives the budget-prefix of the whole (an entry outside a
part's prefix has at least as many bytes before it in the union).
"""
from __future__ import annotations

import hashlib
from typing import Iterable, NamedTuple


class TrainingEntry(NamedTuple):
    key: int
    sample_id: str
    text: str


def sample_key(sample_id: str) -> int:
    """A 64-bit hash of the id, the same in every process."""
    digest = hashlib.blake2b(b"tokenizer-sample\0" + sample_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def within_budget(entries: Iterable[TrainingEntry], budget_bytes: int) -> list[TrainingEntry]:
    """Entries in (key, sample_id) order while their UTF-8 bytes fit ``budget_bytes``; the
    first one that does not fit is cut to the bytes left (at a character boundary)."""
    kept: list[TrainingEntry] = []
    left = budget_bytes
    for entry in sorted(entries, key=lambda e: (e.key, e.sample_id)):
        if left <= 0:
            break
        data = entry.text.encode("utf-8")
        if len(data) > left:
            entry = entry._replace(text=data[:left].decode("utf-8", "ignore"))
        kept.append(entry)
        left -= len(data)
    return kept
