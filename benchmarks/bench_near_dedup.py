"""Repository-level near-dedup: quality against brute-force exact Jaccard, and throughput.

    nice taskset -c 1 python benchmarks/bench_near_dedup.py [--corpus /work/corpus]
        [--variants 6] [--max-repo-mb 0.5] [--max-strength 0.2] [--fn-weights 0.5 0.9 0.95]
        [--seed 0] [--json out.json] [--no-beam] [--no-datatrove]

Data: every repository folder under ``--corpus`` (real PyPI sdists, npm packages and Debian
sources) is crawled and file-filtered as the pipeline does (``crawl_task``, the default
file filters) and capped at ``--max-repo-mb`` of files in path order. Each becomes a family:
``--variants`` near-duplicates are derived with a seeded RNG, each from a random earlier
member of its family (so forks of forks give chains), by editing lines (a word replaced,
a line deleted, inserted or duplicated), reordering blank-line separated blocks, renaming
files, changing whitespace (tabs, trailing spaces, CRLF: invisible to word shingles),
removing files and adding files of another family. The strength of a variant is drawn
uniformly, so similarities spread over the thresholds. Pairs across families are the
unrelated pairs. Corpus-wide exact file dedup is not applied (it would strip the shared
files out of every fork before near-dedup sees them).

The document is the pipeline's: ``dedup.near.repo_document`` of the repository's filtered
file records (contents in path order; near-dedup runs before exact dedup and ordering).

Ground truth: the exact Jaccard of every pair of documents, brute force, over the sets of
32-bit shingle hashes (word 5-grams) the signatures are computed from
(``dedup.near.shingle_set``): a sparse document x shingle matrix times its transpose.
A pair is a duplicate at threshold ``t`` when its exact Jaccard is ``>= t``; the true
clusters are the connected components of those pairs.

Contenders (the same documents, one core, the same run):

* ``repocurate``: ``repo_signature_record`` per repository, then the functions the Beam
  stage calls (``band_items``, grouping by band key, ``bucket_pairs``, ``verified_edge``,
  ``decide_clusters``: greedy survivors per component), for ``verify`` = estimate / exact / none and for LSH bands x rows
  chosen with false-negative weights ``--fn-weights`` (0.5 is datasketch's optimum; more
  weight on false negatives buys recall with more candidates to verify). Unless
  ``--no-beam``, the Beam stage itself (``NearDedup`` on the in-process FnApiRunner) runs on
  the same repositories (default weights) and must give identical cluster rows.
* ``datasketch``: ``MinHash(256, seed=1).update_batch`` over the UTF-8 shingle strings,
  ``MinHashLSH(threshold, 256)`` insert and query, verification by ``MinHash.jaccard``,
  union-find clusters.
* ``datatrove``: ``MinhashDedupSignature -> MinhashDedupBuckets -> MinhashDedupCluster ->
  MinhashDedupFilter`` with ``LocalPipelineExecutor`` (1 worker; 1 task per stage except
  Buckets, which needs one task per bucket) in a temporary folder, with the same bands x rows,
  our word tokenizer and no text normalisation (so it hashes the same shingles). It does
  not verify candidates; its pairs are chained per bucket, so only its clusters are scored.

Metrics per threshold (0.7, 0.85): precision and recall of the duplicate pairs (edges
reported vs pairs with exact Jaccard >= t), of co-clustered pairs (pairs in one predicted
cluster vs pairs in one true cluster) and of whole clusters (a predicted cluster of two or
more that equals a true one). Predicted clusters here are the near-dedup components
(``component_id``: connected components of verified pairs), comparable with the true
components; survivors inside a component are scored by ``bench_repo_dedup.py``. Throughput: MB/s, repositories/s and samples/s of the
signatures and of the whole stage (signatures + bands + pairs + verification + clusters).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import pickle
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from repo_jaccard import datatrove_word_tokenizer  # noqa: E402  (word runs, as dedup.shingles.tokens)
from repo_jaccard import jaccard_matrix as exact_jaccards  # noqa: E402  (all pairs by a sparse product)

from dedup.components import clusters as component_survivors  # noqa: E402
from dedup.lsh import optimal_bands  # noqa: E402
from dedup.near import (  # noqa: E402
    VERIFY_MODES, NearDedupConfig, band_items, bucket_pairs, decide_clusters, repo_document,
    repo_signature_record, shingle_set, verified_edge,
)
from dedup.shingles import shingle_strings  # noqa: E402
from filters.base import first_rejection  # noqa: E402
from filters.file_filters import default_file_filters  # noqa: E402
from pipeline.config import CrawlConfig  # noqa: E402
from contract.records import sha256_hex  # noqa: E402
from pipeline.sources.crawl import AUX, FILES, crawl_task  # noqa: E402
from pipeline.sources.plan import RepoTask  # noqa: E402

THRESHOLDS = (0.7, 0.85)
SIGNATURE_ROWS = {"estimate": "repocurate signature records", "none": "repocurate signature records",
                  "exact": "repocurate signature records + shingle sets (verify=exact)"}
NUM_PERM = 256
LICENSES = ("MIT", "Apache-2.0", "GPL-3.0", "")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass
class Repo:
    name: str
    family: str
    files: list[dict[str, Any]]
    aux: dict[str, str]


@dataclass
class Document:
    name: str
    family: str
    files: list[dict[str, Any]]
    text: str


# --- data ------------------------------------------------------------------------------


def load_base(folder: Path, max_bytes: int, rng: random.Random) -> Repo:
    """A repository as the pipeline sees it after file filters, capped in path order."""
    license_, stars = rng.choice(LICENSES), rng.randrange(1000)
    task = RepoTask("folder", str(folder), folder.name, license=license_, stars=stars)
    rules = default_file_filters()
    files, aux = [], {}
    for tag, record in crawl_task(task, CrawlConfig()):
        if tag == AUX:
            aux[record["path"]] = record["text"]
        elif tag == FILES and first_rejection(record, rules) is None:
            files.append(record)
    kept, total = [], 0
    for record in sorted(files, key=lambda r: r["path"]):
        if total + record["size"] > max_bytes and kept:
            break
        kept.append(record)
        total += record["size"]
    return Repo(folder.name, folder.name, kept, aux)


def fresh_word(rng: random.Random) -> str:
    return f"x{rng.getrandbits(40):010x}"


def edit_lines(text: str, rate: float, rng: random.Random) -> str:
    """Each line, with probability ``rate``: a word replaced, or the line deleted, followed by a new line, or doubled."""
    out = []
    for line in text.split("\n"):
        if rng.random() >= rate:
            out.append(line)
            continue
        op = rng.randrange(4)
        words = list(_WORD.finditer(line))
        if op == 0 and words:
            word = rng.choice(words)
            out.append(line[:word.start()] + fresh_word(rng) + line[word.end():])
        elif op == 1:
            continue
        elif op == 2:
            out += [line, f"{fresh_word(rng)} = {fresh_word(rng)}({fresh_word(rng)})"]
        else:
            out += [line, line]
    return "\n".join(out)


def reorder_blocks(text: str, rate: float, rng: random.Random) -> str:
    """Swap neighbouring blank-line separated blocks, about ``rate`` swaps per block."""
    blocks = re.split(r"\n[ \t]*\n", text)
    for _ in range(round(rate * len(blocks))):
        if len(blocks) < 2:
            break
        i = rng.randrange(len(blocks) - 1)
        blocks[i], blocks[i + 1] = blocks[i + 1], blocks[i]
    return "\n\n".join(blocks)


def change_whitespace(text: str, rng: random.Random) -> str:
    """Indentation to tabs, trailing spaces or CRLF line ends: the word tokens stay the same."""
    op = rng.randrange(3)
    if op == 0:
        return re.sub(r"(?m)^( {4})+", lambda m: "\t" * (len(m.group(0)) // 4), text)
    if op == 1:
        return re.sub(r"(?m)$", "  ", text)
    return text.replace("\n", "\r\n")


def renamed(path: str, rng: random.Random) -> str:
    folder, _, name = path.rpartition("/")
    stem, dot, ext = name.partition(".")
    if rng.random() < 0.5:
        return f"moved_{rng.randrange(100)}/{path}"
    return f"{folder + '/' if folder else ''}{stem}_{fresh_word(rng)[:6]}{dot}{ext}"


def with_content(record: dict[str, Any], repo_name: str, path: str, content: str) -> dict[str, Any]:
    data = content.encode("utf-8", "surrogatepass")
    return {**record, "repo_name": repo_name, "path": path, "content": content,
            "size": len(data), "sha256": sha256_hex(data)}


def make_variant(parent: Repo, name: str, donor: Repo, strength: float, rng: random.Random) -> Repo:
    """A near-duplicate of ``parent``: edits, reorders, renames, whitespace, files removed and added."""
    license_, stars = rng.choice(LICENSES), rng.randrange(1000)
    whitespace = rng.random() < 0.5
    files, paths = [], set()
    for record in parent.files:
        if rng.random() < strength / 3 and len(parent.files) > 1:
            continue
        content = edit_lines(record["content"], strength / 2, rng)
        if rng.random() < strength:
            content = reorder_blocks(content, strength, rng)
        if whitespace:
            content = change_whitespace(content, rng)
        path = renamed(record["path"], rng) if rng.random() < strength else record["path"]
        if path in paths:
            path = record["path"]
        paths.add(path)
        files.append({**with_content(record, name, path, content), "license": license_, "stars": stars})
    budget = strength / 3 * sum(r["size"] for r in parent.files)
    for record in rng.sample(donor.files, len(donor.files)):
        if budget <= 0:
            break
        path = f"extra/{record['path']}"
        if path not in paths:
            paths.add(path)
            files.append({**with_content(record, name, path, record["content"]), "license": license_, "stars": stars})
            budget -= record["size"]
    return Repo(name, parent.family, files, parent.aux)


def make_corpus(corpus: Path, variants: int, max_bytes: int, max_strength: float, seed: int) -> list[Repo]:
    rng = random.Random(seed)
    bases = [load_base(folder, max_bytes, rng) for folder in sorted(p for p in corpus.iterdir() if p.is_dir())]
    bases = [b for b in bases if b.files]
    repos = []
    for base in bases:
        family = [base]
        for j in range(1, variants + 1):
            parent = rng.choice(family)
            donor = rng.choice([b for b in bases if b is not base])
            family.append(make_variant(parent, f"{base.name}-v{j}", donor, rng.uniform(0, max_strength), rng))
        repos += family
    return repos


def to_document(repo: Repo) -> Document:
    return Document(repo.name, repo.family, repo.files, repo_document(repo.files))


# --- ground truth ----------------------------------------------------------------------


def truth_pairs(jaccard: np.ndarray, names: Sequence[str], threshold: float) -> set[tuple[str, str]]:
    i, j = np.nonzero(np.triu(jaccard >= threshold, k=1))
    return {pair_of(names[a], names[b]) for a, b in zip(i.tolist(), j.tolist())}


def pair_of(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


# --- contenders ------------------------------------------------------------------------


def plain_stage(records: Sequence[dict[str, Any]], config: NearDedupConfig) -> tuple[list[dict], list[dict]]:
    """The Beam stage's steps as plain calls: bands, buckets, pairs, verification, clusters."""
    buckets: dict[tuple[int, int], list[str]] = defaultdict(list)
    for record in records:
        for key, name in band_items(record, config):
            buckets[key].append(name)
    pairs = sorted({p for members in buckets.values() for p in bucket_pairs(members, config.max_bucket_pairs)})
    by_name = {r["repo_name"]: r for r in records}
    edges = [e for a, b in pairs for e in [verified_edge(by_name[a], by_name[b], config)] if e is not None]
    return edges, decide_clusters(records, edges, config)


