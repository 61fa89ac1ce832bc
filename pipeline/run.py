"""Run the pipeline end to end: plan sources, run Beam, then write and check the ledger."""
from __future__ import annotations

import datetime
import json
import os
import shutil
import sys
import tempfile
import time
from typing import Optional, Sequence, TextIO

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions

from pipeline.build import STAGES, build_pipeline
from pipeline.config import Config, config_to_yaml
from pipeline.ledger import LedgerError, build_ledger, read_counts, write_ledger
from pipeline.progress import ProgressMonitor, stage_spans
from pipeline.report import RUN_RECORD, build_report
from pipeline.tables import write_atomic
from pipeline.sources.plan import plan_sources

SUCCESS = "_SUCCESS"  # written last: its presence means every output of the run is complete
OWNED_OUTPUTS = (SUCCESS, "files", "edges", "samples", "repo_metrics", "clusters", "rejects", "_stats", "ledger.json", "config.yaml", "report.html", "report", "shards")


def make_runner(options: PipelineOptions):
    """The in-process DirectRunner unless another runner is named.

    Beam's ``DirectRunner`` name first tries to download the Prism runner binary (which
    fails offline); constructing the FnApiRunner directly skips that and honours
    ``--direct_num_workers`` and ``--direct_running_mode``.
    """
    name = options.view_as(StandardOptions).runner
    if name in (None, "DirectRunner", "direct", "FnApiRunner"):
        from apache_beam.runners.portability.fn_api_runner import FnApiRunner

        return FnApiRunner()
    return None


def reset_outputs(out: str) -> None:
    """Remove what an earlier run wrote to ``out`` (only the paths this tool owns)."""
    for name in OWNED_OUTPUTS + tuple(f".tmp-{n}" for n in OWNED_OUTPUTS):
        path = FileSystems.join(out, name)
        if FileSystems.exists(path):
            FileSystems.delete([path])
    if not FileSystems.exists(out):
        FileSystems.mkdirs(out)


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


def run_record(inputs: Sequence[str], plan, beam_args: Sequence[str], runner: str, started: float,
               phases: dict, spans: Optional[list]) -> dict:
    """What ``_stats/run.json`` says about the run itself (the report's run section): the only
    output that differs between two runs of the same input and configuration."""
    import platform

    return {
        "tool": "repocurate", "version": _version(), "beam": beam.__version__,
        "python": platform.python_version(),
        "started_utc": datetime.datetime.fromtimestamp(started, datetime.timezone.utc).isoformat(timespec="seconds"),
        "duration_s": round(sum(phases.values()), 3),
        "phases_s": {k: round(v, 3) for k, v in phases.items()},
        "stage_active_s": spans,
        "inputs": list(inputs), "repositories": len(plan.repos), "parquet_sources": len(plan.parquet),
        "runner": runner, "beam_args": list(beam_args),
    }


def run_pipeline(inputs: Sequence[str], out: str, config: Config, beam_args: Sequence[str],
                 progress: bool = False, progress_interval: Optional[float] = None,
                 stream: Optional[TextIO] = None) -> str:
    """Run everything; returns a one-paragraph summary. Raises on an unbalanced ledger.

    ``progress``: show live progress on ``stream`` (default stderr) every ``progress_interval``
    seconds (default 1 on a terminal, 10 otherwise); see :mod:`pipeline.progress`.
    """
    started = time.time()
    clock = time.monotonic()
    phases: dict[str, float] = {}
    plan = plan_sources(inputs)
    reset_outputs(out)
    # The graph declares no type hints, so construction-time type checking only infers
    # lambdas' output types from their bytecode: 0.6 s of every run, identical outputs.
    options = PipelineOptions(["--no_pipeline_type_check", *beam_args])
    runner = make_runner(options)
    runner_name = options.view_as(StandardOptions).runner or "DirectRunner (FnApiRunner)"
    if runner is not None:
        direct = options.view_as(DirectOptions)
        runner_name += f", {direct.direct_running_mode}, {direct.direct_num_workers} worker(s)"
    # Live counters need a folder the workers share with this process: local runners only.
    live_dir = tempfile.mkdtemp(prefix="repocurate-live-") if runner is not None else None
    if live_dir:
        options = PipelineOptions(["--no_pipeline_type_check", *beam_args, f"--repocurate_live_dir={live_dir}"])
    monitor = None
    if progress and not live_dir:
        print("repocurate: --progress shows local runs only; follow this runner in its own monitoring",
              file=stream or sys.stderr, flush=True)
    try:
        if live_dir:
            stream = stream or sys.stderr
            terminal = progress and hasattr(stream, "isatty") and stream.isatty()
            interval = progress_interval if progress_interval is not None else (1.0 if terminal else 10.0)
            monitor = ProgressMonitor(live_dir, STAGES, stream if progress else None, interval, terminal,
                                      planned_repos=None if plan.parquet else len(plan.repos)).start()
        phases["plan_s"] = time.monotonic() - clock
        clock = time.monotonic()
        with beam.Pipeline(runner=runner, options=options) as p:
            build_pipeline(p, plan, config, out)
        phases["pipeline_s"] = time.monotonic() - clock
        spans = stage_spans(monitor.stop()) if monitor else None
        monitor = None
        if progress and stream is not None:
            print("repocurate: checking the ledger and writing the report", file=stream, flush=True)
    finally:
        if monitor is not None:  # the run failed: stop the display without a final table
            monitor.stop(show=False)
        if live_dir:
            shutil.rmtree(live_dir, ignore_errors=True)
    clock = time.monotonic()
    ledger = build_ledger(read_counts(out), STAGES)
    ledger["repositories"] = repository_totals(out)
    ledger["shards"] = shard_totals(out, ledger)
    write_ledger(out, ledger)
    write_atomic(FileSystems.join(out, "config.yaml"), config_to_yaml(config).encode("utf-8"))
    phases["ledger_s"] = time.monotonic() - clock
    record = run_record(inputs, plan, beam_args, runner_name, started, phases, spans)
    write_atomic(FileSystems.join(out, RUN_RECORD), (json.dumps(record, indent=2) + "\n").encode("utf-8"))
    if os.path.isdir(out):  # the report reads local tables; for remote outputs run `repocurate report`
        build_report(out)
    write_atomic(FileSystems.join(out, SUCCESS), b"")
    t = ledger["totals"]
    return (f"repocurate: {len(plan.repos)} repositories, {len(plan.parquet)} parquet sources; "
            f"{t['files_in']} files in, {t['files_kept']} kept, {t['files_rejected']} rejected "
            f"(ledger balanced) -> {out}")
