"""Specification of tree-sitter import extraction (parsers.imports, parsers.grammars)."""
from __future__ import annotations

import pickle
import textwrap

import pytest

from parsers.grammars import SUPPORTED_LANGUAGES, grammar_for, grammar_for_path, grammar_key
from parsers.imports import parse_file
from parsers.model import Import, ParsedFile
from parsers.references import has_references


def imports(language: str, source: str, path: str = "") -> list[tuple]:
    """(kind, target, names, level, type_only) of each import, in order."""
    parsed = parse_file(language, textwrap.dedent(source), path)
    return [(i.kind, i.target, i.names, i.level, i.type_only) for i in parsed.imports]


def declares(language: str, source: str) -> tuple[str, ...]:
    return parse_file(language, textwrap.dedent(source)).declares


# ---------------------------------------------------------------- grammars

def test_every_supported_language_has_a_grammar():
    assert all(grammar_for(language) is not None for language in SUPPORTED_LANGUAGES)


def test_unknown_language_has_no_grammar():
    assert grammar_for("cobol") is None


def test_tsx_files_get_the_tsx_grammar():
    assert grammar_for_path("typescript", "src/App.tsx") != grammar_for("typescript")
    assert grammar_for_path("typescript", "src/app.ts") == grammar_for("typescript")


def test_cuda_parses_with_the_cpp_grammar():
    assert grammar_for("cuda") == grammar_for("cpp")


# ---------------------------------------------------------------- parse_file in general

def test_unsupported_language_is_not_parsed_but_sized():
    assert parse_file("cobol", b"MOVE A TO B.") == ParsedFile("cobol", parsed=False, n_bytes=12)


def test_str_and_bytes_input_give_the_same_result():
    source = "# é\nimport os\n"
    assert parse_file("python", source) == parse_file("python", source.encode())


def test_non_utf8_bytes_do_not_crash():
    parsed = parse_file("python", b"x = '\xff\xfe'\nimport os\n")
    assert [i.target for i in parsed.imports] == ["os"]
    assert parsed.n_bytes == 19


def test_clean_file_has_no_errors():
    parsed = parse_file("python", "def f(x):\n    return x\n")
    assert (parsed.error_count, parsed.missing_count, parsed.error_bytes) == (0, 0, 0)


def test_syntax_error_is_counted_with_its_bytes():
    parsed = parse_file("python", "def f(:\n    return )\n")
    assert parsed.error_count > 0
    assert 0 < parsed.error_bytes <= parsed.n_bytes


def test_missing_token_is_counted():
    parsed = parse_file("java", "class A { void f() { int x = 1 } }")
    assert parsed.missing_count == 1


def test_nested_error_bytes_are_not_counted_twice():
    parsed = parse_file("python", ")" * 50 + "\n" + "(((" * 30)  # an ERROR inside an ERROR
    assert parsed.error_count >= 2
    assert parsed.error_bytes == parsed.n_bytes


def test_import_records_statement_text_and_line():
    (imp,) = parse_file("python", "x = 1\n\nimport os.path\n").imports
    assert imp == Import("import", "os.path", text="import os.path", line=3)


def test_import_text_is_cut_at_200_characters():
    source = "from m import (" + ", ".join(f"name{i}" for i in range(100)) + ")\n"
    (imp,) = parse_file("python", source).imports
    assert imp.text == source[:200]


def test_parsed_file_is_plain_picklable_data():
    parsed = parse_file("python", "import os\n")
    assert pickle.loads(pickle.dumps(parsed)) == parsed


def test_truncated_sources_never_raise():
    source = textwrap.dedent("""\
        use a::{b, c::{d, e as f}, self};
        #[path = "x.rs"] mod y;
        extern crate z;
    """).encode()
    for end in range(len(source)):
        parse_file("rust", source[:end])


# ---------------------------------------------------------------- python

def test_python_import_dotted_module():
    assert imports("python", "import a.b\n") == [("import", "a.b", (), 0, False)]


def test_python_import_as_records_the_module_not_the_alias():
    assert imports("python", "import a.b as c\n") == [("import", "a.b", (), 0, False)]


def test_python_import_of_several_modules_gives_one_import_each():
    assert [i[1] for i in imports("python", "import a, b.c as d\n")] == ["a", "b.c"]


def test_python_from_dot_import_has_level_one_and_empty_target():
    assert imports("python", "from . import x\n") == [("from", "", ("x",), 1, False)]


