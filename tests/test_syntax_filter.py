"""Syntax filters: tree-sitter ERROR/MISSING thresholds and Python's compiler (issue 5)."""
from __future__ import annotations

import warnings

from filters.quality import parse_stats
from filters.syntax import PythonCompileFilter, TreeSitterSyntaxFilter
from parsers.imports import parse_file

JAVA = """package demo;

public class Greeter {
    private final String name;

    public Greeter(String name) {
        this.name = name;
    }

    public String greet(int times) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < times; i++) {
            out.append("Hello, ").append(name).append('\\n');
        }
        return out.toString();
    }
}
"""

C_HEADER_WITH_GUARD = """#ifndef GEOM_H
#define GEOM_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct { double x, y; } point;
double distance(point a, point b);

#ifdef __cplusplus
}
#endif

#endif
"""


def parsed_record(language: str, content: str, path: str = "f") -> dict:
    """A quality record whose parse fields come from the ordering stage's parse."""
    return {"path": path, "language": language, "content": content, "size": len(content),
            **parse_stats(parse_file(language, content, path))}


def stats_record(content: str = "x" * 100, language: str = "java", **stats: int) -> dict:
    return {"path": "f", "language": language, "content": content, "size": len(content),
            "parse_errors": 0, "parse_missing": 0, "parse_error_bytes": 0, **stats}


def test_valid_java_is_kept():
    assert TreeSitterSyntaxFilter().check(parsed_record("java", JAVA)) is None


def test_java_truncated_mid_file_is_rejected_for_error_fraction():
    verdict = TreeSitterSyntaxFilter().check(parsed_record("java", JAVA[: len(JAVA) // 2]))
    assert verdict is not None and verdict.reason == "syntax:error_fraction"


def test_error_fraction_at_threshold_is_kept():
    record = stats_record(parse_error_bytes=10, parse_errors=1)  # 10 of 100 bytes
    assert TreeSitterSyntaxFilter(max_error_fraction=0.1).check(record) is None


def test_error_fraction_just_above_threshold_is_rejected():
    record = stats_record(parse_error_bytes=11, parse_errors=1)
    verdict = TreeSitterSyntaxFilter(max_error_fraction=0.1).check(record)
    assert verdict.reason == "syntax:error_fraction"


def test_error_fraction_just_below_threshold_is_kept():
    record = stats_record(parse_error_bytes=9, parse_errors=1)
    assert TreeSitterSyntaxFilter(max_error_fraction=0.1).check(record) is None


def test_error_fraction_counts_utf8_bytes_not_characters():
    # 50 characters of two bytes each: 10 error bytes are 0.1 of 100 bytes, not 0.2 of 50 chars.
    record = stats_record(content="é" * 50, parse_error_bytes=10, parse_errors=1)
    assert TreeSitterSyntaxFilter(max_error_fraction=0.1).check(record) is None


def test_error_count_at_threshold_is_kept():
    assert TreeSitterSyntaxFilter(max_errors=25).check(stats_record(parse_errors=25)) is None


def test_error_count_just_above_threshold_is_rejected():
    verdict = TreeSitterSyntaxFilter(max_errors=25).check(stats_record(parse_errors=26))
    assert verdict.reason == "syntax:error_count"


def test_error_count_just_below_threshold_is_kept():
    assert TreeSitterSyntaxFilter(max_errors=25).check(stats_record(parse_errors=24)) is None


def test_missing_nodes_at_threshold_are_kept():
    assert TreeSitterSyntaxFilter(max_missing=10).check(stats_record(parse_missing=10)) is None


def test_missing_nodes_just_above_threshold_are_rejected():
    verdict = TreeSitterSyntaxFilter(max_missing=10).check(stats_record(parse_missing=11))
    assert verdict.reason == "syntax:missing_nodes"


def test_missing_nodes_just_below_threshold_are_kept():
    assert TreeSitterSyntaxFilter(max_missing=10).check(stats_record(parse_missing=9)) is None


def test_file_without_a_parser_is_kept():
    record = stats_record(language="markdown", parse_errors=-1, parse_missing=-1, parse_error_bytes=-1)
    assert TreeSitterSyntaxFilter().check(record) is None


def test_c_is_not_checked_by_default():
    record = stats_record(language="c", parse_errors=400, parse_error_bytes=100)
    assert TreeSitterSyntaxFilter().check(record) is None


def test_c_header_guard_leaves_a_missing_endif():
    record = parsed_record("c", C_HEADER_WITH_GUARD, "geom.h")
    assert record["parse_missing"] >= 1


def test_c_header_guard_is_kept_when_c_is_checked():
    record = parsed_record("c", C_HEADER_WITH_GUARD, "geom.h")
    assert TreeSitterSyntaxFilter(skip_languages=()).check(record) is None


def test_python_2_print_statement_is_rejected_by_compile():
    verdict = PythonCompileFilter().check(parsed_record("python", 'print "hello"\n'))
    assert verdict.reason == "syntax:python:compile"
    assert "SyntaxError" in verdict.detail


def test_python_2_print_statement_passes_tree_sitter():
    # tree-sitter-python still knows Python 2's print statement: only compile() catches it.
    assert TreeSitterSyntaxFilter().check(parsed_record("python", 'print "hello"\n')) is None


def test_compile_never_executes_the_code(tmp_path):
    marker = tmp_path / "ran"
    content = f"open({str(marker)!r}, 'w').write('side effect')\nraise SystemExit(3)\n"
    assert PythonCompileFilter().check(parsed_record("python", content)) is None
    assert not marker.exists()


def test_null_byte_in_python_is_rejected():
    verdict = PythonCompileFilter().check(parsed_record("python", "x = 1\0\n"))
    assert verdict.reason == "syntax:python:compile"


def test_absurdly_nested_python_is_rejected_not_raised():
    content = "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n"
    verdict = PythonCompileFilter().check({"path": "f.py", "language": "python", "content": content})
    assert verdict.reason == "syntax:python:compile"


def test_invalid_escape_sequence_is_kept_even_when_warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert PythonCompileFilter().check(parsed_record("python", 'pattern = "\\d+"\n')) is None


def test_python_source_with_a_bom_is_kept():
    assert PythonCompileFilter().check(parsed_record("python", "\ufeffx = 1\n")) is None


def test_compile_applies_to_python_only():
    assert PythonCompileFilter().check(parsed_record("javascript", "let x = {a: 1};\n")) is None
