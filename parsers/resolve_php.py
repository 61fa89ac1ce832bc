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
    paths = repo.paths
    psr4, psr0 = autoload_maps(dict(repo.aux))
    class_files: dict[tuple[str, str], list[str]] = defaultdict(list)
    declared: set[str] = set()
    for f in repo.files:
        if family_of(f.language) != "php":
            continue
        for namespace in f.parsed.declares or ("",):
            class_files[(namespace.strip("\\"), stem(f.path))].append(f.path)
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

    return resolve
