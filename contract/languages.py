"""Language identification by file name, extension or shebang, and path-comment headers.

``LANGUAGES`` is the DeepSeek-Coder supported-language list. The paper says 87
languages; the list in the DeepSeek-Coder README has 89 names, and all 89 are covered.
Names are canonical lower-case slugs (``c-sharp``, ``cpp``, ``jupyter-notebook``).

Extensions follow GitHub linguist's ``languages.yml`` (primary extension first). Like
linguist, extensions match case-insensitively, except entries in
``CASE_SENSITIVE_EXTENSIONS`` (``.ML`` is Standard ML, ``.ml`` OCaml). Where linguist
lists an extension under several languages, one language is chosen here, by the rule in
the comment beside it; each extension belongs to exactly one language.
"""
from __future__ import annotations

import posixpath
import re

LANGUAGES: tuple[str, ...] = (
    "ada", "agda", "alloy", "antlr", "applescript", "assembly", "augeas", "awk",
    "batchfile", "bluespec", "c", "c-sharp", "clojure", "cmake", "coffeescript",
    "common-lisp", "cpp", "css", "cuda", "dart", "dockerfile", "elixir", "elm",
    "emacs-lisp", "erlang", "f-sharp", "fortran", "glsl", "go", "groovy", "haskell",
    "html", "idris", "isabelle", "java", "java-server-pages", "javascript", "json",
    "julia", "jupyter-notebook", "kotlin", "lean", "literate-agda", "literate-coffeescript",
    "literate-haskell", "lua", "makefile", "maple", "markdown", "mathematica", "matlab",
    "ocaml", "pascal", "perl", "php", "powershell", "prolog", "protocol-buffer", "python",
    "r", "racket", "restructuredtext", "rmarkdown", "ruby", "rust", "sas", "scala",
    "scheme", "shell", "smalltalk", "solidity", "sparql", "sql", "stan", "standard-ml",
    "stata", "systemverilog", "tcl", "tcsh", "tex", "thrift", "typescript", "verilog",
    "vhdl", "visual-basic", "xslt", "yacc", "yaml", "zig",
)

