"""A preprocessor-aware syntax check for C and C++ without a compiler [issue 13 item 2].

tree-sitter cannot judge C: without a preprocessor it reports errors in 34 % of valid
Debian C files (see :class:`filters.syntax.TreeSitterSyntaxFilter`). This module lexes the
file the way translation phases 1-3 do (comments, string and character literals, raw
strings, pp-numbers with digit separators, line splices) and checks the token stream of
*one configuration* of its conditionals:

* **Conditionals.** ``#if``/``#ifdef``/``#ifndef`` groups keep their first branch and drop
  the others (``#if 0`` keeps its ``#else``): the idiom where each branch opens a brace
  (``#ifdef X / if (a) { / #else / if (b) { / #endif``) then counts one brace, and
  ``#ifdef __cplusplus / extern "C" { / #endif`` pairs with its closing twin. The branches
  it drops are checked twice over: every branch of a group must leave the same brackets
  open, and statements are checked once more on each group's last branch, reported only
  when they lie in a branch the first pass dropped. (Accepting a file when its last-branch
  configuration is well formed lowered false positives by one file in 2,902 but hid
  breakage inside first branches, so it is not done.)
* **Directives** (``#define`` bodies included) are removed, so a macro that expands to half
  a statement never counts; only the parentheses of ``#if``/``#elif`` conditions and of
  ``#define`` parameters and bodies must balance.

What it reports (first problem found, with its line):

* ``delimiters``: ``( [ {`` closed by the wrong bracket, a closer with nothing open, or
  brackets still open at the end (a file cut in the middle of a function); unbalanced
  parentheses in an ``#if`` or ``#define``; ``#if`` branches leaving different brackets open;
* ``unterminated``: a comment, string or character literal that runs to the end of the
  file, a string or character literal broken by a newline in active code, an ``#if`` group
  left open at the end, or ``#else``/``#endif`` without ``#if``;
* ``semicolon``: a statement that runs into the next one. In a function or record body, a
  token that can end a statement (a literal, ``]``, ``++``; a call's ``)``; a name when the
  statement assigns or returns, or declares ``type name``) followed by a name first on the
  next line, a statement keyword (``return``, ``if``, ``break``...) or the body's ``}``; at
  file scope, a literal before a line that starts with a name, a declaration's ``)``
  before a name, or the file's last token. Never after a control header (``if (...)``,
  ``for (...)``), a cast, or an ``ALL_CAPS`` macro name or call (``Py_BEGIN_ALLOW_THREADS``
  and annotations such as ``GUARDED_BY(mu)`` stand without a ``;``) -- unless the same file
  ends at least two other calls of that macro with ``;`` (``ASSERT(x);``), or starts three
  statements with it -- and never in initializer lists. Also ``(void)x`` or ``++x``
  starting the next line, a
  ``for (...)`` header without its two ``;`` (and no range-for ``:``), ``break``/``continue``
  without one, and a number followed by a name (not a macro: ``64 KB``) or, on the same
  line, by a number.

Measured in ``benchmarks/bench_c_syntax.py`` (``benchmarks/RESULTS.md``, section "C/C++
syntax check and password rule"): false positives on every C/C++ file of real projects and
recall on breakage planted into those files: 0.3 % of 2,789 files flagged, 0.96 of
about 10,000 broken copies caught (0.85 of deleted semicolons); 2-3 MB/s on one core.
"""
from __future__ import annotations

import re
from typing import NamedTuple, Optional

# Token kinds.
NAME, NUMBER, STRING, CHAR, PUNCT = "name", "number", "string", "char", "punct"

