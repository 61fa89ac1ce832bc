"""The curation pipeline's data flow, written once for every engine (Beam, Spark).

An engine (:mod:`pipeline.engines.beam`, :mod:`pipeline.engines.spark`) supplies a few
operations on distributed collections (``create``, ``flat_map`` with side values,
``group_by_key``, ``co_group``, ``flatten``, ``combine``, ``side``, ``balance``); the flow
below strings the plain functions of :mod:`pipeline.repo_steps` and :mod:`dedup` together
with them. Read top to bottom it is the data flow:

    crawl -> licenses -> file filters -> spill            (per repository: scan)
    near-dedup decisions on signatures                     (global, small records)
    exact-dedup decisions on (sha256, rank, id)            (global, small records)
    decisions joined by repository -> ordering -> quality  (per repository: finish)
    table parts from fragments, tokenizer, shards          (global on small records, then per part / shard)

What crosses a global step (a shuffle or a combine) is listed in the README's scale
section; file contents never do, except a Parquet input's rows, which arrive in any order
and are grouped by repository once.
"""
from __future__ import annotations

import os
from typing import Any, Optional, Sequence

from dedup.exact import losers_of
from dedup.near import (
    NearDedupConfig, band_items, bucket_pairs, component_ids, decide_component, shingle_jaccard, verified_edge,
)
from pipeline.config import Config
from pipeline.repo_steps import (
    WorkFolder, release_memory, encode_repository, finish_repository, part_count, part_of, scan_repository,
    sum_tallies, training_texts, write_shard_from_fragments, write_table_part,
)
from pipeline.sources.plan import RepoTask, SourcePlan
from pipeline.storage import FileSystems

STAGES = ("crawl", "licenses", "file_filters", "near_dedup", "exact_dedup", "ordering", "quality")
TABLES = ("files", "rejects", "edges", "samples", "repo_metrics", "clusters")
COUNTS_PATH = "_stats/counts.json"


# ---------------------------------------------------------------- crawl and scan

def estimated_bytes(task: RepoTask) -> int:
    """A repository's size for load balance, known before reading it: a folder's bytes, an
    archive's compressed bytes times 4, 1 MB for a clone."""
    try:
        if task.kind == "archive":
            return 4 * os.path.getsize(task.location)
        if task.kind == "folder":
            total = 0
            for root, dirs, files in os.walk(task.location):
                dirs[:] = [d for d in dirs if d != ".git"]
                total += sum(os.lstat(os.path.join(root, f)).st_size for f in files)
            return total
    except OSError:
        pass
    return 1 << 20


def lpt_units(weighted: Sequence[tuple[int, str, Any]], units: int) -> list[tuple[int, list]]:
    """Longest processing time first: items (``(weight, key, item)``) in decreasing weight,
    each to the unit with the least weight so far; ``(unit, items)`` per non-empty unit.
    Even units list their items largest first, odd units smallest first, so the largest
    repositories (the most memory) are not all in work at the same moment."""
    loads = [[0, u, []] for u in range(max(1, units))]
    for weight, key, item in sorted(weighted, key=lambda w: (-w[0], w[1])):
        target = min(loads, key=lambda load: (load[0], load[1]))
        target[0] += max(1, weight)
        target[2].append(item)
    return [(u, items[::-1] if u % 2 else items) for _, u, items in loads if items]


def _scan_task(task_dict: dict, config: Config, work: WorkFolder, live) -> dict:
    from pipeline.sources.crawl import crawl_batches

    task = RepoTask(**task_dict)
    batch, rejects = None, []
    for tag, value in crawl_batches(task, config.crawl):
        if tag == "files":
            batch = value
        else:
            rejects = value
    return scan_repository(task.name, batch, rejects, config, work, live)


def _parquet_row_groups(patterns: Sequence[str]) -> list[tuple[str, str, int]]:
    import pyarrow.parquet as pq

    from pipeline.sources.plan import parquet_paths

    units = []
    for pattern in patterns:
        for path in parquet_paths(pattern):
            with FileSystems.open(path) as fh:
                groups = pq.ParquetFile(fh).metadata.num_row_groups
            units += [(pattern, path, g) for g in range(groups)]
    return units


