"""C/C++/CUDA include resolution: relative, include folders, system headers, ties."""
from __future__ import annotations

from parsers.imports import parse_file
from parsers.model import Import, ParsedFile
from parsers.resolve import RepoFile, resolve_repository


def c(path: str, *imports: Import, language: str = "c") -> RepoFile:
    return RepoFile(path, language, ParsedFile(language, imports=imports))


def local(name: str) -> Import:
    return Import("include_local", name, text=f'#include "{name}"')


def system(name: str) -> Import:
    return Import("include_system", name, text=f"#include <{name}>")


def resolve_one(files: list[RepoFile]) -> tuple[list[str], str]:
    edges, _, outcomes = resolve_repository(files, {})
    assert len(outcomes) == 1
    return [e.imported for e in edges], outcomes[0][2]


def test_quoted_include_beside_the_including_file():
    files = [c("src/a.c", local("a.h")), c("src/a.h"), c("include/a.h")]
    assert resolve_one(files) == (["src/a.h"], "resolved")


def test_quoted_include_with_parent_folder():
    files = [c("src/net/tcp.c", local("../util/log.h")), c("src/util/log.h")]
    assert resolve_one(files) == (["src/util/log.h"], "resolved")


def test_quoted_include_found_in_include_folder():
    files = [c("src/main.cpp", local("mylib/core.hpp"), language="cpp"), c("include/mylib/core.hpp")]
    assert resolve_one(files) == (["include/mylib/core.hpp"], "resolved")


def test_angle_include_of_repository_header_resolves():
    files = [c("tools/cli.c", system("mylib/api.h")), c("include/mylib/api.h")]
    assert resolve_one(files) == (["include/mylib/api.h"], "resolved")


def test_angle_include_not_in_repository_is_external():
    assert resolve_one([c("a.c", system("stdio.h"))]) == ([], "external")


def test_missing_quoted_include_is_unresolved():
    assert resolve_one([c("a.c", local("config.h"))]) == ([], "unresolved")


def test_nearest_of_two_same_named_headers_wins():
    files = [c("libs/b/src/x.c", local("common.h")), c("libs/a/common.h"), c("libs/b/common.h")]
    assert resolve_one(files) == (["libs/b/common.h"], "resolved")


def test_equally_near_headers_pick_shortest_path():
    files = [c("main.c", local("defs.h")), c("x/y/defs.h"), c("z/defs.h")]
    assert resolve_one(files) == (["z/defs.h"], "resolved")


def test_include_folder_preferred_over_nearer_other_folder():
    files = [c("aaa/x/main.c", local("proj/api.h")), c("include/proj/api.h"), c("aaa/proj/api.h")]
    assert resolve_one(files) == (["include/proj/api.h"], "resolved")


def test_header_under_folder_that_is_no_include_folder_still_matches():
    files = [c("main.c", local("absl/strings/str.h")), c("third_party/abseil/absl/strings/str.h")]
    assert resolve_one(files) == (["third_party/abseil/absl/strings/str.h"], "resolved")


def test_partial_segment_names_do_not_match():
    files = [c("main.c", local("api.h")), c("include/myapi.h")]
    assert resolve_one(files) == ([], "unresolved")


def test_cuda_includes_resolve_like_cpp():
    files = [c("kernels/k.cu", local("kernel.cuh"), language="cuda"), c("kernels/kernel.cuh")]
    assert resolve_one(files) == (["kernels/kernel.cuh"], "resolved")


def test_end_to_end_parsed_c_repository():
    sources = {
        "src/main.c": ("c", '#include <stdio.h>\n#include "util.h"\n#include <proj/api.h>\n#ifdef X\n#include "gen.h"\n#endif\n'),
        "src/util.h": ("c", "int f(void);\n"),
        "include/proj/api.h": ("c", '#include "../../src/util.h"\n'),
        "tests/t.cpp": ("cpp", '#include "proj/api.h"\n#include <vector>\n'),
    }
    files = [RepoFile(p, lang, parse_file(lang, s, p)) for p, (lang, s) in sources.items()]
    edges, stats, _ = resolve_repository(files, {})
    assert [(e.importer, e.imported) for e in edges] == [
        ("include/proj/api.h", "src/util.h"),
        ("src/main.c", "include/proj/api.h"),
        ("src/main.c", "src/util.h"),
        ("tests/t.cpp", "include/proj/api.h"),
    ]
    assert stats == (7, 4, 2, 1)


def test_angle_include_of_standard_header_ignores_a_nested_repo_header_of_that_name():
    files = [c("src/unix/core.c", system("errno.h")), c("include/uv/errno.h"), c("include/uv.h")]
    assert resolve_one(files) == ([], "external")


def test_angle_include_of_standard_header_finds_one_in_an_include_folder():
    files = [c("src/stdio/printf.c", system("errno.h")), c("include/errno.h")]
    assert resolve_one(files) == (["include/errno.h"], "resolved")


def test_angle_include_of_other_header_still_finds_a_nested_repo_header():
    files = [c("src/main.c", system("task.h")), c("test/helpers/task.h")]
    assert resolve_one(files) == (["test/helpers/task.h"], "resolved")
