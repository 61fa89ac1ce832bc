"""The ``repocurate`` command line.

Exit codes (issue 15, item 2): 0 done; 1 the run kept nothing or read no input (unless
``--allow-empty``); 2 a usage error (bad option, missing or invalid file, an output folder
that may not be used), always one line naming the problem and the fix, checked before the
pipeline starts where it can be; 130 interrupted (Ctrl-C).
"""
from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import re
import sys
from typing import Optional, Sequence

from pipeline.config import ConfigError, load_config


def sample_corpus_path() -> str:
    """The small multi-language corpus bundled with the package."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "sample_corpus")


INSTALL = ("pip install -e '.[train]'  (the pipeline, plus the CPU build of torch==2.13.0 that "
           "`train` and `complete` need; `pip install -e .` installs the pipeline only)")


def version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version as dist_version

        return dist_version("repocurate")
    except PackageNotFoundError:  # run from a source tree that is not installed
        return "unknown"


ENGINES = ("beam", "spark")  # as pipeline.run.ENGINES, without importing it for --help
# Spark master URLs the RDD engine can use (Spark Connect, sc://, has no RDDs).
_SPARK_MASTER = re.compile(r"local(\[(\*|[1-9][0-9]*)(,[1-9][0-9]*)?\])?|(spark|k8s)://\S+|yarn")


def _spark_master(value: str) -> str:
    value = value.strip()
    if value.startswith("sc://"):
        raise argparse.ArgumentTypeError(f"{value}: a Spark Connect URL; --engine spark needs a classic master "
                                         "(local[N], spark://HOST:PORT, yarn, k8s://URL)")
    if not _SPARK_MASTER.fullmatch(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a Spark master URL (expected local[N], local[*], "
                                         "spark://HOST:PORT, yarn or k8s://URL)")
    return value


def _spark_conf(value: str) -> tuple[str, str]:
    key, sep, setting = value.partition("=")
    if not sep or not key.strip() or " " in key.strip():
        raise argparse.ArgumentTypeError(f"{value!r} is not KEY=VALUE (e.g. spark.driver.memory=8g)")
    return key.strip(), setting


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line that points at ``--help`` (exit 2)."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="repocurate",
        description="Repository-level code-data curation (DeepSeek-Coder style) on Apache Beam or Apache Spark.",
        epilog=(f"Install: {INSTALL}. Quick start: repocurate run --output out; repocurate train --data "
                "out/shards --preset tiny --max-steps 300 --out run; repocurate complete --checkpoint run "
                "--prompt 'def add(a, b):'. Exit codes: 0 done, 1 nothing curated, 2 usage error, 130 interrupted."),
    )
    parser.add_argument("--version", action="version", version=f"repocurate {version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    run = sub.add_parser(
        "run",
        help="curate repositories: crawl, filter, dedup, order, quality, token shards",
        description=(
            "Run the curation pipeline on Apache Beam (--engine beam, the default) or Apache Spark "
            "(--engine spark). With Beam, any argument not listed here is a Beam pipeline option and "
            "passes through unchanged (e.g. --runner DataflowRunner --project P --region R "
            "--temp_location gs://B/tmp --setup_file ./setup.py, or --direct_num_workers 2 "
            "--direct_running_mode multi_processing); without --runner the in-process DirectRunner is used. "
            "With Spark, the flow runs on PySpark RDDs: --spark-master and --spark-conf configure the session."
        ),
        epilog=(
            "SRC kinds: a folder of repositories or one repository folder; an archive (.tar, .tar.gz, "
            ".tgz, .tar.bz2, .tar.xz, .zip); a git URL (https://, ssh://, git://, file://, user@host:path); "
            "a manifest (.jsonl or .csv with url or path, name, stars, license, ...); The Stack-style "
            "Parquet (.parquet file or glob with repo_name, path, content[, license, stars])."
        ),
    )
    run.add_argument("--input", nargs="+", metavar="SRC", default=None,
                     help="sources to curate (default: the bundled sample corpus)")
    run.add_argument("--output", required=True, metavar="DIR",
                     help="output folder (local path or any Beam filesystem, e.g. gs://bucket/out): new, empty, "
                          "or an earlier run's with --overwrite; never one that is, holds or lies inside an input")
    run.add_argument("--overwrite", action="store_true",
                     help="replace the outputs of an earlier run in DIR (only files repocurate writes are removed)")
    run.add_argument("--allow-empty", action="store_true",
                     help="exit 0 even when nothing is kept (default: exit 1 with a message)")
    run.add_argument("--config", metavar="FILE", default=None,
                     help="YAML configuration (see `repocurate config --show` for every key)")
    run.add_argument("--tokenizer", metavar="PATH", default=None,
                     help="HF tokenizer.json to tokenize with (default: train a byte-level BPE on the curated corpus)")
    run.add_argument("--decontaminate-with", metavar="FILE.jsonl", nargs="+", default=None,
                     help="more benchmark data to decontaminate against (rows: task_id, benchmark, and "
                          "text or prompt/canonical_solution/test); HumanEval is always included")
    run.add_argument("--quiet", action="store_true", help="print only errors and the final summary")
    run.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                     help="show live progress per stage on stderr: files and bytes in, kept and rejected, "
                          "rate, elapsed time and an estimate of the time left; a table redrawn in place on "
                          "a terminal, log lines otherwise (default: when stderr is a terminal; local runners only)")
    run.add_argument("--progress-interval", type=float, default=None, metavar="SECONDS",
                     help="seconds between progress updates (default: 1 on a terminal, 10 in logs)")
    run.add_argument("--engine", choices=ENGINES, default="beam",
                     help="what runs the pipeline: beam (default; Beam runners chosen by Beam options) or "
                          "spark (PySpark, local mode or a cluster; pip install -e '.[spark]', needs Java 17+)")
    run.add_argument("--spark-master", metavar="MASTER", default=None, type=_spark_master,
                     help="Spark master URL with --engine spark: local[N], local[*], spark://HOST:PORT, yarn, "
                          "k8s://URL (default: local[N] with N this machine's CPUs; under spark-submit, its --master)")
    run.add_argument("--spark-conf", metavar="KEY=VALUE", action="append", default=None, type=_spark_conf,
                     help="a Spark setting with --engine spark, repeatable (e.g. --spark-conf spark.driver.memory=8g); "
                          "overrides repocurate's local defaults (no UI, 2g driver memory, errors-only logs)")

    report = sub.add_parser("report", help="(re)build OUT/report.html from a finished run",
                            description="Write OUT/report.html and its PNG plots from the ledger and tables of a run.")
    report.add_argument("--output", required=True, metavar="DIR", help="the output folder of a finished run")
    report.set_defaults(func=_cmd_report)

    from trainer.cli import register as register_trainer  # imports no torch until a command runs

    register_trainer(sub)

    config = sub.add_parser("config", help="show or check a configuration",
                            description="Print the effective configuration (defaults overlaid with --config).")
    config.add_argument("--show", action="store_true", help="print the effective configuration as YAML")
    config.add_argument("--config", metavar="FILE", default=None, help="YAML configuration to overlay")
    return parser


def _cmd_config(args: argparse.Namespace) -> int:
    from pipeline.config import config_to_yaml

    cfg = load_config(args.config)  # validates; errors name the key
    if args.show:
        sys.stdout.write(config_to_yaml(cfg))
    else:
        print(f"{args.config or 'defaults'}: valid")
    return 0


def _not_in_ipython() -> None:
    """A command-line run is never an IPython session, but Beam asks by importing IPython
    when it is installed (0.3 s); an absent module answers the same without the import."""
    if "IPython" not in sys.modules:
        sys.modules["IPython"] = None  # type: ignore[assignment]


def _check_engine(args: argparse.Namespace, beam_args: Sequence[str]) -> None:
    """The engine options agree with each other and the engine can start (before the pipeline)."""
    if args.engine != "spark":
        for flag, value in (("--spark-master", args.spark_master), ("--spark-conf", args.spark_conf)):
            if value:
                raise UsageError(f"{flag} applies to --engine spark only; add --engine spark or drop {flag}")
        return
    if beam_args:
        raise UsageError(f"unrecognized arguments: {' '.join(beam_args)} (Beam pipeline options apply to "
                         "--engine beam only; Spark settings go in --spark-conf KEY=VALUE)")
    import importlib.util
    import shutil

    if importlib.util.find_spec("pyspark") is None:
        raise UsageError("--engine spark needs PySpark: pip install -e '.[spark]'")
    java_home = os.environ.get("JAVA_HOME")
    if not (java_home and os.path.isfile(os.path.join(java_home, "bin", "java"))) and not shutil.which("java"):
        raise UsageError("--engine spark needs Java 17 or later: install a JDK and put java on PATH or set JAVA_HOME")


def _cmd_run(args: argparse.Namespace, beam_args: Sequence[str]) -> int:
    config = load_config(args.config)  # before importing Beam: a bad file is answered at once
    _check_engine(args, beam_args)
    if args.engine == "beam":
        _not_in_ipython()
    from pipeline.run import run_pipeline

    logging.basicConfig(level=logging.ERROR if args.quiet else logging.WARNING)
    if args.engine == "spark":  # Py4J's errors about connections an interrupted run drops (see _DropNoise)
        logging.getLogger("py4j").setLevel(logging.CRITICAL)
    inputs = args.input or [sample_corpus_path()]
    for flag, paths in (("--tokenizer", [args.tokenizer] if args.tokenizer else []),
                        ("--decontaminate-with", args.decontaminate_with or [])):
        for path in paths:
            if "://" not in path and not os.path.isfile(path):
                raise UsageError(f"{flag} {path}: no such file")
    if args.tokenizer:
        config = dataclasses.replace(config, shards=dataclasses.replace(config.shards, tokenizer=args.tokenizer))
    if args.decontaminate_with:
        decon = config.quality.decontamination
        decon = dataclasses.replace(decon, extra_jsonl=tuple(decon.extra_jsonl) + tuple(args.decontaminate_with))
        config = dataclasses.replace(config, quality=dataclasses.replace(config.quality, decontamination=decon))
    from pipeline.config import validate

    config = validate(config)  # --tokenizer and --decontaminate-with paths must exist
    progress = sys.stderr.isatty() if args.progress is None else args.progress
    if not args.output.strip():
        raise UsageError("--output is empty: give a folder for the outputs")
    summary = run_pipeline(inputs, args.output, config, list(beam_args), progress and not args.quiet,
                           args.progress_interval, overwrite=args.overwrite, allow_empty=args.allow_empty,
                           warn=_warn, engine=args.engine, spark_master=args.spark_master,
                           spark_conf=args.spark_conf or ())
    print(summary)
    return 0


def _warn(line: str) -> None:
    print(f"repocurate: {line}", file=sys.stderr)


class UsageError(ValueError):
    """A command-line value that cannot work; the message names it and the fix (exit 2)."""


def _cmd_report(args: argparse.Namespace) -> int:
    out = args.output
    if "://" not in out and not os.path.isfile(os.path.join(out, "ledger.json")):
        what = "no such folder" if not os.path.isdir(out) else "no ledger.json in it"
        raise UsageError(f"report --output {out}: {what}; give the output folder of a finished "
                         f"`repocurate run --output {out}`")
    from pipeline.report import build_report

    print(build_report(out))
    return 0


class _DropNoise(logging.Filter):
    """Beam logs at import that the optional GCP client libraries are missing: not our concern.
    Py4J (the Spark engine's bridge to the JVM) logs to the root logger, with a traceback,
    every call it loses when a run is interrupted or fails: the run's own error says it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if f"{os.sep}py4j{os.sep}" in record.pathname:
            return False
        return "apitools not found" not in record.getMessage()


def main(argv: Optional[Sequence[str]] = None) -> int:
    logging.getLogger().addFilter(_DropNoise())
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if args.command != "run" and extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if args.command == "run":
            return _cmd_run(args, extra)
        if args.command == "config":
            return _cmd_config(args)
        return args.func(args)
    except KeyboardInterrupt:
        print("\nrepocurate: interrupted", file=sys.stderr)
        return 130
    except ConfigError as exc:
        print(f"repocurate: configuration error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        code = _exit_code(exc)
        if code is None:
            raise
        print(f"repocurate: {exc}", file=sys.stderr)
        return code


# Expected failures: (module, class) -> exit code. Looked up in sys.modules, so answering
# an error never imports Beam (seconds) just to name its class.
_EXPECTED = {("pipeline.run", "EmptyRunError"): 1, ("pipeline.sources.plan", "InputError"): 2,
             ("pipeline.ledger", "LedgerError"): 2, ("pipeline.outdir", "OutputError"): 2}


def _exit_code(exc: BaseException) -> Optional[int]:
    if isinstance(exc, UsageError):
        return 2
    for (module, name), code in _EXPECTED.items():
        cls = getattr(sys.modules.get(module), name, None)
        if cls is not None and isinstance(exc, cls):
            return code
    return None


if __name__ == "__main__":
    sys.exit(main())
