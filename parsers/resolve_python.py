"""Python: absolute and relative imports to modules of the repository.

Rules:

* A dotted module ``a.b`` under a module root ``R`` is the file ``R/a/b.py``, else
  ``R/a/b/__init__.py``, else the stubs ``R/a/b.pyi`` / ``R/a/b/__init__.pyi``. Namespace
  packages need no ``__init__.py``: ``a/b.py`` is module ``a.b`` on its own.
* Packages: folders with ``__init__.py``, and folders that must be packages because a
  file in them uses a relative import (level ``n``: its folder and the ``n - 1`` above it).
  The second rule matters because the file-filter stage drops empty ``__init__.py`` files.
* Module roots, tried in this order: roots that contain the importer (deepest first),
  then the others by depth and path. The roots are the repository root, ``src/`` and
  ``lib/``, the parent of every top-level package (a package whose parent is none),
  package folders named by ``setup.cfg`` (``[options] package_dir``,
  ``packages.find where``) or ``pyproject.toml`` (setuptools ``package-dir`` and
  ``packages.find.where``, poetry ``packages ... from``). An importer in a folder that is
  not a package (a script folder) first tries its own folder, as ``sys.path[0]`` would.
  Last, an import whose first name is the name of a folder enclosing the importer
  (``tests/suite/test_a.py`` importing ``suite.helpers``) tries that folder's parent: code
  importing its own package by name, whose ``__init__.py`` may have been dropped.
* The edge goes to the most specific file only: ``import a.b.c`` depends on ``a/b/c.py``,
  not on ``a/__init__.py`` and ``a/b/__init__.py`` (which Python also runs). The imported
  module itself must have a file; a parent package's file does not stand in for it.
* ``from M import x, y``: each name that is a submodule (``M/x.py`` ...) resolves to that
  file; the other names (attributes) resolve to the module file of ``M``; ``*`` to ``M``.
* Relative imports (``level`` dots) start from the importer's folder, one folder up per
  extra dot; climbing above the repository root, or finding no file, is unresolved.
* Classification of an absolute import with no file: unresolved when its top-level name
  is a regular module or package of some root (a namespace folder does not shadow an
  installed package), else external (standard library included).
"""
from __future__ import annotations

import configparser
import posixpath
import tomllib
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
    join_path,
    parent_dirs,
    resolved_or,
)

_CONVENTIONAL_ROOTS = ("", "src", "lib")


def module_file(paths: frozenset[str], base_dir: str, dotted: str) -> Optional[str]:
    """The file of module ``dotted`` (``""``: the package ``base_dir`` itself) or None."""
    stem_path = posixpath.join(base_dir, dotted.replace(".", "/")) if dotted else base_dir
    for ext in (".py", ".pyi"):
        init = posixpath.join(stem_path, "__init__" + ext)
        for candidate in (stem_path + ext, init) if dotted else (init,):
            if candidate in paths:
                return candidate
    return None


def _package_dirs(paths: Iterable[str]) -> set[str]:
    return {posixpath.dirname(p) for p in paths if posixpath.basename(p) in ("__init__.py", "__init__.pyi")}


def _relative_import_packages(files: Iterable[RepoFile]) -> set[str]:
    """Folders a relative import proves to be packages (the importer's folder and, for
    ``n`` dots, the ``n - 1`` folders above it; the repository root is never one)."""
    found: set[str] = set()
    for f in files:
        level = max((imp.level for imp in f.parsed.imports), default=0)
        folder = posixpath.dirname(f.path)
        for _ in range(level):
            if not folder:
                break
            found.add(folder)
            folder = posixpath.dirname(folder)
    return found


def package_dirs(repo: RepoIndex) -> set[str]:
    """Folders that are regular packages (see the module docstring)."""
    return _package_dirs(repo.paths) | _relative_import_packages(repo.files)


