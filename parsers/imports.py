"""Import extraction: parse a file once, run one tree-sitter query, keep plain data.

:func:`parse_file` turns source into a :class:`~parsers.model.ParsedFile`: the imports in
source order, the packages/namespaces the file declares, and ERROR/MISSING node counts.
The query (see :mod:`parsers.queries`) finds the statements; the handlers below only read
fields of the few nodes it captured, so no Python code walks the whole tree except the
error count, which runs only when the tree has errors and only descends into erroneous
subtrees.

Choices worth knowing downstream:

* ``target`` is the module as written, whitespace removed from dotted/qualified names.
* Python relative imports: ``level`` = number of dots, ``target`` without them
  (``from . import x`` -> target ``""``, names ``("x",)``).
* One :class:`Import` per leaf where each leaf names a file or class: Rust grouped ``use``
  (``use a::{b, c::d}`` -> ``a::b``, ``a::c::d``; ``a::{self}`` -> ``a``), PHP grouped ``use``
  (``use App\\{A, B}`` -> ``App\\A``, ``App\\B``), Scala ``import a.B, c.D``, Python
  ``import a, b``, Go grouped imports. Python ``from``, JS/TS and Scala selectors keep one
  Import with the listed ``names`` instead.
* Rust ``use`` inside inline modules: a leading ``self``/``super`` is rewritten relative to
  the file's own module (``mod tests { use super::*; }`` -> target ``self``, names
  ``("*",)``), since resolution works on files, not inline modules.
* Rust ``mod foo;`` (only without a body): kind ``mod``, target ``foo`` prefixed by the
  inline modules around it (``mod a { mod b; }`` -> ``a::b``); a ``#[path = "x.rs"]``
  attribute before it is recorded as names ``("x.rs",)`` (the path as written).
* PHP ``include __DIR__ . '/x.php'`` (also ``dirname(__FILE__) . …``): target ``/x.php``,
  names ``("__DIR__",)`` marking it relative to the file's folder; ``dirname(__DIR__) . '/x'``
  gives ``/../x``. Includes of other expressions (variables, constants) are skipped.
* Go: kind ``import``; names ``(alias,)`` when the spec has one, including ``.`` and ``_``;
  in a group ``import (…)``, ``text``/``line`` are those of the spec, not of the group.
* JS/TS names: ``default`` for a default import, ``*`` for namespace imports and
  ``export *``, else the imported (not local) names. A template literal without
  substitutions counts as a string literal. TS ``import x = require("y")`` is kind
  ``require``. ``type_only`` only when the whole statement is ``import type``/``export type``.
* C#: kinds ``using``, ``using_static``, ``using_alias`` (``global`` is not recorded).
  C/C++: ``#include MACRO`` is skipped; C++20 ``import`` is not in the grammar.
* Ruby: only receiver-less calls with a string literal first argument; ``autoload :X, "x"``
  gives names ``("X",)``.
* Python ``from __future__ import …`` is a compiler directive, not an import: skipped.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator

from tree_sitter import Node, Query, QueryCursor

from parsers.grammars import grammar_key, load_grammar, parser_for
from parsers.model import Import, ParsedFile
from parsers.queries import QUERIES
from parsers.references import extract_references, has_references
from parsers.structure import structure_stats, tree_captures

Captures = dict[str, list[Node]]
ImportHandler = Callable[[Node, Captures], Iterable[Import]]
DeclareHandler = Callable[[Node], "str | None"]

TEXT_CHARS = 200
_STRING_IGNORED = frozenset({"string_start", "string_end"})
_STRING_PARTS = frozenset({
    "string_content", "string_fragment", "escape_sequence",
    "interpreted_string_literal_content", "raw_string_literal_content",
})


def parse_file(language: str, source: bytes | str, path: str = "") -> ParsedFile:
    """Parse ``source`` once and extract imports, declarations, type references (see
    :mod:`parsers.references`), syntax-error counts and the structure statistics of
    :mod:`parsers.structure`."""
    data = source if isinstance(source, bytes) else source.encode("utf-8", "surrogatepass")
    key = grammar_key(language, path)
    if key is None:
        return ParsedFile(language, parsed=False, n_bytes=len(data))
    root = parser_for(key).parse(data).root_node
    imports, declares = _extract(key, root)
    captures = tree_captures(root, key)
    types, references = extract_references(key, captures, data) if has_references(key) else ((), None)
    error_count, missing_count, error_bytes = _count_errors(root) if root.has_error else (0, 0, 0)
    return ParsedFile(
        language=language,
        imports=imports,
        declares=declares,
        types=types,
        references=references,
        error_count=error_count,
        missing_count=missing_count,
        error_bytes=error_bytes,
        n_bytes=len(data),
        **structure_stats(root, key, data, captures),
    )


@functools.cache
def _query(key: str) -> Query:
    return Query(load_grammar(key), QUERIES[key])


def _extract(key: str, root: Node) -> tuple[tuple[Import, ...], tuple[str, ...]]:
    import_handlers = _IMPORT_HANDLERS[key]
    declare_handlers = _DECLARE_HANDLERS.get(key, {})
    found: list[tuple[int, int, Import]] = []
    declared: list[tuple[int, str]] = []
    type_only_scopes: list[tuple[int, int]] = []
    for _, captures in QueryCursor(_query(key)).matches(root):
        if "type_only_scope" in captures:
            scope = captures["type_only_scope"][0]
            type_only_scopes.append((scope.start_byte, scope.end_byte))
            continue
        for name, declare in declare_handlers.items():
            if name in captures:
                node = captures[name][0]
                value = declare(node)
                if value:
                    declared.append((node.start_byte, value))
        for name, handler in import_handlers.items():
            if name in captures:
                statement = captures[name][0]
                for imp in handler(statement, captures):
                    found.append((statement.start_byte, len(found), imp))
    found.sort(key=lambda item: item[:2])
    imports = tuple(
        imp._replace(type_only=True) if _inside(start, type_only_scopes) else imp
        for start, _, imp in found
    )
    declared.sort(key=lambda item: item[0])
    return imports, tuple(dict.fromkeys(value for _, value in declared))


def _inside(position: int, scopes: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in scopes)


def _count_errors(root: Node) -> tuple[int, int, int]:
    """(ERROR nodes, MISSING nodes, bytes under outermost ERROR nodes), visiting only
    subtrees that contain an error."""
    errors = missing = error_bytes = 0
    outer_error_end = -1
    cursor = root.walk()
    while True:
        node = cursor.node
        if node.is_error:
            errors += 1
            if node.start_byte >= outer_error_end:
                error_bytes += node.end_byte - node.start_byte
                outer_error_end = node.end_byte
        elif node.is_missing:
            missing += 1
        if node.has_error and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return errors, missing, error_bytes


# ---------------------------------------------------------------- helpers over nodes

def _text(node: Node) -> str:
    return node.text.decode("utf-8", "replace")


def _compact(node: Node) -> str:
    """Node text without whitespace (``a . b`` -> ``a.b``)."""
    return "".join(_text(node).split())


def _named(node: Node) -> list[Node]:
    """Named children that are not comments or other extras."""
    return [child for child in node.named_children if not child.is_extra]


def _has_token(node: Node, token: str) -> bool:
    return any(not child.is_named and child.type == token for child in node.children)


def _string_value(node: Node) -> str | None:
    """The value of a string literal without interpolation, or None (also for ``""``)."""
    parts = []
    for child in _named(node):
        if child.type in _STRING_IGNORED:
            continue
        if child.type not in _STRING_PARTS:
            return None
        parts.append(_text(child))
    return "".join(parts) or None


def _make(statement: Node, kind: str, target: str, names: tuple[str, ...] = (),
          level: int = 0, type_only: bool = False) -> Import:
    text = statement.text[: TEXT_CHARS * 4].decode("utf-8", "replace")[:TEXT_CHARS].rstrip()
    return Import(kind, target, names, level, type_only, text, statement.start_point.row + 1)


def _name_text(node: Node) -> str:
    """An identifier's text, or a string's value (JS ``import {"a-b" as x}``)."""
    if node.type == "string":
        return _string_value(node) or ""
    return _text(node)


# ---------------------------------------------------------------- python

def _python_import(statement: Node, captures: Captures) -> Iterator[Import]:
    for name in statement.children_by_field_name("name"):
        dotted = name.child_by_field_name("name") if name.type == "aliased_import" else name
        yield _make(statement, "import", _compact(dotted))


def _python_from(statement: Node, captures: Captures) -> Iterator[Import]:
    module = statement.child_by_field_name("module_name")
    level, target = 0, _compact(module)
    if module.type == "relative_import":
        target = ""
        for child in _named(module):
            if child.type == "import_prefix":
                level = _text(child).count(".")
            else:
                target = _compact(child)
    if any(child.type == "wildcard_import" for child in statement.named_children):
        names: tuple[str, ...] = ("*",)
    else:
        names = tuple(
            _compact(name.child_by_field_name("name") if name.type == "aliased_import" else name)
            for name in statement.children_by_field_name("name")
        )
    yield _make(statement, "from", target, names, level)


def _python_dynamic(statement: Node, captures: Captures) -> Iterator[Import]:
    value = _string_value(captures["target"][0])
    if value:
        target = value.lstrip(".")
        yield _make(statement, "dynamic_import", target, level=len(value) - len(target))


# ---------------------------------------------------------------- java / kotlin / scala

def _java_import(statement: Node, captures: Captures) -> Iterator[Import]:
    path = next((c for c in _named(statement) if c.type in ("identifier", "scoped_identifier")), None)
    if path is None:
        return
    wildcard = any(c.type == "asterisk" for c in statement.named_children)
    names = ("*",) if wildcard else ()
    if _has_token(statement, "static"):
        yield _make(statement, "static_import", _compact(path), names)
    else:
        yield _make(statement, "wildcard" if wildcard else "import", _compact(path), names)


def _kotlin_import(statement: Node, captures: Captures) -> Iterator[Import]:
    path = next((c for c in _named(statement) if c.type == "qualified_identifier"), None)
    if path is None:
        return
    if _has_token(statement, "*"):
        yield _make(statement, "wildcard", _compact(path), ("*",))
    else:
        yield _make(statement, "import", _compact(path))


def _scala_import(statement: Node, captures: Captures) -> Iterator[Import]:
    """``import a.b.C, d.{E, F => G}, h._``: one Import per comma-separated path."""
    path: list[str] = []
    tail: Node | None = None
    for index, child in enumerate(statement.children):
        if child.type == ",":
            yield _scala_segment(statement, path, tail)
            path, tail = [], None
        elif statement.field_name_for_child(index) == "path":
            if child.is_named:
                path.append(_compact(child))
        elif child.is_named and not child.is_extra:
            tail = child
    yield _scala_segment(statement, path, tail)


def _scala_segment(statement: Node, path: list[str], tail: Node | None) -> Import:
    target = ".".join(path)
    if tail is None:
        return _make(statement, "import", target)
    if tail.type == "namespace_wildcard":
        return _make(statement, "wildcard", target, (_scala_wildcard(tail),))
    if tail.type == "namespace_selectors":
        return _make(statement, "import", target, tuple(_scala_selectors(tail)))
    renamed = tail.child_by_field_name("name") or tail
    return _make(statement, "import", f"{target}.{_compact(renamed)}")


def _scala_wildcard(node: Node) -> str:
    return "given" if _text(node) == "given" else "*"


def _scala_selectors(selectors: Node) -> Iterator[str]:
    for selector in _named(selectors):
        if selector.type == "namespace_wildcard":
            yield _scala_wildcard(selector)
        elif selector.type in ("arrow_renamed_identifier", "as_renamed_identifier"):
            alias = selector.child_by_field_name("alias")
            if alias is None or alias.type != "wildcard":  # `C => _` hides C
                yield _compact(selector.child_by_field_name("name"))
        else:
            yield _compact(selector)


def _scala_package(clause: Node) -> str | None:
    """Full name of a package clause; None for a bodiless clause that only prefixes the
    next one (``package a`` / ``package b`` declares ``a.b``)."""
    if clause.child_by_field_name("body") is None:
        sibling = clause.next_named_sibling
        while sibling is not None:
            if sibling.type == "package_clause" and sibling.child_by_field_name("body") is None:
                return None
            sibling = sibling.next_named_sibling
    parts = []
    node: Node | None = clause
    while node is not None:
        if node.type == "package_clause":
            parts.append(_compact(node.child_by_field_name("name")))
            sibling = node.prev_named_sibling
            while sibling is not None:
                if sibling.type == "package_clause" and sibling.child_by_field_name("body") is None:
                    parts.append(_compact(sibling.child_by_field_name("name")))
                sibling = sibling.prev_named_sibling
        node = node.parent
    return ".".join(reversed(parts))


# ---------------------------------------------------------------- c#

def _csharp_using(statement: Node, captures: Captures) -> Iterator[Import]:
    alias = statement.child_by_field_name("name")
    targets = [c for c in _named(statement) if alias is None or c.id != alias.id]
    if not targets:
        return
    if _has_token(statement, "static"):
        kind = "using_static"
    elif alias is not None:
        kind = "using_alias"
    else:
        kind = "using"
    yield _make(statement, kind, _compact(targets[-1]))


def _csharp_namespace(declaration: Node) -> str:
    """Namespace name joined with the block namespaces around it."""
    parts = []
    node: Node | None = declaration
    while node is not None:
        if node.type in ("namespace_declaration", "file_scoped_namespace_declaration"):
            parts.append(_compact(node.child_by_field_name("name")))
        node = node.parent
    return ".".join(reversed(parts))


# ---------------------------------------------------------------- c / c++

def _c_include(statement: Node, captures: Captures) -> Iterator[Import]:
    if "local" in captures:
        target = _string_value(captures["local"][0])
        if target:
            yield _make(statement, "include_local", target)
    else:
        target = _text(captures["system"][0]).strip().removeprefix("<").removesuffix(">")
        yield _make(statement, "include_system", target.strip())


# ---------------------------------------------------------------- javascript / typescript

def _js_import(statement: Node, captures: Captures) -> Iterator[Import]:
    type_only = _has_token(statement, "type")
    source = statement.child_by_field_name("source")
    kind, names = "import", ()
    if source is None:  # TS `import x = require("y")`
        clause = next((c for c in _named(statement) if c.type == "import_require_clause"), None)
        source = clause.child_by_field_name("source") if clause is not None else None
        kind = "require"
    else:
        clause = next((c for c in _named(statement) if c.type == "import_clause"), None)
        names = tuple(_js_clause_names(clause)) if clause is not None else ()
    target = _string_value(source) if source is not None else None
    if target:
        yield _make(statement, kind, target, names, type_only=type_only)


def _js_clause_names(clause: Node) -> Iterator[str]:
    for part in _named(clause):
        if part.type == "identifier":
            yield "default"
        elif part.type == "namespace_import":
            yield "*"
        elif part.type == "named_imports":
            for specifier in _named(part):
                yield _name_text(specifier.child_by_field_name("name"))


def _js_export_from(statement: Node, captures: Captures) -> Iterator[Import]:
    target = _string_value(statement.child_by_field_name("source"))
    if not target:
        return
    names: list[str] = ["*"] if _has_token(statement, "*") else []
    for part in _named(statement):
        if part.type == "namespace_export":
            names.append("*")
        elif part.type == "export_clause":
            names.extend(_name_text(s.child_by_field_name("name")) for s in _named(part))
    yield _make(statement, "export_from", target, tuple(names),
                type_only=_has_token(statement, "type"))


def _js_call(kind: str) -> ImportHandler:
    def handle(statement: Node, captures: Captures) -> Iterator[Import]:
        target = _string_value(captures["target"][0])
        if target:
            yield _make(statement, kind, target)
    return handle


# ---------------------------------------------------------------- go

def _go_import(spec: Node, captures: Captures) -> Iterator[Import]:
    target = _string_value(spec.child_by_field_name("path"))
    alias = spec.child_by_field_name("name")
    statement = spec.parent if spec.parent.type == "import_declaration" else spec
    if target:
        yield _make(statement, "import", target, (_text(alias),) if alias is not None else ())


# ---------------------------------------------------------------- rust

def _rust_use(statement: Node, captures: Captures) -> Iterator[Import]:
    inline = _rust_inline_modules(statement)
    for target, names in _rust_use_leaves(captures["tree"][0]):
        yield _make(statement, "use", _rust_relative_to_file(target, inline), names)


def _rust_inline_modules(node: Node) -> list[str]:
    """Names of the inline ``mod x { … }`` blocks around ``node``, outermost first."""
    names = []
    parent = node.parent
    while parent is not None:
        if parent.type == "mod_item":
            names.append(_text(parent.child_by_field_name("name")))
        parent = parent.parent
    return names[::-1]


def _rust_relative_to_file(target: str, inline: list[str]) -> str:
    """A ``self``/``super`` path written inside inline modules, made relative to the file's
    own module: in ``mod tests { … }``, ``super::x`` -> ``self::x``, ``self::x`` ->
    ``self::tests::x``, ``super::super::x`` -> ``super::x``."""
    segments = target.split("::")
    if not inline or segments[0] not in ("self", "super"):
        return target
    if segments[0] == "self":
        return "::".join(["self", *inline, *segments[1:]])
    ups = next((k for k, s in enumerate(segments) if s != "super"), len(segments))
    if ups <= len(inline):
        return "::".join(["self", *inline[: len(inline) - ups], *segments[ups:]])
    return "::".join(["super"] * (ups - len(inline)) + segments[ups:])


def _rust_use_leaves(tree: Node) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Leaf paths of a use tree, in source order (iterative: use trees can nest deeply)."""
    pending: list[tuple[str, Node]] = [("", tree)]
    while pending:
        prefix, node = pending.pop()
        if node.type == "scoped_use_list":
            path = node.child_by_field_name("path")
            inner = prefix + (_compact(path) if path is not None else "") + "::"
            pending.extend((inner, item) for item in reversed(_named(node.child_by_field_name("list"))))
        elif node.type == "use_list":
            pending.extend((prefix, item) for item in reversed(_named(node)))
        elif node.type == "use_as_clause":
            pending.append((prefix, node.child_by_field_name("path")))
        elif node.type == "use_wildcard":
            path = next(iter(_named(node)), None)
            yield prefix + (_compact(path) if path is not None else "").rstrip(":"), ("*",)
        elif node.type == "self" and prefix:
            yield prefix.removesuffix("::"), ()
        else:
            yield prefix + _compact(node), ()


