"""Exact dedup of file contents across the corpus: one survivor per sha256 of the bytes."""
from __future__ import annotations

from typing import Any, Iterable

from dedup.rank import survivor_rank
from contract.records import reject_record

STAGE = "exact_dedup"


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


def file_rank(record: dict[str, Any]) -> tuple:
    """The survivor rank of one file (smaller survives)."""
    return survivor_rank(record["license"], record["stars"], record["size"], file_id(record))


def losers_of(ranked_ids: Iterable[tuple[tuple, str]]) -> list[tuple[str, str]]:
    """Given ``(rank, file id)`` of the files sharing one content hash: ``(loser id, survivor id)``."""
    ordered = sorted(ranked_ids)
    survivor = ordered[0][1]
    return [(fid, survivor) for _, fid in ordered[1:]]
