"""Go: import paths to the package folders of the repository's modules.

Rules:

* Every ``go.mod`` (from ``aux``) defines a module: its ``module`` path maps to the
  folder holding the ``go.mod``; nested ``go.mod`` files define nested modules. An import
  path belongs to the module with the longest matching module path, and names the folder
  ``<go.mod folder>/<rest of the import path>``.
* A package folder resolves to all its ``.go`` files except ``_test.go`` files (build
  constraints are not evaluated). Relative imports (``./x``, GOPATH-era code) start at
  the importer's folder.
* Repositories without any ``go.mod`` (GOPATH era): the module path is inferred as the
  import-path prefix that, with a repository package folder appended, explains the most
  distinct folders (ties: the most imports, the shortest, the first) — a heuristic.
* Any other import found in a module's or the root's ``vendor/`` folder resolves there.
* Not found: unresolved when the path lies under a module path of the repository,
  else external (the standard library and other modules).
"""
from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from typing import Iterable, Optional

from parsers.model import Import
from parsers.resolve_common import (
    EXTERNAL,
    UNRESOLVED,
    RepoFile,
    RepoIndex,
    Resolution,
    Resolver,
    configs_named,
    family_of,
    is_segment_prefix,
    join_path,
    resolved_or,
)

_MODULE_LINE = re.compile(r'^\s*module\s+"?([^"\s/][^"\s]*)"?', re.MULTILINE)


def module_path(go_mod: str) -> Optional[str]:
    """The ``module`` path declared by a ``go.mod`` text."""
    m = _MODULE_LINE.search(go_mod)
    return m.group(1) if m else None


def package_dirs(repo: RepoIndex) -> dict[str, tuple[str, ...]]:
    """Folder -> its non-test ``.go`` files."""
    return {
        d: files
        for d, ps in repo.by_dir.items()
        if (files := tuple(p for p in ps if p.endswith(".go") and not p.endswith("_test.go")))
    }


def infer_module_path(import_paths: Iterable[str], folders: Iterable[str]) -> Optional[str]:
    """Guess a GOPATH-era module path from imports that end with a repository folder."""
    folder_set = {f for f in folders if f}
    explained: dict[str, set[str]] = defaultdict(set)
    uses: dict[str, int] = defaultdict(int)
    for path in import_paths:
        parts = path.split("/")
        for i in range(1, len(parts)):
            folder = "/".join(parts[i:])
            if folder in folder_set:
                prefix = "/".join(parts[:i])
                explained[prefix].add(folder)
                uses[prefix] += 1
    if not explained:
        return None
    return min(explained, key=lambda m: (-len(explained[m]), -uses[m], len(m), m))


def make_resolver(repo: RepoIndex) -> Resolver:
    packages = package_dirs(repo)
    modules: list[tuple[str, str]] = []
    for go_mod in configs_named(repo.aux, ("go.mod",)):
        path = module_path(repo.aux[go_mod])
        if path:
            modules.append((path, posixpath.dirname(go_mod)))
    if not modules:
        imports = (
            i.target.strip()
            for f in repo.files
            if family_of(f.language) == "go"
            for i in f.parsed.imports
        )
        inferred = infer_module_path(imports, packages)
        if inferred:
            modules.append((inferred, ""))
    modules.sort(key=lambda m: (-len(m[0]), m[1]))
    vendor_roots = sorted({folder for _, folder in modules} | {""})

    def files_in(folder: Optional[str]) -> tuple[str, ...]:
        return packages.get(folder, ()) if folder is not None else ()

    def resolve(f: RepoFile, imp: Import) -> Resolution:
        target = imp.target.strip()
        if target.startswith(("./", "../")):
            return resolved_or(UNRESOLVED, files_in(join_path(posixpath.dirname(f.path), target)))
        for path, folder in modules:
            if is_segment_prefix(path, target, "/"):
                return resolved_or(UNRESOLVED, files_in(join_path(folder, target[len(path) + 1:])))
        for folder in vendor_roots:
            found = files_in(join_path(folder, f"vendor/{target}"))
            if found:
                return resolved_or(EXTERNAL, found)
        return Resolution(EXTERNAL)

    return resolve
