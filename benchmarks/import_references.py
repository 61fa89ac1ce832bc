"""Reference import graphs of a repository, computed by tools this project did not write.

Each function returns a :class:`Reference`: the edges ``(importer, imported)`` between
repository files (repo-relative paths) that the tool found, which files it read imports
from (``importers``) and which files it could name as imported (``targets``; ``None``
when any file of the repository can be), plus counts worth reporting.

* :func:`python_reference` — grimp builds the import graph of every top-level regular
  package of the repository (a folder with ``__init__.py`` whose parent has none), each
  with its parent folder on ``sys.path``, in a fresh interpreter. grimp's conventions
  (checked on a toy package): ``import a.b.c`` links only ``a.b.c``; ``from p import x``
  links ``p.x`` when ``x`` is a submodule, else ``p``; no implicit edges to parent
  packages; imports inside functions and ``TYPE_CHECKING`` blocks count; dynamic imports
  (``importlib.import_module("x")``) do not. Modules in folders without ``__init__.py``
  (test or script folders) and stub files are outside its graph.
* :func:`c_reference` — the GNU preprocessor. Pass 1, per file: ``gcc -E -dI`` lists the
  ``#include`` directives the preprocessor actually processes in that file (those in
  active conditional branches). A header that is missing (a generated ``config.h``) is
  replaced by an empty stub in a scratch folder searched last (``-idirafter``), and the
  file is retried; stubs change what ``#ifdef HAVE_…`` sees, like any one configuration
  does. Pass 2: each active directive is resolved by gcc's own search from a scratch
  file (``-iquote`` the including file's folder, then ``-I``) and read back from ``-H``
  (depth 1). Resolving separately matters: ``-H`` on the file itself omits a direct
  include of a header already entered through another one (include guards), so it
  under-reports direct includes. Include folders, as a build would pass them: the
  repository root (``-I.``), then every folder named ``include`` or ``src``, shallow first.
* :func:`java_reference` — jdeps on classes compiled by javac: the files of each Maven
  main source set (``…/src/main/java``) are compiled together (when javac reports
  missing packages, it is retried once with the installed Debian jars of
  ``/usr/share/java`` that hold them, e.g. ``jsr305.jar`` for ``javax.annotation``; a
  source set that still does not compile is reported and skipped), and
  ``jdeps -verbose:class`` lists the classes each class uses; a class maps to the file
  of its top-level class (``a.b.C$D`` -> ``…/a/b/C.java``). Bytecode conventions: every
  class used counts, imported or not (same-package uses need no import; the benchmark
  compares them too since issue 13); an import used only in
  Javadoc, only for a compile-time constant (inlined) or only for a source-retention
  annotation leaves no trace in bytecode.
* :func:`js_reference` — madge (``--json --extensions js,mjs,cjs,ts,tsx,jsx``, with
  ``--ts-config`` when the repository root has a ``tsconfig.json``); its dependency lists
  are edges between repository files.
"""
from __future__ import annotations

import functools
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from typing import Iterable, Mapping, NamedTuple, Optional, Sequence

GCC = "gcc"
MADGE = os.environ.get("MADGE", "/work/tools/node_modules/.bin/madge")
MADGE_EXTENSIONS = "js,mjs,cjs,ts,tsx,jsx"
INCLUDE_DIR_NAMES = ("include", "src")
C_SOURCE_EXTENSIONS = (".c",)
CPP_SOURCE_EXTENSIONS = (".cc", ".cpp", ".cxx", ".c++", ".cp")
CPP_HEADER_EXTENSIONS = (".hh", ".hpp", ".hxx", ".h++", ".ipp", ".tpp", ".tcc", ".inl")
MAX_STUBS_PER_FILE = 40
TOOL_TIMEOUT_S = 300

_LINEMARKER = re.compile(r'^# (\d+) "((?:[^"\\]|\\.)*)"')
_INCLUDE_DIRECTIVE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
_MISSING_HEADER = re.compile(r"fatal error: (.+?): No such file or directory")


