"""Readability and modularity rules, each at, just above and just below its threshold."""
from __future__ import annotations

from filters.readability import (
    BASE64_MIN_RUN,
    BASE64_RUN,
    HEX_BYTES,
    CommentFractionFilter,
    EncodedDataFilter,
    LongFunctionFilter,
    NestingDepthFilter,
    NumericDataFilter,
    OneLetterIdentifierFilter,
    RepeatedLinesFilter,
    TooLittleCodeFilter,
    encoded_spans,
    number_char_fraction,
    numeric_fraction,
    repeated_line_fraction,
)


def record(content: str = "x = 1\n", language: str = "python", **stats) -> dict:
    return {"path": "f", "language": language, "content": content, "size": len(content), **stats}


def reason(rule, rec) -> str | None:
    verdict = rule.check(rec)
    return verdict.reason if verdict else None


# ------------------------------------------------------------------ long functions

def test_function_of_max_lines_is_kept():
    assert reason(LongFunctionFilter(max_lines=1000), record(max_function_lines=1000)) is None


def test_function_one_line_over_max_is_rejected():
    assert reason(LongFunctionFilter(max_lines=1000), record(max_function_lines=1001)) == "readability:long_function"


def test_function_one_line_under_max_is_kept():
    assert reason(LongFunctionFilter(max_lines=1000), record(max_function_lines=999)) is None


def test_long_function_rule_keeps_files_without_parse_stats():
    assert reason(LongFunctionFilter(max_lines=10), record(language="markdown", max_function_lines=-1)) is None
    assert reason(LongFunctionFilter(max_lines=10), record(language="markdown")) is None


# ------------------------------------------------------------------ nesting depth

def test_nesting_at_max_depth_is_kept():
    assert reason(NestingDepthFilter(max_depth=10), record(max_depth=10)) is None


def test_nesting_one_level_deeper_is_rejected():
    assert reason(NestingDepthFilter(max_depth=10), record(max_depth=11)) == "readability:nesting_depth"


def test_nesting_one_level_shallower_is_kept():
    assert reason(NestingDepthFilter(max_depth=10), record(max_depth=9)) is None


# ------------------------------------------------------------------ one-letter identifiers

def test_one_letter_fraction_at_threshold_is_kept():
    rec = record(identifiers=100, one_letter_identifiers=80)
    assert reason(OneLetterIdentifierFilter(max_fraction=0.8), rec) is None


def test_one_letter_fraction_just_above_threshold_is_rejected():
    rec = record(identifiers=100, one_letter_identifiers=81)
    assert reason(OneLetterIdentifierFilter(max_fraction=0.8), rec) == "readability:one_letter_identifiers"


def test_one_letter_fraction_just_below_threshold_is_kept():
    rec = record(identifiers=100, one_letter_identifiers=79)
    assert reason(OneLetterIdentifierFilter(max_fraction=0.8), rec) is None


def test_too_few_identifiers_are_not_judged():
    rec = record(identifiers=49, one_letter_identifiers=49)
    assert reason(OneLetterIdentifierFilter(max_fraction=0.8, min_identifiers=50), rec) is None


# ------------------------------------------------------------------ comment fraction

def test_comment_fraction_at_ceiling_is_kept():
    rec = record("c" * 100, comment_bytes=90)
    assert reason(CommentFractionFilter(max_fraction=0.9), rec) is None


def test_comment_fraction_just_above_ceiling_is_rejected():
    rec = record("c" * 100, comment_bytes=91)
    assert reason(CommentFractionFilter(max_fraction=0.9), rec) == "readability:comment_fraction"


def test_comment_fraction_just_below_ceiling_is_kept():
    rec = record("c" * 100, comment_bytes=89)
    assert reason(CommentFractionFilter(max_fraction=0.9), rec) is None


def test_comment_fraction_at_floor_is_kept():
    rec = record("c" * 100, comment_bytes=1)
    assert reason(CommentFractionFilter(min_fraction=0.01), rec) is None


def test_comment_fraction_below_floor_is_rejected():
    rec = record("c" * 100, comment_bytes=0)
    assert reason(CommentFractionFilter(min_fraction=0.01), rec) == "readability:comment_fraction"


def test_uncommented_file_is_kept_by_default():
    assert reason(CommentFractionFilter(), record("c" * 100, comment_bytes=0)) is None


# ------------------------------------------------------------------ repeated lines

LINE_A = "call_a(1);"  # 10 characters each, long enough to count as a repeat
LINE_B = "call_b(2);"


def test_repeated_fraction_at_threshold_is_kept():
    text = "\n".join([LINE_A] * 5)  # 40 of 50 characters repeat an earlier line
    assert repeated_line_fraction(text, 10) == 0.8
    assert reason(RepeatedLinesFilter(max_fraction=0.8), record(text)) is None


def test_repeated_fraction_just_above_threshold_is_rejected():
    text = "\n".join([LINE_A] * 6)  # 50 of 60
    assert reason(RepeatedLinesFilter(max_fraction=0.8), record(text)) == "readability:repeated_lines"


def test_repeated_fraction_just_below_threshold_is_kept():
    text = "\n".join([LINE_A, LINE_B] + [LINE_A] * 7)  # 70 of 90
    assert reason(RepeatedLinesFilter(max_fraction=0.8), record(text)) is None