# Lower-case extensions per language, primary first. Ambiguous extensions (listed by
# linguist under several languages) appear once, under the language chosen here:
#   .h -> c (The Stack's choice; C++ headers use .hpp/.hh/.hxx/.h++)
#   .m -> matlab (Objective-C, Mercury, Limbo and MUMPS are not in the list)
#   .pl -> perl; .pro/.prolog -> prolog; .v -> verilog (not Coq); .cl -> common-lisp
#   (not OpenCL or Cool); .fs -> f-sharp (not GLSL or Forth); .f/.for -> fortran (not
#   Forth); .inc -> php (its most common use on GitHub; also Assembly, Pascal, SQL, C++);
#   .es -> javascript (ECMAScript, not Erlang's escript); .cake -> c-sharp (Cake build
#   scripts); .cls -> tex (LaTeX class files, not Visual Basic or Apex); .st -> smalltalk
#   (not StringTemplate); .t -> perl (test scripts); .cgi -> perl; .sql -> sql (not a
#   dialect); .md -> markdown; .yy -> yacc (not GameMaker JSON); .frag -> glsl;
#   .gradle -> groovy (Gradle build scripts are Groovy).
# Left out on purpose: .scd (SuperCollider, not scdoc Markdown), .shader (mostly Unity
# ShaderLab, not GLSL), .pp (mostly Puppet, not Pascal), .sls (mostly SaltStack YAML, not
# Scheme), .l (Lex more often than Lisp), .d (D, DTrace, make dependency files), .bzl and
# BUILD (Starlark), .mm (Objective-C++), .scpt (compiled AppleScript), .jsonl (data).
LANGUAGE_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "ada": (".adb", ".ada", ".ads"),
    "agda": (".agda",),
    "alloy": (".als",),
    "antlr": (".g4",),
    "applescript": (".applescript",),
    "assembly": (".asm", ".a51", ".nas", ".nasm", ".s"),
    "augeas": (".aug",),
    "awk": (".awk", ".auk", ".gawk", ".mawk", ".nawk"),
    "batchfile": (".bat", ".cmd"),
    "bluespec": (".bsv",),
    "c": (".c", ".cats", ".h", ".idc"),
    "c-sharp": (".cs", ".cake", ".csx", ".linq"),
    "clojure": (".clj", ".boot", ".cl2", ".cljc", ".cljs", ".cljs.hl", ".cljscm", ".cljx", ".hic"),
    "cmake": (".cmake", ".cmake.in"),
    "coffeescript": (".coffee", "._coffee", ".cjsx", ".iced"),
    "common-lisp": (".lisp", ".asd", ".cl", ".lsp", ".ny", ".podsl", ".sexp"),
    "cpp": (
        ".cpp", ".c++", ".cc", ".cp", ".cppm", ".cxx", ".h++", ".hh", ".hpp", ".hxx",
        ".inl", ".ino", ".ipp", ".ixx", ".tcc", ".tpp", ".txx",
    ),
    "css": (".css",),
    "cuda": (".cu", ".cuh"),
    "dart": (".dart",),
    "dockerfile": (".dockerfile", ".containerfile"),
    "elixir": (".ex", ".exs"),
    "elm": (".elm",),
    "emacs-lisp": (".el", ".emacs", ".emacs.desktop"),
    "erlang": (".erl", ".app", ".app.src", ".escript", ".hrl", ".xrl", ".yrl"),
    "f-sharp": (".fs", ".fsi", ".fsx"),
    "fortran": (".f90", ".f", ".f03", ".f08", ".f77", ".f95", ".for", ".fpp"),
    "glsl": (
        ".glsl", ".comp", ".frag", ".frg", ".fsh", ".fshader", ".geo", ".geom", ".glslf",
        ".glslv", ".gshader", ".rchit", ".rgen", ".rmiss", ".tesc", ".tese",
        ".vert", ".vrx", ".vsh", ".vshader",
    ),
    "go": (".go",),
    "groovy": (".groovy", ".gradle", ".grt", ".gtpl", ".gvy"),
    "haskell": (".hs", ".hs-boot", ".hsc"),
    "html": (".html", ".htm", ".html.hl", ".xht", ".xhtml"),
    "idris": (".idr", ".lidr"),
    "isabelle": (".thy",),
    "java": (".java", ".jav"),
    "java-server-pages": (".jsp", ".jspf", ".tag"),
    "javascript": (
        ".js", "._js", ".bones", ".cjs", ".es", ".es6", ".jake", ".jsb", ".jscad", ".jsfl",
        ".jslib", ".jsm", ".jspre", ".jss", ".jsx", ".mjs", ".njs", ".pac", ".sjs", ".ssjs",
        ".xsjs", ".xsjslib",
    ),
    "json": (
        ".json", ".avsc", ".geojson", ".gltf", ".har", ".json-tmlanguage", ".mcmeta",
        ".tfstate", ".topojson", ".webapp", ".webmanifest",
    ),
    "julia": (".jl",),
    "jupyter-notebook": (".ipynb",),
    "kotlin": (".kt", ".ktm", ".kts"),
    "lean": (".lean", ".hlean"),
    "literate-agda": (".lagda", ".lagda.md", ".lagda.org", ".lagda.rst", ".lagda.tex"),
    "literate-coffeescript": (".litcoffee", ".coffee.md"),
    "literate-haskell": (".lhs",),
    "lua": (".lua", ".nse", ".p8", ".pd_lua", ".rbxs", ".rockspec", ".wlua"),
    "makefile": (".mak", ".make", ".mk", ".mkfile"),
    # linguist has no Maple entry; .mpl is Maple's own source extension.
    "maple": (".mpl", ".maple"),
    "markdown": (
        ".md", ".livemd", ".markdown", ".mdown", ".mdwn", ".mkd", ".mkdn", ".mkdown",
        ".ronn", ".workbook",
    ),
    "mathematica": (".mathematica", ".ma", ".mt", ".nb", ".nbp", ".wl", ".wls", ".wlt"),
    "matlab": (".matlab", ".m"),
    "ocaml": (".ml", ".eliom", ".eliomi", ".ml4", ".mli", ".mll", ".mly"),
    "pascal": (".pas", ".dfm", ".dpr", ".lpr", ".pascal"),
    "perl": (".pl", ".al", ".cgi", ".perl", ".ph", ".plx", ".pm", ".psgi", ".t"),
    "php": (
        ".php", ".aw", ".ctp", ".inc", ".php3", ".php4", ".php5", ".phps", ".phpt", ".phtml",
    ),
    "powershell": (".ps1", ".psd1", ".psm1"),
    "prolog": (".pro", ".prolog", ".yap"),
    "protocol-buffer": (".proto",),
    "python": (
        ".py", ".gyp", ".gypi", ".lmi", ".py3", ".pyde", ".pyi", ".pyp", ".pyt", ".pyw",
        ".tac", ".wsgi", ".xpy",
    ),
    "r": (".r", ".rd", ".rsx"),
    "racket": (".rkt", ".rktd", ".rktl", ".scrbl"),
    "restructuredtext": (".rst", ".rest", ".rest.txt", ".rst.txt"),
    "rmarkdown": (".rmd", ".qmd"),
    "ruby": (
        ".rb", ".builder", ".eye", ".gemspec", ".god", ".jbuilder", ".mspec", ".pluginspec",
        ".podspec", ".prawn", ".rabl", ".rake", ".rbi", ".rbuild", ".rbw", ".rbx", ".ru",
        ".ruby", ".thor", ".watchr",
    ),
    "rust": (".rs", ".rs.in"),
    "sas": (".sas",),
    "scala": (".scala", ".kojo", ".sbt", ".sc"),
    "scheme": (".scm", ".sld", ".sps", ".ss"),
    "shell": (
        ".sh", ".bash", ".bats", ".command", ".ebuild", ".eclass", ".ksh", ".sh.in",
        ".tmux", ".tool", ".zsh", ".zsh-theme",
    ),
    "smalltalk": (".st",),
    "solidity": (".sol",),
    "sparql": (".sparql", ".rq"),
    "sql": (
        ".sql", ".cql", ".ddl", ".mysql", ".pck", ".pkb", ".pks", ".plb", ".pls", ".plsql",
        ".prc", ".udf", ".viw",
    ),
    "stan": (".stan",),
    "standard-ml": (".sml", ".fun", ".sig"),
    "stata": (".do", ".ado", ".doh", ".ihlp", ".mata", ".matah", ".sthlp"),
    "systemverilog": (".sv", ".svh", ".vh"),
    "tcl": (".tcl", ".adp", ".sdc", ".tm", ".xdc"),
    "tcsh": (".tcsh", ".csh"),
    "tex": (
        ".tex", ".bbx", ".cbx", ".cls", ".dtx", ".ins", ".lbx", ".ltx", ".mkii", ".mkiv",
        ".mkvi", ".sty",
    ),
    "thrift": (".thrift",),
    "typescript": (".ts", ".cts", ".mts", ".tsx"),
    "verilog": (".v", ".veo"),
    "vhdl": (".vhdl", ".vhd", ".vhf", ".vhi", ".vho", ".vhs", ".vht", ".vhw"),
    "visual-basic": (".vb", ".bas", ".frm", ".vba", ".vbhtml", ".vbs"),
    "xslt": (".xslt", ".xsl"),
    "yacc": (".y", ".yacc", ".yy"),
    "yaml": (
        ".yml", ".yaml", ".cff", ".reek", ".rviz", ".sublime-syntax", ".syntax",
        ".yaml-tmlanguage",
    ),
    "zig": (".zig", ".zon"),
}

