"""What `repocurate run --progress` shows while a run goes: arrival times of its updates.

Runs the real command in a subprocess on a corpus, once with stderr a pipe (log lines) and
once with stderr a pseudo-terminal (the redrawn table), for the in-process and the
multi-process DirectRunner, and records when each update arrived relative to the start.
Reports the number of updates, the first and the largest gap between two updates, and the
wall time, as JSON.

    nice -n 5 python benchmarks/bench_progress.py --input /work/corpus --out /tmp/bp \
        --json benchmarks/bench_progress.json
"""
from __future__ import annotations

import argparse
import json
import os
import pty
import select
import shutil
import subprocess
import sys
import time

MODES = {"in_process": [], "multi_process": ["--direct_num_workers", "2", "--direct_running_mode", "multi_processing"]}


def run(inputs, out, beam_args, terminal: bool, interval: float, extra=()) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "pipeline.cli", "run", "--input", *inputs, "--output", out,
           "--progress", "--progress-interval", str(interval), *extra, *beam_args]
    started = time.monotonic()
    arrivals: list[tuple[float, str]] = []
    if terminal:
        master, slave = pty.openpty()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=slave, stdin=subprocess.DEVNULL)
        os.close(slave)
        buf = b""
        while True:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                arrivals.append((time.monotonic() - started, chunk.decode("utf-8", "replace")))
                buf += chunk
            elif proc.poll() is not None:
                break
        proc.wait()
        os.close(master)
        updates = [(t, c) for t, c in arrivals if "elapsed" in c]
    else:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for line in proc.stderr:
            arrivals.append((time.monotonic() - started, line.rstrip("\n")))
        proc.wait()
        updates = [(t, c) for t, c in arrivals if c.startswith("repocurate [")]
    wall = time.monotonic() - started
    times = [t for t, _ in updates]
    gaps = [b - a for a, b in zip(times, times[1:])]
    first_stage = [t for t, c in updates if "crawl" in c]
    return {"terminal": terminal, "rc": proc.returncode, "wall_s": round(wall, 1), "updates": len(updates),
            "first_update_s": round(times[0], 1) if times else None,
            "last_update_s": round(times[-1], 1) if times else None,
            "largest_gap_s": round(max(gaps), 1) if gaps else None,
            "updates_before_last_10pct": sum(1 for t in times if t < 0.9 * wall),
            "lines": [[round(t, 1), strip_ansi(c)] for t, c in updates]}


def strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text).replace("\r", "")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", nargs="+", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--json", default=None)
    ap.add_argument("--modes", nargs="+", default=list(MODES))
    ap.add_argument("--interval", type=float, default=2.0)
    args = ap.parse_args()
    results = []
    for mode in args.modes:
        for terminal in (False, True):
            r = {"mode": mode, **run(args.input, args.out, MODES[mode], terminal, args.interval)}
            print(json.dumps({k: v for k, v in r.items() if k != "lines"}), flush=True)
            results.append(r)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"input": args.input, "interval_s": args.interval, "runs": results}, fh, indent=2)


if __name__ == "__main__":
    main()
