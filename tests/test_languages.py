from __future__ import annotations

import pytest

from contract.languages import (
    CASE_SENSITIVE_EXTENSIONS,
    COMMENT_SYNTAX,
    LANGUAGE_EXTENSIONS,
    LANGUAGE_FILENAMES,
    LANGUAGES,
    canonical_language,
    detect_language,
    detect_language_from_shebang,
    path_comment,
)

# (path, language): at least one case per listed language, plus file-name rules, case,
# ambiguous extensions and files that are not source.
PATH_CASES: list[tuple[str, str | None]] = [
    ("src/main.adb", "ada"), ("src/spec.ads", "ada"),
    ("Everything.agda", "agda"),
    ("model/file_system.als", "alloy"),
    ("grammar/Expr.g4", "antlr"),
    ("scripts/notify.applescript", "applescript"),
    ("boot/start.asm", "assembly"), ("arch/x86/entry.S", "assembly"),
    ("arch/arm/head.s", "assembly"),
    ("lenses/hosts.aug", "augeas"),
    ("tools/sum.awk", "awk"),
    ("build.bat", "batchfile"), ("make.cmd", "batchfile"),
    ("src/Fifo.bsv", "bluespec"),
    ("src/main.c", "c"), ("include/list.h", "c"),
    ("Program.cs", "c-sharp"), ("build.cake", "c-sharp"),
    ("src/core.clj", "clojure"), ("src/app.cljs", "clojure"),
    ("CMakeLists.txt", "cmake"), ("cmake/FindFoo.cmake", "cmake"),
    ("app/main.coffee", "coffeescript"), ("Cakefile", "coffeescript"),
    ("src/utils.lisp", "common-lisp"), ("kernel.cl", "common-lisp"),
    ("src/a.cpp", "cpp"), ("src/a.cc", "cpp"), ("include/a.hpp", "cpp"), ("include/a.hh", "cpp"),
    ("include/a.hxx", "cpp"), ("include/a.h++", "cpp"), ("sketch/blink.ino", "cpp"),
    ("static/site.css", "css"),
    ("kernels/add.cu", "cuda"), ("kernels/add.cuh", "cuda"),
    ("lib/main.dart", "dart"),
    ("Dockerfile", "dockerfile"), ("docker/Dockerfile.dev", "dockerfile"),
    ("Containerfile", "dockerfile"), ("images/api.dockerfile", "dockerfile"),
    ("lib/app.ex", "elixir"), ("test/app_test.exs", "elixir"),
    ("src/Main.elm", "elm"),
    ("lisp/init.el", "emacs-lisp"), (".emacs", "emacs-lisp"),
    ("src/server.erl", "erlang"), ("include/records.hrl", "erlang"), ("rebar.config", "erlang"),
    ("src/Library.fs", "f-sharp"), ("script.fsx", "f-sharp"),
    ("solver.f90", "fortran"), ("legacy.f", "fortran"), ("old.F77", "fortran"),
    ("shaders/light.glsl", "glsl"), ("shaders/light.frag", "glsl"), ("shaders/light.vert", "glsl"),
    ("cmd/main.go", "go"),
    ("src/App.groovy", "groovy"), ("Jenkinsfile", "groovy"), ("build.gradle", "groovy"),
    ("src/Main.hs", "haskell"),
    ("index.html", "html"), ("legacy/page.htm", "html"),
    ("src/Main.idr", "idris"),
    ("theories/Lemma.thy", "isabelle"),
    ("src/main/java/App.java", "java"),
    ("WEB-INF/index.jsp", "java-server-pages"),
    ("src/index.js", "javascript"), ("src/App.jsx", "javascript"),
    ("src/lib.mjs", "javascript"), ("src/lib.cjs", "javascript"), ("Jakefile", "javascript"),
    ("package.json", "json"), ("package-lock.json", "json"), ("composer.lock", "json"),
    ("map.geojson", "json"), (".eslintrc.json", "json"),
    ("src/solve.jl", "julia"),
    ("notebooks/analysis.ipynb", "jupyter-notebook"),
    ("src/Main.kt", "kotlin"), ("build.gradle.kts", "kotlin"),
    ("Mathlib/Basic.lean", "lean"),
    ("src/Everything.lagda", "literate-agda"), ("src/Intro.lagda.md", "literate-agda"),
    ("src/cake.litcoffee", "literate-coffeescript"),
    ("docs/tour.coffee.md", "literate-coffeescript"),
    ("src/Main.lhs", "literate-haskell"),
    ("src/init.lua", "lua"),
    ("Makefile", "makefile"), ("GNUmakefile", "makefile"), ("makefile", "makefile"),
    ("rules.mk", "makefile"), ("Makefile.am", "makefile"),
    ("lib/solve.mpl", "maple"),
    ("README.md", "markdown"), ("docs/guide.markdown", "markdown"),
    ("calc/Integrate.wl", "mathematica"), ("notebook.nb", "mathematica"),
    ("toolbox/fft2.m", "matlab"),
    ("src/parser.ml", "ocaml"), ("src/parser.mli", "ocaml"),
    ("src/Unit1.pas", "pascal"), ("project.dpr", "pascal"),
    ("script.pl", "perl"), ("lib/Foo/Bar.pm", "perl"), ("t/basic.t", "perl"),
    ("Makefile.PL", "perl"),
    ("public/index.php", "php"), ("includes/header.inc", "php"),
    ("deploy.ps1", "powershell"), ("Module.psm1", "powershell"),
    ("family.pro", "prolog"), ("rules.prolog", "prolog"),
    ("api/service.proto", "protocol-buffer"),
    ("utils/io.py", "python"), ("stubs/io.pyi", "python"), ("SConstruct", "python"),
    ("R/model.R", "r"), ("R/model.r", "r"), (".Rprofile", "r"),
    ("src/main.rkt", "racket"),
    ("docs/index.rst", "restructuredtext"), ("README.rst.txt", "restructuredtext"),
    ("report.Rmd", "rmarkdown"), ("paper.qmd", "rmarkdown"),
    ("lib/app.rb", "ruby"), ("Gemfile", "ruby"), ("Rakefile", "ruby"), ("app.gemspec", "ruby"),
    ("src/lib.rs", "rust"),
    ("analysis/clean.sas", "sas"),
    ("src/Main.scala", "scala"), ("build.sbt", "scala"),
    ("lib/srfi.scm", "scheme"), ("lib/util.ss", "scheme"),
    ("install.sh", "shell"), (".bashrc", "shell"), ("completion.zsh", "shell"),
    ("PKGBUILD", "shell"),
    ("Kernel.st", "smalltalk"),
    ("contracts/Token.sol", "solidity"),
    ("queries/people.sparql", "sparql"), ("queries/people.rq", "sparql"),
    ("db/schema.sql", "sql"),
    ("models/eight_schools.stan", "stan"),
    ("src/parser.sml", "standard-ml"), ("src/Parser.ML", "standard-ml"),
    ("src/parser.sig", "standard-ml"),
    ("analysis/clean.do", "stata"), ("ado/mycmd.ado", "stata"),
    ("rtl/fifo.sv", "systemverilog"), ("rtl/defs.svh", "systemverilog"),
    ("scripts/build.tcl", "tcl"),
    ("setup.csh", "tcsh"), ("env.tcsh", "tcsh"), (".cshrc", "tcsh"),
    ("paper/main.tex", "tex"), ("paper/style.sty", "tex"), ("paper/thesis.cls", "tex"),
    ("idl/service.thrift", "thrift"),
    ("src/app.ts", "typescript"), ("src/App.tsx", "typescript"),
    ("src/mod.mts", "typescript"), ("src/mod.cts", "typescript"),
    ("rtl/counter.v", "verilog"),
    ("rtl/counter.vhd", "vhdl"), ("rtl/counter.vhdl", "vhdl"),
    ("Module1.vb", "visual-basic"), ("script.vbs", "visual-basic"), ("Module1.bas", "visual-basic"),
    ("style/page.xslt", "xslt"), ("style/page.xsl", "xslt"),
    ("src/parse.y", "yacc"), ("src/parse.yy", "yacc"),
    ("config.yml", "yaml"), ("deploy/app.yaml", "yaml"), (".clang-format", "yaml"),
    ("src/main.zig", "zig"),
    # case-insensitive extensions
    ("SRC/MAIN.PY", "python"), ("Lib/App.JAVA", "java"),
    # not source
    ("data/points.xml", None), ("img/logo.png", None), ("notes.txt", None),
    ("requirements.txt", None), ("data/events.jsonl", None), ("yarn.lock", None),
    ("Cargo.lock", None), ("LICENSE", None), ("archive.tar.gz", None), ("BUILD", None),
    ("defs.bzl", None), ("site.pp", None), ("main.mm", None), (".gitignore", None),
]


