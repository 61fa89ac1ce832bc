# Copyright 2024 Nordwind Labs
"""CSV export and import of observation series."""
from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Iterable

from .. import units
from ..observations import Observation

COLUMNS = ("station", "observed_at", "temperature_c", "humidity_pct", "wind_kmh", "pressure_hpa")


def write_csv(path: Path, series: Iterable[Observation], fahrenheit: bool = False) -> int:
    """Write a series to ``path``; return the number of rows written."""
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for obs in series:
            temp = units.celsius_to_fahrenheit(obs.temperature_c) if fahrenheit else obs.temperature_c
            writer.writerow([
                obs.station,
                obs.observed_at.isoformat(),
                f"{temp:.1f}",
                f"{obs.humidity_pct:.0f}",
                f"{obs.wind_kmh:.1f}",
                f"{obs.pressure_hpa:.1f}",
            ])
            count += 1
    return count


def read_csv(path: Path) -> list[Observation]:
    """Read a series written by :func:`write_csv` (Celsius only)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            Observation(
                station=row["station"],
                observed_at=datetime.fromisoformat(row["observed_at"]),
                temperature_c=float(row["temperature_c"]),
                humidity_pct=float(row["humidity_pct"]),
                wind_kmh=float(row["wind_kmh"]),
                pressure_hpa=float(row["pressure_hpa"]),
            )
            for row in csv.DictReader(handle)
        ]
