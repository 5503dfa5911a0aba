"""The figure record of ``make bench``: one timed operation, its median, p95 and SQL statements.

``measure`` times a function ``runs`` times after a warm-up and counts the statements of one
more, untimed, run (``CaptureQueriesContext`` forces the debug cursor, whose bookkeeping must
not be in the timings). ``around`` is entered around every call, outside the timer and the
count: the benchmarks pass ``rolled_back`` so that a write leaves nothing behind.
"""

import json
import math
import statistics
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext

RUNS = 30
WARMUP = 2


@dataclass(frozen=True)
class Figure:
    """One line of the table and one object of ``bench.json``."""

    name: str
    median_ms: float
    p95_ms: float
    queries: int
    ratio_to_floor: float | None = None
    ratio_to_guardian: float | None = None

    def compared(self, *, floor=None, guardian=None) -> "Figure":
        """This figure with its medians' ratios to the floor's and to guardian's."""
        return replace(
            self,
            ratio_to_floor=_ratio(self, floor),
            ratio_to_guardian=_ratio(self, guardian),
        )


def _ratio(figure: Figure, other: Figure | None) -> float | None:
    if other is None or other.median_ms <= 0:
        return None
    return round(figure.median_ms / other.median_ms, 3)


class RolledBack(Exception):
    """Raised at the end of a ``rolled_back`` block to undo its writes."""


@contextmanager
def rolled_back():
    """A transaction undone at the end, with the deferred constraints set immediate first so
    that what a commit would run (the audit chain's link trigger) runs inside the block, and
    is timed, although nothing is committed."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            yield
            raise RolledBack
    except RolledBack:
        pass


def percentile(samples: list[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest sample at or above ``fraction`` of them (no
    interpolation, so the p95 of 30 runs is the 29th, a run that really happened)."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def measure(
    name: str,
    function: Callable[[], object],
    *,
    runs: int = RUNS,
    warmup: int = WARMUP,
    per_call: int = 1,
    around: Callable[[], AbstractContextManager] = nullcontext,
) -> Figure:
    """Time ``function`` ``runs`` times after ``warmup`` calls; ``per_call`` > 1 when one call
    does that many operations (the figure is then per operation)."""
    for _ in range(warmup):
        with around():
            function()
    with around():
        # A full log (9,000 statements, soon reached with DEBUG on) stops growing, and the
        # context, which counts by the log's length, would count nothing.
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            function()
        # Counted now: the list is read from the log lazily, and a request empties the log.
        queries = len(captured.captured_queries)
    samples = []
    for _ in range(max(runs, 1)):
        with around():
            start = time.perf_counter()
            function()
            samples.append((time.perf_counter() - start) * 1e3 / per_call)
    return Figure(
        name=name,
        median_ms=round(statistics.median(samples), 4),
        p95_ms=round(percentile(samples, 0.95), 4),
        queries=queries,
    )


def table(figures: Iterable[Figure]) -> str:
    """The figures as a fixed-width text table (ratios blank where there are none)."""
    figures = list(figures)
    width = max([len(f.name) for f in figures] + [6])
    lines = [
        f"{'figure':<{width}}  {'median ms':>10}  {'p95 ms':>10}  {'queries':>7}  "
        f"{'×floor':>7}  {'×guardian':>9}"
    ]
    for f in figures:
        lines.append(
            f"{f.name:<{width}}  {_ms(f.median_ms):>10}  {_ms(f.p95_ms):>10}  {f.queries:>7}  "
            f"{_times(f.ratio_to_floor):>7}  {_times(f.ratio_to_guardian):>9}"
        )
    return "\n".join(lines) + "\n"


def _ms(value: float) -> str:
    # Sub-millisecond figures (a field's encryption) need their digits; a request does not.
    return f"{value:.4f}" if value < 1 else f"{value:.1f}"


def _times(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def write_json(figures: Iterable[Figure], path: Path) -> Path:
    """Write the figures as a JSON list of objects (every field, ``null`` for no ratio)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(f) for f in figures], indent=2) + "\n", encoding="utf-8")
    return path
