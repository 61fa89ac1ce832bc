"""Licenses (issue 14): SPDX detection per repository, and the permissive-only mode."""
from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from filters.licenses import (
    LicensesConfig, NONE_REASON, NOT_PERMITTED_REASON, apply_licenses, decide, detect_debian_copyright,
    detect_metadata, detect_readme, detect_repository, detect_text, expression_from_declared, is_permitted,
    license_keys, spdx_header, Detection, PERMISSIVE_LICENSES,
)
from pipeline.cli import main
from pipeline.config import ConfigError, config_from_dict

COMMON = Path("/usr/share/common-licenses")  # Debian's verbatim license texts
MIT_TEXT = """MIT License

Copyright (c) 2024 Example

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.
"""
BSD_2 = """Copyright (c) 2024, Example
All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this
   list of conditions and the following disclaimer.
2. Redistributions in binary form must reproduce the above copyright notice,
   this list of conditions and the following disclaimer in the documentation.
"""
BSD_3 = BSD_2 + """3. Neither the name of the copyright holder nor the names of its
   contributors may be used to endorse or promote products derived from
   this software without specific prior written permission.
"""
APACHE_NOTICE = 'Licensed under the Apache License, Version 2.0 (the "License");\nyou may not use this file except in compliance.'
GPL3_NOTICE = """This program is free software: you can redistribute it and/or modify
it under the terms of the GNU General Public License as published by
the Free Software Foundation, either version 3 of the License, or
(at your option) any later version."""


def gpl3_text() -> str:
    if not (COMMON / "GPL-3").exists():
        pytest.skip("no /usr/share/common-licenses on this machine")
    return (COMMON / "GPL-3").read_text()


# --- license texts -----------------------------------------------------------------

def test_mit_text_is_mit():
    assert detect_text(MIT_TEXT) == "MIT"


def test_bsd_with_the_endorsement_clause_is_three_clause_and_without_it_two_clause():
    assert detect_text(BSD_3) == "BSD-3-Clause"
    assert detect_text(BSD_2) == "BSD-2-Clause"


def test_apache_notice_is_apache_2():
    assert detect_text(APACHE_NOTICE) == "Apache-2.0"


def test_gpl_notice_says_or_later():
    assert detect_text(GPL3_NOTICE) == "GPL-3.0-or-later"


def test_a_file_with_two_license_texts_is_their_conjunction():
    assert detect_text(MIT_TEXT + "\n\nThird-party code:\n\n" + BSD_3) == "BSD-3-Clause AND MIT"


def test_a_license_file_holding_only_a_name_is_that_license():
    assert detect_text("ISC\n") == "ISC"


@pytest.mark.parametrize("name, spdx", [
    ("GPL-3", "GPL-3.0-only"), ("GPL-2", "GPL-2.0-only"), ("LGPL-2.1", "LGPL-2.1-only"), ("LGPL-3", "LGPL-3.0-only"),
    ("Apache-2.0", "Apache-2.0"), ("MPL-2.0", "MPL-2.0"), ("CC0-1.0", "CC0-1.0"), ("BSD", "BSD-3-Clause"),
])
def test_debian_verbatim_license_texts_are_recognised(name, spdx):
    path = COMMON / name
    if not path.exists():
        pytest.skip("no /usr/share/common-licenses on this machine")
    assert detect_text(path.read_text()) == spdx


def test_full_gpl_text_does_not_count_its_own_how_to_apply_notice():
    assert detect_text(gpl3_text()) == "GPL-3.0-only"


@pytest.mark.parametrize("dist, spdx", [
    ("networkx", "BSD-3-Clause"), ("charset-normalizer", "MIT"), ("pyarrow", "Apache-2.0"),
    ("PyYAML", "MIT"), ("boolean.py", "BSD-2-Clause"),
])
def test_installed_packages_license_files_are_recognised(dist, spdx):
    files = [f for f in importlib.metadata.distribution(dist).files or []
             if f.name.upper().startswith(("LICENSE", "COPYING")) and "dist-info" in str(f.parent) + str(f)]
    if not files:
        pytest.skip(f"{dist} ships no license file")
    found = {k for f in files for k in license_keys(detect_text(Path(f.locate()).read_text(errors="replace")))}
    assert spdx in found


