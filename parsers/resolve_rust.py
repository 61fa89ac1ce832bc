"""Rust: ``mod`` declarations, ``use`` paths and ``extern crate`` to files of the repository.

Rules:

* Crate roots: for every ``Cargo.toml`` (from ``aux``) the library root (``[lib] path``,
  default ``src/lib.rs``), ``src/main.rs``, ``[[bin]] path`` entries, and each
  ``src/bin/*.rs``, ``src/bin/*/main.rs``, ``examples/*.rs``, ``tests/*.rs``,
  ``benches/*.rs``; plus every file named ``lib.rs`` or ``main.rs`` anywhere. A
  library's crate name is ``[lib] name`` or the package name with ``-`` as ``_``.
* A file belongs to the crate root in its nearest enclosing folder (``lib.rs`` before
  ``main.rs`` when both share a folder); its module path is its path below that folder
  (``src/a/b.rs`` and ``src/a/b/mod.rs`` are ``a::b``); ``#[path]`` attributes are not
  taken into account for this.
* ``mod foo;`` in a crate root or a ``mod.rs`` names ``foo.rs`` or ``foo/mod.rs`` beside
  it; in ``src/a.rs`` it names ``src/a/foo.rs`` or ``src/a/foo/mod.rs`` (2018 edition).
  Inside inline modules (target ``x::foo`` for ``mod x { mod foo; }``) each inline module
  adds a folder. A ``#[path = "p"]`` attribute (recorded by the extractor as
  ``names == ("p",)``) names ``p`` relative to the declaring file's folder; inside inline
  modules, relative to the folder that a ``mod foo;`` there would use (the Rust
  reference: the inline modules as folders, below ``src/a/`` for a non-``mod.rs`` file).
* ``use`` paths resolve to the file of the longest module prefix: ``crate::a::b::C`` ->
  ``src/a/b.rs`` or ``src/a/b/mod.rs``, else ``src/a.rs`` ..., else the crate root
  (items and inline modules of the root). ``self::`` and ``super::`` start at the file's
  module. Any other first segment is looked up as a child module of the file's module
  (2018+ editions; the default without ``Cargo.toml``) or of the crate root (edition
  2015: a package without ``edition``), then as a library crate of the repository.
  A grouped ``use a::{b, c::d}`` arrives as one import per leaf; a glob ``use a::*`` has
  target ``a``.
* ``self``/``super`` paths written inside inline modules arrive relative to the file's
  module (the extractor rewrites them), so the unit-test idiom ``#[cfg(test)] mod tests {
  use super::*; }`` names the file itself (no edge), while a file-level ``use super::*;``
  names the parent module.
* Outcomes: ``std``/``core``/``alloc`` and other crates are external; a ``crate``/
  ``self``/``super`` path or ``mod`` with no file is unresolved.
"""
from __future__ import annotations

import posixpath
import tomllib
from typing import Any, NamedTuple, Optional

from parsers.model import Import
from parsers.resolve_common import (
    EXTERNAL,
    UNRESOLVED,
    RepoFile,
    RepoIndex,
    Resolution,
    Resolver,
    configs_named,
    join_path,
    parent_dirs,
    resolved_or,
    stem,
)

_ROOT_NAMES = ("lib.rs", "main.rs")
_TARGET_DIRS = ("src/bin", "examples", "tests", "benches")


