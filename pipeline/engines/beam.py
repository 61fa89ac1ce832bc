"""The Beam engine: :mod:`pipeline.flow`'s operations as Beam transforms, one labelled step
each (``flat_map`` a ``FlatMap`` with side inputs, ``group_by_key`` a ``GroupByKey``,
``co_group`` a ``CoGroupByKey``, ``combine`` a ``CombineGlobally``, ``side`` an
``AsSingleton``)."""
from __future__ import annotations

from typing import Any, Callable, Optional

import apache_beam as beam
from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions

LOCAL_RUNNERS = (None, "DirectRunner", "direct", "FnApiRunner")


def make_runner(options: PipelineOptions):
    """The in-process DirectRunner unless another runner is named.

    Beam's ``DirectRunner`` name first tries to download the Prism runner binary (which
    fails offline); constructing the FnApiRunner directly skips that and honours
    ``--direct_num_workers`` and ``--direct_running_mode``.
    """
    name = options.view_as(StandardOptions).runner
    if name in LOCAL_RUNNERS:
        from apache_beam.runners.portability.fn_api_runner import FnApiRunner

        return FnApiRunner()
    return None


class BeamRun:
    """One run's Beam side, for :func:`pipeline.run.run_pipeline`: the options (``beam_args``
    as given, plus ``--no_pipeline_type_check``), the runner and its name; :meth:`execute`
    runs a graph built by ``build(pipeline)``."""

    engine = "beam"

    def __init__(self, beam_args):
        self.beam_args = with_local_defaults(beam_args)
        # The graph declares no type hints, so construction-time type checking only infers
        # lambdas' output types from their bytecode: 0.6 s of every run, identical outputs.
        self.options = PipelineOptions(["--no_pipeline_type_check", *self.beam_args])
        self.runner = make_runner(self.options)
        self.runner_name = self.options.view_as(StandardOptions).runner or "DirectRunner (FnApiRunner)"
        if self.runner is not None:
            direct = self.options.view_as(DirectOptions)
            self.runner_name += f", {direct.direct_running_mode}, {direct.direct_num_workers} worker(s)"

    @property
    def local(self) -> bool:
        """Whether the workers share this machine's folders (live progress)."""
        return self.runner is not None

    def start(self) -> None:
        """Nothing to start: the runner starts with the pipeline."""

    def stop(self, failed: bool = False) -> None:
        """Nothing to stop: the pipeline's ``with`` block waits for the runner."""

    def execute(self, build, live_dir=None) -> None:
        options = self.options
        if live_dir:
            options = PipelineOptions(["--no_pipeline_type_check", *self.beam_args, f"--repocurate_live_dir={live_dir}"])
        with beam.Pipeline(runner=self.runner, options=options) as p:
            build(p)

    def record(self) -> dict:
        """The run record's engine fields (``_stats/run.json``)."""
        return {"engine": "beam", "beam": beam.__version__, "runner": self.runner_name, "beam_args": self.beam_args}


class LiveProgressOptions(PipelineOptions):
    """``--repocurate_live_dir``: the folder the workers write their live counts to."""

    @classmethod
    def _add_argparse_args(cls, parser):
        parser.add_argument("--repocurate_live_dir", default=None,
                            help="folder of the run's live progress counts (set by repocurate run)")


def live_counts_of(pipeline):
    """The run's live counters, or None when the pipeline's options name no folder."""
    from pipeline.progress import LiveCounts

    folder = pipeline.options.view_as(LiveProgressOptions).repocurate_live_dir
    return LiveCounts(folder) if folder else None


def with_local_defaults(beam_args):
    """The Beam options of a run: as given when they name a runner or a local running mode;
    otherwise the local runner with one worker process per available core
    (``--direct_running_mode multi_processing --direct_num_workers N``), so a default run
    keeps every core busy (one core: in-process)."""
    import os

    named = ("--runner", "--direct_running_mode", "--direct_num_workers")
    if any(arg.split("=")[0] in named for arg in beam_args):
        return list(beam_args)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if cores <= 1:
        return list(beam_args)
    return ["--direct_running_mode", "multi_processing", "--direct_num_workers", str(cores), *beam_args]


