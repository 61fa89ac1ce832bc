"""The quality-filter chain of issue 5 (syntax and readability) and its configuration.

The Beam stage cuts each repo-level sample into quality records (``path``, ``language``,
``content``, ``size`` and the per-file parse statistics of :func:`parse_stats`) and drops a
file on the first rule of :func:`default_quality_filters` that rejects it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from filters.base import FileFilter
from filters.readability import (
    CommentFractionFilter,
    EncodedDataFilter,
    LongFunctionFilter,
    NestingDepthFilter,
    NumericDataFilter,
    OneLetterIdentifierFilter,
    RepeatedLinesFilter,
    TooLittleCodeFilter,
)
from filters.syntax import CSyntaxFilter, PythonCompileFilter, TreeSitterSyntaxFilter
from parsers.model import ParsedFile
from parsers.structure import STRUCTURE_FIELDS

PARSE_FIELDS = ("parse_errors", "parse_missing", "parse_error_bytes", *STRUCTURE_FIELDS)


def parse_stats(parsed: Optional[ParsedFile]) -> dict[str, int | float]:
    """The per-file parse fields of a quality record, named as in :data:`PARSE_FIELDS`; -1 in
    every field when the file had no parser (``None`` or ``parsed=False``)."""
    if parsed is None or not parsed.parsed:
        return dict.fromkeys(PARSE_FIELDS, -1)
    return {
        "parse_errors": parsed.error_count,
        "parse_missing": parsed.missing_count,
        "parse_error_bytes": parsed.error_bytes,
        **{name: getattr(parsed, name) for name in STRUCTURE_FIELDS},
    }


@dataclass(frozen=True)
class SyntaxConfig:
    """Switches and thresholds of :mod:`filters.syntax`; defaults are the rules' own."""

    tree_sitter: bool = True
    python_compile: bool = True
    c_syntax: bool = True   # C/C++/CUDA: brackets, literals and statements (CSyntaxFilter)
    max_error_fraction: float = TreeSitterSyntaxFilter.max_error_fraction
    max_errors: int = TreeSitterSyntaxFilter.max_errors
    max_missing: int = TreeSitterSyntaxFilter.max_missing
    skip_languages: tuple[str, ...] = TreeSitterSyntaxFilter.skip_languages


@dataclass(frozen=True)
class ReadabilityConfig:
    """Switches and thresholds of :mod:`filters.readability`; defaults are the rules' own."""

    too_little_code: bool = True
    long_function: bool = True
    nesting_depth: bool = True
    one_letter_identifiers: bool = True
    comment_fraction: bool = True
    numeric_data: bool = True
    repeated_lines: bool = True
    encoded_data: bool = True
    min_code_lines: int = TooLittleCodeFilter.min_code_lines
    max_function_lines: int = LongFunctionFilter.max_lines
    max_depth: int = NestingDepthFilter.max_depth
    max_one_letter_fraction: float = OneLetterIdentifierFilter.max_fraction
    min_identifiers: int = OneLetterIdentifierFilter.min_identifiers
    min_comment_fraction: float = CommentFractionFilter.min_fraction
    max_comment_fraction: float = CommentFractionFilter.max_fraction
    max_numeric_fraction: float = NumericDataFilter.max_fraction
    max_repeated_fraction: float = RepeatedLinesFilter.max_fraction
    repeated_min_line_chars: int = RepeatedLinesFilter.min_line_chars
    max_encoded_fraction: float = EncodedDataFilter.max_fraction
    max_encoded_run_chars: int = EncodedDataFilter.max_run_chars


@dataclass(frozen=True)
class QualityConfig:
    """The syntax and readability rules of the quality stage."""

    syntax: SyntaxConfig = field(default_factory=SyntaxConfig)
    readability: ReadabilityConfig = field(default_factory=ReadabilityConfig)


def default_quality_filters(config: Optional[QualityConfig] = None) -> list[FileFilter]:
    """The enabled rules in order: the tree-sitter syntax check, comparisons of the other
    parse statistics, rules that scan the content, then the C/C++ token check and Python's
    compiler last (the costliest per byte, so files already dropped are not checked)."""
    c = config or QualityConfig()
    s, r = c.syntax, c.readability
    candidates: list[tuple[bool, FileFilter]] = [
        (s.tree_sitter, TreeSitterSyntaxFilter(
            s.max_error_fraction, s.max_errors, s.max_missing, tuple(s.skip_languages))),
        (r.too_little_code, TooLittleCodeFilter(r.min_code_lines)),
        (r.long_function, LongFunctionFilter(r.max_function_lines)),
        (r.nesting_depth, NestingDepthFilter(r.max_depth)),
        (r.one_letter_identifiers, OneLetterIdentifierFilter(r.max_one_letter_fraction, r.min_identifiers)),
        (r.comment_fraction, CommentFractionFilter(r.min_comment_fraction, r.max_comment_fraction)),
        (r.numeric_data, NumericDataFilter(r.max_numeric_fraction)),
        (r.repeated_lines, RepeatedLinesFilter(r.max_repeated_fraction, r.repeated_min_line_chars)),
        (r.encoded_data, EncodedDataFilter(r.max_encoded_fraction, r.max_encoded_run_chars)),
        (s.c_syntax, CSyntaxFilter()),
        (s.python_compile, PythonCompileFilter()),
    ]
    return [rule for enabled, rule in candidates if enabled]
