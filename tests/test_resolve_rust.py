"""Rust resolution: mod declarations, crate/self/super paths, workspace crates."""
from __future__ import annotations

from parsers.imports import parse_file
from parsers.model import Import, ParsedFile
from parsers.resolve import RepoFile, resolve_repository


def rs(path: str, *imports: Import) -> RepoFile:
    return RepoFile(path, "rust", ParsedFile("rust", imports=imports))


def use(target: str, *names: str) -> Import:
    return Import("use", target, names, text=f"use {target};")


def mod(name: str, path_attribute: str = "") -> Import:
    return Import("mod", name, (path_attribute,) if path_attribute else (), text=f"mod {name};")


def resolve_one(files: list[RepoFile], aux: dict[str, str] | None = None) -> tuple[list[str], str]:
    edges, _, outcomes = resolve_repository(files, aux or {})
    assert len(outcomes) == 1
    return [e.imported for e in edges], outcomes[0][2]


def test_mod_in_crate_root_names_sibling_file():
    assert resolve_one([rs("src/lib.rs", mod("net")), rs("src/net.rs")]) == (["src/net.rs"], "resolved")


def test_mod_in_crate_root_names_mod_rs_folder():
    assert resolve_one([rs("src/main.rs", mod("net")), rs("src/net/mod.rs")]) == (["src/net/mod.rs"], "resolved")


def test_mod_in_non_mod_rs_file_names_file_in_its_folder():
    files = [rs("src/net.rs", mod("tcp")), rs("src/tcp.rs"), rs("src/net/tcp.rs"), rs("src/lib.rs")]
    assert resolve_one(files) == (["src/net/tcp.rs"], "resolved")


def test_mod_in_mod_rs_names_file_beside_it():
    files = [rs("src/net/mod.rs", mod("udp")), rs("src/net/udp.rs"), rs("src/lib.rs")]
    assert resolve_one(files) == (["src/net/udp.rs"], "resolved")


def test_path_attribute_overrides_the_file_name():
    files = [rs("src/lib.rs", mod("sys", "platform/unix.rs")), rs("src/platform/unix.rs")]
    assert resolve_one(files) == (["src/platform/unix.rs"], "resolved")


def test_mod_inside_inline_module_adds_a_folder():
    assert resolve_one([rs("src/lib.rs", mod("outer::inner")), rs("src/outer/inner.rs")]) == (
        ["src/outer/inner.rs"], "resolved")


def test_missing_mod_file_is_unresolved():
    assert resolve_one([rs("src/lib.rs", mod("gone"))]) == ([], "unresolved")


def test_crate_path_resolves_to_longest_module_prefix():
    files = [rs("src/main.rs", use("crate::net::tcp::Stream")), rs("src/lib.rs"), rs("src/net/mod.rs"),
             rs("src/net/tcp.rs")]
    assert resolve_one(files) == (["src/net/tcp.rs"], "resolved")


def test_crate_path_to_root_item_resolves_to_crate_root():
    files = [rs("src/net.rs", use("crate::Error")), rs("src/lib.rs")]
    assert resolve_one(files) == (["src/lib.rs"], "resolved")


def test_super_path_starts_at_parent_module():
    files = [rs("src/net/tcp.rs", use("super::udp::Socket")), rs("src/net/udp.rs"), rs("src/net/mod.rs"),
             rs("src/lib.rs")]
    assert resolve_one(files) == (["src/net/udp.rs"], "resolved")


def test_file_level_super_glob_names_the_parent_module():
    files = [rs("src/net/tcp.rs", use("super", "*")), rs("src/net/mod.rs"), rs("src/lib.rs")]
    assert resolve_one(files) == (["src/net/mod.rs"], "resolved")


def test_super_glob_in_inline_test_module_names_the_file_itself():
    sources = {"src/lib.rs": "mod net;\n",
               "src/net.rs": "pub fn f() {}\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n"}
    files = [RepoFile(p, "rust", parse_file("rust", s, p)) for p, s in sources.items()]
    edges, stats, _ = resolve_repository(files, {})
    assert [(e.importer, e.imported) for e in edges] == [("src/lib.rs", "src/net.rs")]
    assert stats.resolved == 2


def test_path_attribute_inside_inline_module_is_relative_to_the_inline_folder():
    files = [rs("src/lib.rs", mod("outer::inner", "x.rs")), rs("src/outer/x.rs"), rs("src/x.rs")]
    assert resolve_one(files) == (["src/outer/x.rs"], "resolved")


