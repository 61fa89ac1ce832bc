"""Python import resolution: modules, packages, roots, relative imports, outcomes."""
from __future__ import annotations

from parsers.imports import parse_file
from parsers.model import Import, ParsedFile
from parsers.resolve import RepoFile, ResolveStats, resolve_repository


def py(path: str, *imports: Import) -> RepoFile:
    return RepoFile(path, "python", ParsedFile("python", imports=imports))


def imp(target: str, *names: str, level: int = 0) -> Import:
    kind = "from" if names else "import"
    return Import(kind, target, names, level, text=f"{kind} {target}")


def resolve_one(files: list[RepoFile], aux: dict[str, str] | None = None) -> tuple[list[str], str]:
    """Targets and outcome of the single import in ``files``."""
    edges, _, outcomes = resolve_repository(files, aux or {})
    assert len(outcomes) == 1
    return [e.imported for e in edges], outcomes[0][2]


def test_absolute_import_resolves_to_module_file():
    files = [py("main.py", imp("util")), py("util.py")]
    assert resolve_one(files) == (["util.py"], "resolved")


def test_package_import_resolves_to_init():
    files = [py("main.py", imp("pkg")), py("pkg/__init__.py")]
    assert resolve_one(files) == (["pkg/__init__.py"], "resolved")


def test_dotted_import_links_only_the_most_specific_file():
    files = [py("main.py", imp("a.b.c")), py("a/__init__.py"), py("a/b/__init__.py"), py("a/b/c.py")]
    assert resolve_one(files) == (["a/b/c.py"], "resolved")


def test_from_package_import_submodules_links_each_submodule():
    files = [py("main.py", imp("pkg", "a", "b")), py("pkg/__init__.py"), py("pkg/a.py"), py("pkg/b.py")]
    assert resolve_one(files) == (["pkg/a.py", "pkg/b.py"], "resolved")


def test_from_package_import_attribute_links_the_package_init():
    files = [py("main.py", imp("pkg", "a", "helper")), py("pkg/__init__.py"), py("pkg/a.py")]
    assert resolve_one(files) == (["pkg/__init__.py", "pkg/a.py"], "resolved")


def test_from_module_import_names_links_the_module():
    files = [py("main.py", imp("pkg.tools", "run")), py("pkg/__init__.py"), py("pkg/tools.py")]
    assert resolve_one(files) == (["pkg/tools.py"], "resolved")


def test_relative_import_of_sibling_module():
    files = [py("pkg/a.py", imp("", "b", level=1)), py("pkg/__init__.py"), py("pkg/b.py")]
    assert resolve_one(files) == (["pkg/b.py"], "resolved")


def test_relative_import_two_levels_up():
    files = [py("pkg/sub/a.py", imp("common", "x", level=2)), py("pkg/common.py"), py("pkg/sub/__init__.py")]
    assert resolve_one(files) == (["pkg/common.py"], "resolved")


def test_relative_import_above_repository_root_is_unresolved():
    files = [py("a.py", imp("x", "y", level=3))]
    assert resolve_one(files) == ([], "unresolved")


def test_missing_relative_module_is_unresolved():
    files = [py("pkg/a.py", imp("missing", "x", level=1)), py("pkg/__init__.py")]
    assert resolve_one(files) == ([], "unresolved")


def test_src_layout_package_is_found():
    files = [py("tests/test_x.py", imp("mylib.core")), py("src/mylib/__init__.py"), py("src/mylib/core.py")]
    assert resolve_one(files) == (["src/mylib/core.py"], "resolved")


def test_parent_of_top_level_package_is_a_module_root():
    files = [
        py("services/api/app/main.py", imp("app.models")),
        py("services/api/app/__init__.py"),
        py("services/api/app/models.py"),
    ]
    assert resolve_one(files) == (["services/api/app/models.py"], "resolved")


