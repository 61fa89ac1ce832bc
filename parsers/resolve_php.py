"""PHP: ``require``/``include`` paths and ``use`` names to files of the repository.

Rules:

* ``require``/``include`` (and their ``_once`` forms): a path written with ``__DIR__`` or
  ``dirname(__FILE__)`` (the extractor's names ``("__DIR__",)``) is relative to the file's
  folder; any other path is tried relative to the file's folder, then to the repository
  root (the usual ``include_path`` of ``.``). Not found: external when the path goes
  through ``vendor/`` (Composer's installed code), else unresolved.
* ``use A\\B\\C`` (also ``use function``/``use const``; a grouped ``use A\\{B, C}`` arrives
  as one import per name):
  first Composer autoloading from every ``composer.json`` in ``aux`` — ``psr-4`` of
  ``autoload`` and ``autoload-dev`` (longest prefix first; ``A\\B\\`` => ``src/`` gives
  ``src/C.php``), then ``psr-0`` (prefix kept in the path, ``_`` in the class name as
  folders) — then the files that declare namespace ``A\\B`` and are named ``C.php``
  (a file without ``namespace`` is in the global namespace).
* No file: unresolved when the name falls under an autoload prefix or a namespace the
  repository declares, else external.

Class references without a ``use`` (issue 13; names from :mod:`parsers.references`: type
declarations, ``new``, ``X::m()``, ``X::CONST``, ``X::class``, ``extends``,
``implements``, ``instanceof``, ``catch``, attributes, trait ``use``), resolved as PHP
resolves class names (php.net, "Name resolution rules"):

* ``\\A\\B`` is fully qualified;
* a name whose first segment a ``use`` imports (``use A\\B;`` then ``B\\C``) continues the
  imported name (``A\\B\\C``); the imported name alone is the import's own edge;
* any other name is relative to the file's namespace (``Foo`` in ``namespace App\\Model``
  is ``App\\Model\\Foo``: the same-namespace class, edge text ``same namespace: Foo``).

The full name is then looked up like a ``use`` target (Composer autoload, then declared
namespace + file stem or declared class name). ``self``, ``static``, ``parent`` and names
found nowhere (PHP's own classes) give no edge. ``use A\\B as C`` aliases are not
followed (the extractor keeps the target only), so ``C`` gives no edge.
"""
from __future__ import annotations

import posixpath
from collections import defaultdict
from typing import Any, Iterable, Optional

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
    configs_named,
    family_of,
    is_segment_prefix,
    join_path,
    lies_within,
    parse_jsonc,
    resolved_or,
    stem,
)

_SEP = "\\"


