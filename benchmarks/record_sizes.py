"""What crosses each global step of a run, measured: bytes per repository, per file and per
document of every small record the flow shuffles, combines or gathers, on real data, and
that extrapolated to 1 TB and 100 TB of input (the README's scale table).

    python benchmarks/record_sizes.py --input SUBSET.jsonl [--json benchmarks/record_sizes.json]

Runs the per-repository steps (:func:`pipeline.repo_steps.scan_repository`,
:func:`finish_repository` with the trained tokenizer of ``--tokenizer``, or none) in this
process, without an engine, and measures each record as the engines carry it: its pickled
size (Beam and Spark both pickle Python records). Global decisions (near-dedup pairs and
edges, exact-dedup copies) are computed with the same plain functions to count them.
Extrapolation is linear in the input's bytes: records per input MB times 10^6 (1 TB) and
10^8 (100 TB); the rates of repositories, files and documents per input MB are this
corpus's, so the figures are an order of magnitude, not a promise.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MB = 1_000_000


def size(obj) -> int:
    return len(pickle.dumps(obj, protocol=5))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", nargs="+", required=True)
    parser.add_argument("--tokenizer", default=None)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()

    from dedup.exact import losers_of
    from dedup.near import band_items, bucket_pairs
    from pipeline.config import load_config
    from pipeline.flow import _scan_task
    from pipeline.repo_steps import WorkFolder, finish_repository
    from pipeline.sources.plan import plan_sources
    from tokenize_shards.shard_writer import read_tokenizer
    from tokenize_shards.training_sample import sample_key

    config = load_config(None)
    plan = plan_sources(args.input)
    tokenizer = read_tokenizer(args.tokenizer) if args.tokenizer else None
    totals: dict[str, int] = {}
    counts: dict[str, int] = {}

    def add(step: str, obj, n: int = 1) -> None:
        totals[step] = totals.get(step, 0) + size(obj)
        counts[step] = counts.get(step, 0) + n

    with tempfile.TemporaryDirectory() as out:
        work = WorkFolder.of(out)
        scans = [_scan_task(t.to_dict(), config, work, None) for t in plan.repos]
        input_bytes = sum(v[1] for s in scans for k, v in s["tallies"] if k == ("crawl", "in", ""))
        files = sum(len(s["hashes"]) for s in scans)
        buckets: dict = {}
        for s in scans:
            add("tallies (combined, summed per key)", s["tallies"])
            if s["signature"]:
                add("near: signature record (pair joins, components)", s["signature"])
                for key, name in band_items(s["signature"], config.near_dedup):
                    add("near: LSH band items (shuffle)", (key, name))
                    buckets.setdefault(key, []).append(name)
            for h in s["hashes"]:
                add("exact: (sha256, rank, id) per file (two shuffles)", (h[0], (h[1], h[2], s["repo_name"])))
            add("scan: spill reference (join with decisions)", (s["repo_name"], {k: s[k] for k in ("repo_name", "spill", "bytes")}))
            for f in s["fragments"]:
                add("tables: fragment reference (shuffle by part)", (("rejects", 0), ("fragment", (f["part_key"], f["path"]))))
        pairs = {p for names in buckets.values() if len(names) > 1 for p in bucket_pairs(names, config.near_dedup.max_bucket_pairs)}
        for p in pairs:
            add("near: candidate pairs (shuffle)", (p, None))
        by_sha: dict = {}
        for s in scans:
            for sha, rank, fid in s["hashes"]:
                by_sha.setdefault(sha, []).append((rank, fid))
        copies = [c for v in by_sha.values() if len(v) > 1 for c in losers_of(v)]
        for c in copies:
            add("exact: copies (loser, survivor) (join by repository)", ("repo", c))
        documents = 0
        for s in scans:
            if not s["spill"]:
                continue
            f = finish_repository(s, None, [], config, work, None, tokenizer)
            add("tallies (combined, summed per key)", f["tallies"])
            for frag in f["fragments"]:
                add("tables: fragment reference (shuffle by part)", ((frag["table"], 0), ("fragment", (frag["part_key"], frag["path"]))))
            for sid, n, path in f["samples"]:
                add("tokenizer: training-sample reference (combine, keeps the budget's prefix)", (sample_key(sid), sid, n, path))
            for d in f["documents"]:
                documents += 1
                add("shards: document record (shuffle by shard)", (0, d))
                add("shards: (key, tokens) per document (combine to shard cuts, gathered)", (d["key"], d["n_tokens"]))
        repos = len(scans)
    mb = input_bytes / MB
    rows = []
    for step in sorted(totals):
        per_mb = totals[step] / mb
        rows.append({"step": step, "records": counts[step], "bytes": totals[step],
                     "bytes_per_record": round(totals[step] / max(1, counts[step]), 1),
                     "per_input_mb": round(per_mb, 1),
                     "at_1_tb_gb": round(per_mb * 1e6 / 1e9, 2), "at_100_tb_gb": round(per_mb * 1e8 / 1e9, 1)})
    report = {"inputs": args.input, "input_mb": round(mb, 2), "repositories": repos, "files": files,
              "documents": documents, "candidate_pairs": len(pairs), "copies": len(copies), "steps": rows}
    print(json.dumps(report, indent=1))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(report, fh, indent=1)


if __name__ == "__main__":
    main()
