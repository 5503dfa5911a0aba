"""GET /api/v1/stats/cases/ and /api/v1/stats/releases/ (API.md): shapes, counts, releases.

Who may read them: ``test_stats_access.py``; their OpenAPI description: ``test_stats_schema.py``;
the parameters and their 400s, shared with the CSV export: ``tests/stats/test_queries.py``.

Shapes are checked on releases built by hand (known tables), counts on releases published
through the service at budgets where the noise is negligible (then a published count is the
true count), against hand-computed expectations.
"""

import datetime

import pytest

from audit.models import AuditEntry
from cases.consent import record_consent
from stats.models import Release
from tests import personas
from tests.stats.conftest import (
    counted_case,
    hand_release,
    hand_tables,
    make_exact,
    publish_today,
    table,
)

URL = "/api/v1/stats/cases/"
RELEASES = "/api/v1/stats/releases/"
# Z95 x sqrt(5.0), one decimal: the margin of one cell of a hand-made table (variance 5.0).
MARGIN = 4.4


@pytest.fixture
def commission(api_for):
    return api_for(personas.COMMISSION)


@pytest.fixture
def exact(settings):
    return make_exact(settings)


@pytest.fixture
def dataset(cast, exact):
    """7 counted cases and 1 without statistics consent.

    year, region, forms          | cases
    2026  MA-06  ForcedLabour    | 3  (+1 without statistics consent)
    2026  MA-01  SexualExpl.     | 2
    2025  MA-06  ForcedLabour    | 2  (both also ForcedBegging)
                   + ForcedBegging
    """
    ngo = cast.ngo_a
    for _ in range(3):
        counted_case(ngo)
    for _ in range(2):
        counted_case(ngo, region="MA-01", codes=("SexualExploitation",))
    for _ in range(2):
        counted_case(ngo, year=2025, codes=("ForcedLabour", "ForcedBegging"))
    counted_case(ngo, consent=False)
    return publish_today()


def get(client, **params):
    return client.get(URL, params)


def counts(body) -> list[dict]:
    """The rows without their margins (at a negligible noise, about 0)."""
    return [{k: v for k, v in row.items() if k != "margin"} for row in body["rows"]]


# --- Shape (a hand-made release) --------------------------------------------------------------
def test_shape(cast, commission):
    release = hand_release()
    body = get(commission, by="year,region", year="2026", region="MA-06").json()
    assert body == {
        "k": 11,
        "release": release.pk,
        "rows": [{"year": 2026, "region": "MA-06", "count": 13, "margin": MARGIN}],
        "total": 13,
        "total_margin": MARGIN,
    }
    [row] = body["rows"]
    assert list(row) == ["year", "region", "count", "margin"]


def test_a_sum_has_the_margin_of_a_sum(cast, commission):
    tables = hand_tables()
    hand_release(tables={"year": tables["year"], "yearxregion": tables["yearxregion"]})
    # by=region over both years: two cells of year x region summed, variance 2 x 5.0.
    body = get(commission, by="region").json()
    assert body["rows"] == [
        {"region": "MA-01", "count": 12, "margin": 6.2},
        {"region": "MA-06", "count": 28, "margin": 6.2},
    ]
    assert (body["total"], body["total_margin"]) == (40, 6.2)


def test_a_figure_below_k_reads_null(cast, commission):
    hand_release()
    body = get(commission, by="sex", region="MA-06").json()
    assert body["rows"] == [
        {"sex": "female", "count": 25, "margin": MARGIN},
        {"sex": "male", "count": None, "margin": MARGIN, "suppressed": True},
    ]
    assert body["total"] == 28


def test_the_release_asked_is_read(cast, commission):
    old = hand_release()
    new = hand_release(tables={"year": table(["year"], [[2026, 30]], variance=1.0)})
    latest = get(commission, by="year").json()
    assert (latest["release"], counts(latest)) == (new.pk, [{"year": 2026, "count": 30}])
    asked = get(commission, by="year", release=str(old.pk)).json()
    assert asked["release"] == old.pk
    assert counts(asked) == [{"year": 2025, "count": 15}, {"year": 2026, "count": 25}]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("unknown", "No release has this number."),
        ("abc", "A release is named by its number."),
        ("-1", "A release is named by its number."),
        ("1" * 12, "A release is named by its number."),
    ],
)
def test_an_unknown_or_invalid_release_is_a_400(cast, commission, value, message):
    release = hand_release()
    if value == "unknown":
        value = str(release.pk + 1)
    response = get(commission, by="year", release=value)
    assert response.status_code == 400
    assert response.json() == {"errors": {"release": [message]}}


def test_no_release_is_a_404(db, commission):
    response = get(commission, by="year")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "No statistics release has been published yet: the national coordinator "
        "publishes one."
    }


