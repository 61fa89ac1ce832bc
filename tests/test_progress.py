"""Live progress (issue 15, item 5): worker-side counters reach the launcher while the run goes."""
from __future__ import annotations

import io
import multiprocessing
import time

import pytest

from pipeline.progress import (LiveCounts, ProgressMonitor, format_table, human_bytes, read_live,
                               shards_progress, stage_progress)

STAGES = ("crawl", "file_filters", "exact_dedup")


class TimedStream(io.StringIO):
    """A stream that remembers when each line was written."""

    def __init__(self):
        super().__init__()
        self.lines: list[tuple[float, str]] = []

    def write(self, text: str) -> int:
        for line in text.splitlines():
            self.lines.append((time.monotonic(), line))
        return super().write(text)


def live(counts: dict, repos: dict | None = None) -> dict:
    """A channel snapshot: (stage, kind) -> (files, bytes, rows, first, last)."""
    return {"counts": {k: [1, f, b, r, first, last] for k, (f, b, r, first, last) in counts.items()},
            "repos": repos or {}}


def test_progress_lines_arrive_while_the_crawl_is_still_running(tmp_path, make_repo, monkeypatch):
    import pipeline.sources.crawl as crawl
    from pipeline.config import load_config
    from pipeline.run import run_pipeline

    slow_crawl = crawl.crawl_batches

    def crawl_slowly(task, config):
        time.sleep(0.6)  # each repository takes a while, as real ones do
        yield from slow_crawl(task, config)

    monkeypatch.setattr(crawl, "crawl_batches", crawl_slowly)
    parent = tmp_path / "repos"
    for i in range(5):
        make_repo(f"r{i}", {f"m{i}.py": f"def f{i}(x):\n    return x * {i} + {i * 7}\n"}, parent=parent)
    stream = TimedStream()
    # in-process, so that the workers run the patched crawl
    run_pipeline([str(parent)], str(tmp_path / "out"), load_config(None), ["--direct_running_mode", "in_memory"],
                 progress=True, progress_interval=0.05, stream=stream)
    crawl_lines = [line for _, line in stream.lines if "] crawl:" in line]
    partial = {line.split("] ")[1].split(";")[0] for line in crawl_lines if "5/5 repositories" not in line}
    # a count seen before the crawl ended (one is enough: a loaded machine may not schedule
    # the display thread between every two repositories)
    assert partial, crawl_lines
    assert crawl_lines[-1].endswith("done")


def test_worker_processes_of_the_multi_process_runner_report_during_the_run(tmp_path, make_repo):
    from pipeline.config import load_config
    from pipeline.run import run_pipeline

    parent = tmp_path / "repos"
    for i in range(4):
        make_repo(f"r{i}", {f"m{i}.py": f"def f{i}(x):\n    return x * {i} + {i * 7}\n"}, parent=parent)
    stream = TimedStream()
    run_pipeline([str(parent)], str(tmp_path / "out"), load_config(None),
                 ["--direct_num_workers", "2", "--direct_running_mode", "multi_processing"],
                 progress=True, progress_interval=0.1, stream=stream)
    crawl_done = next(t for t, line in stream.lines if "] crawl:" in line and line.endswith("done"))
    quality_done = next(t for t, line in stream.lines if "] quality:" in line and line.endswith("done"))
    # the final display prints every stage at once; the crawl was shown done long before
    assert quality_done - crawl_done > 0.5


