"""JavaScript/TypeScript resolution: extensions, index files, tsconfig paths, workspaces."""
from __future__ import annotations

import json

from parsers.imports import parse_file
from parsers.model import Import, ParsedFile
from parsers.resolve import RepoFile, resolve_repository


def js(path: str, *imports: Import, language: str = "typescript") -> RepoFile:
    return RepoFile(path, language, ParsedFile(language, imports=imports))


def imp(spec: str, kind: str = "import") -> Import:
    return Import(kind, spec, text=f"import x from '{spec}'")


def resolve_one(files: list[RepoFile], aux: dict[str, str] | None = None) -> tuple[list[str], str]:
    edges, _, outcomes = resolve_repository(files, aux or {})
    assert len(outcomes) == 1
    return [e.imported for e in edges], outcomes[0][2]


def test_relative_specifier_gets_ts_extension():
    files = [js("src/a.ts", imp("./b")), js("src/b.ts"), js("src/b.js", language="javascript")]
    assert resolve_one(files) == (["src/b.ts"], "resolved")


def test_specifier_written_with_extension_resolves_as_written():
    files = [js("src/a.js", imp("../lib/c.mjs"), language="javascript"), js("lib/c.mjs", language="javascript")]
    assert resolve_one(files) == (["lib/c.mjs"], "resolved")


def test_js_extension_written_resolves_to_ts_source():
    files = [js("src/a.ts", imp("./util.js")), js("src/util.ts")]
    assert resolve_one(files) == (["src/util.ts"], "resolved")


def test_declaration_file_resolves():
    files = [js("src/a.ts", imp("./types")), js("src/types.d.ts")]
    assert resolve_one(files) == (["src/types.d.ts"], "resolved")


def test_folder_import_resolves_to_index():
    files = [js("src/a.tsx", imp("./components")), js("src/components/index.tsx")]
    assert resolve_one(files) == (["src/components/index.tsx"], "resolved")


def test_folder_import_uses_package_json_main():
    files = [js("a.js", imp("./vendor/lib"), language="javascript"), js("vendor/lib/dist/lib.js", language="javascript")]
    aux = {"vendor/lib/package.json": json.dumps({"main": "dist/lib.js"})}
    assert resolve_one(files, aux) == (["vendor/lib/dist/lib.js"], "resolved")


def test_json_module_resolves():
    files = [js("a.js", imp("./data.json"), language="javascript"), RepoFile("data.json", "json", ParsedFile("json"))]
    assert resolve_one(files) == (["data.json"], "resolved")


def test_missing_relative_specifier_is_unresolved():
    assert resolve_one([js("a.ts", imp("./nope"))]) == ([], "unresolved")


def test_bare_specifier_is_external():
    assert resolve_one([js("a.ts", imp("react"))]) == ([], "external")


def test_tsconfig_paths_alias_with_wildcard():
    files = [js("app/src/pages/home.ts", imp("@/lib/api")), js("app/src/lib/api.ts")]
    aux = {"app/tsconfig.json": '{\n // comment\n "compilerOptions": {"paths": {"@/*": ["./src/*"],},},\n}'}
    assert resolve_one(files, aux) == (["app/src/lib/api.ts"], "resolved")


def test_tsconfig_paths_are_relative_to_base_url():
    files = [js("src/a.ts", imp("~utils/strings")), js("src/shared/utils/strings.ts")]
    aux = {"tsconfig.json": json.dumps({"compilerOptions": {"baseUrl": "src", "paths": {"~utils/*": ["shared/utils/*"]}}})}
    assert resolve_one(files, aux) == (["src/shared/utils/strings.ts"], "resolved")


def test_longest_alias_prefix_wins():
    files = [js("a.ts", imp("@app/core/x")), js("core/x.ts"), js("app/core/x.ts")]
    aux = {"tsconfig.json": json.dumps({"compilerOptions": {"paths": {"@app/*": ["app/*"], "@app/core/*": ["core/*"]}}})}
    assert resolve_one(files, aux) == (["core/x.ts"], "resolved")


def test_alias_substitutions_are_tried_in_order():
    files = [js("a.ts", imp("$shared/x")), js("fallback/x.ts")]
    aux = {"tsconfig.json": json.dumps({"compilerOptions": {"paths": {"$shared/*": ["first/*", "fallback/*"]}}})}
    assert resolve_one(files, aux) == (["fallback/x.ts"], "resolved")


def test_alias_matching_but_missing_is_unresolved():
    aux = {"tsconfig.json": json.dumps({"compilerOptions": {"paths": {"@/*": ["src/*"]}}})}
    assert resolve_one([js("a.ts", imp("@/missing"))], aux) == ([], "unresolved")


def test_paths_inherited_through_extends():
    files = [js("web/a.ts", imp("@lib/x")), js("libs/x.ts")]
    aux = {
        "tsconfig.base.json": json.dumps({"compilerOptions": {"paths": {"@lib/*": ["libs/*"]}}}),
        "web/tsconfig.json": json.dumps({"extends": "../tsconfig.base.json"}),
    }
    assert resolve_one(files, aux) == (["libs/x.ts"], "resolved")


