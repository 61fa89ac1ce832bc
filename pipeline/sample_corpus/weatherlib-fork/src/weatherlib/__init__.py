# Copyright 2024 Nordwind Labs
"""weatherlib: fetch, convert and summarise weather station observations.

The package re-exports its main modules so that ``import weatherlib`` is enough for
interactive use::

    >>> import weatherlib
    >>> weatherlib.units.celsius_to_fahrenheit(20.0)
    68.0
"""
from __future__ import annotations

from . import forecast, stations, units
from ._version import __version__
from .client import WeatherClient
from .observations import Observation

__all__ = [
    "Observation",
    "WeatherClient",
    "__version__",
    "forecast",
    "stations",
    "units",
]
