"""A page of a queryset and the count of all its rows in one query: ``COUNT(*) OVER ()``
beside the page's rows.

Django's ``Paginator.get_page`` counts first, then reads the page: two round trips and two
plannings of the same filter for every paginated section (``make bench``: on the case page,
the history's count of the case's entries was 2 ms alone). Here the page's first row carries
the total, and an empty first page means none. Where no row can carry it (a page past the
end, a number that is not a page) or a window would count something else than the rows
(DISTINCT, GROUP BY, a UNION), it answers exactly as ``get_page`` does, in Django's queries.
"""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

TOTAL = "page_total_rows"


def counted_page(queryset, number, *, per_page: int) -> Page:
    """``Paginator(queryset, per_page).get_page(number)``, in one query where it can."""
    paginator = Paginator(queryset, per_page)
    wanted = _page_number(number)
    if wanted is None or not _window_counts_rows(queryset):
        return paginator.get_page(number)
    start = (wanted - 1) * per_page
    rows = list(queryset.annotate(**{TOTAL: Window(Count("pk"))})[start : start + per_page])
    if not rows and wanted > 1:
        return paginator.get_page(number)
    # Paginator.count is a cached property: the total read with the rows stands in for it
    # (no row on the first page: there is none at all).
    paginator.count = getattr(rows[0], TOTAL) if rows else 0
    return Page(rows, wanted, paginator)


def _page_number(number) -> int | None:
    """A page number from 1 on, or None for what ``get_page`` must interpret itself."""
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        return None if number not in (None, "") else 1
    return wanted if wanted >= 1 else None


def _window_counts_rows(queryset) -> bool:
    if not isinstance(queryset, QuerySet):
        return False
    query = queryset.query
    return not (query.distinct or query.group_by is not None or query.combinator)
