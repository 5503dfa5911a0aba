"""limits.throttle: per-user limits on registrations and searches, one count for the UI and the
API; over the limit a clear 429 with Retry-After, and nothing saved."""

import datetime

import pytest
from django.utils import timezone

from cases.models import Case
from limits.models import Hit
from limits.throttle import REGISTRATION, SEARCH, take
from tests import personas
from tests.api.conftest import post_json, valid_body

UI_FORM = {
    "given_name": "Throttled",
    "sex": "unknown",
    "identified_on": "2026-11-01",
    "region": "MA-06",
    "exploitation_forms": ["Other"],
}


@pytest.fixture
def limits(settings):
    settings.NRM_THROTTLE_RATES = {REGISTRATION: 3, SEARCH: 2}
    return settings.NRM_THROTTLE_RATES


def test_the_fourth_registration_in_the_hour_is_refused_ui_and_api_together(
    api_for, client_for, limits
):
    api = api_for(personas.POLICE)
    browser = client_for(personas.POLICE)
    assert post_json(api, "/api/v1/cases/", valid_body()).status_code == 201
    assert browser.post("/cases/register/", UI_FORM).status_code == 302
    assert post_json(api, "/api/v1/cases/", valid_body()).status_code == 201
    refused = post_json(api, "/api/v1/cases/", valid_body())
    assert refused.status_code == 429
    assert 3500 <= int(refused["Retry-After"]) <= 3600
    assert "registered the most cases allowed in one hour" in refused.json()["detail"]
    page = browser.post("/cases/register/", UI_FORM)
    assert page.status_code == 429
    assert int(page["Retry-After"]) > 0
    body = page.content.decode()
    assert "registered the most cases allowed in one hour" in body
    assert 'value="Throttled"' in body  # the form keeps what was typed
    assert Case.objects.count() == 3


def test_the_limit_is_per_user(api_for, limits):
    for _ in range(3):
        post_json(api_for(personas.POLICE), "/api/v1/cases/", valid_body())
    assert post_json(api_for(personas.POLICE), "/api/v1/cases/", valid_body()).status_code == 429
    assert post_json(api_for(personas.NGO_A), "/api/v1/cases/", valid_body()).status_code == 201


def test_a_search_counts_and_a_plain_list_does_not(api_for, client_for, limits):
    api = api_for(personas.NGO_A)
    for _ in range(5):
        assert api.get("/api/v1/cases/", {"stage": "assistance"}).status_code == 200
    assert api.get("/api/v1/cases/", {"reference": "MA-2026"}).status_code == 200
    assert client_for(personas.NGO_A).get("/cases/", {"q": "MA-2026"}).status_code == 200
    refused = api.get("/api/v1/cases/", {"reference": "MA-2026"})
    assert (refused.status_code, "searched the most times" in refused.json()["detail"]) == (
        429,
        True,
    )
    page = client_for(personas.NGO_A).get("/cases/", {"q": "MA-2026"})
    assert page.status_code == 429
    assert "searched the most times" in page.content.decode()
    assert api.get("/api/v1/cases/").status_code == 200


def test_refusals_stay_before_the_limit_check(api_for, limits):
    """API.md's order: 401/403 first; a refused registration of a non-frontline role is not
    counted (and the commission member is told 403, not 429)."""
    for _ in range(5):
        assert (
            post_json(api_for(personas.AUTHORITY), "/api/v1/cases/", valid_body()).status_code
            == 403
        )
    assert not Hit.objects.exists()


def test_hits_older_than_the_window_are_forgotten(cast, limits):
    user = cast.police
    old = timezone.now() - datetime.timedelta(hours=1, seconds=1)
    Hit.objects.bulk_create(Hit(user=user, scope=REGISTRATION, at=old) for _ in range(3))
    assert take(user, REGISTRATION).allowed
    assert Hit.objects.filter(user=user).count() == 1


def test_the_wait_is_until_the_oldest_hit_leaves_the_window(cast, limits):
    user = cast.police
    now = timezone.now()
    Hit.objects.bulk_create(
        Hit(user=user, scope=SEARCH, at=now - datetime.timedelta(minutes=minutes))
        for minutes in (50, 10)
    )
    verdict = take(user, SEARCH)
    assert not verdict.allowed
    assert 9 * 60 <= verdict.retry_after <= 10 * 60 + 1
    assert "Try again in 10 minute(s)" in verdict.message(SEARCH)
