"""Type and constant references that need no import, from the parse import extraction made.

Java resolves a simple type name without any import when the type belongs to the same
package (JLS §6.4.1, §7.5): on two real Java libraries compared with javac's class-level
dependencies (``jdeps -verbose:class``), 121 of 123 and 209 of 234 edges that import
resolution missed were such same-package uses (issue 13). :func:`extract_references`
reads captures over the tree :func:`parsers.imports.parse_file` already built (no second
parse; its patterns are part of the structure query of :mod:`parsers.structure`, so the
tree is walked once for both) and keeps, as plain data:

``types``       the names of the file's top-level declarations (Java: ``class``,
                ``interface``, ``enum``, ``record``, ``@interface``; Kotlin also ``object``,
                ``typealias``, functions and properties, all visible to the package), so a
                package may hold a type in a file not named after it;
``references``  sorted, unique names the file uses as types or as the qualifier of a
                static member, each as written up to the member: ``Foo`` (from ``Foo x``,
                ``new Foo()``, ``Foo.bar()``, ``Foo.CONST``, ``Foo::m``, ``Foo.class``,
                ``@Foo``, ``extends Foo``, ``implements Foo``, ``throws Foo``, generic
                arguments, casts, ``instanceof``), ``Outer.Inner`` (a qualified type) and
                ``a.b.Foo`` (a fully qualified name in a type or an expression).

Kotlin (same rules, the same package visibility): types in ``user_type`` positions, the
callee or receiver name of calls and navigations (``Model()``, ``helper()``,
``Registry.add()``, ``Model::class``), and a bare name passed as an argument or used as
an initializer (``register(SomeEvent)``, ``val d = SomeObject``: an object or companion).
Extension functions called after a dot (``view.isErrorView()``) are not bound: without
the receiver's type a same-named member or library function (``list.map {}`` against a
package's ``fun Foo.map``) cannot be told apart; binding them gained 13 edges and 8 false
ones on the Kotlin sample (``benchmarks/RESULTS.md``).

Scala: type positions, qualified types (``Outer.Inner``), call targets (``Made(1)``:
a case class's ``apply``) and member-access receivers (``Util.call()``); top-level
``class``, ``object``, ``trait`` and ``enum`` are the package's types.

C#, PHP and Ruby: see the comments of their patterns in :mod:`parsers.queries` and
:func:`_ruby_references`.

Names that cannot denote a type of another file are dropped here, so resolution sees only
candidates:

* type names the file declares itself below the top level (nested, local and anonymous
  scopes: a nested class ``Node`` shadows the package's ``Node``) and type parameters
  (``<T>``);
* a qualifier that is a variable, parameter or field of the file (``Node.foo()`` where
  ``Node`` is a local variable calls a method of the variable: Java reads such a name as a
  variable first, JLS §6.5.2). Scopes are approximated per file: a variable named like a
  class anywhere in the file hides that name as a qualifier everywhere in it; types in
  type positions (``Node x``, ``new Node()``) are never hidden by variables;
* a simple name inside a qualified type (``Inner`` of ``Outer.Inner``) is not a name on
  its own.

What is out of reach of source without types: classes used only through a value of their
type (``a.getFoo().bar()`` records ``Foo`` in bytecode, names nothing in source), enum
switch tables, inherited member types used unqualified. The measured effect on recall is in
``benchmarks/RESULTS.md`` (issue 13.1).
"""
from __future__ import annotations

import bisect
import re
from typing import Mapping, NamedTuple, Sequence

from tree_sitter import Node

from parsers.queries import REFERENCES

_DOTTED = re.compile(rb"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")
_WHITESPACE = re.compile(rb"\s+")


class References(NamedTuple):
    types: tuple[str, ...]
    references: tuple[str, ...]


def has_references(key: str) -> bool:
    """Whether grammar ``key`` has reference patterns (otherwise ``references`` is None)."""
    return key in REFERENCES


