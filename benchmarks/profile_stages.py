"""Where a run's CPU goes: process CPU time attributed to pipeline steps and Beam stages.

    python benchmarks/profile_stages.py --input MANIFEST --output OUT [--tokenizer T] [other run options]

Runs ``repocurate run`` in this process (in-process DirectRunner) with timers wrapped around
the per-repository step functions (crawl, file filters, ordering with its parse and resolve
calls, quality with each rule, decontamination and redaction, the tokenizer's encode
batches, table part writes), the report, graph construction, and every Beam stage the
runner executes (the MinHash signature counts in ordering's rest). Each timer counts process CPU (``time.process_time``: all threads, so the
tokenizer's native threads are included) and excludes the timers nested inside it, so a
stage's line is the runner's own work for that stage (reading and writing its elements,
small transforms such as tallies) and the lines add up to the run. Unlike a sampling
profiler this sees native code (tree-sitter, the Rust tokenizer) in the step that called it.
"""
from __future__ import annotations

import atexit
import collections
import functools
import importlib
import runpy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

exclusive: collections.Counter = collections.Counter()
calls: collections.Counter = collections.Counter()
_open: list[str] = []


def timed(name: str, fn, generator: bool = False):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        start = time.process_time()
        _open.append(name)
        try:
            result = fn(*args, **kwargs)
            return list(result) if generator else result
        finally:
            spent = time.process_time() - start
            _open.pop()
            exclusive[name] += spent
            calls[name] += 1
            if _open:
                exclusive[_open[-1]] -= spent
    return wrapper


def patch(module: str, attribute: str, name: str, owner: str = "", generator: bool = False) -> None:
    target = importlib.import_module(module)
    if owner:
        target = getattr(target, owner)
    setattr(target, attribute, timed(name, getattr(target, attribute), generator))


class _TimedRule:
    """A quality rule whose ``check`` is timed under its class name."""

    def __init__(self, rule):
        self._rule = rule
        self.check = timed(f"quality rule: {type(rule).__name__}", rule.check)

    def __getattr__(self, name):
        return getattr(self._rule, name)


def instrument() -> None:
    patch("pipeline.sources.crawl", "process", "crawl", "_CrawlDoFn", generator=True)
    patch("pipeline.stages", "process", "file_filters", "_FileFiltersDoFn", generator=True)
    patch("pipeline.stages", "process", "ordering (rest)", "_OrderDoFn", generator=True)
    patch("pipeline.stages", "process", "quality (rest)", "_QualityDoFn", generator=True)
    patch("parsers.repo_samples", "parse_file", "ordering: tree-sitter parse and queries")
    patch("parsers.repo_samples", "resolve_repository", "ordering: resolve imports")
    patch("filters.decontaminate", "check", "quality: decontamination", "Decontaminator")
    patch("filters.pii", "redact", "quality: PII redaction", "Redactor")
    patch("tokenize_shards.beam_stage", "process", "shards: encode (tokenizer)", "_EncodeBatch", generator=True)
    patch("tokenize_shards.beam_stage", "write_shard", "shards: write")
    patch("pipeline.tables", "write_part", "tables: write parts")
    patch("pipeline.run", "build_report", "report")
    patch("pipeline.run", "build_pipeline", "graph construction")
    import filters.quality
    import pipeline.stages

    rules = filters.quality.default_quality_filters
    pipeline.stages.default_quality_filters = lambda config=None: [_TimedRule(r) for r in rules(config)]
    from apache_beam.runners.portability.fn_api_runner import fn_runner

    execute = fn_runner.FnApiRunner._execute_bundle

    def execute_timed(self, context, bundle, *args, **kwargs):
        names = [t.unique_name for t in bundle.stage.transforms if t.unique_name]
        label = "beam stage: " + ", ".join(sorted({n.split("/")[0] for n in names}))[:100]
        return timed(label, execute)(self, context, bundle, *args, **kwargs)

    fn_runner.FnApiRunner._execute_bundle = execute_timed
    patch("apache_beam.pipeline", "run", "beam: runner outside stages", "Pipeline")


def report() -> None:
    total = time.process_time()
    print(f"process CPU {total:.1f} s", file=sys.stderr)
    for name, spent in sorted(exclusive.items(), key=lambda kv: -kv[1]):
        if spent >= 0.01:
            print(f"{spent:7.2f} s {100 * spent / total:5.1f} %  {calls[name]:6d}  {name}", file=sys.stderr)
    print(f"{total - sum(exclusive.values()):7.2f} s  imports and the rest", file=sys.stderr)


def main() -> None:
    instrument()
    atexit.register(report)
    sys.argv = ["repocurate", "run", *sys.argv[1:]]
    try:
        runpy.run_module("pipeline.cli", run_name="__main__")
    except SystemExit:
        pass


if __name__ == "__main__":
    main()
