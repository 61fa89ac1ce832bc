"""Live progress of a local run: worker-side counters, a side channel, a display in the launcher.

What updates live on the local runners (Beam 2.77): neither Beam's metrics nor anything
downstream of a multi-input ``Flatten``. Metrics are read from the ``PipelineResult``, which
the FnApiRunner (in-process and ``--direct_running_mode multi_processing``) returns only
when the whole pipeline has run (``FnApiRunner.run_pipeline`` blocks), and it collects them
per finished bundle, while on a local run a fused stage is usually one bundle over its whole
input. A ``Flatten`` of several collections is materialised and read by a later stage
(``fn_api_runner/translations.py`` ``sink_flattens``), so the ledger's summed tallies, and
a step placed after them, run only at the end. What does run while the data flows are the per-batch tallies of
:class:`pipeline.ledger.TallyStage`: each is fused with the step whose output it counts.

So each tally also adds its files and bytes to :class:`LiveCounts`, a counter shared by
the process that writes the process's totals to a small JSON file in a local folder
(``<pid>-<token>.json``, replaced atomically at most every ``flush_s`` and at the end of
every bundle). :class:`ProgressMonitor`, a thread in the launcher, sums the files of all
worker processes every ``interval_s`` and shows, per stage of the ledger, files and bytes
in, kept and rejected, the rate, the elapsed time and, once a stage's input is complete,
an estimate of the time left. On a terminal it redraws a table in place; otherwise it
logs one line per stage that moved since the last line.

The counters are a display, not the ledger: a bundle that Beam retries is counted twice
here, never in ``ledger.json``. Writing them never fails a run. Runners on other machines
(Dataflow, Flink, Spark) do not share the launcher's folder, so the run enables the channel
on the local runners only. The same counters give each stage's active span (first to last
batch counted) for the report's run section (``_stats/run.json``).
"""
from __future__ import annotations

import json
import os
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any, Optional, Sequence, TextIO


IN, KEPT, REJECTED = "in", "kept", "rejected"


class _ProcessCounts:
    """One process's cumulative counts for one folder (thread-safe)."""

    def __init__(self, folder: str):
        self.folder = folder
        self.path = os.path.join(folder, f"{os.getpid()}-{uuid.uuid4().hex[:12]}.json")
        self.lock = threading.Lock()
        # (stage, kind) -> [batches, files, bytes, rows, first wall time, last wall time]
        self.counts: dict[tuple[str, str], list] = {}
        self.repos: dict[str, int] = {}
        self.last_repo = threading.local()
        self.flushed = 0.0
        self.dirty = False

    def add(self, stage: str, kind: str, files: int, nbytes: int, repo: Optional[str], rows: int) -> None:
        now = time.time()
        with self.lock:
            row = self.counts.get((stage, kind))
            if row is None:
                row = self.counts[(stage, kind)] = [0, 0, 0, 0, now, now]
            row[0] += 1
            row[1] += files
            row[2] += nbytes
            row[3] += rows
            row[5] = now
            if kind == IN and repo is not None:
                # A repository's batches (its files, then its rejects) pass one after the
                # other in the thread that read it: count a repository once per run of names.
                last = getattr(self.last_repo, stage, None)
                if last != repo:
                    setattr(self.last_repo, stage, repo)
                    self.repos[stage] = self.repos.get(stage, 0) + 1
            self.dirty = True

    def flush(self, min_interval: float) -> None:
        now = time.time()
        with self.lock:
            if not self.dirty or now - self.flushed < min_interval:
                return
            data = {"counts": [[s, k, *v] for (s, k), v in sorted(self.counts.items())],
                    "repos": dict(sorted(self.repos.items()))}
            self.flushed, self.dirty = now, False
            try:  # under the lock: one writer of the temporary file at a time (a few hundred bytes)
                tmp = f"{self.path}.tmp"
                with open(tmp, "w", encoding="utf-8") as fh:
                    json.dump(data, fh)
                os.replace(tmp, self.path)
            except OSError:
                pass  # progress is a display: never fail the run over it


_PROCESS: dict[str, _ProcessCounts] = {}
_PROCESS_LOCK = threading.Lock()


def _process_counts(folder: str) -> _ProcessCounts:
    with _PROCESS_LOCK:
        counts = _PROCESS.get(folder)
        if counts is None or counts.path.split(os.sep)[-1].split("-")[0] != str(os.getpid()):
            counts = _PROCESS[folder] = _ProcessCounts(folder)  # new process (fork): new file
        return counts


