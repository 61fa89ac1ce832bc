"""A progress display for long local runs: a pass-through step that reports to stderr.

Each worker process prints, at most every ``interval_s`` seconds, how many rows of the
batches (files or samples, and their bytes) it has passed at that point of the pipeline. Elements flow through unchanged.
"""
from __future__ import annotations

import os
import sys
import time

import apache_beam as beam

from pipeline.batches import batch_rows


class _ProgressDoFn(beam.DoFn):
    def __init__(self, label: str, interval_s: float):
        self.label, self.interval_s = label, interval_s

    def setup(self):
        self.count = self.nbytes = 0
        self.last = time.monotonic()

    def process(self, element):
        rows = batch_rows(element)
        self.count += len(rows)
        self.nbytes += sum(int(r.get("size") or r.get("n_bytes") or 0) for r in rows)
        now = time.monotonic()
        if now - self.last >= self.interval_s:
            self.last = now
            print(f"[repocurate pid {os.getpid()}] {self.label}: {self.count} "
                  f"({self.nbytes / 1e6:.1f} MB)", file=sys.stderr, flush=True)
        yield element

    def teardown(self):
        if getattr(self, "count", 0):
            print(f"[repocurate pid {os.getpid()}] {self.label}: {self.count} done "
                  f"({self.nbytes / 1e6:.1f} MB)", file=sys.stderr, flush=True)


class Progress(beam.PTransform):
    """Pass elements through, reporting counts to stderr every few seconds."""

    def __init__(self, what: str, interval_s: float = 5.0):
        super().__init__()
        self.what, self.interval_s = what, interval_s

    def expand(self, pcoll):
        return pcoll | beam.ParDo(_ProgressDoFn(self.what, self.interval_s))