_TOKEN = re.compile(
    r"""
    (?:[ \t\f\v\r]+|\\\r?\n)*   # blanks and line splices before the token
    (?:
    (?P<end>\Z)
  | (?P<nl>(?:\n(?:[ \t\f\v\r]+|\\\r?\n)*)+)
  | (?P<lcomment>//(?:[^\n\\]|\\.)*)
  | (?P<bcomment>/\*.*?\*/)
  | (?P<ubcomment>/\*)
  | (?P<raw>(?:u8|[uUL])?R"(?P<delim>[^()\\\s"]{0,16})\()
  | (?P<string>(?:u8|[uUL])?"(?:[^"\\\n]|\\.)*")   # "\\." takes line splices too (DOTALL)
  | (?P<char>(?:u8|[uUL])?'(?:[^'\\\n]|\\.)*')
  | (?P<ustring>(?:u8|[uUL])?["'])
  | (?P<number>\.?\d(?:[eEpP][+-]|[\w.]|'(?=\w))*)
  | (?P<name>[A-Za-z_$\x80-\U0010ffff][\w$\x80-\U0010ffff]*)
  | (?P<hash>\#)
  | (?P<punct>->|::|\+\+|--|<<=|>>=|<=>|[-+*/%&|^!=<>]=|&&|\|\||<<|>>|\.\.\.|.)
    )
    """,
    re.VERBOSE | re.DOTALL,
)
# The rest of a directive's logical line: splices, comments and quotes included.
_DIRECTIVE_REST = re.compile(
    r"""(?:[^\n\\/"']|\\.|/\*.*?\*/|//(?:[^\n\\]|\\.)*|/|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)*""",
    re.DOTALL,
)
_DIRECTIVE_NAME = re.compile(r"[ \t]*(\w*)")
_IF_ZERO = re.compile(r"[ \t]*#[ \t]*if[ \t]+(?:0|false)\b")

OPENERS = {"(": ")", "[": "]", "{": "}"}
CLOSERS = {")": "(", "]": "[", "}": "{"}
# C and C++ keywords (C23, C++20) and common compiler spellings. A line that ends in one of
# them is not a complete expression (``unsigned`` / ``long x;``, ``else`` / ``foo();``),
# except the literals ``true``, ``false``, ``nullptr`` and ``this``.
KEYWORDS = frozenset("""
alignas alignof asm auto bool break case catch char char8_t char16_t char32_t class concept
const consteval constexpr constinit const_cast continue co_await co_return co_yield decltype
default delete do double dynamic_cast else enum explicit export extern float for friend goto
if inline int long mutable namespace new noexcept operator private protected public register
reinterpret_cast requires restrict return short signed sizeof static static_assert
static_cast struct switch template thread_local throw try typedef typeid typename typeof
union unsigned using virtual void volatile wchar_t while _Alignas _Alignof _Atomic _Bool
_Complex _Generic _Imaginary _Noreturn _Static_assert _Thread_local __attribute__ __asm__
__asm __inline __inline__ __restrict __restrict__ __typeof__ __extension__ __declspec
__cdecl __stdcall __fastcall final override and or not xor bitand bitor compl and_eq or_eq
xor_eq not_eq
""".split())
# Heads of a parenthesised header after which a statement follows without a ";".
CONTROL_HEADS = frozenset({"if", "for", "while", "switch", "catch", "constexpr", "consteval"})
# Keywords whose parentheses are remembered: control headers and operators that read like calls.
CALL_KEYWORDS = CONTROL_HEADS | {"sizeof", "alignof", "_Alignof", "typeid", "static_cast", "const_cast",
                                 "reinterpret_cast", "dynamic_cast"}
# Words that may start a line right after a complete expression without a ";" between:
# operators spelled as words, C++ member-function suffixes, GNU extensions, and what
# follows the statement of an ``if`` or a ``do``.
CONTINUATION_WORDS = frozenset({
    "and", "or", "not", "xor", "bitand", "bitor", "and_eq", "or_eq", "xor_eq", "not_eq",
    "const", "volatile", "override", "final", "noexcept", "throw", "mutable", "requires",
    "__attribute__", "__asm__", "asm", "__asm", "restrict", "__restrict", "__restrict__", "try",
})
# Keywords that start a statement: after a complete expression on the same line a ";" is missing.
STATEMENT_KEYWORDS = frozenset({"break", "continue", "return", "goto", "if", "for", "while", "switch",
                                "do", "else"})
# Brace kinds: a statement block, a struct/class/union/enum body, a namespace or
# ``extern "C"`` body (file scope), an initializer list.
BLOCK, RECORD, SCOPE, INIT = "block", "record", "scope", "init"
_MACRO_NAME = re.compile(r"_*[A-Z][A-Z0-9_]*\Z|\w*_[A-Z][A-Z0-9]+\Z")  # FOO_BAR, ParseARG_SDECL