# --- package metadata ----------------------------------------------------------------

def test_cargo_dual_license_is_an_or():
    assert detect_metadata("Cargo.toml", '[package]\nname = "x"\nlicense = "MIT OR Apache-2.0"\n') == "MIT OR Apache-2.0"


def test_cargo_slash_license_reads_as_or():
    assert detect_metadata("Cargo.toml", '[package]\nlicense = "MIT/Apache-2.0"\n') == "MIT OR Apache-2.0"


def test_package_json_license_field():
    assert detect_metadata("package.json", json.dumps({"name": "x", "license": "(MIT OR GPL-3.0-or-later)"})) \
        == "MIT OR GPL-3.0-or-later"


def test_package_json_legacy_licenses_array():
    assert detect_metadata("package.json", json.dumps({"licenses": [{"type": "MIT"}, {"type": "Apache-2.0"}]})) \
        == "Apache-2.0 OR MIT"


def test_pyproject_classifier_when_no_license_field():
    text = '[project]\nname = "x"\nclassifiers = ["License :: OSI Approved :: GNU General Public License v3 (GPLv3)"]\n'
    assert detect_metadata("pyproject.toml", text) == "GPL-3.0-only"


def test_pyproject_license_table_text():
    assert detect_metadata("pyproject.toml", '[project]\nlicense = {text = "BSD-3-Clause"}\n') == "BSD-3-Clause"


def test_pkg_info_license_expression_wins_over_classifiers():
    text = "Metadata-Version: 2.4\nName: x\nLicense-Expression: Apache-2.0 OR BSD-2-Clause\n" \
           "Classifier: License :: OSI Approved :: MIT License\n\nbody"
    assert detect_metadata("PKG-INFO", text) == "Apache-2.0 OR BSD-2-Clause"


def test_setup_py_license_keyword():
    assert detect_metadata("setup.py", "setup(name='x', license='MIT License')\n") == "MIT"


def test_setup_cfg_metadata_license():
    assert detect_metadata("setup.cfg", "[metadata]\nname = x\nlicense = Apache Software License\n") == "Apache-2.0"


def test_composer_license_array_is_a_choice():
    assert detect_metadata("composer.json", json.dumps({"license": ["LGPL-2.1-only", "GPL-3.0-or-later"]})) \
        == "GPL-3.0-or-later OR LGPL-2.1-only"


def test_gemspec_pom_nuspec_and_r_description():
    assert detect_metadata("x.gemspec", "Gem::Specification.new do |s|\n  s.license = 'MIT'\nend\n") == "MIT"
    pom = "<project><licenses><license><name>The Apache Software License, Version 2.0</name></license></licenses></project>"
    assert detect_metadata("pom.xml", pom) == "Apache-2.0"
    assert detect_metadata("x.nuspec", '<package><metadata><license type="expression">MIT</license></metadata></package>') == "MIT"
    assert detect_metadata("DESCRIPTION", "Package: x\nLicense: GPL (>= 2)\n") == "GPL-2.0-or-later"


def test_unknown_license_name_becomes_a_licenseref():
    assert expression_from_declared("Acme Corp Source License") == "LicenseRef-Acme-Corp-Source-License"


# --- debian/copyright, README, headers --------------------------------------------

DEP5 = """Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: demo

Files: *
Copyright: 2020 Upstream
License: GPL-2+

Files: src/compat/*
Copyright: 2019 Someone
License: Expat

Files: doc/*
Copyright: 2020 Upstream
License: GFDL-1.3 or CC-BY-4.0

Files: debian/*
Copyright: 2021 Packager
License: Apache-2.0

License: GPL-2+
 On Debian systems, see /usr/share/common-licenses/GPL-2.
"""


def test_debian_copyright_with_several_licenses_is_their_conjunction_without_the_packaging():
    assert detect_debian_copyright(DEP5) == "(CC-BY-4.0 OR GFDL-1.3-only) AND GPL-2.0-or-later AND MIT"


def test_readme_license_section_names_the_license():
    readme = "# tool\n\nDoes things.\n\n## License\n\nReleased under the [MIT](LICENSE) license.\n\n## Thanks\n\nGPL people\n"
    assert detect_readme(readme) == "MIT"


