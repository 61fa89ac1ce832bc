"""The run configuration: one YAML file, validated, with every threshold and stage switch.

Sections are dataclasses; ``load_config(path)`` overlays a YAML file on the defaults and
rejects unknown keys and wrong types with an error that names the key (``crawl.max_file_bytes``).
"""
from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field
from typing import Any, Optional

import yaml

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
class ExactDedupConfig:
    """Exact dedup of file contents (sha256 of the bytes) across the whole corpus."""

    enabled: bool = True


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
    exact_dedup: ExactDedupConfig = field(default_factory=ExactDedupConfig)
    ordering: OrderingConfig = field(default_factory=OrderingConfig)
    near_dedup: NearDedupConfig = field(default_factory=NearDedupConfig)
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


def config_from_dict(data: Optional[dict]) -> Config:
    """Defaults overlaid with ``data``; raises :class:`ConfigError` naming a bad key."""
    return _build(Config, data or {}, "")


def load_config(path: Optional[str]) -> Config:
    """Read a YAML configuration file (``None``: the defaults)."""
    if not path:
        return Config()
    with open(path, encoding="utf-8") as fh:
        try:
            data = yaml.safe_load(fh)
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
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
