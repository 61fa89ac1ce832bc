from __future__ import annotations

import pytest
import yaml

from pipeline.cli import main
from pipeline.config import Config, ConfigError, config_from_dict, config_to_yaml, load_config


def test_defaults_match_the_paper_numbers():
    cfg = Config()
    assert cfg.crawl.limits.max_file_bytes == 1_000_000
    assert cfg.file_filters is not None


def test_yaml_overlays_defaults(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("crawl:\n  limits:\n    max_file_bytes: 2048\n")
    cfg = load_config(str(path))
    assert cfg.crawl.limits.max_file_bytes == 2048
    assert cfg.exact_dedup.enabled is True


def test_unknown_key_error_names_the_key():
    with pytest.raises(ConfigError, match=r"crawl\.limits\.max_file_byte: unknown key"):
        config_from_dict({"crawl": {"limits": {"max_file_byte": 1}}})


def test_wrong_type_error_names_the_key():
    with pytest.raises(ConfigError, match=r"exact_dedup\.enabled: expected true or false"):
        config_from_dict({"exact_dedup": {"enabled": "yes"}})


def test_shown_configuration_loads_back_to_the_same_config():
    cfg = config_from_dict({"crawl": {"keep_unlisted_languages": True}})
    assert config_from_dict(yaml.safe_load(config_to_yaml(cfg))) == cfg


def test_config_show_prints_every_section(capsys):
    assert main(["config", "--show"]) == 0
    shown = yaml.safe_load(capsys.readouterr().out)
    assert set(shown) == {"crawl", "licenses", "file_filters", "exact_dedup", "ordering", "near_dedup", "quality",
                          "shards", "output"}


def test_config_command_reports_a_bad_key(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("output:\n  colour: blue\n")
    assert main(["config", "--config", str(path)]) == 2
    assert "output.colour: unknown key" in capsys.readouterr().err


def test_a_sections_own_validation_error_names_the_section():
    with pytest.raises(ConfigError, match=r"near_dedup: .*verify"):
        config_from_dict({"near_dedup": {"verify": "sometimes"}})
