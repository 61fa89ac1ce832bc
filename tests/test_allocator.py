from __future__ import annotations

import os
import platform

import pytest

from pipeline.allocator import SETTINGS, tune_allocator


def test_user_settings_are_kept(monkeypatch):
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "65536")
    assert tune_allocator() is False
    assert os.environ["MALLOC_MMAP_THRESHOLD_"] == "65536"


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_glibc_process_and_workers_get_the_settings(monkeypatch):
    monkeypatch.setattr(os, "environ", {k: v for k, v in os.environ.items() if k not in SETTINGS})
    assert tune_allocator() is True
    for name, (_, value) in SETTINGS.items():
        assert os.environ[name] == str(value)
