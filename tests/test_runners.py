"""The same pipeline on different Beam runners writes byte-identical outputs."""
from __future__ import annotations


import pytest

from conftest import output_bytes  # noqa: E402
from pipeline.cli import main




@pytest.fixture(scope="module")
def in_process(tmp_path_factory):
    out = tmp_path_factory.mktemp("runners") / "in_process"
    assert main(["run", "--output", str(out), "--quiet", "--direct_running_mode", "in_memory"]) == 0
    return output_bytes(out)


@pytest.mark.parametrize("options", [
    [],  # the default: one worker process per core
    ["--direct_num_workers", "2", "--direct_running_mode", "multi_processing"],
    ["--direct_num_workers", "3", "--direct_running_mode", "multi_processing"],
    ["--runner", "PortableRunner", "--job_endpoint", "embed", "--environment_type", "LOOPBACK"],
], ids=["default", "multi_processing", "multi_processing_3", "portable_loopback"])
def test_runner_gives_byte_identical_outputs(in_process, tmp_path, options):
    out = tmp_path / "out"
    assert main(["run", "--output", str(out), "--quiet", *options]) == 0
    assert output_bytes(out) == in_process
