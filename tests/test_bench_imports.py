"""The import-graph benchmark: reference tools' conventions and like-with-like comparison."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench_imports  # noqa: E402
import import_references  # noqa: E402
from parsers.model import Import  # noqa: E402

from conftest import write_tree  # noqa: E402


def reference(edges, importers, targets=None, active=None) -> import_references.Reference:
    return import_references.Reference(
        "tool", frozenset(importers), None if targets is None else frozenset(targets),
        frozenset(edges), {}, (), {}, active)


def test_active_directives_are_the_main_files_include_lines_only():
    preprocessed = "\n".join([
        '# 1 "/r/a.c"', '#include "a.h"', '# 1 "/r/a.h" 1', '#include "b.h"', '# 2 "/r/a.c" 2',
        '#include <stdio.h>', 'int main(void) { return 0; }',
    ])
    assert import_references.active_directives(preprocessed, "/r/a.c") == frozenset(
        {("include_local", "a.h"), ("include_system", "stdio.h")})


def test_top_level_packages_are_outermost_init_folders_shallowest_name_wins():
    paths = ["examples/app/__init__.py", "app/__init__.py", "app/sub/__init__.py",
             "tests/suite/__init__.py", "my-tool/__init__.py"]
    packages, skipped = import_references.top_level_packages(paths)
    assert packages == {"app": "", "suite": "tests"}
    assert [d for d, _ in skipped] == ["my-tool", "examples/app"]


def test_build_include_dirs_come_from_cmake_makefiles_and_meson():
    folders = frozenset({"include", "src", "test", "lib/inc", "vendor"})
    files = {
        "CMakeLists.txt": "target_include_directories(t PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>"
                          " PRIVATE src ${CMAKE_BINARY_DIR}/gen)",
        "test/Makefile.am": "AM_CPPFLAGS = -I$(top_srcdir)/lib/inc -I$(builddir)",
        "meson.build": "inc = include_directories('vendor')",
    }
    assert import_references.build_include_dirs(folders, files) == ["include", "src", "vendor", "lib/inc"]


@pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")
def test_c_reference_sees_a_guarded_direct_include_and_skips_inactive_branches(tmp_path):
    root = write_tree(tmp_path / "repo", {
        "a.c": '#include "config.h"\n#include "a.h"\n#include "b.h"\n#ifdef HAVE_X\n#include "x.h"\n#endif\n',
        "a.h": '#ifndef A_H\n#define A_H\n#include "b.h"\n#endif\n',
        "b.h": "#ifndef B_H\n#define B_H\nint b;\n#endif\n",
        "x.h": "int x;\n",
    })
    paths = frozenset({"a.c", "a.h", "b.h", "x.h"})
    ref = import_references.c_reference(str(root), ["a.c", "a.h", "b.h", "x.h"], paths)
    assert ref.edges == {("a.c", "a.h"), ("a.c", "b.h"), ("a.h", "b.h")}
    assert ref.counts["stubbed_files"] == 1 and ref.failed == ()


def test_reference_edges_to_dropped_files_are_counted_apart():
    languages = {"a.py": "python", "b.py": "python"}
    ref = reference({("a.py", "b.py"), ("a.py", "gone.py")}, {"a.py", "b.py", "gone.py"})
    result = bench_imports.compare("python", ref, {("a.py", "b.py")}, {("a.py", "b.py")}, languages)
    assert result.reference == {("a.py", "b.py")}
    assert result.to_dropped_files == {("a.py", "gone.py")}


def test_java_edges_within_one_package_are_compared_by_default():
    p = "src/main/java/p/"
    languages = {p + "A.java": "java", p + "B.java": "java", p + "q/C.java": "java"}
    edges = {(p + "A.java", p + "B.java"), (p + "A.java", p + "q/C.java")}
    result = bench_imports.compare("java", reference(edges, languages, languages), edges, edges, languages)
    assert result.reference == result.ours == edges


def test_java_edges_within_one_package_are_left_out_on_request():
    p = "src/main/java/p/"
    languages = {p + "A.java": "java", p + "B.java": "java", p + "q/C.java": "java"}
    edges = {(p + "A.java", p + "B.java"), (p + "A.java", p + "q/C.java")}
    result = bench_imports.compare("java", reference(edges, languages, languages), edges, edges, languages,
                                   java_same_package=False)
    assert result.reference == result.ours == {(p + "A.java", p + "q/C.java")}


def test_unmodelled_imports_are_python_dynamic_inactive_includes_and_own_package_names():
    languages = {"m.py": "python", "a.c": "c", "i.ts": "typescript"}
    ref = reference((), {"a.c"}, active={"a.c": frozenset({("include_local", "on.h")})})
    keep = bench_imports.modelled_by_references({"c/c++": ref}, languages, frozenset({"zod"}))
    assert not keep("m.py", Import("dynamic_import", "pkg.mod"))
    assert keep("m.py", Import("import", "pkg.mod"))
    assert keep("a.c", Import("include_local", "on.h")) and not keep("a.c", Import("include_local", "off.h"))
    assert not keep("i.ts", Import("import", "zod/v4")) and keep("i.ts", Import("import", "./zod"))


def test_orders_of_our_graph_are_scored_on_the_reference_graph():
    scores = bench_imports.ordering_scores(["a.py", "b.py"], ours={("a.py", "b.py")},
                                           reference={("b.py", "a.py")})
    assert scores["ours"]["max_satisfied"] == 1.0
    assert scores["reference"]["max_satisfied"] == 0.0 and scores["reference"]["best"] == 1.0


def test_jars_providing_names_the_installed_jar_of_a_missing_package(tmp_path, monkeypatch):
    import zipfile
    with zipfile.ZipFile(tmp_path / "jsr305.jar", "w") as jar:
        jar.writestr("javax/annotation/Nullable.class", b"")
        jar.writestr("META-INF/MANIFEST.MF", b"")
    monkeypatch.setattr(import_references, "SYSTEM_JARS", str(tmp_path))
    import_references._system_jar_packages.cache_clear()
    try:
        assert import_references.jars_providing(["javax.annotation", "org.absent"]) == [
            str(tmp_path / "jsr305.jar")]
    finally:
        import_references._system_jar_packages.cache_clear()