class Token(NamedTuple):
    kind: str
    text: str
    start: int
    line_start: bool  # first token on its (logical) line
    context: int      # index into :attr:`Lexed.contexts`: the #if branches the token is in


class Problem(NamedTuple):
    """Why the file is broken: ``rule`` (``delimiters``, ``unterminated``, ``semicolon``),
    a message, and the 1-based line."""

    rule: str
    message: str
    line: int


class Lexed(NamedTuple):
    """The tokens of every branch, the conditional context of each, and the problems found
    while lexing (``context`` -1: in every configuration)."""

    tokens: list[Token]
    contexts: list[tuple[tuple[int, int], ...]]  # ((group, branch), ...) outermost first
    branches: list[int]      # per group: its number of branches
    if_zero: list[bool]      # per group: ``#if 0`` / ``#if false``
    problems: list[tuple[int, Problem]]  # (context, problem)
    parents: list[Optional[tuple[int, int]]]  # per group: the (group, branch) it sits in
    starts: list[int]        # per group: the offset of its ``#if``


def lex(text: str) -> Lexed:
    """Lex ``text``: every token of every branch, tagged with its conditional context."""
    tokens: list[Token] = []
    problems: list[tuple[int, Problem]] = []
    contexts: list[tuple[tuple[int, int], ...]] = [()]
    branches: list[int] = []
    if_zero: list[bool] = []
    parents: list[Optional[tuple[int, int]]] = []
    group_starts: list[int] = []
    stack: list[tuple[int, int]] = []  # (group, branch)
    context = 0
    line_start = True
    position, n = 0, len(text)
    match = _TOKEN.match
    while position < n:
        m = match(text, position)
        kind = m.lastgroup
        end = m.end()
        if kind == "end":
            break
        position = m.start(kind)
        if kind == "lcomment" or kind == "bcomment":
            position = end
            continue
        if kind == "nl":
            line_start = True
            position = end
            continue
        if kind == "ubcomment":
            problems.append((-1, Problem("unterminated", "comment runs to the end of the file", _line(text, position))))
            break
        if kind == "hash" and line_start:
            directive = _DIRECTIVE_NAME.match(text, end).group(1)
            if directive in ("if", "ifdef", "ifndef", "elif", "define"):
                problem = _condition_problem(text, end, directive)
                if problem:
                    problems.append((-1, problem))
            if directive in ("if", "ifdef", "ifndef"):
                parents.append(stack[-1] if stack else None)
                group_starts.append(position)
                branches.append(1)
                if_zero.append(directive == "if" and bool(_IF_ZERO.match(text, position)))
                stack.append((len(branches) - 1, 0))
            elif directive in ("elif", "elifdef", "elifndef", "else"):
                if stack:
                    group, branch = stack.pop()
                    branches[group] += 1
                    stack.append((group, branch + 1))
                else:
                    problems.append((-1, Problem("unterminated", f"#{directive} without #if", _line(text, position))))
            elif directive == "endif":
                if stack:
                    stack.pop()
                else:
                    problems.append((-1, Problem("unterminated", "#endif without #if", _line(text, position))))
            if directive in ("if", "ifdef", "ifndef", "elif", "elifdef", "elifndef", "else", "endif"):
                contexts.append(tuple(stack))
                context = len(contexts) - 1
            position = _DIRECTIVE_REST.match(text, end).end()
            line_start = False
            continue
        if kind == "raw":
            close = text.find(")" + m.group("delim") + '"', end)
            if close < 0:
                problems.append((-1, Problem("unterminated", "raw string runs to the end of the file",
                                             _line(text, position))))
                break
            end = close + len(m.group("delim")) + 2
            kind = STRING
        elif kind == "ustring":
            line_end = text.find("\n", position)
            if line_end < 0:
                problems.append((-1, Problem("unterminated", "literal runs to the end of the file",
                                             _line(text, position))))
                break
            # As a compiler does in skipped groups, skip to the end of the line; in a
            # configuration that keeps this line it is an error.
            problems.append((context, Problem("unterminated", "literal broken by a newline", _line(text, position))))
            end = line_end
            kind = STRING
        elif kind == "hash":
            kind = PUNCT
        tokens.append(Token(kind, text[position:end], position, line_start, context))
        line_start = False
        position = end
    if stack:
        problems.append((-1, Problem("unterminated", f"{len(stack)} #if group(s) open at the end of the file",
                                     _line(text, n))))
    return Lexed(tokens, contexts, branches, if_zero, problems, parents, group_starts)


