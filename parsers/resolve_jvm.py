"""Java, Kotlin and Scala: imports to the files that declare the imported package/class.

Rules (one index over all three languages, so Kotlin may import Java classes):

* Each file belongs to the package it declares (``ParsedFile.declares``). A file that
  declares none takes the package implied by its folder below a source root
  (``src/<set>/java|kotlin|scala/``, e.g. ``src/main/java``, ``app/src/test/kotlin``);
  otherwise it is in the default package, which cannot be imported.
* A class is named by its file's stem. ``import a.b.C`` resolves to the files of package
  ``a.b`` with stem ``C``; the longest package prefix wins, so nested classes and static
  members (``a.b.C.Inner``, ``import static a.b.C.m``) resolve to ``C``'s file.
* Wildcards (``a.b.*``, Scala ``a.b._``, kind ``wildcard`` or names ``("*",)``) resolve to
  every file of package ``a.b``; a wildcard over a class (``a.b.C.*``) to ``C``'s file.
* Scala selectors ``import a.b.{C, D => E}`` (names ``("C", "D")``) resolve each of
  ``a.b.C`` and ``a.b.D``.
* Kotlin/Scala files may hold several top-level declarations; a name with no file of
  that stem is NOT spread over the whole package: it is unresolved when it lies inside a
  package the repository declares, else external. Same-package references need no
  import in these languages and get no edge.
"""
from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from typing import Optional

from parsers.model import Import
from parsers.resolve_common import (
    EXTERNAL,
    UNRESOLVED,
    RepoFile,
    RepoIndex,
    Resolution,
    Resolver,
    is_segment_prefix,
    resolved_or,
    stem,
)

JVM_LANGUAGES = ("java", "kotlin", "scala")
_SOURCE_ROOT = re.compile(r"(?:^|/)src/[^/]+/(?:java|kotlin|scala)/")
_WILDCARD_NAMES = ("*", "_")


def package_from_path(path: str) -> Optional[str]:
    """Package implied by the folder below the last source root in ``path``, if any."""
    matches = list(_SOURCE_ROOT.finditer(path))
    if not matches:
        return None
    return posixpath.dirname(path[matches[-1].end():]).replace("/", ".")


def make_resolver(repo: RepoIndex) -> Resolver:
    package_files: dict[str, list[str]] = defaultdict(list)
    class_files: dict[tuple[str, str], list[str]] = defaultdict(list)
    for f in repo.files:
        if f.language.lower() not in JVM_LANGUAGES:
            continue
        packages = f.parsed.declares or (
            (p,) if (p := package_from_path(f.path)) is not None else ()
        )
        for package in packages:
            package_files[package].append(f.path)
            class_files[(package, stem(f.path))].append(f.path)
    declared = sorted(p for p in package_files if p)

    def in_repo_package(name: str) -> bool:
        return any(is_segment_prefix(p, name) for p in declared)

    def resolve_name(name: str, wildcard: bool) -> list[str]:
        if wildcard and name in package_files:
            return package_files[name]
        parts = name.split(".")
        for k in range(len(parts) - 1, 0, -1):
            hit = class_files.get((".".join(parts[:k]), parts[k]))
            if hit:
                return hit
        return []

    def resolve(f: RepoFile, imp: Import) -> Resolution:
        target = imp.target.strip().removeprefix("_root_.")
        wildcard = "wildcard" in imp.kind or any(n in _WILDCARD_NAMES for n in imp.names)
        for suffix in (".*", "._"):
            if target.endswith(suffix):
                target, wildcard = target[: -len(suffix)], True
        found = [
            p for n in imp.names if n not in _WILDCARD_NAMES for p in resolve_name(f"{target}.{n}", False)
        ]
        if wildcard or not found:
            found += resolve_name(target, wildcard)
        return resolved_or(UNRESOLVED if in_repo_package(target) else EXTERNAL, found)

    return resolve