def _rust_mod(item: Node, captures: Captures) -> Iterator[Import]:
    parts = []
    node: Node | None = item
    while node is not None:
        if node.type == "mod_item":
            parts.append(_text(node.child_by_field_name("name")))
        node = node.parent
    path = _rust_path_attribute(item)
    yield _make(item, "mod", "::".join(reversed(parts)), (path,) if path else ())


def _rust_path_attribute(item: Node) -> str | None:
    """The value of a ``#[path = "…"]`` attribute among those right before ``item``."""
    sibling = item.prev_named_sibling
    while sibling is not None and (sibling.type == "attribute_item" or sibling.is_extra):
        attribute = next(iter(_named(sibling)), None)
        if attribute is not None and attribute.type == "attribute":
            name = next(iter(_named(attribute)), None)
            value = attribute.child_by_field_name("value")
            if name is not None and _text(name) == "path" and value is not None:
                return _string_value(value)
        sibling = sibling.prev_named_sibling
    return None


def _rust_extern_crate(statement: Node, captures: Captures) -> Iterator[Import]:
    yield _make(statement, "extern_crate", _text(captures["target"][0]))


# ---------------------------------------------------------------- php

def _php_use(statement: Node, captures: Captures) -> Iterator[Import]:
    kind = _php_use_kind(statement.child_by_field_name("type"))
    group = statement.child_by_field_name("body")
    if group is None:
        clauses = [c for c in _named(statement) if c.type == "namespace_use_clause"]
        if clauses and not kind:  # the parser puts `use const A, B`'s keyword on clause A
            kind = _php_use_kind(clauses[0].child_by_field_name("type"))
        prefix = ""
    else:
        clauses = [c for c in _named(group) if c.type == "namespace_use_clause"]
        namespace = next((c for c in _named(statement) if c.type == "namespace_name"), None)
        prefix = _compact(namespace) + "\\" if namespace is not None else ""
    for clause in clauses:
        clause_kind = _php_use_kind(clause.child_by_field_name("type")) if group is not None else ""
        name = next((c for c in _named(clause) if c.type in ("qualified_name", "name")), None)
        if name is not None:
            target = (prefix + _compact(name)).lstrip("\\")
            yield _make(statement, clause_kind or kind or "use", target)


