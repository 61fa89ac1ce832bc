"""The curation pipeline as one Beam graph: :func:`pipeline.flow.curate` on the Beam engine.

The flow (stage order, what crosses each global step) is :mod:`pipeline.flow`; the
per-repository work is :mod:`pipeline.repo_steps`; the Beam operations are
:mod:`pipeline.engines.beam`."""
from __future__ import annotations

import apache_beam as beam

from pipeline.config import Config
from pipeline.engines.beam import BeamEngine, live_counts_of, work_units
from pipeline.flow import STAGES, curate  # noqa: F401  (STAGES: the ledger's stage order)
from pipeline.sources.plan import SourcePlan


def build_pipeline(p: beam.Pipeline, plan: SourcePlan, config: Config, out: str) -> list:
    """Add the whole run to ``p``; tables, shards and stage counts are written under ``out``.

    Live progress: each step tells the run's live counters when the pipeline's options name
    a live-progress folder (:mod:`pipeline.progress`)."""
    return curate(BeamEngine(p), plan, config, out, units=work_units(p.options), live=live_counts_of(p))
