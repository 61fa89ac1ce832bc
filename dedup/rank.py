"""The deterministic survivor ranks of exact and near dedup.

Lower sorts first and survives. Files (:func:`survivor_rank`): a permissive license, then
more stars, then more bytes, then the smallest stable id (exact dedup's own rank,
:func:`dedup.exact.file_rank`, puts the repository's file count before the id). Repositories
(:func:`repo_rank`, near-dedup): a permissive license, then more stars, then the member
most similar to the rest of its near-duplicate component (not the largest: an added file
or inserted junk must not make a fork win), then fewer bytes (in a pair the two are
equally central; forks and distribution packages more often add files than drop them),
then the name. The ranks depend only on the
records, never on bundle order.
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)
def is_permissive(license_text: str) -> bool:
    """True when the license expression can be satisfied with permissive licenses only
    (``MIT``, ``Apache-2.0 OR MIT``, ``MIT OR GPL-3.0``; not ``GPL-3.0``, ``MIT AND GPL-3.0``
    or nothing): the same list and rule as the ``licenses`` stage's permissive mode
    (:data:`filters.licenses.PERMISSIVE_LICENSES`, :func:`filters.licenses.is_permitted`),
    after reading a declared spelling (``mit,bsd``, ``Apache 2.0``) as SPDX."""
    from filters.licenses import PERMISSIVE_LICENSES, expression_from_declared, is_permitted

    text = (license_text or "").strip()
    if not text:
        return False
    return is_permitted(expression_from_declared(text) or text, PERMISSIVE_LICENSES)


def survivor_rank(license_text: str, stars: int, size: int, stable_id: str) -> tuple:
    return (not is_permissive(license_text), -int(stars or 0), -int(size or 0), stable_id)


def repo_rank(license_text: str, stars: int, centrality: float, size: int, name: str) -> tuple:
    """Near-dedup rank of a repository inside its component (see :mod:`dedup.near`)."""
    return (not is_permissive(license_text), -int(stars or 0), -float(centrality), int(size), name)
