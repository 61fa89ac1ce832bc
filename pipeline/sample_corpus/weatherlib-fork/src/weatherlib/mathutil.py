# Copyright 2024 Nordwind Labs
"""Small numeric helpers used by the forecast and export code."""
from __future__ import annotations

import math
from typing import Iterable, Iterator, Sequence

from typing import List


def has_close_elements(numbers: List[float], threshold: float) -> bool:
    """ Check if in given list of numbers, are any two numbers closer to each other than
    given threshold.
    >>> has_close_elements([1.0, 2.0, 3.0], 0.5)
    False
    >>> has_close_elements([1.0, 2.8, 3.0, 4.0, 5.0, 2.0], 0.3)
    True
    """
    for idx, elem in enumerate(numbers):
        for idx2, elem2 in enumerate(numbers):
            if idx != idx2:
                distance = abs(elem - elem2)
                if distance < threshold:
                    return True

    return False


def moving_average(values: Iterable[float], window: int) -> Iterator[float]:
    """Yield the mean of each full window of ``window`` consecutive values."""
    if window < 1:
        raise ValueError("window must be at least 1")
    buffer: list[float] = []
    total = 0.0
    for value in values:
        buffer.append(value)
        total += value
        if len(buffer) > window:
            total -= buffer.pop(0)
        if len(buffer) == window:
            yield total / window


def interpolate(x0: float, y0: float, x1: float, y1: float, x: float) -> float:
    """Linear interpolation of y at x between (x0, y0) and (x1, y1)."""
    if x1 == x0:
        return y0
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


def dew_point(temperature_c: float, humidity_pct: float) -> float:
    """Dew point in Celsius from the Magnus formula (b = 17.62, c = 243.12)."""
    b, c = 17.62, 243.12
    gamma = math.log(max(humidity_pct, 1e-6) / 100.0) + b * temperature_c / (c + temperature_c)
    return c * gamma / (b - gamma)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) with linear interpolation between closest ranks."""
    if not values:
        raise ValueError("percentile of an empty sequence")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return interpolate(low, ordered[low], high, ordered[high], rank)
