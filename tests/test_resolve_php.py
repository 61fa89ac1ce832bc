"""PHP resolution: require/include paths, PSR-4/PSR-0 autoloading, namespace fallback."""
from __future__ import annotations

import json

from parsers.imports import parse_file
from parsers.model import Import, ParsedFile
from parsers.resolve import RepoFile, resolve_repository

from conftest import parsed_edges


def php(path: str, namespace: str | None, *imports: Import) -> RepoFile:
    declares = (namespace,) if namespace else ()
    return RepoFile(path, "php", ParsedFile("php", imports=imports, declares=declares))


def use(target: str, kind: str = "use") -> Import:
    return Import(kind, target, text=f"use {target};")


def include(target: str, from_dir: bool = False, kind: str = "require_once") -> Import:
    return Import(kind, target, ("__DIR__",) if from_dir else (), text=f"require_once '{target}';")


def resolve_one(files: list[RepoFile], aux: dict[str, str] | None = None) -> tuple[list[str], str]:
    edges, _, outcomes = resolve_repository(files, aux or {})
    assert len(outcomes) == 1
    return [e.imported for e in edges], outcomes[0][2]


COMPOSER = {"composer.json": json.dumps({
    "autoload": {"psr-4": {"App\\": "src/", "App\\Legacy\\": ["legacy/"]}},
    "autoload-dev": {"psr-4": {"Tests\\": "tests/"}},
})}


def test_psr4_prefix_maps_class_to_file():
    files = [php("index.php", None, use("App\\Models\\User")), php("src/Models/User.php", "App\\Models")]
    assert resolve_one(files, COMPOSER) == (["src/Models/User.php"], "resolved")


def test_longest_psr4_prefix_wins():
    files = [php("index.php", None, use("App\\Legacy\\Db")), php("legacy/Db.php", "App\\Legacy"),
             php("src/Legacy/Db.php", "App\\Legacy")]
    assert resolve_one(files, COMPOSER) == (["legacy/Db.php"], "resolved")


def test_autoload_dev_prefixes_count():
    files = [php("tests/A.php", "Tests", use("Tests\\Support\\Factory")), php("tests/Support/Factory.php", "Tests\\Support")]
    assert resolve_one(files, COMPOSER) == (["tests/Support/Factory.php"], "resolved")


def test_psr0_keeps_the_prefix_and_splits_underscores():
    files = [php("index.php", None, use("Legacy_Mail_Sender")), php("lib/Legacy/Mail/Sender.php", None)]
    aux = {"composer.json": json.dumps({"autoload": {"psr-0": {"Legacy_": "lib/"}}})}
    assert resolve_one(files, aux) == (["lib/Legacy/Mail/Sender.php"], "resolved")


def test_declared_namespace_and_file_stem_without_composer():
    files = [php("index.php", None, use("Acme\\Http\\Router")), php("code/Router.php", "Acme\\Http")]
    assert resolve_one(files) == (["code/Router.php"], "resolved")


def test_use_function_resolves_like_a_class_name():
    files = [php("index.php", None, use("App\\Support\\helpers", kind="use_function")),
             php("src/Support/helpers.php", "App\\Support")]
    assert resolve_one(files, COMPOSER) == (["src/Support/helpers.php"], "resolved")


def test_missing_class_under_autoload_prefix_is_unresolved():
    assert resolve_one([php("index.php", None, use("App\\Nope"))], COMPOSER) == ([], "unresolved")


def test_framework_class_is_external():
    assert resolve_one([php("index.php", None, use("Illuminate\\Support\\Str"))], COMPOSER) == ([], "external")


def test_require_relative_to_the_file():
    files = [php("public/index.php", None, include("../config/app.php")), php("config/app.php", None)]
    assert resolve_one(files) == (["config/app.php"], "resolved")


def test_require_with_dir_constant_is_relative_to_the_file():
    files = [php("lib/a.php", None, include("/b.php", from_dir=True)), php("lib/b.php", None),
             php("b.php", None)]
    assert resolve_one(files) == (["lib/b.php"], "resolved")


def test_require_falls_back_to_repository_root():
    files = [php("lib/a.php", None, include("config.php")), php("config.php", None)]
    assert resolve_one(files) == (["config.php"], "resolved")


