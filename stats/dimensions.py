"""The dimensions of the published statistics, and which tables may be asked for.

Filters are whole years and whole regions, so ``year`` and ``region`` may always be added to a
table with ``MAX_OTHER_DIMENSIONS`` other dimension; two other dimensions are crossed only
nationally, over all years (``MAX_NATIONAL_DIMENSIONS``). (Year x region x two-dimension tables
are so sparse that protecting them consistently suppressed nearly every figure, national totals
included, on realistic data.) The set of publishable
tables is therefore finite and small, and one suppression pattern is computed over all of them
at once (see ``stats.protection``): no table or filter can be subtracted from another to
uncover a suppressed cell.
"""

from dataclasses import dataclass
from itertools import combinations

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Dimension:
    name: str
    label: object
    sql: str  # an expression over the case row ``c`` (or ``f`` for exploitation forms)
    multi: bool = False  # a case counts once under each of its values


DIMENSIONS: dict[str, Dimension] = {
    d.name: d
    for d in [
        Dimension("year", _("Year"), "EXTRACT(YEAR FROM c.identified_on)::int"),
        Dimension("region", _("Region"), "c.region_id"),
        Dimension("exploitation_form", _("Exploitation form"), "f.exploitationform_id", True),
        Dimension("sex", _("Sex"), "c.sex"),
        Dimension("age_group", _("Age group"), "c.age_group"),
        Dimension(
            "child", _("Child or adult"), "CASE WHEN c.is_child THEN 'child' ELSE 'adult' END"
        ),
        Dimension("nationality", _("Nationality"), "COALESCE(c.nationality_id, 'unknown')"),
        Dimension("stage", _("Stage"), "c.stage"),
        Dimension("trafficking_status", _("Trafficking status"), "c.trafficking_status"),
    ]
}
ORDER = list(DIMENSIONS)
FILTER_DIMENSIONS = ("year", "region")
OTHER_DIMENSIONS = tuple(d for d in ORDER if d not in FILTER_DIMENSIONS)
MAX_OTHER_DIMENSIONS = 1
MAX_NATIONAL_DIMENSIONS = 2


def ordered(dims) -> tuple[str, ...]:
    return tuple(d for d in ORDER if d in set(dims))


def publishable_tables() -> list[tuple[str, ...]]:
    """Every table that can be published: any of year/region plus at most one other dimension,
    and two other dimensions crossed nationally over all years."""
    tables = []
    for n in range(MAX_OTHER_DIMENSIONS + 1):
        for others in combinations(OTHER_DIMENSIONS, n):
            for m in range(len(FILTER_DIMENSIONS) + 1):
                for filters in combinations(FILTER_DIMENSIONS, m):
                    tables.append(ordered((*filters, *others)))
    for n in range(MAX_OTHER_DIMENSIONS + 1, MAX_NATIONAL_DIMENSIONS + 1):
        for others in combinations(OTHER_DIMENSIONS, n):
            tables.append(ordered(others))
    return tables


def is_publishable(dims) -> bool:
    others = [d for d in dims if d not in FILTER_DIMENSIONS]
    if not set(dims) <= set(ORDER):
        return False
    if len(others) <= MAX_OTHER_DIMENSIONS:
        return True
    return len(others) <= MAX_NATIONAL_DIMENSIONS and len(others) == len(dims)
