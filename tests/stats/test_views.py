"""The statistics pages (stats/views.py): who reaches them, the dashboard of a release, the
releases page and its publication form, the CSV export and the synthetic extract.

Counts are checked on releases built by hand (``hand_release``: known tables) and on releases
published through the service at budgets where the noise is negligible (``exact``).
"""

import csv
import datetime
import io
import time

import pytest
from django.db import connection
from django.test import Client
from django.utils import formats, timezone

from accounts.sessions import VERIFIED_AT
from audit.models import AuditEntry
from reference.models import Region
from stats import csv_export
from stats.models import Release
from stats.releases import default_cut_off
from tests import personas
from tests.html import inline_scripts
from tests.stats.conftest import counted_case, hand_release, publish_today, table

DASHBOARD = "/statistics/"
RELEASES = "/statistics/releases/"
PUBLISH = "/statistics/releases/publish/"
EXPORT = "/statistics/export.csv"
EXTRACT = "/statistics/extract.csv"
BUDGET_MESSAGE = "This release would spend more privacy budget than is left for this year"
FUTURE_MESSAGE = "A release is cut at a date that has passed."


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response))))


def unknown_release_id() -> str:
    return str((Release.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1)


def queries_of(call) -> tuple[int, object]:
    """How many queries ``call`` runs (counted as they run: a request empties Django's log)."""
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        result = call()
    return count[0], result


# --- Access ---------------------------------------------------------------------------------
# Who gets 200 (or the publication's redirect); every other persona gets 403.
ACCESS = [
    ("GET", DASHBOARD, {personas.COMMISSION}, 200),
    ("GET", RELEASES, {personas.COMMISSION, personas.COORDINATOR}, 200),
    ("GET", f"{EXPORT}?by=year", {personas.COMMISSION}, 200),
    ("GET", EXTRACT, {personas.COMMISSION}, 200),
    ("POST", PUBLISH, {personas.COORDINATOR}, 302),
]


@pytest.mark.parametrize(("method", "url", "allowed", "status"), ACCESS)
@pytest.mark.parametrize("persona", personas.ALL)
def test_statistics_access(released, client_for, persona, method, url, allowed, status):
    client = client_for(persona)
    response = client.get(url) if method == "GET" else client.post(url, {"cut_off": ""})
    assert response.status_code == (status if persona in allowed else 403)
    if response.status_code == 302:
        assert response["Location"] == RELEASES
    published = Release.objects.exclude(pk=released.pk).count()
    assert published == (1 if method == "POST" and persona in allowed else 0)


@pytest.mark.parametrize("url", [DASHBOARD, RELEASES, f"{EXPORT}?by=year", EXTRACT])
def test_statistics_anonymous_goes_to_login(released, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_anonymous_publication_goes_to_login(db):
    response = Client().post(PUBLISH, {"cut_off": ""})
    assert (response.status_code, Release.objects.count()) == (302, 0)
    assert response["Location"].startswith("/accounts/login/")


def test_publication_is_post_only(client_for):
    assert client_for(personas.COORDINATOR).get(PUBLISH).status_code == 405


def test_the_extract_asks_for_a_recent_second_factor(released, client_for):
    client = client_for(personas.COMMISSION)
    session = client.session
    session[VERIFIED_AT] = int(time.time()) - 11 * 60
    session.save()
    response = client.get(EXTRACT)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/verify/?next=%2Fstatistics%2Fextract.csv"
    assert client.get(DASHBOARD).status_code == 200  # the other pages do not


# --- Dashboard ------------------------------------------------------------------------------


def test_dashboard_without_a_release(client_for):
    response = client_for(personas.COMMISSION).get(DASHBOARD)
    assert response.status_code == 200
    assert response.context["release"] is None
    assert "No statistics release has been published yet." in body(response)


def test_dashboard_shows_the_release_facts_and_margins(released, client_for):
    response = client_for(personas.COMMISSION).get(DASHBOARD)
    html = body(response)
    assert response.status_code == 200
    assert response.context["release"] == released
    assert f"Release {released.pk}</h2>" in html
    assert f"<dd>{formats.date_format(datetime.date(2026, 9, 30))}</dd>" in html
    assert "<dd>40</dd>" in html  # cases counted
    assert "<dt>Privacy loss</dt><dd>ε = 0.50</dd>" in html
    assert "0.50 of 8 spent" in html
    assert "±" in html
    board = response.context["board"]
    assert [c.count for c in board.total.cells][-2:] == [15, 25]
    assert board.total.total.count == 40


def test_the_release_picker_lists_the_releases_and_shows_the_one_asked(cast, client_for):
    old = hand_release(cut_off=datetime.date(2026, 6, 30))
    new = hand_release(tables={"year": table(["year"], [[2026, 30]])})
    client = client_for(personas.COMMISSION)

    latest = client.get(DASHBOARD)
    html = body(latest)
    assert latest.context["release"] == new
    choices = [value for value, _label in latest.context["form"].fields["release"].widget.choices]
    assert choices == [str(new.pk), str(old.pk)]
    assert f'<option value="{old.pk}"' in html

    asked = client.get(DASHBOARD, {"release": old.pk})
    assert asked.status_code == 200
    assert asked.context["release"] == old
    assert asked.context["board"].total.total.count == 40
    assert f"<dd>{formats.date_format(old.cut_off)}</dd>" in body(asked)


@pytest.mark.parametrize(
    ("value", "message"),
    [(None, "No release has this number."), ("abc", "A release is named by its number.")],
)
def test_dashboard_refuses_an_unknown_release(released, client_for, value, message):
    value = value or unknown_release_id()
    response = client_for(personas.COMMISSION).get(DASHBOARD, {"release": value})
    assert response.status_code == 400
    assert response.context["form"].errors == {"release": [message]}
    assert "board" not in response.context
    assert f'<p class="error">{message}</p>' in body(response)


def test_the_region_filter_shows_the_region_tables(released, client_for):
    response = client_for(personas.COMMISSION).get(DASHBOARD, {"region": "MA-01"})
    board = response.context["board"]
    assert response.status_code == 200
    assert board.region == "MA-01"
    assert [c.count for c in board.total.cells][-2:] == [0, 12]
    assert [t.dim for t in board.tables] == ["sex"]  # region x sex; no region table
    [sex] = board.tables
    assert sex.columns == []
    assert [(r.value, r.total.count) for r in sex.rows] == [("female", 12)]
    name = Region.objects.get(code="MA-01").name
    assert name in body(response)


def test_the_whole_country_shows_tables_by_year(released, client_for):
    board = client_for(personas.COMMISSION).get(DASHBOARD, {"year_from": "2026"}).context["board"]
    assert board.years == [2026]
    tables = {t.dim: t for t in board.tables}
    assert list(tables) == ["region", "sex", "nationality"]
    # Regions in the order of their names: Casablanca-Settat, then Tanger-Tétouan-Al Hoceïma.
    assert [(r.value, [c.count for c in r.cells]) for r in tables["region"].rows] == [
        ("MA-06", [13]),
        ("MA-01", [12]),
    ]


def test_a_figure_below_k_is_shown_as_fewer_than_k(released, client_for):
    response = client_for(personas.COMMISSION).get(DASHBOARD, {"region": "MA-06"})
    [sex] = response.context["board"].tables
    assert [(r.value, r.total.count, r.total.suppressed) for r in sex.rows] == [
        ("female", 25, False),
        ("male", None, True),
    ]
    marker = '<span class="suppressed" dir="ltr" title="Too few to read">&lt;11</span>'
    assert marker in body(response)


def test_the_dashboard_shows_the_true_counts_at_a_negligible_noise(cast, exact, client_for):
    for _ in range(3):
        counted_case(cast.ngo_a)
    for _ in range(2):
        counted_case(cast.ngo_a, year=2025, region="MA-01", codes=("SexualExploitation",))
    counted_case(cast.ngo_a, consent=False)
    release = publish_today()

    response = client_for(personas.COMMISSION).get(DASHBOARD, {"year_from": "2025"})
    board = response.context["board"]
    assert response.context["release"] == release
    assert (board.years, [c.count for c in board.total.cells]) == ([2025, 2026], [2, 3])
    assert board.total.total.count == 5
    forms = {t.dim: t for t in board.tables}["exploitation_form"]
    assert [(r.value, [c.count for c in r.cells], r.total.count) for r in forms.rows] == [
        ("ForcedLabour", [0, 3], 3),
        ("SexualExploitation", [2, 0], 2),
    ]


@pytest.mark.parametrize(
    ("query", "field", "typed"),
    [
        ("year_from=abc", "year_from", "abc"),
        ("year_from=1800", "year_from", "1800"),
        ("year_to=3000", "year_to", "3000"),
        ("year_from=2026&year_to=2024", "year_to", "2024"),
        ("year_from=2025.5", "year_from", "2025.5"),
        ("region=XX-99", "region", None),
        ("region=%00", "region", None),
    ],
)
def test_dashboard_rejects_bad_filters(released, client_for, query, field, typed):
    response = client_for(personas.COMMISSION).get(f"{DASHBOARD}?{query}")
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert "board" not in response.context
    html = body(response)
    assert "Please correct the errors below." in html
    assert f'<p class="error">{form.errors[field][0]}</p>' in html
    if typed is not None:  # what the user typed stays in the field
        assert f'name="{field}" value="{typed}"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("sex=female", "“sex” is not a filter of the dashboard"),
        ("year=2026", "“year” is not a filter of the dashboard"),
    ],
)
def test_dashboard_refuses_filters_it_does_not_take(released, client_for, query, message):
    response = client_for(personas.COMMISSION).get(f"{DASHBOARD}?year_from=2025&{query}")
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["__all__"]
    assert message in form.non_field_errors()[0]
    assert message in body(response)
    assert 'name="year_from" value="2025"' in body(response)


