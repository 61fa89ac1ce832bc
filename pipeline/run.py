"""Run the pipeline end to end: plan sources, run the flow on Beam or Spark, then write and
check the ledger. This module imports neither framework: the chosen engine's module
(:mod:`pipeline.engines.beam` or :mod:`pipeline.engines.spark`) is imported when a run
starts, so a Spark run never imports Beam and a Beam run never imports PySpark."""
from __future__ import annotations

import datetime
import json
import os
import shutil
import sys
import tempfile
import time
from typing import Callable, Optional, Sequence, TextIO

from pipeline.storage import FileSystems

from pipeline.config import Config, config_to_yaml
from pipeline.ledger import LedgerError, build_ledger, read_counts, write_ledger
from pipeline.outdir import list_entries, prepare_output, remove_owned, remove_work
from pipeline.progress import ProgressMonitor, stage_spans
from pipeline.report import RUN_RECORD, build_report
from pipeline.flow import STAGES
from pipeline.tables import write_atomic
from pipeline.sources.plan import SourcePlan, plan_sources

SUCCESS = "_SUCCESS"  # written last: its presence means every output of the run is complete


class EmptyRunError(RuntimeError):
    """The run read no input or kept nothing (and an empty result was not allowed)."""


ENGINES = ("beam", "spark")


def build_pipeline(p, plan: SourcePlan, config: Config, out: str) -> list:
    """The whole run as a Beam graph on ``p`` (:func:`pipeline.build.build_pipeline`)."""
    from pipeline.build import build_pipeline as build

    return build(p, plan, config, out)


def engine_run(engine: str, beam_args: Sequence[str] = (), spark_master: Optional[str] = None,
               spark_conf: Sequence[tuple[str, str]] = ()):
    """The engine's side of a run: :class:`pipeline.engines.beam.BeamRun` or
    :class:`pipeline.engines.spark.SparkRun` (each imports its framework, not the other's)."""
    if engine == "beam":
        from pipeline.engines.beam import BeamRun

        return BeamRun(beam_args)
    if engine == "spark":
        from pipeline.engines.spark import SparkRun

        return SparkRun(spark_master, spark_conf)
    raise ValueError(f"engine {engine!r}: expected one of {', '.join(ENGINES)}")


def repository_totals(out: str) -> dict:
    """Sums of the per-repository metrics (rows in ``OUT/repo_metrics``), for the ledger."""
    import pyarrow.parquet as pq

    paths = [m.path for m in FileSystems.match([FileSystems.join(out, "repo_metrics", "part-*.parquet")])[0].metadata_list]
    totals: dict = {"table": "repo_metrics", "repositories": 0}
    for path in sorted(paths):
        with FileSystems.open(path) as fh:
            table = pq.read_table(fh)
        totals["repositories"] += table.num_rows
        for name in table.column_names:
            if name != "repo_name":
                totals[name] = totals.get(name, 0) + sum(table.column(name).to_pylist())
    return totals


def shard_totals(out: str, ledger: dict) -> dict:
    """Documents and tokens in the shards; every final sample must be one document."""
    with FileSystems.open(FileSystems.join(out, "shards", "manifest.json")) as fh:
        manifest = json.loads(fh.read().decode("utf-8"))
    shards = manifest["shards"]
    totals = {"shards": len(shards), "documents": sum(s["documents"] for s in shards),
              "tokens": sum(s["tokens"] for s in shards)}
    samples = ledger["breakdowns"].get("samples", {}).get("final", {}).get("", {}).get("files", 0)
    if totals["documents"] != samples:
        raise LedgerError(f"stage 'shards' does not balance: {samples} final samples, "
                          f"{totals['documents']} documents in the shards")
    return totals


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("repocurate")
    except PackageNotFoundError:
        return "unknown"


