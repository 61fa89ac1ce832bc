"""Shared types and helpers for resolving imports to files of one repository.

Every per-language resolver module exposes ``make_resolver(repo: RepoIndex) -> Resolver``:
it builds its indexes once per repository and returns a function that maps one
``(RepoFile, Import)`` to a :class:`Resolution` (an outcome and the repo paths it names).
Paths are repo-relative with ``/`` separators; nothing here touches the file system.
"""
from __future__ import annotations

import json
import posixpath
import re
from collections import defaultdict
from typing import Any, Callable, Iterable, Mapping, NamedTuple, Optional, Sequence

from parsers.model import Import, ParsedFile

RESOLVED = "resolved"
EXTERNAL = "external"
UNRESOLVED = "unresolved"


class RepoFile(NamedTuple):
    """One file of the repository as resolution sees it."""

    path: str
    language: str
    parsed: ParsedFile


class Resolution(NamedTuple):
    """What one import names: ``paths`` is non-empty when ``outcome`` is resolved, with one
    exception: a Java wildcard import of a repository package none of whose types the
    file uses (:mod:`parsers.resolve_jvm`) is resolved with no paths."""

    outcome: str
    paths: tuple[str, ...] = ()


class RepoIndex(NamedTuple):
    """A repository's files, indexed for path look-ups, plus its configuration texts."""

    files: tuple[RepoFile, ...]
    paths: frozenset[str]
    by_dir: Mapping[str, tuple[str, ...]]
    aux: Mapping[str, str]


Resolver = Callable[[RepoFile, Import], Resolution]
# Edges a file has without an import statement (same-package types): ``(path, text)`` pairs.
ReferenceResolver = Callable[[RepoFile], Sequence[tuple[str, str]]]

_LANGUAGE_FAMILY = {
    "python": "python",
    "java": "jvm", "kotlin": "jvm", "scala": "jvm",
    "c": "c", "cpp": "c", "c++": "c", "cuda": "c",
    "c-sharp": "csharp", "csharp": "csharp", "c#": "csharp",
    "javascript": "js", "typescript": "js", "tsx": "js", "jsx": "js",
    "go": "go",
    "rust": "rust",
    "php": "php",
    "ruby": "ruby",
}


def family_of(language: str) -> Optional[str]:
    """The resolver family of a language name (``None``: its imports are not resolved)."""
    return _LANGUAGE_FAMILY.get(language.lower())


def build_index(files: Sequence[RepoFile], aux: Mapping[str, str]) -> RepoIndex:
    """Index ``files`` (sorted by path; the first of duplicate paths wins)."""
    unique: dict[str, RepoFile] = {}
    for f in files:
        unique.setdefault(f.path, f)
    ordered = tuple(unique[p] for p in sorted(unique))
    by_dir: dict[str, list[str]] = defaultdict(list)
    for f in ordered:
        by_dir[posixpath.dirname(f.path)].append(f.path)
    return RepoIndex(
        files=ordered,
        paths=frozenset(unique),
        by_dir={d: tuple(ps) for d, ps in by_dir.items()},
        aux=dict(aux),
    )


