"""The run configuration: one YAML file, validated, with every threshold and stage switch.

Sections are dataclasses; ``load_config(path)`` overlays a YAML file on the defaults and
rejects unknown keys and wrong types with an error that names the key (``crawl.max_file_bytes``).
Then :func:`validate` checks every key's allowed values or range (:data:`RULES`, one rule per
key, and a few rules between keys), so ``repocurate config`` and ``run`` refuse
``ordering.ordering: foo`` or ``near_dedup.threshold: 7`` with the key, the value and what is
allowed, before any stage runs (issue 15, item 4: such values used to pass and reject every
file, or crash after the pipeline). The ranges are the ones each value can work with, not
tuning advice; the reasons behind the defaults are in the stages' docstrings.
"""
from __future__ import annotations

import dataclasses
import ipaddress
import os
import typing
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import yaml

from dedup.exact import ExactDedupConfig
from dedup.near import NearDedupConfig
from filters.file_filters import FileFilterConfig
from filters.licenses import LicensesConfig
from filters.quality_stage import QualityStageConfig
from parsers.repo_samples import OrderingConfig
from pipeline.limits import CrawlLimits
from tokenize_shards.config import ShardsConfig


class ConfigError(ValueError):
    """A configuration value is unknown or has the wrong type; the message names the key."""


@dataclass(frozen=True)
class CrawlConfig:
    """Reading repositories: size caps and the language allow-list."""

    limits: CrawlLimits = field(default_factory=CrawlLimits)
    keep_unlisted_languages: bool = False  # keep files whose language is not in the 89-name list


@dataclass(frozen=True)
class OutputConfig:
    """How tables are written: deterministic sorted Parquet parts of about this size."""

    target_part_bytes: int = 256 << 20
    compression: str = "zstd"


@dataclass(frozen=True)
class Config:
    crawl: CrawlConfig = field(default_factory=CrawlConfig)
    licenses: LicensesConfig = field(default_factory=LicensesConfig)
    file_filters: FileFilterConfig = field(default_factory=FileFilterConfig)
    near_dedup: NearDedupConfig = field(default_factory=NearDedupConfig)
    exact_dedup: ExactDedupConfig = field(default_factory=ExactDedupConfig)
    ordering: OrderingConfig = field(default_factory=OrderingConfig)
    quality: QualityStageConfig = field(default_factory=QualityStageConfig)
    shards: ShardsConfig = field(default_factory=ShardsConfig)
    output: OutputConfig = field(default_factory=OutputConfig)


def _build(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"{where or 'config'}: expected a mapping, got {type(data).__name__}")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{where}.{key}" if where else str(key)
        if key not in fields:
            known = ", ".join(sorted(fields))
            raise ConfigError(f"{name}: unknown key (known keys: {known})")
        values[key] = _coerce(hints[key], value, name)
    try:
        return cls(**values)
    except (ValueError, TypeError) as exc:  # a section's own validation
        raise ConfigError(f"{where or 'config'}: {exc}") from exc


def _coerce(tp: Any, value: Any, name: str) -> Any:
    if dataclasses.is_dataclass(tp):
        return _build(tp, value, name)
    origin = typing.get_origin(tp)
    if origin is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None:
            return None
        return _coerce(args[0], value, name)
    if origin in (tuple, list, frozenset, set):
        if not isinstance(value, (list, tuple, set, frozenset)):
            raise ConfigError(f"{name}: expected a list, got {value!r}")
        (item,) = typing.get_args(tp)[:1] or (Any,)
        items = [_coerce(item, v, f"{name}[{i}]") for i, v in enumerate(value)]
        return frozenset(items) if origin in (frozenset, set) else tuple(items)
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{name}: expected true or false, got {value!r}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{name}: expected an integer, got {value!r}")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{name}: expected a number, got {value!r}")
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise ConfigError(f"{name}: expected a string, got {value!r}")
        return value
    return value


# ---------------------------------------------------------------------------------------
# Allowed values: one rule per key. A rule is (test, what is allowed); a key without a rule
# fails tests/test_config.py, so a new key cannot go unchecked.

Rule = tuple[Callable[[Any], bool], str]
_INT64 = 2**63 - 1


def _int_range(low: int, high: int = _INT64) -> Rule:
    text = f"a whole number >= {low}" if high == _INT64 else f"a whole number from {low} to {high}"
    return (lambda v: low <= v <= high), text


