"""Repo-level sample assembly: header comments, order, size caps and ids."""
from __future__ import annotations

import hashlib

from parsers.graph import build_graph
from parsers.model import Edge
from parsers.samples import FileInfo, assemble_samples, file_level_components


def hash_comment(language: str, path: str) -> str:
    return f"# {path}"


def py(content: str) -> FileInfo:
    return FileInfo("Python", content, len(content.encode("utf-8")))


def assemble(components, files, cap=10_000, **kwargs):
    return assemble_samples("acme/tool", components, files, cap, hash_comment, **kwargs)


def test_each_file_is_headed_by_its_path_comment_and_files_are_separated_by_a_blank_line():
    samples, _ = assemble([["b.py", "a.py"]], {"a.py": py("A = 1\n"), "b.py": py("B = 2\n")})
    assert samples[0]["text"] == "# b.py\nB = 2\n\n# a.py\nA = 1\n"


def test_content_without_a_final_newline_gets_one():
    samples, _ = assemble([["a.py", "b.py"]], {"a.py": py("A = 1"), "b.py": py("B = 2")})
    assert samples[0]["text"] == "# a.py\nA = 1\n\n# b.py\nB = 2\n"


def test_the_comment_function_gets_each_files_language_and_path():
    files = {"Main.java": FileInfo("Java", "class Main {}\n", 14), "run.py": py("run()\n")}
    seen = []
    assemble_samples("acme/tool", [["Main.java", "run.py"]], files, 10_000,
                     lambda language, path: seen.append((language, path)) or "//")
    assert seen == [("Java", "Main.java"), ("Python", "run.py")]


def test_each_component_is_one_sample_with_paths_in_the_given_order():
    files = {p: py(f"{p[0]} = 1\n") for p in ("a.py", "b.py", "c.py")}
    samples, splits = assemble([["c.py", "a.py"], ["b.py"]], files)
    assert [s["paths"] for s in samples] == [["c.py", "a.py"], ["b.py"]]
    assert [s["languages"] for s in samples] == [["Python", "Python"], ["Python"]]
    assert [(s["part"], s["n_parts"], s["n_files"]) for s in samples] == [(0, 1, 2), (0, 1, 1)]
    assert splits == []


def test_n_bytes_counts_utf8_bytes_of_the_text():
    samples, _ = assemble([["a.py"]], {"a.py": py("s = 'héllo'\n")})
    assert samples[0]["n_bytes"] == len(samples[0]["text"].encode("utf-8")) == 20


def test_component_over_the_cap_is_split_in_order_into_parts_within_the_cap():
    files = {f"m{i}.py": py("x" * 20 + "\n") for i in range(5)}    # 29 bytes per file
    order = [f"m{i}.py" for i in (3, 1, 4, 0, 2)]
    samples, splits = assemble([order], files, cap=60)           # two files: 29 + 1 + 29
    assert [s["paths"] for s in samples] == [order[0:2], order[2:4], order[4:5]]
    assert all(s["n_bytes"] <= 60 for s in samples)
    assert [(s["part"], s["n_parts"]) for s in samples] == [(0, 3), (1, 3), (2, 3)]
    assert splits == [{"repo_name": "acme/tool", "sample_id": samples[0]["sample_id"],
                       "parts": 3, "n_bytes": 5 * 29 + 4}]


def test_single_file_over_the_cap_is_a_sample_of_its_own():
    files = {"small.py": py("s = 1\n"), "big.py": py("b" * 100 + "\n"), "tail.py": py("t = 1\n")}
    samples, splits = assemble([["small.py", "big.py", "tail.py"]], files, cap=50)
    assert [s["paths"] for s in samples] == [["small.py"], ["big.py"], ["tail.py"]]
    assert samples[1]["n_bytes"] > 50
    assert splits[0]["parts"] == 3