def bind_references(
    references: Iterable[str],
    explicit: set[str],
    own_scope: Callable[[str], Sequence[str]],
    on_demand: Sequence[str],
    in_namespace: Callable[[str, str], Sequence[str]],
    qualified: Callable[[str], Sequence[str]],
    scope_label: str,
) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Bind a file's references in the order Java, Kotlin, Scala and C# share (JLS §6.4.1,
    C# spec §7.6.2): a name an explicit import or alias binds (``explicit``) is the import's
    own edge; else the file's own package/namespaces (``own_scope(name)``: files, edge text
    ``"<scope_label>: Name"``); else each on-demand import (``in_namespace(target, name)``,
    recorded per target, no edge here: the import's resolution names them); else a dotted
    name by ``qualified(reference)`` (text ``qualified: a.b.Foo``).

    Returns the edges ``{path: text}`` and, per on-demand target, the files it binds."""
    edges: dict[str, str] = {}
    used: dict[str, set[str]] = defaultdict(set)
    for reference in references:
        first = reference.split(".", 1)[0]
        if first in explicit:
            continue
        hits = own_scope(first)
        if hits:
            for path in hits:
                edges.setdefault(path, f"{scope_label}: {first}")
            continue
        through_import = False
        for target in on_demand:
            hits = in_namespace(target, first)
            used[target].update(hits)
            through_import = through_import or bool(hits)
        if not through_import and "." in reference:
            for path in qualified(reference):
                edges.setdefault(path, f"qualified: {reference}")
    return edges, used


def resolved_or(outcome: str, paths: Iterable[str]) -> Resolution:
    """``resolved`` with the sorted unique ``paths`` if there are any, else ``outcome``."""
    found = tuple(sorted(set(paths)))
    return Resolution(RESOLVED, found) if found else Resolution(outcome)


def join_path(base_dir: str, relative: str) -> Optional[str]:
    """``base_dir/relative`` normalized; None when it climbs above the repository root."""
    joined = posixpath.normpath(posixpath.join(base_dir, relative)) if relative else base_dir
    if joined in (".", ""):
        return ""
    if joined.startswith("/") or joined == ".." or joined.startswith("../"):
        return None
    return joined


def parent_dirs(path: str) -> list[str]:
    """Folders enclosing ``path``, nearest first, ending with the root ``""``."""
    out = []
    d = posixpath.dirname(path)
    while d:
        out.append(d)
        d = posixpath.dirname(d)
    out.append("")
    return out


def stem(path: str) -> str:
    """File name without its last extension."""
    return posixpath.splitext(posixpath.basename(path))[0]


def common_dir_depth(a: str, b: str) -> int:
    """Number of leading folder segments the two folders share."""
    n = 0
    for x, y in zip(a.split("/") if a else [], b.split("/") if b else []):
        if x != y:
            break
        n += 1
    return n


def is_segment_prefix(prefix: str, name: str, sep: str = ".") -> bool:
    """True when dotted ``prefix`` equals ``name`` or is a whole-segment prefix of it."""
    return name == prefix or name.startswith(prefix + sep)


def segment_prefixes(name: str, sep: str = ".") -> list[str]:
    """``a.b.c`` -> ``["a", "a.b", "a.b.c"]``."""
    parts = name.split(sep)
    return [sep.join(parts[: i + 1]) for i in range(len(parts))]


def lies_within(name: str, declared: frozenset[str] | set[str], sep: str = ".") -> bool:
    """True when ``name`` equals a declared name or lies below one (whole segments)."""
    return any(p in declared for p in segment_prefixes(name, sep))


def configs_named(aux: Mapping[str, str], names: Iterable[str]) -> list[str]:
    """Sorted aux paths whose file name is one of ``names``."""
    wanted = set(names)
    return sorted(p for p in aux if posixpath.basename(p) in wanted)


_JSONC_COMMENT = re.compile(r'"(?:[^"\\]|\\.)*"|//[^\n]*|/\*.*?\*/', re.DOTALL)
_JSONC_TRAILING_COMMA = re.compile(r'"(?:[^"\\]|\\.)*"|,(?=\s*[}\]])')


def _keep_strings(m: re.Match[str]) -> str:
    return m.group(0) if m.group(0).startswith('"') else ""


def parse_jsonc(text: str) -> Any:
    """Parse JSON that may hold ``//`` and ``/* */`` comments and trailing commas.

    Returns None for text that still is not valid JSON (a broken config counts as absent).
    """
    without_comments = _JSONC_COMMENT.sub(_keep_strings, text.lstrip("\ufeff"))
    try:
        return json.loads(_JSONC_TRAILING_COMMA.sub(_keep_strings, without_comments))
    except ValueError:
        return None
