"""Repo-level samples: the files of one component concatenated in dependency order.

Text format of a sample (DeepSeek-Coder §2.2, each file headed by its path in a comment)::

    <comment(language, path)>\\n<content, ending with \\n>
    \\n
    <comment(language, path)>\\n<content, ending with \\n>
    ...

that is, per file the header line, then the content with a final newline added when it
lacks one; files joined by one ``\\n`` (so a blank line between files). The text ends
with a newline.
"""
from __future__ import annotations

import hashlib
from typing import Any, Callable, Mapping, NamedTuple, Optional, Sequence

import networkx as nx

from parsers.ordering import satisfied_fraction

_SEPARATOR = "\n"


class FileInfo(NamedTuple):
    """What sample assembly needs of one file: its language, text and size in bytes."""

    language: str
    content: str
    size: int


def file_level_components(paths: Sequence[str]) -> list[list[str]]:
    """One component per file, sorted by path: for languages without an import parser."""
    return [[path] for path in sorted(paths)]


def sample_id(repo_name: str, first_path: str, part: int) -> str:
    """``sha1(repo_name + "\\0" + first_path + "\\0" + str(part))``, first 16 hex digits.

    ``first_path`` is the first path of the whole component in sample order, so the parts
    of one component share it and differ by ``part``.
    """
    key = f"{repo_name}\0{first_path}\0{part}".encode("utf-8")
    return hashlib.sha1(key).hexdigest()[:16]


def assemble_samples(
    repo_name: str,
    ordered_components: Sequence[Sequence[str]],
    files: Mapping[str, FileInfo],
    max_sample_bytes: int,
    comment: Callable[[str, str], str],
    *,
    ordering: str = "max_satisfied",
    graph: Optional[nx.DiGraph] = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One sample per component (see the module docstring for the text), and split events.

    A component of more than ``max_sample_bytes`` (UTF-8 bytes of its text) is cut, in
    order, into consecutive parts of at most that many bytes; a single file larger than
    the cap is a part of its own. Each cut component yields one split event
    ``{repo_name, sample_id (of part 0), parts, n_bytes (of the whole component)}``.
    ``offsets`` holds, per file, the character offset in ``text`` where its chunk (header
    line first) starts, so later stages can cut a file out and reassemble the sample.
    ``order_satisfied`` is the component's satisfied-edge fraction in ``graph`` (1.0
    without a graph); ``ordering`` names the ordering that produced the components.
    """
    samples: list[dict[str, Any]] = []
    splits: list[dict[str, Any]] = []
    for component in ordered_components:
        if not component:
            continue
        chunks = [_file_chunk(path, files[path], comment) for path in component]
        sizes = [len(chunk.encode("utf-8")) for chunk in chunks]
        parts = _split(sizes, max_sample_bytes)
        satisfied = satisfied_fraction(component, graph) if graph is not None else 1.0
        for part, paths in enumerate(parts):
            text = _SEPARATOR.join(chunks[k] for k in paths)
            offsets, start = [], 0
            for k in paths:
                offsets.append(start)
                start += len(chunks[k]) + len(_SEPARATOR)
            samples.append({
                "sample_id": sample_id(repo_name, component[0], part),
                "repo_name": repo_name,
                "paths": [component[k] for k in paths],
                "languages": [files[component[k]].language for k in paths],
                "text": text,
                "offsets": offsets,
                "n_files": len(paths),
                "n_bytes": len(text.encode("utf-8")),
                "part": part,
                "n_parts": len(parts),
                "ordering": ordering,
                "order_satisfied": satisfied,
            })
        if len(parts) > 1:
            splits.append({
                "repo_name": repo_name,
                "sample_id": sample_id(repo_name, component[0], 0),
                "parts": len(parts),
                "n_bytes": sum(sizes) + len(_SEPARATOR) * (len(sizes) - 1),
            })
    return samples, splits


def _file_chunk(path: str, info: FileInfo, comment: Callable[[str, str], str]) -> str:
    content = info.content if info.content.endswith("\n") else info.content + "\n"
    return f"{comment(info.language, path)}\n{content}"


def _split(sizes: Sequence[int], cap: int) -> list[list[int]]:
    """Consecutive groups of file indices whose joined text stays within ``cap`` bytes
    (a file over the cap alone)."""
    parts: list[list[int]] = []
    current: list[int] = []
    current_bytes = 0
    for k, size in enumerate(sizes):
        joined = current_bytes + len(_SEPARATOR) + size if current else size
        if current and joined > cap:
            parts.append(current)
            current, joined = [], size
        current.append(k)
        current_bytes = joined
    if current:
        parts.append(current)
    return parts


PER_FILE_FIELDS = (
    "paths", "languages", "offsets", "file_sizes", "file_sha256",
    "parse_errors", "parse_missing", "parse_error_bytes", "functions", "max_function_lines",
    "mean_function_lines", "max_depth", "identifiers", "one_letter_identifiers", "comment_bytes",
    "code_lines",
)


def split_sample(sample: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The ``(header line, content)`` of each file of an assembled sample, in order."""
    text, offsets = sample["text"], list(sample["offsets"])
    ends = [o - len(_SEPARATOR) for o in offsets[1:]] + [len(text)]
    pieces = []
    for start, end in zip(offsets, ends):
        header, _, content = text[start:end].partition("\n")
        pieces.append((header, content))
    return pieces


def rebuild_sample(
    sample: Mapping[str, Any], keep: Sequence[bool], contents: Optional[Sequence[str]] = None
) -> dict[str, Any]:
    """The sample with only the files where ``keep`` is true (and, optionally, new contents).

    Headers, order and per-file columns (``PER_FILE_FIELDS`` present in the sample) follow
    the kept files; ``text``, ``offsets``, ``n_files`` and ``n_bytes`` are recomputed.
    """
    pieces = split_sample(sample)
    if contents is None:
        contents = [content for _, content in pieces]
    chunks = [f"{header}\n{content}" for (header, _), content, k in zip(pieces, contents, keep) if k]
    text = _SEPARATOR.join(chunks)
    offsets, start = [], 0
    for chunk in chunks:
        offsets.append(start)
        start += len(chunk) + len(_SEPARATOR)
    rebuilt = dict(sample)
    for field in PER_FILE_FIELDS:
        if field in sample:
            rebuilt[field] = [v for v, k in zip(sample[field], keep) if k]
    rebuilt.update(text=text, offsets=offsets, n_files=len(chunks), n_bytes=len(text.encode("utf-8")))
    return rebuilt
