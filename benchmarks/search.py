"""The case list with names and the case search over the seeded data, as the list view runs them.

"With names" is the list page of a user with identity access: one page of rows with their
prefetched forms (``queries.page_rows``), and for each row the user sees with identity the
person's given and family name, decrypted as ``cases/list.html`` reads them; "view" is the whole
list view (``cases.views.case_list``: filter form, count, page 1, the template and the site
menu's counts), called without the middleware.

A search runs as the list view runs one: the parser of the form and the API
(``parse_case_list_query``), ``search_cases`` (``cases_for_list`` narrowed by ``filter_cases``:
blind-index lookups for a name, a date of birth and a document number, a substring for the
reference), then the count and page 1 with names as the paginator reads them from
``list_pages`` (a search by identity counts with its first ids: ``MatchesFirst``).
``search_cases`` commits a ``cases_searched`` audit entry per call, as the view does (channel
"bench" here); that write is in the figures and stays in the audit log. The view's search
throttle (``limits.throttle``) is not in them.

The terms are real: the names, date of birth, document number and end of the reference of the
newest case each user sees with identity and a document number (decrypted here, untimed, never
printed), and a name nobody has.
"""

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.events import Event
from audit.models import AuditEntry
from cases.queries import parse_case_list_query
from cases.selectors import cases_for_list, list_pages, search_cases
from cases.views import case_list

from . import queries
from .timing import median_laps_ms, median_ms

CHANNEL = "bench"
NOBODY = "Zzyxwq-Nobody"
# Visible cases seen with identity looked through for one with every searched field.
SAMPLE = 200


def run(*, usernames, total: int, repeat: int, explain: bool, out) -> None:
    users = queries.users(usernames)
    _list_with_names(users, total=total, repeat=repeat, out=out)
    _searches(users, total=total, repeat=repeat, explain=explain, out=out)


def _list_with_names(users, *, total: int, repeat: int, out) -> None:
    size = queries.page_size()
    out.write(queries.header("Case list with names", total=total, repeat=repeat))
    out.write(
        "  names: decrypted on page 1 (its rows seen with identity); "
        "view: cases.views.case_list, page 1 rendered\n"
    )
    out.write(f"  {'user':<18}{'names':>9}{'page 1':>9}{'page 100':>10}{'view':>9}\n")
    for user in users:
        pages = queries.list_pages(user)
        first_ms, names = median_ms(lambda p=pages: page_with_names(None, 0, size, pages=p), repeat)
        deep_ms, _ = median_ms(
            lambda p=pages: page_with_names(None, 99 * size, size, pages=p), repeat
        )
        view_ms, _ = median_ms(lambda u=user: _list_view(u), repeat)
        out.write(
            f"  {user.username:<18}{names:>9}{first_ms:>9.1f}{deep_ms:>10.1f}{view_ms:>9.1f}\n"
        )


def _searches(users, *, total: int, repeat: int, explain: bool, out) -> None:
    size = queries.page_size()
    entries_before = _search_entries()
    out.write(queries.header("Case search", total=total, repeat=repeat))
    out.write(
        "  audit: the search_cases call, i.e. its cases_searched audit entry, committed; "
        "page 1: with names\n"
    )
    out.write(
        f"  {'user':<18}{'search by':<22}{'matches':>9}{'audit':>9}{'count':>9}{'page 1':>9}"
        f"{'total':>9}\n"
    )
    for user in users:
        for label, params in search_terms(user):
            query = parse_case_list_query(params)
            laps, total_ms, (matches, cases) = median_laps_ms(
                lambda lap, u=user, q=query: _search(u, q, size, lap), repeat
            )
            audit_ms, count_ms, page_ms = laps
            out.write(
                f"  {user.username:<18}{label:<22}{matches:>9,}{audit_ms:>9.1f}{count_ms:>9.1f}"
                f"{page_ms:>9.1f}{total_ms:>9.1f}\n"
            )
            if explain:
                _explain(user, query, cases, size, out)
    written = _search_entries() - entries_before
    out.write(
        f"  These searches wrote {written:,} {Event.CASES_SEARCHED.value} audit entries "
        f"(channel {CHANNEL!r}): the audit log keeps them, as many more each run.\n"
    )


def page_with_names(queryset, offset: int, size: int, *, pages=None, count=True) -> int:
    """One page as ``cases/list.html`` shows it (``queries.page_rows``): the rows, and the
    person's names of the rows seen with identity only (decrypted on access, as the template
    reads them); how many."""
    names = 0
    for case in queries.page_rows(queryset, offset, size, pages=pages, count=count):
        if case.can_view_identity:
            _ = (case.person.given_name, case.person.family_name)
            names += 1
    return names


def search_terms(user) -> list[tuple[str, dict]]:
    """The searches for ``user``, by label: the list view's parameters (the API's names)."""
    seen = list(cases_for_list(user).filter(can_view_identity=True)[:SAMPLE])
    case = next((c for c in seen if c.person.document_number and c.person.date_of_birth), None)
    case = case or (seen[0] if seen else cases_for_list(user).first())
    terms = []
    if case is not None and case.can_view_identity:
        person = case.person
        born = person.date_of_birth.isoformat() if person.date_of_birth else ""
        terms = [
            ("family name", {"name": person.family_name}),
            ("given name", {"name": person.given_name}),
            ("date of birth", {"date_of_birth": born}),
            ("family name + birth", {"name": person.family_name, "date_of_birth": born}),
            ("document number", {"document_number": person.document_number}),
        ]
    if case is not None:
        terms.append(("reference (last 6)", {"reference": case.reference[-6:]}))
    terms.append(("name, no match", {"name": NOBODY}))
    return [(label, params) for label, params in terms if all(params.values())]


def _search(user, query, size: int, lap):
    cases = search_cases(user, query, channel=CHANNEL)
    lap()
    pages = list_pages(user, cases, query)
    matches = pages.count()
    lap()
    page_with_names(None, 0, size, pages=pages, count=False)
    lap()
    return matches, cases


def _list_view(user) -> None:
    request = RequestFactory().get(reverse("cases:list"))
    request.user = user
    response = case_list(request)
    if response.status_code != 200:
        raise RuntimeError(f"the case list answered {response.status_code} for {user.username}")


def _search_entries() -> int:
    return AuditEntry.objects.filter(
        additional_data__event=Event.CASES_SEARCHED.value, additional_data__channel=CHANNEL
    ).count()


def _explain(user, query, cases, size: int, out) -> None:
    """The plans of the search's count as the paginator asks it (with the first ids, for a
    search by identity) and page 1 (the SELECT of its rows)."""
    with CaptureQueriesContext(connection) as captured:
        list_pages(user, cases, query).count()
    out.write("    count:\n")
    queries.explain_sql(captured.captured_queries[-1]["sql"], out=out)
    out.write("    page 1:\n")
    queries.explain_sql(*cases[:size].query.sql_with_params(), out=out)
