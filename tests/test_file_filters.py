from __future__ import annotations

import pytest

from filters.base import Verdict, first_rejection
from filters.file_filters import (
    CHAR_CLASSES,
    AlphaFractionFilter,
    DataFileSizeFilter,
    FileFilterConfig,
    HtmlFilter,
    LineLengthFilter,
    XmlFilter,
    count_in_class,
    default_file_filters,
    html_visible_text,
)


def record(content: str, language: str = "python", path: str = "src/main.py") -> dict:
    return {"path": path, "language": language, "content": content, "size": len(content.encode())}


def lines_of(length: int, count: int = 3, newline: str = "\n") -> str:
    return "".join("a" * length + newline for _ in range(count))


def json_of(n_chars: int) -> str:
    text = '{"k": "' + "x" * (n_chars - 9) + '"}'
    assert len(text) == n_chars
    return text


# --- line length -----------------------------------------------------------------------------

def test_average_line_length_of_exactly_100_is_kept():
    assert LineLengthFilter().check(record(lines_of(100))) is None


def test_average_line_length_of_99_is_kept():
    assert LineLengthFilter().check(record(lines_of(99))) is None


def test_average_line_length_of_101_is_rejected_with_the_measured_average():
    assert LineLengthFilter().check(record(lines_of(101))) == Verdict("line_length:avg", "101.00")


def test_average_line_length_just_over_100_is_rejected():
    content = "a" * 100 + "\n" + "a" * 101 + "\n"
    assert LineLengthFilter().check(record(content)).reason == "line_length:avg"


def test_average_line_length_does_not_count_line_terminators():
    assert LineLengthFilter().check(record(lines_of(100, newline="\r\n"))) is None


def short_lines_with_one_long(longest: int) -> str:
    return "a" * longest + "\n" + lines_of(10, count=20)


def test_longest_line_of_exactly_1000_is_kept():
    assert LineLengthFilter().check(record(short_lines_with_one_long(1000))) is None


def test_longest_line_of_999_is_kept():
    assert LineLengthFilter().check(record(short_lines_with_one_long(999))) is None


def test_longest_line_of_1001_is_rejected_with_its_length():
    verdict = LineLengthFilter().check(record(short_lines_with_one_long(1001)))
    assert verdict == Verdict("line_length:max", "1001")


def test_line_length_thresholds_are_parameters():
    assert LineLengthFilter(max_avg=50).check(record(lines_of(60))).reason == "line_length:avg"


def test_empty_file_is_not_judged_by_line_length():
    assert LineLengthFilter().check(record("")) is None


# --- alphabetic fraction ---------------------------------------------------------------------

def test_alpha_fraction_of_exactly_a_quarter_is_kept():
    assert AlphaFractionFilter().check(record("a" * 25 + "1" * 75)) is None


def test_alpha_fraction_just_below_a_quarter_is_rejected_with_the_fraction():
    verdict = AlphaFractionFilter().check(record("a" * 24 + "1" * 76))
    assert verdict == Verdict("alpha_fraction", "0.2400")


def test_alpha_fraction_just_above_a_quarter_is_kept():
    assert AlphaFractionFilter().check(record("a" * 26 + "1" * 74)) is None


def test_alpha_fraction_counts_newlines_in_the_total():
    assert AlphaFractionFilter().check(record("ab" + "\n" * 6)) is None
    assert AlphaFractionFilter().check(record("ab" + "\n" * 7)).reason == "alpha_fraction"


def test_digits_count_only_for_the_alnum_character_class():
    digits_heavy = record("a" + "1" * 9)
    assert AlphaFractionFilter(char_class="alpha").check(digits_heavy).reason == "alpha_fraction"
    assert AlphaFractionFilter(char_class="alnum").check(digits_heavy) is None


def test_non_ascii_letters_are_alphabetic():
    assert AlphaFractionFilter().check(record("变量 = 数据 + 结果 # é")) is None


@pytest.mark.parametrize("char_class", ["alpha", "alnum"])
def test_ascii_and_unicode_text_are_counted_alike(char_class):
    ascii_text = "def f(x_1):\n    return x_1 * 2  # ok!\n"
    expected = sum(map(CHAR_CLASSES[char_class], ascii_text))
    assert count_in_class(ascii_text, char_class) == expected
    assert count_in_class(ascii_text + "é", char_class) == expected + 1


def test_empty_file_is_rejected_as_empty():
    assert AlphaFractionFilter().check(record("")) == Verdict("empty")


def test_unknown_character_class_is_refused():
    with pytest.raises(ValueError):
        AlphaFractionFilter(char_class="letters")


# --- XML -------------------------------------------------------------------------------------

XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n<root>text</root>\n'


def test_xml_declaration_at_the_start_is_rejected():
    assert XmlFilter().check(record(XML_DECL, language="xml", path="a.xml")).reason == "xml"


def test_xml_declaration_ending_at_char_100_is_rejected():
    content = " " * 86 + XML_DECL  # "<?xml version=" is 14 chars: it spans chars 87..100
    assert XmlFilter().check(record(content, language="xml")).reason == "xml"


def test_xml_declaration_reaching_past_char_100_is_kept():
    content = " " * 87 + XML_DECL
    assert XmlFilter().check(record(content, language="xml")) is None


def test_xslt_with_an_xml_declaration_is_kept():
    assert XmlFilter().check(record(XML_DECL, language="xslt", path="style.xsl")) is None


def test_xml_declaration_is_rejected_whatever_the_language():
    assert XmlFilter().check(record(XML_DECL, language="svg", path="logo.svg")).reason == "xml"