@pytest.mark.parametrize(("path", "language"), PATH_CASES)
def test_path_detects_language(path: str, language: str | None) -> None:
    assert detect_language(path) == language


def test_every_listed_language_is_reachable_by_some_path() -> None:
    assert {lang for _, lang in PATH_CASES if lang} == set(LANGUAGES)


def test_language_list_has_89_distinct_names() -> None:
    assert len(LANGUAGES) == 89
    assert len(set(LANGUAGES)) == 89


def test_extension_and_filename_tables_name_only_listed_languages() -> None:
    assert set(LANGUAGE_EXTENSIONS) == set(LANGUAGES)
    assert set(LANGUAGE_FILENAMES) <= set(LANGUAGES)
    assert set(CASE_SENSITIVE_EXTENSIONS.values()) <= set(LANGUAGES)


def test_no_extension_is_claimed_by_two_languages() -> None:
    extensions = [ext for exts in LANGUAGE_EXTENSIONS.values() for ext in exts]
    assert len(extensions) == len(set(extensions))


def test_every_listed_extension_detects_its_language() -> None:
    wrong = {
        ext: detect_language(f"src/file{ext}")
        for lang, exts in LANGUAGE_EXTENSIONS.items()
        for ext in exts
        if detect_language(f"src/file{ext}") != lang
    }
    assert wrong == {}


