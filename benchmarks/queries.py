"""The case list over the seeded data: count and pages, as the list view runs them."""

from django.conf import settings
from django.db import connection

from accounts.models import User
from cases import selectors
from cases.models import Case
from cases.queries import CaseListQuery
from cases.selectors import IdsFirst, cases_for_list
from cases.views import PAGE_SIZE

from .timing import median_ms

DEFAULT_USERS = ["police", "ngo_a", "ngo_b", "health"]


def case_list_queryset(user):
    return cases_for_list(user)


def page_size() -> int:
    return PAGE_SIZE


def users(usernames) -> list:
    """The users the query figures run as (the frontline demo users by default), by name."""
    found = User.objects.select_related("organisation").filter(
        username__in=usernames or DEFAULT_USERS
    )
    return sorted(found, key=lambda u: u.username)


def header(title: str, *, total: int, repeat: int) -> str:
    """A section's first line: the database, its number of cases and what the figures are."""
    database = settings.DATABASES["default"].get("NAME")
    return (
        f"{title}: database {database!r}, {total:,} cases; ms, median of {repeat} runs "
        f"(page size {page_size()})\n"
    )


def run(*, usernames, repeat: int, explain: bool, out) -> int:
    """Print the plain list's figures; the number of cases (0: only a hint to seed some)."""
    total = Case.objects.count()
    database = settings.DATABASES["default"].get("NAME")
    if not total:
        out.write(
            f"Case list: no cases in database {database!r}; seed some with "
            "`DJANGO_DEBUG=1 .venv/bin/python manage.py seed_demo --cases 100000`.\n"
        )
        return 0
    size = page_size()
    out.write(header("Case list", total=total, repeat=repeat))
    out.write(f"  {'user':<18}{'visible':>9}{'count':>9}{'page 1':>9}{'page 100':>10}\n")
    for user in users(usernames):
        queryset = case_list_queryset(user)
        pages = list_pages(user)
        count_ms, visible = median_ms(pages.count, repeat)
        first_ms, _ = median_ms(lambda p=pages: page_rows(None, 0, size, pages=p), repeat)
        deep_ms, _ = median_ms(lambda p=pages: page_rows(None, 99 * size, size, pages=p), repeat)
        out.write(
            f"  {user.username:<18}{visible:>9,}{count_ms:>9.1f}{first_ms:>9.1f}{deep_ms:>10.1f}\n"
        )
        if explain:
            explain_sql(*queryset[:size].query.sql_with_params(), out=out)
    return total


def list_pages(user):
    """The user's unfiltered list as the list view pages it (``selectors.list_pages``)."""
    return selectors.list_pages(user, cases_for_list(user), CaseListQuery())


def page_rows(queryset, offset: int, size: int, *, pages=None, count: bool = True) -> list:
    """One page as the list view reads it (``pages``, by default ``cases.selectors.IdsFirst``
    over ``queryset``): the count the paginator asks first (unless ``count`` is false), the
    page's ids, their rows, related rows and the prefetched forms."""
    pages = IdsFirst(queryset) if pages is None else pages
    if count:
        pages.count()
    rows = pages[offset : offset + size]
    for case in rows:
        list(case.exploitation_forms.all())
    return rows


def explain_sql(sql: str, params=None, *, out) -> None:
    """The plan of one query as PostgreSQL ran it (EXPLAIN ANALYZE, BUFFERS), indented."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        for (line,) in cursor.fetchall():
            out.write(f"      {line}\n")