_CONDITION_COMMENT = re.compile(r"""/\*.*?\*/|//[^\n]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'""", re.DOTALL)


def _condition_problem(text: str, end: int, directive: str) -> Optional[Problem]:
    """Unbalanced parentheses in the condition of ``#if``/``#elif`` or the parameters and
    body of a ``#define`` (``text[end:]`` follows the ``#``); comments and literals aside."""
    condition = _CONDITION_COMMENT.sub(" ", text[end:_DIRECTIVE_REST.match(text, end).end()])
    depth = 0
    for character in condition:
        if character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
            if depth < 0:
                break
    if depth:
        return Problem("delimiters", f"unbalanced parentheses in #{directive}", _line(text, end))
    return None


def check_branches(lexed: Lexed, text: str) -> Optional[Problem]:
    """The first ``#if`` group whose branches leave different brackets open (each branch
    counted with the first branch of the groups nested in it); ``#if 0`` branches and
    groups with one branch are not compared."""
    direct: dict[tuple[int, int], list[int]] = {}
    for token in lexed.tokens:
        if token.kind != PUNCT or token.context == 0:
            continue
        t = token.text
        index = "([{".find(t)
        sign = 1
        if index < 0:
            index, sign = ")]}".find(t), -1
            if index < 0:
                continue
        context = lexed.contexts[token.context]
        if context:
            direct.setdefault(context[-1], [0, 0, 0])[index] += sign
    children: dict[tuple[int, int], list[int]] = {}
    for group, parent in enumerate(lexed.parents):
        if parent is not None:
            children.setdefault(parent, []).append(group)
    # A nested group is opened after the group around it: from the last group back, every
    # child's totals are known when its parent's are summed (no recursion on deep nests).
    totals: dict[tuple[int, int], tuple[int, ...]] = {}
    for group in range(len(lexed.branches) - 1, -1, -1):
        for branch in range(lexed.branches[group]):
            counts = list(direct.get((group, branch), (0, 0, 0)))
            for child in children.get((group, branch), ()):
                nested = totals.get((child, first_branch(lexed, child)))
                if nested is not None:
                    counts = [a + b for a, b in zip(counts, nested)]
            totals[group, branch] = tuple(counts)

    def total(key: tuple[int, int]) -> tuple[int, ...]:
        return totals[key]

    for group in range(len(lexed.branches)):
        compared = range(1 if lexed.if_zero[group] else 0, lexed.branches[group])
        if len(compared) < 2:
            continue
        seen = {total((group, branch)) for branch in compared}
        if len(seen) > 1:
            line = _line(text, lexed.starts[group])
            return Problem("delimiters", f"the branches of the #if of line {line} leave different brackets open",
                           line)
    return None


def first_branch(lexed: Lexed, group: int) -> int:
    """Configuration A: each group's first branch; an ``#if 0`` group's second (none if it
    has only one)."""
    return 1 if lexed.if_zero[group] else 0


def last_branch(lexed: Lexed, group: int) -> int:
    """The other configuration: each group's last branch (its ``#else``, or the ``#if``
    itself when it has no other, except an ``#if 0``: none)."""
    last = lexed.branches[group] - 1
    return -1 if last == 0 and lexed.if_zero[group] else last


def configuration(lexed: Lexed, pick) -> tuple[list[Token], list[Problem]]:
    """The tokens and lexing problems of one configuration (``pick(lexed, group)`` names the
    branch each group keeps)."""
    active = [all(branch == pick(lexed, group) for group, branch in context) for context in lexed.contexts]
    tokens = [token for token in lexed.tokens if active[token.context]]
    problems = [problem for context, problem in lexed.problems if context < 0 or active[context]]
    return tokens, problems


