"""Java/Kotlin/Scala import resolution: packages, classes, wildcards, source roots."""
from __future__ import annotations

from parsers.imports import parse_file
from parsers.model import Import, ParsedFile
from parsers.resolve import RepoFile, resolve_repository
from parsers.resolve_common import stem

from conftest import parsed_edges


def src(path: str, package: str | None, *imports: Import, language: str = "java") -> RepoFile:
    declares = (package,) if package is not None else ()
    return RepoFile(path, language, ParsedFile(language, imports=imports, declares=declares))


def imp(target: str, kind: str = "import", names: tuple[str, ...] = ()) -> Import:
    return Import(kind, target, names, text=f"import {target};")


def resolve_one(files: list[RepoFile]) -> tuple[list[str], str]:
    edges, _, outcomes = resolve_repository(files, {})
    assert len(outcomes) == 1
    return [e.imported for e in edges], outcomes[0][2]


def test_class_import_resolves_to_file_of_declared_package():
    files = [src("App.java", "com.acme", imp("com.acme.util.Strings")),
             src("lib/Strings.java", "com.acme.util")]
    assert resolve_one(files) == (["lib/Strings.java"], "resolved")


def test_declared_package_wins_over_folder_layout():
    files = [src("A.java", "p", imp("com.acme.util.Strings")),
             src("src/main/java/com/acme/util/Strings.java", "other.pkg")]
    assert resolve_one(files) == ([], "external")


def test_nested_class_import_resolves_to_outer_class_file():
    files = [src("A.java", "p", imp("com.acme.Outer.Inner")), src("Outer.java", "com.acme")]
    assert resolve_one(files) == (["Outer.java"], "resolved")


def test_static_import_resolves_to_class_file():
    files = [src("A.java", "p", imp("com.acme.Util.helper", kind="static_import")), src("Util.java", "com.acme")]
    assert resolve_one(files) == (["Util.java"], "resolved")


def test_wildcard_import_resolves_to_every_file_of_the_package():
    files = [src("A.java", "p", imp("com.acme", kind="wildcard", names=("*",))),
             src("x/B.java", "com.acme"), src("y/C.java", "com.acme"), src("z/D.java", "com.acme.sub")]
    assert resolve_one(files) == (["x/B.java", "y/C.java"], "resolved")


def test_static_wildcard_import_resolves_to_the_class_file():
    files = [src("A.java", "p", imp("com.acme.Util", kind="static_import", names=("*",))),
             src("Util.java", "com.acme"), src("Other.java", "com.acme")]
    assert resolve_one(files) == (["Util.java"], "resolved")


def test_scala_selectors_resolve_each_selected_class():
    files = [src("A.scala", "p", imp("com.acme", names=("B", "C")), language="scala"),
             src("B.scala", "com.acme", language="scala"), src("C.scala", "com.acme", language="scala"),
             src("D.scala", "com.acme", language="scala")]
    assert resolve_one(files) == (["B.scala", "C.scala"], "resolved")


def test_kotlin_may_import_a_java_class():
    files = [src("app/Main.kt", "app", imp("com.acme.Util"), language="kotlin"), src("Util.java", "com.acme")]
    assert resolve_one(files) == (["Util.java"], "resolved")


def test_source_root_gives_the_package_when_none_is_declared():
    files = [src("A.java", "p", imp("com.acme.Util")),
             src("module/src/main/java/com/acme/Util.java", None)]
    assert resolve_one(files) == (["module/src/main/java/com/acme/Util.java"], "resolved")


def test_kotlin_top_level_function_without_matching_file_is_unresolved():
    files = [src("A.kt", "p", imp("com.acme.helperFunction"), language="kotlin"),
             src("Helpers.kt", "com.acme", language="kotlin")]
    assert resolve_one(files) == ([], "unresolved")


def test_jdk_import_is_external():
    assert resolve_one([src("A.java", "p", imp("java.util.List"))]) == ([], "external")


def test_same_package_file_gets_no_edge_without_import():
    edges, stats, _ = resolve_repository([src("A.java", "p"), src("B.java", "p")], {})
    assert edges == [] and stats.found == 0


def test_end_to_end_parsed_jvm_repository():
    sources = {
        "src/main/java/com/acme/App.java": (
            "java", "package com.acme;\nimport com.acme.util.*;\nimport static com.acme.model.User.create;\n"
                    "import java.util.List;\nclass App { Strings s; }\n"),
        "src/main/java/com/acme/util/Strings.java": ("java", "package com.acme.util;\nclass Strings {}\n"),
        "src/main/java/com/acme/model/User.java": ("java", "package com.acme.model;\nclass User {}\n"),
        "src/main/kotlin/com/acme/Report.kt": ("kotlin", "package com.acme\nimport com.acme.model.User\n"),
        "src/main/scala/com/acme/Job.scala": (
            "scala", "package com.acme\nimport com.acme.util.{Strings, Missing}\nimport scala.io._\n"),
    }
    files = [RepoFile(p, lang, parse_file(lang, s, p)) for p, (lang, s) in sources.items()]
    edges, stats, _ = resolve_repository(files, {})
    assert [(e.importer.rsplit("/", 1)[1], e.imported.rsplit("/", 1)[1]) for e in edges] == [
        ("App.java", "User.java"), ("App.java", "Strings.java"), ("Report.kt", "User.java"),
        ("Job.scala", "Strings.java"),
    ]
    assert (stats.resolved, stats.external) == (4, 2)