def _table(data: Any, key: str) -> dict[str, Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


class Crates(NamedTuple):
    """Crate roots of a repository."""

    roots: frozenset[str]
    libraries: dict[str, str]       # library crate name -> its root file
    edition_2015: frozenset[str]    # roots of packages without ``edition`` (Cargo's 2015)


def find_crates(repo: RepoIndex) -> Crates:
    """Crate roots from ``Cargo.toml`` files and ``lib.rs``/``main.rs`` file names."""
    paths = repo.paths
    roots = {p for p in paths if posixpath.basename(p) in _ROOT_NAMES}
    libraries: dict[str, str] = {}
    edition_2015: set[str] = set()
    for cargo in configs_named(repo.aux, ("Cargo.toml",)):
        try:
            data = tomllib.loads(repo.aux[cargo])
        except tomllib.TOMLDecodeError:
            continue
        here = posixpath.dirname(cargo)
        package = _table(data, "package")
        lib = _table(data, "lib")
        lib_root = join_path(here, lib["path"] if isinstance(lib.get("path"), str) else "src/lib.rs")
        lib_name = lib.get("name") if isinstance(lib.get("name"), str) else package.get("name")
        package_roots = {join_path(here, "src/main.rs")}
        if lib_root in paths:
            package_roots.add(lib_root)
            if isinstance(lib_name, str):
                libraries.setdefault(lib_name.replace("-", "_"), lib_root)
        bins = data.get("bin") if isinstance(data.get("bin"), list) else []
        package_roots |= {
            join_path(here, b["path"]) for b in bins if isinstance(b, dict) and isinstance(b.get("path"), str)
        }
        for target_dir in _TARGET_DIRS:
            folder = join_path(here, target_dir) or ""
            package_roots |= {p for p in repo.by_dir.get(folder, ()) if p.endswith(".rs")}
        package_roots = {r for r in package_roots if r in paths}
        roots |= package_roots
        if package and "edition" not in package:
            edition_2015 |= package_roots
    return Crates(frozenset(roots), libraries, frozenset(edition_2015))


def make_resolver(repo: RepoIndex) -> Resolver:
    paths = repo.paths
    roots, libraries, edition_2015 = find_crates(repo)
    roots_by_dir: dict[str, str] = {}
    for root in sorted(roots, key=lambda r: (posixpath.basename(r) != "lib.rs", r)):
        roots_by_dir.setdefault(posixpath.dirname(root), root)

    def crate_of(path: str) -> Optional[str]:
        if path in roots:
            return path
        return next((roots_by_dir[d] for d in parent_dirs(path) if d in roots_by_dir), None)

    def module_path(path: str, root: str) -> list[str]:
        if path == root:
            return []
        root_dir = posixpath.dirname(root)
        rel = path[len(root_dir) + 1:] if root_dir else path
        parts = rel[: -len(".rs")].split("/")
        return parts[:-1] if parts[-1] == "mod" else parts

    def module_file(root: str, mod: list[str]) -> Optional[str]:
        if not mod:
            return root
        base = posixpath.join(posixpath.dirname(root), *mod)
        return next((c for c in (base + ".rs", base + "/mod.rs") if c in paths), None)

    def longest_prefix(root: str, base_len: int, segments: list[str]) -> Optional[str]:
        for k in range(len(segments), base_len - 1, -1):
            hit = module_file(root, segments[:k])
            if hit:
                return hit
        return None

    def resolve_mod(f: RepoFile, imp: Import) -> Resolution:
        folder = posixpath.dirname(f.path)
        owns_folder = f.path in roots or posixpath.basename(f.path) == "mod.rs"
        base = folder if owns_folder else posixpath.join(folder, stem(f.path))
        segments = [s.removeprefix("r#") for s in imp.target.strip().split("::")]
        if imp.names:
            inline = segments[:-1]
            hit = join_path(posixpath.join(base, *inline) if inline else folder, imp.names[0])
            return resolved_or(UNRESOLVED, [hit] if hit in paths else [])
        name = posixpath.join(base, *segments)
        candidates = (name + ".rs", name + "/mod.rs")
        return resolved_or(UNRESOLVED, [c for c in candidates if c in paths][:1])

    def resolve_path(f: RepoFile, path: str) -> Resolution:
        segments = [s.removeprefix("r#") for s in path.split("::") if s and s != "*"]
        if not segments:
            return Resolution(EXTERNAL)
        root = crate_of(f.path)
        head = segments[0]
        if head in ("crate", "self", "super"):
            if root is None:
                return Resolution(UNRESOLVED)
            own = module_path(f.path, root)
            if head == "crate":
                base, rest = [], segments[1:]
            else:
                base = own if head == "self" else own[:-1]
                rest = segments[1:]
                while rest and rest[0] == "super":
                    base, rest = base[:-1], rest[1:]
            hit = longest_prefix(root, len(base), base + rest)
            return resolved_or(UNRESOLVED, [hit] if hit else [])
        if root is not None:
            base = [] if root in edition_2015 else module_path(f.path, root)
            hit = longest_prefix(root, len(base) + 1, base + segments)
            if hit:
                return resolved_or(UNRESOLVED, [hit])
        if head in libraries:
            library = libraries[head]
            hit = longest_prefix(library, 0, segments[1:])
            return resolved_or(UNRESOLVED, [hit] if hit else [])
        return Resolution(EXTERNAL)

    def resolve(f: RepoFile, imp: Import) -> Resolution:
        if imp.kind == "mod":
            return resolve_mod(f, imp)
        return resolve_path(f, imp.target.strip().removeprefix("::"))

    return resolve
