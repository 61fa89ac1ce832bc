# Copyright 2024 Nordwind Labs
"""Station metadata: lookup by ICAO code and nearest-station search."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

EARTH_RADIUS_KM = 6371.0
DEFAULT_STATIONS = Path(__file__).resolve().parents[2] / "data" / "stations.json"


@dataclass(frozen=True)
class Station:
    """A weather station as listed in ``data/stations.json``."""

    icao: str
    name: str
    country: str
    latitude: float
    longitude: float
    elevation_m: int = 0

    def distance_km(self, latitude: float, longitude: float) -> float:
        """Great-circle distance from this station to a point (haversine formula)."""
        phi1, phi2 = math.radians(self.latitude), math.radians(latitude)
        dphi = phi2 - phi1
        dlmb = math.radians(longitude - self.longitude)
        a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
        return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@lru_cache(maxsize=4)
def load_stations(path: Path = DEFAULT_STATIONS) -> tuple[Station, ...]:
    """Read a station list (by default the repository's ``data/stations.json``) once."""
    rows = json.loads(path.read_text("utf-8"))["stations"]
    return tuple(
        Station(r["icao"], r["name"], r["country"], r["latitude"], r["longitude"], r["elevation_m"])
        for r in rows
        if r.get("active", True)
    )


def by_icao(code: str, stations: Optional[Iterable[Station]] = None) -> Station:
    """Return the station with the given ICAO code (case-insensitive)."""
    code = code.upper()
    for station in stations if stations is not None else load_stations():
        if station.icao == code:
            return station
    raise KeyError(f"unknown station {code!r}")


def nearest(latitude: float, longitude: float, limit: int = 3) -> list[Station]:
    """The ``limit`` stations closest to a point, nearest first."""
    ranked = sorted(load_stations(), key=lambda s: (s.distance_km(latitude, longitude), s.icao))
    return ranked[:limit]
