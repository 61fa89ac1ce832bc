"""Offline tree-sitter grammars from the single-grammar wheels, loaded lazily and cached.

``Language`` and ``Parser`` objects cannot be pickled, so nothing here is built at import
time: each process (Beam worker) loads a grammar the first time it needs it. Parsers keep
per-parse state, so each thread gets its own.

``cuda`` parses with the C++ grammar: includes and declarations come out right, but CUDA's
kernel-launch syntax (``kernel<<<grid, block>>>(...)``) shows up as ERROR nodes.
"""
from __future__ import annotations

import functools
import importlib
import threading

from tree_sitter import Language, Parser

# grammar key -> (wheel module, function returning the language pointer)
_GRAMMAR_SOURCES: dict[str, tuple[str, str]] = {
    "python": ("tree_sitter_python", "language"),
    "java": ("tree_sitter_java", "language"),
    "c": ("tree_sitter_c", "language"),
    "cpp": ("tree_sitter_cpp", "language"),
    "c-sharp": ("tree_sitter_c_sharp", "language"),
    "javascript": ("tree_sitter_javascript", "language"),  # includes JSX
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
    "go": ("tree_sitter_go", "language"),
    "rust": ("tree_sitter_rust", "language"),
    "php": ("tree_sitter_php", "language_php"),  # PHP embedded in HTML, as files are written
    "ruby": ("tree_sitter_ruby", "language"),
    "kotlin": ("tree_sitter_kotlin", "language"),
    "scala": ("tree_sitter_scala", "language"),
}

# languages without a grammar of their own that parse with another one
_GRAMMAR_ALIASES: dict[str, str] = {"cuda": "cpp"}

SUPPORTED_LANGUAGES: tuple[str, ...] = tuple(sorted((*_GRAMMAR_SOURCES, *_GRAMMAR_ALIASES)))

_thread_state = threading.local()


def grammar_key(language: str, path: str = "") -> str | None:
    """The grammar that parses ``language`` (``tsx`` for TypeScript files named ``*.tsx``)."""
    key = _GRAMMAR_ALIASES.get(language, language)
    if key == "typescript" and path.lower().endswith(".tsx"):
        return "tsx"
    return key if key in _GRAMMAR_SOURCES else None


@functools.cache
def load_grammar(key: str) -> Language:
    """The ``Language`` for a grammar key (see :func:`grammar_key`), loaded once per process."""
    module_name, function_name = _GRAMMAR_SOURCES[key]
    return Language(getattr(importlib.import_module(module_name), function_name)())


def grammar_for(language: str) -> Language | None:
    """The tree-sitter ``Language`` for a canonical language name, or ``None`` if unsupported."""
    key = grammar_key(language)
    return load_grammar(key) if key else None


def grammar_for_path(language: str, path: str) -> Language | None:
    """Like :func:`grammar_for`, but picks the TSX grammar for TypeScript ``.tsx`` files."""
    key = grammar_key(language, path)
    return load_grammar(key) if key else None


def parser_for(key: str) -> Parser:
    """This thread's parser for a grammar key (see :func:`grammar_key`)."""
    parsers = getattr(_thread_state, "parsers", None)
    if parsers is None:
        parsers = _thread_state.parsers = {}
    parser = parsers.get(key)
    if parser is None:
        parser = parsers[key] = Parser(load_grammar(key))
    return parser
