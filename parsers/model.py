"""Plain data shared by import extraction, resolution and ordering (no parse trees)."""
from __future__ import annotations

from typing import NamedTuple, Optional


class Import(NamedTuple):
    """One import-like statement found in a file by a tree-sitter query.

    kind     what the statement is, per language, e.g. ``import``, ``from``, ``include_local``
             (``#include "x"``), ``include_system`` (``#include <x>``), ``require``,
             ``require_relative``, ``dynamic_import``, ``export_from``, ``use``, ``mod``,
             ``using``, ``package_import`` (Java/Kotlin/Scala), ``wildcard`` variants.
    target   the module/path as written, unquoted: ``os.path``, ``./util``, ``foo/bar.h``,
             ``com.acme.Util``, ``crate::net::tcp``, ``App\\Models\\User``.
    names    imported names where the statement lists them (``from pkg import a, b`` ->
             ``("a", "b")``; Scala ``import a.{B, C}`` -> ``("B", "C")``); ``("*",)`` for wildcards.
    level    Python relative-import level (number of leading dots); 0 elsewhere.
    type_only  TypeScript ``import type``/``export type``, Python under ``if TYPE_CHECKING:``.
    text     the statement's source text (first 200 characters).
    line     1-based line of the statement.
    """

    kind: str
    target: str
    names: tuple[str, ...] = ()
    level: int = 0
    type_only: bool = False
    text: str = ""
    line: int = 0


class ParsedFile(NamedTuple):
    """What later stages need from one parse of a file (the tree itself is not kept).

    declares   packages/namespaces/modules the file declares: Java/Kotlin/Scala ``package``,
               C# ``namespace`` (block and file-scoped, nested names joined with ``.``),
               PHP ``namespace``, Go ``package`` name.
    types      top-level types the file declares (Java; see :mod:`parsers.references`).
    references names the file uses as types or static-member qualifiers that may denote a
               type of another file without an import (``Foo``, ``Outer.Inner``,
               ``a.b.Foo``), sorted; None for languages without reference extraction.
    error_count / missing_count   tree-sitter ERROR and MISSING nodes.
    error_bytes  bytes covered by ERROR nodes (outermost only, so nothing counted twice).
    n_bytes      size of the parsed source in bytes.
    parsed       False when no grammar was available (then only ``n_bytes`` is meaningful).
    functions .. code_lines   structure statistics for the readability filters, from the
               same parse; see :mod:`parsers.structure` for what each one counts.
    """

    language: str
    imports: tuple[Import, ...] = ()
    declares: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    references: Optional[tuple[str, ...]] = None
    error_count: int = 0
    missing_count: int = 0
    error_bytes: int = 0
    n_bytes: int = 0
    parsed: bool = True
    functions: int = 0
    max_function_lines: int = 0
    mean_function_lines: float = 0.0
    max_depth: int = 0
    identifiers: int = 0
    one_letter_identifiers: int = 0
    comment_bytes: int = 0
    code_lines: int = 0


class Edge(NamedTuple):
    """A resolved in-repository dependency: ``importer`` imports ``imported`` (repo paths)."""

    importer: str
    imported: str
    language: str
    import_text: str
