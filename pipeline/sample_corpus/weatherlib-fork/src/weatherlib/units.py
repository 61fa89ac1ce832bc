# Copyright 2024 Nordwind Labs
"""Unit conversions for temperature, wind speed and pressure.

All functions take and return plain floats so they can be mapped over numpy arrays
as well as used on single readings.
"""
from __future__ import annotations

import math

KMH_PER_MS = 3.6
KNOTS_PER_MS = 1.943844
HPA_PER_INHG = 33.8639


def celsius_to_fahrenheit(celsius: float) -> float:
    """Convert degrees Celsius to degrees Fahrenheit."""
    return celsius * 9.0 / 5.0 + 32.0


def fahrenheit_to_celsius(fahrenheit: float) -> float:
    """Convert degrees Fahrenheit to degrees Celsius."""
    return (fahrenheit - 32.0) * 5.0 / 9.0


def celsius_to_kelvin(celsius: float) -> float:
    """Convert degrees Celsius to kelvin."""
    return celsius + 273.15


def ms_to_kmh(speed: float) -> float:
    """Convert metres per second to kilometres per hour."""
    return speed * KMH_PER_MS


def ms_to_knots(speed: float) -> float:
    """Convert metres per second to knots."""
    return speed * KNOTS_PER_MS


def knots_to_ms(speed: float) -> float:
    """Convert knots to metres per second."""
    return speed / KNOTS_PER_MS


def hpa_to_inhg(pressure: float) -> float:
    """Convert hectopascal to inches of mercury."""
    return pressure / HPA_PER_INHG


def wind_chill(temperature_c: float, wind_kmh: float) -> float:
    """Apparent temperature from the North American wind chill index.

    The formula is only defined for temperatures at or below 10 C and wind speeds
    above 4.8 km/h; outside that range the air temperature is returned unchanged.
    """
    if temperature_c > 10.0 or wind_kmh <= 4.8:
        return temperature_c
    v = math.pow(wind_kmh, 0.16)
    return 13.12 + 0.6215 * temperature_c - 11.37 * v + 0.3965 * temperature_c * v
