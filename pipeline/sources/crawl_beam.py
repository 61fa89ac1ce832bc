"""Beam wrappers of the crawl's plain functions (:mod:`pipeline.sources.crawl`):
:class:`CrawlRepositories` and :class:`ReadStackParquet`, whose outputs are two tagged
PCollections: ``files``, one repository batch per repository (see :mod:`pipeline.batches`),
and ``rejects``, row batches. Kept apart so that the crawl itself imports no Beam (the Spark
engine uses it too)."""
from __future__ import annotations

from typing import Any, Collection, Iterable, Sequence

import apache_beam as beam

from pipeline.batches import repo_batch
from pipeline.config import CrawlConfig
from pipeline.sources.crawl import FILES, REJECTS, crawl_batches, stack_row_to_record, unused_name
from pipeline.sources.plan import RepoTask


class _CrawlDoFn(beam.DoFn):
    def __init__(self, config: CrawlConfig):
        self.config = config

    def process(self, task_dict: dict[str, Any]):
        for tag, batch in crawl_batches(RepoTask(**task_dict), self.config):
            yield batch if tag == FILES else beam.pvalue.TaggedOutput(tag, batch)


def _stack_batches(item: tuple[str, Iterable[tuple[str, dict[str, Any]]]], taken: frozenset[str] = frozenset()):
    repo, tagged = item
    name = unused_name(repo, taken)
    files, rejects, aux = [], [], []
    for tag, record in tagged:
        if name != repo:
            record = {**record, "repo_name": name}
        (files if tag == FILES else rejects if tag == REJECTS else aux).append(record)
    repo = name
    if files or aux:
        yield repo_batch(repo, files, aux)
    if rejects:
        yield beam.pvalue.TaggedOutput(REJECTS, sorted(rejects, key=lambda r: (r["path"], r["reason"])))


class CrawlRepositories(beam.PTransform):
    """Repository tasks -> ``files`` (repository batches) and ``rejects`` (row batches),
    spread over workers one repository each."""

    def __init__(self, tasks: Sequence[RepoTask], config: CrawlConfig):
        super().__init__()
        self.tasks = [t.to_dict() for t in tasks]
        self.config = config

    def expand(self, pbegin):
        return (
            pbegin
            | "Tasks" >> beam.Create(self.tasks)
            | "Spread" >> beam.Reshuffle()
            | "ReadRepository" >> beam.ParDo(_CrawlDoFn(self.config)).with_outputs(REJECTS, main=FILES)
        )


class ReadStackParquet(beam.PTransform):
    """The Stack-style Parquet files (paths or globs) -> ``files`` (repository batches) and
    ``rejects`` (row batches). Rows arrive in any order, so they are grouped by repository
    (one shuffle of the rows; all patterns together, so a repository split across files is
    one repository). A Parquet repository named like one of the other inputs' repositories
    (``taken``) is renamed ``name~k``, as the plan renames repeated names, so the two are
    never confused downstream."""

    def __init__(self, patterns: Sequence[str], config: CrawlConfig, taken: Collection[str] = ()):
        super().__init__()
        self.patterns = list(patterns)
        self.config = config
        self.taken = frozenset(taken)

    def expand(self, pbegin):
        config = self.config
        keyed = []
        for i, pattern in enumerate(self.patterns):
            source = f"parquet:{pattern}"
            keyed.append(
                pbegin
                | f"Read{i}" >> beam.io.ReadFromParquet(pattern)
                | f"ToRecord{i}" >> beam.FlatMap(
                    lambda row, source=source: [(record["repo_name"], (tag, record))
                                                for tag, record in stack_row_to_record(row, config, source)]))
        return (
            keyed
            | "AllRows" >> beam.Flatten()
            | "ByRepository" >> beam.GroupByKey()
            | "Batches" >> beam.FlatMap(_stack_batches, self.taken).with_outputs(REJECTS, main=FILES)
        )
