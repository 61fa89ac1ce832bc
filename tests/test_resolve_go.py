"""Go import resolution: go.mod module paths, package folders, GOPATH inference."""
from __future__ import annotations

from parsers.imports import parse_file
from parsers.model import Import, ParsedFile
from parsers.resolve import RepoFile, resolve_repository


def go(path: str, *imports: str) -> RepoFile:
    found = tuple(Import("import", i, text=f'import "{i}"') for i in imports)
    return RepoFile(path, "go", ParsedFile("go", imports=found))


def resolve_one(files: list[RepoFile], aux: dict[str, str] | None = None) -> tuple[list[str], str]:
    edges, _, outcomes = resolve_repository(files, aux or {})
    assert len(outcomes) == 1
    return [e.imported for e in edges], outcomes[0][2]


GO_MOD = {"go.mod": "module example.com/app\n\ngo 1.22\n"}


def test_module_import_resolves_to_all_non_test_files_of_the_folder():
    files = [go("main.go", "example.com/app/pkg/util"), go("pkg/util/a.go"), go("pkg/util/b.go"),
             go("pkg/util/a_test.go"), go("pkg/util/sub/c.go")]
    assert resolve_one(files, GO_MOD) == (["pkg/util/a.go", "pkg/util/b.go"], "resolved")


def test_standard_library_import_is_external():
    assert resolve_one([go("main.go", "fmt")], GO_MOD) == ([], "external")


def test_other_module_import_is_external():
    assert resolve_one([go("main.go", "github.com/pkg/errors")], GO_MOD) == ([], "external")


def test_missing_package_of_own_module_is_unresolved():
    assert resolve_one([go("main.go", "example.com/app/nope")], GO_MOD) == ([], "unresolved")


def test_nested_go_mod_defines_a_nested_module():
    files = [go("main.go", "example.com/tools/gen"), go("tools/gen/g.go")]
    aux = {**GO_MOD, "tools/go.mod": 'module "example.com/tools" // comment\n'}
    assert resolve_one(files, aux) == (["tools/gen/g.go"], "resolved")


def test_longest_module_path_wins():
    files = [go("main.go", "example.com/app/tools/gen"), go("tools/v2/gen/g.go"), go("tools/gen/old.go")]
    aux = {**GO_MOD, "tools/v2/go.mod": "module example.com/app/tools\n"}
    assert resolve_one(files, aux) == (["tools/v2/gen/g.go"], "resolved")


def test_module_root_package_resolves():
    files = [go("cmd/app/main.go", "example.com/app"), go("app.go")]
    assert resolve_one(files, GO_MOD) == (["app.go"], "resolved")


def test_module_path_is_inferred_without_go_mod():
    files = [go("main.go", "github.com/me/tool/internal/db", "github.com/me/tool/api"),
             go("internal/db/db.go"), go("api/api.go")]
    edges, stats, _ = resolve_repository(files, {})
    assert [e.imported for e in edges] == ["api/api.go", "internal/db/db.go"] and stats.resolved == 2


def test_vendored_package_resolves():
    files = [go("main.go", "github.com/pkg/errors"), go("vendor/github.com/pkg/errors/errors.go")]
    assert resolve_one(files, GO_MOD) == (["vendor/github.com/pkg/errors/errors.go"], "resolved")


def test_end_to_end_parsed_go_repository():
    sources = {
        "cmd/app/main.go": 'package main\n\nimport (\n\t"fmt"\n\tdb "example.com/app/internal/db"\n)\n',
        "internal/db/db.go": 'package db\n\nimport _ "github.com/lib/pq"\n',
        "internal/db/db_test.go": 'package db\n\nimport "testing"\n',
    }
    files = [RepoFile(p, "go", parse_file("go", s, p)) for p, s in sources.items()]
    edges, stats, _ = resolve_repository(files, GO_MOD)
    assert [(e.importer, e.imported) for e in edges] == [("cmd/app/main.go", "internal/db/db.go")]
    assert stats == (4, 1, 3, 0)
