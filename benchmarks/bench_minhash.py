"""Text-to-MinHash-signature throughput on real code, one core, same run and same data.

    python benchmarks/bench_minhash.py [--mb 8] [--cpu 0] [--json out.json]

Corpus: the ``.py`` sources of the installed apache_beam, numpy and datatrove packages
(sorted paths, truncated to ``--mb`` megabytes of UTF-8). Contenders, all with 256
permutations and word 5-gram shingles:

* ``repocurate fast``: :func:`dedup.minhash.signatures` (affine32 and legacy schemes);
* ``repocurate datasketch-mode``: the same with datasketch's sha1 shingle hash;
* ``datasketch``: ``MinHash(num_perm=256, seed=1).update_batch`` over the UTF-8 shingle
  strings (building those strings is part of the cost, as it is for any user), with its
  default affine32 scheme (the ratio baseline) and the legacy scheme;
* ``rensa``: ``RMinHash(256, seed=1).update`` over the shingle strings, if installed;
* ``datatrove``: ``MinhashDedupSignature.get_shingles`` + ``get_signature`` (16 x 16 = 256
  hashes, 32-bit xxhash) with our regex word tokenizer in place of its spaCy default.

Prints a table (MB/s, docs/s, ratio to datasketch) and writes JSON to ``--json`` or stdout.
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
from typing import Callable, Sequence

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from dedup.minhash import MinHashParams, signatures  # noqa: E402
from dedup.shingles import shingle_strings, tokens  # noqa: E402

NUM_PERM = 256


def load_corpus(megabytes: float) -> list[str]:
    """Sorted ``.py`` files of installed packages nobody here wrote, up to ``megabytes``."""
    logging.disable(logging.WARNING)
    import apache_beam
    import datatrove
    import numpy

    paths = []
    for package in (apache_beam, numpy, datatrove):
        paths += sorted(glob.glob(os.path.join(os.path.dirname(package.__file__), "**", "*.py"), recursive=True))
    texts, total = [], 0
    for path in paths:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        size = len(text.encode("utf-8"))
        if total + size > megabytes * 1e6:
            break
        texts.append(text)
        total += size
    return texts


def ours(params: MinHashParams) -> Callable[[Sequence[str]], object]:
    return lambda texts: signatures(texts, params)


def datasketch_update_batch(scheme: str) -> Callable[[Sequence[str]], object]:
    from datasketch import MinHash

    def run(texts: Sequence[str]) -> object:
        sigs = []
        for text in texts:
            m = MinHash(num_perm=NUM_PERM, seed=1, scheme=scheme)
            m.update_batch([s.encode("utf-8") for s in shingle_strings(text)])
            sigs.append(m.hashvalues)
        return np.array(sigs)

    return run


def rensa_update(texts: Sequence[str]) -> object:
    from rensa import RMinHash

    sigs = []
    for text in texts:
        m = RMinHash(num_perm=NUM_PERM, seed=1)
        m.update(shingle_strings(text))
        sigs.append(m.digest())
    return sigs


def datatrove_signature(texts: Sequence[str]) -> object:
    from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupSignature
    from datatrove.utils.hashing import HashConfig
    from datatrove.utils.word_tokenizers import WordTokenizer

    class RegexWordTokenizer(WordTokenizer):
        def word_tokenize(self, text: str) -> list[str]:
            return tokens(text)

        def sent_tokenize(self, text: str) -> list[str]:
            return [text]

        def span_tokenize(self, text: str) -> list[tuple[int, int]]:
            return [(0, len(text))]

    config = MinhashConfig(n_grams=5, num_buckets=16, hashes_per_bucket=16, hash_config=HashConfig(precision=32))
    with tempfile.TemporaryDirectory() as folder:
        step = MinhashDedupSignature(output_folder=folder, config=config, language=RegexWordTokenizer())
        return [step.get_signature(step.get_shingles(text)) for text in texts]


def contenders() -> dict[str, Callable[[Sequence[str]], object]]:
    found = {
        "repocurate fast (affine32)": ours(MinHashParams()),
        "repocurate fast (legacy)": ours(MinHashParams(scheme="legacy")),
        "repocurate datasketch-mode": ours(MinHashParams(hash_mode="datasketch")),
        "datasketch update_batch": datasketch_update_batch("affine32"),
        "datasketch update_batch (legacy)": datasketch_update_batch("legacy"),
    }
    try:
        import rensa  # noqa: F401

        found["rensa RMinHash"] = rensa_update
    except ImportError:
        pass
    found["datatrove signature"] = datatrove_signature
    return found


def measure(run: Callable[[Sequence[str]], object], texts: Sequence[str], repeats: int) -> tuple[float, object]:
    """Best wall time of ``repeats`` runs over all texts, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run(texts)
        best = min(best, time.perf_counter() - start)
    return best, result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=8.0, help="megabytes of code to hash")
    parser.add_argument("--repeats", type=int, default=2, help="runs per contender (best is kept)")
    parser.add_argument("--cpu", type=int, default=0, help="pin to this CPU (-1: no pinning)")
    parser.add_argument("--json", help="write results here instead of stdout")
    args = parser.parse_args(argv)
    if args.cpu >= 0:
        os.sched_setaffinity(0, {args.cpu})

    texts = load_corpus(args.mb)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    results, outputs = [], {}
    for name, run in contenders().items():
        seconds, outputs[name] = measure(run, texts, args.repeats)
        results.append(
            {"name": name, "seconds": seconds, "mb_per_s": megabytes / seconds, "docs_per_s": len(texts) / seconds}
        )
    bit_exact = bool(np.array_equal(outputs["repocurate datasketch-mode"], outputs["datasketch update_batch"]))
    baseline = next(r["mb_per_s"] for r in results if r["name"] == "datasketch update_batch")
    for r in results:
        r["vs_datasketch"] = r["mb_per_s"] / baseline

    print(f"{len(texts)} files, {megabytes:.1f} MB, {NUM_PERM} permutations, 5-grams, cpu={args.cpu}", file=sys.stderr)
    print(f"datasketch-mode signatures bit-exact with datasketch: {bit_exact}", file=sys.stderr)
    print(f"{'contender':32} {'MB/s':>8} {'docs/s':>9} {'x datasketch':>13}", file=sys.stderr)
    for r in results:
        print(f"{r['name']:32} {r['mb_per_s']:8.2f} {r['docs_per_s']:9.1f} {r['vs_datasketch']:13.2f}", file=sys.stderr)
    report = {
        "files": len(texts), "megabytes": megabytes, "num_perm": NUM_PERM, "ngram": 5,
        "datasketch_mode_bit_exact": bit_exact, "results": results,
    }
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    else:
        print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