def autoload_maps(aux: dict[str, str]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """PSR-4 and PSR-0 (namespace prefix, repo folder) pairs, longest prefix first."""
    maps: dict[str, list[tuple[str, str]]] = {"psr-4": [], "psr-0": []}
    for composer in configs_named(aux, ("composer.json",)):
        data = parse_jsonc(aux[composer])
        if not isinstance(data, dict):
            continue
        here = posixpath.dirname(composer)
        for section in ("autoload", "autoload-dev"):
            autoload = data.get(section)
            if not isinstance(autoload, dict):
                continue
            for standard, pairs in maps.items():
                mapping = autoload.get(standard)
                for prefix, folders in (mapping.items() if isinstance(mapping, dict) else ()):
                    for folder in _strings(folders):
                        joined = join_path(here, folder.strip().rstrip("/"))
                        if joined is not None:
                            pairs.append((prefix.strip("\\"), joined))
    return (
        sorted(set(maps["psr-4"]), key=lambda p: (-len(p[0]), p)),
        sorted(set(maps["psr-0"]), key=lambda p: (-len(p[0]), p)),
    )


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def make_resolver(repo: RepoIndex) -> Resolver:
    """The import resolver alone (see :func:`make_resolvers`)."""
    return make_resolvers(repo)[0]


def make_resolvers(repo: RepoIndex) -> tuple[Resolver, ReferenceResolver]:
    """The import resolver and the reference resolver of one repository, sharing indexes."""
    paths = repo.paths
    psr4, psr0 = autoload_maps(dict(repo.aux))
    class_files: dict[tuple[str, str], list[str]] = defaultdict(list)
    declared: set[str] = set()
    for f in repo.files:
        if family_of(f.language) != "php":
            continue
        for namespace in f.parsed.declares or ("",):
            for name in dict.fromkeys((stem(f.path), *f.parsed.types)):
                class_files[(namespace.strip("\\"), name)].append(f.path)
            declared.add(namespace.strip("\\"))
    internal_prefixes = {p for p, _ in psr4 + psr0 if p} | (declared - {""})

    def autoloaded(name: str) -> Optional[str]:
        for prefix, folder in psr4:
            if not prefix or is_segment_prefix(prefix, name, "\\"):
                rel = name[len(prefix):].lstrip("\\").replace("\\", "/")
                candidate = posixpath.join(folder, rel + ".php") if folder else rel + ".php"
                if candidate in paths:
                    return candidate
        for prefix, folder in psr0:
            if name.startswith(prefix):
                namespace, _, cls = name.rpartition("\\")
                rel = "/".join(filter(None, [namespace.replace("\\", "/"), cls.replace("_", "/")]))
                candidate = posixpath.join(folder, rel + ".php") if folder else rel + ".php"
                if candidate in paths:
                    return candidate
        return None

    def by_namespace(name: str) -> list[str]:
        namespace, _, cls = name.rpartition("\\")
        return class_files.get((namespace, cls), [])

    def resolve_name(name: str) -> Resolution:
        found = autoloaded(name)
        hits = [found] if found else by_namespace(name)
        internal = lies_within(name, internal_prefixes, _SEP)
        internal = internal or any(prefix and name.startswith(prefix) for prefix, _ in psr0)
        return resolved_or(UNRESOLVED if internal else EXTERNAL, hits)


    def resolve_include(f: RepoFile, imp: Import) -> Resolution:
        target = imp.target.strip()
        marked = "__DIR__" in imp.names
        folder = posixpath.dirname(f.path)
        relative = target.lstrip("/")
        bases = [folder] if marked else [folder, ""]
        for base in bases:
            candidate = join_path(base, relative)
            if candidate is not None and candidate in paths:
                return Resolution(RESOLVED, (candidate,))
        return Resolution(EXTERNAL if "vendor/" in target else UNRESOLVED)

    def resolve(f: RepoFile, imp: Import) -> Resolution:
        if "require" in imp.kind or "include" in imp.kind:
            return resolve_include(f, imp)
        return resolve_name(imp.target.strip().strip(_SEP))

    def references(f: RepoFile) -> list[tuple[str, str]]:
        namespace = f.parsed.declares[0].strip(_SEP) if f.parsed.declares else ""
        imported = {}
        for imp in f.parsed.imports:
            if imp.kind == "use":
                target = imp.target.strip().strip(_SEP)
                imported[target.rsplit(_SEP, 1)[-1].lower()] = target
        edges: dict[str, str] = {}
        for name in f.parsed.references or ():
            if name.lower() in _RELATIVE:
                continue
            if name.startswith(_SEP):
                full, text = name.strip(_SEP), f"qualified: {name}"
            else:
                first, _, rest = name.partition(_SEP)
                if first.lower() in imported:
                    if not rest:
                        continue  # the `use` statement itself names the file
                    full, text = imported[first.lower()] + _SEP + rest, f"qualified: {name}"
                else:
                    full = f"{namespace}{_SEP}{name}" if namespace else name
                    text = f"same namespace: {name}"
            resolution = resolve_name(full)
            for path in resolution.paths:
                edges.setdefault(path, text)
        return sorted(edges.items())

    return resolve, references


_RELATIVE = frozenset({"self", "static", "parent"})
