"""Reading a published release: the tables the commission asks for, from its frozen cells.

A release holds its finest tables (``stats.dimensions.release_tables``) as noisy estimates,
post-processed. Any figure shown is one cell, or the sum of the cells of the smallest release
table that holds every dimension asked and filtered, then made whole and never negative
(``postprocess.publishable``; the sum is taken first, so empty cells do not bias it):
post-processing,
which spends no privacy budget and cannot undo the noise. A sum over a multi-valued dimension
(exploitation forms) would count a case more than once, so it is never taken. Each figure
carries its margin of error (95 %); a figure from 1 to k-1 is shown as "fewer than k" (the
k rule kept for display: the protection is the noise).
"""

import math
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from database.replica import reporting_alias
from stats.dimensions import DIMENSIONS
from stats.models import Release
from stats.postprocess import Z95, publishable


@dataclass(frozen=True)
class PublishedTable:
    name: str
    dims: tuple[str, ...]
    cells: dict  # key tuple -> post-processed estimate (exact zeros left out)
    variance: float  # of one published cell

    def value(self, key) -> float:
        return self.cells.get(tuple(key), 0)


def releases():
    """The published releases, as the statistics pages, the API and the exports read them.

    From the replica when one is configured (``database.replica``): a release is frozen once
    published, so a copy a moment behind shows the same figures, and at worst not yet the
    newest release. The coordinator's releases page and the publication's ledger check read
    the primary instead (``Release.objects``): they must see the release just published.
    """
    return Release.objects.using(reporting_alias())


def latest_release() -> Release | None:
    return releases().order_by("-published_at", "-id").first()


def published_table(release: Release, name: str) -> PublishedTable | None:
    data = release.tables.get(name)
    if data is None:
        return None
    dims = tuple(data["dims"])
    width = len(dims)
    cells = {tuple(row[:width]): row[width] for row in data["cells"]}
    return PublishedTable(name=name, dims=dims, cells=cells, variance=data["variance"])


def domain(release: Release, dim: str) -> list:
    return list(release.parameters.get("domains", {}).get(dim, ()))


def source_table(release: Release, dims) -> PublishedTable | None:
    """The smallest table of the release from which the table over ``dims`` is a sum.

    None when no table holds every dimension, or only by summing over a multi-valued one.
    """
    wanted = set(dims)
    best = None
    for name, data in release.tables.items():
        held = set(data["dims"])
        if not wanted <= held or any(_is_multi(d) for d in held - wanted):
            continue
        if best is None or len(held) < len(release.tables[best]["dims"]):
            best = name
    return published_table(release, best) if best else None


def is_answerable(release: Release, dims) -> bool:
    return source_table(release, dims) is not None


def _is_multi(dim: str) -> bool:
    return dim in DIMENSIONS and DIMENSIONS[dim].multi


@dataclass(frozen=True)
class Figure:
    """One published figure: its count (None when shown as fewer than k) and margin."""

    count: int | None
    margin: float
    suppressed: bool = False

    @property
    def is_zero(self) -> bool:
        return not self.suppressed and not self.count


def figure(estimate: float, margin: float, k: int | None = None) -> Figure:
    """The figure shown for an estimate: whole, never negative, "fewer than k" below k."""
    k = settings.NRM_STATS_K if k is None else k
    count = publishable(estimate)
    margin = round(margin, 1)
    if 0 < count < k:
        return Figure(None, margin, True)
    return Figure(count, margin)


def sums(release: Release, *, by, filters: dict) -> tuple[dict, float]:
    """{key over ``by``: summed estimate} and the variance of one summed figure.

    Raises ``ValueError`` when the release cannot answer (a programming error: the question
    comes parsed, ``stats.queries``).
    """
    table = source_table(release, [*by, *filters])
    if table is None:
        raise ValueError(f"Release {release.pk} does not publish by={by}, filters={filters}.")
    position = {d: table.dims.index(d) for d in table.dims}
    summed_over = [d for d in table.dims if d not in by and d not in filters]
    width = math.prod(len(domain(release, d)) for d in summed_over) if summed_over else 1
    out: dict = defaultdict(float)
    for key, count in table.cells.items():
        if any(key[position[d]] != v for d, v in filters.items()):
            continue
        out[tuple(key[position[d]] for d in by)] += count
    return dict(out), table.variance * width


def case_table(release: Release, *, by, year=None, region=None) -> dict:
    """Cases by ``by`` (in the order asked), for one whole year and one whole region.

    Returns ``{"k", "release", "rows": [{dim: value, ..., "count", "margin"}], "total",
    "total_margin"}``. Zero figures are omitted; a figure from 1 to k-1 has ``"count": None,
    "suppressed": True``.
    """
    k = release.k
    filters = {d: v for d, v in (("year", year), ("region", region)) if v is not None}
    counts, variance = sums(release, by=list(by), filters=filters)
    margin = Z95 * math.sqrt(variance)
    rows = []
    for key in sorted(counts, key=lambda key: tuple(str(v) for v in key)):
        fig = figure(counts[key], margin, k)
        if fig.is_zero:
            continue
        row = dict(zip(by, key, strict=True))
        row["count"] = fig.count
        row["margin"] = fig.margin
        if fig.suppressed:
            row["suppressed"] = True
        rows.append(row)
    total_counts, total_variance = sums(release, by=[], filters=filters)
    total = figure(total_counts.get((), 0), Z95 * math.sqrt(total_variance), k)
    return {
        "k": k,
        "release": release.pk,
        "rows": rows,
        "total": total.count,
        "total_margin": total.margin,
    }


def counting_rule(release: Release | None = None) -> str:
    rule = release.counting_rule if release else ("all" if settings.NRM_STATS_COUNT_ALL else "")
    if rule == "all":
        return _(
            "All registered cases are counted (the law allows statistical use without consent)."
        )
    return _("Only cases whose person consented to statistical use are counted.")
