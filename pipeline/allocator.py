"""glibc allocator settings for a run: large buffers reused instead of mapped and unmapped.

glibc serves allocations over its mmap threshold (128 KB, raised dynamically only after a
free) with a fresh ``mmap`` each time, so a run that builds and drops many multi-megabyte
strings and buffers (file contents, repository batches, encoded streams) pays page faults
for every one: 2.7 s of system time on a 100 MB benchmark run. Serving them from the heap
(threshold 256 MB, heap trimmed only when 512 MB are free at its top) halves the page
faults and cuts system time to 1.6 s at the same peak memory (benchmarks/RESULTS.md).
Settings the user already chose through ``MALLOC_*`` environment variables are kept.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
SETTINGS = {"MALLOC_MMAP_THRESHOLD_": (M_MMAP_THRESHOLD, 256 << 20),
            "MALLOC_TRIM_THRESHOLD_": (M_TRIM_THRESHOLD, 512 << 20)}


def tune_allocator() -> bool:
    """Apply :data:`SETTINGS` to this process (glibc only) and, through the environment, to
    the worker processes it starts; returns whether this process was changed."""
    if any(name in os.environ for name in SETTINGS):
        return False
    path = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(path) if path else None
        mallopt = libc.mallopt if libc is not None else None
    except (OSError, AttributeError):
        mallopt = None
    if mallopt is None:
        return False
    changed = all(mallopt(option, value) == 1 for option, value in SETTINGS.values())
    if changed:
        for name, (_, value) in SETTINGS.items():
            os.environ[name] = str(value)
    return changed
