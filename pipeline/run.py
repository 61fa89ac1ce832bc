"""Run the pipeline end to end: plan sources, run Beam, then write and check the ledger."""
from __future__ import annotations

from typing import Sequence

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions

from pipeline.build import STAGES, build_pipeline
from pipeline.config import Config, config_to_yaml
from pipeline.ledger import build_ledger, read_counts, write_ledger
from pipeline.sources.plan import plan_sources

OWNED_OUTPUTS = ("files", "rejects", "_stats", "ledger.json", "config.yaml")


def make_runner(options: PipelineOptions):
    """The in-process DirectRunner unless another runner is named.

    Beam's ``DirectRunner`` name first tries to download the Prism runner binary (which
    fails offline); constructing the FnApiRunner directly skips that and honours
    ``--direct_num_workers`` and ``--direct_running_mode``.
    """
    name = options.view_as(StandardOptions).runner
    if name in (None, "DirectRunner", "direct", "FnApiRunner"):
        from apache_beam.runners.portability.fn_api_runner import FnApiRunner

        return FnApiRunner()
    return None


def reset_outputs(out: str) -> None:
    """Remove what an earlier run wrote to ``out`` (only the paths this tool owns)."""
    for name in OWNED_OUTPUTS:
        path = FileSystems.join(out, name)
        if FileSystems.exists(path):
            FileSystems.delete([path])
    if not FileSystems.exists(out):
        FileSystems.mkdirs(out)


def run_pipeline(inputs: Sequence[str], out: str, config: Config, beam_args: Sequence[str]) -> str:
    """Run everything; returns a one-paragraph summary. Raises on an unbalanced ledger."""
    plan = plan_sources(inputs)
    reset_outputs(out)
    options = PipelineOptions(list(beam_args))
    with beam.Pipeline(runner=make_runner(options), options=options) as p:
        build_pipeline(p, plan, config, out)
    ledger = build_ledger(read_counts(out), STAGES)
    write_ledger(out, ledger)
    with FileSystems.create(FileSystems.join(out, "config.yaml")) as fh:
        fh.write(config_to_yaml(config).encode("utf-8"))
    t = ledger["totals"]
    return (f"repocurate: {len(plan.repos)} repositories, {len(plan.parquet)} parquet sources; "
            f"{t['files_in']} files in, {t['files_kept']} kept, {t['files_rejected']} rejected "
            f"(ledger balanced) -> {out}")
