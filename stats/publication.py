"""What the commission may see: protected tables read from one consistent snapshot.

The snapshot (true counts of every publishable table and the suppression pattern over all of
them) is computed once per state of the data and kept in the cache; the fingerprint is one
cheap query, so a change to any case (including a consent withdrawal) gives a new snapshot.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.translation import gettext as _

from stats.cube import count_cells, counted_cases_condition
from stats.dimensions import (
    is_publishable,
    ordered,
)
from stats.protection import suppress

CACHE_PREFIX = "nrm:stats:v1:"


@dataclass(frozen=True)
class Snapshot:
    k: int
    cells: dict
    suppressed: frozenset

    def value(self, table, key):
        """(count, suppressed) of a cell: (0, False) for an empty cell."""
        count = self.cells.get(table, {}).get(key, 0)
        if (table, key) in self.suppressed:
            return None, True
        return count, False


def fingerprint() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), max(updated_at), "
            "(SELECT count(*) FROM cases_case_exploitation_forms) FROM cases_case"
        )
        count, latest, links = cursor.fetchone()
    rule = "all" if settings.NRM_STATS_COUNT_ALL else "consent"
    return f"{count}:{latest.isoformat() if latest else '-'}:{links}:{rule}:{settings.NRM_STATS_K}"


# The last snapshot this process used: a page reads a dozen tables, and unpickling the whole
# cube from the cache for each would cost more than the page itself.
_memo: tuple[str, Snapshot] | None = None


def snapshot() -> Snapshot:
    """The snapshot for the data as it is now: from this process, the cache, or computed."""
    global _memo
    key = CACHE_PREFIX + fingerprint()
    memo = _memo
    if memo is not None and memo[0] == key:
        return memo[1]
    cached = cache.get(key)
    if cached is None:
        cells = count_cells()
        cached = Snapshot(
            k=settings.NRM_STATS_K,
            cells=cells,
            suppressed=frozenset(suppress(cells, settings.NRM_STATS_K)),
        )
        cache.set(key, cached, timeout=24 * 3600)
    _memo = (key, cached)
    return cached


def case_table(
    *,
    by: list[str],
    year: int | None = None,
    region: str | None = None,
    snap: Snapshot | None = None,
) -> dict:
    """Cases by the named dimensions, filtered by whole year and whole region, protected.

    Returns ``{"k", "rows": [{dim: value, ..., "count": n}] or suppressed rows, "total"}``.
    Zero cells are omitted; a suppressed cell has ``"count": None, "suppressed": True``.
    ``snap`` lets a page read many tables from one snapshot (one fingerprint, one cache read).
    The question comes parsed (``stats.queries``): a table outside the publishable ones is a
    programming error here, never a client's.
    """
    filters = {d: v for d, v in (("year", year), ("region", region)) if v is not None}
    if not is_publishable({*by, *filters}):
        raise ValueError(f"Not a publishable table: by={by}, filters={filters}.")
    table = ordered([*by, *filters])
    if snap is None:
        snap = snapshot()
    rows = []
    positions = {d: table.index(d) for d in table}
    for key in sorted(snap.cells.get(table, {}), key=lambda k: tuple(str(v) for v in k)):
        if any(key[positions[d]] != v for d, v in filters.items()):
            continue
        count, hidden = snap.value(table, key)
        row = {d: key[positions[d]] for d in by}
        row["count"] = count
        if hidden:
            row["suppressed"] = True
        rows.append(row)
    total_table = ordered(filters)
    total, _hidden = snap.value(total_table, tuple(filters[d] for d in total_table))
    return {"k": snap.k, "rows": rows, "total": total}


def counting_rule() -> str:
    if settings.NRM_STATS_COUNT_ALL:
        return _(
            "All registered cases are counted (the law allows statistical use without consent)."
        )
    return _("Only cases whose person consented to statistical use are counted.")


__all__ = ["case_table", "counted_cases_condition", "counting_rule", "snapshot"]
