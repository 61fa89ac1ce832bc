"""The per-repository work of a run as plain functions, shared by every engine.

A run reads each repository twice (the way datatrove's MinHash dedup re-reads its input),
so that only small records cross a global step:

1. :func:`scan_repository`: crawl (or a Parquet repository's rows), licenses, file filters;
   the filtered repository is spilled to the run's work folder (:class:`WorkFolder`) and
   what leaves the step is small: the near-dedup signature, one ``(sha256, rank, id)`` per
   file for exact dedup, the ledger's tallies, the sizes of the rows it wrote.
2. global decisions on those small records (near-dedup survivors, exact-dedup copies);
3. :func:`finish_repository`: the spill is read back, the decisions for this repository
   are applied (joined by key), then ordering and quality; every table's rows are written
   as a per-repository fragment, and again only small records leave;
4. the table parts are assembled from the fragments (:func:`write_table_part`), the
   samples are encoded per repository (:func:`encode_repository`) and the shards assembled
   from the token fragments (:func:`write_shard_from_fragments`).

Memory: one repository at a time per worker (plus one table part or shard while it is
written); nothing here grows with the corpus. Every function is deterministic: the same
repository and decisions give the same fragments, whichever engine or worker runs it.
"""
from __future__ import annotations

import functools
import hashlib
import pickle
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional, Sequence

import numpy as np

from contract.records import reject_record
from dedup.exact import STAGE as EXACT_STAGE
from dedup.exact import drop_copies, file_id, file_rank
from dedup.near import STAGE as NEAR_STAGE
from dedup.near import NearDedupConfig, repo_signature_record
from filters.base import first_rejection
from filters.licenses import STAGE as LICENSES_STAGE
from filters.licenses import apply_licenses
from filters.quality_stage import STAGE as QUALITY_STAGE
from filters.quality_stage import apply_quality
from parsers.aux_files import is_aux_file
from parsers.repo_samples import STAGE as ORDERING_STAGE
from parsers.repo_samples import order_repository
from pipeline.config import Config
from pipeline.ledger import file_units, language_units, license_units
from pipeline.storage import FileSystems
from pipeline.tables import row_bytes

FILE_FILTERS_STAGE = "file_filters"
WORK = "_work"


# ---------------------------------------------------------------- tallies (the ledger's counts)

