"""Resolve each file's imports to files of the same repository (paper §2.2, step 4).

:func:`resolve_repository` dispatches every import to its language family's resolver
(``parsers/resolve_<family>.py``) and returns

* the import graph's edges: one :class:`Edge` per (importer, imported) pair, the text of
  the first import that produced it (files by path, imports in source order, then the
  references that need no import, e.g. ``same package: Node`` for Java), sorted, no
  self-edges;
* counts of imports found / resolved / external / unresolved;
* each import's outcome ``(importer, Import, outcome)`` for metrics and debugging.

Outcomes: ``resolved`` names at least one repository file; ``external`` is recognisably
outside the repository (standard library, third-party package); ``unresolved`` looks
internal (a relative path, a package the repository declares) but no file was found.
Imports of files whose language has no resolver are not counted; type-only imports
(TypeScript ``import type``, Python ``TYPE_CHECKING``) resolve like any other. Shared
types and helpers live in :mod:`parsers.resolve_common`; each family's rules are in the
docstring of its module.
"""
from __future__ import annotations

from typing import Callable, Mapping, NamedTuple, Sequence

from parsers import (
    resolve_c,
    resolve_csharp,
    resolve_go,
    resolve_js,
    resolve_jvm,
    resolve_php,
    resolve_python,
    resolve_ruby,
    resolve_rust,
)
from parsers.model import Edge, Import
from parsers.resolve_common import (
    EXTERNAL,
    RESOLVED,
    UNRESOLVED,
    RepoFile,
    ReferenceResolver,
    RepoIndex,
    Resolver,
    build_index,
    family_of,
)

__all__ = ["RepoFile", "ResolveStats", "resolve_repository", "family_of"]

_FAMILY_FACTORIES: dict[str, Callable[[RepoIndex], Resolver]] = {
    "python": resolve_python.make_resolver,
    "jvm": resolve_jvm.make_resolver,
    "c": resolve_c.make_resolver,
    "csharp": resolve_csharp.make_resolver,
    "js": resolve_js.make_resolver,
    "go": resolve_go.make_resolver,
    "rust": resolve_rust.make_resolver,
    "php": resolve_php.make_resolver,
    "ruby": resolve_ruby.make_resolver,
}


# Families whose files also depend on files they never import (same-package types):
# the factory returns the import resolver and the reference resolver, sharing indexes.
_PAIRED_FACTORIES: dict[str, Callable[[RepoIndex], tuple[Resolver, ReferenceResolver]]] = {
    "jvm": resolve_jvm.make_resolvers,
    "csharp": resolve_csharp.make_resolvers,
    "php": resolve_php.make_resolvers,
    "ruby": resolve_ruby.make_resolvers,
}


class ResolveStats(NamedTuple):
    """Import counts of one repository; ``found == resolved + external + unresolved``."""

    found: int
    resolved: int
    external: int
    unresolved: int


def resolve_repository(
    files: Sequence[RepoFile], aux: Mapping[str, str]
) -> tuple[list[Edge], ResolveStats, list[tuple[str, Import, str]]]:
    """Resolve all imports of one repository's ``files``; ``aux`` holds config texts by path."""
    repo = build_index(files, aux)
    resolvers: dict[str, Resolver] = {}
    reference_resolvers: dict[str, ReferenceResolver] = {}
    edges: dict[tuple[str, str], Edge] = {}
    outcomes: list[tuple[str, Import, str]] = []
    for f in repo.files:
        family = family_of(f.language)
        if family is None or not (f.parsed.imports or f.parsed.references):
            continue
        if family not in resolvers:
            if family in _PAIRED_FACTORIES:
                resolvers[family], reference_resolvers[family] = _PAIRED_FACTORIES[family](repo)
            else:
                resolvers[family] = _FAMILY_FACTORIES[family](repo)
        resolve = resolvers[family]
        for imp in f.parsed.imports:
            resolution = resolve(f, imp)
            outcomes.append((f.path, imp, resolution.outcome))
            for target in resolution.paths:
                if target != f.path and (f.path, target) not in edges:
                    edges[(f.path, target)] = Edge(f.path, target, f.language, imp.text or imp.target)
        if f.parsed.references and family in reference_resolvers:
            for target, text in reference_resolvers[family](f):
                if target != f.path and (f.path, target) not in edges:
                    edges[(f.path, target)] = Edge(f.path, target, f.language, text)
    counts = {RESOLVED: 0, EXTERNAL: 0, UNRESOLVED: 0}
    for _, _, outcome in outcomes:
        counts[outcome] += 1
    stats = ResolveStats(len(outcomes), counts[RESOLVED], counts[EXTERNAL], counts[UNRESOLVED])
    return [edges[k] for k in sorted(edges)], stats, outcomes