# Extensions whose case decides the language (checked before the case-insensitive table).
CASE_SENSITIVE_EXTENSIONS: dict[str, str] = {".ML": "standard-ml"}

# Exact (case-sensitive) file names, checked before extensions.
LANGUAGE_FILENAMES: dict[str, tuple[str, ...]] = {
    "clojure": ("riemann.config",),
    "cmake": ("CMakeLists.txt",),
    "coffeescript": ("Cakefile",),
    "dockerfile": ("Dockerfile", "dockerfile", "Containerfile"),
    "elixir": ("mix.lock",),
    "emacs-lisp": (
        ".abbrev_defs", ".emacs", ".emacs.desktop", ".gnus", ".spacemacs", ".viper",
        "Project.ede", "_emacs", "abbrev_defs",
    ),
    "erlang": ("Emakefile", "rebar.config", "rebar.config.lock", "rebar.lock"),
    "groovy": ("Jenkinsfile",),
    "javascript": ("Jakefile",),
    # lock files that are JSON stay JSON; the filters stage decides about them
    "json": (
        ".arcconfig", ".babelrc", ".jshintrc", ".watchmanconfig", "Pipfile.lock",
        "composer.lock", "flake.lock", "mcmod.info",
    ),
    "lua": (".luacheckrc",),
    "makefile": (
        "BSDmakefile", "GNUmakefile", "Kbuild", "Makefile", "Makefile.am", "Makefile.boot",
        "Makefile.frag", "Makefile.in", "Makefile.inc", "Makefile.wat", "makefile",
        "makefile.sco", "mkfile",
    ),
    "perl": ("Makefile.PL", "cpanfile"),
    "php": (".php", ".php_cs", ".php_cs.dist", "Phakefile"),
    "python": (".gclient", "SConscript", "SConstruct", "wscript"),
    "r": (".Rprofile", "expr-dist"),
    "ruby": (
        ".irbrc", ".pryrc", ".simplecov", "Appraisals", "Berksfile", "Brewfile", "Buildfile",
        "Capfile", "Dangerfile", "Deliverfile", "Fastfile", "Gemfile", "Guardfile", "Jarfile",
        "Mavenfile", "Podfile", "Puppetfile", "Rakefile", "Snapfile", "Steepfile",
        "Thorfile", "Vagrantfile", "buildfile",
    ),
    "shell": (
        ".bash_aliases", ".bash_functions", ".bash_logout", ".bash_profile", ".bashrc",
        ".envrc", ".kshrc", ".profile", ".zlogin", ".zlogout", ".zprofile", ".zshenv",
        ".zshrc", "APKBUILD", "PKGBUILD", "bash_aliases", "bash_logout", "bash_profile",
        "bashrc", "gradlew", "zlogin", "zlogout", "zprofile", "zshenv", "zshrc",
    ),
    "tcsh": (".cshrc", ".login", ".logout", ".tcshrc", "csh.cshrc", "csh.login"),
    "yaml": (".clang-format", ".clang-tidy", ".gemrc", "glide.lock"),
}