def _number_range(low: float, high: float = float("inf"), low_open: bool = False,
                  high_open: bool = False) -> Rule:
    def test(v: float) -> bool:
        return (v == v and (low < v if low_open else low <= v)  # v == v: not NaN
                and (v < high if high_open else v <= high))

    left, right = (">" if low_open else ">="), ("<" if high_open else "<=")
    text = f"a number {left} {low:g}" if high == float("inf") else f"a number {left} {low:g} and {right} {high:g}"
    return test, text


def _choice(*values: str) -> Rule:
    return (lambda v: v in values), "one of " + ", ".join(values)


def _each(test: Callable[[Any], bool], text: str) -> Rule:
    return (lambda v: all(test(x) for x in v)), text


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _local_file(path: str) -> bool:
    return "://" in path or os.path.isfile(path)


POSITIVE = _int_range(1)
COUNT = _int_range(0)
FRACTION = _number_range(0.0, 1.0)
SEED = _int_range(0, 2**32 - 1)  # numpy's RandomState takes seeds below 2**32
ANY_BOOL: Rule = (lambda v: isinstance(v, bool), "true or false")


def _language_list() -> Rule:
    from contract.languages import LANGUAGES

    known = frozenset(LANGUAGES)
    return _each(lambda x: x in known, "language slugs of contract.languages.LANGUAGES (e.g. json, yaml, cpp)")


def _benchmarks() -> Rule:
    from filters.benchmark_data import BUILTIN_SOURCES

    return _each(lambda x: x in BUILTIN_SOURCES, "names from " + ", ".join(sorted(BUILTIN_SOURCES)))


def _compressions() -> Rule:
    return _choice("none", "snappy", "gzip", "brotli", "lz4", "zstd")


def _orderings() -> Rule:
    from parsers.ordering import ORDERINGS

    return _choice(*sorted(ORDERINGS))


def _char_classes() -> Rule:
    from filters.file_filters import CHAR_CLASSES

    return _choice(*sorted(CHAR_CLASSES))


def _verify_modes() -> Rule:
    from dedup.near import VERIFY_MODES

    return _choice(*VERIFY_MODES)


def _license_modes() -> Rule:
    from filters.licenses import MODES

    return _choice(*MODES)


def _license_ids() -> Rule:
    from filters.licenses import is_license_id

    return _each(is_license_id, "SPDX license ids (e.g. MIT, Apache-2.0, BSD-3-Clause)")


NON_EMPTY_STRINGS = _each(lambda x: bool(x.strip()), "non-empty strings")

