"""The curation pipeline as one Beam graph: a few labelled stages that read like the data flow.

Elements are batches, one per repository and stage output (:mod:`pipeline.batches`): the
crawl yields a repository's files together, so no step regroups files by repository, and
Beam's per-element costs are paid per repository rather than per file."""
from __future__ import annotations

from dataclasses import dataclass

import apache_beam as beam

from pipeline.config import Config
from pipeline.ledger import TallyLanguages, TallyLicenses, TallyStage, WriteCounts
from pipeline.near_dedup_stage import NearDedup
from pipeline.progress import live_counts_of
from pipeline.sources.crawl import CrawlRepositories, ReadStackParquet
from pipeline.sources.plan import SourcePlan
from pipeline.stages import ApplyFileFilters, DetectLicenses, ExactDedup, OrderRepositories, QualityFilters
from pipeline.tables import WriteTable
from tokenize_shards.beam_stage import WriteShards

STAGES = ("crawl", "licenses", "file_filters", "near_dedup", "exact_dedup", "ordering", "quality")


@dataclass
class Outputs:
    files: beam.PCollection
    samples: beam.PCollection
    rejects: beam.PCollection
    shards: beam.PCollection


def build_pipeline(p: beam.Pipeline, plan: SourcePlan, config: Config, out: str) -> Outputs:
    """Add every stage to ``p``; tables and stage counts are written under ``out``.

    Live progress needs no step here: each stage's tallies (``TallyStage``) feed it when the
    pipeline's options name a live-progress folder (:mod:`pipeline.progress`).
    """
    crawled = [p | "CrawlRepositories" >> CrawlRepositories(plan.repos, config.crawl)]
    if plan.parquet:
        crawled.append(p | "ReadParquet" >> ReadStackParquet(
            plan.parquet, config.crawl, taken=[task.name for task in plan.repos]))
    files = [c.files for c in crawled] | "CrawledFiles" >> beam.Flatten()
    crawl_rejects = [c.rejects for c in crawled] | "CrawlRejects" >> beam.Flatten()

    licensed = files | "Licenses" >> DetectLicenses(config.licenses)
    filtered = licensed.files | "FileFilters" >> ApplyFileFilters(config.file_filters)
    # whole repositories first (a fork is compared complete and kept or removed whole),
    # then exact file dedup among the survivors (vendored copies, not forks)
    if config.near_dedup.enabled:
        near = filtered.files | "NearDedup" >> NearDedup(config.near_dedup)
        unique_repos, near_rejects, clusters = near["files"], near["rejects"], near["clusters"]
    else:
        unique_repos = filtered.files
        near_rejects = p | "NoNearRejects" >> beam.Create([])
        clusters = p | "NoClusters" >> beam.Create([])
    if config.exact_dedup.enabled:
        deduped = unique_repos | "ExactDedup" >> ExactDedup(config.exact_dedup)
        curated, dedup_rejects = deduped.files, deduped.rejects
    else:
        curated = unique_repos
        dedup_rejects = p | "NoDedupRejects" >> beam.Create([])

    ordered = curated | "OrderRepositories" >> OrderRepositories(config.ordering)
    samples = ordered.samples

    if config.quality.enabled:
        quality = ordered.samples | "QualityFilters" >> QualityFilters(config.quality)
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
        {"in": filtered.files, "kept": unique_repos, "rejected": near_rejects}
        | "TallyNearDedup" >> TallyStage("near_dedup"),
        {"in": unique_repos, "kept": curated, "rejected": dedup_rejects}
        | "TallyExactDedup" >> TallyStage("exact_dedup"),
        {"in": curated, "kept": ordered.samples, "rejected": ordered.rejects}
        | "TallyOrdering" >> TallyStage("ordering"),
        {"in": ordered.samples, "kept": samples, "rejected": quality_rejects}
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
        (crawl_rejects, licensed.rejects, filtered.rejects, near_rejects, dedup_rejects, ordered.rejects,
         quality_rejects)
        | "AllRejects" >> beam.Flatten()
    )

    def write(pcoll, name, sized_by=None):
        rows = pcoll if sized_by is None else {"rows": pcoll, "sized_by": sized_by}
        return rows | f"Write_{name}" >> WriteTable(
            out, name, config.output.target_part_bytes, config.output.compression)

    # files and samples: parts counted from the collection a stage earlier (see WriteTable)
    write(curated, "files", sized_by=unique_repos)
    write(ordered.edges, "edges")
    write(samples, "samples", sized_by=ordered.samples)
    write(ordered.metrics, "repo_metrics")
    write(clusters, "clusters")
    write(rejects, "rejects")
    shard_summaries = (samples | "EachSample" >> beam.FlatMap(lambda batch: batch)
                       | "Shards" >> WriteShards(config.shards, out, progress=live_counts_of(p)))
    tallies | "AllTallies" >> beam.Flatten() | "WriteCounts" >> WriteCounts(out)
    return Outputs(curated, samples, rejects, shard_summaries)
