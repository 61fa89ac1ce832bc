"""The run ledger: files and bytes into, kept by, and rejected (by reason) at every stage.

In the pipeline, each repository's steps count their input, output and rejects
(:class:`pipeline.repo_steps.Tallies`); the counts are summed and written to
``OUT/_stats/counts.json``. After the run,
:func:`build_ledger` folds them into ``ledger.json`` and checks the invariants: at every
stage ``in == kept + rejected``, and every stage takes in exactly what the previous one
kept. A mismatch raises :class:`LedgerError` naming the stage.
"""
from __future__ import annotations

import json
from typing import Any, Iterable, Sequence

from pipeline.storage import FileSystems

from pipeline.tables import write_atomic

COUNTS_PATH = "_stats/counts.json"


class LedgerError(RuntimeError):
    """The counts do not balance; the message names the stage."""


def file_units(record: dict[str, Any]) -> tuple[int, int]:
    """Files and bytes an element stands for: a file or reject is one file of ``size``
    bytes; a repo-level sample is ``n_files`` files of ``sum(file_sizes)`` bytes. A reject
    with an empty path stands for a repository (or the rest of one) that could not be read
    (``input:invalid``, ``git:*``, ``archive:corrupt``, ...): no file, so 0 files of 0
    bytes; its reason still shows in the ledger and the run lists it (issue 15, item 3)."""
    if "n_files" in record:
        return int(record["n_files"]), int(sum(record.get("file_sizes") or ()))
    if "reason" in record and not record.get("path"):
        return 0, 0
    return 1, int(record.get("size") or 0)


def language_units(record: dict[str, Any]):
    """``(language, (files, bytes))`` per file of a file record or a repo-level sample."""
    if "languages" in record:
        sizes = record.get("file_sizes") or [0] * len(record["languages"])
        return [(lang, (1, int(size))) for lang, size in zip(record["languages"], sizes)]
    return [(record["language"], (1, int(record.get("size") or 0)))]


def license_units(record: dict[str, Any]):
    """``(license, (files, bytes))`` of a file record or a repo-level sample (``none``: no license)."""
    return [(record.get("license") or "none", file_units(record))]


def read_counts(out: str) -> list[tuple[tuple[str, str, str], tuple[int, int]]]:
    with FileSystems.open(FileSystems.join(out, COUNTS_PATH)) as fh:
        return [(tuple(k), tuple(v)) for k, v in json.loads(fh.read().decode("utf-8"))]


def build_ledger(counts: Iterable[tuple[Sequence[str], Sequence[int]]], stages: Sequence[str]) -> dict[str, Any]:
    """Fold counts into the ledger and check its invariants (raises :class:`LedgerError`)."""
    table: dict[str, dict[str, Any]] = {
        s: {"stage": s, "in": [0, 0], "kept": [0, 0], "rejected": {}} for s in stages
    }
    breakdowns: dict[str, dict[str, dict[str, dict[str, int]]]] = {}
    for (stage, kind, reason), (files, nbytes) in counts:
        if stage.startswith("_"):  # a breakdown (e.g. languages), outside the balance
            group = breakdowns.setdefault(stage[1:], {}).setdefault(kind, {})
            prev = group.get(reason, {"files": 0, "bytes": 0})
            group[reason] = {"files": prev["files"] + files, "bytes": prev["bytes"] + nbytes}
            continue
        if stage not in table:
            raise LedgerError(f"stage {stage!r} was counted but is not a stage of this pipeline")
        row = table[stage]
        if kind == "rejected":
            prev = row["rejected"].get(reason, [0, 0])
            row["rejected"][reason] = [prev[0] + files, prev[1] + nbytes]
        else:
            row[kind] = [row[kind][0] + files, row[kind][1] + nbytes]
    rows = []
    previous_kept = None
    for stage in stages:
        row = table[stage]
        rejected = sum(v[0] for v in row["rejected"].values())
        if row["in"][0] != row["kept"][0] + rejected:
            raise LedgerError(
                f"stage {stage!r} does not balance: {row['in'][0]} files in, "
                f"{row['kept'][0]} kept + {rejected} rejected")
        if previous_kept is not None and row["in"][0] != previous_kept:
            raise LedgerError(
                f"stage {stage!r} took in {row['in'][0]} files but the stage before it kept {previous_kept}")
        previous_kept = row["kept"][0]
        rows.append({
            "stage": stage,
            "files_in": row["in"][0], "bytes_in": row["in"][1],
            "files_kept": row["kept"][0], "bytes_kept": row["kept"][1],
            "files_rejected": rejected,
            "rejected_by_reason": {
                reason: {"files": v[0], "bytes": v[1]} for reason, v in sorted(row["rejected"].items())
            },
        })
    total_in = rows[0]["files_in"] if rows else 0
    total_kept = rows[-1]["files_kept"] if rows else 0
    total_rejected = sum(r["files_rejected"] for r in rows)
    if total_in != total_kept + total_rejected:
        raise LedgerError(f"run does not balance: {total_in} files in, {total_kept} kept + {total_rejected} rejected")
    return {
        "stages": rows,
        "totals": {"files_in": total_in, "files_kept": total_kept, "files_rejected": total_rejected},
        "balanced": True,
        "breakdowns": {k: {g: dict(sorted(v.items())) for g, v in sorted(groups.items())}
                       for k, groups in sorted(breakdowns.items())},
    }


def write_ledger(out: str, ledger: dict[str, Any]) -> str:
    data = (json.dumps(ledger, indent=2, sort_keys=True) + "\n").encode("utf-8")
    return write_atomic(FileSystems.join(out, "ledger.json"), data)
