"""The run ledger: files and bytes into, kept by, and rejected (by reason) at every stage.

In the pipeline, :class:`TallyStage` turns a stage's input, output and rejects into counts
that are summed and written to ``OUT/_stats/counts.json``. After the run,
:func:`build_ledger` folds them into ``ledger.json`` and checks the invariants: at every
stage ``in == kept + rejected``, and every stage takes in exactly what the previous one
kept. A mismatch raises :class:`LedgerError` naming the stage.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Iterable, Optional, Sequence

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from pipeline.batches import batch_rows
from pipeline.progress import LiveCounts, live_counts_of
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


def _add(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return a[0] + b[0], a[1] + b[1]


def _sum_pairs(pairs: Iterable[tuple[int, int]]) -> tuple[int, int]:
    total = (0, 0)
    for pair in pairs:
        total = _add(total, pair)
    return total


def batch_units(batch, units: Callable[[dict[str, Any]], tuple[int, int]] = file_units) -> tuple[int, int]:
    """Files and bytes of all rows of a batch (see :mod:`pipeline.batches`)."""
    return _sum_pairs(map(units, batch_rows(batch)))


def units_by_reason(batch, units: Callable[[dict[str, Any]], tuple[int, int]] = file_units):
    """``(reason, (files, bytes))`` per distinct reason of a reject batch, sorted."""
    totals: dict[str, tuple[int, int]] = {}
    for row in batch_rows(batch):
        totals[row["reason"]] = _add(totals.get(row["reason"], (0, 0)), units(row))
    return sorted(totals.items())


class _TallyDoFn(beam.DoFn):
    """One collection's tallies of a stage; also adds them to the run's live counts, if any
    (fused with the step that makes the collection, so they move while the data flows)."""

    def __init__(self, stage: str, kind: str, units: Callable[[dict[str, Any]], tuple[int, int]],
                 live: Optional[LiveCounts]):
        self.stage, self.kind, self.units, self.live = stage, kind, units, live

    def process(self, batch):
        if self.kind == "rejected":
            pairs = [((self.stage, "rejected", reason), n) for reason, n in units_by_reason(batch, self.units)]
        else:
            pairs = [((self.stage, self.kind, ""), batch_units(batch, self.units))]
        if self.live is not None:
            rows = batch_rows(batch)
            repo = batch["repo_name"] if isinstance(batch, dict) else (rows[0].get("repo_name") if rows else None)
            files, nbytes = _sum_pairs(n for _, n in pairs)
            self.live.add(self.stage, self.kind, files, nbytes, repo, rows=len(rows))
        yield from pairs

    def finish_bundle(self):
        if self.live is not None:
            self.live.flush()


class TallyStage(beam.PTransform):
    """Tally a stage's input, kept output and rejects (all batches) for the ledger.

    Inputs under ``in`` and any ``in_<name>`` keys add up, so a stage fed by several
    collections needs no flatten of the (content-carrying) batches themselves. When the
    pipeline's options name a live-progress folder (:mod:`pipeline.progress`), the same
    tallies feed the live display."""

    def __init__(self, stage: str, units: Callable[[dict[str, Any]], tuple[int, int]] = file_units):
        super().__init__()
        self.stage, self.units = stage, units

    def expand(self, pcolls: dict[str, beam.PCollection]):
        stage, units = self.stage, self.units
        live = live_counts_of(next(iter(pcolls.values())).pipeline)
        inputs = sorted((name, pcoll) for name, pcoll in pcolls.items() if name.split("_")[0] == "in")
        tallies = [
            pcoll | f"Tally_{name}" >> beam.ParDo(_TallyDoFn(stage, "in", units, live))
            for name, pcoll in inputs
        ] + [
            pcolls["kept"] | "Kept" >> beam.ParDo(_TallyDoFn(stage, "kept", units, live)),
            pcolls["rejected"] | "Rejected" >> beam.ParDo(_TallyDoFn(stage, "rejected", units, live)),
        ]
        return tallies | beam.Flatten()


def language_units(record: dict[str, Any]):
    """``(language, (files, bytes))`` per file of a file record or a repo-level sample."""
    if "languages" in record:
        sizes = record.get("file_sizes") or [0] * len(record["languages"])
        return [(lang, (1, int(size))) for lang, size in zip(record["languages"], sizes)]
    return [(record["language"], (1, int(record.get("size") or 0)))]


class TallyBreakdown(beam.PTransform):
    """Files and bytes by key of a PCollection of batches, as the breakdown ``<group>/<point>``;
    ``units(row)`` gives a row's ``(key, (files, bytes))`` pairs."""

    def __init__(self, group: str, point: str, units: Callable[[dict[str, Any]], list]):
        super().__init__()
        self.group, self.point, self.units = group, point, units

    def expand(self, pcoll):
        group, point, units = f"_{self.group}", self.point, self.units

        def tally(batch) -> list:
            totals: dict[str, tuple[int, int]] = {}
            for row in batch_rows(batch):
                for key, n in units(row):
                    totals[key] = _add(totals.get(key, (0, 0)), n)
            return [((group, point, key), n) for key, n in sorted(totals.items())]

        return pcoll | beam.FlatMap(tally)


def TallyLanguages(point: str) -> TallyBreakdown:  # noqa: N802 (a transform)
    """Files and bytes per language, as the breakdown ``languages/<point>``."""
    return TallyBreakdown("languages", point, language_units)


def license_units(record: dict[str, Any]):
    """``(license, (files, bytes))`` of a file record or a repo-level sample (``none``: no license)."""
    return [(record.get("license") or "none", file_units(record))]


def TallyLicenses(point: str) -> TallyBreakdown:  # noqa: N802 (a transform)
    """Files and bytes per ``license``, as the breakdown ``licenses/<point>``."""
    return TallyBreakdown("licenses", point, license_units)


class WriteCounts(beam.PTransform):
    """Sum the tallies of all stages and write them as one JSON file under ``out``."""

    def __init__(self, out: str):
        super().__init__()
        self.path = FileSystems.join(out, COUNTS_PATH)

    def expand(self, tallies: beam.PCollection):
        path = self.path

        def write(rows: list) -> str:
            data = sorted([list(key), list(value)] for key, value in rows)
            return write_atomic(path, json.dumps(data).encode("utf-8"))

        return (
            tallies
            | "Sum" >> beam.CombinePerKey(_sum_pairs)
            | "Gather" >> beam.combiners.ToList()
            | "Write" >> beam.Map(write)
        )


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
