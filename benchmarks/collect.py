"""Every figure of ``make bench``, in the issue's order, from the parsed command line."""

from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from cases.models import Case
from cases.views import PAGE_SIZE

from . import audit, crypto, lists, lookups, pages, queries, releases, search, writes

DEFAULT_USERS = ["ngo_a", "police"]
COMMISSION = "commission"
REGISTRAR = "police"


def json_path(given: str | None) -> Path:
    return Path(given) if given else Path(settings.VAR_DIR) / "bench.json"


def all_figures(args, *, out) -> list:
    """The figures: the query figures first (skipped without cases), then the crypto ones."""
    runs = args.repeat
    results = []
    total = 0 if args.skip_queries else Case.objects.count()
    if total:
        database = settings.DATABASES["default"].get("NAME")
        out.write(f"Database {database!r}, {total:,} cases; {runs} runs per figure.\n")
        users = queries.users(args.user or DEFAULT_USERS)
        if args.explain:
            explain_pages(users, out=out)
        results += _query_figures(users, args, runs=runs, out=out)
    elif not args.skip_queries:
        out.write(
            "No cases: seed some first (`manage.py seed_demo --cases 100000`); "
            "only the crypto figures follow.\n"
        )
    _progress(out, "encrypt and decrypt per field")
    results += crypto.crypto_figures(batch=max(1, min(args.iterations // 10, 2_000)), runs=runs)
    return results


def _query_figures(users, args, *, runs: int, out) -> list:
    results = []
    _progress(out, "case list: scoped, floor and guardian")
    results += lists.list_figures(users, runs=runs)
    _progress(out, "search and the list with names")
    results += lookups.search_figures(users, runs=runs)
    results += lookups.names_figures(users, runs=runs)
    _progress(out, "requests")
    commission = User.objects.filter(username=COMMISSION).first()
    results += pages.request_figures(users, commission=commission, runs=runs)
    _progress(out, "writes and the audit check")
    registrar = User.objects.select_related("organisation").filter(username=REGISTRAR).first()
    if registrar is not None:
        results.append(writes.registration_figure(registrar, runs=runs))
    for user in users:
        results.append(writes.accept_figure(user, runs=runs))
    results.append(releases.publication_figure(runs=runs))
    results.append(writes.upload_figure(users[0], runs=runs) if users else None)
    results.append(writes.download_figure(runs=runs))
    # verify reads the whole log each run: a few runs say enough.
    results.append(writes.verify_figure(entries=args.audit_entries, runs=min(runs, 5)))
    return [figure for figure in results if figure is not None]


def explain_pages(users, *, out) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of every statement of each user's page 1 and page 100 of
    the list, as the list view runs them (count, page ids, rows, prefetches)."""
    for user in users:
        pages = queries.list_pages(user)
        for page in lists.PAGES:
            offset = (page - 1) * PAGE_SIZE
            with CaptureQueriesContext(connection) as captured:
                queries.page_rows(None, offset, PAGE_SIZE, pages=pages)
            for number, statement in enumerate(captured.captured_queries, start=1):
                out.write(f"Plan of the list, page {page}, {user.username}, statement {number}:\n")
                queries.explain_sql(statement["sql"], out=out)


def detail(args, *, out) -> None:
    """The older sections, printed as before (they use ``--repeat`` as their runs)."""
    crypto.run(iterations=args.iterations, out=out)
    audit.run(iterations=args.iterations, out=out)
    if args.skip_queries:
        return
    total = queries.run(usernames=args.user, repeat=args.repeat, explain=args.explain, out=out)
    if total:
        search.run(
            usernames=args.user, total=total, repeat=args.repeat, explain=args.explain, out=out
        )
    releases.run(repeat=args.repeat, epsilon=settings.NRM_STATS_RELEASE_EPSILON, out=out)


def _progress(out, what: str) -> None:
    out.write(f"… {what}\n")
    out.flush()