@pytest.mark.parametrize(
    "params",
    [
        {"by": "sex,nationality"},
        {"by": "nationality", "region": "MA-06"},
        {"by": "sex,region", "year": "2026"},
    ],
)
def test_a_table_the_release_does_not_publish_is_a_400(cast, commission, params):
    hand_release()
    response = get(commission, **params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["by"]


# --- Counts (a release at a negligible noise) -------------------------------------------------
def test_counts_by_year_and_region(commission, dataset):
    body = get(commission, by="year,region").json()
    assert (body["k"], body["release"], body["total"]) == (2, dataset.pk, 7)
    assert counts(body) == [
        {"year": 2025, "region": "MA-06", "count": 2},
        {"year": 2026, "region": "MA-01", "count": 2},
        {"year": 2026, "region": "MA-06", "count": 3},
    ]


def test_counts_keep_the_order_of_by(commission, dataset):
    rows = get(commission, by="region,year").json()["rows"]
    assert all(list(row) == ["region", "year", "count", "margin"] for row in rows)
    assert sorted((r["region"], r["year"], r["count"]) for r in rows) == [
        ("MA-01", 2026, 2),
        ("MA-06", 2025, 2),
        ("MA-06", 2026, 3),
    ]


def test_counts_with_filters(commission, dataset):
    body = get(commission, by="region", year="2026").json()
    assert counts(body) == [{"region": "MA-01", "count": 2}, {"region": "MA-06", "count": 3}]
    assert body["total"] == 5
    body = get(commission, by="sex", region="MA-06").json()
    assert counts(body) == [{"sex": "female", "count": 5}]
    assert body["total"] == 5


def test_zero_cells_are_omitted(commission, dataset):
    body = get(commission, by="region", year="2025", region="MA-01").json()
    assert (body["rows"], body["total"]) == ([], 0)


def test_a_case_counts_under_each_of_its_forms(commission, dataset):
    body = get(commission, by="exploitation_form").json()
    assert counts(body) == [
        {"exploitation_form": "ForcedBegging", "count": 2},
        {"exploitation_form": "ForcedLabour", "count": 5},
        {"exploitation_form": "SexualExploitation", "count": 2},
    ]
    assert sum(r["count"] for r in body["rows"]) == 9 > body["total"] == 7


def test_profile_dimensions(commission, dataset):
    assert counts(get(commission, by="nationality").json()) == [{"nationality": "NG", "count": 7}]
    assert counts(get(commission, by="stage,year").json()) == [
        {"stage": "identification", "year": 2025, "count": 2},
        {"stage": "identification", "year": 2026, "count": 5},
    ]
    # Born 1990-05-05: 35 in November 2025, 36 in November 2026, one CTDC band (30-38).
    assert counts(get(commission, by="age_group").json()) == [{"age_group": "30-38", "count": 7}]


def test_counting_all_cases_counts_those_without_consent(cast, exact, commission):
    counted_case(cast.ngo_a)
    counted_case(cast.ngo_a, consent=False)
    exact.NRM_STATS_COUNT_ALL = True
    publish_today()
    assert get(commission, by="year").json()["total"] == 2


def test_a_change_after_publication_changes_no_answer(cast, commission, dataset):
    questions = [
        {"by": "year,region"},
        {"by": "exploitation_form", "year": "2026"},
        {"by": "sex", "region": "MA-06"},
    ]
    before = [get(commission, **q).json() for q in questions]
    counted_case(cast.ngo_a)
    counted_case(cast.ngo_a, year=2025, region="MA-01")
    case = counted_case(cast.ngo_a, codes=("SexualExploitation",))
    record_consent(case, actor=cast.ngo_a, scope="statistics", given=False)
    assert [get(commission, **q).json() for q in questions] == before

    # The next release counts them; the first one still answers as it did.
    publish_today()
    assert get(commission, by="year").json()["total"] == 9
    again = [get(commission, **q, release=str(dataset.pk)).json() for q in questions]
    assert again == before


def test_each_request_is_audited_with_its_release(cast, commission):
    release = hand_release()
    get(commission, by="year,region", year="2026")
    [entry] = AuditEntry.objects.filter(
        additional_data__event="statistics_requested", actor=cast.commission
    ).values_list("additional_data", flat=True)
    assert (entry["table"], entry["channel"]) == ("cases", "api")
    assert entry["filters"] == {"release": release.pk, "by": ["year", "region"], "year": 2026}


def test_the_answer_is_not_stored(cast, commission):
    hand_release()
    assert "no-store" in get(commission, by="year")["Cache-Control"]


# --- The releases -----------------------------------------------------------------------------
def test_the_releases_are_listed_newest_first(cast, commission):
    made = [
        hand_release(cut_off=datetime.date(2026, 3, 31) + datetime.timedelta(n)) for n in (0, 1)
    ]
    body = commission.get(RELEASES).json()
    assert body["count"] == 2
    assert [r["id"] for r in body["results"]] == [made[1].pk, made[0].pk]
    [newest, _] = body["results"]
    assert {"id", "cut_off", "published_at", "cases_counted", "privacy_loss"} <= set(newest)
    assert "tables" not in newest and "extract" not in newest
    assert (newest["cut_off"], newest["cases_counted"], newest["privacy_loss"]) == (
        "2026-04-01",
        40,
        0.5,
    )
    assert datetime.datetime.fromisoformat(newest["published_at"]) == made[1].published_at


def test_the_releases_are_paginated(cast, commission):
    made = [hand_release() for _ in range(3)]
    first = commission.get(RELEASES, {"page_size": 2}).json()
    assert first["count"] == 3
    assert [r["id"] for r in first["results"]] == [made[2].pk, made[1].pk]
    assert first["next"] is not None
    second = commission.get(RELEASES, {"page_size": 2, "page": 2}).json()
    assert [r["id"] for r in second["results"]] == [made[0].pk]


def test_no_release_is_an_empty_list(db, commission):
    assert commission.get(RELEASES).json()["results"] == []
    assert Release.objects.count() == 0
