"""The commission's statistics pages: access, filters, published numbers only, CSV export."""

import csv
import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cases.consent import record_consent
from cases.models import Case
from reference.models import Region
from stats import csv_export, extract, publication
from stats.dimensions import ordered
from tests import personas
from tests.factories import make_case
from tests.html import inline_scripts

URLS = ["/statistics/", "/statistics/export.csv?by=year", "/statistics/extract.csv"]


def counted_case(cast, **overrides):
    case = make_case(cast.police, **overrides)
    record_consent(case, actor=cast.police, scope="statistics", given=True)
    return case


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def seeded(cast, settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    settings.NRM_STATS_K = 5
    call_command("seed_demo", cases=500, seed=3, stdout=io.StringIO())


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("persona", personas.ALL)
def test_statistics_access(client_for, persona, url):
    response = client_for(persona).get(url)
    expected = 200 if persona == personas.COMMISSION else 403
    assert response.status_code == expected


@pytest.mark.parametrize("url", URLS)
def test_statistics_anonymous_goes_to_login(db, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert "/login" in response["Location"]


# --- Filters --------------------------------------------------------------------------------


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
def test_dashboard_rejects_bad_filters(client_for, query, field, typed):
    response = client_for("commission").get(f"/statistics/?{query}")
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
def test_dashboard_refuses_filters_it_does_not_take(client_for, query, message):
    response = client_for("commission").get(f"/statistics/?year_from=2025&{query}")
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["__all__"]
    assert message in form.non_field_errors()[0]
    assert message in body(response)
    assert 'name="year_from" value="2025"' in body(response)


def test_dashboard_filters_by_year_range_and_region(cast, client_for, settings):
    settings.NRM_STATS_K = 2
    for year in (2024, 2025, 2025, 2026):
        case = counted_case(cast)
        Case.objects.filter(pk=case.pk).update(
            identified_on=datetime.date(year, 3, 1), updated_at=timezone.now()
        )
    client = client_for("commission")

    board = client.get("/statistics/?year_from=2025&year_to=2026&region=MA-06").context["board"]

    assert (board.years, board.all_years, board.region) == ([2025, 2026], False, "MA-06")
    assert "region" not in [t.dim for t in board.tables]
    whole = client.get("/statistics/?year_from=&year_to=&region=").context["board"]
    assert (whole.years, whole.all_years, whole.region) == ([2024, 2025, 2026], True, None)


def test_dashboard_range_without_data(cast, client_for, settings):
    settings.NRM_STATS_K = 2
    counted_case(cast)
    response = client_for("commission").get("/statistics/?year_from=2010&year_to=2012")
    assert response.status_code == 200
    assert response.context["board"].years == []
    assert "No counted case in the chosen years." in body(response)


def test_dashboard_empty_state(client_for):
    response = client_for("commission").get("/statistics/")
    assert response.status_code == 200
    assert "No cases are counted yet." in body(response)
    assert "No referral of a counted case yet." in body(response)


def test_dashboard_shows_the_counting_rule(client_for, settings):
    client = client_for("commission")
    assert "consented to statistical use are counted" in body(client.get("/statistics/"))
    settings.NRM_STATS_COUNT_ALL = True
    assert "All registered cases are counted" in body(client.get("/statistics/"))


# --- Every number shown is published --------------------------------------------------------


def published_counts(snap) -> set[int]:
    return {
        n
        for table, rows in snap.cells.items()
        for key, n in rows.items()
        if (table, key) not in snap.suppressed
    }


def shown_counts(html: str) -> list[int]:
    cells = re.findall(r'<span class="count">(\d+)</span>', html)
    bars = re.findall(r'<text class="chart-value" x="\d+" y="\d+">(\d+)</text>', html)
    return [int(n) for n in cells + bars]


@pytest.mark.parametrize(
    "query", ["", "?year_from=2024&year_to=2025", "?region=MA-06", "?year_to=2025&region=MA-01"]
)
def test_every_number_on_the_dashboard_is_a_published_figure(seeded, client_for, query):
    response = client_for("commission").get(f"/statistics/{query}")
    html = body(response)
    snap = publication.snapshot()
    board = response.context["board"]
    assert board.has_data

    referrals = response.context["referrals"]
    referral_counts = {
        c.count
        for _kind, _label, cells, total in referrals.rows
        for c in (*cells, total)
        if not c.suppressed
    } | {c.count for c in (*referrals.state_totals, referrals.total) if not c.suppressed}
    shown = shown_counts(html)
    assert shown
    assert set(shown) <= published_counts(snap) | referral_counts | {0}
    assert all(n >= snap.k or n == 0 for n in shown)
    assert html.count('class="suppressed"') >= 1  # the legend at least

    # Cell by cell: each figure is the published cell of its table and filter.
    region = board.region
    for table in board.tables:
        for row in table.rows:
            for year, cell in zip(board.years, row.cells, strict=True):
                values = {"year": year, "region": region, table.dim: row.value}
                dims = ordered([d for d in values if values[d] is not None])
                key = tuple(values[d] for d in dims)
                assert (cell.count, cell.suppressed) == snap.value(dims, key), (
                    table.dim,
                    row,
                    dims,
                    key,
                )

    # Medians: published only from k cases (checked against the database).
    medians = response.context["medians"]
    for year, median in medians.by_year:
        cases = Case.objects.filter(
            statistics_consent=True,
            identified_on__year=year,
            first_referral_accepted_on__isnull=False,
        )
        if region:
            cases = cases.filter(region_id=region)
        if median.days is not None:
            assert cases.count() >= snap.k
        else:
            assert cases.count() < snap.k


def test_dashboard_is_strict_csp_compatible(seeded, client_for):
    html = body(client_for("commission").get("/statistics/"))
    assert "<svg" in html and "<rect" in html
    assert "style=" not in html
    assert inline_scripts(html) == []
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


# --- CSV export -----------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response))))


def test_export_is_the_protected_table(seeded, client_for):
    response = client_for("commission").get("/statistics/export.csv?by=year,sex&region=MA-06")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="nrm-statistics-year-sex-MA-06.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    rows = read_csv(response)
    assert rows[0] == ["year", "sex", "count", "suppressed"]
    table = publication.case_table(by=["year", "sex"], region="MA-06")
    expected = [
        [str(r["year"]), r["sex"], "", "1"]
        if r.get("suppressed")
        else [str(r["year"]), r["sex"], str(r["count"]), "0"]
        for r in table["rows"]
    ]
    assert rows[1:] == expected
    assert any(row[3] == "1" for row in rows[1:])


def test_export_names_coded_dimensions(seeded, client_for):
    rows = read_csv(client_for("commission").get("/statistics/export.csv?by=region&year=2025"))
    assert rows[0] == ["region", "region_name", "count", "suppressed"]
    names = dict(Region.objects.values_list("code", "name"))
    assert all(row[1] == names[row[0]] for row in rows[1:])


@pytest.mark.parametrize(
    "query",
    [
        "",
        "by=",
        "by=colour",
        "by=sex,sex",
        "by=sex,stage,child",
        "by=year&year=abc",
        "by=year&year=1850",
        "by=year&region=XX",
    ],
)
def test_export_rejects_bad_parameters(client_for, query):
    response = client_for("commission").get(f"/statistics/export.csv?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"


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


def test_export_guards_reference_names_against_formula_injection(cast, client_for, settings):
    settings.NRM_STATS_K = 2
    for _ in range(2):
        counted_case(cast)
    Region.objects.filter(code="MA-06").update(name='=HYPERLINK("http://evil","x")')

    rows = read_csv(client_for("commission").get("/statistics/export.csv?by=region"))

    assert rows[1][:2] == ["MA-06", '\'=HYPERLINK("http://evil","x")']


def test_extract_download_headers(cast, client_for):
    response = client_for("commission").get("/statistics/extract.csv")
    assert response["Content-Disposition"] == 'attachment; filename="nrm-htcds-extract.csv"'
    assert "no-store" in response["Cache-Control"]
    assert read_csv(response) == [list(extract.FIELDS)]


def test_export_refuses_a_pair_of_dimensions_under_a_filter(client_for):
    client = client_for("commission")
    assert client.get("/statistics/export.csv", {"by": "sex,stage"}).status_code == 200
    response = client.get("/statistics/export.csv", {"by": "sex,stage", "year": "2026"})
    assert response.status_code == 400