def read_pickle(path: str) -> list:
    with open(path, "rb") as fh:
        return pickle.load(fh)


def beam_cluster_rows(docs: Sequence[Document], config: NearDedupConfig) -> list[dict]:
    """Cluster rows of the pipeline's near-dedup step (:func:`pipeline.flow.near_dedup` on the
    Beam engine: signatures from the repositories' scan records, then the global steps) on
    the in-process FnApiRunner.

    The repository batches are read from a file inside the pipeline: ``beam.Create`` would
    embed them in the pipeline proto, which costs more than the stage itself.
    """
    import apache_beam as beam
    from apache_beam.runners.portability.fn_api_runner import FnApiRunner

    from dedup.near import repo_signature_record
    from pipeline.engines.beam import BeamEngine
    from pipeline.flow import near_dedup

    with tempfile.TemporaryDirectory() as folder:
        source = os.path.join(folder, "records.pickle")
        with open(source, "wb") as fh:
            pickle.dump([{"repo_name": d.name, "files": d.files, "aux": []} for d in docs], fh)
        with beam.Pipeline(runner=FnApiRunner()) as p:
            batches = p | "Source" >> beam.Create([source]) | "Read" >> beam.FlatMap(read_pickle)

            def sign(batch):
                record = repo_signature_record(batch["repo_name"], batch["files"], config)
                shingles = record.pop("shingles", None)
                if shingles is not None:
                    path = os.path.join(folder, f"{abs(hash(batch['repo_name']))}.u32")
                    with open(path, "wb") as fh:
                        fh.write(shingles)
                    record["shingles_path"] = path
                return [record] if batch["files"] else []

            _, clusters = near_dedup(BeamEngine(p), batches | "Sign" >> beam.FlatMap(sign), config)
            _ = (clusters | beam.FlatMap(lambda rows: [json.dumps(row, sort_keys=True) for row in rows])
                 | beam.io.WriteToText(os.path.join(folder, "clusters")))
        lines = [line for path in sorted(Path(folder).glob("clusters*")) for line in path.read_text().splitlines()]
    return sorted((json.loads(line) for line in lines), key=lambda row: row["repo_name"])


