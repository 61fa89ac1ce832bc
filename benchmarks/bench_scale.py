"""Scale benchmark: ``repocurate run`` on nested corpus subsets from ~10 MB to ~1 GB.

    nice python benchmarks/bench_scale.py --corpus /work/scale-corpus \
        [--targets-mb 10 30 100 300 1000] [--modes in_process multi_process] [--seed 0] \
        [--json benchmarks/bench_scale_<modes>.json] [--work /tmp/bench_scale]

Corpus: every entry of every kind folder of ``--corpus`` (``pypi/*.tar.gz``, ``npm/*.tgz``,
``deb/<source>/``, as ``benchmarks/fetch_scale_corpus.sh`` lays them out) is one
repository, sized by its unpacked bytes (regular files of a folder, members of an
archive). Subsets are nested: the repositories in a seeded shuffle are added in turn to
the smallest subset still below its target when they fit (within ``tolerance``), and every
subset contains the smaller ones, so the sizes step up by the same repositories plus more.
Each subset is written as a manifest (``path``, ``name``) and run as one command,

    python -m pipeline.cli run --input SUBSET.jsonl --output OUT --quiet [mode options]

under a poller that sums the resident memory of the whole process tree (``/proc``) every
``--poll-s`` seconds. Per run: wall time, CPU time (the children's rusage, so workers'
time counts), peak RSS of the tree and of its largest process, MB/s over wall and CPU time,
and the ledger's totals. Per mode, growth is fitted as ``y = a * MB**b`` (least squares on
logs): ``b`` = 1 is linear, and ``10**b`` is the factor per decade of input; and as
``y = fixed + per_mb * MB``, which separates start-up cost from the cost per MB.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from typing import Any, Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.sources.archives import archive_repo_name, is_archive  # noqa: E402

MB = 1_000_000
TARGETS_MB = (10, 30, 100, 300, 1000)
MODES: dict[str, list[str]] = {
    "default": [],  # since 2026-12-04: one worker process per core
    "in_process": ["--direct_running_mode", "in_memory"],
    "multi_process": ["--direct_num_workers", "2", "--direct_running_mode", "multi_processing"],
}


def folder_bytes(path: str) -> int:
    """Bytes of the regular files under ``path`` (links not followed, ``.git`` skipped)."""
    total = 0
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in filenames:
            st = os.lstat(os.path.join(dirpath, name))
            if not os.path.islink(os.path.join(dirpath, name)):
                total += st.st_size
    return total


def archive_bytes(path: str) -> int:
    """Unpacked bytes of an archive's regular members."""
    if path.endswith(".zip"):
        with zipfile.ZipFile(path) as zf:
            return sum(i.file_size for i in zf.infolist() if not i.is_dir())
    with tarfile.open(path) as tf:
        return sum(m.size for m in tf.getmembers() if m.isfile())


def list_repositories(corpus: str) -> list[dict[str, Any]]:
    """``{"name", "path", "bytes"}`` for each entry of each kind folder, sorted by name."""
    repos = []
    for kind in sorted(os.listdir(corpus)):
        folder = os.path.join(corpus, kind)
        if not os.path.isdir(folder):
            continue
        for entry in sorted(os.listdir(folder)):
            path = os.path.join(folder, entry)
            if os.path.isdir(path):
                repos.append({"name": f"{kind}-{entry}", "path": path, "bytes": folder_bytes(path)})
            elif is_archive(path):
                repos.append({"name": f"{kind}-{archive_repo_name(path)}", "path": path,
                              "bytes": archive_bytes(path)})
    return sorted(repos, key=lambda r: r["name"])


def nested_subsets(repos: Sequence[dict[str, Any]], targets_mb: Sequence[float], seed: int,
                   tolerance: float = 0.05) -> list[list[dict[str, Any]]]:
    """Nested subsets of about ``targets_mb`` each (see module doc); deterministic for a seed."""
    order = sorted(repos, key=lambda r: r["name"])
    random.Random(seed).shuffle(order)
    subsets: list[list[dict[str, Any]]] = []
    chosen: list[dict[str, Any]] = []
    total = 0
    for target in sorted(targets_mb):
        limit = target * MB * (1 + tolerance)
        for repo in order:
            if total >= target * MB * (1 - tolerance):
                break
            if repo in chosen or total + repo["bytes"] > limit:
                continue
            chosen.append(repo)
            total += repo["bytes"]
        subsets.append(list(chosen))
    return subsets