def test_python_from_relative_module_counts_dots_and_lists_original_names():
    assert imports("python", "from ..pkg.mod import a, b as c\n") == [
        ("from", "pkg.mod", ("a", "b"), 2, False)
    ]


def test_python_from_parenthesized_names():
    assert imports("python", "from m import (\n    a,\n    b,\n)\n") == [("from", "m", ("a", "b"), 0, False)]


def test_python_wildcard_import():
    assert imports("python", "from pkg import *\n") == [("from", "pkg", ("*",), 0, False)]


def test_python_future_import_is_not_an_import():
    assert imports("python", "from __future__ import annotations\n") == []


def test_python_dunder_import_with_literal_is_dynamic():
    assert imports("python", '__import__("x.y")\n') == [("dynamic_import", "x.y", (), 0, False)]


def test_python_importlib_import_module_with_literal_is_dynamic():
    assert imports("python", "m = importlib.import_module('plugins.csv')\n") == [
        ("dynamic_import", "plugins.csv", (), 0, False)
    ]


def test_python_relative_import_module_keeps_its_level():
    assert imports("python", 'import_module(".sub", __package__)\n') == [
        ("dynamic_import", "sub", (), 1, False)
    ]


def test_python_dynamic_import_of_a_variable_or_fstring_is_ignored():
    assert imports("python", "__import__(name)\nimportlib.import_module(f'p.{x}')\nfoo('x')\n") == []


def test_python_imports_under_type_checking_are_type_only():
    source = """\
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from .models import User
        """
    assert imports("python", source)[1] == ("from", "models", ("User",), 1, True)


def test_python_typing_dot_type_checking_block_is_type_only():
    assert imports("python", "if typing.TYPE_CHECKING:\n    import a\n")[0][4] is True


def test_python_else_branch_of_type_checking_is_not_type_only():
    source = "if TYPE_CHECKING:\n    import a\nelse:\n    import b\n"
    assert [i[4] for i in imports("python", source)] == [True, False]


def test_python_imports_inside_functions_and_try_blocks_count():
    source = """\
        def load():
            try:
                import ujson as json
            except ImportError:
                import json
        """
    assert [i[1] for i in imports("python", source)] == ["ujson", "json"]


# ---------------------------------------------------------------- java

JAVA = """\
    package com.acme.util;
    import a.b.C;
    import a.b.*;
    import static a.b.C.m;
    import static a.b.C.*;
    class K {}
    """


def test_java_single_type_import():
    assert imports("java", JAVA)[0] == ("import", "a.b.C", (), 0, False)


def test_java_wildcard_import():
    assert imports("java", JAVA)[1] == ("wildcard", "a.b", ("*",), 0, False)


def test_java_static_import_targets_the_member():
    assert imports("java", JAVA)[2] == ("static_import", "a.b.C.m", (), 0, False)


def test_java_static_wildcard_import():
    assert imports("java", JAVA)[3] == ("static_import", "a.b.C", ("*",), 0, False)


def test_java_declares_its_package():
    assert declares("java", JAVA) == ("com.acme.util",)


JAVA_REFERENCES = """\
    package p;
    @Marker
    public class Top<T> extends Base implements Api<Arg> {
        static class Nested {}
        Outer.Inner field;
        Top(Param p) throws Oops {
            Made m = new Made();
            int c = Consts.MAX + q.Util.LIMIT;
            Runnable r = Refs::run;
            Object k = Lit.class;
            Object Shadow = null;
            Shadow.hashCode();
            Nested n; T t;
            // Commented c;
        }
    }
    interface Second {}
    """


def test_java_references_are_types_qualifiers_annotations_and_qualified_names():
    parsed = parse_file("java", textwrap.dedent(JAVA_REFERENCES))
    assert parsed.references == (
        "Api", "Arg", "Base", "Consts", "Lit", "Made", "Marker", "Object", "Oops", "Outer.Inner",
        "Param", "Refs", "Runnable", "q", "q.Util.LIMIT")


def test_java_top_level_types_are_recorded():
    assert parse_file("java", textwrap.dedent(JAVA_REFERENCES)).types == ("Second", "Top")


def test_languages_without_reference_query_record_none():
    assert parse_file("go", "package x\n").references is None


# ---------------------------------------------------------------- kotlin