def datasketch_minhashes(texts: Sequence[str]) -> list:
    from datasketch import MinHash

    found = []
    for text in texts:
        m = MinHash(num_perm=NUM_PERM, seed=1)
        m.update_batch([s.encode("utf-8", "surrogatepass") for s in shingle_strings(text)])
        found.append(m)
    return found


def datasketch_lsh(names: Sequence[str], minhashes: Sequence, threshold: float) -> list[tuple[str, str]]:
    """MinHashLSH insert and query, candidates verified by the MinHash estimate."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    for name, m in zip(names, minhashes):
        lsh.insert(name, m)
    index = {name: i for i, name in enumerate(names)}
    pairs = {pair_of(name, other) for name, m in zip(names, minhashes) for other in lsh.query(m) if other != name}
    return [p for p in sorted(pairs) if minhashes[index[p[0]]].jaccard(minhashes[index[p[1]]]) >= threshold]


def datatrove_clusters(texts: Sequence[str], threshold: float, folder: str) -> dict[int, int]:
    """Run datatrove's four MinHash stages; returns ``document index -> cluster id`` of duplicates."""
    from datatrove.data import Document as TroveDocument
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster, MinhashDedupFilter, MinhashDedupSignature,
    )
    from datatrove.utils.text import TextNormConfig

    def read(_data, _rank: int = 0, _world_size: int = 1):
        return (TroveDocument(text=text, id=str(i)) for i, text in enumerate(texts))

    bands, rows = optimal_bands(threshold, NUM_PERM)
    no_norm = TextNormConfig(lowercase=False, norm_whitespace=False, remove_punctuation=False,
                             norm_unicode_diacritics=False, norm_numbers=False)
    config = MinhashConfig(n_grams=5, num_buckets=bands, hashes_per_bucket=rows, norm_config=no_norm)
    sigs, dups, remove = (os.path.join(folder, name) for name in ("sigs", "dups", "remove"))
    logs = os.path.join(folder, "logs")
    stages = [
        ([read, MinhashDedupSignature(sigs, config, language=datatrove_word_tokenizer())], 1, "sig"),
        ([MinhashDedupBuckets(sigs, dups, config=config)], bands, "buckets"),
        ([MinhashDedupCluster(dups, remove, config=config, save_cluster_id=True)], 1, "cluster"),
        ([read, MinhashDedupFilter(remove, load_cluster_ids=True)], 1, "filter"),
    ]
    for pipeline, tasks, name in stages:
        LocalPipelineExecutor(pipeline, tasks=tasks, workers=1, logging_dir=f"{logs}/{name}").run()
    raw = np.fromfile(os.path.join(remove, "000000.clusters"), dtype="<u4").reshape(-1, 2)
    return {int(doc): int(cluster) for doc, cluster in raw}