RULES: dict[str, Any] = {
    "crawl.limits.max_file_bytes": POSITIVE,
    "crawl.limits.archive_max_members": POSITIVE,
    "crawl.limits.archive_max_total_bytes": POSITIVE,
    "crawl.limits.archive_max_ratio": _number_range(1.0),
    "crawl.limits.git_timeout_s": _number_range(0.0, low_open=True),
    "crawl.limits.git_max_bytes": POSITIVE,
    "crawl.keep_unlisted_languages": ANY_BOOL,
    "file_filters.vendored": ANY_BOOL,
    "file_filters.generated": ANY_BOOL,
    "file_filters.data_size": ANY_BOOL,
    "file_filters.xml": ANY_BOOL,
    "file_filters.line_length": ANY_BOOL,
    "file_filters.alpha_fraction": ANY_BOOL,
    "file_filters.html": ANY_BOOL,
    "file_filters.max_avg_line_length": _number_range(0.0, low_open=True),
    "file_filters.max_line_length": POSITIVE,
    "file_filters.min_alpha_fraction": FRACTION,
    "file_filters.alpha_char_class": _char_classes,
    "file_filters.xml_window": POSITIVE,
    "file_filters.html_min_visible_fraction": FRACTION,
    "file_filters.html_min_visible_chars": COUNT,
    "file_filters.data_min_chars": COUNT,
    "file_filters.data_max_chars": POSITIVE,
    "file_filters.data_languages": _language_list,
    "file_filters.generated_header_lines": POSITIVE,
    "file_filters.generated_header_chars": POSITIVE,
    "file_filters.minified_avg_line_length": _number_range(0.0, low_open=True),
    "file_filters.minified_max_whitespace": FRACTION,
    "licenses.enabled": ANY_BOOL,
    "licenses.mode": _license_modes,
    "licenses.allowed": _license_ids,
    "exact_dedup.enabled": ANY_BOOL,
    "exact_dedup.max_repo_share": FRACTION,
    "ordering.ordering": _orderings,
    "ordering.max_sample_bytes": POSITIVE,
    "ordering.max_repo_bytes": POSITIVE,
    "ordering.exact_limit": _int_range(0, 20),  # the exact order is a DP over 2**n subsets
    "near_dedup.enabled": ANY_BOOL,
    "near_dedup.threshold": _number_range(0.0, 1.0, low_open=True, high_open=True),  # dedup.lsh.optimal_bands
    # the band search (dedup.lsh.optimal_bands) grows with num_perm squared: 6 s at 1024
    "near_dedup.num_perm": _int_range(1, 1024),
    "near_dedup.ngram": POSITIVE,
    "near_dedup.seed": SEED,
    "near_dedup.lowercase": ANY_BOOL,
    "near_dedup.verify": _verify_modes,
    "near_dedup.max_bucket_pairs": POSITIVE,
    "near_dedup.fp_weight": FRACTION,
    "near_dedup.fn_weight": FRACTION,
    "quality.enabled": ANY_BOOL,
    "quality.rules.syntax.tree_sitter": ANY_BOOL,
    "quality.rules.syntax.python_compile": ANY_BOOL,
    "quality.rules.syntax.c_syntax": ANY_BOOL,
    "quality.rules.syntax.max_error_fraction": FRACTION,
    "quality.rules.syntax.max_errors": COUNT,
    "quality.rules.syntax.max_missing": COUNT,
    "quality.rules.syntax.skip_languages": _language_list,
    "quality.rules.readability.too_little_code": ANY_BOOL,
    "quality.rules.readability.long_function": ANY_BOOL,
    "quality.rules.readability.nesting_depth": ANY_BOOL,
    "quality.rules.readability.one_letter_identifiers": ANY_BOOL,
    "quality.rules.readability.comment_fraction": ANY_BOOL,
    "quality.rules.readability.numeric_data": ANY_BOOL,
    "quality.rules.readability.repeated_lines": ANY_BOOL,
    "quality.rules.readability.encoded_data": ANY_BOOL,
    "quality.rules.readability.min_code_lines": COUNT,
    "quality.rules.readability.max_function_lines": POSITIVE,
    "quality.rules.readability.max_depth": POSITIVE,
    "quality.rules.readability.max_one_letter_fraction": FRACTION,
    "quality.rules.readability.min_identifiers": COUNT,
    "quality.rules.readability.min_comment_fraction": FRACTION,
    "quality.rules.readability.max_comment_fraction": FRACTION,
    "quality.rules.readability.max_numeric_fraction": FRACTION,
    "quality.rules.readability.max_repeated_fraction": FRACTION,
    "quality.rules.readability.repeated_min_line_chars": COUNT,
    "quality.rules.readability.max_encoded_fraction": FRACTION,
    "quality.rules.readability.max_encoded_run_chars": POSITIVE,
    "quality.decontamination.enabled": ANY_BOOL,
    "quality.decontamination.benchmarks": _benchmarks,
    "quality.decontamination.extra_jsonl": _each(_local_file, "paths of existing JSONL files"),
    "quality.redact_pii": ANY_BOOL,
    "quality.pii.emails": ANY_BOOL,
    "quality.pii.ip_addresses": ANY_BOOL,
    "quality.pii.keys": ANY_BOOL,
    "quality.pii.passwords": ANY_BOOL,
    "quality.pii.entropy_strings": ANY_BOOL,
    "quality.pii.hex_entropy": ANY_BOOL,
    "quality.pii.base64_limit": _number_range(0.0, 6.0, low_open=True),  # bits per base64 character: at most 6
    "quality.pii.hex_limit": _number_range(0.0, 4.0, low_open=True),     # bits per hex digit: at most 4
    "quality.pii.gibberish_limit": _number_range(0.0, low_open=True),
    "quality.pii.min_password_length": POSITIVE,
    "quality.pii.allowed_email_domains": NON_EMPTY_STRINGS,
    "quality.pii.allowed_email_local_parts": NON_EMPTY_STRINGS,
    "quality.pii.allowed_ips": _each(_is_ip, "IPv4 or IPv6 addresses"),
    "quality.pii.lock_file_names": NON_EMPTY_STRINGS,
    "quality.min_sample_bytes": COUNT,
    "shards.tokenizer": ((lambda v: v == "" or _local_file(v)), "\"\" (train one) or the path of an existing tokenizer.json"),
    "shards.vocab_size": _int_range(256, 2**31 - 64),  # the 256 byte tokens; ids must fit int32
    "shards.train_sample_bytes": POSITIVE,
    "shards.fim_rate": FRACTION,
    "shards.fim_spm_rate": FRACTION,
    "shards.seed": SEED,
    "shards.target_shard_tokens": POSITIVE,
    "shards.piece_chars": POSITIVE,
    "shards.batch_documents": POSITIVE,
    "output.target_part_bytes": POSITIVE,
    "output.compression": _compressions,
}