class Reference(NamedTuple):
    """One tool's import graph of one repository, in repo-relative paths."""

    tool: str
    importers: frozenset[str]
    targets: Optional[frozenset[str]]
    edges: frozenset[tuple[str, str]]
    details: Mapping[tuple[str, str], str]
    failed: tuple[tuple[str, str], ...]
    counts: Mapping[str, int]
    active_includes: Optional[Mapping[str, frozenset[tuple[str, str]]]] = None


@functools.cache
def tool_version(command: tuple[str, ...]) -> str:
    """First line a ``--version`` call prints, or why there is none."""
    try:
        out = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60)
    except OSError as err:
        return f"unavailable ({err.strerror})"
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else "?"


# ---------------------------------------------------------------- python: grimp

_GRIMP_SCRIPT = r"""
import json, sys
request = json.loads(sys.stdin.read())
sys.path[:0] = request["roots"]
import grimp
packages = list(request["packages"])
failed = []
while packages:
    try:
        graph = grimp.build_graph(*packages, include_external_packages=False, cache_dir=None)
        break
    except Exception as exc:
        bad = next((p for p in packages if p in str(exc)), packages[-1])
        failed.append([bad, type(exc).__name__ + ": " + str(exc)[:300]])
        packages.remove(bad)
else:
    graph = None
edges = []
for importer in sorted(graph.modules if graph else ()):
    for imported in sorted(graph.find_modules_directly_imported_by(importer)):
        details = graph.get_import_details(importer=importer, imported=imported)
        text = details[0]["line_contents"] if details else ""
        edges.append([importer, imported, text])
print(json.dumps({"modules": sorted(graph.modules) if graph else [], "edges": edges,
                  "failed": failed, "version": grimp.__version__}))
"""


