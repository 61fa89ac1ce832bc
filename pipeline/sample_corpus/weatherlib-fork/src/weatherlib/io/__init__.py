# Copyright 2024 Nordwind Labs
"""Reading and writing observation series in exchange formats."""
from __future__ import annotations

from .csv_export import read_csv, write_csv

__all__ = ["read_csv", "write_csv"]