def test_every_listed_filename_detects_its_language() -> None:
    wrong = {
        name: detect_language(f"dir/{name}")
        for lang, names in LANGUAGE_FILENAMES.items()
        for name in names
        if detect_language(f"dir/{name}") != lang
    }
    assert wrong == {}


def test_upper_case_ml_is_standard_ml_and_lower_case_is_ocaml() -> None:
    assert (detect_language("a.ML"), detect_language("a.ml")) == ("standard-ml", "ocaml")


def test_file_name_rule_wins_over_extension() -> None:
    assert detect_language("Makefile.in") == "makefile"


def test_compound_extension_wins_over_its_last_part() -> None:
    assert detect_language("docs/Intro.lagda.md") == "literate-agda"


SHEBANG_CASES: list[tuple[str, str | None]] = [
    ("#!/usr/bin/env python3", "python"),
    ("#!/usr/bin/python3.11 -u", "python"),
    ("#!/usr/bin/env node", "javascript"),
    ("#!/bin/bash", "shell"),
    ("#!/bin/sh -e", "shell"),
    ("#!/usr/bin/env zsh", "shell"),
    ("#! /usr/bin/perl -w", "perl"),
    ("#!/usr/bin/env ruby", "ruby"),
    ("#!/usr/bin/tclsh", "tcl"),
    ("#!/bin/tcsh -f", "tcsh"),
    ("#!/bin/csh", "tcsh"),
    ("#!/usr/bin/awk -f", "awk"),
    ("#!/usr/bin/env Rscript", "r"),
    ("#!/usr/bin/env julia", "julia"),
    ("#!/usr/bin/env lua5.1", "lua"),
    ("#!/usr/bin/php", "php"),
    ("#!/usr/bin/env -S PYTHONPATH=. python3 -O", "python"),
    ("#!/usr/bin/env", None),
    ("#!/usr/bin/env deno", None),
    ("# just a comment", None),
    ("", None),
]


@pytest.mark.parametrize(("line", "language"), SHEBANG_CASES)
def test_shebang_detects_language(line: str, language: str | None) -> None:
    assert detect_language_from_shebang(line) == language


def test_extensionless_file_falls_back_to_its_shebang() -> None:
    assert detect_language("bin/deploy", "#!/usr/bin/env bash\nset -e\n") == "shell"


def test_shebang_after_byte_order_mark_is_recognised() -> None:
    assert detect_language("bin/tool", "\ufeff#!/usr/bin/env python\n") == "python"