def _read_row_group(unit: tuple[str, str, int], config: Config):
    import pyarrow.parquet as pq

    from pipeline.sources.crawl import stack_row_to_record

    pattern, path, group = unit
    with FileSystems.open(path) as fh:
        rows = pq.ParquetFile(fh).read_row_group(group).to_pylist()
    source = f"parquet:{pattern}"
    return [(record["repo_name"], (tag, record)) for row in rows for tag, record in stack_row_to_record(row, config.crawl, source)]


def _scan_parquet_repo(item, taken: frozenset, config: Config, work: WorkFolder, live):
    from pipeline.batches import repo_batch
    from pipeline.sources.crawl import unused_name

    repo, tagged = item
    name = unused_name(repo, taken)
    files, rejects, aux = [], [], []
    for tag, record in sorted(tagged, key=lambda t: (t[0], t[1].get("path", ""), t[1].get("reason", ""))):
        if name != repo:
            record = {**record, "repo_name": name}
        (files if tag == "files" else rejects if tag == "rejects" else aux).append(record)
    batch = repo_batch(name, files, aux) if files or aux else None
    return [scan_repository(name, batch, sorted(rejects, key=lambda r: (r["path"], r["reason"])), config, work, live)]


# ---------------------------------------------------------------- near-dedup decisions

def _load_shingles(record: dict):
    import numpy as np

    with FileSystems.open(record["shingles_path"]) as fh:
        return np.frombuffer(fh.read(), dtype=np.uint32)


def _verify(kv, config: NearDedupConfig):
    """Candidate pairs of one repository ``b`` with the records of their other members ``a``."""
    _, joined = kv
    if not joined["sig"]:
        return []
    b = joined["sig"][0]
    others = sorted(joined["other"], key=lambda r: r["repo_name"])
    if config.verify != "exact":
        return [e for a in others for e in [verified_edge(a, b, config)] if e is not None]
    mine = _load_shingles(b)
    edges = []
    for a in others:
        j = shingle_jaccard(_load_shingles(a), mine)
        if j >= config.threshold:
            first, second = sorted((a["repo_name"], b["repo_name"]))
            edges.append((first, second, float(j)))
    return edges


def _keyed_by_component(edges: list):
    components = component_ids((a, b) for a, b, _ in edges)
    return [("member", (name, comp)) for name, comp in sorted(components.items())] + \
           [("edge", (components[edge[0]], edge)) for edge in sorted(edges)]


def near_dedup(e, signatures, config: NearDedupConfig):
    """Signature records -> ``(removed, clusters)``: ``(repo_name, clusters row)`` of every
    repository a survivor replaces, and one ``clusters`` row per member of each component.
    Shuffles: LSH buckets (names), candidate pairs (names), pair joins (signature records
    without contents), one gather of the verified edges (names), components (records)."""
    pairs = e.flat_map("NearBands", signatures, band_items, config)
    pairs = e.group_by_key("NearBuckets", pairs)
    pairs = e.flat_map("NearPairs", pairs, lambda kv, m: [(p, None) for p in bucket_pairs(kv[1], m)],
                       config.max_bucket_pairs)
    pairs = e.flat_map("NearDistinct", e.group_by_key("NearDistinctGroup", pairs), lambda kv: [kv[0]])
    by_repo = e.flat_map("NearSigByRepo", signatures, lambda r: [(r["repo_name"], r)])
    with_first = e.co_group("NearJoinFirst", {"sig": by_repo,
                                              "pair": e.flat_map("NearByFirst", pairs, lambda p: [(p[0], p[1])])})
    with_first = e.flat_map("NearFirstSig", with_first,
                            lambda kv: [(b, s) for s in kv[1]["sig"] for b in sorted(kv[1]["pair"])])
    edges = e.flat_map("NearVerify", e.co_group("NearJoinSecond", {"sig": by_repo, "other": with_first}),
                       _verify, config)
    gathered = e.combine("NearGatherEdges", edges, list, lambda acc, x: acc + [x], lambda a, b: a + b)
    keyed = e.flat_map("NearComponents", gathered, _keyed_by_component)
    members = e.flat_map("NearMembers", keyed, lambda t: [t[1]] if t[0] == "member" else [])
    comp_edges = e.flat_map("NearCompEdges", keyed, lambda t: [t[1]] if t[0] == "edge" else [])
    members = e.flat_map("NearByComponent", e.co_group("NearJoinComponent", {"sig": by_repo, "component": members}),
                         lambda kv: [(c, s) for c in kv[1]["component"] for s in kv[1]["sig"]])
    clusters = e.flat_map(
        "NearSurvivors", e.co_group("NearGroupComponents", {"members": members, "edges": comp_edges}),
        lambda kv, c: [decide_component(sorted(kv[1]["members"], key=lambda m: m["repo_name"]),
                                        sorted(kv[1]["edges"]), c)], config)
    removed = e.flat_map("NearRemoved", clusters,
                         lambda rows: [(r["repo_name"], r) for r in rows if r["repo_name"] != r["survivor_repo"]])
    return removed, clusters


