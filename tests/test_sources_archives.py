from __future__ import annotations

import io
import random
import stat
import tarfile
import zipfile

from pipeline.limits import CrawlLimits
from contract.records import RawEntry
from pipeline.sources.archives import archive_repo_name, is_archive, iter_archive

LIMITS = CrawlLimits()


def make_tar(path, members, mode: str = "w:gz") -> str:
    """members: (name, bytes) for files, or ready TarInfo objects (links, dirs, devices)."""
    with tarfile.open(path, mode) as archive:
        for member in members:
            if isinstance(member, tarfile.TarInfo):
                archive.addfile(member)
            else:
                name, data = member
                info = tarfile.TarInfo(name)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
    return str(path)


def tar_link(name: str, target: str, kind: bytes = tarfile.SYMTYPE) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info


def make_zip(path, members) -> str:
    """members: (name, bytes) or (ZipInfo, bytes)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return str(path)


def by_path(path: str, limits: CrawlLimits = LIMITS) -> dict[str, RawEntry]:
    return {entry.path: entry for entry in iter_archive(path, limits)}


def test_supported_extensions_are_archives_case_insensitively():
    names = ["a.tar", "a.tar.gz", "a.TGZ", "a.tar.bz2", "a.tbz2", "a.tar.xz", "a.txz", "a.zip"]
    assert all(is_archive(name) for name in names)
    assert not any(is_archive(name) for name in ["a.gz", "a.py", "tar"])


def test_repo_name_is_the_file_name_without_archive_extension():
    assert archive_repo_name("/dl/requests-2.31.0.tar.gz") == "requests-2.31.0"
    assert archive_repo_name("repo-main.zip") == "repo-main"


def test_tar_members_are_read_sorted_by_path(tmp_path):
    path = make_tar(tmp_path / "r.tar.gz", [("b.py", b"B"), ("a/z.py", b"Z"), ("a.txt", b"T")])
    entries = list(iter_archive(path, LIMITS))
    assert entries == [RawEntry("a.txt", b"T", size=1), RawEntry("a/z.py", b"Z", size=1),
                       RawEntry("b.py", b"B", size=1)]


def test_single_top_level_directory_of_an_sdist_is_stripped(tmp_path):
    top = tarfile.TarInfo("pkg-1.0")
    top.type = tarfile.DIRTYPE
    path = make_tar(tmp_path / "pkg-1.0.tar.gz",
                    [top, ("pkg-1.0/setup.py", b"S"), ("pkg-1.0/pkg/__init__.py", b"I")])
    assert list(by_path(path)) == ["pkg/__init__.py", "setup.py"]


def test_top_level_directory_is_kept_when_a_file_sits_beside_it(tmp_path):
    path = make_tar(tmp_path / "r.tar", [("src/a.py", b"A"), ("README", b"R")], "w")
    assert list(by_path(path)) == ["README", "src/a.py"]


def test_dot_slash_prefixed_names_are_normalised(tmp_path):
    path = make_tar(tmp_path / "r.tar", [("./a.py", b"A"), ("./lib/b.py", b"B")], "w")
    assert list(by_path(path)) == ["a.py", "lib/b.py"]


def test_parent_traversal_member_is_rejected(tmp_path):
    path = make_tar(tmp_path / "r.tar.gz", [("ok.py", b"1"), ("../evil.py", b"2")])
    assert by_path(path)["../evil.py"].reason == "archive:path_traversal"


def test_absolute_member_names_are_rejected(tmp_path):
    path = make_zip(tmp_path / "r.zip", [("/etc/x", b"1"), ("C:\\win.ini", b"2"),
                                         ("\\\\server\\share", b"3"), ("ok.py", b"4")])
    reasons = {p: e.reason for p, e in by_path(path).items()}
    assert reasons == {"/etc/x": "archive:absolute_path", "C:\\win.ini": "archive:absolute_path",
                       "\\\\server\\share": "archive:absolute_path", "ok.py": None}


def test_control_character_in_a_name_is_rejected_with_an_escaped_path(tmp_path):
    path = make_tar(tmp_path / "r.tar", [("a\nb.py", b"1")], "w")
    entry = by_path(path)["a\\x0ab.py"]
    assert entry.reason == "archive:bad_name"


def test_symlink_escaping_the_archive_is_rejected(tmp_path):
    leak = tar_link("lib/leak", "../../etc/passwd")
    path = make_tar(tmp_path / "r.tar.gz", [("a.py", b"1"), leak])
    entry = by_path(path)["lib/leak"]
    assert (entry.reason, entry.detail) == ("archive:link_escapes", "../../etc/passwd")


def test_symlink_to_an_absolute_path_escapes(tmp_path):
    path = make_tar(tmp_path / "r.tar", [("a.py", b"1"), tar_link("leak", "/etc/passwd")], "w")
    assert by_path(path)["leak"].reason == "archive:link_escapes"


def test_internal_symlink_is_recorded_with_its_target(tmp_path):
    path = make_tar(tmp_path / "r.tar.gz", [("src/a.py", b"1"), tar_link("alias.py", "src/a.py")])
    entry = by_path(path)["alias.py"]
    assert (entry.data, entry.reason, entry.detail) == (None, "archive:link_internal", "src/a.py")


def test_hardlink_is_never_followed(tmp_path):
    path = make_tar(tmp_path / "r.tar", [("a.py", b"1"), tar_link("b.py", "a.py", tarfile.LNKTYPE),
                                         tar_link("c.py", "../x", tarfile.LNKTYPE)], "w")
    entries = by_path(path)
    assert (entries["b.py"].reason, entries["c.py"].reason) == (
        "archive:link_internal", "archive:link_escapes")


def test_zip_symlink_member_is_recorded_not_read_as_content(tmp_path):
    path = tmp_path / "r.zip"
    link = zipfile.ZipInfo("leak")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(link, "/etc/passwd")
        archive.writestr("a.py", "1")
    entry = by_path(str(path))["leak"]
    assert (entry.reason, entry.detail) == ("archive:link_escapes", "/etc/passwd")


def test_device_and_fifo_members_are_not_regular_files(tmp_path):
    fifo = tarfile.TarInfo("pipe")
    fifo.type = tarfile.FIFOTYPE
    device = tarfile.TarInfo("dev/null")
    device.type = tarfile.CHRTYPE
    path = make_tar(tmp_path / "r.tar", [fifo, device, ("a.py", b"1")], "w")
    entries = by_path(path)
    assert (entries["pipe"].reason, entries["dev/null"].reason) == (
        "archive:not_regular_file", "archive:not_regular_file")


def test_git_metadata_members_are_skipped(tmp_path):
    path = make_tar(tmp_path / "r.tar.gz", [("repo/.git/config", b"[core]"), ("repo/a.py", b"1")])
    assert list(by_path(path)) == ["a.py"]


def test_later_duplicate_member_is_rejected_and_the_first_kept(tmp_path):
    path = make_tar(tmp_path / "r.tar", [("a.py", b"first"), ("a.py", b"second")], "w")
    entries = list(iter_archive(path, LIMITS))
    assert [(e.data, e.reason) for e in entries] == [
        (b"first", None), (None, "archive:duplicate_member")]


def test_oversize_member_is_rejected_with_its_header_size(tmp_path):
    path = make_zip(tmp_path / "r.zip", [("big.bin", b"x" * 101), ("ok.py", b"1")])
    entry = by_path(path, CrawlLimits(max_file_bytes=100))["big.bin"]
    assert (entry.data, entry.reason, entry.size) == (None, "oversize", 101)


def test_member_count_bomb_keeps_the_first_members_then_one_reject(tmp_path):
    path = make_tar(tmp_path / "r.tar", [(f"f{i}.py", b"1") for i in range(5)], "w")
    entries = list(iter_archive(path, CrawlLimits(archive_max_members=3)))
    assert [e.path for e in entries] == ["f0.py", "f1.py", "f2.py", ""]
    assert entries[-1].reason == "archive:too_many_members"


def test_zip_member_count_bomb_says_how_many_were_skipped(tmp_path):
    path = make_zip(tmp_path / "r.zip", [(f"f{i}.py", b"1") for i in range(5)])
    last = list(iter_archive(path, CrawlLimits(archive_max_members=3)))[-1]
    assert (last.path, last.reason, last.detail) == (
        "", "archive:too_many_members", "2 members after the first 3 skipped")


def test_total_size_bomb_stops_reading_with_one_reject(tmp_path):
    path = make_zip(tmp_path / "r.zip", [(f"f{i}.py", b"x" * 40) for i in range(5)])
    entries = list(iter_archive(path, CrawlLimits(archive_max_total_bytes=100)))
    assert [(e.path, e.reason) for e in entries] == [
        ("f0.py", None), ("f1.py", None), ("", "archive:total_size_cap")]


def test_tar_total_size_bomb_stops_reading_with_one_reject(tmp_path):
    path = make_tar(tmp_path / "r.tar.gz", [(f"f{i}.py", b"x" * 40) for i in range(5)])
    entries = list(iter_archive(path, CrawlLimits(archive_max_total_bytes=100)))
    assert [(e.path, e.reason) for e in entries] == [
        ("f0.py", None), ("f1.py", None), ("", "archive:total_size_cap")]


def test_zip_compression_ratio_bomb_is_rejected_without_reading(tmp_path):
    path = make_zip(tmp_path / "r.zip", [("zeros.bin", bytes(2 << 20)), ("a.py", b"1")])
    entry = by_path(path, CrawlLimits(max_file_bytes=4 << 20))["zeros.bin"]
    assert (entry.data, entry.reason, entry.size) == (None, "archive:compression_ratio", 2 << 20)


def test_small_highly_compressible_zip_member_is_not_a_ratio_bomb(tmp_path):
    path = make_zip(tmp_path / "r.zip", [("zeros.bin", bytes(100_000))])
    assert by_path(path)["zeros.bin"].data == bytes(100_000)


def test_garbage_file_is_one_corrupt_entry(tmp_path):
    path = tmp_path / "r.tar.gz"
    path.write_bytes(b"not an archive at all" * 10)
    entries = list(iter_archive(str(path), LIMITS))
    assert [(e.path, e.reason) for e in entries] == [("", "archive:corrupt")]


def test_truncated_tar_gz_keeps_members_read_before_the_damage(tmp_path):
    path = tmp_path / "r.tar.gz"
    make_tar(path, [("a.py", b"A" * 1000), ("b.bin", random.Random(0).randbytes(50_000))])
    path.write_bytes(path.read_bytes()[:-2000])
    entries = list(iter_archive(str(path), LIMITS))
    assert [(e.path, e.reason) for e in entries] == [("a.py", None), ("", "archive:corrupt")]


def test_truncated_zip_is_one_corrupt_entry(tmp_path):
    path = tmp_path / "r.zip"
    make_zip(path, [("a.py", b"1")])
    path.write_bytes(path.read_bytes()[:-10])
    assert [e.reason for e in iter_archive(str(path), LIMITS)] == ["archive:corrupt"]


def test_missing_archive_is_one_corrupt_entry(tmp_path):
    entries = list(iter_archive(str(tmp_path / "none.zip"), LIMITS))
    assert [(e.path, e.reason) for e in entries] == [("", "archive:corrupt")]


def test_zip_member_failing_its_crc_is_an_unreadable_member(tmp_path):
    path = tmp_path / "r.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("a.py", b"hello world")
        archive.writestr("b.py", b"fine")
    path.write_bytes(path.read_bytes().replace(b"hello world", b"HELLO WORLD"))
    entries = by_path(str(path))
    assert (entries["a.py"].reason, entries["b.py"].data) == ("archive:unreadable_member", b"fine")
