"""Exact dedup: one survivor per content hash, by rank; no repository torn apart."""
from __future__ import annotations

import pytest

from dedup.exact import ExactDedupConfig, drop_copies, file_rank, losers_of, split_exact_duplicates


def rec(repo, path, license_="", stars=0, size=10):
    return {"repo_name": repo, "path": path, "license": license_, "stars": stars, "size": size}


def test_permissive_license_then_stars_then_id_decide_the_survivor():
    files = [rec("gpl", "a.py", "GPL-3.0", 100), rec("b", "a.py", "MIT", 1), rec("a", "a.py", "MIT", 1)]
    ranked = [(file_rank(r), f"{r['repo_name']}/{r['path']}") for r in files]
    assert losers_of(ranked) == [("b/a.py", "a/a.py"), ("gpl/a.py", "a/a.py")]


def test_losers_do_not_depend_on_input_order():
    files = [rec("x", "f.py"), rec("y", "f.py", stars=5), rec("z", "f.py")]
    ranked = [(file_rank(r), f"{r['repo_name']}/{r['path']}") for r in files]
    assert losers_of(ranked) == losers_of(list(reversed(ranked)))


def test_split_agrees_with_losers():
    files = [rec("x", "f.py"), rec("y", "f.py", stars=5)]
    survivor, rejects = split_exact_duplicates(files)
    assert survivor["repo_name"] == "y" and [r["detail"] for r in rejects] == ["survivor=y/f.py"]


def test_the_copy_in_the_smaller_repository_survives():
    ranked = [(file_rank(rec("big", "vendor.js"), 40), "big/vendor.js"), (file_rank(rec("small", "lib.js"), 3), "small/lib.js")]
    assert losers_of(ranked) == [("big/vendor.js", "small/lib.js")]


def repo_files(repo: str, n: int) -> list[dict]:
    return [rec(repo, f"f{i}.py") for i in range(n)]


def test_vendored_copies_within_the_share_are_dropped():
    files = repo_files("host", 10)
    copies = {"host/f0.py": "lib/f0.py", "host/f1.py": "lib/f1.py"}
    kept, rejects = drop_copies(files, copies, max_repo_share=0.2)
    assert [r["path"] for r in kept] == [f"f{i}.py" for i in range(2, 10)]
    assert [(r["path"], r["reason"], r["detail"]) for r in rejects] == [
        ("f0.py", "exact_duplicate", "survivor=lib/f0.py"), ("f1.py", "exact_duplicate", "survivor=lib/f1.py")]


def test_a_repository_sharing_more_than_the_share_keeps_every_file():
    files = repo_files("fork", 10)
    copies = {f"fork/f{i}.py": f"base/f{i}.py" for i in range(3)}  # 30 % of its files: a fork, not vendoring
    kept, rejects = drop_copies(files, copies, max_repo_share=0.2)
    assert kept == files and rejects == []


def test_share_one_removes_every_copy():
    files = repo_files("fork", 4)
    kept, rejects = drop_copies(files, {f"fork/f{i}.py": "x" for i in range(4)}, max_repo_share=1.0)
    assert kept == [] and len(rejects) == 4


def test_share_must_be_a_fraction():
    with pytest.raises(ValueError, match="max_repo_share"):
        ExactDedupConfig(max_repo_share=1.5)


@pytest.mark.parametrize("expression, permissive", [
    ("MIT", True), ("Apache-2.0 OR MIT", True), ("MIT OR GPL-3.0-only", True),
    ("GPL-3.0-only", False), ("MIT AND GPL-3.0-only", False), ("MPL-2.0", False), ("", False),
])
def test_the_rank_reads_permissive_as_the_licenses_stage_does(expression, permissive):
    from dedup.rank import is_permissive
    from filters.licenses import PERMISSIVE_LICENSES, is_permitted

    assert is_permissive(expression) is permissive
    assert is_permitted(expression, PERMISSIVE_LICENSES) is permissive
