"""stats/requests.py: every statistics request is audited (who, which table, which filters)
and counted against the user's hourly limit, in the UI and the API."""

import datetime

import pytest

from audit.models import AuditEntry
from stats.releases import publish_release
from tests import personas


@pytest.fixture(autouse=True)
def release(db):
    """Every statistics request reads a release: one of no case is enough here."""
    return publish_release(actor=None, cut_off=datetime.date.today())


def requests_of(user):
    return list(
        AuditEntry.objects.filter(additional_data__event="statistics_requested", actor=user)
        .order_by("pk")
        .values_list("additional_data", flat=True)
    )


@pytest.mark.parametrize(
    ("channel", "path", "params", "table", "filters"),
    [
        (
            "api",
            "/api/v1/stats/cases/",
            {"by": "year,region", "year": "2026"},
            "cases",
            {"by": ["year", "region"], "year": 2026},
        ),
        (
            "csv",
            "/statistics/export.csv",
            {"by": "sex", "region": "MA-06"},
            "cases",
            {"by": ["sex"], "region": "MA-06"},
        ),
        ("csv", "/statistics/extract.csv", {}, "synthetic_extract", {}),
        ("ui", "/statistics/", {}, "dashboard", None),
    ],
)
def test_each_request_is_an_audit_entry_naming_the_table_and_filters(
    cast, api_for, client_for, release, channel, path, params, table, filters
):
    client = api_for(personas.COMMISSION) if channel == "api" else client_for(personas.COMMISSION)
    assert client.get(path, params).status_code == 200
    [entry] = requests_of(cast.commission)
    assert (entry["table"], entry["channel"]) == (table, channel)
    if filters is not None:
        assert entry["filters"] == {**filters, "release": release.pk}


def test_the_limit_is_shared_by_the_ui_and_the_api(cast, api_for, client_for, settings):
    settings.NRM_THROTTLE_RATES = {**settings.NRM_THROTTLE_RATES, "statistics": 2}
    assert client_for(personas.COMMISSION).get("/statistics/").status_code == 200
    assert (
        api_for(personas.COMMISSION).get("/api/v1/stats/cases/", {"by": "year"}).status_code == 200
    )
    refused = api_for(personas.COMMISSION).get("/api/v1/stats/cases/", {"by": "year"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "statistics allowed in one hour" in refused.json()["detail"]
    page = client_for(personas.COMMISSION).get("/statistics/extract.csv")
    assert page.status_code == 429
    assert len(requests_of(cast.commission)) == 2


@pytest.mark.parametrize("username", [personas.NGO_A, personas.COORDINATOR, personas.ADMIN])
def test_refused_roles_are_neither_counted_nor_audited(cast, api_for, username):
    assert api_for(username).get("/api/v1/stats/cases/", {"by": "year"}).status_code == 403
    assert requests_of(cast[username]) == []