def test_shebang_is_ignored_for_a_file_with_an_unknown_extension() -> None:
    assert detect_language("notes.txt", "#!/bin/sh\n") is None


def test_file_name_rule_wins_over_shebang() -> None:
    assert detect_language("Rakefile", "#!/usr/bin/env python\n") == "ruby"


def test_every_listed_language_has_a_comment_syntax() -> None:
    assert set(COMMENT_SYNTAX) == set(LANGUAGES)


COMMENT_CASES: list[tuple[str, str, str]] = [
    ("python", "utils/io.py", "# utils/io.py"),
    ("c", "src/a.c", "// src/a.c"),
    ("html", "a.html", "<!-- a.html -->"),
    ("xslt", "a.xsl", "<!-- a.xsl -->"),
    ("css", "a.css", "/* a.css */"),
    ("sql", "a.sql", "-- a.sql"),
    ("haskell", "A.hs", "-- A.hs"),
    ("lua", "a.lua", "-- a.lua"),
    ("ada", "a.adb", "-- a.adb"),
    ("common-lisp", "a.lisp", "; a.lisp"),
    ("tex", "a.tex", "% a.tex"),
    ("matlab", "a.m", "% a.m"),
    ("erlang", "a.erl", "% a.erl"),
    ("prolog", "a.pro", "% a.pro"),
    ("fortran", "a.f90", "! a.f90"),
    ("batchfile", "a.bat", "REM a.bat"),
    ("visual-basic", "a.vb", "' a.vb"),
    ("ocaml", "a.ml", "(* a.ml *)"),
    ("java-server-pages", "a.jsp", "<%-- a.jsp --%>"),
    ("markdown", "README.md", "<!-- README.md -->"),
    ("restructuredtext", "index.rst", ".. index.rst"),
    ("json", "package.json", "// package.json"),
    ("jupyter-notebook", "a.ipynb", "// a.ipynb"),
]


@pytest.mark.parametrize(("language", "path", "comment"), COMMENT_CASES)
def test_path_comment_uses_the_language_syntax(language: str, path: str, comment: str) -> None:
    assert path_comment(language, path) == comment


def test_path_comment_is_a_single_line_for_every_language() -> None:
    multi = {lang: path_comment(lang, "a\nb.x") for lang in LANGUAGES}
    assert {lang: c for lang, c in multi.items() if "\n" in c} == {}


def test_path_comment_breaks_up_a_closing_delimiter_in_the_path() -> None:
    assert path_comment("css", "odd*/name.css") == "/* odd* /name.css */"


def test_path_comment_replaces_smalltalk_quote_in_the_path() -> None:
    assert path_comment("smalltalk", 'say"hi".st') == "\" say'hi'.st \""


def test_path_comment_for_an_unlisted_language_uses_a_hash() -> None:
    assert path_comment("unknown", "a.nix") == "# a.nix"


@pytest.mark.parametrize(
    ("name", "language"),
    [("C#", "c-sharp"), ("C++", "cpp"), ("Jupyter Notebook", "jupyter-notebook"),
     ("Emacs Lisp", "emacs-lisp"), ("F#", "f-sharp"), ("Visual Basic .NET", "visual-basic"),
     ("Python", "python"), ("protobuf", "protocol-buffer"), ("Nix", None)],
)
def test_canonical_language_normalises_display_names(name: str, language: str | None) -> None:
    assert canonical_language(name) == language


@pytest.mark.parametrize("text, expected", [
    ("#include <vector>\nint f();\n", "cpp"),
    ("namespace geo {\nint area();\n}\n", "cpp"),
    ("template <typename T>\nT twice(T x);\n", "cpp"),
    ("class Shape {\n public:\n  virtual ~Shape();\n};\n", "cpp"),
    ("#include <stdio.h>\nstruct point { int x, y; };\nint area(struct point *p);\n", "c"),
    ("/* a class of its own, in a comment: not a declaration line */\nint f(void);\n", "c"),
])
def test_h_headers_with_cpp_syntax_are_cpp(text, expected):
    from contract.languages import refine_by_content

    assert refine_by_content("c", "include/shape.h", text) == expected


def test_content_refinement_leaves_other_extensions_alone():
    from contract.languages import refine_by_content

    assert refine_by_content("c", "src/shape.c", "namespace x {}\n") == "c"