# --- HTML ------------------------------------------------------------------------------------

TEXT_RICH_PAGE = (
    "<html><head><title>Guide</title></head><body><h1>Installing the tool</h1>"
    "<p>Download the archive, unpack it into a folder of your choice and add that folder "
    "to your PATH. Then run the tool once to create its configuration file.</p>"
    "<p>Read the configuration reference for every option.</p></body></html>"
)


def test_text_rich_html_page_is_kept():
    assert HtmlFilter().check(record(TEXT_RICH_PAGE, language="html", path="guide.html")) is None


def test_html_page_of_mostly_script_is_rejected():
    script = "<script>" + "var x = compute(1, 2, 3);\n" * 400 + "</script>"
    page = f"<html><body>{script}<p>Welcome to the page, enjoy your visit here today.</p></body></html>"
    verdict = HtmlFilter().check(record(page, language="html"))
    assert verdict.reason == "html:visible_text"


def test_html_visible_text_drops_invisible_elements_and_collapses_whitespace():
    page = (
        "<html><head><title>T</title><style>p {}</style></head><body><p>one\n\n two</p>"
        "<script>var x;</script><noscript>enable js</noscript><template>tpl</template>"
        "<!-- note --> three &amp; four</body></html>"
    )
    assert html_visible_text(page) == "one two three & four"


def test_html_with_exactly_100_visible_chars_is_kept():
    page = "<p>" + "a" * 100 + "</p>"
    assert HtmlFilter().check(record(page, language="html")) is None


def test_html_with_99_visible_chars_is_rejected():
    page = "<p>" + "a" * 99 + "</p>"
    assert HtmlFilter().check(record(page, language="html")).reason == "html:visible_text"


def page_with_200_visible_chars(total: int) -> str:
    head = "<p>" + "a" * 200 + "</p><!--"
    return head + "x" * (total - len(head) - 3) + "-->"


def test_html_with_visible_text_of_exactly_a_fifth_is_kept():
    page = page_with_200_visible_chars(1000)
    assert len(page) == 1000
    assert HtmlFilter().check(record(page, language="html")) is None


def test_html_with_visible_text_just_under_a_fifth_is_rejected():
    page = page_with_200_visible_chars(1001)
    assert HtmlFilter().check(record(page, language="html")).reason == "html:visible_text"


def test_html_rule_ignores_other_languages():
    assert HtmlFilter().check(record("<script>x</script>", language="javascript")) is None


def test_whitespace_only_html_is_rejected():
    assert HtmlFilter().check(record("  \n ", language="html")).reason == "html:visible_text"


# --- JSON / YAML size ------------------------------------------------------------------------

def test_json_of_49_chars_is_rejected_as_too_small():
    verdict = DataFileSizeFilter().check(record(json_of(49), language="json"))
    assert verdict == Verdict("data_size:too_small", "49 chars")


def test_json_of_50_chars_is_kept():
    assert DataFileSizeFilter().check(record(json_of(50), language="json")) is None


def test_json_of_5000_chars_is_kept():
    assert DataFileSizeFilter().check(record(json_of(5000), language="json")) is None


def test_json_over_5000_chars_is_rejected():
    verdict = DataFileSizeFilter().check(record(json_of(5001), language="json"))
    assert verdict == Verdict("data_size:too_large", "5001 chars")


def test_yaml_is_size_checked_too():
    assert DataFileSizeFilter().check(record("a: 1\n", language="yaml")).reason == "data_size:too_small"


def test_data_size_counts_characters_not_bytes():
    content = '{"k": "' + "é" * 41 + '"}'  # 50 chars, 91 bytes
    assert DataFileSizeFilter(max_chars=50).check(record(content, language="json")) is None


def test_small_source_files_are_not_size_checked():
    assert DataFileSizeFilter().check(record("x = 1\n")) is None


# --- chain -----------------------------------------------------------------------------------

def test_first_rejection_reports_the_first_rule_that_drops():
    bad = record("1" * 300)
    assert first_rejection(bad, [LineLengthFilter(), AlphaFractionFilter()]).reason == "line_length:avg"
    assert first_rejection(bad, [AlphaFractionFilter(), LineLengthFilter()]).reason == "alpha_fraction"


def test_first_rejection_is_none_when_every_rule_keeps():
    assert first_rejection(record("def main():\n    return 1\n"), default_file_filters()) is None


def test_default_filters_run_path_rules_before_content_rules():
    names = [rule.name for rule in default_file_filters()]
    assert names == ["vendored", "generated", "data_size", "xml", "line_length", "alpha_fraction", "html"]


def test_vendored_file_with_long_lines_is_reported_as_vendored():
    verdict = first_rejection(record("a" * 2000, path="node_modules/x/index.py"), default_file_filters())
    assert verdict.reason == "vendored:path"


def test_config_switches_rules_off():
    names = [rule.name for rule in default_file_filters(FileFilterConfig(html=False, vendored=False))]
    assert "html" not in names and "vendored" not in names


def test_config_thresholds_reach_the_rules():
    rules = default_file_filters(FileFilterConfig(data_min_chars=100))
    assert first_rejection(record(json_of(60), language="json"), rules).reason == "data_size:too_small"


def test_config_minified_threshold_reaches_the_generated_rule():
    rules = default_file_filters(FileFilterConfig(minified_avg_line_length=40))
    verdict = first_rejection(record(lines_of(50), language="javascript", path="a.js"), rules)
    assert verdict.reason == "generated:minified"