def test_wildcard_from_main_code_skips_test_source_set_files():
    files = [src("src/main/java/a/App.java", "a", imp("a.core", kind="wildcard", names=("*",))),
             src("src/main/java/a/core/Stats.java", "a.core"), src("src/test/java/a/core/StatsTest.java", "a.core")]
    assert resolve_one(files) == (["src/main/java/a/core/Stats.java"], "resolved")


def test_wildcard_from_test_code_sees_test_source_set_files():
    files = [src("src/test/java/a/AppTest.java", "a", imp("a.core", kind="wildcard", names=("*",))),
             src("src/main/java/a/core/Stats.java", "a.core"), src("src/test/java/a/core/Fixture.java", "a.core")]
    assert resolve_one(files) == (["src/main/java/a/core/Stats.java", "src/test/java/a/core/Fixture.java"], "resolved")


def test_static_wildcard_import_names_the_class_even_where_a_package_of_that_name_exists():
    files = [src("A.java", "p", imp("com.acme.Util", kind="static_import", names=("*",))),
             src("Util.java", "com.acme"), src("util/Helper.java", "com.acme.Util")]
    assert resolve_one(files) == (["Util.java"], "resolved")


# ---------------------------------------------------------------- references without import (issue 13)

def stems(language: str, sources: dict[str, str]) -> set[tuple[str, str]]:
    """Edges (importer stem, imported stem) of sources parsed and resolved for real."""
    return {(stem(a), stem(b)) for a, b in parsed_edges(language, sources)}


def java_repo(sources: dict[str, str]) -> set[tuple[str, str]]:
    return stems("java", sources)


ROOT = "src/main/java/"


def test_same_package_type_is_an_edge_without_import():
    assert java_repo({
        ROOT + "p/App.java": "package p;\nclass App { void run() { new Helper().go(); } }\n",
        ROOT + "p/Helper.java": "package p;\nclass Helper { void go() {} }\n",
    }) == {("App", "Helper")}


def test_static_member_access_annotation_and_extends_are_references():
    assert java_repo({
        ROOT + "p/App.java": "package p;\n@Marker class App extends Base { int x = Consts.MAX; }\n",
        ROOT + "p/Marker.java": "package p;\n@interface Marker {}\n",
        ROOT + "p/Base.java": "package p;\nclass Base {}\n",
        ROOT + "p/Consts.java": "package p;\nclass Consts { static final int MAX = 1; }\n",
    }) == {("App", "Marker"), ("App", "Base"), ("App", "Consts")}


def test_explicit_import_wins_over_same_package_type():
    assert java_repo({
        ROOT + "p/App.java": "package p;\nimport q.Node;\nclass App { Node n; }\n",
        ROOT + "p/Node.java": "package p;\nclass Node {}\n",
        ROOT + "q/Node.java": "package q;\npublic class Node {}\n",
    }) == {("App", "Node")} and java_repo({
        ROOT + "p/App.java": "package p;\nimport java.util.List;\nclass App { List l; }\n",
        ROOT + "p/List.java": "package p;\nclass List {}\n",
    }) == set()


def test_explicit_import_edge_goes_to_the_imported_package_not_the_own():
    files = {ROOT + "p/App.java": "package p;\nimport q.Node;\nclass App { Node n; }\n",
             ROOT + "p/Node.java": "package p;\nclass Node {}\n",
             ROOT + "q/Node.java": "package q;\npublic class Node {}\n"}
    parsed = [RepoFile(p, "java", parse_file("java", s, p)) for p, s in files.items()]
    edges, _, _ = resolve_repository(parsed, {})
    assert [(e.importer, e.imported) for e in edges] == [(ROOT + "p/App.java", ROOT + "q/Node.java")]


def test_local_variable_named_like_a_class_is_not_an_edge():
    assert java_repo({
        ROOT + "p/App.java": "package p;\nclass App { void m(Object Node) { Node.hashCode(); } }\n",
        ROOT + "p/Node.java": "package p;\nclass Node {}\n",
    }) == set()


def test_nested_class_shadows_same_package_type():
    assert java_repo({
        ROOT + "p/App.java": "package p;\nclass App { static class Node {} Node n = new Node(); }\n",
        ROOT + "p/Node.java": "package p;\nclass Node {}\n",
    }) == set()


