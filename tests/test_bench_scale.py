"""The scale and end-to-end benchmarks: corpus sizing, nested subsets, growth fits, profiles."""
from __future__ import annotations

import io
import os
import sys
import tarfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench_end_to_end  # noqa: E402
import bench_scale  # noqa: E402


def repo(name: str, mb: float) -> dict:
    return {"name": name, "path": f"/x/{name}", "bytes": int(mb * bench_scale.MB)}


def test_archive_size_is_the_sum_of_unpacked_regular_members(tmp_path):
    path = tmp_path / "pkg-1.0.tar.gz"
    with tarfile.open(path, "w:gz") as tf:
        for name, data in (("pkg-1.0/a.py", b"x" * 300), ("pkg-1.0/b.py", b"y" * 700)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    assert bench_scale.archive_bytes(str(path)) == 1000


def test_folder_size_skips_git_and_symlinks(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "pack").write_bytes(b"z" * 5000)
    (tmp_path / "a.c").write_bytes(b"x" * 40)
    os.symlink(tmp_path / "a.c", tmp_path / "link.c")
    assert bench_scale.folder_bytes(str(tmp_path)) == 40


def test_repositories_are_named_by_kind_and_entry(tmp_path):
    (tmp_path / "deb" / "zlib").mkdir(parents=True)
    (tmp_path / "deb" / "zlib" / "z.c").write_text("int z;\n")
    with tarfile.open(tmp_path / "deb" / "notes.txt.tar", "w"):
        pass
    (tmp_path / "deb" / "readme.txt").write_text("not a repository")
    names = [r["name"] for r in bench_scale.list_repositories(str(tmp_path))]
    assert names == ["deb-notes.txt", "deb-zlib"]


def test_subsets_are_nested_and_near_their_targets():
    repos = [repo(f"r{i:02d}", mb) for i, mb in enumerate([1, 2, 3, 5, 8, 1, 2, 4, 6, 9, 15, 20, 30])]
    subsets = bench_scale.nested_subsets(repos, [10, 30, 100], seed=0)
    names = [{r["name"] for r in s} for s in subsets]
    assert names[0] <= names[1] <= names[2]
    sizes = [sum(r["bytes"] for r in s) / bench_scale.MB for s in subsets]
    assert 9.5 <= sizes[0] <= 10.5 and 28.5 <= sizes[1] <= 31.5


def test_subsets_depend_on_the_seed_only():
    repos = [repo(f"r{i:02d}", 1 + i % 4) for i in range(40)]
    first = bench_scale.nested_subsets(repos, [10, 30], seed=3)
    again = bench_scale.nested_subsets(list(reversed(repos)), [10, 30], seed=3)
    other = bench_scale.nested_subsets(repos, [10, 30], seed=4)
    assert first == again
    assert first != other


def test_power_fit_reads_linear_and_quadratic_growth():
    xs = [10, 30, 100, 300, 1000]
    assert bench_scale.fit_power(xs, [2 * x for x in xs]) == {"exponent": 1.0, "per_decade": 10.0}
    assert bench_scale.fit_power(xs, [x * x for x in xs])["exponent"] == 2.0


def test_line_fit_separates_fixed_cost_from_cost_per_mb():
    assert bench_scale.fit_line([10, 100, 1000], [25, 70, 520]) == {"fixed": 20.0, "per_mb": 0.5}


def test_tree_rss_counts_this_process():
    total, largest = bench_scale.tree_rss(os.getpid())
    assert total >= largest > 1_000_000


def test_a_run_over_the_memory_limit_is_killed_with_its_children(tmp_path):
    started = time.perf_counter()
    run = bench_scale.run_measured(["bash", "-c", "sleep 30 & wait"], 0.05, str(tmp_path / "log"), max_rss_mb=0.001)
    assert run["rss_limit_hit"] and run["rc"] != 0
    assert time.perf_counter() - started < 10


def test_profile_summary_ranks_own_and_cumulative_samples(tmp_path):
    raw = tmp_path / "profile.raw"
    raw.write_text("main;parse 30\nmain;tokenize 10\nmain;parse;walk 60\n")
    summary = bench_end_to_end.profile_summary(str(raw))
    own = summary.split("own:\n")[1].split("\n\n")[0].splitlines()
    assert own[0].split() == ["60.0%", "walk"]
    assert "100.0%  main" in summary and " 90.0%  parse" in summary


def test_profile_steps_take_the_first_matching_frame(tmp_path):
    raw = tmp_path / "profile.raw"
    raw.write_text("run;_QualityDoFn.process;python_compile_error (filters/syntax.py:76) 3\n"
                   "run;_QualityDoFn.process;check 1\n")
    summary = bench_end_to_end.profile_summary(str(raw))
    steps = summary.split("by step:\n")[1].split("\n\n")[0].splitlines()
    assert steps == [" 75.0%  quality: CPython compile", " 25.0%  quality: readability, syntax"]
