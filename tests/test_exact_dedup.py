"""Exact dedup: one survivor per content hash, by rank."""
from __future__ import annotations

from dedup.exact import file_rank, losers_of, split_exact_duplicates


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