def fit_power(xs: Sequence[float], ys: Sequence[float]) -> dict[str, float]:
    """``y = a * x**b`` by least squares on logs: ``exponent`` b and ``per_decade`` 10**b."""
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    b = sum((x - mx) * (y - my) for x, y in zip(lx, ly)) / sum((x - mx) ** 2 for x in lx)
    return {"exponent": round(b, 3), "per_decade": round(10 ** b, 2)}


def fit_line(xs: Sequence[float], ys: Sequence[float]) -> dict[str, float]:
    """``y = fixed + per_mb * x`` by least squares: the start-up cost and the cost per MB."""
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return {"fixed": round(my - slope * mx, 2), "per_mb": round(slope, 4)}


def _children(pid_parents: dict[int, int], root: int) -> list[int]:
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in pid_parents.items() if parent in frontier]
        tree += frontier
    return tree


def _proc_stats() -> dict[int, list[str]]:
    """Every process's ``/proc/PID/stat`` fields after the command name (one read of /proc)."""
    stats = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as fh:
                    stats[int(name)] = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
    return stats


def tree_usage(root: int) -> tuple[int, int, dict[int, float]]:
    """Over ``root`` and all its descendants, from one read of /proc: (sum, largest)
    resident bytes, and each process's CPU seconds (user + system) so far."""
    stats = _proc_stats()
    page, tick = os.sysconf("SC_PAGE_SIZE"), os.sysconf("SC_CLK_TCK")
    tree = [pid for pid in _children({pid: int(f[1]) for pid, f in stats.items()}, root) if pid in stats]
    sizes = [int(stats[pid][21]) * page for pid in tree]
    cpu = {pid: (int(stats[pid][11]) + int(stats[pid][12])) / tick for pid in tree}
    return sum(sizes), max(sizes, default=0), cpu


def tree_rss(root: int) -> tuple[int, int]:
    """(sum, largest) resident bytes over ``root`` and all its descendants."""
    total, largest, _ = tree_usage(root)
    return total, largest


