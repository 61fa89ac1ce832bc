"""Tokenization throughput: the shard stage against bare ``encode_batch`` on the same text.

    nice python benchmarks/bench_tokenize.py [--corpus DIR] [--mb 16] [--rounds 3] [--beam]

Corpus: source files (``.py .java .c .h .cpp .js .ts .go .rs .rb .php .cs .kt .scala .lua``)
under ``--corpus`` (default ``/work/corpus`` if present), else the ``.py`` files of the
installed apache_beam and numpy, in sorted path order, one document per file, up to
``--mb`` MB of UTF-8. The tokenizer is a 32,000-token byte-level BPE trained by
:func:`tokenize_shards.tokenizer.train_tokenizer` on every fourth document (or
``--tokenizer PATH``). Contenders, all on the same documents and tokenizer, best of
``--rounds`` (alternating, so load from other processes hits all alike):

* ``encode_batch``: ``Tokenizer.encode_batch(texts, add_special_tokens=False)`` on whole
  documents, reading every ``.ids`` (the baseline of the 80 % requirement);
* ``encode_batch_fast``: the same with ``encode_batch_fast`` (no offsets);
* ``stage encode``: :func:`tokenize_shards.encode.encode_samples` in batches of
  ``batch_documents`` (FIM at rate 0.5, 4 KB pieces, ids to numpy) -- the work of the
  Beam stage's encode step;
* ``stage + shards``: :func:`tokenize_shards.shard_writer.write_shard_set` with the same
  tokenizer (encode, shuffle, write ``.bin``/``.idx``, manifest) to a temporary folder;
* ``beam WriteShards`` (with ``--beam``): the Beam transform on the in-process FnApiRunner,
  reading the documents from a Parquet file as the pipeline's samples table would give
  them; ``beam read only`` is the same pipeline without the stage (it only counts the
  rows), so the difference is what the stage costs inside Beam (one round each).
"""
from __future__ import annotations

import argparse
import glob
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tokenize_shards.config import ShardsConfig  # noqa: E402
from tokenize_shards.encode import encode_samples  # noqa: E402
from tokenize_shards.shard_writer import encode_settings, write_shard_set  # noqa: E402
from tokenize_shards.tokenizer import encoding_tokenizer, special_ids, train_tokenizer  # noqa: E402

SOURCE_SUFFIXES = {".py", ".java", ".c", ".h", ".cpp", ".js", ".ts", ".go", ".rs", ".rb", ".php",
                   ".cs", ".kt", ".scala", ".lua"}


def corpus_paths(folder: str) -> list[str]:
    if folder and os.path.isdir(folder):
        return sorted(p for p in glob.glob(os.path.join(folder, "**", "*"), recursive=True)
                      if Path(p).suffix in SOURCE_SUFFIXES and os.path.isfile(p))
    logging.disable(logging.WARNING)
    import apache_beam
    import numpy
    return [p for package in (apache_beam, numpy)
            for p in sorted(glob.glob(os.path.join(os.path.dirname(package.__file__), "**", "*.py"), recursive=True))]


def load_samples(folder: str, megabytes: float) -> list[dict]:
    samples, total = [], 0
    for path in corpus_paths(folder):
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        size = len(text.encode("utf-8"))
        if total + size > megabytes * 1e6:
            break
        samples.append({"sample_id": path, "repo_name": "bench", "text": text,
                        "languages": [Path(path).suffix.lstrip(".")], "offsets": [0]})
        total += size
    return samples


def timed(function: Callable[[], object], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def run_beam(parquet: str, config: ShardsConfig, out: str, stage: bool) -> None:
    import apache_beam as beam
    from apache_beam.runners.portability.fn_api_runner import FnApiRunner

    from tokenize_shards.beam_stage import WriteShards

    with beam.Pipeline(runner=FnApiRunner()) as p:
        samples = p | beam.io.ReadFromParquet(parquet)
        if stage:
            _ = samples | WriteShards(config, out)
        else:
            _ = samples | beam.Map(lambda s: len(s["text"])) | beam.CombineGlobally(sum)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="/work/corpus")
    parser.add_argument("--mb", type=float, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tokenizer", default="")
    parser.add_argument("--beam", action="store_true")
    parser.add_argument("--json", default="")
    args = parser.parse_args()

    samples = load_samples(args.corpus, args.mb)
    texts = [s["text"] for s in samples]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    if args.tokenizer:
        tokenizer_json = Path(args.tokenizer).read_text(encoding="utf-8")
    else:
        tokenizer_json = train_tokenizer(texts[::4], 32_000).to_str()
    tokenizer = encoding_tokenizer(tokenizer_json)
    with tempfile.TemporaryDirectory() as scratch:
        config = ShardsConfig(tokenizer=os.path.join(scratch, "tokenizer.json"))
        Path(config.tokenizer).write_text(tokenizer_json, encoding="utf-8")
        settings = encode_settings(config, tokenizer_json)
        specials = special_ids(tokenizer)
        batch = config.batch_documents

        def stage_encode():
            for start in range(0, len(samples), batch):
                encode_samples(tokenizer, specials, samples[start:start + batch], settings)

        contenders: dict[str, Callable[[], object]] = {
            "encode_batch": lambda: [e.ids for e in tokenizer.encode_batch(texts, add_special_tokens=False)],
            "encode_batch_fast": lambda: [e.ids for e in tokenizer.encode_batch_fast(texts, add_special_tokens=False)],
            "stage encode": stage_encode,
            "stage + shards": lambda: write_shard_set(os.path.join(scratch, "shards"), samples, config, tokenizer_json),
        }
        best = {name: float("inf") for name in contenders}
        for _ in range(args.rounds):
            for name, function in contenders.items():
                best[name] = min(best[name], timed(function, 1))
        if args.beam:
            import pyarrow as pa
            import pyarrow.parquet as pq

            parquet = os.path.join(scratch, "samples.parquet")
            pq.write_table(pa.Table.from_pylist(samples), parquet)
            out = os.path.join(scratch, "beam")
            best["beam read only"] = timed(lambda: run_beam(parquet, config, out, stage=False), 1)
            best["beam WriteShards"] = timed(lambda: run_beam(parquet, config, out, stage=True), 1)

    baseline = megabytes / best["encode_batch"]
    rows = {name: {"seconds": round(s, 3), "MB_per_s": round(megabytes / s, 2),
                   "ratio_to_encode_batch": round(megabytes / s / baseline, 2)} for name, s in best.items()}
    print(f"{len(samples)} documents, {megabytes:.1f} MB, cpus={os.cpu_count()}, "
          f"RAYON_NUM_THREADS={os.environ.get('RAYON_NUM_THREADS', 'default')}")
    print(f"{'contender':<20} {'s':>8} {'MB/s':>8} {'ratio':>6}")
    for name, row in rows.items():
        print(f"{name:<20} {row['seconds']:>8} {row['MB_per_s']:>8} {row['ratio_to_encode_batch']:>6}")
    report = {"documents": len(samples), "megabytes": round(megabytes, 2), "results": rows}
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
