from __future__ import annotations

import pytest

from pipeline.ledger import LedgerError, build_ledger

STAGES = ("crawl", "file_filters")


def test_balanced_counts_give_a_ledger_with_reasons():
    counts = [
        (("crawl", "in", ""), (10, 1000)), (("crawl", "kept", ""), (8, 800)),
        (("crawl", "rejected", "binary:nul"), (2, 200)),
        (("file_filters", "in", ""), (8, 800)), (("file_filters", "kept", ""), (7, 700)),
        (("file_filters", "rejected", "xml"), (1, 100)),
    ]
    ledger = build_ledger(counts, STAGES)
    assert ledger["totals"] == {"files_in": 10, "files_kept": 7, "files_rejected": 3}
    assert ledger["stages"][1]["rejected_by_reason"] == {"xml": {"files": 1, "bytes": 100}}


def test_a_stage_that_loses_a_file_fails_naming_the_stage():
    counts = [
        (("crawl", "in", ""), (3, 0)), (("crawl", "kept", ""), (3, 0)),
        (("file_filters", "in", ""), (3, 0)), (("file_filters", "kept", ""), (1, 0)),
        (("file_filters", "rejected", "xml"), (1, 0)),
    ]
    with pytest.raises(LedgerError, match="'file_filters' does not balance"):
        build_ledger(counts, STAGES)


def test_a_stage_taking_in_more_than_its_predecessor_kept_fails():
    counts = [
        (("crawl", "in", ""), (3, 0)), (("crawl", "kept", ""), (3, 0)),
        (("file_filters", "in", ""), (4, 0)), (("file_filters", "kept", ""), (4, 0)),
    ]
    with pytest.raises(LedgerError, match="'file_filters' took in 4 files but the stage before it kept 3"):
        build_ledger(counts, STAGES)