# File-name prefixes: ``Dockerfile.dev``, ``Containerfile.build``.
FILENAME_PREFIXES: tuple[tuple[str, str], ...] = (
    ("Dockerfile.", "dockerfile"),
    ("Containerfile.", "dockerfile"),
)

# Interpreter named on a ``#!`` line (version suffix removed, lower-cased) -> language.
INTERPRETERS: dict[str, str] = {
    "ash": "shell", "bash": "shell", "dash": "shell", "ksh": "shell", "mksh": "shell",
    "sh": "shell", "zsh": "shell",
    "csh": "tcsh", "tcsh": "tcsh",
    "awk": "awk", "gawk": "awk", "mawk": "awk", "nawk": "awk",
    "python": "python", "pypy": "python",
    "node": "javascript", "nodejs": "javascript",
    "ts-node": "typescript",
    "perl": "perl",
    "ruby": "ruby", "jruby": "ruby", "macruby": "ruby", "rake": "ruby",
    "tclsh": "tcl", "wish": "tcl",
    "rscript": "r",
    "julia": "julia",
    "lua": "lua", "luajit": "lua",
    "php": "php",
    "pwsh": "powershell",
    "escript": "erlang",
    "racket": "racket",
    "guile": "scheme", "chicken": "scheme", "csi": "scheme", "gosh": "scheme",
    "ccl": "common-lisp", "clisp": "common-lisp", "ecl": "common-lisp", "sbcl": "common-lisp",
    "runghc": "haskell", "runhaskell": "haskell",
    "groovy": "groovy",
    "scala": "scala",
    "elixir": "elixir",
    "ocaml": "ocaml", "ocamlrun": "ocaml", "ocamlscript": "ocaml",
    "osascript": "applescript",
    "make": "makefile",
    "swipl": "prolog",
    "dart": "dart",
    "coffee": "coffeescript",
}

