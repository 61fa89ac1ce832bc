"""Output tables: their Arrow schemas and a deterministic, atomic Parquet writer.

Every table is written as ``OUT/<table>/part-NNNNN-of-MMMMM.parquet``: each repository's rows
(near-dedup component's, for ``clusters``) go to the part given by a stable hash of it,
each part is sorted by the table's sort key, and the number of parts follows from the
table's total bytes (``target_part_bytes``), so the same input gives byte-identical files
whatever the engine, runner, worker count or bundle order. A repository's rows are in one
part. Each part is written to a temporary name and renamed into place. The parts are
assembled from per-repository fragments (:func:`pipeline.repo_steps.write_table_part`).
"""
from __future__ import annotations

import hashlib
import math
import os
from typing import Any, Callable, Sequence

import pyarrow as pa
import pyarrow.parquet as pq
from pipeline.storage import FileSystems


SCHEMAS: dict[str, pa.Schema] = {
    "files": pa.schema([
        ("repo_name", pa.string()), ("path", pa.string()), ("language", pa.string()),
        ("content", pa.large_string()), ("size", pa.int64()), ("sha256", pa.string()),
        ("license", pa.string()), ("stars", pa.int64()), ("source", pa.string()),
        ("repo_meta", pa.string()), ("license_detected", pa.string()),
        ("license_files", pa.list_(pa.string())),
    ]),
    "rejects": pa.schema([
        ("repo_name", pa.string()), ("path", pa.string()), ("stage", pa.string()),
        ("reason", pa.string()), ("detail", pa.string()), ("size", pa.int64()),
    ]),
    "edges": pa.schema([
        ("repo_name", pa.string()), ("importer", pa.string()), ("imported", pa.string()),
        ("language", pa.string()), ("import_text", pa.string()),
    ]),
    "samples": pa.schema([
        ("sample_id", pa.string()), ("repo_name", pa.string()), ("paths", pa.list_(pa.string())),
        ("languages", pa.list_(pa.string())), ("text", pa.large_string()), ("n_files", pa.int64()),
        ("n_bytes", pa.int64()), ("part", pa.int64()), ("n_parts", pa.int64()),
        ("ordering", pa.string()), ("order_satisfied", pa.float64()), ("offsets", pa.list_(pa.int64())),
        ("license", pa.string()), ("stars", pa.int64()), ("file_sizes", pa.list_(pa.int64())),
        ("file_sha256", pa.list_(pa.string())), ("parse_errors", pa.list_(pa.int64())),
        ("parse_missing", pa.list_(pa.int64())), ("parse_error_bytes", pa.list_(pa.int64())),
        ("functions", pa.list_(pa.int64())), ("max_function_lines", pa.list_(pa.int64())),
        ("mean_function_lines", pa.list_(pa.float64())), ("max_depth", pa.list_(pa.int64())),
        ("identifiers", pa.list_(pa.int64())), ("one_letter_identifiers", pa.list_(pa.int64())),
        ("comment_bytes", pa.list_(pa.int64())), ("code_lines", pa.list_(pa.int64())),
        ("redactions", pa.string()), ("license_detected", pa.string()),
        ("license_files", pa.list_(pa.string())),
    ]),
    "repo_metrics": pa.schema([
        ("repo_name", pa.string()), ("files", pa.int64()), ("parsed_files", pa.int64()),
        ("imports_found", pa.int64()), ("imports_resolved", pa.int64()),
        ("imports_external", pa.int64()), ("imports_unresolved", pa.int64()),
        ("edges", pa.int64()), ("cycles", pa.int64()), ("files_in_cycles", pa.int64()),
        ("components", pa.int64()), ("order_violations", pa.int64()), ("samples", pa.int64()),
        ("split_components", pa.int64()),
    ]),
    "clusters": pa.schema([
        ("cluster_id", pa.string()), ("repo_name", pa.string()), ("survivor_repo", pa.string()),
        ("jaccard_estimate", pa.float64()), ("jaccard", pa.float64()),
        ("component_id", pa.string()), ("component_size", pa.int64()),
    ]),
}

SORT_KEYS: dict[str, Callable[[dict[str, Any]], tuple]] = {
    "files": lambda r: (r["repo_name"], r["path"]),
    "rejects": lambda r: (r["repo_name"], r["path"], r["stage"], r["reason"], r["detail"]),
    "edges": lambda r: (r["repo_name"], r["importer"], r["imported"]),
    "samples": lambda r: (r["repo_name"], r["paths"][0] if r["paths"] else "", r["part"], r["sample_id"]),
    "repo_metrics": lambda r: (r["repo_name"],),
    "clusters": lambda r: (r["component_id"], r["cluster_id"], r["repo_name"]),
}


PART_KEYS: dict[str, Callable[[dict[str, Any]], str]] = {
    name: (lambda r: r["component_id"]) if name == "clusters" else (lambda r: r["repo_name"]) for name in SORT_KEYS
}


def stable_hash(key: tuple) -> int:
    """A hash that is the same in every process (unlike ``hash``)."""
    return int.from_bytes(hashlib.blake2b(repr(key).encode("utf-8"), digest_size=8).digest(), "little")


def row_bytes(row: dict[str, Any]) -> int:
    return sum(len(v) if isinstance(v, (str, bytes, list)) else 8 for v in row.values())


def part_name(index: int, count: int) -> str:
    return f"part-{index:05d}-of-{count:05d}.parquet"


def write_atomic(path: str, data: bytes) -> str:
    """Write ``data`` to ``path`` through a temporary name and a rename, so a reader never
    sees a partial file (a killed run leaves only ``.tmp-`` files, which the next run removes)."""
    head, name = path.rsplit("/", 1) if "/" in path else ("", path)
    tmp = FileSystems.join(head, f".tmp-{name}") if head else f".tmp-{name}"
    with FileSystems.create(tmp) as fh:
        fh.write(data)
    replace_with(tmp, path)
    return path


def replace_with(tmp: str, path: str) -> None:
    """Rename ``tmp`` over ``path``. Only a file is ever replaced: a folder at ``path`` is not
    this tool's output and is never removed (Beam's delete would remove its whole tree)."""
    if FileSystems.exists(path):
        if "://" not in path and os.path.isdir(path) and not os.path.islink(path):
            FileSystems.delete([tmp])
            raise IsADirectoryError(f"{path} is a folder that repocurate did not write; move it away and run again")
        FileSystems.delete([path])
    FileSystems.rename([tmp], [path])


def write_part(directory: str, index: int, count: int, schema: pa.Schema,
               rows: Sequence[dict[str, Any]], compression: str = "zstd") -> str:
    """Write one sorted part atomically (temporary name, then rename); returns its path."""
    table = pa.Table.from_pylist(list(rows), schema=schema)
    buffer = pa.BufferOutputStream()
    pq.write_table(table, buffer, compression=compression)
    return write_atomic(FileSystems.join(directory, part_name(index, count)), buffer.getvalue().to_pybytes())