def _php_use_kind(keyword: Node | None) -> str:
    return f"use_{keyword.type}" if keyword is not None else ""


def _php_include(expression: Node, captures: Captures) -> Iterator[Import]:
    argument = next(iter(_named(expression)), None)
    resolved = _php_path(argument) if argument is not None else None
    if resolved:
        target, names = resolved
        yield _make(expression, expression.type.removesuffix("_expression"), target, names)


def _php_path(node: Node) -> tuple[str, tuple[str, ...]] | None:
    """Literal strings joined by ``.``, optionally after a ``__DIR__``-like start."""
    while node.type == "parenthesized_expression":
        node = _named(node)[0]
    operands, pending = [], [node]
    while pending:
        part = pending.pop()
        operator = part.child_by_field_name("operator") if part.type == "binary_expression" else None
        if operator is not None and operator.type == ".":
            pending += [part.child_by_field_name("right"), part.child_by_field_name("left")]
        else:
            operands.append(part)
    directory = _php_directory(operands[0])
    names: tuple[str, ...] = ()
    if directory is not None:
        operands, names = operands[1:], ("__DIR__",)
    values = [_string_value(o) if o.type in ("string", "encapsed_string") else None for o in operands]
    if not values or None in values:
        return None
    return (directory or "") + "".join(values), names


