"""Time and Python peak memory of building the data report, this checkout against a git revision.

Copies OUT twice, builds the report of each copy back to back (the older revision's
``pipeline/report.py`` is loaded from git), ``--repeat`` times alternating, and prints JSON:
median seconds, tracemalloc peak (a separate build), page size and images.

    nice -n 5 python benchmarks/bench_report.py OUT --base 945628a
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import types


def load_revision(rev: str) -> types.ModuleType:
    source = subprocess.run(["git", "show", f"{rev}:pipeline/report.py"], capture_output=True, text=True,
                            check=True).stdout
    module = types.ModuleType(f"report_{rev}")
    exec(compile(source, f"{rev}:pipeline/report.py", "exec"), module.__dict__)
    return module


def measure(build, out: str) -> tuple[float, int]:
    """Seconds of one build, then the Python allocation peak of another (tracemalloc slows it)."""
    began = time.perf_counter()
    build(out)
    seconds = time.perf_counter() - began
    tracemalloc.start()
    build(out)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak


def page_images(path: str) -> int:
    with open(path, encoding="utf-8") as fh:
        return fh.read().count("<img ")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--base", default="main")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from pipeline.report import build_report

    builds = {"base": load_revision(args.base).build_report, "this": build_report}
    work = tempfile.mkdtemp(prefix="bench-report-")
    results: dict[str, dict] = {name: {"seconds": [], "peak": []} for name in builds}
    try:
        copies = {}
        for name in builds:
            copies[name] = os.path.join(work, name)
            shutil.copytree(args.out, copies[name])
        builds["this"](copies["this"])  # warm imports (matplotlib) outside the timings
        for _ in range(args.repeat):
            for name, build in builds.items():
                seconds, peak = measure(build, copies[name])
                results[name]["seconds"].append(seconds)
                results[name]["peak"].append(peak)
        summary = {name: {"median_s": round(statistics.median(r["seconds"]), 3),
                          "peak_python_mb": round(max(r["peak"]) / 1e6, 2),
                          "page_kb": round(os.path.getsize(os.path.join(copies[name], "report.html")) / 1e3, 1),
                          "images": page_images(os.path.join(copies[name], "report.html"))}
                   for name, r in results.items()}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    summary["base_rev"], summary["out"] = args.base, args.out
    json.dump(summary, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
