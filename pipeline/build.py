"""The curation pipeline as one Beam graph: a few labelled stages that read like the data flow.

Elements are batches, one per repository and stage output (:mod:`pipeline.batches`): the
crawl yields a repository's files together, so no step regroups files by repository, and
Beam's per-element costs are paid per repository rather than per file."""
from __future__ import annotations

from dataclasses import dataclass

import functools

import apache_beam as beam

from dedup.near import repo_signature_record
from pipeline.near_dedup_stage import NearDedup
from pipeline.progress import Progress

from pipeline.config import Config
from pipeline.ledger import TallyLanguages, TallyLicenses, TallyStage, WriteCounts
from pipeline.sources.crawl import CrawlRepositories, ReadStackParquet
from pipeline.sources.plan import SourcePlan
from pipeline.stages import ApplyFileFilters, DetectLicenses, ExactDedup, OrderRepositories, QualityFilters
from pipeline.tables import WriteTable
from tokenize_shards.beam_stage import WriteShards

STAGES = ("crawl", "licenses", "file_filters", "exact_dedup", "ordering", "near_dedup", "quality")


@dataclass
class Outputs:
    files: beam.PCollection
    samples: beam.PCollection
    rejects: beam.PCollection
    shards: beam.PCollection


def build_pipeline(p: beam.Pipeline, plan: SourcePlan, config: Config, out: str,
                   progress: bool = False) -> Outputs:
    """Add every stage to ``p``; tables and stage counts are written under ``out``.

    ``progress``: report files crawled and samples made to stderr while the run goes.
    """
    crawled = [p | "CrawlRepositories" >> CrawlRepositories(plan.repos, config.crawl)]
    if plan.parquet:
        crawled.append(p | "ReadParquet" >> ReadStackParquet(
            plan.parquet, config.crawl, taken=[task.name for task in plan.repos]))
    files = [c.files for c in crawled] | "CrawledFiles" >> beam.Flatten()
    crawl_rejects = [c.rejects for c in crawled] | "CrawlRejects" >> beam.Flatten()

    if progress:
        files = files | "ProgressCrawl" >> Progress("files crawled")
    licensed = files | "Licenses" >> DetectLicenses(config.licenses)
    filtered = licensed.files | "FileFilters" >> ApplyFileFilters(config.file_filters)
    if config.exact_dedup.enabled:
        deduped = filtered.files | "ExactDedup" >> ExactDedup()
        curated, dedup_rejects = deduped.files, deduped.rejects
    else:
        curated = filtered.files
        dedup_rejects = p | "NoDedupRejects" >> beam.Create([])

    near = config.near_dedup
    signature_fn = functools.partial(repo_signature_record, config=near) if near.enabled else None
    ordered = curated | "OrderRepositories" >> OrderRepositories(config.ordering, signature_fn)
    if near.enabled:
        near_out = {"samples": ordered.samples, "signatures": ordered.signatures} | "NearDedup" >> NearDedup(near)
        samples, near_rejects, clusters = (
            near_out["samples"], near_out["rejects"], near_out["clusters"])
    else:
        samples = ordered.samples
        near_rejects = p | "NoNearRejects" >> beam.Create([])
        clusters = p | "NoClusters" >> beam.Create([])

    deduped_samples = samples
    if config.quality.enabled:
        quality = deduped_samples | "QualityFilters" >> QualityFilters(config.quality)
        samples, quality_rejects, redactions = quality.samples, quality.rejects, quality.redactions
    else:
        quality_rejects = p | "NoQualityRejects" >> beam.Create([])
        redactions = p | "NoRedactions" >> beam.Create([])

    tallies = [
        {"in": files, "in_rejected": crawl_rejects, "kept": files, "rejected": crawl_rejects} | "TallyCrawl" >> TallyStage("crawl"),
        {"in": files, "kept": licensed.files, "rejected": licensed.rejects}
        | "TallyLicenses" >> TallyStage("licenses"),
        {"in": licensed.files, "kept": filtered.files, "rejected": filtered.rejects}
        | "TallyFileFilters" >> TallyStage("file_filters"),
        {"in": filtered.files, "kept": curated, "rejected": dedup_rejects}
        | "TallyExactDedup" >> TallyStage("exact_dedup"),
        {"in": curated, "kept": ordered.samples, "rejected": ordered.rejects}
        | "TallyOrdering" >> TallyStage("ordering"),
        {"in": ordered.samples, "kept": deduped_samples, "rejected": near_rejects}
        | "TallyNearDedup" >> TallyStage("near_dedup"),
        {"in": deduped_samples, "kept": samples, "rejected": quality_rejects}
        | "TallyQuality" >> TallyStage("quality"),
        redactions,
        files | "LanguagesCrawled" >> TallyLanguages("crawled"),
        samples | "LanguagesFinal" >> TallyLanguages("final"),
        licensed.files | "LicensesDetected" >> TallyLicenses("detected"),
        samples | "LicensesFinal" >> TallyLicenses("final"),
        samples | "CountSamples" >> beam.Map(
            lambda batch: (("_samples", "final", ""), (len(batch), sum(s["n_bytes"] for s in batch)))),
    ]
    rejects = (
        (crawl_rejects, licensed.rejects, filtered.rejects, dedup_rejects, ordered.rejects, near_rejects, quality_rejects) | "AllRejects" >> beam.Flatten()
    )

    def write(pcoll, name, sized_by=None):
        rows = pcoll if sized_by is None else {"rows": pcoll, "sized_by": sized_by}
        return rows | f"Write_{name}" >> WriteTable(
            out, name, config.output.target_part_bytes, config.output.compression)

    # files and samples: parts counted from the collection a stage earlier (see WriteTable)
    write(curated, "files", sized_by=filtered.files)
    write(ordered.edges, "edges")
    write(samples, "samples", sized_by=ordered.samples)
    write(ordered.metrics, "repo_metrics")
    write(clusters, "clusters")
    write(rejects, "rejects")
    shard_summaries = (samples | "EachSample" >> beam.FlatMap(lambda batch: batch)
                       | "Shards" >> WriteShards(config.shards, out))
    tallies | "AllTallies" >> beam.Flatten() | "WriteCounts" >> WriteCounts(out)
    return Outputs(curated, samples, rejects, shard_summaries)