# ---------------------------------------------------------------- exact-dedup decisions

def exact_dedup(e, scans, removed):
    """``(repo_name, (loser id, survivor id))`` per file copy among near-dedup's survivors.
    Shuffles: ``(sha256, rank, id)`` per file, keyed by repository then by hash."""
    hashes = e.flat_map("ExactHashes", scans, lambda s: [(s["repo_name"], s["hashes"])] if s["hashes"] else [])
    survivors = e.flat_map(
        "ExactSurvivors", e.co_group("ExactJoinNear", {"hashes": hashes, "removed": removed}),
        lambda kv: [] if kv[1]["removed"] else
        [(sha, (rank, fid, kv[0])) for hs in kv[1]["hashes"] for sha, rank, fid in hs])

    def losers(kv):
        ranked = sorted(kv[1])
        repo_of = {fid: repo for _, fid, repo in ranked}
        return [(repo_of[loser], (loser, survivor)) for loser, survivor in losers_of((r, f) for r, f, _ in ranked)]

    return e.flat_map("ExactLosers", e.group_by_key("ExactByContent", survivors), losers)


# ---------------------------------------------------------------- the whole run

def _train(_, chosen, budget: int, vocab: int, work: WorkFolder, live) -> list[str]:
    from tokenize_shards.tokenizer import train_tokenizer

    texts = training_texts(chosen, budget, work)
    if live is not None:
        live.add("tokenizer", "in", len(texts), sum(len(t) for t in texts))
        live.flush()
    text = train_tokenizer(texts, vocab).to_str()
    release_memory(1 << 30)  # the trainer's ~1 GB, before this worker encodes
    if live is not None:
        live.add("tokenizer", "kept", len(texts), sum(len(t) for t in texts))
        live.flush()
    return [text]


def _keep_prefix(entries: list, budget: int) -> list:
    """The training-sample prefix (smallest keys within ``budget`` bytes, plus the one cut)
    of ``(key, sample_id, bytes, fragment)`` entries: a combine of it is order-free."""
    kept, left = [], budget
    for entry in sorted(entries):
        if left <= 0:
            break
        kept.append(entry)
        left -= entry[2]
    return kept


def _empty_histogram():
    from tokenize_shards.packing import token_histogram

    return token_histogram([], [])


def _add_to_histogram(histogram, key_tokens):
    from tokenize_shards.packing import bucket_of

    histogram[bucket_of(key_tokens[0])] += key_tokens[1]
    return histogram


def _merge_histograms(a, b):
    return a + b


