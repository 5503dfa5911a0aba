"""Reading many protected tables from one snapshot (``case_table(snap=...)``)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.consent import record_consent
from cases.models import Case
from stats import aggregates, publication
from tests.factories import make_case, person_data


@pytest.fixture
def cases(cast, settings):
    settings.NRM_STATS_K = 2
    for year, sex in [(2025, "female"), (2025, "female"), (2025, "male"), (2026, "female")]:
        case = make_case(cast.police, person=person_data(sex=sex))
        record_consent(case, actor=cast.police, scope="statistics", given=True)
        Case.objects.filter(pk=case.pk).update(
            identified_on=datetime.date(year, 5, 5), updated_at=timezone.now()
        )


@pytest.mark.parametrize(
    ("by", "year", "region"),
    [
        (["year"], None, None),
        (["sex"], 2025, None),
        (["year", "sex"], None, "MA-06"),
        (["exploitation_form", "age_group"], None, None),
        (["nationality"], 2026, "MA-06"),
    ],
)
def test_case_table_from_a_given_snapshot_is_the_same_table(cases, by, year, region):
    snap = publication.snapshot()
    assert publication.case_table(by=by, year=year, region=region, snap=snap) == (
        publication.case_table(by=by, year=year, region=region)
    )


def test_case_table_from_a_given_snapshot_reads_no_database(cases):
    snap = publication.snapshot()
    with CaptureQueriesContext(connection) as queries:
        tables = [
            publication.case_table(by=["year", dim], snap=snap)
            for dim in aggregates.DASHBOARD_DIMENSIONS
        ]
    assert len(queries) == 0
    assert tables == [
        publication.case_table(by=["year", dim]) for dim in aggregates.DASHBOARD_DIMENSIONS
    ]
    by_sex = tables[list(aggregates.DASHBOARD_DIMENSIONS).index("sex")]["rows"]
    assert [(row["year"], row["sex"]) for row in by_sex] == [
        (2025, "female"),
        (2025, "male"),
        (2026, "female"),
    ]


def test_dashboard_reads_one_snapshot(cases, client_for):
    client = client_for("commission")
    client.get("/statistics/")  # computes and caches the snapshot
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/statistics/")
    fingerprints = [
        q for q in queries if "cases_case_exploitation_forms) FROM cases_case" in q["sql"]
    ]
    board = response.context["board"]
    assert (response.status_code, len(fingerprints)) == (200, 1)
    assert len(queries) < 25
    assert len(board.tables) == len(aggregates.DASHBOARD_DIMENSIONS)
    assert [r.value for r in next(t for t in board.tables if t.dim == "sex").rows] == [
        "female",
        "male",
    ]


def test_dashboard_has_a_table_for_every_predefined_dimension(cases, client_for):
    board = client_for("commission").get("/statistics/").context["board"]
    assert [t.dim for t in board.tables] == list(aggregates.DASHBOARD_DIMENSIONS)
    sex = next(t for t in board.tables if t.dim == "sex")
    snap = publication.snapshot()
    assert [r.value for r in sex.rows] == ["female", "male"]
    for row in sex.rows:
        assert [(c.count, c.suppressed) for c in row.cells] == [
            snap.value(("year", "sex"), (year, row.value)) for year in (2025, 2026)
        ]
        assert (row.all_years.count, row.all_years.suppressed) == snap.value(("sex",), (row.value,))


@pytest.mark.parametrize(
    ("by", "year", "region"),
    [
        (["sex", "stage"], 2026, None),
        (["sex", "stage"], None, "MA-06"),
        (["sex", "stage", "year"], None, None),
    ],
)
def test_case_table_refuses_a_table_outside_the_publishable_ones(db, by, year, region):
    """Clients' questions are refused by ``stats.queries``; a caller's mistake here is a bug."""
    with pytest.raises(ValueError, match="Not a publishable table"):
        publication.case_table(by=by, year=year, region=region)