def run_record(inputs: Sequence[str], plan, engine: dict, started: float, phases: dict,
               spans: Optional[list]) -> dict:
    """What ``_stats/run.json`` says about the run itself (the report's run section): the only
    output that differs between two runs of the same input and configuration. ``engine``:
    the engine's fields (``engine``, its version, ``runner``; Beam: ``beam_args``; Spark:
    ``spark_master``, ``spark_conf``)."""
    import platform

    return {
        "tool": "repocurate", "version": _version(), "python": platform.python_version(),
        "started_utc": datetime.datetime.fromtimestamp(started, datetime.timezone.utc).isoformat(timespec="seconds"),
        "duration_s": round(sum(phases.values()), 3),
        "phases_s": {k: round(v, 3) for k, v in phases.items()},
        "stage_active_s": spans,
        "inputs": list(inputs), "repositories": len(plan.repos), "parquet_sources": len(plan.parquet),
        **engine,
    }


def input_paths(inputs: Sequence[str], plan: SourcePlan) -> list[str]:
    """Local paths the run reads: the arguments and every planned repository's location."""
    paths = [item for item in inputs if "*" not in item]
    paths += [task.location for task in plan.repos if task.kind in ("folder", "archive")
              or task.location.startswith("file://")]
    return paths


def failed_repositories(out: str) -> list[dict]:
    """Crawl rejects with an empty path: repositories (or their rest) that could not be read."""
    import pyarrow.parquet as pq

    rows: list[dict] = []
    for meta in sorted(FileSystems.match([FileSystems.join(out, "rejects", "part-*.parquet")])[0].metadata_list,
                       key=lambda m: m.path):
        with FileSystems.open(meta.path) as fh:
            table = pq.read_table(fh, columns=["repo_name", "path", "stage", "reason", "detail"],
                                  filters=[("path", "==", ""), ("stage", "==", "crawl")])
        rows += table.to_pylist()
    return rows


