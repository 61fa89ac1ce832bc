"""Structure statistics from the ordering stage's single parse (parsers/structure.py)."""
from __future__ import annotations

import pytest

from parsers.grammars import SUPPORTED_LANGUAGES, grammar_key, parser_for
from parsers.imports import parse_file
from parsers.structure import SPECS, STRUCTURE_FIELDS, structure_query, structure_stats


def stats(language: str, source: str, path: str = "f") -> dict:
    key = grammar_key(language, path)
    data = source.encode()
    return structure_stats(parser_for(key).parse(data).root_node, key, data)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_supported_language_has_a_compiling_query(language):
    key = grammar_key(language)
    assert key in SPECS
    structure_query(key)


def test_tsx_has_a_compiling_query():
    structure_query(grammar_key("typescript", "app.tsx"))


def test_parse_file_carries_the_structure_fields():
    parsed = parse_file("python", "def f():\n    if x:\n        return 1\n")
    assert (parsed.functions, parsed.max_function_lines, parsed.max_depth) == (1, 3, 1)
    assert set(STRUCTURE_FIELDS) <= set(parsed._fields)


def test_function_count_max_and_mean_length():
    source = "def a():\n    return 1\n\n\ndef b():\n    x = 1\n    y = 2\n    return x + y\n"
    s = stats("python", source)
    assert (s["functions"], s["max_function_lines"], s["mean_function_lines"]) == (2, 4, 3.0)


def test_file_without_functions_has_zero_lengths():
    s = stats("python", "x = 1\n")
    assert (s["functions"], s["max_function_lines"], s["mean_function_lines"]) == (0, 0, 0.0)


def test_nested_control_flow_depth():
    source = "for a in b:\n    while c:\n        if d:\n            pass\n"
    assert stats("python", source)["max_depth"] == 3


def test_sibling_blocks_do_not_add_depth():
    source = "if a:\n    pass\nif b:\n    pass\nfor c in d:\n    pass\n"
    assert stats("python", source)["max_depth"] == 1


@pytest.mark.parametrize("language, source", [
    ("c", "int f(int x) { if (x) { return 1; } else if (x > 1) { return 2; } "
          "else if (x > 2) { return 3; } else if (x > 3) { return 4; } return 0; }"),
    ("java", "class A { int f(int x) { if (x == 0) { return 1; } else if (x == 1) { return 2; } "
             "else if (x == 2) { return 3; } else if (x == 3) { return 4; } return 0; } }"),
    ("javascript", "function f(x) { if (x) { return 1 } else if (y) { return 2 } "
                   "else if (z) { return 3 } else if (w) { return 4 } }"),
    ("go", "package a\nfunc f(x int) int { if x == 0 { return 1 } else if x == 1 { return 2 } "
           "else if x == 2 { return 3 } else if x == 3 { return 4 }\nreturn 0 }\n"),
    ("rust", "fn f(x: i32) -> i32 { if x == 0 { 1 } else if x == 1 { 2 } else if x == 2 { 3 } "
             "else if x == 3 { 4 } else { 0 } }"),
    ("kotlin", "fun f(x: Int): Int { if (x == 0) { return 1 } else if (x == 1) { return 2 } "
               "else if (x == 2) { return 3 } else if (x == 3) { return 4 }\nreturn 0 }"),
])
def test_else_if_chain_is_one_level(language, source):
    assert stats(language, source)["max_depth"] == 1


def test_if_nested_in_else_block_is_a_level_below():
    source = "int f(int x) { if (x) { return 1; } else { if (x > 1) { return 2; } } return 0; }"
    assert stats("c", source)["max_depth"] == 2


def test_anonymous_callbacks_are_not_functions():
    source = "describe('x', () => {\n  it('y', function () {\n    expect(1).toBe(1);\n  });\n});\n"
    assert stats("javascript", source)["functions"] == 0


def test_function_bound_to_a_name_is_a_function():
    source = "const add = (a, b) => {\n  return a + b;\n};\nobj.sub = function (a, b) {\n  return a - b;\n};\n"
    s = stats("javascript", source)
    assert (s["functions"], s["max_function_lines"]) == (2, 3)


def test_function_containing_a_parse_error_is_not_measured():
    source = "void ok(void) {\n  g();\n}\nvoid broken(void) {\n  x = = 1;\n  y = 2;\n  z = 3;\n}\n"
    s = stats("c", source)
    assert (s["functions"], s["max_function_lines"]) == (1, 3)


def test_identifiers_and_one_letter_identifiers():
    s = stats("python", "total = a + b + count + _\n")
    assert (s["identifiers"], s["one_letter_identifiers"]) == (5, 2)


def test_comment_bytes_include_comments_and_docstrings():
    source = '"""Doc."""\n# note\nx = 1  # why\n'
    assert stats("python", source)["comment_bytes"] == len('"""Doc."""') + len("# note") + len("# why")


def test_code_lines_skip_blank_and_comment_only_lines():
    source = '"""Module\n\ndocstring."""\n\n# comment\nx = 1  # trailing comment\n\ny = 2\n'
    assert stats("python", source)["code_lines"] == 2


def test_code_lines_count_code_before_and_after_block_comments():
    source = "int a; /* starts here\n   continues\n   ends */ int b;\n/* whole line */\nint c;\n"
    assert stats("c", source)["code_lines"] == 3


def test_comment_only_file_has_no_code_lines():
    assert stats("java", "/*\n * Licence.\n */\n// nothing else\n")["code_lines"] == 0


def test_rust_line_comments_ending_in_newline_do_not_hide_the_next_line():
    source = "// a\n// b\nfn main() {\n    let x = 1; // c\n}\n"
    assert stats("rust", source)["code_lines"] == 3
