"""Several querysets counted in one statement: ``SELECT (SELECT COUNT(*) FROM (…)), …``.

The navigation shows up to three counts on every page (waiting referrals, notifications,
overdue follow-ups): three COUNT queries were three round trips and three plannings per page
(``make bench``: about a tenth of a page's database time). Each queryset is compiled by the
ORM as ``.count()`` would count it, as a subquery of its rows; the counts are the same.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections


def count_each(querysets: dict) -> dict:
    """``{key: queryset.count()}`` for every queryset, read in one statement (querysets of
    different databases are counted one by one)."""
    if not querysets:
        return {}
    aliases = {queryset.db for queryset in querysets.values()}
    if len(aliases) > 1:
        return {key: queryset.count() for key, queryset in querysets.items()}
    alias = aliases.pop()
    parts, params = [], []
    for queryset in querysets.values():
        rows = queryset.order_by().values("pk").query
        try:
            sql, part_params = rows.get_compiler(using=alias).as_sql()
        except EmptyResultSet:
            # A queryset that can match nothing (``.none()``, ``pk__in=[]``) has no SQL.
            parts.append("0")
            continue
        # The ORM's own SQL, its values left as parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")  # noqa: S608
        params.extend(part_params)
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))
