"""Ruby: ``require``, ``require_relative``, ``load`` and ``autoload`` to repository files.

Rules:

* ``require_relative "x"`` is relative to the file's folder, ``.rb`` added unless written.
  Not found: unresolved.
* ``require "x"`` / ``autoload :X, "x"``: the load path of the repository is every folder
  named ``lib`` (nearest to the importer first: most shared leading folders, then the
  shortest, then the first path) followed by the repository root; ``x.rb`` is looked up
  in each. ``require "./x"`` is relative to the root (the usual working directory), then
  to the file's folder. Not found: external (a gem or the standard library).
* ``load "x"`` is looked up like ``require`` but as written first, then with ``.rb``.
"""
from __future__ import annotations

import posixpath

from parsers.model import Import
from parsers.resolve_common import (
    EXTERNAL,
    UNRESOLVED,
    RepoFile,
    RepoIndex,
    Resolution,
    Resolver,
    common_dir_depth,
    join_path,
    resolved_or,
)


def make_resolver(repo: RepoIndex) -> Resolver:
    paths = repo.paths
    lib_dirs = sorted(d for d in _all_dirs(paths) if posixpath.basename(d) == "lib")

    def first_file(base: str, name: str, as_written: bool) -> str | None:
        candidate = join_path(base, name)
        if candidate is None:
            return None
        if name.endswith(".rb"):
            options: tuple[str, ...] = (candidate,)
        else:
            options = (candidate, candidate + ".rb") if as_written else (candidate + ".rb",)
        return next((c for c in options if c in paths), None)

    load_paths: dict[str, list[str]] = {}

    def load_path(importer_dir: str) -> list[str]:
        if importer_dir not in load_paths:
            nearest = sorted(lib_dirs, key=lambda d: (-common_dir_depth(d, importer_dir), d.count("/"), d))
            load_paths[importer_dir] = nearest + [""]
        return load_paths[importer_dir]

    def resolve(f: RepoFile, imp: Import) -> Resolution:
        name = imp.target.strip()
        folder = posixpath.dirname(f.path)
        if not name:
            return Resolution(UNRESOLVED)
        as_written = imp.kind == "load"
        if imp.kind == "require_relative":
            hit = first_file(folder, name, as_written)
            return resolved_or(UNRESOLVED, [hit] if hit else [])
        bases = ["", folder] if name.startswith(("./", "../")) else load_path(folder)
        hit = next((h for b in bases if (h := first_file(b, name, as_written))), None)
        return resolved_or(EXTERNAL, [hit] if hit else [])

    return resolve


def _all_dirs(paths: frozenset[str]) -> set[str]:
    dirs = set()
    for p in paths:
        d = posixpath.dirname(p)
        while d and d not in dirs:
            dirs.add(d)
            d = posixpath.dirname(d)
    return dirs
