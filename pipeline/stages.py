"""Thin Beam wrappers around the plain per-stage functions, one repository batch at a time
(see :mod:`pipeline.batches`); each returns ``files`` or ``samples``, and ``rejects``."""
from __future__ import annotations

from typing import Any

import apache_beam as beam

from dedup.exact import STAGE as EXACT_STAGE
from dedup.exact import ExactDedupConfig, drop_copies, file_id, file_rank, losers_of
from filters.base import first_rejection
from filters.file_filters import FileFilterConfig, default_file_filters
from filters.licenses import STAGE as LICENSES_STAGE
from filters.licenses import LicensesConfig, apply_licenses
from parsers.aux_files import is_aux_file
from parsers.repo_samples import STAGE as ORDERING_STAGE
from parsers.repo_samples import OrderingConfig, order_repository
from filters.decontaminate import Decontaminator
from filters.pii import Redactor
from filters.quality import default_quality_filters
from filters.quality_stage import STAGE as QUALITY_STAGE
from filters.quality_stage import QualityStageConfig, apply_quality
from pipeline.batches import non_empty, with_files
from contract.records import reject_record

FILES, REJECTS = "files", "rejects"


def error_rejects(repo_name: str, files: list[tuple[str, int]], stage: str, exc: Exception) -> list[dict[str, Any]]:
    """A rule or parser that raises must not fail the run: its files become rejects
    (``<stage>:error``, detail: the exception) so the ledger still balances."""
    detail = f"{type(exc).__name__}: {exc}"
    return [reject_record(repo_name, path, stage, f"{stage}:error", detail, size) for path, size in files]


class _LicensesDoFn(beam.DoFn):
    def __init__(self, config: LicensesConfig):
        self.config = config

    def setup(self):  # load the SPDX license index once per worker
        from filters.licenses import normalize
        normalize("MIT")

    def process(self, batch: dict[str, Any]):
        files = batch["files"]
        try:
            kept, rejects = apply_licenses(files, batch["aux"], self.config)
        except Exception as exc:
            kept, rejects = [], error_rejects(
                batch["repo_name"], [(r["path"], r["size"]) for r in files], LICENSES_STAGE, exc)
        # license-only texts have been read; import resolution keeps its configuration files
        aux = [a for a in batch["aux"] if is_aux_file(a["path"])]
        if kept or aux:
            yield {"repo_name": batch["repo_name"], "files": kept, "aux": aux}
        if rejects:
            yield beam.pvalue.TaggedOutput(REJECTS, rejects)


class DetectLicenses(beam.PTransform):
    """Each repository's SPDX license from its license texts, package metadata and SPDX
    headers (``filters.licenses``), stamped on its files; in permissive mode, repositories
    without a permitted license are removed whole. Repository batches in and out (aux
    reduced to import resolution's files), reject row batches beside them."""

    def __init__(self, config: LicensesConfig):
        super().__init__()
        self.config = config

    def expand(self, batches):
        return batches | beam.ParDo(_LicensesDoFn(self.config)).with_outputs(REJECTS, main=FILES)


FILE_FILTERS_STAGE = "file_filters"


class _FileFiltersDoFn(beam.DoFn):
    def __init__(self, config: FileFilterConfig):
        self.config = config
        self.filters = None

    def setup(self):
        self.filters = default_file_filters(self.config)

    def process(self, batch: dict[str, Any]):
        kept, rejects = [], []
        for record in batch["files"]:
            try:
                verdict = first_rejection(record, self.filters)
            except Exception as exc:
                rejects += error_rejects(
                    record["repo_name"], [(record["path"], record["size"])], FILE_FILTERS_STAGE, exc)
                continue
            if verdict is None:
                kept.append(record)
            else:
                rejects.append(reject_record(record["repo_name"], record["path"], FILE_FILTERS_STAGE,
                                             verdict.reason, verdict.detail, record["size"]))
        yield with_files(batch, kept)
        if rejects:
            yield beam.pvalue.TaggedOutput(REJECTS, rejects)


class ApplyFileFilters(beam.PTransform):
    """StarCoder/DeepSeek file filters: each file is kept, or rejected by the first rule it fails.

    Repository batches in, repository batches (possibly with no files left: they still carry
    the aux files) and reject row batches out."""

    def __init__(self, config: FileFilterConfig):
        super().__init__()
        self.config = config

    def expand(self, files):
        return files | beam.ParDo(_FileFiltersDoFn(self.config)).with_outputs(REJECTS, main=FILES)


def _drop_copies(batch: dict[str, Any], copies: dict[str, str], max_repo_share: float):
    kept, rejects = drop_copies(batch["files"], copies, max_repo_share)
    yield with_files(batch, kept)
    if rejects:
        yield beam.pvalue.TaggedOutput(REJECTS, rejects)


