"""Working memory of each per-repository step: does it follow the largest repository or the corpus?

    nice python benchmarks/bench_stage_memory.py --input SUBSET.jsonl [--input BIGGER.jsonl ...] \\
        [--tokenizer tokenizer.json] [--json benchmarks/bench_stage_memory.json]

For each input (a manifest, e.g. ``bench_scale``'s nested ``subset-<MB>.jsonl``) this runs
``repocurate run`` in-process with the step functions of every per-repository step wrapped:
crawl, file filters, the exact-dedup drop, ordering (parse, graph, samples, signature),
quality and the tokenizer's encode batches. ``tracemalloc`` records the peak of Python
allocations while one element (one repository's batch) is processed, above what was
allocated before it. Beam's own buffers between stages are outside those calls: they are
the runner's (the local FnApiRunner keeps them in memory; distributed runners stream and
spill them), so this measures what the pipeline's code needs per step. Native allocations
(tree-sitter trees, the Rust tokenizer's buffers) are not traced.

Per input and step it reports the largest peak, the bytes of the repository batch that
caused it, and the peak per byte of that batch; per input, the corpus bytes and the
largest repository's bytes. A step bounded by the repository shows the same peak per
batch byte whatever the corpus size.
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import sys
import tempfile
import tracemalloc
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MB = 1e6


def _rows_bytes(rows) -> int:
    return sum(int(r.get("size") or r.get("n_bytes") or 0) for r in rows)


class Recorder:
    """Peak traced bytes per step, with the size of the element that caused it."""

    def __init__(self) -> None:
        self.steps: dict[str, dict[str, Any]] = {}

    def wrap(self, step: str, fn: Callable, element_bytes: Callable[[Any, list], int], method: bool) -> Callable:
        @functools.wraps(fn)
        def measured(*args, **kwargs):
            element = args[1] if method else args[0]
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
            out = list(fn(*args, **kwargs))
            peak = tracemalloc.get_traced_memory()[1] - before
            size = element_bytes(element, out)
            best = self.steps.setdefault(step, {"peak_bytes": -1, "elements": 0, "max_element_bytes": 0})
            best["elements"] += 1
            best["max_element_bytes"] = max(best["max_element_bytes"], size)
            if peak > best["peak_bytes"]:
                best.update(peak_bytes=peak, element_bytes=size)
            return out
        return measured


def _output_bytes(_element, out) -> int:
    total = 0
    for item in out:
        value = getattr(item, "value", item)
        rows = value["files"] if isinstance(value, dict) and "files" in value else value
        if isinstance(rows, list):
            total += _rows_bytes(rows)
    return total


def instrument(recorder: Recorder) -> None:
    import pipeline.sources.crawl as crawl
    import pipeline.stages as stages
    import tokenize_shards.beam_stage as shards

    files_bytes = lambda batch, _out: _rows_bytes(batch["files"])  # noqa: E731
    samples_bytes = lambda batch, _out: _rows_bytes(batch)  # noqa: E731
    crawl._CrawlDoFn.process = recorder.wrap("crawl", crawl._CrawlDoFn.process, _output_bytes, True)
    stages._FileFiltersDoFn.process = recorder.wrap(
        "file_filters", stages._FileFiltersDoFn.process, files_bytes, True)
    stages._drop_copies = recorder.wrap("exact_dedup (drop)", stages._drop_copies, files_bytes, False)
    stages._OrderDoFn.process = recorder.wrap("ordering", stages._OrderDoFn.process, files_bytes, True)
    stages._QualityDoFn.process = recorder.wrap("quality", stages._QualityDoFn.process, samples_bytes, True)
    shards._EncodeBatch.process = recorder.wrap(
        "shards: encode batch", shards._EncodeBatch.process, lambda batch, _out: sum(len(s["text"]) for s in batch),
        True)


def corpus_sizes(out: str) -> dict[str, float]:
    import pyarrow.parquet as pq

    files = pq.read_table(os.path.join(out, "files"), columns=["repo_name", "size"]).to_pylist()
    rejects = pq.read_table(os.path.join(out, "rejects"), columns=["repo_name", "size"]).to_pylist()
    per_repo: dict[str, int] = {}
    for row in files + rejects:
        per_repo[row["repo_name"]] = per_repo.get(row["repo_name"], 0) + int(row["size"] or 0)
    return {"corpus_mb": round(sum(per_repo.values()) / MB, 2),
            "largest_repository_mb": round(max(per_repo.values(), default=0) / MB, 2),
            "repositories": len(per_repo)}


def measure(manifest: str, tokenizer: str | None) -> dict[str, Any]:
    from pipeline.cli import main

    recorder = Recorder()
    instrument(recorder)
    out = tempfile.mkdtemp(prefix="bench_stage_memory_")
    try:
        args = ["run", "--input", manifest, "--output", out, "--quiet"]
        if tokenizer:
            args += ["--tokenizer", tokenizer]
        tracemalloc.start()
        code = main(args)
        tracemalloc.stop()
        if code != 0:
            raise SystemExit(f"repocurate run failed on {manifest}")
        result: dict[str, Any] = {"input": manifest, **corpus_sizes(out), "steps": {}}
        for step, r in recorder.steps.items():
            result["steps"][step] = {
                "elements": r["elements"], "peak_mb": round(r["peak_bytes"] / MB, 2),
                "at_element_mb": round(r.get("element_bytes", 0) / MB, 2),
                "largest_element_mb": round(r["max_element_bytes"] / MB, 2),
                "peak_per_element_byte": round(r["peak_bytes"] / max(1, r.get("element_bytes", 0)), 2),
            }
        return result
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", action="append", required=True, help="a manifest; repeat for several sizes")
    parser.add_argument("--tokenizer", default=None, help="tokenizer.json (skips training)")
    parser.add_argument("--json", default=str(ROOT / "benchmarks" / "bench_stage_memory.json"))
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:  # one input per process, so one run's allocations never show in the next
        print(json.dumps(measure(args.input[0], args.tokenizer)))
        return
    import subprocess

    results = []
    for manifest in args.input:
        cmd = [sys.executable, __file__, "--one", "--input", manifest, "--json", os.devnull]
        if args.tokenizer:
            cmd += ["--tokenizer", args.tokenizer]
        line = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout.strip().splitlines()[-1]
        results.append(json.loads(line))
        r = results[-1]
        print(f"{r['input']}: {r['corpus_mb']} MB in {r['repositories']} repositories, "
              f"largest {r['largest_repository_mb']} MB", file=sys.stderr)
        for step, s in r["steps"].items():
            print(f"  {step:22s} peak {s['peak_mb']:8.2f} MB at a {s['at_element_mb']:7.2f} MB batch "
                  f"({s['peak_per_element_byte']} x); largest batch {s['largest_element_mb']} MB", file=sys.stderr)
    with open(args.json, "w") as fh:
        json.dump(results, fh, indent=1)


if __name__ == "__main__":
    main()