# Header comment per language: (opening, closing); closing is "" for a line comment.
# Choices where the language has no single obvious form:
#   json, jupyter-notebook: "//" (JSON has no comments; "//" is what code LMs commonly see
#     as a file header, and JSONC accepts it; notebooks are stored as JSON)
#   markdown, rmarkdown, literate-coffeescript: "<!-- -->" (invisible when rendered;
#     literate CoffeeScript is Markdown); restructuredtext: ".. " (an rST comment)
#   assembly: ";" (NASM/MASM, linguist's primary .asm dialect)
#   pascal: "//" (Delphi and Free Pascal); fortran: "!" (free form, accepted by most
#     fixed-form compilers too); sas: "/* */" (its line comment needs a closing ";")
#   smalltalk: a double-quoted comment; literate-haskell and literate-agda: "--", which
#     reads as prose outside code blocks and as a comment inside them.
COMMENT_SYNTAX: dict[str, tuple[str, str]] = {
    **{lang: ("#", "") for lang in (
        "awk", "cmake", "coffeescript", "dockerfile", "elixir", "julia", "makefile", "maple",
        "perl", "powershell", "python", "r", "ruby", "shell", "sparql", "tcl", "tcsh", "yaml",
    )},
    **{lang: ("//", "") for lang in (
        "alloy", "antlr", "bluespec", "c", "c-sharp", "cpp", "cuda", "dart", "f-sharp", "glsl",
        "go", "groovy", "java", "javascript", "json", "jupyter-notebook", "kotlin", "pascal",
        "php", "protocol-buffer", "rust", "scala", "solidity", "stan", "stata",
        "systemverilog", "thrift", "typescript", "verilog", "zig",
    )},
    **{lang: ("--", "") for lang in (
        "ada", "agda", "applescript", "elm", "haskell", "idris", "lean", "literate-agda",
        "literate-haskell", "lua", "sql", "vhdl",
    )},
    **{lang: (";", "") for lang in (
        "assembly", "clojure", "common-lisp", "emacs-lisp", "racket", "scheme",
    )},
    **{lang: ("%", "") for lang in ("erlang", "matlab", "prolog", "tex")},
    **{lang: ("(*", "*)") for lang in (
        "augeas", "isabelle", "mathematica", "ocaml", "standard-ml",
    )},
    **{lang: ("<!--", "-->") for lang in (
        "html", "literate-coffeescript", "markdown", "rmarkdown", "xslt",
    )},
    **{lang: ("/*", "*/") for lang in ("css", "sas", "yacc")},
    "batchfile": ("REM", ""),
    "fortran": ("!", ""),
    "java-server-pages": ("<%--", "--%>"),
    "restructuredtext": ("..", ""),
    "smalltalk": ('"', '"'),
    "visual-basic": ("'", ""),
}

# Used by path_comment for a language outside LANGUAGES (kept only when the run is
# configured to keep unlisted languages).
DEFAULT_COMMENT_SYNTAX: tuple[str, str] = ("#", "")

# Other spellings of listed languages (linguist display names and common aliases),
# after canonical_language's normalisation.
LANGUAGE_ALIASES: dict[str, str] = {
    "bash": "shell", "sh": "shell", "zsh": "shell",
    "csharp": "c-sharp", "fsharp": "f-sharp",
    "elisp": "emacs-lisp", "lisp": "common-lisp",
    "golang": "go",
    "ipython-notebook": "jupyter-notebook",
    "js": "javascript", "jsx": "javascript", "ts": "typescript", "tsx": "typescript",
    "jsp": "java-server-pages",
    "latex": "tex",
    "make": "makefile",
    "octave": "matlab",
    "protobuf": "protocol-buffer", "protocol-buffers": "protocol-buffer",
    "rst": "restructuredtext",
    "sml": "standard-ml",
    "unix-assembly": "assembly",
    "vb.net": "visual-basic", "vba": "visual-basic", "vbscript": "visual-basic",
    "visual-basic-.net": "visual-basic", "visual-basic-6.0": "visual-basic",
    "yml": "yaml",
}

_EXTENSION_LANGUAGE: dict[str, str] = {
    ext: lang for lang, exts in LANGUAGE_EXTENSIONS.items() for ext in exts
}
_FILENAME_LANGUAGE: dict[str, str] = {
    name: lang for lang, names in LANGUAGE_FILENAMES.items() for name in names
}
_LISTED = frozenset(LANGUAGES)
_VERSION_SUFFIX = re.compile(r"[0-9.]+$")


