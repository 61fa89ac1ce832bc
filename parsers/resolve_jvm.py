"""Java, Kotlin and Scala: imports to the files that declare the imported package/class.

Rules (one index over all three languages, so Kotlin may import Java classes):

* Each file belongs to the package it declares (``ParsedFile.declares``). A file that
  declares none takes the package implied by its folder below a source root
  (``src/<set>/java|kotlin|scala/``, e.g. ``src/main/java``, ``app/src/test/kotlin``);
  otherwise it is in the default package, which cannot be imported.
* A class is named by its file's stem (and, for Java, by each top-level type the file
  declares). ``import a.b.C`` resolves to the files of package ``a.b`` with stem ``C``;
  the longest package prefix wins, so nested classes and static members
  (``a.b.C.Inner``, ``import static a.b.C.m``) resolve to ``C``'s file. When several
  source roots hold the class (a patched copy under ``.pc/…/src/main/java/``), those in
  the importer's own source root win.
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
  package the repository declares, else external (a Kotlin file's top-level functions,
  properties and objects are recorded in ``ParsedFile.types``, so ``import a.b.helper``
  finds the file that declares ``helper``).

Java, Kotlin and Scala references without an import (issue 13; the names come from
:mod:`parsers.references`, one per file, scoped and shadowed there). For each name a
file uses, bound in Java's order (JLS §6.4.1, §7.5; Kotlin's and Scala's are the same in
effect: explicit imports and selectors, then the package, then wildcard imports, then
default imports):

1. a single-type or single-static import of that simple name wins (``import x.y.Node``
   hides the package's own ``Node``); the import itself is resolved by the rules above;
2. a top-level type of the file's own package (``ParsedFile.types``, else the file's
   stem) gives an edge (text ``same package: Node``). Candidates in the importer's own
   source root come first (``src/main/java/`` before a patched copy of the same class
   elsewhere); an importer outside a test source set never binds to a test class; files
   of the default package (no ``package``, no source root) bind only within their folder;
3. otherwise each package wildcard ``import a.b.*`` whose package has a top-level type of
   that name binds it: a Java wildcard import of a repository package resolves only to
   the files of the types the file uses from it, not to the whole package (an unused
   wildcard import of a repository package is resolved with no file);
4. otherwise a dotted name (``a.b.Foo`` in code, ``a.b.Foo.CONST``) resolves by its
   longest package + class prefix (text ``qualified: a.b.Foo``).

Names of the JDK (``String``, ``List``) find no file and give no edge. A Java file
parsed without references (``None``) keeps the import-only behaviour.
"""
from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from typing import Mapping, NamedTuple, Optional

