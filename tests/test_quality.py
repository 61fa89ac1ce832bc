"""The quality chain's configuration and the parse fields of a quality record."""
from __future__ import annotations

from dataclasses import replace

from filters.base import first_rejection
from filters.quality import PARSE_FIELDS, QualityConfig, default_quality_filters, parse_stats
from parsers.imports import parse_file
from parsers.model import ParsedFile


def python_record(content: str) -> dict:
    return {"path": "m.py", "language": "python", "content": content, "size": len(content),
            **parse_stats(parse_file("python", content, "m.py"))}


LONG_FUNCTION = "def f():\n" + "    x = 1\n" * 20


def test_default_chain_keeps_ordinary_code():
    content = '"""Add numbers."""\n\n\ndef add(a, b):\n    return a + b\n'
    assert first_rejection(python_record(content), default_quality_filters()) is None


def test_threshold_from_config_reaches_its_rule():
    config = QualityConfig()
    config = replace(config, readability=replace(config.readability, max_function_lines=20))
    verdict = first_rejection(python_record(LONG_FUNCTION), default_quality_filters(config))
    assert verdict.reason == "readability:long_function"


def test_disabled_rule_is_left_out_of_the_chain():
    config = QualityConfig()
    config = replace(config, readability=replace(
        config.readability, max_function_lines=20, long_function=False))
    assert "long_function" not in [rule.name for rule in default_quality_filters(config)]
    assert first_rejection(python_record(LONG_FUNCTION), default_quality_filters(config)) is None


def test_python_2_file_is_rejected_by_the_default_chain():
    verdict = first_rejection(python_record('print "hi"\n'), default_quality_filters())
    assert verdict.reason == "syntax:python:compile"


def test_parse_stats_of_an_unparsed_file_are_minus_one():
    assert parse_stats(None) == dict.fromkeys(PARSE_FIELDS, -1)
    assert parse_stats(ParsedFile("markdown", parsed=False)) == dict.fromkeys(PARSE_FIELDS, -1)


def test_parse_stats_name_the_parse_counts_as_the_sample_does():
    stats = parse_stats(parse_file("python", "x = = 1\ny = 2\n"))
    assert stats["parse_errors"] == 1 and stats["parse_error_bytes"] > 0
    assert set(stats) == set(PARSE_FIELDS)


C_SOURCE = ("#include <stdio.h>\n\nstatic int square(int x) {\n    int y = x * x;\n    printf(\"%d\\n\", y);\n"
            "    return y;\n}\n\nint main(void) {\n    return square(3) == 9 ? 0 : 1;\n}\n")


def c_record(content: str) -> dict:
    return {"path": "m.c", "language": "c", "content": content, "size": len(content),
            **parse_stats(parse_file("c", content, "m.c"))}


def test_c_file_cut_in_a_function_is_rejected_by_the_default_chain():
    verdict = first_rejection(c_record(C_SOURCE[: C_SOURCE.index("printf")]), default_quality_filters())
    assert verdict.reason == "syntax:c_delimiters"


def test_c_check_can_be_switched_off():
    config = QualityConfig()
    config = replace(config, syntax=replace(config.syntax, c_syntax=False))
    assert "c_syntax" not in [rule.name for rule in default_quality_filters(config)]