def curate(e, plan: SourcePlan, config: Config, out: str, units: int = 0, live=None) -> list:
    """Add the whole run to engine ``e``; returns the collections that end it (the engine
    runs them). ``units``: work units per parallel step for local engines (LPT-balanced
    groups of repositories, one per worker); 0 keeps one element per repository."""
    from tokenize_shards.packing import boundaries_from_histogram, shard_of
    from tokenize_shards.training_sample import sample_key

    work = WorkFolder.of(out)
    shards_config = config.shards

    # 1. crawl, licenses, file filters, spill: small records out
    weighted = [(estimated_bytes(t) if units else 0, t.name, t.to_dict()) for t in plan.repos]
    if units:
        task_units = e.create("Tasks", [items for _, items in lpt_units(weighted, units)])
        scans = e.flat_map("Scan", task_units, lambda tasks, c, w, lv: [_scan_task(t, c, w, lv) for t in tasks],
                           config, work, live)
    else:
        scans = e.flat_map("Scan", e.create("Tasks", [t for _, _, t in weighted]), lambda t, c, w, lv: [_scan_task(t, c, w, lv)],
                           config, work, live)
    if plan.parquet:
        taken = frozenset(t.name for t in plan.repos)
        rows = e.flat_map("ParquetRows", e.create("ParquetRowGroups", _parquet_row_groups(plan.parquet)),
                          _read_row_group, config)
        parquet_scans = e.flat_map("ScanParquet", e.group_by_key("ParquetByRepository", rows),
                                   _scan_parquet_repo, taken, config, work, live)
        scans = e.flatten("AllScans", [scans, parquet_scans])

    # 2. near-dedup and exact-dedup decisions, on small records
    signatures = e.flat_map("Signatures", scans, lambda s: [s["signature"]] if s["signature"] else [])
    if config.near_dedup.enabled:
        removed, clusters = near_dedup(e, signatures, config.near_dedup)
    else:
        removed, clusters = e.create("NoRemoved", []), e.create("NoClusters", [])
    copies = exact_dedup(e, scans, removed) if config.exact_dedup.enabled else e.create("NoCopies", [])

    # 3. decisions joined by repository; ordering, quality; fragments out
    spilled = e.flat_map("Spilled", scans, lambda s: [(s["repo_name"], {k: s[k] for k in ("repo_name", "spill", "bytes")})]
                         if s["spill"] else [])
    joined = e.co_group("JoinDecisions", {"scan": spilled, "removed": removed, "copies": copies})
    joined = e.flat_map("Decisions", joined, lambda kv: [
        (kv[1]["scan"][0]["bytes"], kv[0], (kv[1]["scan"][0], (kv[1]["removed"] or [None])[0], sorted(kv[1]["copies"])))])

    # a given tokenizer encodes each repository's samples as soon as they are final
    given = shards_config.tokenizer
    if given:
        tokenizer = e.flat_map("LoadTokenizer", e.create("TokenizerPath", [given]), lambda p: [read_tokenizer_json(p)])
        tokenizer_side = e.side(tokenizer)
    else:
        tokenizer_side = None

    def finish(items, c, w, lv, tok):
        return [finish_repository(scan, removed_row, repo_copies, c, w, lv, tok)
                for scan, removed_row, repo_copies in items]

    finished = e.flat_map("Finish", e.balance("BalanceFinish", joined, units), finish, config, work, live,
                          tokenizer_side)

    # 4. tables: part counts from small records, each part from its fragments
    fragments = e.flatten("AllFragments", [
        e.flat_map("ScanFragments", scans, lambda s: s["fragments"]),
        e.flat_map("FinishFragments", finished, lambda f: f["fragments"])])
    sizes = e.flatten("TableSizes", [
        e.flat_map("FragmentBytes", fragments, lambda f: [] if f["table"] in ("files", "samples") else [(f["table"], f["bytes"])]),
        e.flat_map("SizedBytes", finished, lambda f: f["sized"]),
        e.flat_map("ClusterBytes", clusters, lambda rows: [("clusters", sum(map(_row_bytes, rows)))]),
    ])
    totals = e.side(e.combine("TableBytes", sizes, dict, _add_size, _merge_sizes))
    target, compression = config.output.target_part_bytes, config.output.compression

    def counts_of(totals_):
        return {t: part_count(totals_.get(t, 0), target) for t in TABLES}

    parts = e.flat_map("AllParts", e.create("Tables", list(TABLES)),
                       lambda t, tot: [((t, i), ("part", None)) for i in range(counts_of(tot)[t])], totals)
    keyed_fragments = e.flat_map("FragmentParts", fragments, lambda f, tot: [
        ((f["table"], part_of(f["part_key"], counts_of(tot)[f["table"]])), ("fragment", (f["part_key"], f["path"])))], totals)
    keyed_clusters = e.flat_map("ClusterParts", clusters, lambda rows, tot: [
        (("clusters", part_of(rows[0]["component_id"], counts_of(tot)["clusters"])), ("rows", rows))], totals)

    def write_part(kv, tot):
        (table, index), entries = kv
        fragments_ = sorted(p for kind, p in entries if kind == "fragment")
        rows = [r for kind, rs in entries if kind == "rows" for r in rs]
        return [write_table_part(out, table, index, counts_of(tot)[table], fragments_, work, compression, rows)]

    written_parts = e.flat_map("WriteParts", e.group_by_key(
        "GroupParts", e.flatten("PartEntries", [parts, keyed_fragments, keyed_clusters])), write_part, totals)

    # 5. tokenizer (unless given): trained on the samples of smallest key within the budget;
    # then each repository's samples encoded
    if given:
        documents = e.flat_map("Documents", finished, lambda f: f["documents"])
    else:
        budget = shards_config.train_sample_bytes
        refs = e.flat_map("SampleRefs", finished, lambda f: [(sample_key(sid), sid, n, path) for sid, n, path in f["samples"]])
        chosen = e.side(e.combine("TrainingSample", refs, list, lambda acc, x: _keep_prefix(acc + [x], budget) if len(acc) > 4096 else acc + [x],
                                  lambda a, b: _keep_prefix(a + b, budget), lambda acc: _keep_prefix(acc, budget)))
        tokenizer = e.flat_map("TrainTokenizer", e.create("Train", [None]), _train, chosen, budget,
                               shards_config.vocab_size, work, live)
        tokenizer_side = e.side(tokenizer)
        sample_fragments = e.flat_map("SampleFragments", finished, lambda f: [
            (sum(n for _, n, _ in f["samples"]), f["repo_name"], (f["samples"][0][2], f["repo_name"]))] if f["samples"] else [])
        documents = e.flat_map(
            "Encode", e.balance("BalanceEncode", sample_fragments, units),
            lambda items, tok, sc, w, lv: [d for path, repo in items for d in encode_repository(path, repo, tok, sc, w, lv)],
            tokenizer_side, shards_config, work, live)
    dtype = e.side(e.flat_map("Dtype", tokenizer, lambda t: [dtype_name_of(t)]))

    # 6. each shard from its documents' token fragments
    cuts = e.side(e.combine("ShardBoundaries", e.flat_map("KeyAndLength", documents, lambda d: [(d["key"], d["n_tokens"])]),
                            _empty_histogram, _add_to_histogram, _merge_histograms,
                            lambda h: boundaries_from_histogram(h, shards_config.target_shard_tokens)))
    folder = FileSystems.join(out, "shards")
    summaries = e.flat_map(
        "WriteShards", e.group_by_key("GroupShards", e.flat_map("AssignShard", documents, lambda d, c: [(shard_of(d["key"], c), d)], cuts)),
        lambda kv, c, dt: [write_shard_from_fragments(folder, kv[0], len(c) + 1, kv[1], dt)], cuts, dtype)
    manifest = e.flat_map("WriteManifest", e.combine("AllSummaries", summaries, list, lambda acc, x: acc + [x], lambda a, b: a + b),
                          lambda all_summaries, tok, dt: [write_manifest_files(folder, all_summaries, tok, dt, shards_config)],
                          tokenizer_side, dtype)

    # 7. the ledger's counts
    tallies = e.flatten("AllTallies", [e.flat_map("ScanTallies", scans, lambda s: s["tallies"]),
                                       e.flat_map("FinishTallies", finished, lambda f: f["tallies"])])
    counts = e.flat_map("WriteCounts", e.combine("SumTallies", tallies, list, lambda acc, x: sum_tallies(acc + [x]) if len(acc) > 256 else acc + [x],
                                                  lambda a, b: sum_tallies(a + b), sum_tallies),
                        lambda rows: [_write_counts(out, rows)])
    return [written_parts, manifest, counts]