def kill_tree(root: int) -> None:
    """SIGKILL ``root`` and its descendants (the benchmark's own child processes)."""
    parents = {pid: int(f[1]) for pid, f in _proc_stats().items()}
    for pid in reversed(_children(parents, root)):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def run_measured(cmd: Sequence[str], poll_s: float, log_path: str,
                 max_rss_mb: float = float("inf")) -> dict[str, Any]:
    """Run ``cmd``; wall and CPU seconds, peak tree and single-process RSS, exit code. A tree
    whose memory passes ``max_rss_mb`` is killed (``rss_limit_hit``): the machine is shared."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = {"tree": 0, "largest": 0}
    seen_cpu: dict[int, float] = {}  # pid -> its last polled CPU seconds (workers that are never reaped)
    limit_hit = threading.Event()
    start = time.perf_counter()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        done = threading.Event()

        def poll():
            while not done.wait(poll_s):
                total, largest, cpu_now = tree_usage(proc.pid)
                seen_cpu.update(cpu_now)
                peak["tree"] = max(peak["tree"], total)
                peak["largest"] = max(peak["largest"], largest)
                if total > max_rss_mb * MB and not limit_hit.is_set():
                    limit_hit.set()
                    kill_tree(proc.pid)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        rc = proc.wait()
        done.set()
        poller.join()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    reaped = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # rusage counts only the processes that were waited for; pool workers that are
    # terminated (datatrove's) are not, so the polled sum over the tree is the floor
    cpu = max(reaped, sum(seen_cpu.values()))
    return {"rc": rc, "rss_limit_hit": limit_hit.is_set(), "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "peak_rss_tree_mb": round(peak["tree"] / MB, 1),
            "peak_rss_largest_mb": round(peak["largest"] / MB, 1)}


def ledger_summary(out: str) -> dict[str, Any]:
    with open(os.path.join(out, "ledger.json")) as fh:
        ledger = json.load(fh)
    stages = {s["stage"]: s for s in ledger["stages"]}
    final = ledger["breakdowns"].get("samples", {}).get("final", {}).get("", {})
    return {"files_in": ledger["totals"]["files_in"], "files_kept": ledger["totals"]["files_kept"],
            "crawled_mb": round(stages["crawl"]["bytes_in"] / MB, 2),
            "curated_mb": round(stages["exact_dedup"]["bytes_kept"] / MB, 2),
            "samples": final.get("files", 0), "tokens": ledger["shards"]["tokens"]}


def write_manifest(repos: Sequence[dict[str, Any]], path: str) -> None:
    with open(path, "w") as fh:
        for repo in repos:
            fh.write(json.dumps({"path": repo["path"], "name": repo["name"]}) + "\n")


def bench(corpus: str, targets_mb: Sequence[float], modes: Sequence[str], seed: int, work: str,
          poll_s: float, max_rss_mb: float, extra_args: Sequence[str]) -> dict[str, Any]:
    repos = list_repositories(corpus)
    subsets = nested_subsets(repos, targets_mb, seed)
    report: dict[str, Any] = {
        "corpus": corpus, "seed": seed, "cores": os.cpu_count(), "load_before": os.getloadavg(),
        "corpus_repositories": len(repos), "corpus_mb": round(sum(r["bytes"] for r in repos) / MB, 1),
        "subsets": [{"target_mb": t, "mb": round(sum(r["bytes"] for r in s) / MB, 2),
                     "repositories": [r["name"] for r in s]} for t, s in zip(sorted(targets_mb), subsets)],
        "runs": [], "fits": {},
    }
    os.makedirs(work, exist_ok=True)
    for mode in modes:
        for target, subset in zip(sorted(targets_mb), subsets):
            manifest = os.path.join(work, f"subset-{target}.jsonl")
            write_manifest(subset, manifest)
            out = os.path.join(work, f"out-{mode}-{target}")
            cmd = [sys.executable, "-m", "pipeline.cli", "run", "--input", manifest, "--output", out,
                   "--quiet", "--overwrite", *MODES[mode], *extra_args]
            mb = sum(r["bytes"] for r in subset) / MB
            run = {"mode": mode, "target_mb": target, "mb": round(mb, 2),
                   "load_before": [round(x, 2) for x in os.getloadavg()]}
            run.update(run_measured(cmd, poll_s, out + ".log", max_rss_mb))
            if run["rc"] == 0:
                run.update(ledger_summary(out))
                run["mb_per_s"] = round(mb / run["wall_s"], 3)
                run["mb_per_cpu_s"] = round(mb / run["cpu_s"], 3)
            report["runs"].append(run)
            print(json.dumps(run), flush=True)
            if run["rss_limit_hit"]:
                break  # a bigger subset would need more still
        ok = [r for r in report["runs"] if r["mode"] == mode and r["rc"] == 0]
        if len(ok) >= 2:
            xs = [r["mb"] for r in ok]
            report["fits"][mode] = {
                metric: {**fit_power(xs, [r[metric] for r in ok]), **fit_line(xs, [r[metric] for r in ok])}
                for metric in ("wall_s", "cpu_s", "peak_rss_tree_mb")}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="/work/scale-corpus")
    parser.add_argument("--targets-mb", type=float, nargs="+", default=list(TARGETS_MB))
    parser.add_argument("--modes", nargs="+", choices=sorted(MODES), default=["default"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--poll-s", type=float, default=0.5)
    parser.add_argument("--max-rss-mb", type=float, default=14_000,
                        help="kill a run whose process tree holds more memory (the machine is shared)")
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "bench_scale"))
    parser.add_argument("--json", default=None, help="default: benchmarks/bench_scale_<modes>.json")
    args, extra = parser.parse_known_args()
    report = bench(args.corpus, args.targets_mb, args.modes, args.seed, args.work, args.poll_s, args.max_rss_mb, extra)
    path = args.json or str(ROOT / "benchmarks" / f"bench_scale_{'_'.join(args.modes)}.json")
    with open(path, "w") as fh:
        json.dump(report, fh, indent=1)
    print(json.dumps(report["fits"], indent=1))


if __name__ == "__main__":
    main()