def work_units(options: PipelineOptions) -> int:
    """Work units per parallel step: one per worker of the local runner (LPT-balanced groups
    of repositories, see :meth:`BeamEngine.balance`); 0 (one element per repository) on
    other runners, which balance work themselves."""
    if options.view_as(StandardOptions).runner not in LOCAL_RUNNERS:
        return 0
    return max(1, int(options.view_as(DirectOptions).direct_num_workers or 1))


class _Combine(beam.CombineFn):
    def __init__(self, create: Callable, add: Callable, merge: Callable, extract: Optional[Callable]):
        self.create, self.add, self.merge, self.extract = create, add, merge, extract

    def create_accumulator(self):
        return self.create()

    def add_input(self, accumulator, element):
        return self.add(accumulator, element)

    def merge_accumulators(self, accumulators):
        accumulators = list(accumulators)
        merged = accumulators[0]
        for other in accumulators[1:]:
            merged = self.merge(merged, other)
        return merged

    def extract_output(self, accumulator):
        return self.extract(accumulator) if self.extract else accumulator


class _Side:
    """A side value: a Beam singleton view of a one-element collection."""

    def __init__(self, pcoll):
        self.pcoll = pcoll


def _view(value):
    return beam.pvalue.AsSingleton(value.pcoll) if isinstance(value, _Side) else value


def _lpt(weights: list, units: int) -> dict:
    from pipeline.flow import lpt_units

    return {key: (unit, i) for unit, keys in lpt_units([(w, k, k) for w, k in weights], units)
            for i, key in enumerate(keys)}


class BeamEngine:
    def __init__(self, pipeline: beam.Pipeline):
        self.p = pipeline

    def create(self, label: str, items: list):
        """A collection of ``items``, spread over the workers (element ``i`` is keyed ``i``
        and grouped, so the local runner hands the elements to its workers in turn)."""
        return (self.p | label >> beam.Create(list(enumerate(items)), reshuffle=False)
                | f"{label}Spread" >> beam.GroupByKey()
                | f"{label}Items" >> beam.FlatMap(lambda kv: kv[1]))

    def flat_map(self, label: str, pcoll, fn: Callable, *args):
        return pcoll | label >> beam.FlatMap(fn, *[_view(a) for a in args])

    def group_by_key(self, label: str, pcoll):
        return pcoll | label >> beam.GroupByKey() | f"{label}Lists" >> beam.MapTuple(lambda k, vs: (k, list(vs)))

    def co_group(self, label: str, pcolls: dict):
        return (pcolls | label >> beam.CoGroupByKey()
                | f"{label}Lists" >> beam.MapTuple(lambda k, d: (k, {n: list(v) for n, v in d.items()})))

    def flatten(self, label: str, pcolls: list):
        return tuple(pcolls) | label >> beam.Flatten()

    def combine(self, label: str, pcoll, create: Callable, add: Callable, merge: Callable,
                extract: Optional[Callable] = None):
        return pcoll | label >> beam.CombineGlobally(_Combine(create, add, merge, extract))

    def side(self, pcoll):
        return _Side(pcoll)

    def balance(self, label: str, pcoll, units: int):
        """``(weight, key, item)`` elements -> lists of items: with ``units``, LPT-balanced
        groups (one per worker: the local runner splits a step's input among its workers
        round-robin, by element, so even groups keep every worker busy to the end);
        otherwise one item per element (distributed runners balance by themselves)."""
        if not units:
            return pcoll | label >> beam.Map(lambda x: [x[2]])
        assign = beam.pvalue.AsSingleton(
            pcoll | f"{label}Weights" >> beam.Map(lambda x: (x[0], x[1]))
            | f"{label}Gather" >> beam.combiners.ToList()
            | f"{label}Assign" >> beam.Map(_lpt, units))
        return (pcoll
                | f"{label}Key" >> beam.Map(lambda x, a: (a[x[1]][0], (a[x[1]][1], x[2])), assign)
                | f"{label}Group" >> beam.GroupByKey()
                | label >> beam.MapTuple(lambda _, xs: [item for _, item in sorted(xs, key=lambda x: x[0])]))

    def run(self, terminals: list) -> None:
        """Nothing to do: every step of a Beam graph runs when the pipeline does."""
