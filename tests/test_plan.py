from __future__ import annotations

import json
import tarfile

import pytest

from pipeline.sources.plan import InputError, looks_like_git_url, plan_sources, read_manifest


def test_folder_of_repositories_gives_one_task_per_subfolder(make_repo, tmp_path):
    make_repo("alpha", {"a.py": "x = 1\n"}, parent=tmp_path / "corpus")
    make_repo("beta", {"b.py": "y = 2\n"}, parent=tmp_path / "corpus")
    plan = plan_sources([str(tmp_path / "corpus")])
    assert [(t.kind, t.name) for t in plan.repos] == [("folder", "alpha"), ("folder", "beta")]


def test_single_repository_folder_is_one_task(make_repo):
    repo = make_repo("solo", {"main.go": "package main\n", "lib/x.go": "package lib\n"})
    plan = plan_sources([str(repo)])
    assert [(t.kind, t.name) for t in plan.repos] == [("folder", "solo")]


def test_jsonl_manifest_keeps_metadata_and_resolves_relative_paths(make_repo, tmp_path):
    make_repo("gamma", {"g.py": "pass\n"})
    manifest = tmp_path / "repos.jsonl"
    manifest.write_text(
        json.dumps({"path": "gamma", "name": "acme/gamma", "stars": 12, "license": "MIT", "topic": "ml"}) + "\n"
        + json.dumps({"url": "https://github.com/acme/delta.git", "stars": "3"}) + "\n"
        + "{not json\n"
    )
    tasks = read_manifest(str(manifest))
    assert (tasks[0].kind, tasks[0].name, tasks[0].stars, tasks[0].license) == ("folder", "acme/gamma", 12, "MIT")
    assert tasks[0].location == str(tmp_path / "gamma") and tasks[0].meta == {"topic": "ml"}
    assert (tasks[1].kind, tasks[1].name, tasks[1].stars) == ("git", "delta", 3)
    assert tasks[2].kind == "invalid" and "invalid JSON" in tasks[2].error


def test_csv_manifest_rows_without_location_become_invalid_tasks(tmp_path):
    manifest = tmp_path / "repos.csv"
    manifest.write_text("url,name,stars\n,nameless,1\nfile:///srv/x.git,x,2\n")
    tasks = read_manifest(str(manifest))
    assert [t.kind for t in tasks] == ["invalid", "git"]
    assert tasks[0].error == "row has no url or path"


def test_archive_input_is_named_after_the_file(tmp_path):
    src = tmp_path / "pkg-1.0"
    src.mkdir()
    (src / "m.py").write_text("pass\n")
    archive = tmp_path / "pkg-1.0.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(src, arcname="pkg-1.0")
    plan = plan_sources([str(archive)])
    assert [(t.kind, t.name) for t in plan.repos] == [("archive", "pkg-1.0")]


def test_duplicate_repository_names_are_made_unique(make_repo, tmp_path):
    a = make_repo("same", {"a.py": "pass\n"}, parent=tmp_path / "one")
    b = make_repo("same", {"b.py": "pass\n"}, parent=tmp_path / "two")
    plan = plan_sources([str(a), str(b)])
    assert [t.name for t in plan.repos] == ["same", "same~2"]


def stack_parquet(where, **columns):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table(columns or {"repo_name": ["r"], "path": ["a.py"], "content": ["x = 1\n"]}), where)
    return str(where)


def test_parquet_inputs_are_kept_as_patterns(tmp_path):
    stack_parquet(tmp_path / "a.parquet")
    stack_parquet(tmp_path / "b.parquet")
    pattern = str(tmp_path / "*.parquet")
    assert plan_sources([pattern]).parquet == (pattern,)


def test_parquet_glob_matching_nothing_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no Parquet file matches"):
        plan_sources([str(tmp_path / "*.parquet")])


def test_parquet_without_the_stack_columns_fails_as_a_whole_and_is_left_out(tmp_path):
    wrong = stack_parquet(tmp_path / "wrong.parquet", a=[1], b=["x"])
    plan = plan_sources([wrong])
    assert plan.parquet == () and plan.nothing_to_read
    (failure,) = plan.failed
    assert failure.input == wrong and "repo_name" in failure.reason and "it has: a, b" in failure.reason


def test_parquet_with_text_stars_fails_as_a_whole(tmp_path):
    path = stack_parquet(tmp_path / "s.parquet", repo_name=["r"], path=["a.py"], content=["x"], stars=["lots"])
    assert "stars" in plan_sources([path]).failed[0].reason


def test_empty_folder_fails_as_a_whole(tmp_path):
    (tmp_path / "empty").mkdir()
    plan = plan_sources([str(tmp_path / "empty")])
    assert plan.repos == () and plan.nothing_to_read
    assert "empty folder" in plan.failed[0].line()


def test_corrupt_archive_fails_as_a_whole_in_one_line(tmp_path):
    archive = tmp_path / "broken.tar.gz"
    archive.write_bytes(b"not an archive at all")
    plan = plan_sources([str(archive)])
    assert [t.kind for t in plan.repos] == ["archive"]  # the crawl still records archive:corrupt
    (failure,) = plan.failed
    assert failure.repo_name == "broken" and "corrupt archive" in failure.reason
    assert "\n" not in failure.line()


def test_file_url_to_nothing_fails_as_a_whole(tmp_path):
    plan = plan_sources([f"file://{tmp_path}/nonexistent"])
    assert plan.nothing_to_read and "no such local repository" in plan.failed[0].reason


def test_manifest_without_url_or_path_column_fails_every_row(tmp_path):
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"name": "x", "stars": 3}) + "\n" + json.dumps({"name": "y"}) + "\n")
    plan = plan_sources([str(manifest)])
    assert plan.nothing_to_read
    assert [f.reason for f in plan.failed] == ["row has no url or path"] * 2


def test_manifest_stars_that_are_not_a_number_refuse_the_row(make_repo, tmp_path):
    make_repo("ok", {"a.py": "pass\n"})
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"path": "ok", "stars": "lots"}) + "\n" + json.dumps({"path": "ok", "name": "b", "stars": "7"}) + "\n")
    plan = plan_sources([str(manifest)])
    assert [(t.kind, t.stars) for t in plan.repos] == [("invalid", 0), ("folder", 7)]
    assert plan.repos[0].error == "stars 'lots' is not a whole number"
    assert [f.reason for f in plan.failed] == ["stars 'lots' is not a whole number"] and not plan.nothing_to_read


def test_a_readable_input_is_not_a_failure(make_repo):
    assert plan_sources([str(make_repo("fine", {"a.py": "pass\n"}))]).failed == ()


def test_missing_input_is_an_error_naming_it():
    with pytest.raises(InputError, match="nope/none"):
        plan_sources(["nope/none"])


@pytest.mark.parametrize("text, expected", [
    ("https://github.com/a/b.git", True), ("git@github.com:a/b.git", True),
    ("file:///tmp/x", True), ("ext::sh -c id", True), ("some/folder", False),
])
def test_git_url_shapes(text, expected):
    assert looks_like_git_url(text) is expected
