"""Exact dedup of file contents among the repositories near-dedup kept.

One survivor per sha256 of the bytes, by :func:`file_rank`. It runs after repository-level
near-dedup, so forks are already kept or removed whole and what is left to remove are
vendored copies (a library or asset copied into many repositories). A repository that
would lose more than ``ExactDedupConfig.max_repo_share`` of its files is not a host of
vendored copies but a fork below the near-dup threshold: it keeps them all, since tearing
it apart would leave a fragment that no longer builds or reads as a repository (measured
on planted forks of real repositories: benchmarks/RESULTS.md, whole-repository near-dedup).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from dedup.rank import is_permissive
from contract.records import reject_record

STAGE = "exact_dedup"


@dataclass(frozen=True)
class ExactDedupConfig:
    """Exact dedup of file contents (sha256 of the bytes) among near-dedup's survivors."""

    enabled: bool = True
    # a repository whose copies are more than this share of its files keeps them all
    # (a fork below the near-dup threshold, not vendored code); 1.0 removes every copy
    max_repo_share: float = 0.2

    def __post_init__(self) -> None:
        if not 0.0 <= self.max_repo_share <= 1.0:
            raise ValueError(f"exact_dedup.max_repo_share must be between 0 and 1, got {self.max_repo_share!r}")


def file_id(record: dict[str, Any]) -> str:
    return f"{record['repo_name']}/{record['path']}"


def split_exact_duplicates(
    records: Iterable[dict[str, Any]],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Given the files sharing one content hash: the survivor and a reject per other copy."""
    ranked = sorted(records, key=file_rank)
    survivor, losers = ranked[0], ranked[1:]
    rejects = [
        reject_record(r["repo_name"], r["path"], STAGE, "exact_duplicate", f"survivor={file_id(survivor)}", r["size"])
        for r in losers
    ]
    return survivor, rejects


def file_rank(record: dict[str, Any], repo_files: int = 0) -> tuple:
    """The survivor rank of one file among identical copies (smaller survives): permissive
    license, more stars, then the copy in the repository with fewer files (where the file
    is the larger share of its repository, so the copy removed is the one that is a smaller
    share of its own: vendored into a larger project), then the file id."""
    return (not is_permissive(record["license"]), -int(record["stars"] or 0), int(repo_files), file_id(record))


def losers_of(ranked_ids: Iterable[tuple[tuple, str]]) -> list[tuple[str, str]]:
    """Given ``(rank, file id)`` of the files sharing one content hash: ``(loser id, survivor id)``."""
    ordered = sorted(ranked_ids)
    survivor = ordered[0][1]
    return [(fid, survivor) for _, fid in ordered[1:]]


def drop_copies(files: list[dict[str, Any]], copies: Mapping[str, str], max_repo_share: float):
    """One repository's files -> ``(kept, rejects)``: each file whose id is in ``copies``
    (loser id -> survivor id) is an ``exact_duplicate`` reject, unless the copies are more
    than ``max_repo_share`` of the repository's files; then all are kept."""
    losers = [(r, copies[file_id(r)]) for r in files if file_id(r) in copies]
    if not losers or len(losers) > max_repo_share * len(files):
        return files, []
    lost = {id(r) for r, _ in losers}
    rejects = [reject_record(r["repo_name"], r["path"], STAGE, "exact_duplicate", f"survivor={survivor}", r["size"])
               for r, survivor in losers]
    return [r for r in files if id(r) not in lost], rejects