# (keys, test on their values, what is allowed)
CROSS_RULES: tuple[tuple[tuple[str, ...], Callable[..., bool], str], ...] = (
    (("file_filters.data_min_chars", "file_filters.data_max_chars"), lambda lo, hi: lo <= hi,
     "data_min_chars must not exceed data_max_chars"),
    (("quality.rules.readability.min_comment_fraction", "quality.rules.readability.max_comment_fraction"),
     lambda lo, hi: lo <= hi, "min_comment_fraction must not exceed max_comment_fraction"),
    (("near_dedup.fp_weight", "near_dedup.fn_weight"), lambda fp, fn: fp + fn > 0,
     "fp_weight and fn_weight must not both be 0"),
)


def leaf_values(config: Any, prefix: str = "") -> dict[str, Any]:
    """``{"section.key": value}`` for every leaf key of a configuration."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(config):
        value, name = getattr(config, f.name), f"{prefix}{f.name}"
        if dataclasses.is_dataclass(value):
            out.update(leaf_values(value, name + "."))
        else:
            out[name] = value
    return out


def _rule(key: str) -> Rule:
    rule = RULES[key]
    return rule() if callable(rule) and not isinstance(rule, tuple) else rule


def _shown(value: Any) -> str:
    if isinstance(value, (frozenset, set)):
        value = sorted(value)
    return yaml.safe_dump(config_to_dict(value), default_flow_style=True, width=10**6).strip().removesuffix("...").strip()


def validate(config: Config) -> Config:
    """Check every key's value against :data:`RULES` and :data:`CROSS_RULES`; raises
    :class:`ConfigError` ``key: value is not allowed (allowed: ...)``."""
    values = leaf_values(config)
    for key, value in values.items():
        if key not in RULES:
            raise ConfigError(f"{key}: no rule for this key's allowed values (a bug: add it to pipeline.config.RULES)")
        test, allowed = _rule(key)
        if not test(value):
            raise ConfigError(f"{key}: {_shown(value)} is not allowed (allowed: {allowed})")
    for keys, test, allowed in CROSS_RULES:
        if not test(*(values[k] for k in keys)):
            shown = ", ".join(f"{k}: {_shown(values[k])}" for k in keys)
            raise ConfigError(f"{shown}: not allowed ({allowed})")
    return config


def config_from_dict(data: Optional[dict]) -> Config:
    """Defaults overlaid with ``data``, validated; raises :class:`ConfigError` naming a bad key."""
    return validate(_build(Config, data or {}, ""))


def load_config(path: Optional[str]) -> Config:
    """Read a YAML configuration file (``None``: the defaults)."""
    if not path:
        return Config()
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except FileNotFoundError:
        raise ConfigError(f"--config {path}: no such file; give a YAML file (`repocurate config --show` "
                          "prints every key with its default)") from None
    except IsADirectoryError:
        raise ConfigError(f"--config {path}: is a folder, not a YAML file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"--config {path}: cannot be read ({exc})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from None
    if data is not None and not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of sections (crawl:, file_filters:, ...), "
                          f"got {type(data).__name__}")
    return config_from_dict(data or {})


def config_to_dict(config: Any) -> Any:
    """Plain nested dict/list values, for YAML output."""
    if dataclasses.is_dataclass(config):
        return {f.name: config_to_dict(getattr(config, f.name)) for f in dataclasses.fields(config)}
    if isinstance(config, tuple):
        return [config_to_dict(v) for v in config]
    if isinstance(config, (set, frozenset)):
        return sorted(config_to_dict(v) for v in config)
    return config


def config_to_yaml(config: Config) -> str:
    return yaml.safe_dump(config_to_dict(config), sort_keys=False, allow_unicode=True)
