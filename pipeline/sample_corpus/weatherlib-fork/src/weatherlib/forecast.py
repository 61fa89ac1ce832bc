# Copyright 2024 Nordwind Labs
"""A naive forecast: persistence plus a least-squares temperature trend."""
from __future__ import annotations

from typing import List, Sequence

import numpy as np

from .observations import Observation

SECONDS_PER_HOUR = 3600.0
Outlook = List[float]


def temperature_trend(series: Sequence[Observation]) -> float:
    """Slope of temperature over time in degrees per hour (0.0 for fewer than 2 points)."""
    if len(series) < 2:
        return 0.0
    t0 = series[0].observed_at.timestamp()
    hours = np.array([(o.observed_at.timestamp() - t0) / SECONDS_PER_HOUR for o in series])
    temps = np.array([o.temperature_c for o in series])
    slope, _intercept = np.polyfit(hours, temps, deg=1)
    return float(slope)


def trend_forecast(series: Sequence[Observation], horizon_hours: int = 6) -> Outlook:
    """Forecast hourly temperatures by extending the recent trend.

    The trend is damped by half every three hours so that a warm afternoon does not
    turn into an impossible night.
    """
    if not series:
        return []
    slope = temperature_trend(series[-24:])
    last = series[-1].temperature_c
    out = []
    for hour in range(1, horizon_hours + 1):
        damping = 0.5 ** (hour / 3.0)
        last += slope * damping
        out.append(round(last, 1))
    return out


def will_freeze(series: Sequence[Observation], horizon_hours: int = 6) -> bool:
    """True when any forecast hour drops to or below zero degrees Celsius."""
    return any(t <= 0.0 for t in trend_forecast(series, horizon_hours))