class Tallies:
    """The ledger's ``((stage, kind, reason), (files, bytes))`` counts of one repository, also
    told to the run's live counters (``live``: a :class:`pipeline.progress.LiveCounts` or None)."""

    def __init__(self, repo: str, live: Any = None):
        self.repo, self.live = repo, live
        self.counts: dict[tuple[str, str, str], list[int]] = {}

    def _add(self, key: tuple[str, str, str], files: int, nbytes: int) -> None:
        row = self.counts.setdefault(key, [0, 0])
        row[0] += files
        row[1] += nbytes

    def stage(self, stage: str, kind: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """``in`` or ``kept`` of a stage: one count even when ``rows`` is empty (a batch)."""
        files = nbytes = 0
        for row in rows:
            f, b = file_units(row)
            files += f
            nbytes += b
        self._add((stage, kind, ""), files, nbytes)
        if self.live is not None:
            self.live.add(stage, kind, files, nbytes, self.repo, rows=len(rows))

    def rejected(self, stage: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        files = nbytes = 0
        for row in rows:
            f, b = file_units(row)
            self._add((stage, "rejected", row["reason"]), f, b)
            files += f
            nbytes += b
        if self.live is not None:
            self.live.add(stage, "rejected", files, nbytes, self.repo, rows=len(rows))

    def breakdown(self, group: str, point: str, rows: Iterable[Mapping[str, Any]]) -> None:
        """Files and bytes per language or license (:func:`pipeline.ledger.language_units`,
        :func:`pipeline.ledger.license_units`), as the breakdown ``<group>/<point>``."""
        units = language_units if group == "languages" else license_units
        for row in rows:
            for key, (files, nbytes) in units(row):
                self._add((f"_{group}", point, key), files, nbytes)

    def extra(self, key: tuple[str, str, str], files: int, nbytes: int) -> None:
        self._add(key, files, nbytes)

    def items(self) -> list[tuple[tuple[str, str, str], tuple[int, int]]]:
        if self.live is not None:
            self.live.flush()
        return [(key, (v[0], v[1])) for key, v in sorted(self.counts.items())]


def sum_tallies(items: Iterable[tuple[tuple, tuple[int, int]]]) -> list[tuple[tuple, tuple[int, int]]]:
    totals: dict[tuple, list[int]] = {}
    for key, (files, nbytes) in items:
        row = totals.setdefault(tuple(key), [0, 0])
        row[0] += files
        row[1] += nbytes
    return [(key, (v[0], v[1])) for key, v in sorted(totals.items())]


# ---------------------------------------------------------------- the work folder

def repo_key(repo_name: str) -> str:
    return hashlib.blake2b(repo_name.encode("utf-8"), digest_size=10).hexdigest()


@dataclass(frozen=True)
class WorkFolder:
    """``OUT/_work``: spills and fragments of this run (removed when the run ends; a killed
    run's are removed by the next ``--overwrite`` run, see :mod:`pipeline.outdir`)."""

    root: str

    @classmethod
    def of(cls, out: str) -> "WorkFolder":
        return cls(FileSystems.join(out, WORK))

    def path(self, kind: str, repo_name: str, suffix: str) -> str:
        return FileSystems.join(self.root, f"{kind}-{repo_key(repo_name)}.{suffix}")

    def dump(self, path: str, obj: Any) -> int:
        import zstandard

        data = zstandard.ZstdCompressor(level=1).compress(pickle.dumps(obj, protocol=5))
        with FileSystems.create(path) as fh:
            fh.write(data)
        return len(data)

    def load(self, path: str) -> Any:
        import zstandard

        with FileSystems.open(path) as fh:
            data = fh.read()
        return pickle.loads(zstandard.ZstdDecompressor().decompress(data))


def write_fragment(work: WorkFolder, table: str, repo_name: str, origin: str,
                   rows: list[dict[str, Any]]) -> Optional[dict[str, Any]]:
    """One repository's rows of one table as a fragment; the small record that locates it."""
    if not rows:
        return None
    path = work.path(f"{table}-{origin}", repo_name, "frag")
    work.dump(path, rows)
    return {"table": table, "part_key": rows[0]["repo_name"], "path": path,
            "bytes": sum(map(row_bytes, rows)), "rows": len(rows)}


# ---------------------------------------------------------------- per-process caches

def release_memory(nbytes: int) -> None:
    """After a repository of ``nbytes``: hand the freed heap back to the system (glibc's
    ``malloc_trim``), so a worker's resident memory follows the repository it holds, not the
    largest it has held (measured: an idle worker kept ~1 GB after a 46 MB repository while
    another trained the tokenizer). Skipped for small repositories (it costs a few ms)."""
    if nbytes < (4 << 20):
        return
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


@functools.lru_cache(maxsize=4)
def _file_filters(config):
    from filters.file_filters import default_file_filters

    return default_file_filters(config)


@functools.lru_cache(maxsize=4)
def _quality(config):
    from filters.decontaminate import Decontaminator
    from filters.pii import Redactor
    from filters.quality import default_quality_filters

    rules = default_quality_filters(config.rules)
    if config.decontamination.enabled:
        rules.append(Decontaminator.from_sources(config.decontamination.benchmarks, config.decontamination.extra_jsonl))
    return rules, (Redactor(config.pii) if config.redact_pii else None)


def error_rejects(repo_name: str, files: Iterable[tuple[str, int]], stage: str, exc: Exception) -> list[dict[str, Any]]:
    """A rule or parser that raises must not fail the run: its files become rejects
    (``<stage>:error``, detail: the exception) so the ledger still balances."""
    detail = f"{type(exc).__name__}: {exc}"
    return [reject_record(repo_name, path, stage, f"{stage}:error", detail, size) for path, size in files]


# ---------------------------------------------------------------- step 1: scan

def licenses_step(files: list[dict[str, Any]], aux: list[dict[str, Any]], repo_name: str, config: Config):
    try:
        kept, rejects = apply_licenses(files, aux, config.licenses)
    except Exception as exc:
        kept, rejects = [], error_rejects(repo_name, [(r["path"], r["size"]) for r in files], LICENSES_STAGE, exc)
    return kept, [a for a in aux if is_aux_file(a["path"])], rejects


def file_filters_step(files: list[dict[str, Any]], config: Config):
    rules = _file_filters(config.file_filters)
    kept, rejects = [], []
    for record in files:
        try:
            verdict = first_rejection(record, rules)
        except Exception as exc:
            rejects += error_rejects(record["repo_name"], [(record["path"], record["size"])], FILE_FILTERS_STAGE, exc)
            continue
        if verdict is None:
            kept.append(record)
        else:
            rejects.append(reject_record(record["repo_name"], record["path"], FILE_FILTERS_STAGE,
                                         verdict.reason, verdict.detail, record["size"]))
    return kept, rejects


def scan_repository(repo_name: str, batch: Optional[dict[str, Any]], crawl_rejects: list[dict[str, Any]],
                    config: Config, work: WorkFolder, live: Any = None) -> dict[str, Any]:
    """Licenses and file filters of one crawled repository (``batch``: its repository batch,
    or None when the crawl kept nothing; ``crawl_rejects``: the crawl's rejects); spills the
    filtered repository. Returns the small record the global steps read:
    ``repo_name``, ``spill`` (path or None), ``bytes`` (filtered bytes), ``signature`` (the
    near-dedup record without contents, or None), ``hashes`` (``(sha256, rank, file id)``
    per filtered file), ``fragments`` (the rejects written), ``tallies``."""
    tallies = Tallies(repo_name, live)
    files = batch["files"] if batch else []
    aux = batch["aux"] if batch else []
    # crawl
    tallies.stage("crawl", "in", files)
    tallies.stage("crawl", "in", crawl_rejects)
    tallies.stage("crawl", "kept", files)
    tallies.rejected("crawl", crawl_rejects)
    tallies.breakdown("languages", "crawled", files)
    rejects = list(crawl_rejects)
    spill = signature = None
    hashes: list = []
    size = 0
    if batch is not None:
        tallies.stage("licenses", "in", files)
        licensed, aux, license_rejects = licenses_step(files, aux, repo_name, config)
        tallies.rejected("licenses", license_rejects)
        rejects += license_rejects
        if licensed or aux:
            tallies.stage("licenses", "kept", licensed)
            tallies.breakdown("licenses", "detected", licensed)
            tallies.stage("file_filters", "in", licensed)
            filtered, filter_rejects = file_filters_step(licensed, config)
            tallies.stage("file_filters", "kept", filtered)
            tallies.rejected("file_filters", filter_rejects)
            rejects += filter_rejects
            tallies.stage("near_dedup", "in", filtered)
            if filtered:
                size = sum(int(r["size"]) for r in filtered)
                near = config.near_dedup
                if near.enabled:
                    signature = repo_signature_record(repo_name, filtered, near)
                    shingles = signature.pop("shingles", None)
                    if shingles is not None:
                        path = work.path("shingles", repo_name, "u32")
                        with FileSystems.create(path) as fh:
                            fh.write(shingles)
                        signature["shingles_path"] = path
                n = len(filtered)
                hashes = [(r["sha256"], file_rank(r, n), file_id(r)) for r in filtered]
            spill = work.path("spill", repo_name, "pkl.zst")
            work.dump(spill, {"repo_name": repo_name, "files": filtered, "aux": aux})
    fragment = write_fragment(work, "rejects", repo_name, "scan", sorted(rejects, key=_reject_sort))
    release_memory(sum(int(r["size"]) for r in files))
    return {"repo_name": repo_name, "spill": spill, "bytes": size, "signature": signature, "hashes": hashes,
            "fragments": [fragment] if fragment else [], "sized": [], "tallies": tallies.items()}


def _reject_sort(r):
    return (r["repo_name"], r["path"], r["stage"], r["reason"], r["detail"])


# ---------------------------------------------------------------- step 3: finish

def ordering_step(repo_name: str, files: list[dict[str, Any]], aux: list[dict[str, Any]], config: Config):
    if not files:
        return [], [], None, []
    try:
        result = order_repository(repo_name, files, {a["path"]: a["text"] for a in aux}, config.ordering)
    except Exception as exc:
        return [], [], None, error_rejects(repo_name, [(r["path"], r["size"]) for r in files], ORDERING_STAGE, exc)
    return result.samples, result.edges, result.metrics, result.rejects


def quality_step(samples: list[dict[str, Any]], config: Config):
    rules, redactor = _quality(config.quality)
    kept_samples, all_rejects, totals = [], [], {}
    for sample in samples:
        try:
            kept, rejects, counts = apply_quality(sample, rules, redactor, config.quality.min_sample_bytes)
        except Exception as exc:
            all_rejects += error_rejects(sample["repo_name"], list(zip(sample["paths"], sample["file_sizes"])),
                                         QUALITY_STAGE, exc)
            continue
        if kept is not None:
            kept_samples.append(kept)
        all_rejects += rejects
        for kind, n in counts.items():
            totals[kind] = totals.get(kind, 0) + n
    return kept_samples, all_rejects, totals


def finish_repository(scan: Mapping[str, Any], removed: Optional[Mapping[str, Any]],
                      copies: Sequence[tuple[str, str]], config: Config, work: WorkFolder,
                      live: Any = None, tokenizer_json: Optional[str] = None) -> dict[str, Any]:
    """The rest of one repository's work, given its scan record, its near-dedup decision
    (``removed``: its ``clusters`` row when a survivor replaces it) and its exact-dedup
    copies (``(loser file id, survivor file id)``). Writes the repository's fragments;
    returns ``repo_name``, ``fragments``, ``sized`` (``(table, bytes)`` that size the
    ``files`` and ``samples`` tables, see :func:`part_count`), ``samples`` (what the
    tokenizer sample and the encoder need of each final sample), ``tallies``; given the
    run's tokenizer (``tokenizer_json``, when it is not trained on this run's samples), also
    ``documents``: the samples encoded (:func:`encode_samples_to_fragment`)."""
    repo_name = scan["repo_name"]
    tallies = Tallies(repo_name, live)
    batch = work.load(scan["spill"])
    files, aux = batch["files"], batch["aux"]
    fragments, sized, sample_refs = [], [], []

    def fragment(table: str, rows: list, origin: str = "finish") -> None:
        written = write_fragment(work, table, repo_name, origin, rows)
        if written:
            fragments.append(written)

    if removed is not None:
        detail = (f"cluster={removed['cluster_id']} survivor={removed['survivor_repo']} "
                  f"jaccard={removed['jaccard']:.3f} estimate={removed['jaccard_estimate']:.3f}")
        rejects = [reject_record(repo_name, r["path"], NEAR_STAGE, "near_duplicate", detail, r["size"]) for r in files]
        tallies.rejected("near_dedup", rejects)
        fragment("rejects", rejects)
        return {"repo_name": repo_name, "fragments": fragments, "sized": sized, "samples": [],
                "documents": [], "tallies": tallies.items()}
    tallies.stage("near_dedup", "kept", files)
    sized.append(("files", sum(map(row_bytes, files))))
    tallies.stage("exact_dedup", "in", files)
    if config.exact_dedup.enabled:
        curated, dedup_rejects = drop_copies(files, dict(copies), config.exact_dedup.max_repo_share)
    else:
        curated, dedup_rejects = files, []
    tallies.stage("exact_dedup", "kept", curated)
    tallies.rejected("exact_dedup", dedup_rejects)
    fragment("files", curated)

    tallies.stage("ordering", "in", curated)
    ordered, edges, metrics, order_rejects = ordering_step(repo_name, curated, aux, config)
    if curated:
        tallies.stage("ordering", "kept", ordered)
    tallies.rejected("ordering", order_rejects)
    sized.append(("samples", sum(map(row_bytes, ordered))))
    samples = ordered
    quality_rejects: list = []
    if config.quality.enabled:
        tallies.stage("quality", "in", ordered)
        samples, quality_rejects, redactions = quality_step(ordered, config)
        tallies.stage("quality", "kept", samples)
        tallies.rejected("quality", quality_rejects)
        for kind, n in sorted(redactions.items()):
            tallies.extra(("_redactions", "kind", kind), n, 0)
    else:
        tallies.stage("quality", "in", ordered)
        tallies.stage("quality", "kept", ordered)
    tallies.breakdown("languages", "final", samples)
    tallies.breakdown("licenses", "final", samples)
    if samples:
        tallies.extra(("_samples", "final", ""), len(samples), sum(s["n_bytes"] for s in samples))
    fragment("rejects", sorted(dedup_rejects + order_rejects + quality_rejects, key=_reject_sort))
    fragment("edges", edges)
    fragment("repo_metrics", [metrics] if metrics else [])
    fragment("samples", samples)
    documents: list = []
    release_memory(scan["bytes"])
    if samples:
        path = fragments[-1]["path"]
        sample_refs = [(s["sample_id"], len(s["text"].encode("utf-8")), path) for s in samples]
        if tokenizer_json is not None:
            documents = encode_samples_to_fragment(samples, repo_name, tokenizer_json, config.shards, work, live)
    return {"repo_name": repo_name, "fragments": fragments, "sized": sized, "samples": sample_refs,
            "documents": documents, "tallies": tallies.items()}


# ---------------------------------------------------------------- step 4: table parts

def part_count(total_bytes: int, target_part_bytes: int) -> int:
    import math

    return max(1, math.ceil(total_bytes / max(1, int(target_part_bytes))))


def part_of(part_key: str, n: int) -> int:
    from pipeline.tables import stable_hash

    return stable_hash((part_key,)) % n


ROW_GROUP_BYTES = 64 << 20  # a part's row groups hold about this many bytes of rows


def write_table_part(out: str, table: str, index: int, count: int, fragments: Sequence[tuple[str, str]],
                     work: WorkFolder, compression: str, rows: Sequence[dict[str, Any]] = ()) -> str:
    """Part ``index`` of ``count`` of ``table`` from its fragments (``(part key, path)``:
    each fragment holds one repository's rows) and any ``rows`` given directly, in the
    table's sort order, written atomically (see :mod:`pipeline.tables`).

    Memory: one repository's rows and one row group (``ROW_GROUP_BYTES``), not the part: every
    per-repository table sorts by repository first, so the repositories' rows are written one
    repository after the other (a repository's fragments merged), in row groups cut at the
    same rows whichever engine or worker wrote the fragments."""
    import heapq

    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.tables import SCHEMAS, SORT_KEYS, part_name, replace_with

    schema, key = SCHEMAS[table], SORT_KEYS[table]
    by_repo: dict[str, list[str]] = {}
    for part_key, path in fragments:
        by_repo.setdefault(part_key, []).append(path)

    def ordered_rows():
        if rows:
            yield from sorted(rows, key=key)
        for repo in sorted(by_repo):
            lists = [sorted(work.load(path), key=key) for path in sorted(by_repo[repo])]
            yield from (lists[0] if len(lists) == 1 else heapq.merge(*lists, key=key))

    folder = FileSystems.join(out, table)
    name = part_name(index, count)
    path, tmp = FileSystems.join(folder, name), FileSystems.join(folder, f".tmp-{name}")
    with FileSystems.create(tmp) as sink:
        writer = pq.ParquetWriter(sink, schema, compression=compression)
        buffer, held, groups = [], 0, 0
        for row in ordered_rows():
            buffer.append(row)
            held += row_bytes(row)
            if held >= ROW_GROUP_BYTES:
                writer.write_table(pa.Table.from_pylist(buffer, schema=schema))
                buffer, held, groups = [], 0, groups + 1
        if buffer or not groups:  # an empty part still gets its one (empty) row group
            writer.write_table(pa.Table.from_pylist(buffer, schema=schema))
        writer.close()
    replace_with(tmp, path)
    return path


# ---------------------------------------------------------------- tokenizer and shards

@functools.lru_cache(maxsize=2)
def _encoder(tokenizer_json: str, shards_config):
    from tokenize_shards.shard_writer import encode_settings
    from tokenize_shards.tokenizer import encoding_tokenizer, special_ids

    tokenizer = encoding_tokenizer(tokenizer_json)
    return tokenizer, special_ids(tokenizer), encode_settings(shards_config, tokenizer_json)


def training_texts(chosen: Sequence[tuple[int, str, int, str]], budget: int, work: WorkFolder) -> list[str]:
    """The texts of the chosen samples (``(key, sample_id, bytes, fragment)``), in the
    training sample's order and cut to the budget (:func:`within_budget`)."""
    from tokenize_shards.training_sample import TrainingEntry, within_budget

    by_path: dict[str, set[str]] = {}
    for _, sample_id, _, path in chosen:
        by_path.setdefault(path, set()).add(sample_id)
    keys = {sample_id: key for key, sample_id, _, _ in chosen}
    entries = []
    for path in sorted(by_path):
        for sample in work.load(path):
            if sample["sample_id"] in by_path[path]:
                entries.append(TrainingEntry(keys[sample["sample_id"]], sample["sample_id"], sample["text"]))
    return [e.text for e in within_budget(entries, budget)]


def encode_repository(samples_fragment: str, repo_name: str, tokenizer_json: str, shards_config,
                      work: WorkFolder, live: Any = None) -> list[dict[str, Any]]:
    """Encode one repository's final samples, read back from their fragment (see
    :func:`encode_samples_to_fragment`)."""
    return encode_samples_to_fragment(work.load(samples_fragment), repo_name, tokenizer_json, shards_config, work, live)


def encode_samples_to_fragment(samples: Sequence[Mapping[str, Any]], repo_name: str, tokenizer_json: str,
                               shards_config, work: WorkFolder, live: Any = None) -> list[dict[str, Any]]:
    """Encode one repository's final samples (FIM, tokenizer) into a token fragment; returns
    one small record per document: ``key``, ``sample_id``, ``n_tokens``, ``mode``,
    ``languages``, ``path``, ``offset`` (bytes into the fragment)."""
    from tokenize_shards.encode import encode_samples

    tokenizer, specials, settings = _encoder(tokenizer_json, shards_config)
    path = work.path("tokens", repo_name, "bin")
    records, offset = [], 0
    batch = max(1, shards_config.batch_documents)
    with FileSystems.create(path) as fh:
        for start in range(0, len(samples), batch):
            chunk = samples[start:start + batch]
            documents = encode_samples(tokenizer, specials, chunk, settings)
            tokens = 0
            for document in documents:
                data = np.ascontiguousarray(document.tokens).tobytes()
                fh.write(data)
                records.append({"key": document.key, "sample_id": document.sample_id,
                                "n_tokens": len(document.tokens), "mode": document.mode,
                                "languages": document.languages, "path": path, "offset": offset})
                offset += len(data)
                tokens += len(document.tokens)
            if live is not None:
                live.add("shards", "kept", len(chunk), tokens)
    if live is not None:
        live.flush()
    release_memory(offset)
    return records


def write_shard_from_fragments(folder: str, index: int, count: int, records: Sequence[Mapping[str, Any]],
                               dtype_name: str) -> dict[str, Any]:
    """Shard ``index`` of ``count`` from its documents' token fragments (see
    :func:`encode_repository`), documents in shuffle order (``(key, sample_id)``), streamed
    from the fragments into the ``.bin`` file: memory is the documents' small records, not
    their tokens. The same files and summary as :func:`tokenize_shards.shard_writer.write_shard`."""
    from collections import OrderedDict

    from tokenize_shards.atomic_files import write_atomically
    from tokenize_shards.fim import PLAIN, PSM, SPM
    from tokenize_shards.indexed_dataset import index_bytes
    from tokenize_shards.packing import shard_prefix

    dtype = np.dtype(dtype_name).newbyteorder("<")
    ordered = sorted(records, key=lambda r: (r["key"], r["sample_id"]))
    handles: OrderedDict = OrderedDict()

    def tokens():
        try:
            for record in ordered:
                fh = handles.pop(record["path"], None) or FileSystems.open(record["path"])
                handles[record["path"]] = fh
                while len(handles) > 64:
                    handles.popitem(last=False)[1].close()
                fh.seek(record["offset"])
                data = fh.read(record["n_tokens"] * dtype.itemsize)
                yield np.frombuffer(data, dtype=dtype)
        finally:
            for fh in handles.values():
                fh.close()

    prefix = shard_prefix(index, count)
    bin_file = write_atomically(folder, f"{prefix}.bin", tokens())
    idx_file = write_atomically(folder, f"{prefix}.idx", [index_bytes([r["n_tokens"] for r in ordered], dtype)])
    languages: dict[str, int] = {}
    modes = {PLAIN: 0, PSM: 0, SPM: 0}
    for record in ordered:
        modes[record["mode"]] += 1
        for language, n in record["languages"].items():
            languages[language] = languages.get(language, 0) + n
    return {"index": index, "prefix": prefix, "documents": len(ordered),
            "tokens": sum(r["n_tokens"] for r in ordered),
            "bin_sha256": bin_file.sha256, "bin_bytes": bin_file.n_bytes,
            "idx_sha256": idx_file.sha256, "idx_bytes": idx_file.n_bytes,
            "languages": dict(sorted(languages.items())), "fim": modes}
