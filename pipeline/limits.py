"""Safety limits for reading repositories (file size, archive bombs, git clones)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CrawlLimits:
    """Caps applied while enumerating repositories; every cap that bites is a recorded reject."""

    max_file_bytes: int = 1_000_000          # The Stack v2: skip files larger than this (1 MB)
    archive_max_members: int = 200_000       # entries per archive before it counts as a bomb
    archive_max_total_bytes: int = 2 << 30   # uncompressed bytes read from one archive
    archive_max_ratio: float = 200.0         # uncompressed / compressed size of one zip member
    git_timeout_s: float = 300.0             # wall clock for one clone
    git_max_bytes: int = 2 << 30             # bytes on disk for one clone
