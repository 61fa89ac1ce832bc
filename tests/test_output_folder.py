"""The output folder: a run never deletes what it did not write (issue 15, item 1)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.outdir import MARKER, OutputError, prepare_output


def earlier_run(out: Path) -> Path:
    """A folder as a finished run leaves it (the files that matter here)."""
    for rel in (MARKER, "_SUCCESS", "ledger.json", "config.yaml", "report.html", "files/part-00000-of-00001.parquet",
                "_stats/counts.json", "shards/shard-00000-of-00001.bin", "shards/tokenizer.json",
                "report/stages_files.png", "samples/.tmp-part-00000-of-00002.parquet"):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(b"old")
    return out


def test_a_new_folder_is_created_and_marked_as_the_tools(tmp_path):
    prepare_output(str(tmp_path / "new"))
    assert json.loads((tmp_path / "new" / MARKER).read_text())["tool"] == "repocurate"


def test_a_non_empty_folder_that_is_not_a_run_is_refused_and_left_untouched(tmp_path):
    (tmp_path / "out" / "files").mkdir(parents=True)
    (tmp_path / "out" / "files" / "mydata.csv").write_text("a,b\n")
    with pytest.raises(OutputError, match="not empty and holds no earlier repocurate run"):
        prepare_output(str(tmp_path / "out"), overwrite=True)
    assert (tmp_path / "out" / "files" / "mydata.csv").read_text() == "a,b\n"
    assert not (tmp_path / "out" / MARKER).exists()


def test_an_earlier_run_is_reused_only_with_overwrite(tmp_path):
    out = earlier_run(tmp_path / "out")
    with pytest.raises(OutputError, match="pass --overwrite"):
        prepare_output(str(out))
    assert (out / "files" / "part-00000-of-00001.parquet").exists()


def test_overwrite_removes_only_the_files_a_run_writes(tmp_path):
    out = earlier_run(tmp_path / "out")
    (out / "notes.txt").write_text("mine")
    (out / "mine").mkdir()
    (out / "mine" / "part-00000-of-00001.parquet").write_text("mine too")
    prepare_output(str(out), overwrite=True)
    left = sorted(str(p.relative_to(out)) for p in out.rglob("*"))
    assert left == [MARKER, "mine", "mine/part-00000-of-00001.parquet", "notes.txt"]


def test_overwrite_refuses_a_foreign_file_inside_an_output_folder_and_deletes_nothing(tmp_path):
    out = earlier_run(tmp_path / "out")
    (out / "files" / "mydata.csv").write_text("a,b\n")
    with pytest.raises(OutputError, match="files/mydata.csv was not written by repocurate"):
        prepare_output(str(out), overwrite=True)
    assert (out / "files" / "mydata.csv").exists() and (out / "files" / "part-00000-of-00001.parquet").exists()


def test_an_earlier_versions_output_is_recognised_by_its_success_marker(tmp_path):
    out = earlier_run(tmp_path / "out")
    (out / MARKER).unlink()
    prepare_output(str(out), overwrite=True)
    assert not (out / "_SUCCESS").exists() and (out / MARKER).exists()


@pytest.mark.parametrize("output, how", [(".", "is"), ("sub/out", "lies inside"), ("..", "contains")])
def test_an_output_that_is_inside_or_contains_an_input_is_refused(tmp_path, output, how):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with pytest.raises(OutputError, match=f"{how} the input"):
        prepare_output(str(corpus / output), [str(corpus)], overwrite=True)


def test_an_output_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        prepare_output(str(tmp_path / "f"))


def test_run_with_output_equal_to_input_exits_2_before_touching_the_input(tmp_path, make_repo, capsys):
    repo = make_repo("proj", {"report/gen.py": "print('gen')\n", "samples/example.py": "x = 1\n"})
    assert main(["run", "--input", str(repo), "--output", str(repo), "--overwrite"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "is the input" in err
    assert sorted(str(p.relative_to(repo)) for p in repo.rglob("*") if p.is_file()) == ["report/gen.py", "samples/example.py"]


def test_overwrite_refuses_an_output_name_of_the_wrong_kind(tmp_path):
    out = earlier_run(tmp_path / "out")
    (out / "ledger.json").unlink()
    (out / "ledger.json").mkdir()
    (out / "ledger.json" / "mine.txt").write_text("mine")
    with pytest.raises(OutputError, match="ledger.json/ .*was not written by repocurate"):
        prepare_output(str(out), overwrite=True)
    assert (out / "ledger.json" / "mine.txt").exists()


@pytest.mark.parametrize("module", ["pipeline.tables", "tokenize_shards.atomic_files"])
def test_an_atomic_write_never_removes_a_folder_in_its_way(tmp_path, module):
    import importlib

    (tmp_path / "manifest.json").mkdir()
    (tmp_path / "manifest.json" / "mine.txt").write_text("mine")
    with pytest.raises(IsADirectoryError, match="did not write"):
        if module == "pipeline.tables":
            importlib.import_module(module).write_atomic(str(tmp_path / "manifest.json"), b"{}")
        else:
            importlib.import_module(module).write_atomically(str(tmp_path), "manifest.json", [b"{}"])
    assert (tmp_path / "manifest.json" / "mine.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json"]


def test_train_refuses_an_out_folder_holding_files_of_its_own(tmp_path, capsys):
    shards = tmp_path / "shards"
    shards.mkdir()
    (shards / "manifest.json").write_text("{}")
    project = tmp_path / "project"
    project.mkdir()
    (project / "config.json").write_text('{"mine": true}')
    assert main(["train", "--data", str(shards), "--preset", "tiny", "--max-steps", "3", "--out", str(project)]) == 2
    assert "holds no `repocurate train` run" in capsys.readouterr().err
    assert (project / "config.json").read_text() == '{"mine": true}'