KOTLIN = """\
    package com.acme.util
    import a.b.C
    import a.b.*
    import a.b.D as E
    """


def test_kotlin_imports_wildcards_and_aliases():
    assert imports("kotlin", KOTLIN) == [
        ("import", "a.b.C", (), 0, False),
        ("wildcard", "a.b", ("*",), 0, False),
        ("import", "a.b.D", (), 0, False),
    ]


def test_kotlin_declares_its_package():
    assert declares("kotlin", KOTLIN) == ("com.acme.util",)


# ---------------------------------------------------------------- scala

def test_scala_plain_import():
    assert imports("scala", "import a.b.C\n") == [("import", "a.b.C", (), 0, False)]


def test_scala2_underscore_wildcard():
    assert imports("scala", "import a.b._\n") == [("wildcard", "a.b", ("*",), 0, False)]


def test_scala3_star_wildcard():
    assert imports("scala", "import a.b.*\n") == [("wildcard", "a.b", ("*",), 0, False)]


def test_scala_selectors_list_the_original_names():
    assert imports("scala", "import a.b.{C, D => E}\n") == [("import", "a.b", ("C", "D"), 0, False)]


def test_scala_hidden_selector_is_not_imported():
    assert imports("scala", "import a.b.{C => _, _}\n") == [("import", "a.b", ("*",), 0, False)]


def test_scala_comma_separated_imports_give_one_import_each():
    assert imports("scala", "import a.B, c.d._\n") == [
        ("import", "a.B", (), 0, False),
        ("wildcard", "c.d", ("*",), 0, False),
    ]


def test_scala3_rename_targets_the_original():
    assert imports("scala", "import a.b.C as D\n") == [("import", "a.b.C", (), 0, False)]


def test_scala_chained_package_clauses_declare_one_joined_package():
    assert declares("scala", "package com.acme\npackage util\nclass A\n") == ("com.acme.util",)


def test_scala_nested_package_block_is_joined_to_its_parent():
    assert declares("scala", "package com.acme\npackage inner {\n  class A\n}\n") == (
        "com.acme",
        "com.acme.inner",
    )


# ---------------------------------------------------------------- c#

def test_csharp_using_directive():
    assert imports("c-sharp", "using A.B;\n") == [("using", "A.B", (), 0, False)]


def test_csharp_using_static():
    assert imports("c-sharp", "using static A.B.C;\n") == [("using_static", "A.B.C", (), 0, False)]


def test_csharp_using_alias_targets_the_aliased_name():
    assert imports("c-sharp", "using X = A.B.C;\n") == [("using_alias", "A.B.C", (), 0, False)]


def test_csharp_global_using():
    assert imports("c-sharp", "global using System.Linq;\n") == [("using", "System.Linq", (), 0, False)]


def test_csharp_nested_block_namespaces_are_joined():
    source = "namespace Outer.Mid {\n  namespace Inner { class K {} }\n}\n"
    assert declares("c-sharp", source) == ("Outer.Mid", "Outer.Mid.Inner")


def test_csharp_file_scoped_namespace():
    assert declares("c-sharp", "namespace A.B;\nclass C {}\n") == ("A.B",)


def test_csharp_using_inside_a_namespace_counts():
    assert imports("c-sharp", "namespace N {\n  using X.Y;\n}\n") == [("using", "X.Y", (), 0, False)]


# ---------------------------------------------------------------- c / c++ / cuda

def test_c_quoted_include_is_local():
    assert imports("c", '#include "util/x.h"\n') == [("include_local", "util/x.h", (), 0, False)]


def test_c_angle_include_is_system():
    assert imports("c", "#include <sys/types.h>\n") == [("include_system", "sys/types.h", (), 0, False)]


def test_cpp_includes_inside_conditional_blocks_count():
    source = '#ifdef WIN\n#include "win.h"\n#else\n#  include "posix.h"\n#endif\n'
    assert [i[1] for i in imports("cpp", source)] == ["win.h", "posix.h"]


def test_cpp_macro_include_is_skipped():
    assert imports("cpp", "#include CONFIG_H\n") == []


def test_cuda_includes_are_found_despite_kernel_launch_syntax():
    source = '#include "kernels.cuh"\nint main() { k<<<1, 2>>>(0); }\n'
    assert imports("cuda", source) == [("include_local", "kernels.cuh", (), 0, False)]


