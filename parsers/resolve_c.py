"""C, C++ and CUDA: ``#include`` to files of the repository.

Rules:

* ``#include "x"`` (kind ``include_local``) is looked up first relative to the including
  file's folder, then in the repository's include folders; ``#include <x>`` (kind
  ``include_system``) only in the include folders.
* Include folders (the ``-I`` flags a build would pass, guessed): the repository root,
  every folder named ``include``, ``inc`` or ``src``, and every folder that holds a header.
  A file ``P/x`` matches when ``P`` is such a folder; when none is, a file at any ``P/x``
  still matches (builds pass ``-I`` flags for other folders too) but ranks after them.
* Several matches: the best is one under an include folder, then the one whose folder
  shares the most leading segments with the including file's folder (the nearest), then
  the shortest path, then the lexicographically first path. Only that file is linked.
* Not found: a quoted include is unresolved, an angle-bracket include external.
"""
from __future__ import annotations

import posixpath
from collections import defaultdict

from parsers.model import Import
from parsers.resolve_common import (
    EXTERNAL,
    RESOLVED,
    UNRESOLVED,
    RepoFile,
    RepoIndex,
    Resolution,
    Resolver,
    common_dir_depth,
    join_path,
)

HEADER_EXTENSIONS = (".h", ".hh", ".hpp", ".hxx", ".h++", ".cuh", ".inl", ".ipp", ".tcc", ".tpp", ".inc")
_INCLUDE_DIR_NAMES = ("include", "inc", "src")


def include_dirs(paths: frozenset[str]) -> frozenset[str]:
    """The guessed include folders of a repository (see the module docstring)."""
    dirs = {""}
    for p in paths:
        d = posixpath.dirname(p)
        if p.lower().endswith(HEADER_EXTENSIONS):
            dirs.add(d)
        while d:
            if posixpath.basename(d) in _INCLUDE_DIR_NAMES:
                dirs.add(d)
            d = posixpath.dirname(d)
    return frozenset(dirs)


def make_resolver(repo: RepoIndex) -> Resolver:
    paths = repo.paths
    inc_dirs = include_dirs(paths)
    sorted_inc_dirs = sorted(inc_dirs)
    by_suffix: dict[str, list[str]] = defaultdict(list)
    for p in sorted(paths):
        parts = p.split("/")
        for i in range(len(parts)):
            by_suffix["/".join(parts[i:])].append(p)

    def best(candidates: list[tuple[str, str]], importer_dir: str) -> str:
        """Pick among (folder, path) matches: include folder, nearest, shortest, first."""
        return min(
            candidates,
            key=lambda c: (
                c[0] not in inc_dirs, -common_dir_depth(c[0], importer_dir), c[1].count("/"), c[1]
            ),
        )[1]

    def search(name: str, importer_dir: str) -> str | None:
        if name.startswith("../") or "/../" in name or name.startswith("./"):
            joined = ((d, join_path(d, name)) for d in sorted_inc_dirs)
            candidates = [(d, j) for d, j in joined if j is not None and j in paths]
        else:
            name = posixpath.normpath(name)
            candidates = [(p[: -len(name)].rstrip("/"), p) for p in by_suffix.get(name, ())]
        return best(candidates, importer_dir) if candidates else None

    def resolve(f: RepoFile, imp: Import) -> Resolution:
        name = imp.target.strip().replace("\\", "/")
        system = imp.kind == "include_system"
        if not name:
            return Resolution(EXTERNAL if system else UNRESOLVED)
        importer_dir = posixpath.dirname(f.path)
        if not system:
            local = join_path(importer_dir, name)
            if local is not None and local in paths:
                return Resolution(RESOLVED, (local,))
        hit = search(name, importer_dir)
        if hit is not None:
            return Resolution(RESOLVED, (hit,))
        return Resolution(EXTERNAL if system else UNRESOLVED)

    return resolve