def _configured_roots(aux: dict[str, str]) -> set[str]:
    """Module roots named by setup.cfg and pyproject.toml files (relative to their folder)."""
    roots: set[str] = set()
    for cfg_path in configs_named(aux, ("setup.cfg",)):
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(aux[cfg_path])
        except configparser.Error:
            continue
        where = []
        for line in parser.get("options", "package_dir", fallback="").splitlines():
            key, _, value = line.partition("=")
            if value.strip() and not key.strip():
                where.append(value.strip())
        where += parser.get("options.packages.find", "where", fallback="").split()
        roots |= _under(posixpath.dirname(cfg_path), where)
    for toml_path in configs_named(aux, ("pyproject.toml",)):
        try:
            data = tomllib.loads(aux[toml_path])
        except tomllib.TOMLDecodeError:
            continue
        tool = data.get("tool", {}) if isinstance(data.get("tool"), dict) else {}
        setuptools = tool.get("setuptools", {}) if isinstance(tool.get("setuptools"), dict) else {}
        where = []
        package_dir = setuptools.get("package-dir", {})
        if isinstance(package_dir, dict) and isinstance(package_dir.get(""), str):
            where.append(package_dir[""])
        packages = setuptools.get("packages", {})
        find = packages.get("find", {}) if isinstance(packages, dict) else {}
        if isinstance(find, dict) and isinstance(find.get("where"), list):
            where += [w for w in find["where"] if isinstance(w, str)]
        poetry = tool.get("poetry", {}) if isinstance(tool.get("poetry"), dict) else {}
        for entry in poetry.get("packages", []) if isinstance(poetry.get("packages"), list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("from"), str):
                where.append(entry["from"])
        roots |= _under(posixpath.dirname(toml_path), where)
    return roots


def _under(base_dir: str, relatives: Iterable[str]) -> set[str]:
    joined = (join_path(base_dir, r.strip().rstrip("/")) for r in relatives)
    return {j for j in joined if j is not None}


def module_roots(repo: RepoIndex) -> tuple[str, ...]:
    """All module roots of the repository, sorted by depth then path."""
    packages = package_dirs(repo)
    roots = set(_CONVENTIONAL_ROOTS) | _configured_roots(dict(repo.aux))
    roots |= {posixpath.dirname(d) for d in packages if posixpath.dirname(d) not in packages}
    return tuple(sorted(roots, key=lambda r: (r.count("/") + bool(r), r)))


def make_resolver(repo: RepoIndex) -> Resolver:
    paths = repo.paths
    roots = module_roots(repo)
    packages = package_dirs(repo)
    root_set = set(roots)
    top_level_names = {name for d, name in _regular_modules(paths, packages) if d in root_set}
    roots_by_dir: dict[str, tuple[str, ...]] = {}

    def roots_for(importer_dir: str) -> tuple[str, ...]:
        if importer_dir not in roots_by_dir:
            enclosing = set(parent_dirs(posixpath.join(importer_dir, "x")))
            ordered = sorted((r for r in roots if r in enclosing), key=lambda r: -len(r))
            ordered += [r for r in roots if r not in enclosing]
            if importer_dir not in packages and importer_dir not in ordered:
                ordered.insert(0, importer_dir)
            roots_by_dir[importer_dir] = tuple(ordered)
        return roots_by_dir[importer_dir]

    def resolve(f: RepoFile, imp: Import) -> Resolution:
        target = imp.target.strip()
        names = tuple(n for n in imp.names if n) if imp.kind == "from" else ()
        if imp.level > 0:
            base = join_path(posixpath.dirname(f.path), "/".join([".."] * (imp.level - 1)))
            if base is None:
                return Resolution(UNRESOLVED)
            return resolved_or(UNRESOLVED, _from_base(paths, base, target, names))
        if not target:
            return Resolution(UNRESOLVED)
        importer_dir = posixpath.dirname(f.path)
        for root in roots_for(importer_dir) + _own_package_roots(importer_dir, target):
            found = _from_base(paths, root, target, names)
            if found:
                return resolved_or(UNRESOLVED, found)
        return Resolution(UNRESOLVED if target.split(".")[0] in top_level_names else EXTERNAL)

    return resolve


def _own_package_roots(importer_dir: str, dotted: str) -> tuple[str, ...]:
    """Parents of the folders enclosing the importer that bear the import's first name."""
    first = dotted.split(".")[0]
    enclosing = parent_dirs(posixpath.join(importer_dir, "x"))[:-1]
    return tuple(posixpath.dirname(d) for d in enclosing if posixpath.basename(d) == first)


def _from_base(paths: frozenset[str], base: str, dotted: str, names: tuple[str, ...]) -> list[str]:
    """Files named by ``from dotted import names`` (or ``import dotted``) under ``base``."""
    found: list[str] = []
    needs_module = not names or "*" in names
    for name in names:
        if name == "*":
            continue
        sub = module_file(paths, base, f"{dotted}.{name}" if dotted else name)
        if sub:
            found.append(sub)
        else:
            needs_module = True
    if needs_module:
        own = module_file(paths, base, dotted)
        if own:
            found.append(own)
    return found


def _regular_modules(paths: frozenset[str], packages: set[str]) -> set[tuple[str, str]]:
    """(folder, name) of every regular package and every module file."""
    found = {(posixpath.dirname(d), posixpath.basename(d)) for d in packages}
    found |= {
        (posixpath.dirname(p), posixpath.splitext(posixpath.basename(p))[0])
        for p in paths
        if p.endswith((".py", ".pyi"))
    }
    return found