def test_include_text_has_no_trailing_newline():
    assert parse_file("c", '#include "x.h"\n').imports[0].text == '#include "x.h"'


# ---------------------------------------------------------------- javascript / typescript

def test_js_default_import():
    assert imports("javascript", 'import x from "./a";') == [("import", "./a", ("default",), 0, False)]


def test_js_named_imports_list_the_original_names():
    assert imports("javascript", "import {a, b as c} from './a';") == [
        ("import", "./a", ("a", "b"), 0, False)
    ]


def test_js_side_effect_import():
    assert imports("javascript", 'import "./side";') == [("import", "./side", (), 0, False)]


def test_js_namespace_import():
    assert imports("javascript", 'import * as ns from "./ns";') == [("import", "./ns", ("*",), 0, False)]


def test_js_export_named_from():
    assert imports("javascript", 'export {a} from "./b";') == [("export_from", "./b", ("a",), 0, False)]


def test_js_export_star_from():
    assert imports("javascript", 'export * from "./c";') == [("export_from", "./c", ("*",), 0, False)]


def test_js_local_export_is_not_an_import():
    assert imports("javascript", "export const a = 1;") == []


def test_js_require_with_string_literal():
    assert imports("javascript", 'const d = require("./d");') == [("require", "./d", (), 0, False)]


def test_js_require_as_a_method_or_with_a_variable_is_ignored():
    assert imports("javascript", 'foo.require("./x"); require(name); require(`./t${x}`);') == []


def test_js_dynamic_import():
    assert imports("javascript", 'const m = await import("./e");') == [
        ("dynamic_import", "./e", (), 0, False)
    ]


def test_jsx_file_parses_with_the_javascript_grammar():
    parsed = parse_file("javascript", 'import R from "react";\nconst e = <div>{x}</div>;\n', "a.jsx")
    assert parsed.error_count == 0 and parsed.imports[0].target == "react"


def test_ts_import_type_is_type_only():
    assert imports("typescript", 'import type {T} from "./t";') == [("import", "./t", ("T",), 0, True)]


def test_ts_export_type_from_is_type_only():
    assert imports("typescript", 'export type {T} from "./t";') == [("export_from", "./t", ("T",), 0, True)]


def test_ts_inline_type_specifier_does_not_make_the_statement_type_only():
    assert imports("typescript", 'import {type T, v} from "./t";')[0][4] is False


def test_ts_import_equals_require():
    assert imports("typescript", 'import x = require("./y");') == [("require", "./y", (), 0, False)]


def test_tsx_file_parses_without_errors():
    parsed = parse_file("typescript", 'import R from "react";\nconst e = <div>{x}</div>;\n', "App.tsx")
    assert parsed.error_count == 0 and [i.target for i in parsed.imports] == ["react"]


# ---------------------------------------------------------------- go

GO = """\
    package main
    import "fmt"
    import (
    \t"os"
    \tfp "path/filepath"
    \t. "strings"
    \t_ "net/http/pprof"
    )
    """


def test_go_single_import():
    assert imports("go", GO)[0] == ("import", "fmt", (), 0, False)


def test_go_grouped_imports_give_one_import_each_with_alias_as_name():
    assert imports("go", GO)[1:] == [
        ("import", "os", (), 0, False),
        ("import", "path/filepath", ("fp",), 0, False),
        ("import", "strings", (".",), 0, False),
        ("import", "net/http/pprof", ("_",), 0, False),
    ]


def test_go_declares_its_package():
    assert declares("go", GO) == ("main",)


# ---------------------------------------------------------------- rust

def test_rust_use_crate_super_and_self_paths():
    source = "use crate::a::b;\nuse super::x;\nuse self::y;\n"
    assert [i[1] for i in imports("rust", source)] == ["crate::a::b", "super::x", "self::y"]


def test_rust_self_and_super_inside_inline_module_are_relative_to_the_file():
    source = "mod tests {\n    use super::*;\n    use super::super::x;\n    use self::y;\n}\n"
    assert [(i[1], i[2]) for i in imports("rust", source)] == [
        ("self", ("*",)), ("super::x", ()), ("self::tests::y", ())]


def test_rust_grouped_use_gives_one_import_per_leaf():
    assert [i[1] for i in imports("rust", "use a::{b, c::d, e::{f, g as h}, self};\n")] == [
        "a::b", "a::c::d", "a::e::f", "a::e::g", "a",
    ]