def top_level_packages(paths: Iterable[str]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """``{package name: its parent folder}`` for every top-level regular package, and the
    packages left out (a name already taken by a shallower package, or not an identifier)."""
    package_dirs = {posixpath.dirname(p) for p in paths if posixpath.basename(p) == "__init__.py"}
    tops = sorted((d for d in package_dirs if posixpath.dirname(d) not in package_dirs),
                  key=lambda d: (d.count("/"), d))
    chosen: dict[str, str] = {}
    skipped: list[tuple[str, str]] = []
    for d in tops:
        name = posixpath.basename(d)
        if not name.isidentifier():
            skipped.append((d, "not an identifier"))
        elif name in chosen:
            skipped.append((d, f"name taken by {posixpath.join(chosen[name], name)}"))
        else:
            chosen[name] = posixpath.dirname(d)
    return chosen, skipped


def module_path(module: str, package_roots: Mapping[str, str], paths: frozenset[str]) -> Optional[str]:
    """Repo path of a module grimp names (``a.b`` -> ``ROOT/a/b.py`` or ``ROOT/a/b/__init__.py``)."""
    root = package_roots.get(module.split(".")[0])
    if root is None:
        return None
    stem = posixpath.join(root, module.replace(".", "/"))
    for candidate in (stem + ".py", stem + "/__init__.py"):
        if candidate in paths:
            return candidate
    return None


def python_reference(root: str, paths: frozenset[str]) -> Reference:
    """grimp's graph of all top-level packages of the repository at ``root``."""
    packages, skipped = top_level_packages(paths)
    failed = [(d, f"package skipped: {why}") for d, why in skipped]
    if not packages:
        return Reference("grimp", frozenset(), frozenset(), frozenset(), {}, tuple(failed), {"packages": 0})
    roots = sorted({os.path.join(root, r) if r else root for r in packages.values()})
    request = json.dumps({"roots": roots, "packages": sorted(packages)})
    out = subprocess.run([sys.executable, "-c", _GRIMP_SCRIPT], input=request, capture_output=True,
                         text=True, timeout=TOOL_TIMEOUT_S, cwd=tempfile.gettempdir())
    if out.returncode != 0:
        failed.append(("", f"grimp: {out.stderr.strip()[-300:]}"))
        return Reference("grimp", frozenset(), frozenset(), frozenset(), {}, tuple(failed), {"packages": 0})
    result = json.loads(out.stdout)
    failed += [(name, f"package failed: {why}") for name, why in result["failed"]]
    files = {m: module_path(m, packages, paths) for m in result["modules"]}
    covered = frozenset(f for f in files.values() if f)
    edges: dict[tuple[str, str], str] = {}
    for importer, imported, text in result["edges"]:
        a, b = files.get(importer), files.get(imported)
        if a and b and a != b:
            edges.setdefault((a, b), text)
    counts = {"packages": len(packages) - len(result["failed"]), "modules": len(result["modules"])}
    return Reference(f"grimp {result['version']}", covered, covered, frozenset(edges), edges,
                     tuple(failed), counts)


# ---------------------------------------------------------------- c / c++: gcc

_CMAKE_INCLUDES = re.compile(r"\b(target_)?include_directories\s*\(([^)]*)\)", re.IGNORECASE)
_CMAKE_KEYWORDS = frozenset({"PUBLIC", "PRIVATE", "INTERFACE", "SYSTEM", "BEFORE", "AFTER"})
_CMAKE_ROOT_VARS = ("${PROJECT_SOURCE_DIR}", "${CMAKE_SOURCE_DIR}")
_CMAKE_HERE_VARS = ("${CMAKE_CURRENT_SOURCE_DIR}", "${CMAKE_CURRENT_LIST_DIR}")
_MAKE_INCLUDE = re.compile(r"(?<![\w-])-I\s*([^\s\\'\"]+)")
_MAKE_ROOT_VARS = ("$(top_srcdir)", "$(abs_top_srcdir)", "${top_srcdir}")
_MAKE_HERE_VARS = ("$(srcdir)", "$(abs_srcdir)", "${srcdir}")
_MESON_INCLUDES = re.compile(r"include_directories\s*\(([^)]*)\)")
_MESON_STRING = re.compile(r"'([^']*)'")


def build_include_dirs(folders: frozenset[str], files: Mapping[str, str]) -> list[str]:
    """Repo folders that build files pass as include paths: CMake ``include_directories`` /
    ``target_include_directories``, ``-I`` in Makefiles and automake files, meson
    ``include_directories``. ``files`` maps build-file paths to their text; ``${...}`` and
    ``$(...)`` other than the source-folder variables are skipped (build-tree folders)."""
    found = set()
    for path, text in files.items():
        here = posixpath.dirname(path)
        name = posixpath.basename(path)
        tokens: list[str] = []
        if name == "CMakeLists.txt" or name.endswith(".cmake"):
            for match in _CMAKE_INCLUDES.finditer(text):
                words = [w.strip('"') for w in match.group(2).split()]
                words = words[1:] if match.group(1) else words
                for word in words:
                    word = re.sub(r"^\$<BUILD_INTERFACE:(.*)>$", r"\1", word)
                    for var in _CMAKE_ROOT_VARS:
                        word = word.replace(var + "/", "/").replace(var, "/")
                    for var in _CMAKE_HERE_VARS:
                        word = word.replace(var, here and "/" + here)
                    if word not in _CMAKE_KEYWORDS:
                        tokens.append(word)
        elif name == "meson.build":
            for match in _MESON_INCLUDES.finditer(text):
                tokens += _MESON_STRING.findall(match.group(1))
        elif name.startswith(("Makefile", "GNUmakefile")) or name.endswith((".am", ".mk")):
            for word in _MAKE_INCLUDE.findall(text):
                for var in _MAKE_ROOT_VARS:
                    word = word.replace(var, "/")
                for var in _MAKE_HERE_VARS:
                    word = word.replace(var, here and "/" + here)
                tokens.append(word)
        for token in tokens:
            if "$" in token or not token:
                continue
            folder = posixpath.normpath(token.lstrip("/") if token.startswith("/") else posixpath.join(here, token))
            folder = "" if folder == "." else folder
            if folder in folders and not folder.startswith("../"):
                found.add(folder)
    return sorted(found, key=lambda d: (d.count("/"), d))


def include_flags(root: str, paths: frozenset[str], build_dirs: Sequence[str]) -> list[str]:
    """``-I`` flags a build would pass: the root (``-I.``), the folders build files name, then
    every folder named include/src, shallow first."""
    named = set()
    for p in paths:
        d = posixpath.dirname(p)
        while d:
            if posixpath.basename(d) in INCLUDE_DIR_NAMES:
                named.add(d)
            d = posixpath.dirname(d)
    ordered = [d for d in build_dirs if d]
    ordered += sorted(named - set(ordered), key=lambda d: (d.count("/"), d))
    return [f"-I{root}"] + [f"-I{os.path.join(root, d)}" for d in ordered]


def _build_files(root: str, paths: frozenset[str]) -> dict[str, str]:
    texts = {}
    for p in sorted(paths):
        name = posixpath.basename(p)
        if (name in ("CMakeLists.txt", "meson.build") or name.endswith((".cmake", ".am", ".mk"))
                or name.startswith(("Makefile", "GNUmakefile"))):
            with open(os.path.join(root, p), encoding="utf-8", errors="replace") as handle:
                texts[p] = handle.read()
    return texts


def gcc_language(path: str, cpp_repo: bool) -> tuple[str, str]:
    """``(-x language, -std)`` of a file: C++ for C++ extensions, and for ``.h`` in a C++ repo."""
    lower = path.lower()
    if lower.endswith(CPP_SOURCE_EXTENSIONS):
        return "c++", "-std=gnu++17"
    if lower.endswith(C_SOURCE_EXTENSIONS):
        return "c", "-std=gnu11"
    if cpp_repo or lower.endswith(CPP_HEADER_EXTENSIONS):
        return "c++-header", "-std=gnu++17"
    return "c-header", "-std=gnu11"


def active_directives(preprocessed: str, main_file: str) -> frozenset[tuple[str, str]]:
    """``(kind, spelling)`` of the ``#include`` lines ``gcc -E -dI`` kept in ``main_file``
    (kind ``include_local`` for ``"x"``, ``include_system`` for ``<x>``)."""
    current = None
    found = set()
    for line in preprocessed.splitlines():
        if not line.startswith("#"):
            continue
        marker = _LINEMARKER.match(line)
        if marker:
            current = marker.group(2)
            continue
        directive = _INCLUDE_DIRECTIVE.match(line)
        if directive and current == main_file:
            kind = "include_local" if directive.group(1) == '"' else "include_system"
            found.add((kind, directive.group(2).strip()))
    return frozenset(found)


def _stub(stub_root: str, name: str) -> bool:
    """Create an empty header ``name`` under ``stub_root``; False when it would escape it."""
    target = os.path.normpath(os.path.join(stub_root, name))
    base = os.path.dirname(os.path.dirname(os.path.dirname(stub_root)))
    if not target.startswith(base + os.sep) or os.path.exists(target):
        return False
    os.makedirs(os.path.dirname(target), exist_ok=True)
    open(target, "w").close()
    return True


def preprocess_directives(abs_file: str, language: tuple[str, str], flags: list[str],
                          stub_root: str, work_dir: str) -> tuple[Optional[frozenset[tuple[str, str]]], str, int]:
    """Active directives of one file (None on failure), why it failed, stubs created."""
    stubs = 0
    for _ in range(MAX_STUBS_PER_FILE):
        command = [GCC, "-E", "-dI", "-x", language[0], language[1], *flags,
                   "-idirafter", stub_root, abs_file]
        out = subprocess.run(command, capture_output=True, text=True, errors="replace",
                             timeout=TOOL_TIMEOUT_S, cwd=work_dir)
        missing = _MISSING_HEADER.search(out.stderr)
        if missing is None:
            if not out.stdout:
                return None, out.stderr.strip()[-200:] or f"gcc exit {out.returncode}", stubs
            return active_directives(out.stdout, abs_file), "", stubs
        if not _stub(stub_root, missing.group(1)):
            return None, f"missing header {missing.group(1)} cannot be stubbed", stubs
        stubs += 1
    return None, f"more than {MAX_STUBS_PER_FILE} missing headers", stubs


def resolve_with_gcc(importer_dir: str, directives: Sequence[tuple[str, str]], flags: list[str],
                     work_dir: str) -> dict[tuple[str, str], str]:
    """Absolute path gcc opens for each ``(kind, spelling)`` included from ``importer_dir``.

    One scratch file per directive, each starting with a marker header, all preprocessed by
    one gcc call with ``-H``; the first depth-1 header after marker ``k`` is directive ``k``'s.
    """
    batch = tempfile.mkdtemp(dir=work_dir)
    inputs = []
    for k, (kind, spelling) in enumerate(directives):
        open(os.path.join(batch, f"__mark_{k}.h"), "w").close()
        quoted = f'"{spelling}"' if kind == "include_local" else f"<{spelling}>"
        with open(os.path.join(batch, f"t{k}.c"), "w") as handle:
            handle.write(f'#include "__mark_{k}.h"\n#include {quoted}\n')
        inputs.append(f"t{k}.c")
    command = [GCC, "-E", "-H", "-x", "c", "-iquote", importer_dir, *flags, *inputs]
    out = subprocess.run(command, capture_output=True, text=True, errors="replace",
                         timeout=TOOL_TIMEOUT_S, cwd=batch)
    found: dict[tuple[str, str], str] = {}
    current: Optional[int] = None
    for line in out.stderr.splitlines():
        if not line.startswith(". "):
            continue
        name = line[2:]
        mark = re.fullmatch(r"__mark_(\d+)\.h", name)
        if mark:
            current = int(mark.group(1))
        elif current is not None:
            found[directives[current]] = os.path.realpath(os.path.join(batch, name))
            current = None
    shutil.rmtree(batch)
    return found


def c_reference(root: str, files: Sequence[str], paths: frozenset[str]) -> Reference:
    """The preprocessor's direct includes of ``files`` (C/C++ paths) between repository files."""
    real_root = os.path.realpath(root)
    folders = frozenset(d for p in paths for d in _ancestors(p))
    build_dirs = build_include_dirs(folders, _build_files(real_root, paths))
    flags = include_flags(real_root, paths, build_dirs)
    cpp_repo = any(p.lower().endswith(CPP_SOURCE_EXTENSIONS) for p in paths)
    basenames = {posixpath.basename(p) for p in paths}
    work_dir = tempfile.mkdtemp(prefix="bench_c_")
    stub_root = os.path.join(work_dir, "s1", "s2", "stubs")
    os.makedirs(stub_root)
    active: dict[str, frozenset[tuple[str, str]]] = {}
    failed: list[tuple[str, str]] = []
    stubbed_files = 0
    try:
        for path in sorted(files):
            abs_file = os.path.join(real_root, path)
            directives, why, stubs = preprocess_directives(
                abs_file, gcc_language(path, cpp_repo), flags, stub_root, work_dir)
            stubbed_files += stubs > 0
            if directives is None:
                failed.append((path, why))
            else:
                active[path] = directives
        wanted: dict[str, set[tuple[str, str]]] = {}
        for path, directives in active.items():
            for directive in directives:
                if posixpath.basename(directive[1]) in basenames:
                    wanted.setdefault(posixpath.dirname(path), set()).add(directive)
        resolved: dict[tuple[str, tuple[str, str]], str] = {}
        for importer_dir, directives in sorted(wanted.items()):
            ordered = sorted(directives)
            for directive, abs_path in resolve_with_gcc(
                    os.path.join(real_root, importer_dir), ordered, flags, work_dir).items():
                resolved[(importer_dir, directive)] = abs_path
    finally:
        shutil.rmtree(work_dir)
    edges: dict[tuple[str, str], str] = {}
    for path in sorted(active):
        for directive in sorted(active[path]):
            abs_path = resolved.get((posixpath.dirname(path), directive))
            if abs_path and abs_path.startswith(real_root + os.sep):
                target = os.path.relpath(abs_path, real_root).replace(os.sep, "/")
                if target != path:
                    edges.setdefault((path, target), directive[1])
    counts = {"preprocessed": len(active), "failed": len(failed), "stubbed_files": stubbed_files,
              "build_include_dirs": len(build_dirs),
              "stubs": _count_files(stub_root) if os.path.isdir(stub_root) else 0}
    return Reference(tool_version((GCC,)), frozenset(active), None, frozenset(edges), edges,
                     tuple(failed), counts, active)


def _ancestors(path: str) -> list[str]:
    out = []
    d = posixpath.dirname(path)
    while d:
        out.append(d)
        d = posixpath.dirname(d)
    return out


def _count_files(folder: str) -> int:
    return sum(len(names) for _, _, names in os.walk(folder))


# ---------------------------------------------------------------- java: javac + jdeps

JAVAC = "javac"
JDEPS = "jdeps"
_MAIN_SOURCE_SET = re.compile(r"(?:^|/)src/main/java/")
_JDEPS_EDGE = re.compile(r"^\s+(\S+)\s+->\s+(\S+)")
_MISSING_PACKAGE = re.compile(r"error: package (\S+) does not exist")
SYSTEM_JARS = "/usr/share/java"


def java_source_sets(paths: Iterable[str]) -> dict[str, list[str]]:
    """``{source-set folder: its .java files}`` for every Maven main source set."""
    sets: dict[str, list[str]] = {}
    for p in sorted(paths):
        match = _MAIN_SOURCE_SET.search(p)
        if match and p.endswith(".java"):
            sets.setdefault(p[: match.end()], []).append(p)
    return sets


def class_file(class_name: str, source_set: str, paths: frozenset[str]) -> Optional[str]:
    """The source file of a class jdeps names (nested classes map to their top-level class)."""
    candidate = source_set + class_name.split("$")[0].replace(".", "/") + ".java"
    return candidate if candidate in paths else None


def _javac(classes: str, arguments: str, jars: Sequence[str]) -> subprocess.CompletedProcess:
    classpath = ["-classpath", os.pathsep.join(jars)] if jars else []
    return subprocess.run(
        [JAVAC, "-nowarn", "-proc:none", "-encoding", "UTF-8", *classpath, "-d", classes, f"@{arguments}"],
        capture_output=True, text=True, errors="replace", timeout=TOOL_TIMEOUT_S)


@functools.cache
def _system_jar_packages() -> dict[str, str]:
    """``{package: jar}`` for the installed jars of :data:`SYSTEM_JARS` (first jar by name wins)."""
    packages: dict[str, str] = {}
    if not os.path.isdir(SYSTEM_JARS):
        return packages
    for name in sorted(os.listdir(SYSTEM_JARS)):
        jar = os.path.join(SYSTEM_JARS, name)
        if not name.endswith(".jar") or os.path.islink(jar):
            continue
        try:
            with zipfile.ZipFile(jar) as archive:
                for member in archive.namelist():
                    if member.endswith(".class") and "/" in member and not member.startswith("META-INF/"):
                        packages.setdefault(member.rsplit("/", 1)[0].replace("/", "."), jar)
        except (OSError, zipfile.BadZipFile):
            continue
    return packages


def jars_providing(packages: Iterable[str]) -> list[str]:
    """Installed jars holding the packages javac reported missing (``javax.annotation`` ->
    ``jsr305.jar``): a source set that only lacks Debian-packaged dependencies compiles.
    The caller leaves out packages the repository has folders for, so an installed build
    of the library itself never stands in for its own sources."""
    index = _system_jar_packages()
    return sorted({index[p] for p in packages if p in index})


def java_reference(root: str, paths: frozenset[str]) -> Reference:
    """jdeps's class dependencies of every main source set that compiles on its own."""
    importers: set[str] = set()
    edges: dict[tuple[str, str], str] = {}
    failed: list[tuple[str, str]] = []
    unmapped = 0
    with tempfile.TemporaryDirectory(prefix="bench_java_") as work_dir:
        for k, (source_set, files) in enumerate(sorted(java_source_sets(paths).items())):
            classes = os.path.join(work_dir, f"classes{k}")
            arguments = os.path.join(work_dir, f"sources{k}.txt")
            with open(arguments, "w", encoding="utf-8") as handle:
                handle.write("\n".join(os.path.join(root, f) for f in files))
            compiled = _javac(classes, arguments, [])
            missing = [m for m in _MISSING_PACKAGE.findall(compiled.stderr)
                       if not any(f"/{m.replace('.', '/')}/" in f"/{p}" for p in paths)]
            jars = jars_providing(missing) if compiled.returncode else []
            if jars:
                compiled = _javac(classes, arguments, jars)
            if compiled.returncode != 0:
                errors = [line for line in compiled.stderr.splitlines() if "error:" in line]
                failed.append((source_set, f"javac: {(errors or ['failed'])[0][-200:]}"))
                continue
            listed = subprocess.run([JDEPS, "-verbose:class", "-filter:none", classes],
                                    capture_output=True, text=True, timeout=TOOL_TIMEOUT_S)
            importers.update(files)
            users = set()
            for line in listed.stdout.splitlines():
                match = _JDEPS_EDGE.match(line)
                if not match:
                    continue
                users.add(match.group(1))
                a = class_file(match.group(1), source_set, paths)
                b = class_file(match.group(2), source_set, paths)
                if a is not None and b is not None and a != b:
                    edges.setdefault((a, b), match.group(2))
            unmapped += sum(class_file(c, source_set, paths) is None for c in users)
    covered = frozenset(importers)
    return Reference(f"{tool_version((JAVAC,))} + jdeps", covered, covered, frozenset(edges), edges,
                     tuple(failed), {"source_sets": len(java_source_sets(paths)), "unmapped_classes": unmapped})


# ---------------------------------------------------------------- javascript / typescript: madge

def js_reference(root: str, paths: frozenset[str]) -> Reference:
    """madge's dependency graph of the repository at ``root``."""
    command = [MADGE, "--json", "--extensions", MADGE_EXTENSIONS]
    if "tsconfig.json" in paths:
        command += ["--ts-config", os.path.join(root, "tsconfig.json")]
    # Node cuts output to a pipe short at exit (64 KiB), so stdout goes to a file.
    with tempfile.TemporaryFile("w+", encoding="utf-8") as stdout:
        out = subprocess.run([*command, "."], stdout=stdout, stderr=subprocess.PIPE, text=True,
                             timeout=TOOL_TIMEOUT_S, cwd=root)
        stdout.seek(0)
        text = stdout.read()
    version = f"madge {tool_version((MADGE,))}"
    try:
        graph = json.loads(text)
    except ValueError:
        return Reference(version, frozenset(), None, frozenset(), {},
                         (("", f"madge: {out.stderr.strip()[-300:]}"),), {})
    importers = frozenset(p for p in graph if p in paths)
    edges = {(a, b): "" for a in sorted(importers) for b in graph[a] if b in paths and b != a}
    return Reference(version, importers, None, frozenset(edges), edges, (), {"files": len(graph)})