def test_dashboard_range_outside_the_release(released, client_for):
    response = client_for(personas.COMMISSION).get(DASHBOARD, {"year_to": "2023"})
    assert response.status_code == 200
    assert response.context["board"].years == []
    assert "This release holds no year in the chosen range." in body(response)


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("consent", "Only cases whose person consented to statistical use are counted."),
        ("all", "All registered cases are counted"),
    ],
)
def test_dashboard_shows_the_counting_rule_of_the_release(cast, client_for, rule, text):
    hand_release(counting_rule=rule)
    assert text in body(client_for(personas.COMMISSION).get(DASHBOARD))


def test_dashboard_is_strict_csp_compatible_and_not_stored(released, client_for):
    response = client_for(personas.COMMISSION).get(DASHBOARD)
    html = body(response)
    assert "<svg" in html and "<rect" in html
    assert "style=" not in html
    assert inline_scripts(html) == []
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html
    assert "no-store" in response["Cache-Control"]


def test_dashboard_takes_the_same_queries_whatever_the_releases_and_cases(cast, client_for):
    hand_release()
    client = client_for(personas.COMMISSION)
    client.get(DASHBOARD)  # the session's and the throttle's first rows

    few, _ = queries_of(lambda: client.get(DASHBOARD, {"region": "MA-06"}))
    for n in range(30):
        hand_release(cut_off=datetime.date(2026, 9, 30) - datetime.timedelta(days=n))
    for _ in range(3):
        counted_case(cast.ngo_a)
    many, response = queries_of(lambda: client.get(DASHBOARD, {"region": "MA-06"}))
    assert response.status_code == 200
    assert many == few


