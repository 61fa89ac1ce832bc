"""The one interface every filter follows: ``check(record)`` returns ``None`` (keep) or a
:class:`Verdict` (drop, with a stable reason string and a human-readable detail)."""
from __future__ import annotations

from typing import Any, Mapping, NamedTuple, Optional, Protocol, Sequence


class Verdict(NamedTuple):
    """Why a record is dropped: ``reason`` is a stable rule id (``line_length:avg``), ``detail``
    the measured value or matched rule."""

    reason: str
    detail: str = ""


class FileFilter(Protocol):
    """A rule over one file record (keys ``path``, ``language``, ``content``, ``size``)."""

    name: str

    def check(self, record: Mapping[str, Any]) -> Optional[Verdict]:
        """``None`` keeps the record; a :class:`Verdict` drops it."""
        ...


def first_rejection(
    record: Mapping[str, Any], filters: Sequence[FileFilter]
) -> Optional[Verdict]:
    """The verdict of the first filter, in order, that drops ``record``; ``None`` if all keep it."""
    for rule in filters:
        verdict = rule.check(record)
        if verdict is not None:
            return verdict
    return None


def line_lengths(text: str) -> list[int]:
    """Lengths of the lines of ``text`` as bigcode measures them: ``str.splitlines()``, so line
    terminators are not counted and a trailing newline adds no empty line."""
    return [len(line) for line in text.splitlines()]


def mean_line_length(text: str) -> float:
    """Characters per line, terminators excluded (bigcode ``add_stats``); 0.0 for empty text."""
    lengths = line_lengths(text)
    return sum(lengths) / len(lengths) if lengths else 0.0
