"""Small timing helpers (perf_counter; no third-party benchmark tool needed)."""

import statistics
import time
from collections.abc import Callable


def per_call_us(function: Callable[[], object], iterations: int, *, warmup: int = 500) -> float:
    """Mean microseconds per call of ``function`` over ``iterations`` calls."""
    for _ in range(min(warmup, iterations)):
        function()
    start = time.perf_counter()
    for _ in range(iterations):
        function()
    return (time.perf_counter() - start) * 1e6 / iterations


def median_ms(function: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median milliseconds of ``repeat`` calls (after one warm-up call) and the last result."""
    result = function()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        samples.append((time.perf_counter() - start) * 1e3)
    return statistics.median(samples), result