def test_rust_glob_use():
    assert imports("rust", "use std::io::*;\n") == [("use", "std::io", ("*",), 0, False)]


def test_rust_mod_declaration_without_body():
    assert imports("rust", "mod foo;\nmod bar { fn f() {} }\n") == [("mod", "foo", (), 0, False)]


def test_rust_mod_inside_inline_module_is_prefixed():
    assert imports("rust", "mod outer {\n    mod inner;\n}\n") == [("mod", "outer::inner", (), 0, False)]


def test_rust_path_attribute_of_a_mod_is_recorded_in_names():
    source = '#[cfg(test)]\n#[path = "tests/x.rs"]\nmod y;\n'
    assert imports("rust", source) == [("mod", "y", ("tests/x.rs",), 0, False)]


def test_rust_extern_crate():
    assert imports("rust", "extern crate serde_json as json;\n") == [
        ("extern_crate", "serde_json", (), 0, False)
    ]


# ---------------------------------------------------------------- php

def test_php_require_family_with_string_literals():
    source = """\
        <?php
        require 'a.php';
        require_once("b.php");
        include "c.php";
        include_once 'd.php';
        """
    assert [(i[0], i[1]) for i in imports("php", source)] == [
        ("require", "a.php"), ("require_once", "b.php"), ("include", "c.php"), ("include_once", "d.php"),
    ]


def test_php_dir_concatenation_is_marked_relative_to_the_file():
    assert imports("php", "<?php require __DIR__ . '/lib/x.php';") == [
        ("require", "/lib/x.php", ("__DIR__",), 0, False)
    ]


def test_php_dirname_of_file_is_the_same_as_dir():
    assert imports("php", '<?php include dirname(__FILE__) . "/y.php";')[0][1:3] == ("/y.php", ("__DIR__",))


def test_php_dirname_of_dir_goes_up_one_folder():
    assert imports("php", "<?php require dirname(__DIR__) . '/vendor/' . 'autoload.php';")[0][1] == (
        "/../vendor/autoload.php"
    )


def test_php_include_of_a_variable_is_skipped():
    assert imports("php", '<?php require $path; require "in$dir.php"; require ROOT . "/x.php";') == []


def test_php_use_class():
    assert imports("php", "<?php use App\\Models\\User;") == [("use", "App\\Models\\User", (), 0, False)]


def test_php_grouped_use_gives_one_import_per_class():
    assert [i[1] for i in imports("php", "<?php use App\\Models\\{A, B as C};")] == [
        "App\\Models\\A", "App\\Models\\B",
    ]


def test_php_use_function_and_const():
    source = "<?php use function App\\f; use const App\\X, App\\Y;"
    assert [(i[0], i[1]) for i in imports("php", source)] == [
        ("use_function", "App\\f"), ("use_const", "App\\X"), ("use_const", "App\\Y"),
    ]


def test_php_trait_use_inside_a_class_is_not_an_import():
    assert imports("php", "<?php class A { use SomeTrait; }") == []


def test_php_declares_its_namespace():
    assert declares("php", "<?php\nnamespace App\\Http;\n") == ("App\\Http",)


def test_php_with_leading_html_still_parses():
    parsed = parse_file("php", "<html><body><?php require 'x.php'; ?></body></html>")
    assert [i.target for i in parsed.imports] == ["x.php"]


# ---------------------------------------------------------------- ruby

def test_ruby_require_and_require_relative():
    source = 'require "json"\nrequire_relative("lib/util")\n'
    assert imports("ruby", source) == [
        ("require", "json", (), 0, False),
        ("require_relative", "lib/util", (), 0, False),
    ]


def test_ruby_load():
    assert imports("ruby", 'load "tasks.rb"\n') == [("load", "tasks.rb", (), 0, False)]


def test_ruby_autoload_names_the_constant():
    assert imports("ruby", 'autoload :Parser, "app/parser"\n') == [
        ("autoload", "app/parser", ("Parser",), 0, False)
    ]


def test_ruby_interpolated_or_receiver_calls_are_ignored():
    assert imports("ruby", 'require "x#{v}"\nobj.require "y"\n') == []


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_empty_file_parses_cleanly(language):
    references = () if has_references(grammar_key(language)) else None
    assert parse_file(language, b"") == ParsedFile(language, n_bytes=0, references=references)
