"""GET /api/v1/stats/cases/ (API.md): its shape, its counts and their protection.

Who may read it: ``test_stats_access.py``; its OpenAPI description: ``test_stats_schema.py``;
its parameters and their 400s, shared with the CSV export: ``tests/stats/test_queries.py``.

The counts are checked against hand-computed expectations on small datasets with k = 2, built
so that every profile occurs at least twice (then every cell of every table is >= 2 and nothing
is suppressed), and separately with single cases (then suppression must show).
"""

import datetime

import pytest

from cases.consent import record_consent
from reference.models import ExploitationForm, Region
from tests import personas
from tests.factories import make_case, person_data

URL = "/api/v1/stats/cases/"
# The factories' default identification date; a fixed date of birth keeps every case in one
# age band (the factories' counter would otherwise spread them).
IDENTIFIED = datetime.date(2026, 11, 2)
BORN = datetime.date(1990, 5, 5)


def forms(*codes):
    return [ExploitationForm.objects.get(code=c) for c in codes]


def counted_case(actor, *, year=2026, region="MA-06", codes=("ForcedLabour",), consent=True):
    """A case (adult woman, NG, identification / presumed) with statistics consent."""
    case = make_case(
        actor,
        person=person_data(date_of_birth=BORN),
        identified_on=IDENTIFIED.replace(year=year),
        region=Region.objects.get(code=region),
        exploitation_forms=forms(*codes),
    )
    if consent:
        record_consent(case, actor=actor, scope="statistics", given=True)
    return case


def cases(actor, n, **profile):
    return [counted_case(actor, **profile) for _ in range(n)]


@pytest.fixture
def k2(settings):
    settings.NRM_STATS_K = 2
    settings.NRM_STATS_COUNT_ALL = False
    return settings


@pytest.fixture
def commission(api_for):
    return api_for(personas.COMMISSION)


@pytest.fixture
def dataset(cast, k2):
    """7 counted cases and 1 without statistics consent, every counted profile at least twice.

    year, region, forms          | cases
    2026  MA-06  ForcedLabour    | 3  (+1 without statistics consent)
    2026  MA-01  SexualExpl.     | 2
    2025  MA-06  ForcedLabour    | 2  (both also ForcedBegging)
                   + ForcedBegging
    """
    ngo = cast.ngo_a
    cases(ngo, 3)
    cases(ngo, 2, region="MA-01", codes=("SexualExploitation",))
    cases(ngo, 2, year=2025, codes=("ForcedLabour", "ForcedBegging"))
    counted_case(ngo, consent=False)


def get(client, **params):
    return client.get(URL, params)


# --- Shape and counts -------------------------------------------------------------------------
def test_shape(commission, dataset):
    body = get(commission, by="year,region", year="2026", region="MA-06").json()
    assert set(body) == {"k", "rows", "total"}
    assert body["k"] == 2
    assert body["rows"] == [{"year": 2026, "region": "MA-06", "count": 3}]
    assert body["total"] == 3
    [row] = body["rows"]
    assert list(row) == ["year", "region", "count"]
    assert isinstance(row["year"], int)


def test_counts_by_year_and_region(commission, dataset):
    body = get(commission, by="year,region").json()
    assert body == {
        "k": 2,
        "rows": [
            {"year": 2025, "region": "MA-06", "count": 2},
            {"year": 2026, "region": "MA-01", "count": 2},
            {"year": 2026, "region": "MA-06", "count": 3},
        ],
        "total": 7,
    }


def test_counts_keep_the_order_of_by(commission, dataset):
    rows = get(commission, by="region,year").json()["rows"]
    assert all(list(row) == ["region", "year", "count"] for row in rows)
    assert sorted((r["region"], r["year"], r["count"]) for r in rows) == [
        ("MA-01", 2026, 2),
        ("MA-06", 2025, 2),
        ("MA-06", 2026, 3),
    ]


def test_counts_with_filters(commission, dataset):
    body = get(commission, by="region", year="2026").json()
    assert body["rows"] == [
        {"region": "MA-01", "count": 2},
        {"region": "MA-06", "count": 3},
    ]
    assert body["total"] == 5
    body = get(commission, by="year", region="MA-06").json()
    assert body["rows"] == [{"year": 2025, "count": 2}, {"year": 2026, "count": 3}]
    assert body["total"] == 5


def test_zero_cells_are_omitted(commission, dataset):
    body = get(commission, by="region", year="2025", region="MA-01").json()
    assert body["rows"] == []
    assert body["total"] == 0


def test_a_case_counts_under_each_of_its_forms(commission, dataset):
    body = get(commission, by="exploitation_form").json()
    assert body["rows"] == [
        {"exploitation_form": "ForcedBegging", "count": 2},
        {"exploitation_form": "ForcedLabour", "count": 5},
        {"exploitation_form": "SexualExploitation", "count": 2},
    ]
    assert sum(r["count"] for r in body["rows"]) == 9 > body["total"] == 7


