"""JavaScript and TypeScript: module specifiers to files of the repository.

Rules (Node/TypeScript "bundler"-style resolution, without ``node_modules``):

* The importer's language decides what is preferred, as its own toolchain would.
  A TypeScript importer (``.ts .tsx .mts .cts``, ``.d.ts`` included) follows TypeScript: a
  ``.js``-family specifier names the TypeScript file written under the ESM convention
  first (``./a.js`` -> ``a.ts``/``a.tsx``/``a.d.ts``, ``.mjs`` -> ``.mts``/``.d.mts``, ``.cjs``
  -> ``.cts``/``.d.cts``), then the file as written; other specifiers the file as written,
  else with an extension added (``.ts .tsx .d.ts .js .jsx .mjs .cjs .mts .cts .json``). A
  JavaScript importer follows Node and bundlers: the file as written, else with an
  extension added (``.js .jsx .mjs .cjs .json``, then ``.ts .tsx .mts .cts``), else the
  TypeScript source of a ``.js``-family specifier; never a declaration file (``.d.ts``,
  ``.d.mts``, ``.d.cts``), which nothing loads at run time. A path that names no file is
  tried as a folder: its ``package.json`` entry (``types``, ``typings``, ``main``,
  ``module`` for a TypeScript importer, ``main``, ``module`` for a JavaScript one; the
  first that names a file) or its ``index`` with an extension.
* Relative specifiers (``./``, ``../``) start at the importer's folder; ``/x`` at the
  repository root. Not found: unresolved.
* Bare specifiers go through, in order: the ``compilerOptions.paths`` aliases of the
  importer's nearest ``tsconfig.json`` (else ``jsconfig.json``) — the pattern with the
  longest prefix before ``*`` wins, its substitutions tried in order, relative to
  ``baseUrl`` or else to the folder of the config that sets ``paths``; ``extends`` of
  repo-local configs is followed, a child's setting replacing its base's — then
  ``baseUrl``-relative lookup, then the workspace packages of the repository (a
  ``package.json`` ``name`` of some folder outside ``node_modules``; ``name/sub`` resolves
  ``sub`` in that folder).
  An alias or package name that matches but names no file is unresolved; any other bare
  specifier (``react``, ``node:fs``) is external. ``#subpath`` imports are unresolved.
* A query or fragment (``./a.svg?raw``) is dropped; a specifier with a template
  placeholder (``${x}``) names no file.
"""
from __future__ import annotations

import posixpath
from typing import Any, Mapping, NamedTuple, Optional

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
    parse_jsonc,
    resolved_or,
)