# --- scoring ---------------------------------------------------------------------------


def precision_recall(predicted: set, truth: set) -> tuple[float, float]:
    hits = len(predicted & truth)
    return (hits / len(predicted) if predicted else 1.0, hits / len(truth) if truth else 1.0)


def groups(labels: dict[str, Any]) -> list[frozenset[str]]:
    members: dict[Any, set[str]] = defaultdict(set)
    for name, label in labels.items():
        members[label].add(name)
    return [frozenset(m) for m in members.values() if len(m) > 1]


def co_clustered(clusters: Iterable[frozenset[str]]) -> set[tuple[str, str]]:
    return {pair_of(a, b) for c in clusters for a in c for b in c if a < b}


def score(edges: set | None, labels: dict[str, Any], truth: set, truth_labels: dict[str, Any]) -> dict[str, Any]:
    predicted, expected = groups(labels), groups(truth_labels)
    pair_p, pair_r = precision_recall(edges, truth) if edges is not None else (None, None)
    co_p, co_r = precision_recall(co_clustered(predicted), co_clustered(expected))
    cl_p, cl_r = precision_recall(set(predicted), set(expected))
    return {"pair_precision": pair_p, "pair_recall": pair_r, "cocluster_precision": co_p, "cocluster_recall": co_r,
            "cluster_precision": cl_p, "cluster_recall": cl_r, "clusters": len(predicted), "edges": len(edges or ())}