def run_pipeline(inputs: Sequence[str], out: str, config: Config, beam_args: Sequence[str],
                 progress: bool = False, progress_interval: Optional[float] = None,
                 stream: Optional[TextIO] = None, overwrite: bool = False, allow_empty: bool = False,
                 warn: Callable[[str], None] = lambda line: None, engine: str = "beam",
                 spark_master: Optional[str] = None, spark_conf: Sequence[tuple[str, str]] = ()) -> str:
    """Run everything; returns a one-paragraph summary.

    Before the pipeline: plans the inputs (``warn`` gets one line per input that failed as a
    whole), raises :class:`EmptyRunError` when none is left, and checks and prepares the
    output folder (:func:`pipeline.outdir.prepare_output`; ``overwrite`` replaces an earlier
    run's files). After it: raises :class:`LedgerError` on an unbalanced ledger and
    :class:`EmptyRunError` when nothing was kept, unless ``allow_empty``; then ``_SUCCESS`` is
    not written. A run that kept nothing keeps no shard set (its tokenizer would be trained
    on nothing), allowed or not.

    ``progress``: show live progress on ``stream`` (default stderr) every ``progress_interval``
    seconds (default 1 on a terminal, 10 otherwise); see :mod:`pipeline.progress`.

    ``engine``: ``beam`` (``beam_args``: Beam pipeline options) or ``spark`` (``spark_master``:
    the master URL, default ``local[N]`` with N this machine's CPUs, or spark-submit's;
    ``spark_conf``: ``(key, value)`` settings of the session; see
    :mod:`pipeline.engines.spark`). The Spark session is stopped when the run ends, failed or not.
    """
    started = time.time()
    clock = time.monotonic()
    phases: dict[str, float] = {}
    plan = plan_sources(inputs)
    for failure in plan.failed:
        warn(f"warning: input failed as a whole: {failure.line()}")
    if plan.nothing_to_read:
        raise EmptyRunError("no input could be read (see the warnings above): give folders, archives, git URLs, "
                            "manifests or Parquet files that hold source files")
    prepare_output(out, input_paths(inputs, plan), overwrite)
    run = engine_run(engine, beam_args, spark_master, spark_conf)
    phases["plan_s"] = time.monotonic() - clock
    clock = time.monotonic()
    live_dir = monitor = None
    try:
        run.start()
        # Live counters need a folder the workers share with this process: local runners only.
        live_dir = tempfile.mkdtemp(prefix="repocurate-live-") if run.local else None
        if progress and not live_dir:
            print("repocurate: --progress shows local runs only; follow this runner in its own monitoring",
                  file=stream or sys.stderr, flush=True)
        if live_dir:
            stream = stream or sys.stderr
            terminal = progress and hasattr(stream, "isatty") and stream.isatty()
            interval = progress_interval if progress_interval is not None else (1.0 if terminal else 10.0)
            monitor = ProgressMonitor(live_dir, STAGES, stream if progress else None, interval, terminal,
                                      planned_repos=None if plan.parquet else len(plan.repos)).start()
        if run.engine == "beam":
            run.execute(lambda p: build_pipeline(p, plan, config, out), live_dir)
        else:
            run.execute(plan, config, out, live_dir)
        run.stop()
        remove_work(out)
        phases["pipeline_s"] = time.monotonic() - clock
        spans = stage_spans(monitor.stop()) if monitor else None
        monitor = None
        if progress and stream is not None:
            print("repocurate: checking the ledger and writing the report", file=stream, flush=True)
    finally:
        if monitor is not None:  # the run failed: stop the display without a final table
            monitor.stop(show=False)
        run.stop(failed=True)  # after a success: already stopped
        if live_dir:
            shutil.rmtree(live_dir, ignore_errors=True)
    clock = time.monotonic()
    ledger = build_ledger(read_counts(out), STAGES)
    ledger["repositories"] = repository_totals(out)
    ledger["shards"] = shard_totals(out, ledger)
    planned = {f.repo_name for f in plan.failed if f.repo_name}
    locations = {task.name: task.location for task in plan.repos}
    lines = [f.line() for f in plan.failed]
    for row in failed_repositories(out):
        if row["repo_name"] not in planned:  # found by the crawl (a clone that failed, ...)
            line = " ".join(f"{locations.get(row['repo_name'], row['repo_name'])}: {row['reason']} ({row['detail']})".split())
            warn(f"warning: repository failed: {line}")
            lines.append(line)
    ledger["inputs_failed"] = sorted(lines)
    t = ledger["totals"]
    if t["files_kept"] == 0:  # a tokenizer trained on nothing is no tokenizer: keep no shard set
        remove_owned(out, [e for e in list_entries(out) if e.startswith("shards/")])
        ledger["shards"] = {"shards": 0, "documents": 0, "tokens": 0}
    write_ledger(out, ledger)
    write_atomic(FileSystems.join(out, "config.yaml"), config_to_yaml(config).encode("utf-8"))
    phases["ledger_s"] = time.monotonic() - clock
    record = run_record(inputs, plan, run.record(), started, phases, spans)
    write_atomic(FileSystems.join(out, RUN_RECORD), (json.dumps(record, indent=2) + "\n").encode("utf-8"))
    if os.path.isdir(out):  # the report reads local tables; for remote outputs run `repocurate report`
        build_report(out)
    n_failed = len(lines)
    summary = (f"repocurate: {len(plan.repos)} repositories, {len(plan.parquet)} parquet sources"
               + (f" ({n_failed} could not be read)" if n_failed else "")
               + f"; {t['files_in']} files in, {t['files_kept']} kept, {t['files_rejected']} rejected "
               f"(ledger balanced) -> {out}")
    if t["files_kept"] == 0 and not allow_empty:
        what = "no file could be read" if t["files_in"] == 0 else f"all {t['files_in']} files were rejected"
        raise EmptyRunError(f"nothing was kept, {what} (reasons in {FileSystems.join(out, 'ledger.json')}); "
                            "pass --allow-empty to accept an empty result")
    write_atomic(FileSystems.join(out, SUCCESS), b"")
    return summary