EXTENSIONS = (".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".json")
JS_FIRST_EXTENSIONS = (".js", ".jsx", ".mjs", ".cjs", ".json", ".ts", ".tsx", ".mts", ".cts")
DECLARATION_SUFFIXES = (".d.ts", ".d.mts", ".d.cts")
TS_LANGUAGES = ("typescript", "tsx")
_TS_FOR_JS = {
    ".js": (".ts", ".tsx", ".d.ts"),
    ".jsx": (".tsx",),
    ".mjs": (".mts", ".d.mts"),
    ".cjs": (".cts", ".d.cts"),
}
_TS_ENTRY_FIELDS = ("types", "typings", "main", "module")
_JS_ENTRY_FIELDS = ("main", "module")
_CONFIG_NAMES = ("tsconfig.json", "jsconfig.json")


class PathsConfig(NamedTuple):
    """Effective module options of one tsconfig/jsconfig (repo-relative folders)."""

    base_url: Optional[str]
    paths_base: str
    paths: tuple[tuple[str, tuple[str, ...]], ...]


def _load_json(aux: Mapping[str, str], path: str) -> dict[str, Any]:
    data = parse_jsonc(aux[path]) if path in aux else None
    return data if isinstance(data, dict) else {}


def _extends_targets(aux: Mapping[str, str], config_path: str, data: dict[str, Any]) -> list[str]:
    """Repo-local configs named by ``extends``; the later ones override the earlier ones."""
    raw = data.get("extends")
    names = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    found = []
    for name in names:
        if not isinstance(name, str) or not name.startswith("."):
            continue
        joined = join_path(posixpath.dirname(config_path), name)
        for candidate in (joined, f"{joined}.json", f"{joined}/tsconfig.json"):
            if joined is not None and candidate in aux:
                found.append(candidate)
                break
    return found


def load_config(aux: Mapping[str, str], config_path: str, seen: frozenset[str] = frozenset()) -> PathsConfig:
    """The effective ``baseUrl`` and ``paths`` of a config, following repo-local ``extends``."""
    inherited = PathsConfig(None, posixpath.dirname(config_path), ())
    for base in _extends_targets(aux, config_path, _load_json(aux, config_path)):
        if base not in seen:
            parent = load_config(aux, base, seen | {config_path})
            inherited = PathsConfig(
                parent.base_url if parent.base_url is not None else inherited.base_url,
                parent.paths_base if parent.paths else inherited.paths_base,
                parent.paths or inherited.paths,
            )
    options = _load_json(aux, config_path).get("compilerOptions")
    options = options if isinstance(options, dict) else {}
    here = posixpath.dirname(config_path)
    base_url = inherited.base_url
    if isinstance(options.get("baseUrl"), str):
        base_url = join_path(here, options["baseUrl"])
    paths, paths_base = inherited.paths, inherited.paths_base
    if isinstance(options.get("paths"), dict):
        paths = tuple(
            (pattern, tuple(s for s in subs if isinstance(s, str)))
            for pattern, subs in sorted(options["paths"].items())
            if isinstance(subs, list)
        )
        paths_base = here
    return PathsConfig(base_url, base_url if base_url is not None else paths_base, paths)


def match_alias(pattern: str, specifier: str) -> Optional[str]:
    """The text matched by ``*`` (``""`` for an exact pattern), or None when no match."""
    if "*" not in pattern:
        return "" if pattern == specifier else None
    prefix, _, suffix = pattern.partition("*")
    fits = len(specifier) >= len(prefix) + len(suffix)
    if fits and specifier.startswith(prefix) and specifier.endswith(suffix):
        return specifier[len(prefix): len(specifier) - len(suffix)]
    return None


def make_resolver(repo: RepoIndex) -> Resolver:
    paths = repo.paths
    aux = repo.aux
    configs = {p: load_config(aux, p) for p in configs_named(aux, _CONFIG_NAMES)}
    manifests = {
        posixpath.dirname(p): _load_json(aux, p)
        for p in configs_named(aux, ("package.json",))
        if "node_modules/" not in p
    }
    packages: dict[str, str] = {}
    for folder, manifest in sorted(manifests.items()):
        name = manifest.get("name")
        if isinstance(name, str) and name and name not in packages:
            packages[name] = folder
    package_names = sorted(packages, key=lambda n: (-len(n), n))
    config_by_dir: dict[str, Optional[PathsConfig]] = {}

    def as_file(p: str, ts: bool) -> Optional[str]:
        if not p:
            return None
        root, ext = posixpath.splitext(p)
        ts_sources = tuple(root + e for e in _TS_FOR_JS.get(ext, ()))
        if ts:
            candidates = (*ts_sources, p, *(p + e for e in EXTENSIONS))
        else:
            candidates = tuple(c for c in (p, *(p + e for e in JS_FIRST_EXTENSIONS), *ts_sources)
                               if not c.endswith(DECLARATION_SUFFIXES))
        return next((c for c in candidates if c in paths), None)

    def as_file_or_dir(p: Optional[str], ts: bool) -> Optional[str]:
        if p is None:
            return None
        hit = as_file(p, ts)
        if hit:
            return hit
        manifest = manifests.get(p, {})
        for field in _TS_ENTRY_FIELDS if ts else _JS_ENTRY_FIELDS:
            entry = manifest.get(field)
            if isinstance(entry, str) and (target := join_path(p, entry)) is not None:
                hit = as_file(target, ts) or as_file(posixpath.join(target, "index"), ts)
                if hit:
                    return hit
        return as_file(posixpath.join(p, "index"), ts)

    def config_for(importer_dir: str) -> Optional[PathsConfig]:
        if importer_dir not in config_by_dir:
            found = None
            for d in parent_dirs(posixpath.join(importer_dir, "x")):
                hits = [posixpath.join(d, n) for n in _CONFIG_NAMES if posixpath.join(d, n) in configs]
                if hits:
                    found = configs[hits[0]]
                    break
            config_by_dir[importer_dir] = found
        return config_by_dir[importer_dir]

    def bare(spec: str, importer_dir: str, ts: bool) -> Resolution:
        config = config_for(importer_dir)
        if config is not None:
            matches = [(pattern, subs, rest) for pattern, subs in config.paths
                       if (rest := match_alias(pattern, spec)) is not None]
            if matches:
                _, subs, rest = max(matches, key=lambda m: (len(m[0].partition("*")[0]), "*" not in m[0]))
                found = [as_file_or_dir(join_path(config.paths_base, s.replace("*", rest, 1)), ts) for s in subs]
                return resolved_or(UNRESOLVED, [h for h in found if h][:1])
            if config.base_url is not None:
                hit = as_file_or_dir(join_path(config.base_url, spec), ts)
                if hit:
                    return resolved_or(UNRESOLVED, [hit])
        for name in package_names:
            if spec == name or spec.startswith(name + "/"):
                folder = packages[name]
                hit = as_file_or_dir(join_path(folder, spec[len(name) + 1:]) if spec != name else folder, ts)
                return resolved_or(UNRESOLVED, [hit] if hit else [])
        return Resolution(EXTERNAL)

    def resolve(f: RepoFile, imp: Import) -> Resolution:
        spec = imp.target.strip().split("?")[0].split("#")[0]
        if not spec:
            return Resolution(UNRESOLVED)
        relative = spec.startswith(("./", "../", "/")) or spec in (".", "..")
        if "${" in spec:
            return Resolution(UNRESOLVED if relative else EXTERNAL)
        importer_dir = posixpath.dirname(f.path)
        ts = f.language in TS_LANGUAGES
        if relative:
            base = "" if spec.startswith("/") else importer_dir
            hit = as_file_or_dir(join_path(base, spec.lstrip("/") if spec.startswith("/") else spec), ts)
            return resolved_or(UNRESOLVED, [hit] if hit else [])
        return bare(spec, importer_dir, ts)

    return resolve