from parsers.model import Import
from parsers.resolve_common import (
    EXTERNAL,
    RESOLVED,
    UNRESOLVED,
    ReferenceResolver,
    RepoFile,
    RepoIndex,
    Resolution,
    Resolver,
    bind_references,
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


def source_root(path: str, package: str) -> str:
    """The folder above ``package``'s folders in ``path`` (its folder when they differ)."""
    folder = posixpath.dirname(path)
    tail = package.replace(".", "/")
    if tail and (folder == tail or folder.endswith("/" + tail)):
        return folder[: len(folder) - len(tail)]
    return folder + "/" if folder else ""


class _Bindings(NamedTuple):
    """What one Java file's references bind to: edges ``(path, text)`` and, per package
    wildcard target, the files of the types it uses from that package."""

    edges: tuple[tuple[str, str], ...]
    wildcard: Mapping[str, tuple[str, ...]]


def make_resolver(repo: RepoIndex) -> Resolver:
    """The import resolver alone (see :func:`make_resolvers`)."""
    return make_resolvers(repo)[0]


def make_resolvers(repo: RepoIndex) -> tuple[Resolver, ReferenceResolver]:
    """The import resolver and the reference resolver of one repository, sharing indexes."""
    package_files: dict[str, list[str]] = defaultdict(list)
    class_files: dict[tuple[str, str], list[str]] = defaultdict(list)
    package_of: dict[str, str] = {}
    for f in repo.files:
        if family_of(f.language) != "jvm":
            continue
        packages = f.parsed.declares or (
            (p,) if (p := package_from_path(f.path)) is not None else ()
        )
        for package in packages:
            package_files[package].append(f.path)
            for name in dict.fromkeys((stem(f.path), *f.parsed.types)):
                class_files[(package, name)].append(f.path)
        package_of[f.path] = packages[0] if packages else ""
    declared = {p for p in package_files if p}
    roots = {path: source_root(path, package) for path, package in package_of.items()}

    def resolve_name(name: str, wildcard: bool, from_tests: bool) -> list[str]:
        if wildcard and name in package_files:
            return [p for p in package_files[name] if from_tests or not _TEST_SOURCE_SET.search(p)]
        return as_class(name)

    def own_root_first(f: RepoFile, candidates: list[str]) -> list[str]:
        own = [p for p in candidates if roots.get(p) == roots.get(f.path)]
        return own or candidates

    def as_class(name: str) -> list[str]:
        parts = name.split(".")
        for k in range(len(parts) - 1, 0, -1):
            hit = class_files.get((".".join(parts[:k]), parts[k]))
            if hit:
                return hit
        return []

    def visible(f: RepoFile, candidates: list[str]) -> list[str]:
        """Candidates ``f`` can see, those of its own source root first (rule 2)."""
        if not _TEST_SOURCE_SET.search(f.path):
            candidates = [p for p in candidates if not _TEST_SOURCE_SET.search(p)]
        return own_root_first(f, candidates)

    bindings: dict[str, _Bindings] = {}

    def bind(f: RepoFile) -> _Bindings:
        if f.path in bindings:
            return bindings[f.path]
        single, wildcards = set(), []
        for imp in f.parsed.imports:
            selected = [n for n in imp.names if n not in ("*", "given")]
            if selected:  # Scala selectors: import a.b.{C, D}
                single.update(selected)
            if imp.kind == "wildcard" or "*" in imp.names:
                if imp.kind != "static_import":
                    wildcards.append(imp.target.strip())
            elif not selected:
                single.add(imp.target.strip().rsplit(".", 1)[-1])
        package = package_of.get(f.path, "")
        folder = posixpath.dirname(f.path)

        def own_package(name: str) -> list[str]:
            same = class_files.get((package, name), [])
            if not package:  # the default package: only the file's own folder
                same = [p for p in same if posixpath.dirname(p) == folder]
            return visible(f, same)

        edges, wildcard = bind_references(
            f.parsed.references or (), single, own_package, wildcards,
            lambda target, name: visible(f, class_files.get((target, name), [])),
            lambda reference: visible(f, as_class(reference)), "same package")
        result = _Bindings(tuple(sorted(edges.items())),
                           {t: tuple(sorted(ps)) for t, ps in wildcard.items()})
        bindings[f.path] = result
        return result

    def resolve(f: RepoFile, imp: Import) -> Resolution:
        target = imp.target.strip().removeprefix("_root_.")
        wildcard = imp.kind == "wildcard" or "*" in imp.names
        package_wildcard = wildcard and imp.kind != "static_import"
        from_tests = bool(_TEST_SOURCE_SET.search(f.path))
        if package_wildcard and f.parsed.references is not None and target in package_files:
            return Resolution(RESOLVED, bind(f).wildcard.get(target, ()))
        found = [p for n in imp.names if n != "*" for p in resolve_name(f"{target}.{n}", False, from_tests)]
        if wildcard or not found:
            found += resolve_name(target, package_wildcard, from_tests)
        if not package_wildcard:
            found = own_root_first(f, found)
        return resolved_or(UNRESOLVED if lies_within(target, declared) else EXTERNAL, found)

    def references(f: RepoFile) -> tuple[tuple[str, str], ...]:
        if f.parsed.references is None or f.path not in package_of:
            return ()
        return bind(f).edges

    return resolve, references