def _php_directory(node: Node) -> str | None:
    """``__DIR__`` or ``dirname(__FILE__)`` -> ``""``; ``dirname(__DIR__)`` -> ``"/.."``."""
    if node.type == "name" and _text(node) == "__DIR__":
        return ""
    if node.type != "function_call_expression" or _text(node.child_by_field_name("function")) != "dirname":
        return None
    arguments = _named(node.child_by_field_name("arguments"))
    if len(arguments) != 1:
        return None
    constant = _compact(arguments[0])
    return {"__FILE__": "", "__DIR__": "/.."}.get(constant)


# ---------------------------------------------------------------- ruby

def _ruby_call(call: Node, captures: Captures) -> Iterator[Import]:
    target = _string_value(captures["target"][0])
    if target:
        yield _make(call, _text(captures["kind"][0]), target)


def _ruby_autoload(call: Node, captures: Captures) -> Iterator[Import]:
    target = _string_value(captures["target"][0])
    constant = captures["name"][0]
    name = _text(constant).lstrip(":") if constant.type == "simple_symbol" else _string_value(constant)
    if target and name:
        yield _make(call, "autoload", target, (name,))


# ---------------------------------------------------------------- dispatch tables

_JS_HANDLERS: dict[str, ImportHandler] = {
    "import": _js_import,
    "export_from": _js_export_from,
    "require": _js_call("require"),
    "dynamic": _js_call("dynamic_import"),
}

_IMPORT_HANDLERS: dict[str, dict[str, ImportHandler]] = {
    "python": {"import": _python_import, "from": _python_from, "dynamic": _python_dynamic},
    "java": {"import": _java_import},
    "kotlin": {"import": _kotlin_import},
    "scala": {"import": _scala_import},
    "c-sharp": {"using": _csharp_using},
    "c": {"include": _c_include},
    "cpp": {"include": _c_include},
    "javascript": _JS_HANDLERS,
    "typescript": _JS_HANDLERS,
    "tsx": _JS_HANDLERS,
    "go": {"import": _go_import},
    "rust": {"use": _rust_use, "mod": _rust_mod, "extern_crate": _rust_extern_crate},
    "php": {"use": _php_use, "include": _php_include},
    "ruby": {"call": _ruby_call, "autoload": _ruby_autoload},
}

_DECLARE_HANDLERS: dict[str, dict[str, DeclareHandler]] = {
    "java": {"declare": _compact},
    "kotlin": {"declare": _compact},
    "go": {"declare": _compact},
    "php": {"declare": _compact},
    "scala": {"package": _scala_package},
    "c-sharp": {"namespace": _csharp_namespace},
}