def test_readme_dual_license_section_is_an_or():
    readme = "# x\n\n## License\n\nLicensed under either of Apache-2.0 or MIT at your option.\n"
    assert detect_readme(readme) == "Apache-2.0 OR MIT"


def test_readme_without_license_section_says_nothing():
    assert detect_readme("# x\n\nThis uses the MIT license of a dependency.\n") == ""


def test_spdx_header_in_a_c_comment():
    assert spdx_header("/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */\nint x;\n") == "GPL-2.0-only OR BSD-2-Clause"
    assert spdx_header("# SPDX-License-Identifier: MIT\nx = 1\n") == "MIT"
    assert spdx_header("x = 1\n") is None


# --- the repository's expression ----------------------------------------------------

def aux(files: dict[str, str]) -> list[dict]:
    return [{"path": p, "text": t} for p, t in files.items()]


def test_rust_crate_with_two_license_files_keeps_the_manifest_or():
    detection = detect_repository(aux({
        "Cargo.toml": '[package]\nname = "x"\nlicense = "MIT OR Apache-2.0"\n',
        "LICENSE-MIT": MIT_TEXT, "LICENSE-APACHE": APACHE_NOTICE,
    }))
    assert detection == Detection("MIT OR Apache-2.0", ("Cargo.toml", "LICENSE-APACHE", "LICENSE-MIT"))


def test_license_files_without_metadata_are_anded():
    assert detect_repository(aux({"LICENSE": MIT_TEXT, "COPYING.BSD": BSD_3})).expression == "BSD-3-Clause AND MIT"


def test_vague_metadata_name_takes_the_license_file_exact_variant():
    detection = detect_repository(aux({"setup.py": "setup(license='BSD')", "LICENSE": BSD_2}))
    assert detection.expression == "BSD-2-Clause"


def test_license_text_not_named_by_the_metadata_is_added():
    detection = detect_repository(aux({"package.json": '{"license": "MIT"}', "LICENSE": MIT_TEXT + "\n" + BSD_3}))
    assert detection.expression == "BSD-3-Clause AND MIT"


def test_spdx_headers_count_and_name_their_first_file():
    files = [{"path": "b.c", "content": "// SPDX-License-Identifier: MIT\n"},
             {"path": "a.c", "content": "// SPDX-License-Identifier: MIT\n"}]
    assert detect_repository([], files) == Detection("MIT", ("a.c:header",))


def test_nested_license_files_of_vendored_code_are_not_the_repository_license():
    assert detect_repository(aux({"third_party/x/LICENSE": MIT_TEXT})).expression == ""


def test_repository_with_nothing_has_no_license():
    assert detect_repository(aux({"README.md": "# x\n"})) == Detection("", ())


# --- the filter ---------------------------------------------------------------------

def test_dual_license_is_permitted_when_one_branch_is():
    assert is_permitted("MIT OR GPL-3.0-or-later", PERMISSIVE_LICENSES)
    assert not is_permitted("MIT AND GPL-3.0-or-later", PERMISSIVE_LICENSES)


def test_license_with_exception_is_judged_by_its_license():
    assert is_permitted("Apache-2.0 WITH LLVM-exception", PERMISSIVE_LICENSES)
    assert not is_permitted("GPL-2.0-only WITH Classpath-exception-2.0", PERMISSIVE_LICENSES)


def test_declared_license_wins_over_the_detected_one():
    verdict = decide("Apache-2.0", Detection("GPL-3.0-only", ("COPYING",)), LicensesConfig(mode="permissive"))
    assert (verdict.license, verdict.detected, verdict.reason) == ("Apache-2.0", "GPL-3.0-only", None)


def test_permissive_mode_rejects_gpl_with_the_expression_as_detail():
    files = [{"repo_name": "r", "path": p, "size": 3, "license": ""} for p in ("a.py", "b.py")]
    kept, rejects = apply_licenses(files, aux({"COPYING": GPL3_NOTICE}), LicensesConfig(mode="permissive"))
    assert kept == [] and [(r["path"], r["stage"], r["reason"], r["detail"]) for r in rejects] == [
        ("a.py", "licenses", NOT_PERMITTED_REASON, "GPL-3.0-or-later"),
        ("b.py", "licenses", NOT_PERMITTED_REASON, "GPL-3.0-or-later")]