def check_delimiters(tokens: list[Token], text: str) -> Optional[Problem]:
    """The first bracket that closes the wrong opener or nothing, or the first one left open."""
    stack: list[Token] = []
    for token in tokens:
        if token.kind != PUNCT:
            continue
        t = token.text
        if t in OPENERS:
            stack.append(token)
        elif t in CLOSERS:
            if not stack:
                return Problem("delimiters", f"'{t}' closes nothing", _line(text, token.start))
            opener = stack.pop()
            if opener.text != CLOSERS[t]:
                return Problem("delimiters", f"'{t}' closes '{opener.text}' of line {_line(text, opener.start)}",
                               _line(text, token.start))
    if stack:
        opener = stack[-1]
        return Problem("delimiters", f"{len(stack)} bracket(s) left open at the end, last '{opener.text}'",
                       _line(text, opener.start))
    return None


_EXPRESSION_END = frozenset({")", "]", "++", "--"})
_LITERAL_NAMES = frozenset({"true", "false", "nullptr", "this", "NULL"})
_BLOCK_SUFFIXES = frozenset({"else", "do", "try", "const", "override", "final", "noexcept", "mutable",
                             "volatile"})
_NOT_A_CALL = frozenset({"__attribute__", "__declspec", "alignas", "_Alignas", "noexcept", "throw",
                         "decltype", "__typeof__", "typeof", "requires", "__asm__", "asm", "__asm",
                         "operator"})


def _is_macro(name: str) -> bool:
    """``ALL_CAPS`` names are macros by convention; a macro may expand to a whole statement."""
    return bool(_MACRO_NAME.match(name))


def _brace_kind(tokens: list[Token], i: int, enclosing: str, record_keyword: str, head: str) -> str:
    """What the ``{`` at ``tokens[i]`` opens, from the token before it (``head``: what
    stood before the bracket that it closes, when that is ``)`` or ``]``)."""
    if i == 0:
        return SCOPE
    prev = tokens[i - 1]
    p = prev.text
    if prev.kind == PUNCT and p == ")":
        # a function or control body, not a compound literal "(int){0}" or an enum whose
        # underlying type a macro gives: "enum type FMT_UNDERLYING(unsigned char) {"
        return BLOCK if head and not (record_keyword == "enum" and _is_macro(head)) else INIT
    if record_keyword == "enum":
        return INIT
    if prev.kind == PUNCT:
        if p == "]":  # a lambda "[&]{", not an array "s[] {...}"
            return INIT if head else BLOCK
        if p in (";", "{", "}"):
            return INIT if enclosing == INIT else BLOCK
        if p == ":":
            return BLOCK if enclosing == BLOCK else INIT
        if p == ">" and record_keyword in ("struct", "class", "union"):
            return RECORD
        return INIT
    if prev.kind == STRING:
        return SCOPE if i >= 2 and tokens[i - 2].text == "extern" else INIT
    if prev.kind == NAME:
        if p in _BLOCK_SUFFIXES:
            return BLOCK
        if record_keyword in ("struct", "class", "union") and (
                p == record_keyword or tokens[i - 2].text == record_keyword or any(tok.text == ":" for tok in tokens[max(0, i - 12):i])):
            return RECORD  # "struct X {", "class X : public Y {", not "struct X x {...}"
        if record_keyword == "namespace" or p == "namespace":
            return SCOPE
    return INIT


class MacroUse(NamedTuple):
    """How a file uses its ``ALL_CAPS`` macros (see :func:`macro_uses`)."""

    statement: dict[str, bool]   # called as a statement and ended with ";" (ASSERT(x);)
    leading: set[str]            # start declarations or statements (LUAI_FUNC, ASSERT)


