from __future__ import annotations

import os
import subprocess
import tempfile

import pytest

from pipeline.limits import CrawlLimits
from pipeline.sources.git import (
    clone_repository, git_head_sha, git_repo_name, iter_git, validate_git_url,
)

LIMITS = CrawlLimits()


def git(cwd, *args: str) -> str:
    result = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
                            cwd=cwd, check=True, capture_output=True, text=True)
    return result.stdout.strip()


@pytest.fixture
def source_repo(tmp_path):
    """A committed repository with a nested folder and an internal symlink."""
    repo = tmp_path / "source"
    (repo / "pkg" / "sub").mkdir(parents=True)
    (repo / "main.py").write_text("import pkg\n")
    (repo / "pkg" / "sub" / "util.py").write_text("X = 1\n")
    os.symlink("main.py", repo / "alias.py")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first")
    return repo


def test_file_url_clone_yields_the_committed_files_sorted(source_repo):
    entries = list(iter_git(source_repo.as_uri(), LIMITS))
    assert [(e.path, e.data, e.reason) for e in entries] == [
        ("alias.py", None, "symlink:internal"),
        ("main.py", b"import pkg\n", None),
        ("pkg/sub/util.py", b"X = 1\n", None),
    ]


def test_clone_repository_reports_the_cloned_commit(source_repo, tmp_path):
    sha, reason, _ = clone_repository(source_repo.as_uri(), str(tmp_path / "dest"), LIMITS)
    assert (sha, reason) == (git(source_repo, "rev-parse", "HEAD"), None)


def test_git_head_sha_of_a_folder_that_is_no_repository_is_none(tmp_path):
    assert git_head_sha(str(tmp_path)) is None


def test_ref_selects_the_branch_to_clone(source_repo):
    git(source_repo, "checkout", "-q", "-b", "feature")
    (source_repo / "feature.py").write_text("F = 1\n")
    git(source_repo, "add", ".")
    git(source_repo, "commit", "-q", "-m", "feature")
    git(source_repo, "checkout", "-q", "main")
    paths = {e.path for e in iter_git(source_repo.as_uri(), LIMITS, ref="feature")}
    assert "feature.py" in paths


@pytest.mark.parametrize("url", [
    "ext::sh -c touch% /tmp/pwned", "ext::sh", "fd::17", "-uhello", "http://x/repo.git",
    "", "https://host/repo\n.git", "ftp://host/repo", "/local/path", "ssh://-oProxyCommand=x/r",
    "git@-oProxyCommand=x:r",
])
def test_unsafe_or_unsupported_urls_are_refused(url):
    assert validate_git_url(url) is not None


@pytest.mark.parametrize("url", [
    "https://github.com/psf/requests.git", "ssh://git@github.com/psf/requests.git",
    "git://example.org/repo.git", "file:///srv/repos/x.git", "git@github.com:psf/requests.git",
])
def test_supported_urls_are_allowed(url):
    assert validate_git_url(url) is None


def test_refused_url_is_one_reject_entry_and_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    entries = list(iter_git(f"ext::sh -c touch% {marker}", LIMITS))
    assert [(e.path, e.reason) for e in entries] == [("", "git:url_refused")]
    assert not marker.exists()


@pytest.mark.parametrize("url, name", [
    ("https://github.com/psf/requests.git", "requests"),
    ("git@github.com:psf/flask", "flask"),
    ("file:///srv/repos/tool/.git", "tool"),
    ("https://example.org/group/lib/", "lib"),
])
def test_repo_name_is_the_last_path_component_without_dot_git(url, name):
    assert git_repo_name(url) == name


def test_clone_of_a_missing_repository_is_one_clone_failed_entry(tmp_path):
    entries = list(iter_git((tmp_path / "missing").as_uri(), LIMITS))
    assert [(e.path, e.reason) for e in entries] == [("", "git:clone_failed")]
    assert "does not appear to be a git repository" in entries[0].detail


def test_clone_over_the_size_cap_is_rejected(source_repo):
    entries = list(iter_git(source_repo.as_uri(), CrawlLimits(git_max_bytes=100)))
    assert [(e.path, e.reason) for e in entries] == [("", "git:size_cap")]


def test_clone_over_the_time_limit_is_rejected(source_repo):
    entries = list(iter_git(source_repo.as_uri(), CrawlLimits(git_timeout_s=0)))
    assert [(e.path, e.reason) for e in entries] == [("", "git:timeout")]


def test_hooks_from_a_template_directory_never_run(source_repo, tmp_path, monkeypatch):
    marker = tmp_path / "hook-ran"
    hooks = tmp_path / "template" / "hooks"
    hooks.mkdir(parents=True)
    (hooks / "post-checkout").write_text(f"#!/bin/sh\ntouch {marker}\n")
    (hooks / "post-checkout").chmod(0o755)
    monkeypatch.setenv("GIT_TEMPLATE_DIR", str(tmp_path / "template"))
    plain_clone = ["git", "clone", "-q", source_repo.as_uri(), str(tmp_path / "plain")]
    subprocess.run(plain_clone, check=True)
    assert marker.exists(), "precondition: a plain clone runs the template's hook"
    marker.unlink()
    _, reason, _ = clone_repository(source_repo.as_uri(), str(tmp_path / "hardened"), LIMITS)
    assert reason is None and not marker.exists()


def test_temporary_clone_is_removed_when_the_consumer_stops_early(source_repo, tmp_path,
                                                                  monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    entries = iter_git(source_repo.as_uri(), LIMITS)
    next(entries)
    assert list(scratch.iterdir())
    entries.close()
    assert list(scratch.iterdir()) == []
