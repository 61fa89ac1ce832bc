# Copyright 2024 Nordwind Labs
import math

import pytest

import weatherlib
from weatherlib.units import celsius_to_fahrenheit, fahrenheit_to_celsius, wind_chill


@pytest.mark.parametrize("celsius, fahrenheit", [(-40.0, -40.0), (0.0, 32.0), (100.0, 212.0)])
def test_celsius_fahrenheit_round_trip(celsius, fahrenheit):
    assert celsius_to_fahrenheit(celsius) == pytest.approx(fahrenheit)
    assert fahrenheit_to_celsius(fahrenheit) == pytest.approx(celsius)


def test_wind_chill_is_identity_above_ten_degrees():
    assert wind_chill(15.0, 40.0) == 15.0


def test_wind_chill_lowers_apparent_temperature_in_wind():
    assert wind_chill(-5.0, 30.0) < -5.0


def test_package_reexports_units_module():
    assert math.isclose(weatherlib.units.ms_to_kmh(10.0), 36.0)