# --- driver ----------------------------------------------------------------------------


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def rates(seconds: float, megabytes: float, repos: int, samples: int) -> dict[str, float]:
    return {"seconds": seconds, "mb_per_s": megabytes / seconds, "repos_per_s": repos / seconds,
            "samples_per_s": samples / seconds}


def histogram(jaccard: np.ndarray, docs: Sequence[Document]) -> dict[str, dict[str, int]]:
    """Pairs per exact-Jaccard bin, within families and across them."""
    family = np.array([d.family for d in docs])
    i, j = np.triu_indices(len(docs), k=1)
    edges = [0.0, 0.3, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0001]
    same = family[i] == family[j]
    bins = lambda mask: np.histogram(jaccard[i[mask], j[mask]], bins=edges)[0].tolist()  # noqa: E731
    labels = [f"[{lo:.2f},{min(hi, 1.0):.2f}{']' if hi > 1 else ')'}" for lo, hi in zip(edges, edges[1:])]
    return {"bins": labels, "within_family": bins(same), "across_families": bins(~same)}


def run(args: argparse.Namespace) -> dict[str, Any]:
    start = time.perf_counter()
    repos = make_corpus(Path(args.corpus), args.variants, int(args.max_repo_mb * 1e6), args.max_strength, args.seed)
    docs = [to_document(r) for r in repos]
    names = [d.name for d in docs]
    texts = [d.text for d in docs]
    megabytes = sum(len(t.encode("utf-8", "surrogatepass")) for t in texts) / 1e6
    n_samples = sum(len(d.files) for d in docs)
    prepared = time.perf_counter() - start
    print(f"{len(docs)} repositories ({len(docs) // (args.variants + 1)} families), {n_samples} files, "
          f"{megabytes:.1f} MB of documents; prepared in {prepared:.0f} s", file=sys.stderr)

    base = NearDedupConfig()
    sets = [shingle_set(t, base) for t in texts]
    jaccard = exact_jaccards(sets)
    rate = lambda s: rates(s, megabytes, len(docs), n_samples)  # noqa: E731

    report: dict[str, Any] = {
        "repositories": len(docs), "families": len({d.family for d in docs}), "samples": n_samples,
        "megabytes": megabytes, "shingle_set_bytes_per_document_byte": sum(s.nbytes for s in sets) / (megabytes * 1e6),
        "args": vars(args), "histogram": histogram(jaccard, docs), "signatures": {}, "quality": [], "stage": [],
    }
    records_by_mode: dict[str, list[dict]] = {}
    for mode in ("estimate", "exact"):
        config = replace(base, verify=mode)
        seconds, records_by_mode[mode] = timed(
            lambda: [repo_signature_record(d.name, d.files, config) for d in docs])
        report["signatures"][SIGNATURE_ROWS[mode]] = rate(seconds)
    records_by_mode["none"] = records_by_mode["estimate"]
    ranks = {d.name: d.name for d in docs}  # labels only group members: any stable key

    ds_seconds, minhashes = timed(lambda: datasketch_minhashes(texts))
    report["signatures"]["datasketch MinHash.update_batch"] = rate(ds_seconds)

    for threshold in THRESHOLDS:
        truth = truth_pairs(jaccard, names, threshold)
        truth_labels = component_survivors(sorted(truth), ranks)
        default_bands = "{}x{}".format(*optimal_bands(threshold, NUM_PERM))
        for fn_weight in args.fn_weights:
            for mode in VERIFY_MODES:
                config = replace(base, threshold=threshold, verify=mode, fp_weight=1 - fn_weight, fn_weight=fn_weight)
                records = records_by_mode[mode]
                seconds, (edges, rows) = timed(lambda: plain_stage(records, config))
                labels = {row["repo_name"]: row["component_id"] for row in rows}
                edge_pairs = {pair_of(a, b) for a, b, _ in edges}
                row = {"threshold": threshold, "contender": f"repocurate verify={mode}",
                       "bands": "{}x{} (fn {})".format(*config.bands(), fn_weight)}
                entry = {**row, **score(edge_pairs, labels, truth, truth_labels)}
                if args.beam and fn_weight == args.fn_weights[0]:
                    beam_seconds, beam_rows = timed(lambda: beam_cluster_rows(docs, config))
                    entry["beam_rows_identical"] = beam_rows == sorted(rows, key=lambda r: r["repo_name"])
                    row["beam_stage_seconds"] = beam_seconds
                report["quality"].append(entry)
                sig_seconds = report["signatures"][SIGNATURE_ROWS[mode]]["seconds"]
                report["stage"].append({**row, "lsh_seconds": seconds, **rate(sig_seconds + seconds)})

        row = {"threshold": threshold, "contender": "datasketch MinHashLSH + estimate", "bands": default_bands}
        seconds, ds_edges = timed(lambda: datasketch_lsh(names, minhashes, threshold))
        ds_labels = component_survivors(ds_edges, ranks)
        report["quality"].append({**row, **score(set(ds_edges), ds_labels, truth, truth_labels)})
        report["stage"].append({**row, "lsh_seconds": seconds, **rate(ds_seconds + seconds)})

        if args.datatrove:
            row = {"threshold": threshold, "contender": "datatrove MinHash stages", "bands": default_bands}
            with tempfile.TemporaryDirectory() as folder:
                seconds, found = timed(lambda: datatrove_clusters(texts, threshold, folder))
            dt_labels = {names[doc]: cluster for doc, cluster in found.items()}
            report["quality"].append({**row, **score(None, dt_labels, truth, truth_labels)})
            report["stage"].append({**row, "lsh_seconds": None, **rate(seconds)})
        print(f"threshold {threshold} done at {time.perf_counter() - start:.0f} s", file=sys.stderr)
    report["total_seconds"] = time.perf_counter() - start
    return report


