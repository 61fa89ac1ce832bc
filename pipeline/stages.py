"""Thin Beam wrappers around the plain per-stage functions; each returns ``files`` and ``rejects``."""
from __future__ import annotations

from typing import Any

import apache_beam as beam

from dedup.exact import split_exact_duplicates
from filters.base import first_rejection
from filters.file_filters import FileFilterConfig, default_file_filters
from pipeline.records import reject_record

FILES, REJECTS = "files", "rejects"
FILE_FILTERS_STAGE = "file_filters"


class _FileFiltersDoFn(beam.DoFn):
    def __init__(self, config: FileFilterConfig):
        self.config = config
        self.filters = None

    def setup(self):
        self.filters = default_file_filters(self.config)

    def process(self, record: dict[str, Any]):
        verdict = first_rejection(record, self.filters)
        if verdict is None:
            yield record
        else:
            yield beam.pvalue.TaggedOutput(REJECTS, reject_record(
                record["repo_name"], record["path"], FILE_FILTERS_STAGE, verdict.reason, verdict.detail, record["size"]))


class ApplyFileFilters(beam.PTransform):
    """StarCoder/DeepSeek file filters: each file is kept, or rejected by the first rule it fails."""

    def __init__(self, config: FileFilterConfig):
        super().__init__()
        self.config = config

    def expand(self, files):
        return files | beam.ParDo(_FileFiltersDoFn(self.config)).with_outputs(REJECTS, main=FILES)


def _emit_survivor(item):
    _, records = item
    survivor, rejects = split_exact_duplicates(records)
    yield survivor
    for reject in rejects:
        yield beam.pvalue.TaggedOutput(REJECTS, reject)


class ExactDedup(beam.PTransform):
    """One survivor per content hash across the corpus (deterministic rank, see ``dedup.rank``)."""

    def expand(self, files):
        return (
            files
            | "ByContent" >> beam.Map(lambda r: (r["sha256"], r))
            | "Group" >> beam.GroupByKey()
            | "Survivor" >> beam.FlatMap(_emit_survivor).with_outputs(REJECTS, main=FILES)
        )