@dataclass(frozen=True)
class LiveCounts:
    """Worker side of the channel: picklable, so it travels inside the tallies' DoFns."""

    folder: str
    flush_s: float = 0.5

    def add(self, stage: str, kind: str, files: int, nbytes: int, repo: Optional[str] = None, rows: int = 0) -> None:
        """Count a batch: ``files`` and ``nbytes`` (the ledger's units), ``rows`` (e.g. samples)."""
        counts = _process_counts(self.folder)
        counts.add(stage, kind, files, nbytes, repo, rows)
        counts.flush(self.flush_s)

    def flush(self) -> None:
        _process_counts(self.folder).flush(0.0)


def read_live(folder: str) -> dict[str, Any]:
    """Sum every process's file: ``{"counts": {(stage, kind): [batches, files, bytes, rows, first, last]},
    "repos": {stage: n}}``. Files being replaced are skipped until the next read."""
    counts: dict[tuple[str, str], list] = {}
    repos: dict[str, int] = {}
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".json"))
    except OSError:
        names = []
    for name in names:
        try:
            with open(os.path.join(folder, name), encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError):
            continue
        for stage, kind, *values in data["counts"]:
            row = counts.get((stage, kind))
            if row is None:
                counts[(stage, kind)] = list(values)
            else:
                for i in range(4):
                    row[i] += values[i]
                row[4] = min(row[4], values[4])
                row[5] = max(row[5], values[5])
        for stage, n in data["repos"].items():
            repos[stage] = repos.get(stage, 0) + n
    return {"counts": counts, "repos": repos}


# ---- what the launcher shows -------------------------------------------------------------