def test_path_attribute_inside_inline_module_of_non_mod_rs_file_starts_below_its_stem():
    files = [rs("src/a.rs", mod("outer::inner", "x.rs")), rs("src/a/outer/x.rs"), rs("src/lib.rs")]
    assert resolve_one(files) == (["src/a/outer/x.rs"], "resolved")


def test_mod_inside_inline_module_of_non_mod_rs_file_names_file_below_its_stem():
    files = [rs("src/a.rs", mod("outer::inner")), rs("src/a/outer/inner.rs"), rs("src/outer/inner.rs"),
             rs("src/lib.rs")]
    assert resolve_one(files) == (["src/a/outer/inner.rs"], "resolved")


def test_self_path_starts_at_own_module():
    files = [rs("src/net.rs", use("self::tcp::Stream")), rs("src/net/tcp.rs"), rs("src/lib.rs")]
    assert resolve_one(files) == (["src/net/tcp.rs"], "resolved")


def test_glob_use_resolves_to_the_module():
    files = [rs("src/main.rs", use("crate::net", "*")), rs("src/net/mod.rs"), rs("src/lib.rs")]
    assert resolve_one(files) == (["src/net/mod.rs"], "resolved")


def test_std_is_external():
    assert resolve_one([rs("src/lib.rs", use("std::collections::HashMap"))]) == ([], "external")


def test_crate_path_without_crate_root_is_unresolved():
    assert resolve_one([rs("snippets/a.rs", use("crate::x::Y"))]) == ([], "unresolved")


def test_workspace_crate_resolves_inside_that_crate():
    files = [rs("app/src/main.rs", use("my_core::model::User")), rs("core/src/lib.rs"), rs("core/src/model.rs")]
    aux = {"core/Cargo.toml": '[package]\nname = "my-core"\nversion = "0.1.0"\n'}
    assert resolve_one(files, aux) == (["core/src/model.rs"], "resolved")


def test_lib_path_from_cargo_toml_is_the_crate_root():
    files = [rs("app/main.rs", use("engine::World")), rs("engine/engine.rs")]
    aux = {"engine/Cargo.toml": '[package]\nname = "engine"\n[lib]\npath = "engine.rs"\n'}
    assert resolve_one(files, aux) == (["engine/engine.rs"], "resolved")


def test_2015_edition_paths_are_crate_relative():
    files = [rs("src/net.rs", use("util::helper")), rs("src/util.rs"), rs("src/lib.rs")]
    aux = {"Cargo.toml": '[package]\nname = "old"\n'}
    assert resolve_one(files, aux) == (["src/util.rs"], "resolved")


def test_2018_edition_paths_outside_root_name_external_crates():
    files = [rs("src/net.rs", use("log::info")), rs("src/log.rs"), rs("src/lib.rs")]
    aux = {"Cargo.toml": '[package]\nname = "new"\nedition = "2021"\n'}
    assert resolve_one(files, aux) == ([], "external")


def test_2018_path_to_child_module_resolves():
    files = [rs("src/lib.rs", use("net::Socket")), rs("src/net.rs")]
    assert resolve_one(files) == (["src/net.rs"], "resolved")


def test_end_to_end_parsed_rust_repository():
    sources = {
        "src/lib.rs": "pub mod net;\nmod util;\nuse std::fmt;\nuse crate::net::{tcp::Stream, udp};\n",
        "src/net/mod.rs": "pub mod tcp;\npub mod udp;\nuse super::util::*;\n",
        "src/net/tcp.rs": "use super::udp::Socket;\nuse serde::Serialize;\n",
        "src/net/udp.rs": "",
        "src/util.rs": "",
        "src/main.rs": "use demo::net::tcp;\n",
    }
    files = [RepoFile(p, "rust", parse_file("rust", s, p)) for p, s in sources.items()]
    aux = {"Cargo.toml": '[package]\nname = "demo"\nversion = "0.1.0"\n'}
    edges, stats, _ = resolve_repository(files, aux)
    assert [(e.importer, e.imported) for e in edges] == [
        ("src/lib.rs", "src/net/mod.rs"),
        ("src/lib.rs", "src/net/tcp.rs"),
        ("src/lib.rs", "src/net/udp.rs"),
        ("src/lib.rs", "src/util.rs"),
        ("src/main.rs", "src/net/tcp.rs"),
        ("src/net/mod.rs", "src/net/tcp.rs"),
        ("src/net/mod.rs", "src/net/udp.rs"),
        ("src/net/mod.rs", "src/util.rs"),
        ("src/net/tcp.rs", "src/net/udp.rs"),
    ]
    assert stats == (11, 9, 2, 0)
