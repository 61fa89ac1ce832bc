# Copyright 2024 Nordwind Labs
"""HTTP client for the station API, with retries and a small in-memory cache."""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Optional

import requests

from . import units
from .cache import DiskCache
from .observations import Observation, parse_series, summarize
from weatherlib.stations import Station, by_icao

if TYPE_CHECKING:
    from weatherlib.forecast import Outlook

DEFAULT_BASE_URL = "https://stations.nordwind.example/api/v2"


class WeatherClient:
    """Thin wrapper around the REST API.

    >>> client = WeatherClient(api_key="demo")          # doctest: +SKIP
    >>> client.latest("EDDB").temperature_c             # doctest: +SKIP
    7.4
    """

    def __init__(
        self,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 20.0,
        retries: int = 3,
        cache_ttl: float = 300.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.cache_ttl = cache_ttl
        self._session = requests.Session()
        self._session.headers.update({"Authorization": f"Bearer {api_key}"})
        self._cache: dict[str, tuple[float, Any]] = {}
        self._disk = DiskCache(ttl=cache_ttl)

    def _get(self, path: str, params: Optional[dict[str, Any]] = None) -> Any:
        key = path + "?" + "&".join(f"{k}={v}" for k, v in sorted((params or {}).items()))
        cached = self._cache.get(key)
        if cached and time.monotonic() - cached[0] < self.cache_ttl:
            return cached[1]
        on_disk = self._disk.get(key)
        if on_disk is not None:
            return on_disk
        last_error: Optional[Exception] = None
        for attempt in range(self.retries):
            try:
                response: requests.Response = self._session.get(
                    f"{self.base_url}/{path}", params=params, timeout=self.timeout
                )
                response.raise_for_status()
                data = response.json()
                self._cache[key] = (time.monotonic(), data)
                self._disk.put(key, data)
                return data
            except requests.RequestException as exc:
                last_error = exc
                time.sleep(0.5 * 2**attempt)
        raise ConnectionError(f"GET {path} failed after {self.retries} attempts") from last_error

    def station(self, icao: str) -> Station:
        """Station metadata from the bundled list (no network access)."""
        return by_icao(icao)

    def history(self, icao: str, hours: int = 24) -> list[Observation]:
        """Observations of the last ``hours`` hours, oldest first."""
        payload = self._get(f"stations/{icao.upper()}/observations", {"hours": hours})
        return parse_series(payload)

    def latest(self, icao: str) -> Observation:
        """The most recent observation of a station."""
        series = self.history(icao, hours=2)
        if not series:
            raise LookupError(f"no recent observations for {icao}")
        return series[-1]

    def latest_fahrenheit(self, icao: str) -> float:
        """Convenience for US users: the latest temperature in Fahrenheit."""
        return units.celsius_to_fahrenheit(self.latest(icao).temperature_c)

    def outlook(self, icao: str, horizon_hours: int = 6) -> Outlook:
        """Hourly temperature outlook built from the last day of observations."""
        return summarize(self.history(icao, hours=24), horizon_hours)["outlook"]
