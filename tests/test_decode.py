from __future__ import annotations

from contract.records import RawEntry
from pipeline.sources.decode import RepoInfo, decode_entry

REPO = RepoInfo("acme", "folder:/x", "MIT", 5, {"topic": "demo"})


def decode(path: str, data: bytes, **kw):
    return decode_entry(REPO, RawEntry(path, data), **kw)


def test_utf8_source_becomes_a_file_record():
    record, reject = decode("pkg/a.py", b"import os\nprint(os.sep)\n")
    assert reject is None
    assert record["language"] == "python"
    assert record["size"] == 24 and len(record["sha256"]) == 64
    assert record["license"] == "MIT" and record["stars"] == 5
    assert '"topic": "demo"' in record["repo_meta"]


def test_nul_byte_is_rejected_as_binary():
    record, reject = decode("a.c", b"int x;\x00\x01")
    assert record is None and reject["reason"] == "binary:nul" and reject["stage"] == "crawl"


def test_latin1_text_is_decoded_by_the_charset_fallback():
    text = "# Café au lait, crème brûlée, déjà vu — naïve façade\nprint('ok')\n" * 3
    record, reject = decode("a.py", text.replace("—", "-").encode("latin-1"))
    assert reject is None and "Café" in record["content"]


def test_unknown_extension_is_rejected_as_unlisted_language():
    record, reject = decode("pom.xml", b"<project></project>\n")
    assert record is None and reject["reason"] == "language:unlisted"


def test_unlisted_language_can_be_kept_by_configuration():
    record, reject = decode("pom.xml", b"<project></project>\n", keep_unlisted_languages=True)
    assert reject is None and record["language"] == "unknown"


def test_control_characters_mark_text_as_binary():
    record, reject = decode("a.py", b"\x01\x02\x03\x04abc" * 50)
    assert record is None and reject["reason"] == "binary:control_chars"


def test_unreadable_entry_keeps_its_reason_and_size():
    record, reject = decode_entry(REPO, RawEntry("big.py", None, "oversize", "2000000 bytes", 2_000_000))
    assert record is None
    assert (reject["reason"], reject["size"], reject["detail"]) == ("oversize", 2_000_000, "2000000 bytes")


def test_language_hint_names_a_file_whose_path_says_nothing():
    record, reject = decode_entry(REPO, RawEntry("scripts/build", b"echo hi\n"), language_hint="shell")
    assert reject is None and record["language"] == "shell"


def test_control_fraction_counts_only_non_whitespace_control_characters():
    from pipeline.sources.decode import control_fraction

    assert control_fraction("a\tb\nc\r\x0c") == 0.0
    assert control_fraction("ab\x01\x7f") == 0.5
    assert control_fraction("") == 0.0


def test_control_fraction_is_the_same_on_ascii_and_unicode_text():
    from pipeline.sources.decode import _CONTROL, control_fraction

    for text in ("x = 1\x01\x02\n", "é\x01ab", "ü" * 10 + "\x1b[0m" + "\u2028\x7f", "plain ascii"):
        expected = sum(ord(c) in _CONTROL for c in text) / len(text)
        assert control_fraction(text) == expected, repr(text)