def test_mode_all_keeps_and_stamps_every_file():
    files = [{"repo_name": "r", "path": "a.py", "size": 3, "license": ""}]
    kept, rejects = apply_licenses(files, aux({"COPYING": GPL3_NOTICE}), LicensesConfig())
    assert rejects == [] and (kept[0]["license"], kept[0]["license_detected"], kept[0]["license_files"]) == (
        "GPL-3.0-or-later", "GPL-3.0-or-later", ["COPYING"])


def test_disabled_stage_keeps_the_declared_license_only():
    files = [{"repo_name": "r", "path": "a.py", "size": 3, "license": "MIT"}]
    kept, _ = apply_licenses(files, aux({"COPYING": GPL3_NOTICE}), LicensesConfig(enabled=False))
    assert (kept[0]["license"], kept[0]["license_detected"]) == ("MIT", "")


def test_config_mode_must_be_all_or_permissive():
    with pytest.raises(ConfigError, match=r"licenses: mode: 'strict' is not one of all, permissive"):
        config_from_dict({"licenses": {"mode": "strict"}})


def test_config_names_allowed_values_that_are_not_spdx_ids():
    with pytest.raises(ConfigError, match=r"allowed: not SPDX license ids: 'MIT License'"):
        config_from_dict({"licenses": {"allowed": ["MIT", "MIT License"]}})


# --- end to end ---------------------------------------------------------------------

PY = 'def area(width: float, height: float) -> float:\n    """Area of a rectangle."""\n    return width * height\n'


@pytest.fixture
def licensed_repos(tmp_path, make_repo):
    root = tmp_path / "repos"
    make_repo("mit-lib", {"LICENSE": MIT_TEXT, "lib/geometry.py": PY, "lib/more.py": PY.replace("area", "surface")}, parent=root)
    make_repo("crate", {"Cargo.toml": '[package]\nname = "crate"\nlicense = "MIT OR Apache-2.0"\n',
                        "LICENSE-MIT": MIT_TEXT, "LICENSE-APACHE": APACHE_NOTICE,
                        "src/lib.rs": "pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n"}, parent=root)
    make_repo("gpl-tool", {"COPYING": gpl3_text(), "README.md": "# gpl tool\n",
                           "tool/main.py": PY.replace("area", "volume"), "tool/util.py": PY.replace("area", "perimeter")},
              parent=root)
    make_repo("nolicense", {"app/run.py": PY.replace("area", "ratio"), "README.md": "# no license here\n"}, parent=root)
    return root


def run(inputs, out: Path, *extra: str) -> None:
    assert main(["run", "--input", *inputs, "--output", str(out), *extra]) == 0


def test_permissive_mode_removes_gpl_and_unlicensed_repositories_whole(licensed_repos, tmp_path):
    config = tmp_path / "permissive.yaml"
    config.write_text("licenses:\n  mode: permissive\n")
    out = tmp_path / "out"
    run([str(licensed_repos)], out, "--config", str(config))
    rejects = [r for r in pq.read_table(out / "rejects").to_pylist() if r["stage"] == "licenses"]
    by_repo = {}
    for r in rejects:
        by_repo.setdefault(r["repo_name"], set()).add((r["reason"], r["detail"]))
    assert by_repo == {"gpl-tool": {(NOT_PERMITTED_REASON, "GPL-3.0-only")},
                       "nolicense": {(NONE_REASON, "no license text, package metadata or SPDX header found")}}
    assert sorted(r["path"] for r in rejects if r["repo_name"] == "gpl-tool") == ["README.md", "tool/main.py", "tool/util.py"]
    kept = {r["repo_name"] for r in pq.read_table(out / "files").to_pylist()}
    assert kept == {"mit-lib", "crate"}
    ledger = json.loads((out / "ledger.json").read_text())
    stage = next(s for s in ledger["stages"] if s["stage"] == "licenses")
    assert stage["files_in"] == stage["files_kept"] + stage["files_rejected"] and stage["files_rejected"] == 5


