"""End-to-end throughput: repocurate's whole pipeline against datatrove and the bare tokenizer.

    nice python benchmarks/bench_end_to_end.py --corpus /work/scale-corpus [--subset-mb 100] \
        [--seed 0] [--work /tmp/bench_e2e] [--json benchmarks/bench_end_to_end.json] [--profile]

Corpus: the nested subset of ``--subset-mb`` of :mod:`bench_scale` (same seed and targets,
so the same repositories as that benchmark's run of that size). Its repositories are
crawled once with :func:`pipeline.sources.crawl.crawl_task` into one JSONL file of documents
(``text``; ``repo_name``, ``path``, ``language``, ``size`` in the metadata): the files the
crawl keeps. Their UTF-8 bytes are the MB every contender is divided by. In one run, each
contender as its own measured process (wall, CPU of the process tree, peak RSS):

* ``repocurate``: ``repocurate run`` on the subset's manifest, in-process DirectRunner: crawl,
  file filters, exact dedup, tree-sitter ordering and MinHash signatures, repo-level
  near-dedup, quality filters (syntax, readability, decontamination, PII), tokenizer
  training on a sample, FIM, tokenize, Megatron shards, tables and report;
* ``repocurate_given_tokenizer``: the same with ``--tokenizer`` set to the tokenizer the
  first run trained (so no training), the like-for-like contender for datatrove;
* ``repocurate_given_tokenizer_no_quality``: the same with ``quality.enabled: false``, the
  closest to datatrove's work (ordering still parses every file with tree-sitter);
* ``datatrove``: ``JsonlReader`` over the JSONL -> repocurate's StarCoder file rules through
  :class:`filters.datatrove_adapter.DatatroveFileFilter` -> ``JsonlWriter``; then
  ``MinhashDedupSignature`` (5-grams of ``\\W+``-split words, 25 buckets x 10 hashes as
  repocurate's 0.7/256 optimum) -> ``MinhashDedupBuckets`` -> ``MinhashDedupCluster`` ->
  ``MinhashDedupFilter`` -> ``DocumentTokenizer`` with the same ``tokenizer.json``; each step a
  ``LocalPipelineExecutor`` with one worker (tasks=1; the buckets step needs one task per
  bucket, run one after another);
* ``repocurate_same_documents``: ``repocurate run --tokenizer`` on a Stack-style Parquet of
  the very documents datatrove reads (``docs/documents.parquet``: ``repo_name``, ``path``,
  ``content``, ``language``), so both read a prepared file instead of repocurate crawling
  the archives;
* ``bare_tokenizer``: ``Tokenizer.encode_batch_fast`` (no offsets: the tokenizer's fastest
  call, and the one repocurate uses) over the documents' text in batches of 1024 (timed
  around the encode only; the tokenizer's threads use every core). Until 2026-11-26 04:00
  this contender used ``encode_batch``, 1.6x slower per CPU second.

MB/s per core is MB over CPU seconds. Crawling the repositories into the JSONL is timed too
(``jsonl_preparation``): datatrove needs it to read the same repositories, repocurate's runs
include their crawl. ``--profile`` adds a run of the given-tokenizer
contender under py-spy (``WORK/profile.txt``: samples by pipeline step, and the top
functions by own and cumulative samples; native tokenizer threads are not sampled).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_scale import MB, TARGETS_MB, list_repositories, nested_subsets, run_measured, write_manifest  # noqa: E402

EOS = "<｜end▁of▁sentence｜>"
_NON_WORD = re.compile(r"\W+")


def write_documents(manifest: str, path: str, shards: int = 1) -> dict[str, int]:
    """Crawl the ``manifest``'s repositories as the pipeline does; one JSONL document per kept
    file (also split round-robin into ``shards`` files under ``dt-input/`` beside ``path``, so
    datatrove's tasks can read one file each). Returns the counts of documents and of their
    UTF-8 bytes."""
    from pipeline.config import CrawlConfig
    from pipeline.sources.crawl import FILES, crawl_task
    from pipeline.sources.plan import plan_sources

    import pyarrow as pa
    import pyarrow.parquet as pq

    config = CrawlConfig()
    documents = utf8_bytes = 0
    columns: dict[str, list] = {"repo_name": [], "path": [], "content": [], "language": []}
    split_dir = os.path.join(os.path.dirname(os.path.dirname(path)), "dt-input")
    os.makedirs(split_dir, exist_ok=True)
    parts = [open(os.path.join(split_dir, f"part-{i:03d}.jsonl"), "w", encoding="utf-8") for i in range(shards)]
    with open(path, "w", encoding="utf-8") as fh:
        for task in plan_sources([manifest]).repos:
            for tag, record in crawl_task(task, config):
                if tag != FILES:
                    continue
                line = json.dumps({
                    "id": f"{record['repo_name']}/{record['path']}", "text": record["content"],
                    "metadata": {k: record[k] for k in ("repo_name", "path", "language", "size")},
                }, ensure_ascii=False) + "\n"
                fh.write(line)
                parts[documents % shards].write(line)
                for name in columns:
                    columns[name].append(record[name])
                documents += 1
                utf8_bytes += len(record["content"].encode("utf-8", "surrogatepass"))
    for part in parts:
        part.close()
    pq.write_table(pa.table({k: pa.array(v, pa.large_string() if k == "content" else pa.string())
                             for k, v in columns.items()}), parquet_path(path))
    return {"documents": documents, "bytes": utf8_bytes}


def parquet_path(documents: str) -> str:
    """Where :func:`write_documents` puts the Stack-style Parquet of the documents."""
    return os.path.splitext(documents)[0] + ".parquet"


def run_datatrove(documents: str, tokenizer: str, work: str, workers: str = "1") -> None:
    """The datatrove contender (see module doc); outputs under ``work``; ``workers`` tasks and
    worker processes per step (the input split in as many files, see :func:`write_documents`)."""
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster,
                                                  MinhashDedupFilter, MinhashDedupSignature)
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.tokens import DocumentTokenizer
    from datatrove.pipeline.writers import JsonlWriter
    from datatrove.utils.word_tokenizers import WordTokenizer

    from filters.datatrove_adapter import DatatroveFileFilter
    from filters.file_filters import default_file_filters

    class NonWordSplit(WordTokenizer):
        """Words as repocurate's shingles see them: the text split on non-word characters."""

        def word_tokenize(self, text: str) -> list[str]:
            return [w for w in _NON_WORD.split(text) if w]

        def sent_tokenize(self, text: str) -> list[str]:
            return [text]

        def span_tokenize(self, text: str) -> list[tuple[int, int]]:
            return [(0, len(text))]

    workers = int(workers)
    folder = os.path.join(os.path.dirname(os.path.dirname(documents)), "dt-input")
    config = MinhashConfig(n_grams=5, num_buckets=25, hashes_per_bucket=10)
    d = {name: os.path.join(work, name) for name in ("filtered", "signatures", "buckets", "remove", "tokens", "logs")}

    def execute(name: str, steps: list, tasks: int = workers) -> None:
        LocalPipelineExecutor(pipeline=steps, tasks=tasks, workers=workers,
                              logging_dir=os.path.join(d["logs"], name)).run()

    execute("filter", [JsonlReader(folder),
                       *[DatatroveFileFilter(rule) for rule in default_file_filters()],
                       JsonlWriter(d["filtered"], compression=None)])
    execute("signature", [JsonlReader(d["filtered"]),
                          MinhashDedupSignature(d["signatures"], config=config, language=NonWordSplit())])
    execute("buckets", [MinhashDedupBuckets(d["signatures"], d["buckets"], config=config)], tasks=config.num_buckets)
    execute("cluster", [MinhashDedupCluster(d["buckets"], d["remove"], config=config)], tasks=1)
    execute("tokenize", [JsonlReader(d["filtered"]), MinhashDedupFilter(d["remove"]),
                         DocumentTokenizer(d["tokens"], tokenizer_name_or_path=tokenizer, eos_token=EOS)])


def run_bare_tokenizer(documents: str, tokenizer_path: str, batch: int = 1024) -> dict[str, Any]:
    """``encode_batch_fast`` over the documents' text; seconds and CPU seconds of the encode only."""
    from tokenizers import Tokenizer

    with open(documents, encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh]
    tokenizer = Tokenizer.from_file(tokenizer_path)
    cpu0, t0 = _cpu_self(), time.perf_counter()
    tokens = 0
    for i in range(0, len(texts), batch):
        tokens += sum(len(e.ids) for e in tokenizer.encode_batch_fast(texts[i:i + batch], add_special_tokens=False))
    return {"encode_s": round(time.perf_counter() - t0, 2), "encode_cpu_s": round(_cpu_self() - cpu0, 2),
            "tokens": tokens}


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _contender(name: str, cmd: list[str], work: str, mb: float) -> dict[str, Any]:
    result = {"contender": name, "load_before": [round(x, 2) for x in os.getloadavg()]}
    result.update(run_measured(cmd, 0.5, os.path.join(work, f"{name}.log")))
    if result["rc"] == 0:
        result["mb_per_s"] = round(mb / result["wall_s"], 3)
        result["mb_per_cpu_s"] = round(mb / result["cpu_s"], 3)
    print(json.dumps(result), flush=True)
    return result


# Profile samples by pipeline step: the first (label, frame text) whose text is in a stack wins.
STEP_FRAMES = (
    ("ordering: tree-sitter parse, queries", "parse_file ("),
    ("near dedup: MinHash signature", "repo_signature_record"),
    ("ordering: resolve, graph, samples", "_OrderDoFn.process"),
    ("quality: CPython compile", "python_compile_error"),
    ("quality: decontamination", "Decontaminator"),
    ("quality: PII redaction", "Redactor"),
    ("quality: readability, syntax", "_QualityDoFn.process"),
    ("crawl: control characters", "control_fraction"),
    ("crawl: read, decode", "_CrawlDoFn.process"),
    ("file filters", "_FileFiltersDoFn"),
    ("exact dedup", "_emit_survivor"),
    ("near dedup", "near_dedup"),
    ("tokenizer training", "train_tokenizer"),
    ("tokenize (Python side)", "_EncodeBatch"),
    ("shards", "write_shard"),
    ("tables", "tables.py"),
    ("ledger", "ledger.py"),
    ("report (plots)", "report.py"),
    ("imports", "_find_and_load"),
    ("graph construction", "Pipeline.apply"),
    ("Beam: element coding, data plane", "bundle_processor.py"),
    ("Beam: runner", "fn_runner.py"),
)


def profile_summary(raw: str, top: int = 25) -> str:
    """py-spy's raw (collapsed) stacks -> samples by pipeline step (:data:`STEP_FRAMES`), and
    the top functions by own and by cumulative samples."""
    own: dict[str, int] = {}
    cumulative: dict[str, int] = {}
    steps: dict[str, int] = {}
    total = 0
    with open(raw) as fh:
        for line in fh:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack:
                continue
            n = int(count)
            total += n
            frames = stack.split(";")
            own[frames[-1]] = own.get(frames[-1], 0) + n
            for frame in set(frames):
                cumulative[frame] = cumulative.get(frame, 0) + n
            step = next((label for label, text in STEP_FRAMES if text in stack), "other")
            steps[step] = steps.get(step, 0) + n
    lines = [f"samples: {total}", "", "by step:"]
    lines += [f"{n / total:6.1%}  {s}" for s, n in sorted(steps.items(), key=lambda kv: (-kv[1], kv[0]))]
    lines += ["", "own:"]
    lines += [f"{n / total:6.1%}  {f}" for f, n in sorted(own.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    lines += ["", "cumulative:"]
    lines += [f"{n / total:6.1%}  {f}" for f, n in sorted(cumulative.items(), key=lambda kv: (-kv[1], kv[0]))[:top * 2]]
    return "\n".join(lines) + "\n"


def bench(corpus: str, subset_mb: float, seed: int, work: str, profile: bool, workers: int = 1) -> dict[str, Any]:
    targets = sorted(set(TARGETS_MB) | {subset_mb})
    subset = nested_subsets(list_repositories(corpus), targets, seed)[targets.index(subset_mb)]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "docs"))
    manifest, documents = os.path.join(work, "subset.jsonl"), os.path.join(work, "docs", "documents.jsonl")
    write_manifest(subset, manifest)
    cpu0, t0 = _cpu_self(), time.perf_counter()
    counts = write_documents(manifest, documents, workers)
    preparation = {"wall_s": round(time.perf_counter() - t0, 2), "cpu_s": round(_cpu_self() - cpu0, 2)}
    mb = counts["bytes"] / MB
    report: dict[str, Any] = {
        "corpus": corpus, "seed": seed, "subset_mb": subset_mb, "cores": os.cpu_count(), "datatrove_workers": workers,
        "repositories": [r["name"] for r in subset], "unpacked_mb": round(sum(r["bytes"] for r in subset) / MB, 2),
        "documents": counts["documents"], "document_mb": round(mb, 2), "jsonl_preparation": preparation,
        "contenders": [],
    }
    me = [sys.executable, os.path.abspath(__file__)]
    run = [sys.executable, "-m", "pipeline.cli", "run", "--input", manifest, "--quiet", "--overwrite"]
    out = os.path.join(work, "repocurate")
    report["contenders"].append(_contender("repocurate", run + ["--output", out], work, mb))
    tokenizer = os.path.join(work, "tokenizer.json")
    shutil.copy(os.path.join(out, "shards", "tokenizer.json"), tokenizer)
    given = run + ["--output", out + "-given", "--tokenizer", tokenizer]
    report["contenders"].append(_contender("repocurate_given_tokenizer", given, work, mb))
    no_quality = os.path.join(work, "no_quality.yaml")
    with open(no_quality, "w") as fh:
        fh.write("quality:\n  enabled: false\n")
    report["contenders"].append(_contender(
        "repocurate_given_tokenizer_no_quality",
        run + ["--output", out + "-no-quality", "--tokenizer", tokenizer, "--config", no_quality], work, mb))
    report["contenders"].append(_contender(
        "repocurate_same_documents",
        [sys.executable, "-m", "pipeline.cli", "run", "--input", parquet_path(documents), "--quiet", "--overwrite",
         "--output", out + "-same-documents", "--tokenizer", tokenizer], work, mb))
    report["contenders"].append(_contender(
        "datatrove", me + ["--run-datatrove", documents, tokenizer, os.path.join(work, "datatrove"), str(workers)], work, mb))
    bare = _contender("bare_tokenizer", me + ["--run-tokenizer", documents, tokenizer], work, mb)
    with open(os.path.join(work, "bare_tokenizer.log")) as fh:
        bare.update(json.loads(fh.read().strip().splitlines()[-1]))
    bare["encode_mb_per_s"] = round(mb / bare["encode_s"], 3)
    bare["encode_mb_per_cpu_s"] = round(mb / bare["encode_cpu_s"], 3)
    report["contenders"].append(bare)
    if profile:  # an extra run: py-spy slows it and hides its CPU time from rusage
        raw = os.path.join(work, "profile.raw")
        spy = ["py-spy", "record", "--format", "raw", "--rate", "50", "--subprocesses", "-o", raw, "--"]
        profiled = spy + run + ["--output", out + "-profiled", "--tokenizer", tokenizer]
        # wall time only: py-spy does not reap the run in a way that gives us its CPU time
        report["profiled_run_wall_s"] = run_measured(profiled, 0.5, os.path.join(work, "profiled.log"))["wall_s"]
        with open(os.path.join(work, "profile.txt"), "w") as fh:
            fh.write(profile_summary(raw))
    by = {c["contender"]: c for c in report["contenders"]}
    ours = by["repocurate_given_tokenizer"]["mb_per_cpu_s"]
    for c in report["contenders"]:
        if c.get("rc") == 0 and c.get("wall_s"):
            c["cpu_per_wall"] = round(c["cpu_s"] / c["wall_s"], 2)
    report["ratios_wall"] = {
        "repocurate_given_tokenizer / datatrove": round(by["repocurate_given_tokenizer"]["mb_per_s"] / by["datatrove"]["mb_per_s"], 3),
        "repocurate_same_documents / datatrove": round(by["repocurate_same_documents"]["mb_per_s"] / by["datatrove"]["mb_per_s"], 3),
        "repocurate (trains) / datatrove": round(by["repocurate"]["mb_per_s"] / by["datatrove"]["mb_per_s"], 3),
        "repocurate_given_tokenizer_no_quality / datatrove": round(
            by["repocurate_given_tokenizer_no_quality"]["mb_per_s"] / by["datatrove"]["mb_per_s"], 3),
    }
    report["ratios_per_core"] = {
        "repocurate_given_tokenizer / datatrove": round(ours / by["datatrove"]["mb_per_cpu_s"], 3),
        "repocurate_given_tokenizer / bare_tokenizer": round(ours / bare["encode_mb_per_cpu_s"], 3),
        "repocurate_same_documents / datatrove": round(
            by["repocurate_same_documents"]["mb_per_cpu_s"] / by["datatrove"]["mb_per_cpu_s"], 3),
        "repocurate (trains) / datatrove": round(by["repocurate"]["mb_per_cpu_s"] / by["datatrove"]["mb_per_cpu_s"], 3),
        "repocurate_given_tokenizer_no_quality / datatrove": round(
            by["repocurate_given_tokenizer_no_quality"]["mb_per_cpu_s"] / by["datatrove"]["mb_per_cpu_s"], 3),
        "repocurate_given_tokenizer / (datatrove + JSONL preparation)": round(
            ours / (mb / (by["datatrove"]["cpu_s"] + preparation["cpu_s"])), 3),
    }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="/work/scale-corpus")
    parser.add_argument("--subset-mb", type=float, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "bench_e2e"))
    parser.add_argument("--json", default=str(ROOT / "benchmarks" / "bench_end_to_end.json"))
    parser.add_argument("--profile", action="store_true", help="py-spy the first repocurate run")
    parser.add_argument("--workers", type=int, default=os.cpu_count(),
                        help="datatrove's tasks and workers per step (default: the cores; repocurate runs "
                             "with its default options, one worker process per core)")
    parser.add_argument("--run-datatrove", nargs=4, metavar=("DOCS", "TOKENIZER", "WORK", "WORKERS"), help=argparse.SUPPRESS)
    parser.add_argument("--run-tokenizer", nargs=2, metavar=("DOCS", "TOKENIZER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_datatrove:
        run_datatrove(*args.run_datatrove)
        return
    if args.run_tokenizer:
        print(json.dumps(run_bare_tokenizer(*args.run_tokenizer)))
        return
    report = bench(args.corpus, args.subset_mb, args.seed, args.work, args.profile, args.workers)
    with open(args.json, "w") as fh:
        json.dump(report, fh, indent=1)
    print(json.dumps({"wall": report["ratios_wall"], "per_core": report["ratios_per_core"]}, indent=1))


if __name__ == "__main__":
    main()
