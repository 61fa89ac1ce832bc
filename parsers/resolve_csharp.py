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

Type references without a ``using`` (issue 13; names from :mod:`parsers.references`:
identifiers in type positions, generic names and arguments, base lists, attributes,
member-access receivers that are not variables, parameters or properties of the file),
bound as C# looks names up (C# spec §7.6.2 "Namespace and type names"):

1. a ``using`` alias of that name is the import's own edge;
2. the file's namespace, then each enclosing namespace out to the global one
   (``Foo`` in ``namespace A.B`` finds ``A.B.Foo``, then ``A.Foo``): every file
   declaring the type, so all parts of a partial class (edge text ``same namespace: Foo``);
3. otherwise the ``using`` namespaces: ``using A.B;`` of a repository namespace now
   resolves only to the files of the types the file uses from it (an unused one is
   resolved with no file), no longer to every file of ``A.B``;
4. otherwise a dotted name resolves by its longest namespace + type prefix.

A type is declared by a file when the file is named for it or declares it at namespace
level (``ParsedFile.types``); nested types are reached through their outer type.
"""
from __future__ import annotations

import posixpath
from collections import defaultdict

from parsers.model import Import
from parsers.resolve_common import (
    EXTERNAL,
    RESOLVED,
    UNRESOLVED,
    ReferenceResolver,
    RepoFile,
    RepoIndex,
    Resolution,
    Resolver,
    bind_references,
    family_of,
    lies_within,
    segment_prefixes,
    resolved_or,
)


def type_name(path: str) -> str:
    """The type a C# file is named for: its file name up to the first dot."""
    return posixpath.basename(path).split(".")[0]


def make_resolver(repo: RepoIndex) -> Resolver:
    """The import resolver alone (see :func:`make_resolvers`)."""
    return make_resolvers(repo)[0]


def make_resolvers(repo: RepoIndex) -> tuple[Resolver, ReferenceResolver]:
    """The import resolver and the reference resolver of one repository, sharing indexes."""
    namespace_files: dict[str, list[str]] = defaultdict(list)
    type_files: dict[tuple[str, str], list[str]] = defaultdict(list)
    for f in repo.files:
        if family_of(f.language) != "csharp":
            continue
        for namespace in f.parsed.declares or ("",):
            if namespace:
                namespace_files[namespace].append(f.path)
            for name in dict.fromkeys((type_name(f.path), *f.parsed.types)):
                type_files[(namespace, name)].append(f.path)
    declared = set(namespace_files)
    enclosing = {p for namespace in declared for p in segment_prefixes(namespace)}

    def as_type(name: str) -> list[str]:
        parts = name.split(".")
        for k in range(len(parts) - 1, 0, -1):
            hit = type_files.get((".".join(parts[:k]), parts[k]))
            if hit:
                return hit
        return []

    bindings: dict[str, tuple[tuple[tuple[str, str], ...], dict[str, set[str]]]] = {}

    def bind(f: RepoFile) -> tuple[tuple[tuple[str, str], ...], dict[str, set[str]]]:
        """Edges of ``f``'s references, and per ``using`` namespace the files it uses."""
        if f.path in bindings:
            return bindings[f.path]
        aliases, usings = set(), []
        for imp in f.parsed.imports:
            name = imp.target.strip().removeprefix("global::").split("<")[0]
            if imp.kind == "using_alias":
                aliases.add(imp.text.split("=")[0].split()[-1] if "=" in imp.text else name)
            elif imp.kind == "using":
                usings.append(name)
        scopes = []  # the file's namespaces and those enclosing them, innermost first
        for namespace in f.parsed.declares or ("",):
            for prefix in reversed(segment_prefixes(namespace) if namespace else []):
                scopes.append(prefix)
        scopes.append("")
        ordered_scopes = list(dict.fromkeys(scopes))
        edges, used = bind_references(
            f.parsed.references or (), aliases,
            lambda name: next((type_files[(s, name)] for s in ordered_scopes if (s, name) in type_files), []),
            usings, lambda namespace, name: type_files.get((namespace, name), []),
            as_type, "same namespace")
        bindings[f.path] = (tuple(sorted(edges.items())), used)
        return bindings[f.path]

    def resolve(f: RepoFile, imp: Import) -> Resolution:
        name = imp.target.strip().removeprefix("global::").split("<")[0]
        in_namespace, named_type = namespace_files.get(name, []), as_type(name)
        if imp.kind == "using" and in_namespace and f.parsed.references is not None:
            return Resolution(RESOLVED, tuple(sorted(bind(f)[1].get(name, ()))))
        found = (named_type or in_namespace) if imp.kind == "using_alias" else (in_namespace or named_type)
        internal = name in enclosing or lies_within(name, declared)
        return resolved_or(UNRESOLVED if internal else EXTERNAL, found)

    def references(f: RepoFile) -> tuple[tuple[str, str], ...]:
        return bind(f)[0] if f.parsed.references is not None else ()

    return resolve, references