def test_run_records_declared_and_detected_licenses_in_files_samples_and_ledger(licensed_repos, tmp_path):
    out = tmp_path / "out"
    run([str(licensed_repos)], out)
    files = {r["repo_name"]: r for r in pq.read_table(out / "files").to_pylist()}
    assert (files["crate"]["license"], files["crate"]["license_files"]) == (
        "MIT OR Apache-2.0", ["Cargo.toml", "LICENSE-APACHE", "LICENSE-MIT"])
    assert files["gpl-tool"]["license_detected"] == "GPL-3.0-only" and files["nolicense"]["license"] == ""
    samples = {s["repo_name"]: s for s in pq.read_table(out / "samples").to_pylist()}
    assert (samples["mit-lib"]["license"], samples["mit-lib"]["license_detected"], samples["mit-lib"]["license_files"]) \
        == ("MIT", "MIT", ["LICENSE"])
    breakdown = json.loads((out / "ledger.json").read_text())["breakdowns"]["licenses"]
    assert set(breakdown["detected"]) == {"MIT", "MIT OR Apache-2.0", "GPL-3.0-only", "none"}
    assert breakdown["detected"]["GPL-3.0-only"]["files"] == 3


def test_manifest_license_is_declared_and_wins(licensed_repos, tmp_path):
    manifest = tmp_path / "repos.jsonl"
    manifest.write_text(json.dumps({"path": str(licensed_repos / "gpl-tool"), "name": "relicensed", "license": "MIT"}) + "\n")
    out = tmp_path / "out"
    config = tmp_path / "permissive.yaml"
    config.write_text("licenses:\n  mode: permissive\n")
    run([str(manifest)], out, "--config", str(config))
    files = pq.read_table(out / "files").to_pylist()
    assert {(r["license"], r["license_detected"]) for r in files} == {("MIT", "GPL-3.0-only")}


def test_short_dual_license_notice_is_an_or():
    notice = ("Licensed under the Apache License, Version 2.0 <LICENSE-APACHE> or the MIT license\n"
              "<LICENSE-MIT>, at your option. This file may not be copied except according to those terms.\n")
    assert detect_text(notice) == "Apache-2.0 OR MIT"


def test_asf_source_header_is_apache_2():
    header = ("Licensed to the Apache Software Foundation (ASF) under one or more contributor license agreements.\n"
              "The ASF licenses this file to You under the Apache License, Version 2.0 (the \"License\").")
    assert detect_text(header) == "Apache-2.0"


def test_flit_metadata_classifier():
    text = '[tool.flit.metadata]\nmodule = "x"\nclassifiers = ["License :: OSI Approved :: ISC License (ISCL)"]\n'
    assert detect_metadata("pyproject.toml", text) == "ISC"


def test_debian_gfdl_names_map_to_spdx():
    from filters.licenses import debian_name
    assert debian_name("GFDL-NIV-1.3+") == "GFDL-1.3-no-invariants-or-later"
    assert debian_name("GFDL-1.3") == "GFDL-1.3-only"


def test_declared_license_names_are_written_as_spdx():
    verdict = decide("mit,apache-2.0", Detection("", ()), LicensesConfig())
    assert verdict.license == "Apache-2.0 AND MIT"


def test_stack_parquet_rows_bring_their_license_file(tmp_path):
    from pipeline.config import CrawlConfig
    from pipeline.sources.crawl import AUX, stack_row_to_record
    row = {"repo_name": "org/x", "path": "LICENSE", "content": MIT_TEXT}
    tagged = list(stack_row_to_record(row, CrawlConfig()))
    aux_records = [record for tag, record in tagged if tag == AUX]
    assert detect_repository(aux_records).expression == "MIT"


def test_license_names_inside_urls_are_ignored():
    readme = "Title\n=====\n\nLicense\n=======\n\nBSD 3-Clause.\n\n.. _key: https://pgp.mit.edu/pks/lookup\n"
    assert detect_readme(readme) == "BSD-3-Clause"


def test_spdx_header_with_a_compound_expression():
    assert spdx_header("# SPDX-License-Identifier: (MIT OR Apache-2.0) AND BSD-3-Clause\n") \
        == "(MIT OR Apache-2.0) AND BSD-3-Clause"
    assert spdx_header('<!-- SPDX-License-Identifier: MPL-2.0 -->\n') == "MPL-2.0"
