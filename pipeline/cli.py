"""The ``repocurate`` command line."""
from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import sys
from typing import Optional, Sequence

from pipeline.config import ConfigError, load_config


def sample_corpus_path() -> str:
    """The small multi-language corpus bundled with the package."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "sample_corpus")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="repocurate",
        description="Repository-level code-data curation (DeepSeek-Coder style) as an Apache Beam pipeline.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    run = sub.add_parser(
        "run",
        help="curate repositories: crawl, filter, dedup, order, quality, token shards",
        description=(
            "Run the curation pipeline. Any argument not listed here is a Beam pipeline option and "
            "passes through unchanged (e.g. --runner DataflowRunner --project P --region R "
            "--temp_location gs://B/tmp --setup_file ./setup.py, or --direct_num_workers 2 "
            "--direct_running_mode multi_processing). Without --runner the in-process DirectRunner is used."
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
                     help="output folder (local path or any Beam filesystem, e.g. gs://bucket/out)")
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

    report = sub.add_parser("report", help="(re)build OUT/report.html from a finished run",
                            description="Write OUT/report.html and its PNG plots from the ledger and tables of a run.")
    report.add_argument("--output", required=True, metavar="DIR", help="the output folder of a finished run")

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


def _cmd_run(args: argparse.Namespace, beam_args: Sequence[str]) -> int:
    _not_in_ipython()
    from pipeline.run import run_pipeline

    logging.basicConfig(level=logging.ERROR if args.quiet else logging.WARNING)
    inputs = args.input or [sample_corpus_path()]
    config = load_config(args.config)
    if args.tokenizer:
        config = dataclasses.replace(config, shards=dataclasses.replace(config.shards, tokenizer=args.tokenizer))
    if args.decontaminate_with:
        decon = config.quality.decontamination
        decon = dataclasses.replace(decon, extra_jsonl=tuple(decon.extra_jsonl) + tuple(args.decontaminate_with))
        config = dataclasses.replace(config, quality=dataclasses.replace(config.quality, decontamination=decon))
    progress = sys.stderr.isatty() if args.progress is None else args.progress
    summary = run_pipeline(inputs, args.output, config, list(beam_args), progress and not args.quiet,
                           args.progress_interval)
    print(summary)
    return 0


class _DropNoise(logging.Filter):
    """Beam logs at import that the optional GCP client libraries are missing: not our concern."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "apitools not found" not in record.getMessage()


def main(argv: Optional[Sequence[str]] = None) -> int:
    logging.getLogger().addFilter(_DropNoise())
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    try:
        if args.command == "run":
            return _cmd_run(args, extra)
        if extra:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        if args.command == "config":
            return _cmd_config(args)
        if args.command in ("train", "complete"):
            if extra:
                parser.error(f"unrecognized arguments: {' '.join(extra)}")
            return args.func(args)
        if args.command == "report":
            from pipeline.report import build_report

            print(build_report(args.output))
            return 0
    except ConfigError as exc:
        print(f"repocurate: configuration error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        from pipeline.ledger import LedgerError
        from pipeline.sources.plan import InputError

        if isinstance(exc, (InputError, LedgerError)):
            print(f"repocurate: {exc}", file=sys.stderr)
            return 2
        raise
    parser.error(f"unknown command {args.command!r}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
