"""The deterministic survivor ranks of exact and near dedup.

Lower sorts first and survives. Files (:func:`survivor_rank`, exact dedup): a permissive
license, then more stars, then more bytes, then the smallest stable id. Repositories
(:func:`repo_rank`, near-dedup): a permissive license, then more stars, then the member
most similar to the rest of its near-duplicate component (not the largest: an added file
or inserted junk must not make a fork win), then fewer bytes (in a pair the two are
equally central; forks and distribution packages more often add files than drop them),
then the name. The ranks depend only on the
records, never on bundle order.
"""
from __future__ import annotations

import re

# SPDX ids (and common spellings) of permissive licenses, as in The Stack's license filter.
PERMISSIVE = frozenset({
    "mit", "mit-0", "apache-2.0", "apache", "bsd", "bsd-2-clause", "bsd-3-clause",
    "bsd-3-clause-clear", "0bsd", "isc", "unlicense", "cc0-1.0", "zlib", "bsl-1.0",
    "python-2.0", "psf-2.0", "mpl-2.0", "artistic-2.0", "wtfpl", "x11", "ncsa", "upl-1.0",
    "postgresql", "ms-pl", "bsd-4-clause", "cc-by-4.0", "afl-3.0", "ecl-2.0", "epl-2.0",
})
_SPLIT = re.compile(r"\s*(?:,|;|\bor\b|\band\b|/)\s*", re.IGNORECASE)


def is_permissive(license_text: str) -> bool:
    """True when every license named (``MIT``, ``Apache-2.0 OR MIT``, ``mit,bsd``) is permissive."""
    names = [n.strip().strip("()").lower() for n in _SPLIT.split(license_text or "") if n.strip()]
    return bool(names) and all(n in PERMISSIVE for n in names)


def survivor_rank(license_text: str, stars: int, size: int, stable_id: str) -> tuple:
    return (not is_permissive(license_text), -int(stars or 0), -int(size or 0), stable_id)


def repo_rank(license_text: str, stars: int, centrality: float, size: int, name: str) -> tuple:
    """Near-dedup rank of a repository inside its component (see :mod:`dedup.near`)."""
    return (not is_permissive(license_text), -int(stars or 0), -float(centrality), int(size), name)