def test_profile_dimensions(commission, dataset):
    assert get(commission, by="nationality").json()["rows"] == [{"nationality": "NG", "count": 7}]
    assert get(commission, by="stage,year").json()["rows"] == [
        {"stage": "identification", "year": 2025, "count": 2},
        {"stage": "identification", "year": 2026, "count": 5},
    ]
    assert get(commission, by="child,region,year").json()["rows"] == [
        {"child": "adult", "region": "MA-06", "year": 2025, "count": 2},
        {"child": "adult", "region": "MA-01", "year": 2026, "count": 2},
        {"child": "adult", "region": "MA-06", "year": 2026, "count": 3},
    ]


def test_two_dimensions_are_crossed_nationally_only(commission, dataset):
    assert get(commission, by="sex,nationality").json()["rows"] == [
        {"sex": "female", "nationality": "NG", "count": 7}
    ]
    for params in (
        {"by": "sex,nationality,year"},
        {"by": "sex,nationality", "year": "2026"},
        {"by": "sex,nationality", "region": "MA-06"},
        {"by": "sex,nationality,stage"},
    ):
        response = get(commission, **params)
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["by"]


def test_age_group_is_the_band_at_identification(commission, dataset):
    # Born 1990-05-05: 35 in November 2025, 36 in November 2026, one CTDC band (30-38).
    assert get(commission, by="age_group").json()["rows"] == [{"age_group": "30-38", "count": 7}]


def test_a_case_without_statistics_consent_is_not_counted(commission, dataset):
    body = get(commission, by="year", year="2026", region="MA-06").json()
    assert body["rows"] == [{"year": 2026, "count": 3}]


def test_withdrawn_statistics_consent_is_not_counted(cast, commission, k2):
    counted = cases(cast.ngo_a, 3)
    assert get(commission, by="year").json()["total"] == 3
    record_consent(counted[0], actor=cast.ngo_a, scope="statistics", given=False)
    assert get(commission, by="year").json() == {
        "k": 2,
        "rows": [{"year": 2026, "count": 2}],
        "total": 2,
    }


def test_counting_all_cases_counts_those_without_consent(commission, dataset, settings):
    settings.NRM_STATS_COUNT_ALL = True
    body = get(commission, by="year,region").json()
    assert body["rows"] == [
        {"year": 2025, "region": "MA-06", "count": 2},
        {"year": 2026, "region": "MA-01", "count": 2},
        {"year": 2026, "region": "MA-06", "count": 4},
    ]
    assert body["total"] == 8


# --- Protection -------------------------------------------------------------------------------
def assert_protected(body, k):
    for row in body["rows"]:
        if row.get("suppressed"):
            assert row["count"] is None
            assert row["suppressed"] is True
        else:
            assert "suppressed" not in row
            assert row["count"] >= k, row
    assert body["total"] is None or body["total"] >= k or body["total"] == 0


def test_small_cells_are_suppressed(cast, commission, k2):
    cases(cast.ngo_a, 3)
    counted_case(cast.ngo_a, region="MA-01")
    body = get(commission, by="region").json()
    assert_protected(body, 2)
    by_region = {r["region"]: r for r in body["rows"]}
    assert by_region["MA-01"] == {"region": "MA-01", "count": None, "suppressed": True}
    # The other region cannot be published beside a published total of 4 (4 - 3 = 1).
    assert by_region["MA-06"]["count"] is None or body["total"] is None


def test_total_is_null_below_k(cast, commission, k2):
    cases(cast.ngo_a, 3)
    counted_case(cast.ngo_a, region="MA-01")
    body = get(commission, by="year", region="MA-01").json()
    assert body["total"] is None
    assert body["rows"] == [{"year": 2026, "count": None, "suppressed": True}]


def test_total_is_null_below_the_default_k(cast, commission, settings):
    settings.NRM_STATS_K = 11
    cases(cast.ngo_a, 3)
    body = get(commission, by="year,region").json()
    assert body["k"] == 11
    assert body["total"] is None
    assert body["rows"] == [{"year": 2026, "region": "MA-06", "count": None, "suppressed": True}]


@pytest.mark.parametrize(
    "params",
    [
        {"by": "year"},
        {"by": "region"},
        {"by": "year,region"},
        {"by": "region", "year": "2026"},
        {"by": "year", "region": "MA-01"},
        {"by": "exploitation_form"},
        {"by": "exploitation_form,region", "year": "2026"},
        {"by": "sex,year"},
        {"by": "nationality,region", "region": "MA-06"},
        {"by": "trafficking_status,year,region"},
    ],
)
def test_every_nonzero_count_is_at_least_k(cast, commission, k2, params):
    ngo = cast.ngo_a
    cases(ngo, 3)
    cases(ngo, 2, region="MA-01", codes=("SexualExploitation",))
    counted_case(ngo, region="MA-01", codes=("ForcedBegging",))
    counted_case(ngo, year=2025, region="MA-04")
    counted_case(ngo, year=2025, codes=("ForcedLabour", "Other"))
    body = get(commission, **params).json()
    assert body["k"] == 2
    assert_protected(body, 2)