def fmt(value: Any) -> str:
    return "—" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def markdown(report: dict[str, Any]) -> str:
    """The report's tables, as they go into RESULTS.md."""
    h = report["histogram"]
    lines = ["| pairs by exact Jaccard | " + " | ".join(h["bins"]) + " |", "|---" * (len(h["bins"]) + 1) + "|",
             "| within a family | " + " | ".join(map(str, h["within_family"])) + " |",
             "| across families | " + " | ".join(map(str, h["across_families"])) + " |", ""]
    lines += ["| threshold | contender | bands x rows | pairs P | pairs R | co-cluster P | co-cluster R | clusters P | clusters R | clusters | Beam stage identical |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for q in report["quality"]:
        lines.append(f"| {q['threshold']} | {q['contender']} | {q['bands']} | {fmt(q['pair_precision'])} | {fmt(q['pair_recall'])} | "
                     f"{fmt(q['cocluster_precision'])} | {fmt(q['cocluster_recall'])} | {fmt(q['cluster_precision'])} | "
                     f"{fmt(q['cluster_recall'])} | {q['clusters']} | {fmt(q.get('beam_rows_identical'))} |")
    lines += ["", "| signatures | seconds | MB/s | repos/s | samples/s |", "|---|---|---|---|---|"]
    for name, r in report["signatures"].items():
        lines.append(f"| {name} | {r['seconds']:.2f} | {r['mb_per_s']:.2f} | {r['repos_per_s']:.1f} | {r['samples_per_s']:.1f} |")
    lines += ["", "| threshold | whole stage | bands x rows | seconds | of which after signatures | MB/s | repos/s | "
              "samples/s | Beam stage after signatures (s) |", "|---|---|---|---|---|---|---|---|---|"]
    for r in report["stage"]:
        lines.append(f"| {r['threshold']} | {r['contender']} | {r['bands']} | {r['seconds']:.2f} | {fmt(r['lsh_seconds'])} | "
                     f"{r['mb_per_s']:.2f} | {r['repos_per_s']:.1f} | {r['samples_per_s']:.1f} | "
                     f"{fmt(r.get('beam_stage_seconds'))} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default="/work/corpus", help="folder of repository folders")
    parser.add_argument("--variants", type=int, default=6, help="near-duplicates derived per repository")
    parser.add_argument("--max-repo-mb", type=float, default=0.5, help="cap on each base repository's files")
    parser.add_argument("--max-strength", type=float, default=0.2, help="variant strength drawn from [0, this]")
    parser.add_argument("--fn-weights", type=float, nargs="+", default=[0.5, 0.9, 0.95],
                        help="LSH false-negative weights to try (fp = 1 - fn; the first also runs the Beam stage)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-beam", dest="beam", action="store_false", help="skip the Beam stage cross-check")
    parser.add_argument("--no-datatrove", dest="datatrove", action="store_false", help="skip datatrove")
    parser.add_argument("--json", help="write the full report here")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    report = run(args)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    print(markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