def extract_references(key: str, captures: Mapping[str, Sequence[Node]], source: bytes) -> References:
    """Top-level type names and referenced names of one parsed file (module docstring), from
    the captures of :func:`parsers.structure.tree_captures` (the reference patterns are part
    of that query, so the tree is walked once for both)."""
    if key == "ruby":
        return _ruby_references(captures, source)

    def text(node: Node) -> bytes:
        return source[node.start_byte:node.end_byte]

    tops = captures.get("top", ())
    top_starts = {n.start_byte for n in tops}
    top_level = {text(n) for n in tops}
    local = {text(n) for n in captures.get("declared", ()) if n.start_byte not in top_starts}
    variables = {text(n) for n in captures.get("variable", ()) if n.start_byte not in top_starts}
    parameters = {n.start_byte for n in captures.get("parameter", ())}
    local.update(text(n) for n in captures.get("parameter", ()))
    scoped = _outermost(captures.get("scoped", ()))
    starts = [start for start, _ in scoped]
    names: set[bytes] = {_WHITESPACE.sub(b"", source[a:b]) for a, b in scoped}
    for node in captures.get("type", ()):
        start = node.start_byte
        if start in parameters:
            continue
        k = bisect.bisect_right(starts, start) - 1
        if k >= 0 and scoped[k][1] >= node.end_byte:
            continue  # a part of a qualified type, which is kept whole
        names.add(source[start:node.end_byte])
    for node in captures.get("object", ()):
        name = text(node)
        if name not in variables:
            names.add(name)
    for node in captures.get("qualified", ()):
        if node.parent is not None and node.parent.type == "field_access":
            continue  # an inner part of a longer chain, which is captured too
        dotted = _WHITESPACE.sub(b"", text(node))
        if _DOTTED.fullmatch(dotted) and dotted.split(b".", 1)[0] not in variables:
            names.add(dotted)
    kept = sorted(
        n.decode("utf-8", "replace") for n in names
        if n.split(b".", 1)[0] not in local and n.split(b".", 1)[0] not in top_level)
    return References(tuple(sorted(t.decode("utf-8", "replace") for t in top_level)), tuple(kept))


def _outermost(nodes: Sequence[Node]) -> list[tuple[int, int]]:
    """Byte ranges of the nodes not inside another of them, sorted by start."""
    ranges: list[tuple[int, int]] = []
    for start, negative_end in sorted((n.start_byte, -n.end_byte) for n in nodes):
        if not ranges or start >= ranges[-1][1]:
            ranges.append((start, -negative_end))
    return ranges


def _ruby_references(captures: Mapping[str, Sequence[Node]], source: bytes) -> References:
    """Ruby: ``types`` are the constant paths the file's ``class``/``module`` definitions
    define (``Billing``, ``Billing::InvoiceLine``); each reference is the list of constant
    paths Ruby's lexical lookup tries, innermost nesting first, joined by spaces:
    ``Tax`` inside ``module Billing; class InvoiceLine`` gives
    ``Billing::InvoiceLine::Tax Billing::Tax Tax``; ``::Money`` gives ``Money``. Trailing
    ALL_CAPS segments are values, not classes (``Rates::DEFAULT`` -> ``Rates``)."""

    def text(start: int, end: int) -> str:
        return _WHITESPACE.sub(b"", source[start:end]).decode("utf-8", "replace")

    scopes = sorted(captures.get("ruby_scope", ()), key=lambda n: n.start_byte)
    names = sorted(captures.get("ruby_name", ()), key=lambda n: n.start_byte)
    definitions: list[tuple[int, int, str]] = []  # (start, end, full constant path)
    name_spans = {(n.start_byte, n.end_byte) for n in names}
    stack: list[tuple[int, str]] = []
    for scope, name in zip(scopes, names):
        while stack and stack[-1][0] <= scope.start_byte:
            stack.pop()
        written = text(name.start_byte, name.end_byte)
        if written.startswith("::"):
            full = written[2:]
        else:
            full = f"{stack[-1][1]}::{written}" if stack else written
        definitions.append((scope.start_byte, scope.end_byte, full))
        stack.append((scope.end_byte, full))
    scoped = _outermost(captures.get("scoped", ()))
    starts = [start for start, _ in scoped]
    written_refs: set[tuple[int, str]] = set()
    for start, end in scoped:
        if (start, end) not in name_spans:
            written_refs.add((start, text(start, end)))
    for node in captures.get("type", ()):
        start = node.start_byte
        k = bisect.bisect_right(starts, start) - 1
        if (k >= 0 and scoped[k][1] >= node.end_byte) or (start, node.end_byte) in name_spans:
            continue
        written_refs.add((start, text(start, node.end_byte)))
    references = set()
    open_definitions: list[tuple[int, str]] = []  # (end, full path), innermost last
    pending = iter(definitions)  # in start order
    upcoming = next(pending, None)
    for position, written in sorted(written_refs):  # one sweep: the nesting at each position
        while upcoming is not None and upcoming[0] < position:
            open_definitions.append((upcoming[1], upcoming[2]))
            upcoming = next(pending, None)
        open_definitions = [d for d in open_definitions if d[0] > position]
        segments = written.split("::")
        absolute = segments[0] == ""
        segments = [s for s in segments if s]
        while len(segments) > 1 and _is_value(segments[-1]):
            segments.pop()
        if not segments or _is_value(segments[0]):
            continue
        path = "::".join(segments)
        nesting = [] if absolute else [full for _, full in reversed(open_definitions)]
        references.add(" ".join([f"{n}::{path}" for n in nesting] + [path]))
    defined = sorted({full for _, _, full in definitions})
    return References(tuple(defined), tuple(sorted(references)))


def _is_value(segment: str) -> bool:
    """An ALL_CAPS constant (``DEFAULT``, ``VERSION``) names a value, not a class."""
    return len(segment) > 1 and segment.upper() == segment and any(c.isalpha() for c in segment)
