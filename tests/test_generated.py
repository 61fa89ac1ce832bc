from __future__ import annotations

import json

import pytest

from filters.base import Verdict
from filters.generated import GeneratedFileFilter, VendoredPathFilter


def record(path: str, content: str = "x = 1\n", language: str = "python") -> dict:
    return {"path": path, "language": language, "content": content, "size": len(content)}


def check(path: str, content: str = "x = 1\n", language: str = "python"):
    return GeneratedFileFilter().check(record(path, content, language))


# --- vendored paths --------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "node_modules/lodash/index.js",
    "web/bower_components/jquery/jquery.js",
    "vendor/github.com/pkg/errors/errors.go",
    "lib/vendors/x.php",
    "third_party/zlib/inflate.c",
    "src/third-party/json.hpp",
    "ext/3rdparty/lib.c",
    "env/lib/python3.11/site-packages/requests/api.py",
    ".venv/lib/x.py",
    "venv/bin/activate_this.py",
    "pkg/__pycache__/mod.py",
])
def test_files_under_vendored_directories_are_rejected(path):
    assert VendoredPathFilter().check(record(path)).reason == "vendored:path"


def test_vendored_detail_names_the_matched_rule():
    assert VendoredPathFilter().check(record("app/vendor/x.php")) == Verdict("vendored:path", "vendor/")


def test_vendored_directories_match_case_insensitively():
    assert VendoredPathFilter().check(record("Source/ThirdParty/lib.cpp")).reason == "vendored:path"


def test_file_named_like_a_vendor_directory_is_kept():
    assert VendoredPathFilter().check(record("src/vendor_utils.py")) is None


def test_file_called_vendor_is_kept():
    assert VendoredPathFilter().check(record("scripts/vendor")) is None


def test_external_directory_is_kept():
    assert VendoredPathFilter().check(record("external/bindings.py")) is None


def test_deps_at_the_repository_root_is_vendored():
    assert VendoredPathFilter().check(record("deps/uv/src/unix.c")) == Verdict("vendored:path", "^deps/")


def test_deps_below_the_root_is_kept():
    assert VendoredPathFilter().check(record("src/deps/resolver.py")) is None


# --- lock files ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "Cargo.lock", "poetry.lock",
    "Pipfile.lock", "composer.lock", "Gemfile.lock", "go.sum", "npm-shrinkwrap.json", "bun.lockb",
])
def test_lock_files_are_rejected(name):
    assert check(f"app/{name}") == Verdict("generated:lock_file", name)


def test_file_merely_containing_a_lock_file_name_is_kept():
    assert check("docs/package-lock.json.md", "# About the lock file\n") is None


# --- generator outputs by name ---------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "api/service_pb2.py", "api/service_pb2_grpc.py", "gen/user.pb.go", "UI/Form1.Designer.cs",
])
def test_generator_outputs_are_rejected_by_name(path):
    assert check(path).reason == "generated:path"


def test_file_ending_like_a_generator_output_only_partly_is_kept():
    assert check("proto/pb2.py") is None


# --- minified --------------------------------------------------------------------------------

def test_min_js_is_rejected_by_name():
    assert check("static/app.min.js", "var a=1;\n", "javascript") == Verdict("generated:minified", "*.min.js")


def test_min_css_is_rejected_by_name():
    assert check("static/site.min.css", "a{b:c}\n", "css").reason == "generated:minified"


def test_compact_json_on_one_long_line_is_minified():
    content = json.dumps({f"key{i}": i for i in range(40)}, separators=(",", ":"))
    assert check("data/config.json", content, "json").reason == "generated:minified"


def test_readable_javascript_is_not_minified():
    content = "function add(a, b) {\n  return a + b;\n}\n" * 20
    assert check("src/add.js", content, "javascript") is None


def test_lines_averaging_exactly_110_chars_are_not_minified():
    assert check("a.js", ("a" * 110 + "\n") * 3, "javascript") is None


def test_compact_lines_averaging_111_chars_are_minified():
    assert check("a.js", ("a" * 111 + "\n") * 3, "javascript").reason == "generated:minified"


def test_long_lines_with_ordinary_spacing_are_not_minified():
    content = ("var message = 'this is a long line of ordinary words with normal spacing in it';" * 3 + "\n") * 5
    assert check("a.js", content, "javascript") is None


def test_long_compact_lines_in_other_languages_are_not_minified():
    assert check("a.py", ("a" * 300 + "\n") * 3, "python") is None


# --- build output ----------------------------------------------------------------------------

def test_javascript_under_dist_is_build_output():
    assert check("dist/bundle.js", "var a = 1;\n", "javascript") == Verdict("generated:build_output", "dist/")


def test_css_under_build_is_build_output():
    assert check("web/build/app.css", "a { color: red; }\n", "css").reason == "generated:build_output"


def test_python_under_build_is_kept():
    assert check("build/setup_helpers.py") is None


def test_javascript_in_a_directory_named_like_dist_is_kept():
    assert check("src/distance/index.js", "var a = 1;\n", "javascript") is None


# --- generated headers -----------------------------------------------------------------------

@pytest.mark.parametrize("header", [
    "# Generated by Django 4.2 on 2024-01-01 10:00",
    "// This file is auto-generated. Do not modify.",
    "/* AUTOGENERATED FILE */",
    "# DO NOT EDIT: produced by make gen",
    "/** @generated */",
    "// Code generated by protoc-gen-go. DO NOT EDIT.",
    '"""Generated by the protocol buffer compiler.  DO NOT EDIT!"""',
])
def test_generated_header_comments_are_rejected(header):
    assert check("src/mod.py", header + "\nx = 1\n").reason == "generated:header"


def test_generated_header_detail_gives_the_line():
    verdict = check("m.py", "#!/usr/bin/env python\n# autogenerated by tool\n")
    assert verdict == Verdict("generated:header", "line 2: # autogenerated by tool")


def test_generated_mark_on_line_5_is_rejected():
    content = "x = 1\n" * 4 + "# generated by tool\n"
    assert check("m.py", content).reason == "generated:header"


def test_generated_mark_on_line_6_is_kept():
    content = "x = 1\n" * 5 + "# generated by tool\n"
    assert check("m.py", content) is None


def test_file_mentioning_generated_by_in_line_40_is_kept():
    content = "x = 1\n" * 39 + "# This file is generated by the cli below\n"
    assert check("m.py", content) is None


def test_docstring_about_something_else_generated_by_a_tool_is_kept():
    assert check("parse.py", '"""Parser engine for the grammar tables generated by pgen."""\n') is None


def test_generated_mark_past_the_first_1000_chars_is_kept():
    content = "# " + "a" * 1000 + "\n# generated by tool\n"
    assert check("m.py", content) is None


def test_code_that_says_generated_by_is_kept():
    assert check("m.py", 'print("generated by hand")\n') is None


def test_go_generated_line_after_a_license_header_is_rejected():
    content = "// Copyright 2024 Acme\n" * 20 + "\n// Code generated by stringer; DO NOT EDIT.\n\npackage x\n"
    verdict = check("x_string.go", content, "go")
    assert verdict == Verdict("generated:header", "// Code generated by stringer; DO NOT EDIT.")


def test_go_generated_convention_far_down_outside_go_is_kept():
    content = "# note\n" * 20 + "// Code generated by stringer; DO NOT EDIT.\n"
    assert check("x.py", content) is None
