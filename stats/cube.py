"""True counts of every publishable table, computed in SQL (one GROUPING SETS query per unit).

Never published as such: ``stats.protection.suppress`` decides what is shown.
"""

from django.conf import settings
from django.db import connection

from stats.dimensions import DIMENSIONS, ORDER, publishable_tables

Cells = dict[tuple[str, ...], dict[tuple, int]]


def counted_cases_condition() -> str:
    """Which cases count: those whose person consented to statistics, unless the law says all."""
    return "TRUE" if settings.NRM_STATS_COUNT_ALL else "c.statistics_consent"


def _grouping_query(tables: list[tuple[str, ...]], *, with_forms: bool) -> tuple[str, list[str]]:
    used = {d for table in tables for d in table}
    dims = [d for d in ORDER if d in used]
    select = ", ".join(f"{DIMENSIONS[d].sql} AS {d}" for d in dims)
    source = "cases_case c"
    if with_forms:
        source += " JOIN cases_case_exploitation_forms f ON f.case_id = c.id"
    sets = ", ".join("(" + ", ".join(table) + ")" for table in tables)
    columns = ", ".join(dims)
    sql = (
        f"SELECT {columns}, GROUPING({columns}) AS grouping_mask, COUNT(*) "  # noqa: S608
        f"FROM (SELECT {select} FROM {source} WHERE {counted_cases_condition()}) s "
        f"GROUP BY GROUPING SETS ({sets})"
    )
    return sql, dims


def count_cells() -> Cells:
    """Every cell (nonzero only) of every publishable table."""
    tables = publishable_tables()
    cells: Cells = {table: {} for table in tables}
    for with_forms in (False, True):
        part = [t for t in tables if ("exploitation_form" in t) == with_forms]
        sql, dims = _grouping_query(part, with_forms=with_forms)
        with connection.cursor() as cursor:
            cursor.execute(sql)
            for row in cursor.fetchall():
                values, mask, count = row[: len(dims)], row[len(dims)], row[len(dims) + 1]
                # GROUPING() sets bit i (from the left) when dims[i] is not in the set.
                present = [d for i, d in enumerate(dims) if not mask & (1 << (len(dims) - 1 - i))]
                table = tuple(present)
                key = tuple(values[dims.index(d)] for d in present)
                cells[table][key] = count
    return cells


def count_records_in_python(records: list[dict]) -> Cells:
    """The same counts from in-memory records (a reference implementation for the tests).

    A record maps each dimension to a value; ``exploitation_form`` maps to a tuple of forms.
    """
    cells: Cells = {}
    for table in publishable_tables():
        rows: dict[tuple, int] = {}
        for record in records:
            if "exploitation_form" in table:
                position = table.index("exploitation_form")
                base = [record.get(d) for d in table]
                for form in record["exploitation_form"]:
                    base[position] = form
                    rows[tuple(base)] = rows.get(tuple(base), 0) + 1
            else:
                key = tuple(record[d] for d in table)
                rows[key] = rows.get(key, 0) + 1
        cells[table] = rows
    return cells
