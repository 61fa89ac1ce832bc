# Copyright 2024 Nordwind Labs
"""Shared fixtures: a synthetic observation series that warms up by one degree an hour."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from weatherlib.observations import Observation


@pytest.fixture
def warming_series() -> list[Observation]:
    start = datetime(2024, 3, 1, 6, 0, tzinfo=timezone.utc)
    return [
        Observation(
            station="EDDB",
            observed_at=start + timedelta(hours=h),
            temperature_c=2.0 + h,
            humidity_pct=80.0 - 2 * h,
            wind_kmh=12.0,
            pressure_hpa=1012.0,
        )
        for h in range(8)
    ]
