"""StarCoder/DeepSeek-Coder per-file rules [DeepSeek-Coder §2.1; bigcode-dataset
``preprocessing/filtering.py``] and the default filter chain of the file-filter stage."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Mapping, Optional

import lxml.html
from lxml import etree

from filters.base import FileFilter, Verdict, line_lengths
from filters.generated import GeneratedFileFilter, VendoredPathFilter

CHAR_CLASSES = {"alpha": str.isalpha, "alnum": str.isalnum}
# ASCII bytes outside each class, for the fast path of :func:`count_in_class`.
_ASCII_OUTSIDE = {
    name: bytes(b for b in range(128) if not test(chr(b))) for name, test in CHAR_CLASSES.items()
}
INVISIBLE_HTML_ELEMENTS = ("script", "style", "noscript", "template", "head")
_HTML_PARSER = lxml.html.HTMLParser(encoding="utf-8")


@dataclass(frozen=True)
class LineLengthFilter:
    """Drop files with long lines [DeepSeek-Coder §2.1; bigcode ``basic_filters``:
    ``line_mean=100``, ``line_max=1000``].

    Lines and lengths as bigcode ``add_stats`` measures them (:func:`filters.base.line_lengths`):
    the average is the mean length of ``str.splitlines()`` lines, i.e. the file's characters
    without line terminators divided by its number of lines. Drops only strictly above a
    threshold; the longest line is checked first, as in bigcode. Empty files are left to
    :class:`AlphaFractionFilter`.
    """

    name: ClassVar[str] = "line_length"
    max_avg: float = 100
    max_line: int = 1000

    def check(self, record: Mapping[str, Any]) -> Optional[Verdict]:
        lengths = line_lengths(record["content"])
        if not lengths:
            return None
        longest = max(lengths)
        if longest > self.max_line:
            return Verdict("line_length:max", str(longest))
        average = sum(lengths) / len(lengths)
        if average > self.max_avg:
            return Verdict("line_length:avg", f"{average:.2f}")
        return None


def count_in_class(text: str, char_class: str) -> int:
    """Characters of ``text`` for which ``CHAR_CLASSES[char_class]`` holds. ASCII text is
    counted with ``bytes.translate`` (about 20x faster than testing each character)."""
    if text.isascii():
        data = text.encode("ascii")
        return len(data.translate(None, _ASCII_OUTSIDE[char_class]))
    return sum(map(CHAR_CLASSES[char_class], text))


@dataclass(frozen=True)
class AlphaFractionFilter:
    """Drop files whose alphabetic characters are under 25 % of all characters [DeepSeek-Coder
    §2.1 says alphabetic; bigcode ``alpha_frac=0.25`` counts ``isalnum``]. ``char_class`` picks
    ``"alpha"`` (``str.isalpha``) or ``"alnum"`` (``str.isalnum``); the fraction counts every
    character, newlines included, as bigcode does. Exactly at the threshold is kept."""

    name: ClassVar[str] = "alpha_fraction"
    min_fraction: float = 0.25
    char_class: str = "alpha"

    def __post_init__(self) -> None:
        if self.char_class not in CHAR_CLASSES:
            raise ValueError(f"char_class must be one of {sorted(CHAR_CLASSES)}: {self.char_class!r}")

    def check(self, record: Mapping[str, Any]) -> Optional[Verdict]:
        content = record["content"]
        if not content:
            return Verdict("empty")
        fraction = count_in_class(content, self.char_class) / len(content)
        if fraction < self.min_fraction:
            return Verdict("alpha_fraction", f"{fraction:.4f}")
        return None


@dataclass(frozen=True)
class XmlFilter:
    """Drop XML documents: ``<?xml version=`` in the first 100 characters [DeepSeek-Coder §2.1;
    bigcode ``filter_xml``], except XSLT, which the paper keeps."""

    name: ClassVar[str] = "xml"
    window: int = 100
    exempt_languages: tuple[str, ...] = ("xslt",)

    def check(self, record: Mapping[str, Any]) -> Optional[Verdict]:
        if record.get("language", "") in self.exempt_languages:
            return None
        if "<?xml version=" in record["content"][: self.window]:
            return Verdict("xml", f"<?xml version= within the first {self.window} chars")
        return None


def html_visible_text(content: str) -> str:
    """Text a browser would display: :data:`INVISIBLE_HTML_ELEMENTS` removed (their tails kept),
    comments dropped, entities decoded, whitespace runs collapsed to one space.

    Parsed with lxml, about 10x faster than ``html.parser`` (1.7 ms vs 17 ms on a 90 kB page)."""
    try:
        root = lxml.html.document_fromstring(
            content.encode("utf-8", errors="replace"), parser=_HTML_PARSER
        )
    except etree.ParserError:  # nothing but whitespace
        return ""
    etree.strip_elements(root, *INVISIBLE_HTML_ELEMENTS, with_tail=False)
    return " ".join(root.text_content().split())


@dataclass(frozen=True)
class HtmlFilter:
    """Keep an HTML file only if its visible text is at least 20 % of the file and at least
    100 characters [DeepSeek-Coder §2.1; bigcode ``filter_html``, which uses strict ``>``;
    this project keeps the thresholds inclusive]. See :func:`html_visible_text`."""

    name: ClassVar[str] = "html"
    min_visible_fraction: float = 0.2
    min_visible_chars: int = 100
    languages: tuple[str, ...] = ("html",)

    def check(self, record: Mapping[str, Any]) -> Optional[Verdict]:
        if record.get("language", "") not in self.languages:
            return None
        content = record["content"]
        visible = len(html_visible_text(content))
        fraction = visible / len(content) if content else 0.0
        if visible < self.min_visible_chars or fraction < self.min_visible_fraction:
            return Verdict("html:visible_text", f"{visible} visible chars, {fraction:.4f} of the file")
        return None


@dataclass(frozen=True)
class DataFileSizeFilter:
    """Keep JSON and YAML files of 50 to 5000 characters inclusive [DeepSeek-Coder §2.1; bigcode
    ``filter_large_and_small_files`` defaults its minimum to 100]. Counts characters of the
    decoded content, not bytes."""

    name: ClassVar[str] = "data_size"
    min_chars: int = 50
    max_chars: int = 5000
    languages: tuple[str, ...] = ("json", "yaml")

    def check(self, record: Mapping[str, Any]) -> Optional[Verdict]:
        if record.get("language", "") not in self.languages:
            return None
        n_chars = len(record["content"])
        if n_chars < self.min_chars:
            return Verdict("data_size:too_small", f"{n_chars} chars")
        if n_chars > self.max_chars:
            return Verdict("data_size:too_large", f"{n_chars} chars")
        return None


@dataclass(frozen=True)
class FileFilterConfig:
    """Switches and thresholds of the file-filter stage; defaults are the rules' own."""

    vendored: bool = True
    generated: bool = True
    data_size: bool = True
    xml: bool = True
    line_length: bool = True
    alpha_fraction: bool = True
    html: bool = True
    max_avg_line_length: float = LineLengthFilter.max_avg
    max_line_length: int = LineLengthFilter.max_line
    min_alpha_fraction: float = AlphaFractionFilter.min_fraction
    alpha_char_class: str = AlphaFractionFilter.char_class
    xml_window: int = XmlFilter.window
    html_min_visible_fraction: float = HtmlFilter.min_visible_fraction
    html_min_visible_chars: int = HtmlFilter.min_visible_chars
    data_min_chars: int = DataFileSizeFilter.min_chars
    data_max_chars: int = DataFileSizeFilter.max_chars
    data_languages: tuple[str, ...] = DataFileSizeFilter.languages
    generated_header_lines: int = GeneratedFileFilter.header_lines
    generated_header_chars: int = GeneratedFileFilter.header_chars
    minified_avg_line_length: float = GeneratedFileFilter.minified_avg_line
    minified_max_whitespace: float = GeneratedFileFilter.minified_max_whitespace


def default_file_filters(config: Optional[FileFilterConfig] = None) -> list[FileFilter]:
    """The enabled rules, cheapest first: path rules, then size and prefix checks, then rules
    that scan the whole content, and HTML parsing last."""
    c = config or FileFilterConfig()
    candidates: list[tuple[bool, FileFilter]] = [
        (c.vendored, VendoredPathFilter()),
        (c.generated, GeneratedFileFilter(
            header_lines=c.generated_header_lines,
            header_chars=c.generated_header_chars,
            minified_avg_line=c.minified_avg_line_length,
            minified_max_whitespace=c.minified_max_whitespace,
        )),
        (c.data_size, DataFileSizeFilter(c.data_min_chars, c.data_max_chars, tuple(c.data_languages))),
        (c.xml, XmlFilter(c.xml_window)),
        (c.line_length, LineLengthFilter(c.max_avg_line_length, c.max_line_length)),
        (c.alpha_fraction, AlphaFractionFilter(c.min_alpha_fraction, c.alpha_char_class)),
        (c.html, HtmlFilter(c.html_min_visible_fraction, c.html_min_visible_chars)),
    ]
    return [rule for enabled, rule in candidates if enabled]