def test_package_dir_from_setup_cfg_is_a_module_root():
    files = [py("run.py", imp("tool.cli")), py("code/tool/cli.py")]
    aux = {"setup.cfg": "[options]\npackage_dir =\n    =code\n"}
    assert resolve_one(files, aux) == (["code/tool/cli.py"], "resolved")


def test_packages_find_where_from_pyproject_is_a_module_root():
    files = [py("run.py", imp("tool.cli")), py("python/tool/cli.py")]
    aux = {"pyproject.toml": '[tool.setuptools.packages.find]\nwhere = ["python"]\n'}
    assert resolve_one(files, aux) == (["python/tool/cli.py"], "resolved")


def test_namespace_package_module_without_init_is_found():
    files = [py("main.py", imp("ns.mod")), py("ns/mod.py")]
    assert resolve_one(files) == (["ns/mod.py"], "resolved")


def test_script_imports_sibling_in_folder_without_init():
    files = [py("scripts/run.py", imp("helpers")), py("scripts/helpers.py"), py("helpers.py")]
    assert resolve_one(files) == (["scripts/helpers.py"], "resolved")


def test_stub_file_counts_when_there_is_no_source():
    files = [py("main.py", imp("fast")), py("fast.pyi")]
    assert resolve_one(files) == (["fast.pyi"], "resolved")


def test_source_module_preferred_over_stub():
    files = [py("main.py", imp("fast")), py("fast.py"), py("fast.pyi")]
    assert resolve_one(files) == (["fast.py"], "resolved")


def test_stdlib_import_is_external():
    assert resolve_one([py("main.py", imp("os.path"))]) == ([], "external")


def test_third_party_import_is_external():
    assert resolve_one([py("main.py", imp("numpy"))]) == ([], "external")


def test_missing_submodule_of_repo_package_is_unresolved():
    files = [py("main.py", imp("pkg.generated_pb2")), py("pkg/__init__.py")]
    assert resolve_one(files) == ([], "unresolved")


def test_namespace_folder_does_not_shadow_an_installed_package():
    files = [py("main.py", imp("requests.adapters")), py("requests/example.py")]
    assert resolve_one(files) == ([], "external")


def test_import_from_own_package_init_makes_no_self_edge():
    files = [py("pkg/__init__.py", imp("", "VERSION", level=1))]
    edges, stats, _ = resolve_repository(files, {})
    assert edges == [] and stats.resolved == 1


def test_end_to_end_parsed_python_repository():
    sources = {
        "src/app/__init__.py": "",
        "src/app/cli.py": "import os\nfrom . import db\nfrom .models import User\nfrom app.util import slug\n",
        "src/app/db.py": "import sqlite3\n",
        "src/app/models.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .db import Conn\n",
        "src/app/util.py": "",
    }
    files = [RepoFile(p, "python", parse_file("python", s, p)) for p, s in sources.items()]
    edges, stats, _ = resolve_repository(files, {})
    assert [(e.importer, e.imported) for e in edges] == [
        ("src/app/cli.py", "src/app/db.py"),
        ("src/app/cli.py", "src/app/models.py"),
        ("src/app/cli.py", "src/app/util.py"),
        ("src/app/models.py", "src/app/db.py"),
    ]
    assert stats == ResolveStats(found=7, resolved=4, external=3, unresolved=0)


def test_folder_with_relative_imports_is_a_package_although_its_init_was_dropped():
    files = [py("src/web/sansio/response.py", imp("http", "HTTPStatus"), imp("http", "dump", level=2)),
             py("src/web/sansio/http.py"), py("src/web/http.py"), py("src/web/__init__.py")]
    edges, _, _ = resolve_repository(files, {})
    assert [e.imported for e in edges] == ["src/web/http.py"]


def test_import_of_enclosing_package_by_name_resolves_although_its_init_was_dropped():
    files = [py("tests/suite/test_timed.py", imp("suite.test_signer", "TestSigner")),
             py("tests/suite/test_signer.py")]
    assert resolve_one(files) == (["tests/suite/test_signer.py"], "resolved")
