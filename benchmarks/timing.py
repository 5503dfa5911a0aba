"""Small timing helpers (perf_counter; no third-party benchmark tool needed)."""

import itertools
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


def median_laps_ms(
    function: Callable[[Callable[[], None]], object], repeat: int
) -> tuple[list[float], float, object]:
    """Median milliseconds of each lap of ``function(lap)``, which calls ``lap()`` at the end of
    each of its steps, over ``repeat`` calls (after one warm-up call); the median of the whole
    call and the last result."""

    def once():
        marks = [time.perf_counter()]
        result = function(lambda: marks.append(time.perf_counter()))
        laps = [(end - start) * 1e3 for start, end in itertools.pairwise(marks)]
        return laps, (marks[-1] - marks[0]) * 1e3, result

    once()
    samples = [once() for _ in range(repeat)]
    laps = [
        statistics.median(sample[0][i] for sample in samples) for i in range(len(samples[0][0]))
    ]
    return laps, statistics.median(sample[1] for sample in samples), samples[-1][2]