def _row_bytes(row) -> int:
    from pipeline.repo_steps import row_bytes

    return row_bytes(row)


def _add_size(acc: dict, item) -> dict:
    table, n = item
    acc[table] = acc.get(table, 0) + n
    return acc


def _merge_sizes(a: dict, b: dict) -> dict:
    merged = dict(a)
    for table, n in b.items():
        merged[table] = merged.get(table, 0) + n
    return merged


def _write_counts(out: str, rows) -> str:
    import json

    from pipeline.tables import write_atomic

    data = sorted([list(key), list(value)] for key, value in rows)
    return write_atomic(FileSystems.join(out, COUNTS_PATH), json.dumps(data).encode("utf-8"))


def read_tokenizer_json(path: str) -> str:
    from tokenize_shards.shard_writer import read_tokenizer

    return read_tokenizer(path)


def dtype_name_of(tokenizer_json: str) -> str:
    from tokenize_shards.tokenizer import encoding_tokenizer, token_dtype, vocab_size

    return token_dtype(vocab_size(encoding_tokenizer(tokenizer_json))).name


def write_manifest_files(folder: str, summaries: list, tokenizer_json: str, dtype_name: str, config) -> str:
    import numpy as np

    from tokenize_shards.manifest_writer import build_manifest, write_shard_set_files

    manifest = build_manifest(summaries, tokenizer_json, np.dtype(dtype_name), config)
    write_shard_set_files(folder, tokenizer_json, manifest)
    return folder
