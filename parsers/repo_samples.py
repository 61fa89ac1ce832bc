"""One repository's files -> import graph -> ordered repo-level samples (paper §2.2).

:func:`order_repository` is the whole per-repository step as a plain function: parse
each file once with tree-sitter (what later stages need from the parse is kept as plain
per-file numbers in the sample), resolve imports to files of the repository, build the
networkx graph, order it (``max_satisfied`` by default, or the paper's Algorithm 1), and
concatenate each weakly connected component into a sample. Files in languages without a
parser become file-level samples.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from filters.quality import PARSE_FIELDS, parse_stats
from parsers.grammars import SUPPORTED_LANGUAGES
from parsers.graph import build_graph, graph_metrics
from parsers.imports import parse_file
from parsers.model import ParsedFile
from parsers.ordering import ORDERINGS, order_max_satisfied, order_paper, violations
from parsers.resolve import RepoFile, resolve_repository
from parsers.samples import FileInfo, assemble_samples
from contract.languages import path_comment
from contract.records import reject_record

STAGE = "ordering"

@dataclass(frozen=True)
class OrderingConfig:
    """Dependency ordering and sample assembly."""

    ordering: str = "max_satisfied"        # or "paper" (Algorithm 1 of DeepSeek-Coder)
    max_sample_bytes: int = 4 << 20        # a component beyond this is split, in order
    max_repo_bytes: int = 512 << 20        # files beyond this (in path order) are rejected
    exact_limit: int = 12                  # cycles up to this many files are ordered exactly


@dataclass
class RepoResult:
    samples: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    metrics: dict[str, Any]
    rejects: list[dict[str, Any]]


def _cap(repo_name: str, files: Sequence[dict[str, Any]], max_bytes: int):
    kept, rejects, total = [], [], 0
    for record in files:
        total += record["size"]
        if total > max_bytes:
            rejects.append(reject_record(repo_name, record["path"], STAGE, "repo_cap",
                                         f"repository over {max_bytes} bytes", record["size"]))
        else:
            kept.append(record)
    return kept, rejects


def order_repository(
    repo_name: str, files: Sequence[dict[str, Any]], aux: Mapping[str, str], config: OrderingConfig
) -> RepoResult:
    """Samples, edges, metrics and rejects of one repository (files are file records)."""
    if config.ordering not in ORDERINGS:
        raise ValueError(f"ordering: unknown ordering {config.ordering!r} (known: {sorted(ORDERINGS)})")
    files, rejects = _cap(repo_name, sorted(files, key=lambda r: r["path"]), config.max_repo_bytes)
    parsed: dict[str, ParsedFile] = {
        r["path"]: parse_file(r["language"], r["content"], r["path"])
        for r in files if r["language"] in SUPPORTED_LANGUAGES
    }
    graph_paths = [r["path"] for r in files if r["path"] in parsed]
    repo_files = [RepoFile(path, parsed[path].language, parsed[path]) for path in graph_paths]
    edges, stats, _ = resolve_repository(repo_files, aux)
    # Files without a parser are isolated nodes, so each becomes a file-level sample.
    graph = build_graph([r["path"] for r in files], edges)
    if config.ordering == "paper":
        components = order_paper(graph)
    else:
        components = order_max_satisfied(graph, config.exact_limit)
    infos = {r["path"]: FileInfo(r["language"], r["content"], r["size"]) for r in files}
    samples, splits = assemble_samples(
        repo_name, components, infos, config.max_sample_bytes, path_comment,
        ordering=config.ordering, graph=graph)
    by_path = {r["path"]: r for r in files}
    for sample in samples:
        _attach_file_fields(sample, by_path, parsed)
    metrics = {
        "repo_name": repo_name,
        "files": len(files),
        "parsed_files": len(parsed),
        "imports_found": stats.found, "imports_resolved": stats.resolved,
        "imports_external": stats.external, "imports_unresolved": stats.unresolved,
        **{k: v for k, v in graph_metrics(graph).items() if k != "nodes"},
        "order_violations": sum(violations(c, graph) for c in components),
        "samples": len(samples),
        "split_components": len(splits),
    }
    edge_rows = [
        {"repo_name": repo_name, "importer": e.importer, "imported": e.imported,
         "language": e.language, "import_text": e.import_text}
        for e in edges
    ]
    return RepoResult(samples, edge_rows, metrics, rejects)


def _attach_file_fields(sample: dict[str, Any], by_path: Mapping[str, dict[str, Any]],
                        parsed: Mapping[str, ParsedFile]) -> None:
    """Per-file columns later stages need: sizes, hashes and the parse's error counts."""
    records = [by_path[p] for p in sample["paths"]]
    parses = [parsed.get(p) for p in sample["paths"]]
    sample["license"] = records[0]["license"]
    sample["license_detected"] = records[0].get("license_detected", "")
    sample["license_files"] = list(records[0].get("license_files", ()))
    sample["stars"] = records[0]["stars"]
    sample["file_sizes"] = [r["size"] for r in records]
    sample["file_sha256"] = [r["sha256"] for r in records]
    stats = [parse_stats(p) for p in parses]
    for name in PARSE_FIELDS:
        sample[name] = [st[name] for st in stats]
