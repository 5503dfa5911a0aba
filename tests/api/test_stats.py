"""GET /api/v1/stats/cases/ (API.md): who may read it, its errors, its shape, its counts.

The counts are checked against hand-computed expectations on small datasets with k = 2, built
so that every profile occurs at least twice (then every cell of every table is >= 2 and nothing
is suppressed), and separately with single cases (then suppression must show).
"""

import datetime

import pytest
from django.test import Client

from accounts.models import User
from api.tokens import issue_token
from cases.consent import record_consent
from reference.models import ExploitationForm, Region
from tests import personas
from tests.factories import make_case, person_data

URL = "/api/v1/stats/cases/"
THIS_YEAR = datetime.date.today().year
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


# --- Who may read it ---------------------------------------------------------------------------
@pytest.mark.parametrize("username", personas.ALL)
def test_only_commission_members_read_statistics(api_for, username):
    response = get(api_for(username), by="year")
    if username == personas.COMMISSION:
        assert response.status_code == 200
        assert set(response.json()) == {"k", "rows", "total"}
    else:
        assert response.status_code == 403
        assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("username", personas.ALL)
def test_only_commission_members_read_statistics_in_the_browser(client_for, username):
    response = client_for(username).get(URL, {"by": "region"})
    assert response.status_code == (200 if username == personas.COMMISSION else 403)


def test_statistics_need_credentials(db):
    response = Client().get(URL, {"by": "year"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert set(response.json()) == {"detail"}


def test_bad_token_is_401(db):
    response = Client(headers={"Authorization": "Token nope"}).get(URL, {"by": "year"})
    assert response.status_code == 401


def token_client(user) -> Client:
    key = issue_token(user=User.objects.get(pk=user.pk))[1]
    return Client(headers={"Authorization": f"Token {key}"})


def test_every_holder_of_view_statistics_reads_statistics(cast):
    """The permission follows from the commission member role (accounts.backends.RoleBackend)."""
    user = User.objects.create_user(
        username="statistician",
        password=None,
        role="commission_member",
        organisation=cast.commission.organisation,
    )
    assert user.has_perm("stats.view_statistics")
    assert get(token_client(user), by="year").status_code == 200


def test_a_ticked_permission_box_does_not_open_statistics(cast):
    """Per-user grants are ignored: a caseworker given view_statistics in the admin is refused."""
    from django.contrib.auth.models import Permission

    user = cast.ngo_b
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="stats", codename="view_statistics")
    )
    assert get(token_client(user), by="year").status_code == 403


def test_inactive_commission_member_is_refused(api_for, cast):
    client = api_for(personas.COMMISSION)
    User.objects.filter(pk=cast.commission.pk).update(is_active=False)
    assert get(client, by="year").status_code in (401, 403)


def test_forbidden_comes_before_bad_request(api_for):
    """API.md: 403 wins over 400 — a non-member learns nothing about the parameters."""
    for username in (personas.NGO_A, personas.ADMIN):
        assert get(api_for(username), by="nonsense").status_code == 403
        assert api_for(username).get(URL).status_code == 403


def test_only_get(commission):
    assert commission.post(URL, {}, content_type="application/json").status_code == 405
    assert commission.delete(URL).status_code == 405


# --- 400s -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"by": "colour"}, "by"),
        ({"by": "year,colour"}, "by"),
        ({"by": "person"}, "by"),
        ({"by": ""}, "by"),
        ({"by": ","}, "by"),
        ({}, "by"),
        ({"by": "year,year"}, "by"),
        ({"by": "sex,age_group,stage"}, "by"),
        ({"by": "sex,age_group,region"}, "by"),
        ({"by": "year,region,sex,stage,exploitation_form"}, "by"),
        ({"by": "year", "year": "twenty"}, "year"),
        ({"by": "year", "year": "2026.5"}, "year"),
        ({"by": "year", "year": "2026,2025"}, "year"),
        ({"by": "year", "year": "99999999999999999999999"}, "year"),
        ({"by": "year", "year": "1200"}, "year"),
        ({"by": "year", "year": str(THIS_YEAR + 1)}, "year"),
        ({"by": "region", "region": "MA-99"}, "region"),
        ({"by": "region", "region": "Casablanca"}, "region"),
        ({"by": "region", "region": "MA-06\x00"}, "region"),
        ({"by": "region", "region": "x" * 5000}, "region"),
        ({"by": "region", "sex": "female"}, "sex"),
        ({"by": "year", "nationality": "NG"}, "nationality"),
    ],
)
def test_bad_queries_are_400(commission, params, field):
    response = commission.get(URL, params)
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert field in errors
    assert all(isinstance(m, str) and m for m in errors[field])


def test_every_error_is_reported_at_once(commission):
    response = get(commission, by="colour", year="soon", region="nowhere")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"by", "year", "region"}


def test_repeated_by_parameters_combine(commission, dataset):
    response = commission.get(URL + "?by=year&by=region")
    assert response.status_code == 200
    assert response.json() == get(commission, by="year,region").json()


def test_spaces_around_dimensions_are_ignored(commission, dataset):
    assert get(commission, by=" year , region ").json() == get(commission, by="year,region").json()


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


# --- OpenAPI ----------------------------------------------------------------------------------
def test_schema_describes_statistics(commission):
    schema = commission.get("/api/v1/schema/", {"format": "json"}).json()
    operations = schema["paths"]["/api/v1/stats/cases/"]
    assert set(operations) == {"get"}
    operation = operations["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(parameters) == {"by", "year", "region"}
    by = parameters["by"]
    assert (by["in"], by["required"], by["style"], by["explode"]) == ("query", True, "form", False)
    assert {
        "year",
        "region",
        "exploitation_form",
        "sex",
        "age_group",
        "nationality",
        "stage",
    } <= set(by["schema"]["items"]["enum"])
    assert parameters["year"]["schema"]["type"] == "integer"
    assert {"200", "400", "401", "403"} <= set(operation["responses"])

    def resolve(node):
        ref = node.get("$ref")
        return schema["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else node

    table = resolve(operation["responses"]["200"]["content"]["application/json"]["schema"])
    assert set(table["properties"]) == {"k", "rows", "total"}
    assert table["properties"]["total"]["nullable"] is True
    row = resolve(table["properties"]["rows"]["items"])
    assert {"year", "region", "count", "suppressed"} <= set(row["properties"])
    assert row["properties"]["count"]["nullable"] is True
    assert row["properties"]["year"]["type"] == "integer"
    errors = resolve(operation["responses"]["400"]["content"]["application/json"]["schema"])
    assert set(errors["properties"]) == {"errors"}
