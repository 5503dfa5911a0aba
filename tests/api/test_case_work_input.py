"""No input a client can send makes the case-work and referral endpoints answer 500.

Each endpoint is called by a persona allowed to act, so the body is what decides the answer.
"""

import json

import pytest

from audit.models import AuditEntry
from tests import personas
from tests.api.conftest import case_url, post_json, referral_url
from tests.factories import UNKNOWN_ID, make_case
from tests.scenarios import case_led_by_ngo_a, referral_in_state

ENDPOINTS = ["consents", "referrals", "close", "decline", "accept", "cancel", "complete"]


@pytest.fixture
def endpoint(cast):
    """(username, url, a valid body) for an endpoint name, on fresh rows."""

    def make(name: str):
        if name in ("consents", "referrals"):
            case = case_led_by_ngo_a(cast)
            body = (
                {"scope": "referral", "given": True}
                if name == "consents"
                else {"to_organisation": cast.ngo_b.organisation_id, "services": ["Shelter"]}
            )
            return personas.NGO_A, case_url(case, name), body
        if name == "close":
            case = case_led_by_ngo_a(cast, stage="assistance")
            body = {"reason": "done", "closure_reason": "goals_met"}
            return personas.NGO_A_SUPERVISOR, case_url(case, "transitions", "close"), body
        referral = referral_in_state(cast, "accepted" if name == "complete" else "pending")
        username = personas.NGO_A if name == "cancel" else personas.NGO_B
        body = {"reason": "No beds"} if name == "decline" else {}
        return username, referral_url(referral, name), body

    return make


@pytest.mark.parametrize("name", ENDPOINTS)
def test_valid_bodies_work(api_for, endpoint, name):
    username, url, body = endpoint(name)
    response = post_json(api_for(username), url, body)
    assert response.status_code in (200, 201)


@pytest.mark.parametrize("name", ENDPOINTS)
@pytest.mark.parametrize(
    "raw",
    [
        "[]",
        "[1, 2]",
        '"text"',
        "42",
        "null",
        "true",
        "{not json",
        '{"reason": ',
        "{'single': 'quotes'}",
        '{"a": NaN}',
        "[" * 100_000 + "]" * 100_000,
        '{"reason": "\\ud800"}',
        '{"scope": "\\udfff", "given": true}',
        '{"n": ' + "9" * 5000 + "}",
        b"\xff\xfe\x00garbage",
    ],
)
def test_bodies_that_are_not_a_json_object_are_400(api_for, endpoint, name, raw):
    username, url, _ = endpoint(name)
    response = api_for(username).post(url, raw, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["non_field_errors"]


@pytest.mark.parametrize("name", ENDPOINTS)
@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        -1,
        10**100,
        1.5,
        "",
        "x" * 1_000_000,
        "\x00",
        "🙂" * 10_000,
        [],
        [None],
        {"nested": {"deep": [1, 2, {"x": None}]}},
    ],
)
def test_every_field_with_a_wrong_value_never_500(api_for, endpoint, name, value):
    username, url, body = endpoint(name)
    client = api_for(username)
    for field in [*body, "reason", "consent_override_reason", "transfers_lead", "urgency"]:
        response = post_json(client, url, {**body, field: value})
        assert response.status_code in (200, 201, 400, 403, 409), (field, response.content[:200])
        if response.status_code == 400:
            assert set(response.json()) == {"errors"}
        if response.status_code in (200, 201):
            # The action happened: the next call meets another state or a duplicate.
            username, url, body = endpoint(name)
            client = api_for(username)


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_body_bigger_than_the_upload_limit_never_500(api_for, endpoint, name, settings):
    username, url, body = endpoint(name)
    huge = json.dumps({**body, "reason": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
    response = api_for(username).post(url, huge, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/cases/{bad}/consents/"),
        ("post", "/api/v1/cases/{bad}/referrals/"),
        ("post", "/api/v1/cases/{bad}/transitions/close/"),
        ("get", "/api/v1/referrals/{bad}/"),
        ("post", "/api/v1/referrals/{bad}/accept/"),
        ("post", "/api/v1/referrals/{bad}/decline/"),
        ("post", "/api/v1/referrals/{bad}/cancel/"),
        ("post", "/api/v1/referrals/{bad}/complete/"),
    ],
)
@pytest.mark.parametrize(
    "bad",
    [
        "not-a-uuid",
        "123",
        "00000000-0000-0000-0000-00000000000g",
        "%00",
        "%FF",
        "x" * 5000,
        "🙂",
        "' OR 1=1 --",
        str(UNKNOWN_ID).upper(),  # well-formed, unknown
    ],
)
def test_bad_ids_in_urls_are_404(api_for, method, path, bad):
    client = api_for(personas.NGO_A_SUPERVISOR)
    url = path.format(bad=bad)
    if method == "get":
        response = client.get(url)
    else:
        response = post_json(client, url, {"reason": "x", "closure_reason": "goals_met"})
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_a_case_id_in_a_referral_url_is_404(api_for, cast):
    case = make_case(cast.ngo_a)
    response = post_json(api_for(personas.NGO_A), referral_url(case.pk, "cancel"), {})
    assert response.status_code == 404


def test_a_referral_id_in_a_case_url_is_404(api_for, cast):
    referral = referral_in_state(cast, "pending")
    response = post_json(
        api_for(personas.NGO_A), case_url(referral.pk, "consents"), {"scope": "referral"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("name", ENDPOINTS)
def test_unauthenticated_is_401_before_anything(client, endpoint, name, db):
    _, url, body = endpoint(name)
    response = post_json(client, url, body)
    assert (response.status_code, response["WWW-Authenticate"]) == (401, "Token")
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).exists()


def test_unauthenticated_on_bad_ids_is_401_too(client, db):
    for url in ["/api/v1/cases/nope/consents/", "/api/v1/referrals/nope/accept/"]:
        assert post_json(client, url, []).status_code == 401