def test_base_url_makes_absolute_imports_resolve():
    files = [js("src/pages/a.js", imp("components/Button"), language="javascript"),
             js("src/components/Button.jsx", language="javascript")]
    aux = {"jsconfig.json": json.dumps({"compilerOptions": {"baseUrl": "src"}})}
    assert resolve_one(files, aux) == (["src/components/Button.jsx"], "resolved")


def test_workspace_package_name_resolves_to_its_entry():
    files = [js("apps/web/a.ts", imp("@acme/ui")), js("packages/ui/src/index.ts")]
    aux = {"packages/ui/package.json": json.dumps({"name": "@acme/ui", "main": "src/index.ts"})}
    assert resolve_one(files, aux) == (["packages/ui/src/index.ts"], "resolved")


def test_workspace_package_subpath_resolves_inside_the_package():
    files = [js("apps/web/a.ts", imp("@acme/ui/button")), js("packages/ui/button.tsx")]
    aux = {"packages/ui/package.json": json.dumps({"name": "@acme/ui"})}
    assert resolve_one(files, aux) == (["packages/ui/button.tsx"], "resolved")


def test_query_suffix_is_ignored():
    files = [js("a.ts", imp("./logo.svg?raw")), RepoFile("logo.svg", "svg", ParsedFile("svg"))]
    assert resolve_one(files) == (["logo.svg"], "resolved")


def test_require_call_resolves_like_import():
    files = [js("a.js", imp("./b", kind="require"), language="javascript"), js("b.js", language="javascript")]
    assert resolve_one(files) == (["b.js"], "resolved")


def test_end_to_end_parsed_typescript_repository():
    sources = {
        "src/main.ts": ("typescript", 'import React from "react";\nimport { api } from "@/lib/api";\n'
                        'export * from "./types";\nconst c = require("./config.json");\n'
                        'import type { Props } from "./ui/Button.js";\nconst m = import("./lazy");\n'),
        "src/lib/api.ts": ("typescript", 'import { get } from "../http";\n'),
        "src/http/index.ts": ("typescript", ""),
        "src/types.d.ts": ("typescript", ""),
        "src/ui/Button.tsx": ("typescript", ""),
    }
    files = [RepoFile(p, lang, parse_file(lang, s, p)) for p, (lang, s) in sources.items()]
    aux = {"tsconfig.json": '{"compilerOptions": {"baseUrl": ".", "paths": {"@/*": ["src/*"]}}}'}
    edges, stats, _ = resolve_repository(files, aux)
    assert [(e.importer, e.imported) for e in edges] == [
        ("src/lib/api.ts", "src/http/index.ts"),
        ("src/main.ts", "src/lib/api.ts"),
        ("src/main.ts", "src/types.d.ts"),
        ("src/main.ts", "src/ui/Button.tsx"),
    ]
    assert stats == (7, 4, 1, 2)


def test_base_url_at_config_folder_is_inherited_through_extends():
    files = [js("a.ts", imp("lib/x")), js("lib/x.ts")]
    aux = {
        "tsconfig.base.json": json.dumps({"compilerOptions": {"baseUrl": "."}}),
        "tsconfig.json": json.dumps({"extends": "./tsconfig.base"}),
    }
    assert resolve_one(files, aux) == (["lib/x.ts"], "resolved")


def test_packages_inside_node_modules_are_not_workspace_packages():
    files = [js("a.js", imp("leftpad", kind="require"), language="javascript"),
             js("node_modules/leftpad/index.js", language="javascript")]
    aux = {"node_modules/leftpad/package.json": json.dumps({"name": "leftpad"})}
    assert resolve_one(files, aux) == ([], "external")


def test_js_importer_prefers_js_file_over_declaration_beside_it():
    files = [js("src/a.js", imp("./suspense"), language="javascript"),
             js("src/suspense.js", language="javascript"), js("src/suspense.d.ts")]
    assert resolve_one(files) == (["src/suspense.js"], "resolved")


def test_ts_importer_of_js_specifier_prefers_declaration_over_js_file():
    files = [js("lib/errors.d.ts", imp("./ZodError.js")), js("lib/ZodError.d.ts"),
             js("lib/ZodError.js", language="javascript")]
    assert resolve_one(files) == (["lib/ZodError.d.ts"], "resolved")


def test_js_importer_never_resolves_to_a_declaration_file():
    files = [js("lib/external.cjs", imp("./types.cjs", kind="require"), language="javascript"),
             js("lib/types.d.cts")]
    assert resolve_one(files) == ([], "unresolved")


def test_js_importer_of_folder_uses_main_not_types():
    manifest = json.dumps({"types": "./index.d.ts", "main": "./lib/main.js"})
    files = [js("app.js", imp("./pkg"), language="javascript"), js("pkg/index.d.ts"),
             js("pkg/lib/main.js", language="javascript")]
    assert resolve_one(files, {"pkg/package.json": manifest}) == (["pkg/lib/main.js"], "resolved")