def test_counts_from_several_worker_processes_add_up(tmp_path):
    channel = LiveCounts(str(tmp_path), flush_s=0.0)

    def worker(n: int) -> None:
        for _ in range(n):
            channel.add("crawl", "in", 2, 100, repo=f"repo{n}")
        channel.flush()

    procs = [multiprocessing.get_context("fork").Process(target=worker, args=(n,)) for n in (3, 4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    counts = read_live(str(tmp_path))
    assert counts["counts"][("crawl", "in")][:3] == [7, 14, 700]
    assert counts["repos"] == {"crawl": 2}  # one repository per run of batches with its name


def test_a_missing_channel_folder_never_fails_the_counting_step(tmp_path):
    channel = LiveCounts(str(tmp_path / "gone"), flush_s=0.0)
    channel.add("crawl", "in", 1, 10)
    channel.flush()
    assert read_live(str(tmp_path / "gone")) == {"counts": {}, "repos": {}}


def test_a_stage_is_done_when_the_stage_before_is_done_and_all_its_input_is_processed():
    snapshot = live({("crawl", "in"): (10, 1000, 0, 0, 4), ("crawl", "kept"): (8, 900, 0, 0, 4),
                     ("crawl", "rejected"): (2, 100, 0, 0, 4),
                     ("file_filters", "in"): (8, 900, 0, 0, 4), ("file_filters", "kept"): (8, 900, 0, 1, 6)},
                    {"crawl": 3})
    rows = stage_progress(snapshot, STAGES, now=10, planned_repos=3)
    assert [r.state for r in rows] == ["done", "done", "waiting"]
    assert (rows[0].elapsed_s, rows[1].elapsed_s) == (4, 6)  # first batch in to last batch out


def test_the_estimate_is_the_rest_of_a_stage_input_at_its_rate_so_far():
    snapshot = live({("crawl", "in"): (10, 1000, 0, 0, 1), ("crawl", "kept"): (10, 1000, 0, 0, 1),
                     ("file_filters", "in"): (10, 1000, 0, 0, 1), ("file_filters", "kept"): (3, 300, 0, 2, 4),
                     ("file_filters", "rejected"): (1, 10, 0, 2, 4)}, {"crawl": 2})
    rows = stage_progress(snapshot, STAGES, now=6, planned_repos=2)
    assert rows[1].state == "running" and rows[1].total_files == 10
    assert rows[1].eta_s == pytest.approx(6 * 6 / 4)  # 6 files left at 4 files in its first 6 s


def test_the_crawl_estimate_counts_repositories_when_no_parquet_input_is_planned():
    snapshot = live({("crawl", "in"): (40, 1000, 0, 0, 10), ("crawl", "kept"): (40, 1000, 0, 0, 10)}, {"crawl": 1})
    (crawl, *_) = stage_progress(snapshot, STAGES, now=10, planned_repos=4)
    assert crawl.state == "running" and crawl.eta_s == pytest.approx(30)
    (unplanned, *_) = stage_progress(snapshot, STAGES, now=10, planned_repos=None)
    assert unplanned.eta_s is None


def test_the_terminal_display_is_redrawn_in_place(tmp_path):
    channel = LiveCounts(str(tmp_path), flush_s=0.0)
    stream = io.StringIO()
    monitor = ProgressMonitor(str(tmp_path), STAGES, stream, interval_s=0.02, terminal=True, planned_repos=1)
    monitor.start()
    channel.add("crawl", "in", 5, 500, repo="a")
    time.sleep(0.1)
    channel.add("crawl", "kept", 5, 500)
    time.sleep(0.1)
    monitor.stop()
    text = stream.getvalue()
    assert text.count("\x1b[") > 10 and "\x1b[5F" in text  # cursor back over the 5 lines drawn
    assert "crawl" in text and "waiting" in text


def test_the_table_shows_files_bytes_rate_elapsed_and_estimate():
    snapshot = live({("crawl", "in"): (4, 4_000_000, 0, 0, 2), ("crawl", "kept"): (3, 3_000_000, 0, 0, 2),
                     ("crawl", "rejected"): (1, 1_000_000, 0, 0, 2)}, {"crawl": 1})
    rows = stage_progress(snapshot, STAGES, now=2, planned_repos=2)
    header, crawl = format_table(rows, 2.0)[1:3]
    assert header.split() == ["stage", "files", "in", "kept", "rejected", "bytes", "in", "bytes", "kept",
                              "files/s", "elapsed", "left"]
    assert crawl.split() == ["crawl", "4", "3", "1", "4", "MB", "3", "MB", "2", "2.0", "s", "2.0", "s"]


def test_tokenizer_and_encoding_are_shown_after_the_last_stage():
    snapshot = live({("crawl", "in"): (2, 10, 0, 0, 1), ("crawl", "kept"): (2, 10, 2, 0, 1),
                     ("tokenizer", "in"): (2, 10, 0, 2, 2), ("tokenizer", "kept"): (2, 10, 0, 2, 5),
                     ("shards", "kept"): (1, 700, 0, 6, 8)}, {"crawl": 1})
    rows = stage_progress(snapshot, ("crawl",), now=10, planned_repos=1)
    lines = [text for _, text in shards_progress(snapshot, ("crawl",), rows, now=10)]
    assert lines[0] == "tokenizer: trained on 2 samples (10 B) in 3.0 s"
    assert lines[1].startswith("shards: 1 of 2 documents encoded (700 tokens), 0.2 documents/s, 4.0 s elapsed, about 4.0 s left")


@pytest.mark.parametrize("n, text", [(0, "0 B"), (512, "512 B"), (1234, "1.23 kB"), (45_600_000, "45.6 MB"),
                                     (3_310_000_000, "3.31 GB")])
def test_sizes_keep_three_significant_figures(n, text):
    assert human_bytes(n) == text