def test_short_lines_like_closing_braces_never_count_as_repeats():
    text = "\n".join(["f();", "}"] * 50)
    assert repeated_line_fraction(text, 10) == 0.0


# ------------------------------------------------------------------ encoded data

BASE64_CHARS = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0123456789+/"


def blob(n: int) -> str:
    return (BASE64_CHARS * (n // len(BASE64_CHARS) + 1))[:n]


def code_filler(n: int) -> str:
    """``n`` characters of code that match no encoded-data pattern."""
    return ("y = f(x) + g(z)\n" * (n // 16 + 1))[:n]


def test_encoded_fraction_at_threshold_is_kept():
    content = blob(100) + " " + code_filler(99)  # 100 of 200
    assert reason(EncodedDataFilter(max_fraction=0.5), record(content)) is None


def test_encoded_fraction_just_above_threshold_is_rejected():
    content = blob(101) + " " + code_filler(98)  # 101 of 200
    assert reason(EncodedDataFilter(max_fraction=0.5), record(content)) == "readability:encoded_data"


def test_encoded_fraction_just_below_threshold_is_kept():
    content = blob(99) + " " + code_filler(100)  # 99 of 200
    assert reason(EncodedDataFilter(max_fraction=0.5), record(content)) is None


def test_encoded_run_at_max_length_is_kept():
    content = 'DATA = "' + blob(8192) + '"\n' + code_filler(20000)
    assert reason(EncodedDataFilter(max_run_chars=8192), record(content)) is None


def test_encoded_run_one_char_over_max_length_is_rejected():
    content = 'DATA = "' + blob(8193) + '"\n' + code_filler(20000)
    verdict = EncodedDataFilter(max_run_chars=8192).check(record(content))
    assert verdict.reason == "readability:encoded_data" and "8193" in verdict.detail


def test_hex_byte_table_counts_as_encoded_data():
    table = "static const unsigned char key[] = {" + "0x1f, 0xa0, " * 100 + "};\n"
    assert reason(EncodedDataFilter(), record(table, language="c")) == "readability:encoded_data"


def test_unicode_escape_run_counts_as_encoded_data():
    content = 's = "' + "\\u00e9\\u00e8" * 100 + '"\n'
    assert reason(EncodedDataFilter(), record(content)) == "readability:encoded_data"


def test_base64_prefilter_lets_every_base64_run_through():
    for code in range(128):
        run = chr(code) * BASE64_MIN_RUN
        assert bool(encoded_spans(run)) >= bool(BASE64_RUN.fullmatch(run)), repr(chr(code))


def test_hex_prefilter_lets_every_hex_byte_run_through():
    separators = [", ", ",", " ", "\t", "\n", ",\x1c", "\u00a0", ",\u2028", ", \u3000", ",\u0085"]
    matched = 0
    for separator in separators:
        for prefix in ("", "0x", "\\x"):
            for head, tail in (("", ""), ("é ", " ü")):
                text = head + separator.join(prefix + f"{i:02x}" for i in range(9)) + tail
                spans = [m.span() for m in HEX_BYTES.finditer(text)]
                matched += bool(spans)
                assert encoded_spans(text) == spans, repr(text)
    assert matched >= 40


def test_ordinary_code_has_no_encoded_data():
    assert reason(EncodedDataFilter(max_fraction=0.0), record(code_filler(5000))) is None


# ------------------------------------------------------------------ numeric data

def test_numeric_fraction_at_threshold_is_kept():
    assert reason(NumericDataFilter(max_fraction=0.5), record("12345 abcde")) is None


def test_numeric_fraction_just_above_threshold_is_rejected():
    assert reason(NumericDataFilter(max_fraction=0.5), record("123456 ghij")) == "readability:numeric_data"


def test_numeric_fraction_just_below_threshold_is_kept():
    assert reason(NumericDataFilter(max_fraction=0.5), record("1234 ghijkl")) is None


def test_digits_inside_identifiers_are_not_numbers():
    assert reason(NumericDataFilter(max_fraction=0.0), record("utf8 = md5 + sha256")) is None


def test_number_character_share_bounds_the_numeric_fraction():
    for text in ("x = 0x1F + 1.5e10 - 1_000", "é = 42 # naïve café 7", "deadbeef = 12ab", "v1.2.3"):
        assert numeric_fraction(text) <= number_char_fraction(text)


def test_table_of_floats_is_rejected():
    content = "WEIGHTS = [\n" + "    0.1234, -1.5e-3, 42.0,\n" * 50 + "]\n"
    assert reason(NumericDataFilter(), record(content)) == "readability:numeric_data"


# ------------------------------------------------------------------ too little code

def test_file_with_min_code_lines_is_kept():
    assert reason(TooLittleCodeFilter(min_code_lines=3), record(code_lines=3)) is None


def test_file_one_code_line_short_is_rejected():
    assert reason(TooLittleCodeFilter(min_code_lines=3), record(code_lines=2)) == "readability:too_little_code"


def test_file_one_code_line_over_is_kept():
    assert reason(TooLittleCodeFilter(min_code_lines=3), record(code_lines=4)) is None


def test_comment_only_file_is_rejected_by_default():
    assert reason(TooLittleCodeFilter(), record("# nothing here\n", code_lines=0)) == "readability:too_little_code"
