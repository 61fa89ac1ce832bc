"""Java, Kotlin and Scala: imports to the files that declare the imported package/class.

Rules (one index over all three languages, so Kotlin may import Java classes):

* Each file belongs to the package it declares (``ParsedFile.declares``). A file that
  declares none takes the package implied by its folder below a source root
  (``src/<set>/java|kotlin|scala/``, e.g. ``src/main/java``, ``app/src/test/kotlin``);
  otherwise it is in the default package, which cannot be imported.
* A class is named by its file's stem. ``import a.b.C`` resolves to the files of package
  ``a.b`` with stem ``C``; the longest package prefix wins, so nested classes and static
  members (``a.b.C.Inner``, ``import static a.b.C.m``) resolve to ``C``'s file.
* Wildcards (``a.b.*``, Scala ``a.b._``: kind ``wildcard`` or names holding ``*``, target
  ``a.b``) resolve to every file of package ``a.b`` — except, for an importer outside a
  test source set, the files of test source sets (``src/test/``, ``src/androidTest/``
  ...), which its compilation cannot see; a wildcard over a class
  (``a.b.C.*``, static or Scala object members) to ``C``'s file. A Java static wildcard
  (``import static a.b.C.*``) always names the class ``a.b.C``, never a package, even
  where a package ``a.b.C`` exists too.
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
    family_of,
    lies_within,
    resolved_or,
    stem,
)

_SOURCE_ROOT = re.compile(r"(?:^|/)src/[^/]+/(?:java|kotlin|scala)/")
_TEST_SOURCE_SET = re.compile(r"(?:^|/)src/[^/]*[tT]est[^/]*/")


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
        if family_of(f.language) != "jvm":
            continue
        packages = f.parsed.declares or (
            (p,) if (p := package_from_path(f.path)) is not None else ()
        )
        for package in packages:
            package_files[package].append(f.path)
            class_files[(package, stem(f.path))].append(f.path)
    declared = {p for p in package_files if p}

    def resolve_name(name: str, wildcard: bool, from_tests: bool) -> list[str]:
        if wildcard and name in package_files:
            return [p for p in package_files[name] if from_tests or not _TEST_SOURCE_SET.search(p)]
        parts = name.split(".")
        for k in range(len(parts) - 1, 0, -1):
            hit = class_files.get((".".join(parts[:k]), parts[k]))
            if hit:
                return hit
        return []

    def resolve(f: RepoFile, imp: Import) -> Resolution:
        target = imp.target.strip().removeprefix("_root_.")
        wildcard = imp.kind == "wildcard" or "*" in imp.names
        package_wildcard = wildcard and imp.kind != "static_import"
        from_tests = bool(_TEST_SOURCE_SET.search(f.path))
        found = [p for n in imp.names if n != "*" for p in resolve_name(f"{target}.{n}", False, from_tests)]
        if wildcard or not found:
            found += resolve_name(target, package_wildcard, from_tests)
        return resolved_or(UNRESOLVED if lies_within(target, declared) else EXTERNAL, found)

    return resolve
