"""Retry helpers for flaky network calls."""
from __future__ import annotations

import time
from typing import Callable, TypeVar

T = TypeVar("T")


def retry(call: Callable[[], T], attempts: int = 3, delay: float = 0.5) -> T:
    """Call ``call`` until it succeeds, sleeping longer after each failure."""
<<<<<<< HEAD
    for attempt in range(attempts):
        try:
            return call()
        except OSError:
            if attempt == attempts - 1:
                raise
            time.sleep(delay * 2 ** attempt)
=======
    last_error = None
    for attempt in range(attempts):
        try:
            return call()
        except (OSError, TimeoutError) as exc:
            last_error = exc
            time.sleep(delay * (attempt + 1)
    raise last_error
>>>>>>> feature/linear-backoff
    raise AssertionError("unreachable")