@pytest.mark.parametrize(
    ("url", "params", "table", "channel", "filters"),
    [
        (
            DASHBOARD,
            {"region": "MA-06", "year_from": "2025"},
            "dashboard",
            "ui",
            {"year_from": 2025, "region": "MA-06"},
        ),
        (
            EXPORT,
            {"by": "sex", "region": "MA-06"},
            "cases",
            "csv",
            {"by": ["sex"], "region": "MA-06"},
        ),
        (EXTRACT, {}, "synthetic_extract", "csv", {}),
    ],
)
def test_each_request_is_audited_with_its_release(
    released, cast, client_for, url, params, table, channel, filters
):
    assert client_for(personas.COMMISSION).get(url, params).status_code == 200
    [entry] = AuditEntry.objects.filter(
        additional_data__event="statistics_requested", actor=cast.commission
    ).values_list("additional_data", flat=True)
    assert (entry["table"], entry["channel"]) == (table, channel)
    assert entry["filters"] == {"release": released.pk, **filters}


def test_statistics_pages_answer_429_over_the_hourly_limit(released, client_for, settings):
    settings.NRM_THROTTLE_RATES = {**settings.NRM_THROTTLE_RATES, "statistics": 1}
    client = client_for(personas.COMMISSION)
    assert client.get(DASHBOARD).status_code == 200
    for url in (DASHBOARD, f"{EXPORT}?by=year", EXTRACT):
        refused = client.get(url)
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) > 0


# --- Releases page and publication ----------------------------------------------------------


