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

Constants without a ``require`` (issue 13): Zeitwerk (Rails, most gems since 2019) and
``autoload`` load a constant from the file its name maps to, so a file that uses
``Billing::InvoiceLine`` depends on ``billing/invoice_line.rb`` below an autoload root
(the nearest ``lib/`` folder, or ``app/<x>/``). Names come from
:mod:`parsers.references` with Ruby's lexical lookup already spelled out (``Tax`` inside
``module Billing`` tries ``Billing::Tax``, then ``Tax``); the first candidate that maps
to a file gives the edge (text ``constant: Tax``), and a candidate the file defines
itself stops the lookup. Constant and file names are compared without case and
underscores (``HTMLParser`` matches ``html_parser.rb``). When no candidate maps, the
written path is shortened from the right (``Hashie::Mash::KeyError``, a class nested in
``mash.rb``, gives ``hashie/mash.rb``). A resolved path also depends on the files of its
namespaces (``Hashie::Mash`` on ``hashie.rb`` too: Zeitwerk loads a namespace's file
before its children), unless the file defines that namespace itself. Reopening a
namespace (``module Hashie`` in ``hashie/mash.rb``) gives no edge to its file: in gems
that ``require`` their files from the namespace file, that edge would point backwards.
Ancestor lookup (constants inherited from a superclass) is not modelled.
"""
from __future__ import annotations

import posixpath
from collections import defaultdict

from parsers.model import Import
from parsers.resolve_common import (
    EXTERNAL,
    UNRESOLVED,
    ReferenceResolver,
    RepoFile,
    RepoIndex,
    Resolution,
    Resolver,
    common_dir_depth,
    join_path,
    resolved_or,
)


def constant_key(constant_path: str) -> tuple[str, ...]:
    """``HTMLParser::InvoiceLine`` -> ``("htmlparser", "invoiceline")``: case and underscores
    dropped, so Zeitwerk's file names (``html_parser/invoice_line.rb``) match constants
    whatever the acronym inflection."""
    return tuple(s.replace("_", "").lower() for s in constant_path.split("::") if s)


def autoload_root(path: str) -> str | None:
    """The Zeitwerk root above ``path``: its nearest ``lib/`` folder, or ``app/<x>/``
    (Rails' ``app/models``, ``app/controllers`` ...); None outside them."""
    segments = path.split("/")[:-1]
    for k in range(len(segments) - 1, -1, -1):
        if segments[k] == "lib":
            return "/".join(segments[: k + 1]) + "/"
        if k >= 1 and segments[k - 1] == "app":
            return "/".join(segments[: k + 1]) + "/"
    return None


def make_resolver(repo: RepoIndex) -> Resolver:
    """The import resolver alone (see :func:`make_resolvers`)."""
    return make_resolvers(repo)[0]


def make_resolvers(repo: RepoIndex) -> tuple[Resolver, ReferenceResolver]:
    """The import resolver and the constant-reference resolver of one repository."""
    paths = repo.paths
    constant_files: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for f in repo.files:
        if f.language.lower() != "ruby" or not f.path.endswith(".rb"):
            continue
        root = autoload_root(f.path)
        if root is not None:
            constant_files[constant_key(f.path[len(root):-3].replace("/", "::"))].append(f.path)
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

    def references(f: RepoFile) -> list[tuple[str, str]]:
        own = {constant_key(t) for t in f.parsed.types}
        edges: dict[str, str] = {}
        for reference in f.parsed.references or ():
            candidates = reference.split(" ")
            hits = []
            for candidate in candidates:
                key = constant_key(candidate)
                if key in own:
                    break  # the file defines it: Ruby stops there
                hits = constant_files.get(key, [])
                if hits:
                    break
            else:
                key = constant_key(candidates[-1])
                while not hits and len(key) > 1 and key not in own:
                    key = key[:-1]  # a nested constant of a file's class: Hashie::Mash::KeyError
                    hits = [] if key in own else constant_files.get(key, [])
            for path in hits:
                edges.setdefault(path, f"constant: {candidates[-1]}")
            while hits and len(key) > 1:
                key = key[:-1]  # Hashie::Mash needs Hashie: its namespace file loads first
                if key in own:
                    break
                for path in constant_files.get(key, []):
                    edges.setdefault(path, f"constant: {candidates[-1]}")
        return sorted(edges.items())

    return resolve, references


def _all_dirs(paths: frozenset[str]) -> set[str]:
    dirs = set()
    for p in paths:
        d = posixpath.dirname(p)
        while d and d not in dirs:
            dirs.add(d)
            d = posixpath.dirname(d)
    return dirs
