"""C#: ``using`` directives to the files that declare the named namespace or type.

Rules:

* ``using A.B;`` (also ``global using``) resolves to every file whose declared namespaces
  (``ParsedFile.declares``) include ``A.B``.
* A type is named by its file's stem up to the first dot, so partial classes
  (``Form1.Designer.cs``) belong to ``Form1``. When ``A.B.C`` is no namespace,
  ``A.B.C`` is read as type ``C`` in namespace ``A.B`` (``using static A.B.C;``, and nested
  types ``A.B.C.D`` by the longest namespace prefix).
* ``using X = A.B.C;`` (kind ``using_alias``, target ``A.B.C``) prefers the type reading,
  then the namespace reading; generic arguments (``List<int>``) are dropped.
* No file found: unresolved when the name lies inside a namespace the repository
  declares (or is a prefix of one), else external (``System``, NuGet packages).
"""
from __future__ import annotations

import posixpath
from collections import defaultdict

from parsers.model import Import
from parsers.resolve_common import (
    EXTERNAL,
    UNRESOLVED,
    RepoFile,
    RepoIndex,
    Resolution,
    Resolver,
    family_of,
    lies_within,
    segment_prefixes,
    resolved_or,
)


def type_name(path: str) -> str:
    """The type a C# file is named for: its file name up to the first dot."""
    return posixpath.basename(path).split(".")[0]


def make_resolver(repo: RepoIndex) -> Resolver:
    namespace_files: dict[str, list[str]] = defaultdict(list)
    type_files: dict[tuple[str, str], list[str]] = defaultdict(list)
    for f in repo.files:
        if family_of(f.language) != "csharp":
            continue
        for namespace in f.parsed.declares:
            namespace_files[namespace].append(f.path)
            type_files[(namespace, type_name(f.path))].append(f.path)
    declared = set(namespace_files)
    enclosing = {p for namespace in declared for p in segment_prefixes(namespace)}

    def as_type(name: str) -> list[str]:
        parts = name.split(".")
        for k in range(len(parts) - 1, 0, -1):
            hit = type_files.get((".".join(parts[:k]), parts[k]))
            if hit:
                return hit
        return []

    def resolve(f: RepoFile, imp: Import) -> Resolution:
        name = imp.target.strip().removeprefix("global::").split("<")[0]
        in_namespace, named_type = namespace_files.get(name, []), as_type(name)
        found = (named_type or in_namespace) if imp.kind == "using_alias" else (in_namespace or named_type)
        internal = name in enclosing or lies_within(name, declared)
        return resolved_or(UNRESOLVED if internal else EXTERNAL, found)

    return resolve
