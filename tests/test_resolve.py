"""resolve_repository: edges, counts and outcomes across languages; shared helpers."""
from __future__ import annotations

from parsers.model import Edge, Import, ParsedFile
from parsers.resolve import RepoFile, ResolveStats, resolve_repository
from parsers.resolve_common import join_path, parse_jsonc


def py(path: str, *imports: Import) -> RepoFile:
    return RepoFile(path, "python", ParsedFile("python", imports=imports))


def imp(target: str, text: str = "") -> Import:
    return Import("import", target, text=text or f"import {target}")


def test_edges_are_sorted_and_carry_importer_language_and_text():
    files = [py("z.py", imp("a")), py("b.py", imp("a")), py("a.py")]
    edges, _, _ = resolve_repository(files, {})
    assert edges == [Edge("b.py", "a.py", "python", "import a"), Edge("z.py", "a.py", "python", "import a")]


def test_first_import_text_wins_for_a_repeated_pair():
    files = [py("m.py", imp("a", "import a"), imp("a", "import a as again")), py("a.py")]
    edges, stats, _ = resolve_repository(files, {})
    assert [e.import_text for e in edges] == ["import a"] and stats.resolved == 2


def test_self_import_gives_no_edge():
    edges, stats, _ = resolve_repository([py("a.py", imp("a"))], {})
    assert edges == [] and stats == ResolveStats(1, 1, 0, 0)


def test_stats_count_every_outcome():
    files = [py("m.py", imp("a"), imp("os"), Import("from", "gone", ("x",), level=1)), py("a.py")]
    _, stats, _ = resolve_repository(files, {})
    assert stats == ResolveStats(found=3, resolved=1, external=1, unresolved=1)


def test_outcomes_list_each_import_in_file_then_source_order():
    first, second = imp("os"), imp("a")
    files = [py("m.py", first, second), py("a.py")]
    _, _, outcomes = resolve_repository(files, {})
    assert outcomes == [("m.py", first, "external"), ("m.py", second, "resolved")]


def test_imports_of_languages_without_resolver_are_not_counted():
    files = [RepoFile("a.hs", "haskell", ParsedFile("haskell", imports=(imp("Data.List"),)))]
    assert resolve_repository(files, {})[1] == ResolveStats(0, 0, 0, 0)


def test_result_does_not_depend_on_file_order():
    files = [py("m.py", imp("a"), imp("b")), py("a.py", imp("b")), py("b.py")]
    assert resolve_repository(files, {}) == resolve_repository(list(reversed(files)), {})


def test_jsonc_allows_comments_and_trailing_commas_but_keeps_strings():
    text = '{\n  // note\n  "url": "http://x/*y*/", /* block */\n  "list": [1, 2,],\n}'
    assert parse_jsonc(text) == {"url": "http://x/*y*/", "list": [1, 2]}


def test_broken_json_reads_as_none():
    assert parse_jsonc("{ not json") is None


def test_join_path_refuses_to_leave_the_repository():
    assert join_path("a", "../../x") is None and join_path("a/b", "../c") == "a/c"