class ExactDedup(beam.PTransform):
    """One survivor per content hash among the repositories near-dedup kept
    (deterministic rank, see ``dedup.rank``; a repository sharing more than
    ``max_repo_share`` of its files keeps them, see ``dedup.exact``).

    Only ``(sha256, rank, id)`` is grouped, not the contents; the copies to drop (memory:
    one id pair per duplicate file) reach the repository batches as a side input.
    """

    def __init__(self, config: ExactDedupConfig):
        super().__init__()
        self.config = config

    def expand(self, batches):
        copies = (
            batches
            | "RankByContent" >> beam.FlatMap(
                lambda b: [(r["sha256"], (file_rank(r, len(b["files"])), file_id(r))) for r in b["files"]])
            | "Group" >> beam.GroupByKey()
            | "Losers" >> beam.FlatMap(lambda kv: losers_of(kv[1]))
        )
        return batches | "DropCopies" >> beam.FlatMap(
            _drop_copies, copies=beam.pvalue.AsDict(copies),
            max_repo_share=self.config.max_repo_share).with_outputs(REJECTS, main=FILES)


EDGES, METRICS, REDACTIONS = "edges", "metrics", "redactions"


class _OrderDoFn(beam.DoFn):
    def __init__(self, config: OrderingConfig):
        self.config = config

    def process(self, batch: dict[str, Any]):
        repo_name, files = batch["repo_name"], batch["files"]
        if not files:
            return
        aux = {a["path"]: a["text"] for a in batch["aux"]}
        try:
            result = order_repository(repo_name, files, aux, self.config)
        except Exception as exc:
            yield beam.pvalue.TaggedOutput(REJECTS, error_rejects(
                repo_name, [(r["path"], r["size"]) for r in files], ORDERING_STAGE, exc))
            return
        yield from non_empty(result.samples)
        for tag, rows in ((EDGES, result.edges), (METRICS, [result.metrics]), (REJECTS, result.rejects)):
            if rows:
                yield beam.pvalue.TaggedOutput(tag, rows)


class OrderRepositories(beam.PTransform):
    """Import graph, dependency order and repo-level samples of each repository batch.

    Memory: one repository's files at a time (capped by ``max_repo_bytes``); no grouping
    step, since the crawl already yields one batch per repository.
    Outputs, row batches per repository: ``samples`` (main), ``edges``, ``metrics`` (one row),
    ``rejects``.
    """

    def __init__(self, config: OrderingConfig):
        super().__init__()
        self.config = config

    def expand(self, batches):
        return batches | "Order" >> beam.ParDo(_OrderDoFn(self.config)).with_outputs(
            EDGES, METRICS, REJECTS, main="samples")


class _QualityDoFn(beam.DoFn):
    def __init__(self, config: QualityStageConfig):
        self.config = config

    def setup(self):
        c = self.config
        self.rules = default_quality_filters(c.rules)
        if c.decontamination.enabled:
            self.rules.append(Decontaminator.from_sources(c.decontamination.benchmarks, c.decontamination.extra_jsonl))
        self.redactor = Redactor(c.pii) if c.redact_pii else None

    def process(self, samples: list[dict[str, Any]]):
        kept_samples, all_rejects, totals = [], [], {}
        for sample in samples:
            try:
                kept, rejects, counts = apply_quality(sample, self.rules, self.redactor, self.config.min_sample_bytes)
            except Exception as exc:
                files = list(zip(sample["paths"], sample["file_sizes"]))
                all_rejects += error_rejects(sample["repo_name"], files, QUALITY_STAGE, exc)
                continue
            if kept is not None:
                kept_samples.append(kept)
            all_rejects += rejects
            for kind, n in counts.items():
                totals[kind] = totals.get(kind, 0) + n
        yield from non_empty(kept_samples)
        if all_rejects:
            yield beam.pvalue.TaggedOutput(REJECTS, all_rejects)
        for kind, n in sorted(totals.items()):
            yield beam.pvalue.TaggedOutput(REDACTIONS, (("_redactions", "kind", kind), (n, 0)))


class QualityFilters(beam.PTransform):
    """Syntax, readability and decontamination per file of each sample; PII redaction.

    Sample row batches in; outputs: ``samples`` (main, reassembled, row batches), ``rejects``
    (row batches, one row per dropped file) and ``redactions`` (ledger tallies of replaced values by kind).
    """

    def __init__(self, config: QualityStageConfig):
        super().__init__()
        self.config = config

    def expand(self, samples):
        return samples | beam.ParDo(_QualityDoFn(self.config)).with_outputs(REJECTS, REDACTIONS, main="samples")