def test_type_parameter_shadows_same_package_type():
    assert java_repo({
        ROOT + "p/Box.java": "package p;\nclass Box<T> { T value; }\n",
        ROOT + "p/T.java": "package p;\nclass T {}\n",
    }) == set()


def test_wildcard_import_resolves_only_to_the_types_used():
    assert java_repo({
        ROOT + "p/App.java": "package p;\nimport q.*;\nclass App { Used u; }\n",
        ROOT + "q/Used.java": "package q;\npublic class Used {}\n",
        ROOT + "q/Unused.java": "package q;\npublic class Unused {}\n",
    }) == {("App", "Used")}


def test_same_package_type_wins_over_wildcard_import():
    files = {
        ROOT + "p/App.java": "package p;\nimport q.*;\nclass App { Node n; }\n",
        ROOT + "p/Node.java": "package p;\nclass Node {}\n",
        ROOT + "q/Node.java": "package q;\npublic class Node {}\n",
    }
    parsed = [RepoFile(p, "java", parse_file("java", s, p)) for p, s in files.items()]
    edges, _, _ = resolve_repository(parsed, {})
    assert [e.imported for e in edges] == [ROOT + "p/Node.java"]


def test_fully_qualified_name_in_code_is_an_edge():
    assert java_repo({
        ROOT + "p/App.java": "package p;\nclass App { Object o = q.Util.make(); }\n",
        ROOT + "q/Util.java": "package q;\npublic class Util {}\n",
    }) == {("App", "Util")}


def test_secondary_top_level_type_is_found_in_its_file():
    assert java_repo({
        ROOT + "p/App.java": "package p;\nclass App { Extra e; }\n",
        ROOT + "p/Main.java": "package p;\npublic class Main {}\nclass Extra {}\n",
    }) == {("App", "Main")}


def test_main_code_does_not_bind_to_a_test_class_of_its_package():
    assert java_repo({
        "src/main/java/p/App.java": "package p;\nclass App { Fixture f; }\n",
        "src/test/java/p/Fixture.java": "package p;\nclass Fixture {}\n",
        "src/test/java/p/AppTest.java": "package p;\nclass AppTest { App a; Fixture f; }\n",
    }) == {("AppTest", "App"), ("AppTest", "Fixture")}


def test_same_package_edge_text_names_the_reference():
    files = [RepoFile(ROOT + p, "java", parse_file("java", s, ROOT + p)) for p, s in {
        "p/App.java": "package p;\nclass App { Helper h; }\n",
        "p/Helper.java": "package p;\nclass Helper {}\n"}.items()]
    edges, stats, _ = resolve_repository(files, {})
    assert [e.import_text for e in edges] == ["same package: Helper"] and stats.found == 0


def kotlin_repo(sources: dict[str, str]) -> set[tuple[str, str]]:
    return stems("kotlin", sources)


def test_kotlin_same_package_class_function_and_object_are_edges_without_import():
    assert kotlin_repo({
        "src/main/kotlin/p/App.kt": "package p\nfun main() { val m = Model(); helper(); Registry.add(m) }\n",
        "src/main/kotlin/p/Model.kt": "package p\ndata class Model(val x: Int = 0)\n",
        "src/main/kotlin/p/Helpers.kt": "package p\nfun helper() {}\n",
        "src/main/kotlin/p/Registry.kt": "package p\nobject Registry { fun add(m: Model) {} }\n",
    }) == {("App", "Model"), ("App", "Helpers"), ("App", "Registry"), ("Registry", "Model")}


def test_kotlin_local_value_named_like_a_class_is_not_an_edge():
    assert kotlin_repo({
        "src/main/kotlin/p/App.kt": "package p\nfun main(Model: Any) { Model.hashCode() }\n",
        "src/main/kotlin/p/Model.kt": "package p\nclass Model\n",
    }) == set()


def test_scala_same_package_class_is_an_edge_and_selector_import_wins():
    files = [RepoFile(p, "scala", parse_file("scala", s, p)) for p, s in {
        "src/main/scala/p/App.scala": "package p\nimport q.{Node}\nobject App { val s = new Stats(); val n: Node = null }\n",
        "src/main/scala/p/Stats.scala": "package p\nclass Stats\n",
        "src/main/scala/p/Node.scala": "package p\nclass Node\n",
        "src/main/scala/q/Node.scala": "package q\nclass Node\n",
    }.items()]
    edges, _, _ = resolve_repository(files, {})
    assert [(e.importer, e.imported) for e in edges] == [
        ("src/main/scala/p/App.scala", "src/main/scala/p/Stats.scala"),
        ("src/main/scala/p/App.scala", "src/main/scala/q/Node.scala")]
