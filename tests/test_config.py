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


# Allowed values and ranges (issue 15, item 4)

def test_every_key_has_a_rule_for_its_allowed_values():
    from pipeline.config import RULES, leaf_values

    assert sorted(leaf_values(Config())) == sorted(RULES)


def test_the_defaults_are_allowed_values():
    from pipeline.config import validate

    assert validate(Config()) == Config()


@pytest.mark.parametrize("data, message", [
    ({"ordering": {"ordering": "foo"}}, "ordering.ordering: foo is not allowed (allowed: one of max_satisfied, paper)"),
    ({"near_dedup": {"threshold": 7}}, "near_dedup.threshold: 7.0 is not allowed (allowed: a number > 0 and < 1)"),
    ({"near_dedup": {"num_perm": -5}}, "near_dedup.num_perm: -5 is not allowed (allowed: a whole number from 1 to 1024)"),
    ({"file_filters": {"max_avg_line_length": -1}}, "file_filters.max_avg_line_length: -1.0 is not allowed (allowed: a number > 0)"),
    ({"file_filters": {"alpha_char_class": "digit"}}, "file_filters.alpha_char_class: digit is not allowed (allowed: one of alnum, alpha)"),
    ({"shards": {"fim_rate": 1.5}}, "shards.fim_rate: 1.5 is not allowed (allowed: a number >= 0 and <= 1)"),
    ({"shards": {"vocab_size": 100}}, "shards.vocab_size: 100 is not allowed"),
    ({"quality": {"decontamination": {"benchmarks": ["mbpp"]}}}, "quality.decontamination.benchmarks: [mbpp] is not allowed (allowed: names from humaneval)"),
    ({"quality": {"pii": {"allowed_ips": ["8.8.8"]}}}, "quality.pii.allowed_ips: [8.8.8] is not allowed"),
    ({"output": {"compression": "rar"}}, "output.compression: rar is not allowed"),
    ({"file_filters": {"data_languages": ["JSON"]}}, "file_filters.data_languages: [JSON] is not allowed"),
    ({"file_filters": {"data_min_chars": 6000}}, "file_filters.data_min_chars: 6000, file_filters.data_max_chars: 5000: not allowed"),
])
def test_a_value_out_of_its_range_names_the_key_the_value_and_what_is_allowed(data, message):
    with pytest.raises(ConfigError) as error:
        config_from_dict(data)
    assert str(error.value).startswith(message)


def test_config_command_refuses_an_out_of_range_value(tmp_path, capsys):
    path = tmp_path / "c.yaml"
    path.write_text("near_dedup:\n  num_perm: -5\n")
    assert main(["config", "--config", str(path)]) == 2
    assert "near_dedup.num_perm: -5 is not allowed" in capsys.readouterr().err


def test_a_config_file_that_is_not_a_mapping_is_refused(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("- just\n- a list\n")
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_config(str(path))
