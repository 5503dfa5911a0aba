"""Search by name and by document number, and the list with names, as figures.

A search is what the list view runs for one (``search.py`` explains the parts): the parser,
``search_cases`` with its ``cases_searched`` audit entry, then what the paginator reads of
``list_pages`` (the count, page 1) with the names decrypted. Each run is rolled back
(``figures.rolled_back``), so the audit entries the searches write do not pile up in the bench
database; their chain link is still written and timed. The search throttle of the view is not
in these figures.
"""

from cases import selectors
from cases.queries import parse_case_list_query
from cases.views import PAGE_SIZE

from .figures import measure, rolled_back
from .queries import list_pages
from .search import CHANNEL, page_with_names, search_terms

# The figure's label → the label of ``search.search_terms`` it times.
SEARCHES = {"search by name": "family name", "search by document": "document number"}


def search_function(user, params: dict):
    """One search as the list view runs it: query, audit entry, count, page 1 with names."""
    query = parse_case_list_query(params)

    def once():
        cases = selectors.search_cases(user, query, channel=CHANNEL)
        pages = selectors.list_pages(user, cases, query)
        return page_with_names(None, 0, PAGE_SIZE, pages=pages)

    return once


def search_figures(users, *, runs: int) -> list:
    figures = []
    for user in users:
        terms = dict(search_terms(user))
        for name, label in SEARCHES.items():
            if label in terms:
                figures.append(
                    measure(
                        f"{name} {user.username}",
                        search_function(user, terms[label]),
                        runs=runs,
                        around=rolled_back,
                    )
                )
    return figures


def names_figures(users, *, runs: int) -> list:
    """Page 1 and page 100 with the names of the rows seen with identity decrypted."""
    figures = []
    for user in users:
        pages = list_pages(user)
        for page in (1, 100):
            offset = (page - 1) * PAGE_SIZE
            figures.append(
                measure(
                    f"list with names p{page} {user.username}",
                    lambda p=pages, o=offset: page_with_names(None, o, PAGE_SIZE, pages=p),
                    runs=runs,
                )
            )
    return figures