def test_require_of_composer_autoloader_is_external():
    files = [php("index.php", None, include("/vendor/autoload.php", from_dir=True))]
    assert resolve_one(files) == ([], "external")


def test_missing_require_is_unresolved():
    assert resolve_one([php("index.php", None, include("missing.php"))]) == ([], "unresolved")


def test_end_to_end_parsed_php_repository():
    sources = {
        "public/index.php": "<?php\nrequire __DIR__ . '/../vendor/autoload.php';\nrequire_once 'bootstrap.php';\n"
                            "use App\\Http\\{Kernel, Router};\nuse Symfony\\Component\\Yaml\\Yaml;\n",
        "bootstrap.php": "<?php\ninclude dirname(__FILE__) . '/config/app.php';\n",
        "config/app.php": "<?php\nreturn [];\n",
        "src/Http/Kernel.php": "<?php\nnamespace App\\Http;\nclass Kernel {}\n",
        "src/Http/Router.php": "<?php\nnamespace App\\Http;\nuse function App\\Support\\helper;\nclass Router {}\n",
    }
    files = [RepoFile(p, "php", parse_file("php", s, p)) for p, s in sources.items()]
    edges, stats, _ = resolve_repository(files, COMPOSER)
    assert [(e.importer, e.imported) for e in edges] == [
        ("bootstrap.php", "config/app.php"),
        ("public/index.php", "bootstrap.php"),
        ("public/index.php", "src/Http/Kernel.php"),
        ("public/index.php", "src/Http/Router.php"),
    ]
    assert stats == (7, 4, 2, 1)


def test_class_without_namespace_is_found_in_the_global_namespace():
    files = [php("index.php", None, use("Helper")), php("lib/Helper.php", None)]
    assert resolve_one(files) == (["lib/Helper.php"], "resolved")


# ---------------------------------------------------------------- references without use (issue 13)

def php_repo(sources: dict[str, str]) -> set[tuple[str, str]]:
    return parsed_edges("php", sources)


def test_php_same_namespace_class_is_an_edge_without_use():
    assert php_repo({
        "src/App.php": "<?php\nnamespace Acme;\nclass App extends Base { function f(): Model { return new Model(); } }\n",
        "src/Base.php": "<?php\nnamespace Acme;\nabstract class Base {}\n",
        "src/Model.php": "<?php\nnamespace Acme;\nclass Model {}\n",
        "src/Other/Model.php": "<?php\nnamespace Acme\\Other;\nclass Model {}\n",
    }) == {("src/App.php", "src/Base.php"), ("src/App.php", "src/Model.php")}


def test_php_use_wins_over_same_namespace_class():
    assert php_repo({
        "src/App.php": "<?php\nnamespace Acme;\nuse Acme\\Other\\Model;\nclass App { function f() { return new Model(); } }\n",
        "src/Model.php": "<?php\nnamespace Acme;\nclass Model {}\n",
        "src/Other/Model.php": "<?php\nnamespace Acme\\Other;\nclass Model {}\n",
    }) == {("src/App.php", "src/Other/Model.php")}


def test_php_fully_qualified_and_use_relative_names_resolve():
    assert php_repo({
        "src/App.php": "<?php\nnamespace Acme;\nuse Acme\\Util;\n"
                       "class App { function f() { \\Acme\\Other\\Model::make(); Util\\Strings::x(); } }\n",
        "src/Other/Model.php": "<?php\nnamespace Acme\\Other;\nclass Model {}\n",
        "src/Util/Strings.php": "<?php\nnamespace Acme\\Util;\nclass Strings {}\n",
    }) == {("src/App.php", "src/Other/Model.php"), ("src/App.php", "src/Util/Strings.php")}


def test_php_fully_qualified_global_class_is_not_the_same_namespace_class():
    assert php_repo({
        "src/App.php": "<?php\nnamespace Acme;\nclass App { function f() { new static(); self::g(); "
                       "throw new \\RuntimeException(); } }\n",
        "src/RuntimeException.php": "<?php\nnamespace Acme;\nclass RuntimeException {}\n",
    }) == set()