def test_the_releases_page_shows_the_ledger(cast, client_for):
    hand_release(privacy_loss=2.0)
    hand_release(privacy_loss=1.25)
    response = client_for(personas.COMMISSION).get(RELEASES)
    html = body(response)
    ledger = response.context["ledger"]
    assert (ledger.releases, ledger.spent, ledger.cap, ledger.remaining) == (2, 3.25, 8.0, 4.75)
    assert "<dt>Spent</dt><dd>ε = 3.25</dd>" in html
    assert "<dt>Yearly cap</dt><dd>ε = 8</dd>" in html
    assert "<dt>Left</dt><dd>ε = 4.75</dd>" in html
    assert "2 releases" in html


def test_the_releases_list_is_paginated_newest_first(cast, client_for):
    made = [hand_release() for _ in range(21)]
    client = client_for(personas.COMMISSION)
    first = client.get(RELEASES).context["page"]
    assert [r.pk for r in first.object_list] == [r.pk for r in reversed(made)][:20]
    second = client.get(RELEASES, {"page": 2}).context["page"]
    assert [r.pk for r in second.object_list] == [made[0].pk]


@pytest.mark.parametrize(("persona", "form"), [("commission", False), ("coordinator", True)])
def test_only_the_coordinator_sees_the_publication_form(client_for, persona, form):
    html = body(client_for(persona).get(RELEASES))
    assert (f'action="{PUBLISH}"' in html) is form


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("", None), ("2026-06-30", datetime.date(2026, 6, 30))],
    ids=["default", "past"],
)
def test_the_coordinator_publishes_a_release(cast, client_for, typed, expected):
    response = client_for(personas.COORDINATOR).post(PUBLISH, {"cut_off": typed}, follow=True)
    [release] = Release.objects.all()
    assert release.cut_off == (expected or default_cut_off(timezone.localdate()))
    assert release.published_by == cast.coordinator
    assert response.redirect_chain == [(RELEASES, 302)]
    assert f"Release {release.pk} published" in body(response)
    assert AuditEntry.objects.filter(additional_data__event="statistics_released").count() == 1


def test_a_future_cut_off_is_a_form_error(client_for):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(personas.COORDINATOR).post(PUBLISH, {"cut_off": tomorrow.isoformat()})
    assert response.status_code == 400
    assert response.context["form"].errors == {"cut_off": [FUTURE_MESSAGE]}
    assert f'<p class="error">{FUTURE_MESSAGE}</p>' in body(response)
    assert Release.objects.count() == 0


@pytest.mark.parametrize("typed", ["30/02/2026", "2020-12-31"])
def test_a_cut_off_that_is_no_date_of_the_statistics_is_a_form_error(client_for, typed):
    response = client_for(personas.COORDINATOR).post(PUBLISH, {"cut_off": typed})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["cut_off"]
    assert Release.objects.count() == 0


def test_publishing_past_the_yearly_cap_is_refused(cast, client_for, settings):
    settings.NRM_STATS_RELEASE_EPSILON = 2.0
    settings.NRM_STATS_YEARLY_EPSILON = 8.0
    hand_release(privacy_loss=7.0)
    response = client_for(personas.COORDINATOR).post(PUBLISH, {"cut_off": ""})
    assert response.status_code == 400
    assert BUDGET_MESSAGE in response.context["form"].non_field_errors()[0]
    assert BUDGET_MESSAGE in body(response)
    assert Release.objects.count() == 1


# --- CSV export -----------------------------------------------------------------------------


