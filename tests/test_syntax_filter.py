"""Syntax filters: tree-sitter ERROR/MISSING thresholds and Python's compiler (issue 5)."""
from __future__ import annotations

import warnings

from filters.quality import parse_stats
from filters.syntax import CSyntaxFilter, PythonCompileFilter, TreeSitterSyntaxFilter
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


# C and C++: the token check of filters.c_syntax (issue 13 item 2).

C_FUNCTION = """#include <stdio.h>

static int sum(const int *values, int n) {
    int total = 0;
    for (int i = 0; i < n; i++) {
        total += values[i];
    }
    printf("sum=%d\\n", total);
    return total;
}
"""


def c_verdict(content: str, language: str = "c"):
    return CSyntaxFilter().check({"path": "f.c", "language": language, "content": content})


def test_valid_c_function_is_kept():
    assert c_verdict(C_FUNCTION) is None


def test_c_file_cut_in_the_middle_of_a_function_is_rejected():
    assert c_verdict(C_FUNCTION[: C_FUNCTION.index("printf")]).reason == "syntax:c_delimiters"


def test_c_deleted_closing_brace_is_rejected():
    broken = C_FUNCTION.replace("        total += values[i];\n    }\n", "        total += values[i];\n")
    assert c_verdict(broken).reason == "syntax:c_delimiters"


def test_cpp_unbalanced_parenthesis_is_rejected():
    content = "int f(int x) {\n    return g((x + 1) * 2;\n}\n"
    assert c_verdict(content, "cpp").reason == "syntax:c_delimiters"


def test_c_deleted_semicolon_between_statements_is_rejected():
    broken = C_FUNCTION.replace("int total = 0;", "int total = 0")
    assert c_verdict(broken).reason == "syntax:c_semicolon"


def test_c_deleted_semicolon_before_closing_brace_is_rejected():
    assert c_verdict(C_FUNCTION.replace("return total;", "return total")).reason == "syntax:c_semicolon"


def test_c_for_header_missing_a_semicolon_is_rejected():
    broken = C_FUNCTION.replace("int i = 0; i < n; i++", "int i = 0; i < n i++")
    assert c_verdict(broken).reason == "syntax:c_semicolon"


def test_cpp_range_for_without_semicolons_is_kept():
    assert c_verdict("void f(const std::vector<int>& v) {\n    for (int x : v) {\n        use(x);\n    }\n}\n", "cpp") is None


def test_each_ifdef_branch_opening_a_brace_is_kept():
    content = ("void f(int a, int b) {\n#ifdef USE_A\n    if (a) {\n#else\n    if (b) {\n#endif\n"
               "        g();\n    }\n}\n")
    assert c_verdict(content) is None


def test_extern_c_guard_of_a_header_is_kept():
    assert c_verdict(C_HEADER_WITH_GUARD) is None


def test_if_zero_block_with_broken_code_is_kept():
    content = "#if 0\nvoid old( {  it's gone\n#endif\nint x = 1;\n"
    assert c_verdict(content) is None


def test_brackets_inside_comments_strings_and_chars_are_ignored():
    content = ('/* { ( */\n// )\nconst char *s = "}{)(";\nchar c = \'{\';\n'
               'const char *r = R"x(")}]")x";\n')
    assert c_verdict(content, "cpp") is None


def test_braces_inside_a_define_are_ignored():
    assert c_verdict("#define BEGIN {\n#define END }\n#define CALL(f) f(\\\n    0)\nint x;\n") is None


def test_unbalanced_parentheses_in_a_define_are_rejected():
    assert c_verdict("#define SQUARE(x ((x) * (x))\nint y;\n").reason == "syntax:c_delimiters"


def test_unbalanced_parentheses_in_an_if_condition_are_rejected():
    assert c_verdict("#if defined(A) && (B\nint x;\n#endif\n").reason == "syntax:c_delimiters"


def test_if_branches_leaving_different_brackets_open_are_rejected():
    content = "void f(void) {\n#ifdef A\n    g(1);\n#else\n    g(2;\n#endif\n}\n"
    assert c_verdict(content).reason == "syntax:c_delimiters"


def test_digit_separator_is_not_a_character_literal():
    assert c_verdict("long n = 1'000'000;\nint m = 0x7f'ff;\n", "cpp") is None


def test_unterminated_block_comment_is_rejected():
    assert c_verdict("int x;\n/* never closed\nint y;\n").reason == "syntax:c_unterminated"


def test_string_broken_by_a_newline_is_rejected():
    assert c_verdict('const char *s = "abc\nint y;\n').reason == "syntax:c_unterminated"


def test_if_group_left_open_is_rejected():
    assert c_verdict("#ifndef X_H\n#define X_H\nint x;\n").reason == "syntax:c_unterminated"


def test_statement_macro_without_semicolon_is_kept():
    content = "void f(void) {\n    Py_BEGIN_ALLOW_THREADS\n    UV_UNUSED(x)\n    g();\n}\n"
    assert c_verdict(content) is None


def test_declaration_with_return_type_on_its_own_line_is_kept():
    assert c_verdict("static int\nmain_loop(void)\n{\n    return 0;\n}\n") is None


def test_initializer_list_without_semicolons_is_kept():
    content = "static const int table[] = {\n    1, 2,\n    3\n};\nstruct p q = { .x = 1, .y = 2 };\n"
    assert c_verdict(content) is None


def test_string_concatenated_with_a_format_macro_is_kept():
    assert c_verdict('void f(void) {\n    printf("%" PRIu64\n           "\\n", n);\n}\n') is None


def test_c_check_applies_to_c_family_only():
    assert c_verdict("def f(:\n", "python") is None


def test_macro_call_that_the_file_ends_with_semicolons_needs_one():
    content = "void f(void) {\n    ASSERT(a);\n    ASSERT(b);\n    ASSERT(c)\n    g();\n}\n"
    assert c_verdict(content).reason == "syntax:c_semicolon"


def test_statement_in_a_skipped_else_branch_is_checked():
    content = "void f(void) {\n#ifdef A\n    g(1);\n#else\n    x = 2\n    g(2);\n#endif\n}\n"
    assert c_verdict(content).reason == "syntax:c_semicolon"


def test_missing_semicolon_after_break_is_rejected():
    content = "int f(int x) {\n    switch (x) {\n    case 1:\n        g();\n        break\n    }\n    return 0;\n}\n"
    assert c_verdict(content).reason == "syntax:c_semicolon"


def test_text_inside_if_zero_without_else_is_never_checked():
    content = "#if 0\nenviron_get\nenviron_sizes_get\nclock_time_get\n#endif\nint x;\n"
    assert c_verdict(content) is None


def test_unterminated_string_of_line_splices_is_rejected_without_backtracking():
    assert c_verdict('const char *s = "' + "\\\n" * 5000).reason == "syntax:c_unterminated"


def test_deeply_nested_if_groups_are_checked_without_recursion():
    content = "int a;\n" + "#ifdef A\n" * 2000 + "#else\n#endif\n" * 2000
    assert c_verdict(content) is None