def canonical_language(name: str) -> str | None:
    """The canonical slug for a language name such as ``C#``, ``C++`` or ``Jupyter Notebook``."""
    slug = re.sub(r"[\s_]+", "-", name.strip().lower().replace("#", "-sharp").replace("++", "pp"))
    slug = LANGUAGE_ALIASES.get(slug, slug)
    return slug if slug in _LISTED else None


def _language_from_name(name: str) -> str | None:
    if name in _FILENAME_LANGUAGE:
        return _FILENAME_LANGUAGE[name]
    for prefix, language in FILENAME_PREFIXES:
        if name.startswith(prefix):
            return language
    # Hidden files: the leading dots are part of the name, not an extension.
    parts = name.lstrip(".").split(".")
    # Longest compound extension first: ``.lagda.md`` before ``.md``.
    for start in range(1, len(parts)):
        suffix = "." + ".".join(parts[start:])
        if suffix in CASE_SENSITIVE_EXTENSIONS:
            return CASE_SENSITIVE_EXTENSIONS[suffix]
        language = _EXTENSION_LANGUAGE.get(suffix.lower())
        if language is not None:
            return language
    return None


def detect_language_from_shebang(first_line: str) -> str | None:
    """The language of a ``#!`` line's interpreter (``#!/usr/bin/env python3`` -> python)."""
    line = first_line.lstrip("\ufeff").strip()
    if not line.startswith("#!"):
        return None
    words = line[2:].split()
    if words and posixpath.basename(words[0]) == "env":
        # skip env's options (-S, -i) and VAR=value assignments
        words = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
    if not words:
        return None
    interpreter = _VERSION_SUFFIX.sub("", posixpath.basename(words[0])).lower()
    return INTERPRETERS.get(interpreter)


def detect_language(path: str, head: str = "") -> str | None:
    """The canonical language of a repo-relative ``path``, or ``None`` if it is not source.

    File name rules come first, then the extension (longest compound extension first).
    An extensionless file falls back to the shebang on the first line of ``head``.
    """
    name = posixpath.basename(path)
    language = _language_from_name(name)
    if language is not None or "." in name.lstrip("."):
        return language
    return detect_language_from_shebang(head.split("\n", 1)[0]) if head else None


def _neutralize(path: str, closing: str) -> str:
    """``path`` on one line, with ``closing`` broken up so it cannot end the comment early."""
    text = " ".join(path.splitlines())
    if not closing:
        return text
    if len(closing) == 1:
        return text.replace(closing, "'")
    return text.replace(closing, closing[0] + " " + closing[1:])


def path_comment(language: str, path: str) -> str:
    """A one-line comment holding ``path`` in ``language``'s syntax (``# utils/io.py``).

    A language outside ``COMMENT_SYNTAX`` gets ``DEFAULT_COMMENT_SYNTAX``. Line breaks in
    the path become spaces and a closing delimiter inside it is broken up.
    """
    opening, closing = COMMENT_SYNTAX.get(language, DEFAULT_COMMENT_SYNTAX)
    body = _neutralize(path, closing)
    return f"{opening} {body} {closing}" if closing else f"{opening} {body}"


# linguist's heuristics.yml rule for `.h`: C++ when the header shows C++ syntax.
_CPP_HEADER = re.compile(
    r"^\s*#\s*include\s*<(?:cstdint|string|vector|map|list|array|bitset|queue|stack|forward_list"
    r"|unordered_map|unordered_set|(?:i|o|io)stream)>"
    r"|^\s*template\s*<"
    r"|^[ \t]*(?:class|(?:using[ \t]+)?namespace)\s+\w+"
    r"|^[ \t]*(?:private|public|protected):$"
    r"|std::\w+",
    re.MULTILINE,
)
CONTENT_SCAN_CHARS = 64 * 1024


def refine_by_content(language: str, path: str, text: str) -> str:
    """Settle an extension that two languages share by looking at the content.

    ``.h`` is C (The Stack's choice) unless the header shows C++ syntax (linguist's rule:
    C++ standard headers, ``template <``, ``class``/``namespace`` declarations, access
    specifiers, ``std::``), then it is ``cpp``, so it is parsed with the C++ grammar.
    """
    if language == "c" and path.lower().endswith(".h") and _CPP_HEADER.search(text[:CONTENT_SCAN_CHARS]):
        return "cpp"
    return language