def test_sample_id_is_sha1_of_repo_first_path_and_part():
    files = {f"m{i}.py": py("x" * 20 + "\n") for i in range(2)}
    samples, _ = assemble([["m1.py", "m0.py"]], files, cap=40)
    expected = [hashlib.sha1(f"acme/tool\0m1.py\0{part}".encode()).hexdigest()[:16]
                for part in (0, 1)]
    assert [s["sample_id"] for s in samples] == expected


def test_sample_ids_are_stable_across_calls():
    files = {"a.py": py("a\n"), "b.py": py("b\n")}
    first, _ = assemble([["a.py"], ["b.py"]], files)
    again, _ = assemble([["a.py"], ["b.py"]], dict(reversed(list(files.items()))))
    assert [s["sample_id"] for s in first] == [s["sample_id"] for s in again]
    assert len({s["sample_id"] for s in first}) == 2


def test_order_satisfied_and_ordering_name_are_recorded_per_component():
    files = {p: py("pass\n") for p in ("a.py", "b.py", "c.py")}
    graph = build_graph(sorted(files), [Edge("a.py", "b.py", "Python", "import b")])
    samples, _ = assemble([["a.py", "b.py"], ["c.py"]], files, graph=graph, ordering="paper")
    assert [s["order_satisfied"] for s in samples] == [0.0, 1.0]
    assert {s["ordering"] for s in samples} == {"paper"}


def test_file_level_components_put_each_file_alone_sorted_by_path():
    assert file_level_components(["b.md", "a.txt"]) == [["a.txt"], ["b.md"]]


def test_offsets_point_at_each_files_header_line():
    from parsers.samples import FileInfo, assemble_samples

    files = {"a.py": FileInfo("python", "x = 1\n", 6), "b.py": FileInfo("python", "import a", 8)}
    (sample,), _ = assemble_samples("r", [["a.py", "b.py"]], files, 10_000, lambda lang, p: f"# {p}")
    assert [sample["text"][o:].split("\n", 1)[0] for o in sample["offsets"]] == ["# a.py", "# b.py"]


def _three_file_sample():
    from parsers.samples import FileInfo, assemble_samples

    files = {"a.py": FileInfo("python", "x = 1\n", 6), "b.py": FileInfo("python", "import a", 8),
             "c.py": FileInfo("python", "import b\nprint(b)\n", 18)}
    (sample,), _ = assemble_samples("r", [["a.py", "b.py", "c.py"]], files, 10_000, lambda lang, p: f"# {p}")
    sample["file_sizes"] = [6, 8, 18]
    return sample


def test_split_sample_returns_each_files_header_and_content():
    from parsers.samples import split_sample

    assert split_sample(_three_file_sample()) == [
        ("# a.py", "x = 1\n"), ("# b.py", "import a\n"), ("# c.py", "import b\nprint(b)\n")]


def test_rebuild_without_a_file_equals_assembling_without_it():
    from parsers.samples import FileInfo, assemble_samples, rebuild_sample

    rebuilt = rebuild_sample(_three_file_sample(), [True, False, True])
    files = {"a.py": FileInfo("python", "x = 1\n", 6), "c.py": FileInfo("python", "import b\nprint(b)\n", 18)}
    (expected,), _ = assemble_samples("r", [["a.py", "c.py"]], files, 10_000, lambda lang, p: f"# {p}")
    assert (rebuilt["text"], rebuilt["offsets"], rebuilt["paths"], rebuilt["file_sizes"], rebuilt["n_files"]) == (
        expected["text"], expected["offsets"], expected["paths"], [6, 18], 2)


def test_rebuild_with_new_contents_replaces_only_those_files():
    from parsers.samples import rebuild_sample, split_sample

    rebuilt = rebuild_sample(_three_file_sample(), [True, True, True], ["x = 2\n", "import a\n", "pass\n"])
    assert [c for _, c in split_sample(rebuilt)] == ["x = 2\n", "import a\n", "pass\n"]