def human_bytes(n: float) -> str:
    """Bytes with a unit that keeps three significant figures: ``512 B``, ``1.23 kB``, ``45.6 MB``."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if abs(n) >= scale:
            value = n / scale
            return f"{value:.3g} {unit}" if value < 1000 else f"{value:,.0f} {unit}"
    return f"{int(n)} B"


def human_duration(seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.1f} s"
    minutes, sec = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f"{minutes} min {sec:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


@dataclass(frozen=True)
class StageProgress:
    stage: str
    files_in: int
    bytes_in: int
    files_kept: int
    bytes_kept: int
    files_rejected: int
    bytes_rejected: int
    repos: int
    elapsed_s: float          # first batch counted -> last (done) or now (running)
    state: str                # "waiting", "running" or "done"
    total_files: Optional[int]  # the stage's whole input, once known
    eta_s: Optional[float]

    @property
    def processed(self) -> int:
        return self.files_kept + self.files_rejected

    @property
    def rate(self) -> float:
        return self.processed / self.elapsed_s if self.elapsed_s > 0 else 0.0


def stage_progress(live: dict[str, Any], stages: Sequence[str], now: float,
                   planned_repos: Optional[int] = None, finished: bool = False) -> list[StageProgress]:
    """Per stage (in ledger order) what has been counted, and an estimate where one is possible.

    The first stage's input is complete when ``planned_repos`` repositories were read (only
    known without Parquet inputs, whose repositories appear as their rows are grouped); a
    later stage's input is complete when the stage before it is done, and its size is then
    what that stage kept. A stage with a complete input is done when it has kept or rejected
    all of it; the estimate is the rest of its input at its rate so far. ``finished``: the
    pipeline has ended, so every stage is done.
    """
    counts, repos = live["counts"], live["repos"]
    rows: list[StageProgress] = []
    previous_done, previous_kept = False, None
    for i, stage in enumerate(stages):
        got = {kind: counts.get((stage, kind)) for kind in (IN, KEPT, REJECTED)}
        seen = [r for r in got.values() if r]
        first = min((r[4] for r in seen), default=None)
        last = max((r[5] for r in seen), default=None)
        f = {kind: (r[1] if r else 0) for kind, r in got.items()}
        b = {kind: (r[2] if r else 0) for kind, r in got.items()}
        # A batch's "kept" tally can run before its "in" tally, with the next stage's work
        # between them (Beam calls a collection's consumers one after the other): never show
        # more out than in.
        f[IN], b[IN] = max(f[IN], f[KEPT] + f[REJECTED]), max(b[IN], b[KEPT] + b[REJECTED])
        n_repos = repos.get(stage, 0)
        if finished:
            input_complete, total = True, None
        elif i == 0:
            total = None
            input_complete = planned_repos is not None and n_repos >= planned_repos
            if input_complete:
                total = f[IN]
        else:
            input_complete = previous_done
            total = previous_kept if previous_done else None
        processed = f[KEPT] + f[REJECTED]
        done = input_complete and (total is None or processed >= total)
        if first is None:
            state, elapsed = ("done" if done else "waiting"), 0.0
        else:
            state = "done" if done else "running"
            elapsed = (last if done else now) - first
        eta = None
        if state == "running" and processed and elapsed > 0:
            if total is not None:
                eta = max(0.0, (total - processed) * elapsed / processed)
            elif i == 0 and planned_repos and n_repos:
                eta = max(0.0, (planned_repos - n_repos) * elapsed / n_repos)
        rows.append(StageProgress(stage, f[IN], b[IN], f[KEPT], b[KEPT], f[REJECTED], b[REJECTED],
                                  n_repos, elapsed, state, total, eta))
        previous_done, previous_kept = done, f[KEPT]
    return rows


def format_line(row: StageProgress, planned_repos: Optional[int] = None) -> str:
    """One log line for a stage (non-terminal output)."""
    parts = [f"{row.stage}: {row.files_in:,} files in ({human_bytes(row.bytes_in)}), "
             f"{row.files_kept:,} kept ({human_bytes(row.bytes_kept)}), {row.files_rejected:,} rejected"]
    if row.repos and planned_repos:
        parts.append(f"{row.repos:,}/{planned_repos:,} repositories")
    if row.elapsed_s > 0:
        parts.append(f"{row.rate:,.0f} files/s, {human_bytes((row.bytes_kept + row.bytes_rejected) / row.elapsed_s)}/s")
    parts.append(f"{human_duration(row.elapsed_s)} elapsed")
    if row.state == "done":
        parts.append("done")
    elif row.eta_s is not None:
        parts.append(f"about {human_duration(row.eta_s)} left")
    return "; ".join(parts)


TOKENIZER, SHARDS = "tokenizer", "shards"  # reported by tokenize_shards after the ledger's stages


def shards_progress(live: dict[str, Any], stages: Sequence[str], rows: Sequence[StageProgress],
                    now: float) -> list[tuple[tuple, str]]:
    """Lines for the tokenizer training and the encoding into shards (after the last stage):
    the tokenizer's sample and time; documents encoded of the final samples, tokens, rate, estimate.
    Each line comes with a key that changes when its counts or state do (for log lines)."""
    counts = live["counts"]
    lines = []
    started, trained = counts.get((TOKENIZER, IN)), counts.get((TOKENIZER, KEPT))
    if started:
        what = f"{started[1]:,} samples ({human_bytes(started[2])})"
        if trained:
            lines.append(((TOKENIZER, "done"), f"tokenizer: trained on {what} in {human_duration(trained[5] - started[4])}"))
        else:
            lines.append(((TOKENIZER, "running"), f"tokenizer: training on {what}, {human_duration(now - started[4])} elapsed"))
    encoded = counts.get((SHARDS, KEPT))
    if encoded:
        last = counts.get((stages[-1], KEPT)) if stages else None
        total = last[3] if last and rows and rows[-1].state == "done" else None
        elapsed = now - encoded[4]
        rate = encoded[1] / elapsed if elapsed > 0 else 0.0
        line = (f"shards: {encoded[1]:,}" + (f" of {total:,}" if total is not None else "")
                + f" documents encoded ({encoded[2]:,} tokens)")
        if total is not None and encoded[1] >= total:
            line += f" in {human_duration(encoded[5] - encoded[4])}; writing shards"
        else:
            line += f", {rate:,.1f} documents/s, {human_duration(elapsed)} elapsed"
            if total is not None and rate > 0:
                line += f", about {human_duration((total - encoded[1]) / rate)} left"
        lines.append(((SHARDS, encoded[1], total), line))
    return lines


TABLE_HEADER = ("stage", "files in", "kept", "rejected", "bytes in", "bytes kept", "files/s", "elapsed", "left")


def format_table(rows: Sequence[StageProgress], elapsed_s: float) -> list[str]:
    """The terminal display: one line per stage under a header."""
    cells = [TABLE_HEADER]
    for r in rows:
        left = "done" if r.state == "done" else ("-" if r.eta_s is None else human_duration(r.eta_s))
        cells.append((r.stage, f"{r.files_in:,}", f"{r.files_kept:,}", f"{r.files_rejected:,}",
                      human_bytes(r.bytes_in), human_bytes(r.bytes_kept),
                      f"{r.rate:,.0f}" if r.elapsed_s > 0 else "-",
                      human_duration(r.elapsed_s) if r.state != "waiting" else "-", left if r.state != "waiting" else "waiting"))
    widths = [max(len(row[c]) for row in cells) for c in range(len(TABLE_HEADER))]
    lines = [f"repocurate: {human_duration(elapsed_s)} elapsed"]
    for row in cells:
        lines.append("  ".join(cell.ljust(w) if c == 0 else cell.rjust(w) for c, (cell, w) in enumerate(zip(row, widths))))
    return lines


class ProgressMonitor:
    """The launcher's thread: reads the channel every ``interval_s`` and writes the display.

    ``terminal``: redraw a table in place (ANSI cursor movement); else log a line per stage
    whose counts changed since the last lines. :meth:`stop` reads once more and returns the
    final per-stage rows (their ``elapsed_s`` are the stages' active spans).
    """

    def __init__(self, folder: str, stages: Sequence[str], stream: Optional[TextIO], interval_s: float,
                 terminal: bool, planned_repos: Optional[int] = None):
        self.folder, self.stages, self.stream = folder, list(stages), stream
        self.interval_s, self.terminal, self.planned_repos = interval_s, terminal, planned_repos
        self.started = time.time()
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._drawn = 0
        self._logged: dict[Any, tuple] = {}
        self._last_log = time.time()

    def start(self) -> "ProgressMonitor":
        if self.stream is not None:
            self._thread = threading.Thread(target=self._loop, name="repocurate-progress", daemon=True)
            self._thread.start()
        return self

    def snapshot(self, finished: bool = False) -> tuple[list[StageProgress], list[tuple[tuple, str]]]:
        live, now = read_live(self.folder), time.time()
        rows = stage_progress(live, self.stages, now, self.planned_repos, finished)
        return rows, shards_progress(live, self.stages, rows, now)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            self._show(*self.snapshot())

    def _show(self, rows: Sequence[StageProgress], tail: Sequence[tuple[tuple, str]]) -> None:
        try:
            now = time.time()
            if self.terminal:
                lines = format_table(rows, now - self.started) + [text for _, text in tail]
                up = f"\x1b[{self._drawn}F" if self._drawn else ""
                self.stream.write(up + "".join(f"\x1b[2K{line}\n" for line in lines))
                self._drawn = len(lines)
            else:
                clock = human_duration(now - self.started)
                lines = []
                for row in rows:
                    key = (row.files_in, row.files_kept, row.files_rejected, row.state)
                    if row.state != "waiting" and self._logged.get(row.stage) != key:
                        self._logged[row.stage] = key
                        lines.append(format_line(row, self.planned_repos if row.stage == self.stages[0] else None))
                for key, text in tail:
                    if self._logged.get(key[0]) != key:
                        self._logged[key[0]] = key
                        lines.append(text)
                if not lines and now - self._last_log >= max(30.0, 3 * self.interval_s):
                    lines.append("running: " + activity(rows, tail))
                for line in lines:
                    self.stream.write(f"repocurate [{clock}] {line}\n")
                if lines:
                    self._last_log = now
            self.stream.flush()
        except (OSError, ValueError):
            pass  # a closed or broken stream must not fail the run

    def stop(self, show: bool = True) -> list[StageProgress]:
        """End the thread; with ``show``, the pipeline has finished: show every stage done."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        rows, tail = self.snapshot(finished=True)
        if self.stream is not None and show:
            self._show(rows, tail)
        return rows


def activity(rows: Sequence[StageProgress], tail: Sequence[tuple[tuple, str]]) -> str:
    """What the run is busy with when no counter moved (a grouping step, tokenizer training)."""
    if tail:
        return tail[-1][1]
    pending = [r for r in rows if r.state != "done"]
    done = [r.stage for r in rows if r.state == "done"]
    if not pending:
        return "every stage done; training the tokenizer and writing shards"
    current = pending[0]
    return (f"{', '.join(done) or 'no stage'} done; {current.stage} in progress"
            + (" (grouping before its output)" if current.processed == 0 and current.files_in else ""))


def stage_spans(rows: Sequence[StageProgress]) -> list[dict[str, Any]]:
    """Per stage: its active span in seconds (first to last batch counted), for ``_stats/run.json``."""
    return [{"stage": r.stage, "active_s": round(r.elapsed_s, 3)} for r in rows]