def macro_uses(tokens: list[Token]) -> MacroUse:
    """Which ``ALL_CAPS`` macros the file uses as statements or declaration starts.

    A macro called as a whole statement counts as one that needs a ``;`` when the file ends
    such calls with ``;`` at least twice and at most once in five without, so a call
    without one is a missing ``;``; macros the file calls without ``;`` (``UV_UNUSED(x)``,
    ``SimulateIOError(...)``) stand alone. A macro that starts statements at least three
    times, and more than twice as often as it follows a ``)`` or a name (annotations such as
    ``GUARDED_BY(mu)`` or ``JANSSON_ATTRS((...))``), starts a new statement wherever it
    stands first on a line."""
    closing: dict[int, int] = {}
    stack: list[int] = []
    for i, token in enumerate(tokens):
        if token.kind == PUNCT:
            if token.text == "(":
                stack.append(i)
            elif token.text == ")" and stack:
                closing[stack.pop()] = i
    with_semicolon: dict[str, int] = {}
    without: dict[str, int] = {}
    starts: dict[str, int] = {}
    follows: dict[str, int] = {}
    n = len(tokens)
    for i, token in enumerate(tokens):
        if token.kind != NAME or not _is_macro(token.text) or len(token.text) < 2:
            continue
        before = tokens[i - 1] if i else None
        if before is not None and (before.text == ")" or before.kind == NAME):
            follows[token.text] = follows.get(token.text, 0) + 1
            continue
        if before is not None and before.text not in (";", "{", "}", ":", "else"):
            continue  # an argument, an operand
        starts[token.text] = starts.get(token.text, 0) + 1
        if i + 1 >= n or tokens[i + 1].text != "(":
            continue
        end = closing.get(i + 1)
        if end is None or end + 1 >= n:
            continue
        after = tokens[end + 1]
        if after.text == ";":
            with_semicolon[token.text] = with_semicolon.get(token.text, 0) + 1
        elif after.line_start or after.text == "}":
            without[token.text] = without.get(token.text, 0) + 1
    statement = {name: count >= 2 and without.get(name, 0) <= max(1, count // 5)
                 for name, count in with_semicolon.items()}
    leading = {name for name, count in starts.items() if count >= 3 and count > 2 * follows.get(name, 0)}
    return MacroUse(statement, leading)


def _ends_statement(prev: Token, token: Token, context: str, head: str, expression: bool,
                    names: int, macros: MacroUse) -> bool:
    """``prev`` ends a complete statement and ``token`` starts the next one without a ``;``
    between them: ``token`` is the ``}`` of a block or record, a name first on its line, or a
    statement keyword. ``head`` is the name before the ``(`` that ``prev`` closes when that
    is a call; ``expression``: the statement so far assigns or returns; ``names``: the names
    it declares (``int x`` has a type and a declarator, 2; ``static Type`` 1)."""
    t = token.text
    if prev.text in ("break", "continue"):
        return t != ";"
    if token.kind == PUNCT:
        if (t == "++" or t == "--") and token.line_start and context == BLOCK:
            return _complete(prev, head, expression, names, macros)  # "x = y" / "++z;"
        if t != "}" or context not in (BLOCK, RECORD):
            return False
        if prev.text == "return" or (prev.text == ")" and expression):  # "return (x)" / "}"
            return True
        return _complete(prev, head, expression, names, macros)
    if token.kind != NAME or t in CONTINUATION_WORDS or context == INIT:
        return False
    if (_is_macro(t) and len(t) > 1 and (not expression or prev.kind == STRING)
            and t not in macros.leading):
        return False  # annotations: GUARDED_BY(mu); "%" PRIu64; not "L->top" or "ASSERT(x);"
    if not token.line_start and t not in STATEMENT_KEYWORDS:
        return False
    if t in ("case", "default") and prev.kind != NUMBER and not expression:
        return False  # sqlite's deliberate_fall_through
    if context == SCOPE:  # file scope: "static int" / "foo(void)", K&R parameter lists, macros
        if prev.kind in (NUMBER, CHAR, STRING) or prev.text == "]":
            return True
        if prev.kind == NAME:
            return names >= 2 and prev.text not in KEYWORDS and not _is_macro(prev.text)
        return (prev.text == ")" and bool(head) and head not in _NOT_A_CALL and head not in CONTROL_HEADS
                and (not _is_macro(head) or macros.statement.get(head, False)))
    return _complete(prev, head, expression, names, macros)


def _complete(prev: Token, head: str, expression: bool, names: int, macros: MacroUse) -> bool:
    """``prev`` can end a statement of a block or record."""
    kind, text = prev.kind, prev.text
    if kind == NUMBER or kind == CHAR or kind == STRING or text == "]" or text == "++" or text == "--":
        return True
    if kind == NAME:  # "x = y" / "z = 1;", "int x" / "}", not "static Type" / "name(...)"
        if text in KEYWORDS and text not in _LITERAL_NAMES:
            return False
        return expression or (names >= 2 and not _is_macro(text))
    if text == ")":  # a call "f(x)", not a cast "(T *)" or a control header "if (x)"
        return (bool(head) and head not in CONTROL_HEADS and head not in _NOT_A_CALL
                and (expression or not _is_macro(head) or macros.statement.get(head, False)))
    return False


_ASSIGNMENTS = frozenset({"=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>="})
_EXPRESSION_STARTS = frozenset({"return", "throw", "co_return", "co_yield", "delete", "goto"})
# Type keywords: a run of them ("unsigned long", "struct tag") is one name of a declaration.
TYPE_WORDS = frozenset({"int", "char", "short", "long", "float", "double", "void", "bool", "unsigned",
                        "signed", "auto", "wchar_t", "char8_t", "char16_t", "char32_t", "_Bool",
                        "_Complex", "struct", "union", "enum", "class", "typename"})
_TAG_KEYWORDS = frozenset({"struct", "union", "enum", "class", "typename"})
_QUALIFIERS = frozenset({"::", ".", "->"})


def check_statements(tokens: list[Token], text: str) -> Optional[Problem]:
    """The first statement that runs into the next one (see the module docstring); assumes
    balanced brackets."""
    # Each open bracket: [text, brace kind or the call's head, ";" count, ":" seen,
    # the enclosing statement's state to resume after a record or initializer brace]
    stack: list[list] = []
    record_keyword = ""
    expression = False       # the current statement assigns or returns
    statement_start = True   # the next token starts a statement
    head = ""                # the head of the call that the previous ")" closed
    names = angle = 0        # declared names of the current statement, "<" depth
    template = False         # the current statement is a template declaration
    macros = macro_uses(tokens)
    prev: Optional[Token] = None
    for i, token in enumerate(tokens):
        t = token.text
        top = stack[-1] if stack else None
        brace_level = top is None or top[0] == "{"
        if prev is not None:
            if prev.kind == NUMBER and (token.kind == NAME and not _is_macro(t)
                                        or token.kind == NUMBER and not token.line_start):
                return Problem("semicolon", f"'{prev.text}' followed by '{t}'", _line(text, token.start))
            if (t == "(" and token.line_start and top is not None and top[1] == BLOCK
                    and i + 2 < len(tokens) and tokens[i + 1].text == "void" and tokens[i + 2].text == ")"
                    and _complete(prev, head, expression, names, macros)):
                return Problem("semicolon", f"no ';' between '{prev.text}' and '(void)'", _line(text, token.start))
            if brace_level and (token.line_start or t in STATEMENT_KEYWORDS or t == "}"
                                or prev.text in ("break", "continue")):
                context = top[1] if top else SCOPE
                if _ends_statement(prev, token, context, head, expression, names, macros):
                    return Problem("semicolon", f"no ';' between '{prev.text}' and '{t}'", _line(text, token.start))
        if brace_level:
            if statement_start:
                expression = t in _EXPRESSION_STARTS or (  # "(void)x;"
                    t == "(" and i + 2 < len(tokens) and tokens[i + 1].text == "void" and tokens[i + 2].text == ")")
                names = angle = 0
                template = t == "template"
            if t in _ASSIGNMENTS:
                expression = not template  # not "template <int N = 0>"
            elif token.kind == NAME:
                if angle == 0:
                    if t in TYPE_WORDS:
                        if prev is None or prev.text not in TYPE_WORDS:
                            names += 1
                    elif ((t not in KEYWORDS or t in _LITERAL_NAMES)
                          and (not _is_macro(t) or (top is not None and top[1] in (BLOCK, RECORD))
                               or (prev is not None and prev.text == "typedef")
                               or (i + 1 < len(tokens) and tokens[i + 1].text in ("*", "&")))
                          and (prev is None or (prev.text not in _QUALIFIERS and prev.text not in _TAG_KEYWORDS))):
                        names += 1
            elif t == "<" and prev is not None and prev.kind == NAME:
                angle += 1
            elif t == ">" and angle:
                angle -= 1
            elif t == ">>" and angle:
                angle = max(0, angle - 2)
        statement_start = brace_level and (t == "else" or t == "do")
        closed_head, head = head, ""
        if token.kind == PUNCT:
            if t == "{":
                enclosing = top[1] if top and top[0] == "{" else (SCOPE if top is None else INIT)
                kind = _brace_kind(tokens, i, enclosing, record_keyword, closed_head)
                stack.append(["{", kind, 0, False, (expression, names, angle, record_keyword)])
                record_keyword, statement_start = "", True
            elif t == "(" or t == "[":
                if prev is not None and prev.kind == NAME and (prev.text not in KEYWORDS or prev.text in CALL_KEYWORDS):
                    call = prev.text
                elif prev is not None and prev.text in (")", "]", ">"):
                    call = prev.text
                elif prev is not None and (prev.text == "operator" or (i >= 2 and tokens[i - 2].text == "operator")):
                    call = "operator"
                else:
                    call = ""
                stack.append([t, call, 0, False, None])
            elif t in CLOSERS:
                if not stack:
                    return None
                opened = stack.pop()
                if t == ")" or t == "]":
                    head = opened[1]
                if t == ")":
                    if head == "for" and opened[2] != 2 and not opened[3]:
                        return Problem("semicolon", f"'for' header with {opened[2]} ';'", _line(text, token.start))
                    if head in CONTROL_HEADS and (not stack or stack[-1][0] == "{"):
                        statement_start = True  # "if (x)" / "return y;"
                elif t == "}":
                    if opened[1] in (RECORD, INIT):  # "} name;", "= {...}" / "," continue the statement
                        expression, names, angle, record_keyword = opened[4]
                    else:
                        record_keyword, statement_start = "", True
            elif t == ";":
                if top is not None and top[0] == "(":
                    top[2] += 1
                elif brace_level:
                    record_keyword, statement_start = "", True
            elif t == ":":
                if top is not None and top[0] == "(":
                    top[3] = True
                elif brace_level and not expression and top is not None and top[1] in (BLOCK, RECORD):
                    statement_start = True  # "case 1:", "label:", "public:"
        elif token.kind == NAME and brace_level and t in ("struct", "class", "union", "enum", "namespace"):
            if not (t == "class" and record_keyword == "enum") and (prev is None or prev.text not in ("<", ",")):
                record_keyword = t
        prev = token
    if prev is not None and not stack and (
            prev.kind in (NUMBER, CHAR, STRING) or prev.text == "]"
            or (prev.text == ")" and head and head not in _NOT_A_CALL and not _is_macro(head))
            or (prev.kind == NAME and names >= 2 and prev.text not in KEYWORDS and not _is_macro(prev.text))):
        return Problem("semicolon", f"the file ends with '{prev.text}'", _line(text, prev.start))
    return None


def check(text: str) -> Optional[Problem]:
    """The first problem of the file's first-branch configuration, or ``None``."""
    lexed = lex(text)
    tokens, problems = configuration(lexed, first_branch)
    problem = problems[0] if problems else (check_delimiters(tokens, text) or check_statements(tokens, text)
                                            or check_branches(lexed, text))
    if problem is not None or not lexed.branches:
        return problem
    # Statements of the branches the first configuration skips: checked in the
    # last-branch configuration, and reported only inside those branches.
    other, _ = configuration(lexed, last_branch)
    if check_delimiters(other, text) is not None:
        return None
    problem = check_statements(other, text)
    if problem is not None:
        skipped = {_line(text, token.start) for token in other
                   if not all(branch == first_branch(lexed, group) for group, branch in lexed.contexts[token.context])}
        if problem.line in skipped:
            return problem
    return None


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1
