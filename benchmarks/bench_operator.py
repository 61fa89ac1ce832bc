"""Operator experience (issue 15): what a user gets from each mistake the issue lists, and
what the checks before the pipeline cost on real repositories.

    python benchmarks/bench_operator.py --corpus /work/corpus [--work DIR] [--json OUT.json] [--code CHECKOUT]

Part 1 runs every scenario of issue 15 (items 1, 2, 3, 4 and 8) as a new user would: the
``repocurate`` command line in a fresh process, on real packages from ``--corpus``
(``npm-mitt`` as the good repository, ``deb-jansson`` packed as a ``.tar.gz`` and cut in half
as the damaged archive), and records the exit code, the lines on stderr, whether a traceback
was printed, the seconds to the answer, and for the deletion scenarios whether every file
the user owned is still there. Part 2 times the checks that now run before the pipeline
(planning with the whole-input checks, and the output folder check) on all of ``--corpus``
as folders and packed as archives, against the wall time of a full run on the same folders.
``--code CHECKOUT`` runs the scenarios with another checkout's code (e.g. the version before
issue 15, exported with ``git archive``), for a before/after table; part 2 is then skipped.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = ROOT  # the checkout whose command line the scenarios run (--code)


def cli(*args: str, timeout: float = 900, interrupt_after_marker: Path | None = None) -> dict:
    env = {**os.environ, "PYTHONPATH": str(CODE)}
    began = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", *args], cwd=CODE, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if interrupt_after_marker is not None:
        while not interrupt_after_marker.exists() and time.perf_counter() - began < 6:  # older versions write no marker
            time.sleep(0.05)
        time.sleep(1.0)
        proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=timeout)
    lines = [line for line in err.splitlines() if line.strip()]
    return {"rc": proc.returncode, "seconds": round(time.perf_counter() - began, 2), "stderr_lines": len(lines),
            "traceback": "Traceback" in err, "last_line": lines[-1][:160] if lines else out.strip()[-160:]}


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def scenarios(corpus: Path, work: Path) -> list[dict]:
    good = work / "mitt"
    shutil.copytree(corpus / "npm-mitt", good)
    results = []

    def record(item: str, name: str, expected_rc: int, result: dict, **extra) -> None:
        results.append({"item": item, "scenario": name, "expected_rc": expected_rc, **result, **extra})

    # item 1: never delete what the run did not write
    out = work / "out-user"
    (out / "files").mkdir(parents=True)
    (out / "files" / "mydata.csv").write_text("a,b\n")
    before = files_under(out)
    record("1", "OUT/files/mydata.csv in a folder that is not a run", 2,
           cli("run", "--input", str(good), "--output", str(out), "--overwrite"), user_files_kept=files_under(out) == before)
    proj = work / "proj"
    for rel, text in {"report/gen.py": "print('gen')\n", "samples/example.py": "x = 1\n", "index.js": "module.exports = 1;\n"}.items():
        (proj / rel).parent.mkdir(parents=True, exist_ok=True)
        (proj / rel).write_text(text)
    before = files_under(proj)
    record("1", "--output equal to --input (report/gen.py, samples/example.py)", 2,
           cli("run", "--input", str(proj), "--output", str(proj), "--overwrite"), user_files_kept=files_under(proj) == before)
    run_out = work / "out-run"
    record("1", "first run on a new folder", 0, cli("run", "--input", str(good), "--output", str(run_out), "--quiet"))
    record("1", "second run without --overwrite", 2, cli("run", "--input", str(good), "--output", str(run_out), "--quiet"))
    (run_out / "notes.txt").write_text("mine")
    record("1", "second run with --overwrite (OUT/notes.txt of the user's)", 0,
           cli("run", "--input", str(good), "--output", str(run_out), "--quiet", "--overwrite"),
           user_files_kept=(run_out / "notes.txt").read_text() == "mine")
    (run_out / "files" / "mydata.csv").write_text("a,b\n")
    record("1", "--overwrite with OUT/files/mydata.csv added", 2,
           cli("run", "--input", str(good), "--output", str(run_out), "--quiet", "--overwrite"),
           user_files_kept=(run_out / "files" / "mydata.csv").exists())
    (run_out / "files" / "mydata.csv").unlink(missing_ok=True)  # an earlier version deleted it itself

    # item 2: one-line errors, exit codes, early checks
    (work / "a-file").write_text("x")
    record("2", "run --config missing.yaml", 2, cli("run", "--output", str(work / "o1"), "--config", str(work / "missing.yaml")))
    record("2", "config --config missing.yaml", 2, cli("config", "--config", str(work / "missing.yaml")))
    record("2", "--output pointing at a file", 2, cli("run", "--input", str(good), "--output", str(work / "a-file")))
    record("2", "Parquet glob matching nothing", 2, cli("run", "--input", str(work / "*.parquet"), "--output", str(work / "o2")))
    record("2", "train --data /nope", 2, cli("train", "--data", "/nope", "--preset", "tiny", "--max-steps", "3", "--out", str(work / "r")))
    record("2", "report --output /nope", 2, cli("report", "--output", "/nope"))
    record("2", "train --device cuda (no CUDA here)", 2, cli("train", "--data", str(run_out / "shards"), "--preset", "tiny",
                                                             "--max-steps", "3", "--out", str(work / "r"), "--device", "cuda"))
    record("2", "Ctrl-C during a run", 130, cli("run", "--output", str(work / "o-int"), "--quiet",
                                               interrupt_after_marker=work / "o-int" / ".repocurate-run.json"))

    # item 3: inputs that fail as a whole
    (work / "empty").mkdir()
    garbage = work / "garbage.tar.gz"
    garbage.write_bytes(b"this is not an archive\n")
    packed = work / "jansson.tar.gz"
    with tarfile.open(packed, "w:gz") as tar:
        tar.add(corpus / "deb-jansson", arcname="jansson")
    cut = work / "jansson-cut.tar.gz"
    cut.write_bytes(packed.read_bytes()[: packed.stat().st_size // 2])
    nourl = work / "nourl.jsonl"
    nourl.write_text(json.dumps({"name": "x", "stars": 3}) + "\n")
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"a": [1], "b": ["x"]}), work / "wrong.parquet")
    for name, source in (("empty folder", str(work / "empty")), ("garbage archive", str(garbage)),
                         ("file:///nonexistent", "file:///nonexistent"), ("manifest without url/path", str(nourl)),
                         ("Parquet with the wrong columns", str(work / "wrong.parquet"))):
        record("3", name, 1, cli("run", "--input", source, "--output", str(work / f"o3-{len(results)}")))
    record("3", "good repository + all five bad inputs", 0,
           cli("run", "--input", str(good), str(work / "empty"), str(garbage), "file:///nonexistent", str(nourl),
               str(work / "wrong.parquet"), "--output", str(work / "o3-mixed"), "--quiet"))
    record("3", "archive cut in half (found by the crawl)", 0,
           cli("run", "--input", str(cut), "--output", str(work / "o3-cut"), "--quiet"))
    blobs = work / "blobs"
    blobs.mkdir()
    (blobs / "a.c").write_bytes(b"int x;\x00")
    record("3", "every file rejected", 1, cli("run", "--input", str(blobs), "--output", str(work / "o3-none"), "--quiet"),
           shards_written=(work / "o3-none" / "shards").exists())

    # item 4: values checked when the configuration is loaded
    for key, text in (("ordering.ordering: foo", "ordering:\n  ordering: foo\n"),
                      ("near_dedup.threshold: 7", "near_dedup:\n  threshold: 7\n"),
                      ("near_dedup.num_perm: -5", "near_dedup:\n  num_perm: -5\n"),
                      ("file_filters.max_avg_line_length: -1", "file_filters:\n  max_avg_line_length: -1\n")):
        path = work / f"c{len(results)}.yaml"
        path.write_text(text)
        record("4", f"repocurate config: {key}", 2, cli("config", "--config", str(path)))
        record("4", f"repocurate run: {key}", 2, cli("run", "--input", str(good), "--output", str(work / f"o4-{len(results)}"),
                                                     "--config", str(path)))

    # item 8
    record("8", "--version", 0, cli("--version"))
    record("8", "train --max-steps 0", 2, cli("train", "--data", str(run_out / "shards"), "--preset", "tiny",
                                              "--max-steps", "0", "--out", str(work / "r")))
    stars = work / "stars.jsonl"
    stars.write_text(json.dumps({"path": str(good), "name": "mitt", "stars": "lots"}) + "\n"
                     + json.dumps({"path": str(good), "name": "mitt-2", "stars": 5}) + "\n")
    record("8", "manifest stars: lots (and a good row)", 0, cli("run", "--input", str(stars), "--output", str(work / "o8"), "--quiet"))
    return results


def preflight_cost(corpus: Path, work: Path) -> dict:
    """Seconds of the checks before the pipeline, against a full run, on the whole corpus."""
    sys.path.insert(0, str(ROOT))
    from pipeline.outdir import prepare_output
    from pipeline.sources.plan import plan_sources

    archives = work / "archives"
    archives.mkdir(parents=True)
    packages = sorted(p for p in corpus.iterdir() if p.is_dir())
    for package in packages:
        with tarfile.open(archives / f"{package.name}.tar.gz", "w:gz") as tar:
            tar.add(package, arcname=package.name)
    timings = {}
    for name, inputs in (("folders", [str(corpus)]), ("archives", sorted(str(p) for p in archives.iterdir()))):
        best = float("inf")
        for _ in range(5):
            began = time.perf_counter()
            plan = plan_sources(inputs)
            prepare_output(str(work / f"pre-{name}-{time.perf_counter_ns()}"), inputs)
            best = min(best, time.perf_counter() - began)
        timings[name] = {"repositories": len(plan.repos), "failed": len(plan.failed), "preflight_s": round(best, 4)}
    run = cli("run", "--input", str(corpus), "--output", str(work / "full"), "--quiet")
    timings["full_run"] = {"rc": run["rc"], "wall_s": run["seconds"],
                           "corpus_mb": round(sum(f.stat().st_size for f in corpus.rglob("*") if f.is_file()) / 2**20, 1)}
    for name in ("folders", "archives"):
        timings[name]["share_of_run"] = float(f"{timings[name]['preflight_s'] / run['seconds']:.2g}")
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True, type=Path)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose command line to run (default: this one)")
    args = parser.parse_args()
    global CODE
    CODE = args.code.resolve()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench_operator_"))
    work.mkdir(parents=True, exist_ok=True)
    results = scenarios(args.corpus, work / "scenarios")
    print(f"{'item':4} {'rc':>3} {'want':>4} {'lines':>5} {'tb':>3} {'s':>6}  scenario / last stderr line")
    for r in results:
        flags = "".join(f" [{k}={r[k]}]" for k in ("user_files_kept", "shards_written") if k in r)
        print(f"{r['item']:4} {r['rc']:>3} {r['expected_rc']:>4} {r['stderr_lines']:>5} {'yes' if r['traceback'] else 'no':>3} "
              f"{r['seconds']:>6.2f}  {r['scenario']}{flags}\n{'':30}{r['last_line']}")
    cost = preflight_cost(args.corpus, work / "preflight") if CODE == ROOT else {}
    print(json.dumps(cost, indent=1))
    wrong = [r["scenario"] for r in results if r["rc"] != r["expected_rc"] or r["traceback"]
             or r.get("user_files_kept") is False or r.get("shards_written") is True]
    print(f"{len(results)} scenarios, {len(results) - len(wrong)} as expected" + (f"; NOT: {wrong}" if wrong else ""))
    if args.json:
        args.json.write_text(json.dumps({"scenarios": results, "preflight": cost}, indent=1) + "\n")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
