from __future__ import annotations

import os

import pytest

from pipeline.limits import CrawlLimits
from contract.records import RawEntry
from pipeline.sources.folder import find_repositories, iter_folder

LIMITS = CrawlLimits()


def write(root, rel: str, data: bytes = b"x = 1\n") -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def entries_by_path(root, limits: CrawlLimits = LIMITS) -> dict[str, RawEntry]:
    return {entry.path: entry for entry in iter_folder(str(root), limits)}


def test_regular_files_are_read_as_bytes_with_slash_paths(tmp_path):
    write(tmp_path, "pkg/sub/mod.py", b"print('hi')\n")
    entry = entries_by_path(tmp_path)["pkg/sub/mod.py"]
    assert entry == RawEntry("pkg/sub/mod.py", b"print('hi')\n", None, "", 12)


def test_entries_are_sorted_by_full_path_not_by_directory_walk(tmp_path):
    for rel in ("b.py", "a/z.py", "a.txt", "a/b/c.py"):
        write(tmp_path, rel)
    paths = [entry.path for entry in iter_folder(str(tmp_path), LIMITS)]
    assert paths == ["a.txt", "a/b/c.py", "a/z.py", "b.py"]


def test_git_directories_are_skipped_at_any_depth(tmp_path):
    write(tmp_path, ".git/config", b"[core]\n")
    write(tmp_path, "vendor/lib/.git/HEAD", b"ref: x\n")
    write(tmp_path, "main.py")
    assert list(entries_by_path(tmp_path)) == ["main.py"]


def test_symlink_escaping_the_repository_is_rejected_not_followed(tmp_path):
    repo = tmp_path / "repo"
    write(repo, "main.py")
    write(tmp_path, "secret.txt", b"password")
    os.symlink("../secret.txt", repo / "leak.txt")
    entry = entries_by_path(repo)["leak.txt"]
    assert (entry.data, entry.reason) == (None, "symlink:escapes_repo")
    assert entry.detail == "../secret.txt"


def test_symlink_to_absolute_outside_path_is_rejected(tmp_path):
    write(tmp_path, "main.py")
    os.symlink("/etc/passwd", tmp_path / "passwd")
    assert entries_by_path(tmp_path)["passwd"].reason == "symlink:escapes_repo"


def test_internal_symlink_is_recorded_and_its_target_read_once(tmp_path):
    write(tmp_path, "src/real.py", b"A = 1\n")
    os.symlink("src/real.py", tmp_path / "alias.py")
    entries = entries_by_path(tmp_path)
    alias = entries["alias.py"]
    assert (alias.reason, alias.detail) == ("symlink:internal", "src/real.py")
    assert entries["src/real.py"].data == b"A = 1\n"


def test_symlinked_directory_is_not_walked(tmp_path):
    write(tmp_path, "src/real.py")
    os.symlink("src", tmp_path / "again")
    assert sorted(entries_by_path(tmp_path)) == ["again", "src/real.py"]


def test_broken_symlink_is_rejected(tmp_path):
    write(tmp_path, "main.py")
    os.symlink("missing.py", tmp_path / "dangling.py")
    assert entries_by_path(tmp_path)["dangling.py"].reason == "symlink:broken"


def test_symlink_loop_counts_as_broken(tmp_path):
    write(tmp_path, "main.py")
    os.symlink("loop_b", tmp_path / "loop_a")
    os.symlink("loop_a", tmp_path / "loop_b")
    assert entries_by_path(tmp_path)["loop_a"].reason == "symlink:broken"


def test_file_over_max_bytes_is_oversize_with_its_size_and_no_data(tmp_path):
    write(tmp_path, "big.py", b"x" * 101)
    entry = entries_by_path(tmp_path, CrawlLimits(max_file_bytes=100))["big.py"]
    assert (entry.data, entry.reason, entry.size) == (None, "oversize", 101)


def test_file_of_exactly_max_bytes_is_read(tmp_path):
    write(tmp_path, "edge.py", b"x" * 100)
    assert entries_by_path(tmp_path, CrawlLimits(max_file_bytes=100))["edge.py"].data == b"x" * 100


def test_fifo_is_not_a_regular_file_and_is_not_opened(tmp_path):
    write(tmp_path, "main.py")
    os.mkfifo(tmp_path / "pipe")
    entry = entries_by_path(tmp_path)["pipe"]
    assert (entry.reason, entry.detail) == ("not_regular_file", "fifo")


def test_undecodable_file_name_is_rejected_with_an_escaped_path(tmp_path):
    write(tmp_path, "main.py")
    os.close(os.open(os.fsencode(tmp_path) + b"/bad\xff.py", os.O_CREAT | os.O_WRONLY))
    entries = entries_by_path(tmp_path)
    assert entries["bad\\udcff.py"].reason == "bad_name"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_is_a_reject_with_the_error(tmp_path):
    write(tmp_path, "locked.py")
    (tmp_path / "locked.py").chmod(0)
    entry = entries_by_path(tmp_path)["locked.py"]
    assert entry.reason == "unreadable" and "PermissionError" in entry.detail


def test_missing_repository_folder_is_one_unreadable_entry(tmp_path):
    entries = list(iter_folder(str(tmp_path / "nope"), LIMITS))
    assert [(e.path, e.reason) for e in entries] == [("", "unreadable")]


def test_folder_with_a_file_at_top_is_one_repository_named_by_the_folder(tmp_path):
    repo = tmp_path / "myrepo"
    write(repo, "setup.py")
    write(repo, "pkg/a.py")
    assert find_repositories(str(repo)) == [("myrepo", str(repo))]


def test_folder_with_git_metadata_is_one_repository(tmp_path):
    repo = tmp_path / "myrepo"
    (repo / ".git").mkdir(parents=True)
    write(repo, "src/a.py")
    assert find_repositories(str(repo)) == [("myrepo", str(repo))]


def test_container_folder_lists_sub_folders_sorted_skipping_hidden(tmp_path):
    for name in ("zeta", "alpha", ".cache"):
        write(tmp_path, f"{name}/main.py")
    assert find_repositories(str(tmp_path)) == [
        ("alpha", str(tmp_path / "alpha")), ("zeta", str(tmp_path / "zeta")),
    ]