def test_export_is_the_published_table_with_its_margins(released, client_for):
    response = client_for(personas.COMMISSION).get(EXPORT, {"by": "year,sex"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="nrm-statistics-{released.pk}-year-sex.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    # Z95 x sqrt(variance 5.0) = 4.38: each cell's margin, one decimal.
    assert read_csv(response) == [
        ["year", "sex", "count", "margin_95", "suppressed"],
        ["2025", "female", "15", "4.4", "0"],
        ["2026", "female", "20", "4.4", "0"],
        ["2026", "male", "", "4.4", "1"],
    ]


def test_export_marks_a_figure_below_k(released, client_for):
    response = client_for(personas.COMMISSION).get(EXPORT, {"by": "sex", "region": "MA-06"})
    assert response["Content-Disposition"].endswith(f'-{released.pk}-sex-MA-06.csv"')
    assert read_csv(response)[1:] == [["female", "25", "4.4", "0"], ["male", "", "4.4", "1"]]


def test_export_reads_the_release_asked(cast, client_for):
    old = hand_release()
    hand_release(tables={"year": table(["year"], [[2026, 30]], variance=1.0)})
    client = client_for(personas.COMMISSION)
    assert read_csv(client.get(EXPORT, {"by": "year"}))[1:] == [["2026", "30", "2.0", "0"]]
    asked = client.get(EXPORT, {"by": "year", "release": old.pk})
    assert read_csv(asked)[1:] == [["2025", "15", "4.4", "0"], ["2026", "25", "4.4", "0"]]


def test_export_names_coded_dimensions(released, client_for):
    rows = read_csv(client_for(personas.COMMISSION).get(EXPORT, {"by": "region", "year": "2026"}))
    assert rows[0] == ["region", "region_name", "count", "margin_95", "suppressed"]
    names = dict(Region.objects.values_list("code", "name"))
    assert [row[:3] for row in rows[1:]] == [
        ["MA-01", names["MA-01"], "12"],
        ["MA-06", names["MA-06"], "13"],
    ]


def test_export_guards_reference_names_against_formula_injection(released, client_for):
    Region.objects.filter(code="MA-06").update(name='=HYPERLINK("http://evil","x")')
    rows = read_csv(client_for(personas.COMMISSION).get(EXPORT, {"by": "region"}))
    assert rows[2][:2] == ["MA-06", '\'=HYPERLINK("http://evil","x")']


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("", "by"),
        ("by=", "by"),
        ("by=colour", "by"),
        ("by=sex,sex", "by"),
        ("by=sex,nationality", "by"),  # no table of the release crosses them
        ("by=sex,stage,child", "by"),
        ("by=year&year=abc", "year"),
        ("by=year&year=1850", "year"),
        ("by=year&year=2024", "year"),  # a year the release does not cover
        ("by=year&region=XX", "region"),
        ("by=year&sex=female", "sex"),
        ("by=year&release=abc", "release"),
    ],
)
def test_export_rejects_bad_parameters(released, client_for, query, parameter):
    response = client_for(personas.COMMISSION).get(f"{EXPORT}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = body(response).splitlines()
    assert lines[0] == "The export could not be made:"
    assert [line.split(":")[0] for line in lines[1:]] == [parameter]


@pytest.mark.parametrize("url", [f"{EXPORT}?by=year", EXTRACT])
def test_downloads_without_a_release_are_a_plain_400(client_for, url):
    response = client_for(personas.COMMISSION).get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "release: No statistics release has been published yet." in body(response)


@pytest.mark.parametrize(
    "value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']
)
def test_csv_cell_formula_guard(value):
    assert csv_export.safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["MA-06", "Casablanca", "48+", 12, None, "", "a=b"])
def test_csv_cell_plain_values_stay(value):
    assert csv_export.safe_cell(value) == ("" if value is None else str(value))


def test_csv_stream_guards_every_cell_and_keeps_every_row():
    rows = [["a", "b"], *([f"=cmd{i}", i] for i in range(1203))]
    chunks = list(csv_export.stream_rows(rows, batch=500))
    assert len(chunks) == 3
    parsed = list(csv.reader(io.StringIO("".join(chunks))))
    assert parsed[0] == ["a", "b"]
    assert parsed[1:] == [[f"'=cmd{i}", str(i)] for i in range(1203)]


# --- The synthetic extract ------------------------------------------------------------------


def test_the_extract_is_the_release_s_own(cast, client_for):
    old = hand_release(extract="survivor_id,gender\r\n1,female\r\n")
    new = hand_release(extract="survivor_id,gender\r\n1,male\r\n2,female\r\n")
    client = client_for(personas.COMMISSION)

    latest = client.get(EXTRACT)
    assert latest.status_code == 200
    assert body(latest) == new.extract
    assert latest["Content-Type"] == "text/csv; charset=utf-8"
    assert latest["Content-Disposition"] == (
        f'attachment; filename="nrm-ctdc-synthetic-release-{new.pk}.csv"'
    )
    assert "no-store" in latest["Cache-Control"]
    asked = client.get(EXTRACT, {"release": old.pk})
    assert body(asked) == old.extract
    assert asked["Content-Disposition"].endswith(f'-release-{old.pk}.csv"')


def test_the_extract_of_an_unknown_release_is_a_plain_400(released, client_for):
    response = client_for(personas.COMMISSION).get(EXTRACT, {"release": unknown_release_id()})
    assert response.status_code == 400
    assert "release: No release has this number." in body(response)
