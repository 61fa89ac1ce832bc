# Copyright 2024 Nordwind Labs
"""Observations: one reading of a station, and parsing of API responses into them.

``forecast`` imports this module for the :class:`Observation` type and this module
calls back into ``forecast`` to attach a short outlook to a series, so the two form
an import cycle that Python resolves because the call happens at run time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Sequence

from weatherlib import forecast
from .units import ms_to_kmh


@dataclass(frozen=True)
class Observation:
    """A single station reading. Wind speed is stored in km/h, pressure in hPa."""

    station: str
    observed_at: datetime
    temperature_c: float
    humidity_pct: float
    wind_kmh: float
    pressure_hpa: float
    remarks: tuple[str, ...] = field(default=())

    @classmethod
    def from_api(cls, payload: dict[str, Any]) -> "Observation":
        """Build an observation from one element of the API's ``observations`` list."""
        return cls(
            station=payload["station"],
            observed_at=datetime.fromtimestamp(payload["timestamp"], tz=timezone.utc),
            temperature_c=float(payload["temperature"]),
            humidity_pct=float(payload.get("humidity", 0.0)),
            wind_kmh=ms_to_kmh(float(payload.get("wind_speed", 0.0))),
            pressure_hpa=float(payload.get("pressure", 1013.25)),
            remarks=tuple(payload.get("remarks", ())),
        )


def parse_series(payload: dict[str, Any]) -> list[Observation]:
    """Parse an API response into observations sorted by time."""
    items = [Observation.from_api(item) for item in payload.get("observations", [])]
    return sorted(items, key=lambda o: o.observed_at)


def summarize(series: Sequence[Observation], horizon_hours: int = 6) -> dict[str, Any]:
    """Min/max/mean temperature of a series plus a naive outlook from ``forecast``."""
    if not series:
        raise ValueError("cannot summarize an empty series")
    temps = [o.temperature_c for o in series]
    return {
        "station": series[-1].station,
        "min_c": min(temps),
        "max_c": max(temps),
        "mean_c": sum(temps) / len(temps),
        "outlook": forecast.trend_forecast(series, horizon_hours),
    }
