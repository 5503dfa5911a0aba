"""GET /api/v1/referrals/ and /api/v1/referrals/{id}/: who reads which, filters, pages, cost."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import crypto
from referral.models import Referral
from referral.transitions import decline_referral
from tests import personas
from tests.api.conftest import post_json, referral_url
from tests.factories import UNKNOWN_ID
from tests.scenarios import consented_case, refer, referral_in_state

REFERRALS = "/api/v1/referrals/"


# --- List -------------------------------------------------------------------------------------
LIST_STATUS = {
    personas.POLICE: 200,
    personas.HEALTH: 200,
    personas.NGO_A: 200,
    personas.NGO_A_SUPERVISOR: 200,
    personas.NGO_B: 200,
    personas.AUTHORITY: 200,
    personas.COMMISSION: 403,
    personas.ADMIN: 403,
}


@pytest.mark.parametrize(("username", "status"), LIST_STATUS.items())
def test_list_status_by_persona(api_for, username, status):
    response = api_for(username).get(REFERRALS)
    assert response.status_code == status
    if status == 403:
        assert response.json() == {"detail": "Your role has no access to cases."}


@pytest.fixture
def both_ways(cast):
    """NGO A refers a case to NGO B, then NGO B refers one of its own to NGO A."""
    outgoing = refer(consented_case(cast), cast.ngo_a, "NGO B")
    incoming = refer(consented_case(cast, personas.NGO_B), cast.ngo_b, "NGO A")
    return outgoing, incoming


@pytest.mark.parametrize(
    ("username", "direction", "expected"),
    [
        (personas.NGO_A, None, ["incoming", "outgoing"]),
        (personas.NGO_A, "", ["incoming", "outgoing"]),
        (personas.NGO_A, "incoming", ["incoming"]),
        (personas.NGO_A, "outgoing", ["outgoing"]),
        (personas.NGO_A_SUPERVISOR, "outgoing", ["outgoing"]),
        (personas.NGO_B, None, ["incoming", "outgoing"]),
        (personas.NGO_B, "incoming", ["outgoing"]),  # NGO A's outgoing is NGO B's incoming
        (personas.NGO_B, "outgoing", ["incoming"]),
        (personas.POLICE, None, []),
        (personas.HEALTH, "incoming", []),
    ],
)
def test_direction_filter(api_for, both_ways, username, direction, expected):
    names = dict(zip(["outgoing", "incoming"], both_ways, strict=True))
    params = {} if direction is None else {"direction": direction}
    body = api_for(username).get(REFERRALS, params).json()
    assert [row["id"] for row in body["results"]] == [str(names[n].pk) for n in expected]
    assert body["count"] == len(expected)


def test_list_is_newest_first_across_states(api_for, cast):
    states = ["pending", "accepted", "declined", "cancelled", "completed"]
    made = [referral_in_state(cast, state) for state in states]
    body = api_for(personas.NGO_A).get(REFERRALS).json()
    assert [row["id"] for row in body["results"]] == [str(r.pk) for r in reversed(made)]
    assert [row["state"] for row in body["results"]] == list(reversed(states))


@pytest.mark.parametrize("state", ["pending", "accepted", "declined", "cancelled", "completed"])
def test_state_filter(api_for, cast, state):
    made = {s: referral_in_state(cast, s) for s in ["pending", "accepted", "declined"]}
    made.update({s: referral_in_state(cast, s) for s in ["cancelled", "completed"]})
    rows = api_for(personas.NGO_B).get(REFERRALS, {"state": state}).json()["results"]
    assert [row["id"] for row in rows] == [str(made[state].pk)]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"direction": "sideways"}, "direction"),
        ({"direction": "INCOMING"}, "direction"),
        ({"direction": "x" * 5000}, "direction"),
        ({"state": "lost"}, "state"),
        ({"state": "\x00"}, "state"),
        ({"state": "Pending"}, "state"),
    ],
)
def test_unknown_filters_are_400(api_for, params, field):
    response = api_for(personas.NGO_A).get(REFERRALS, params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_list_rows_carry_no_free_text(api_for, cast):
    referral = referral_in_state(cast, "declined")
    row = api_for(personas.NGO_A).get(REFERRALS).json()["results"][0]
    assert row == {
        "id": str(referral.pk),
        "case": str(referral.case_id),
        "case_reference": referral.case.reference,
        "state": "declined",
        "from_organisation": cast.ngo_a.organisation_id,
        "to_organisation": cast.ngo_b.organisation_id,
        "services": ["Shelter"],
        "urgency": "routine",
        "transfers_lead": False,
        "consent_override": False,
        "created_at": row["created_at"],
        "decided_at": row["decided_at"],
        "completed_at": None,
        "end_reason": None,
        "ended_at": None,
        # Answered: no longer due (referral.response).
        "due_at": None,
        "overdue": False,
    }
    assert row["decided_at"] is not None


def test_list_never_decrypts(api_for, cast, monkeypatch):

    referral_in_state(cast, "declined")
    client = api_for(personas.NGO_B)

    def refuse(*args, **kwargs):
        raise AssertionError("the list decrypted a protected field")

    monkeypatch.setattr(crypto, "decrypt", refuse)
    response = client.get(REFERRALS)
    assert (response.status_code, len(response.json()["results"])) == (200, 1)


def test_list_is_paginated(api_for, cast):
    made = [refer(consented_case(cast), cast.ngo_a, "NGO B") for _ in range(5)]
    client = api_for(personas.NGO_B)
    first = client.get(REFERRALS, {"page_size": 2}).json()
    last = client.get(REFERRALS, {"page_size": 2, "page": 3}).json()
    assert first["count"] == 5
    assert [r["id"] for r in first["results"]] == [str(r.pk) for r in made[::-1][:2]]
    assert first["next"].endswith("page=2&page_size=2")
    assert (first["previous"], last["next"]) == (None, None)
    assert [r["id"] for r in last["results"]] == [str(made[0].pk)]
    assert client.get(REFERRALS, {"page": 4, "page_size": 2}).status_code == 404


def test_pagination_keeps_the_filters(api_for, cast):
    for _ in range(3):
        refer(consented_case(cast), cast.ngo_a, "NGO B")
    body = api_for(personas.NGO_A).get(REFERRALS, {"direction": "outgoing", "page_size": 1}).json()
    assert "direction=outgoing" in body["next"]


def test_list_uses_a_constant_number_of_queries(api_for, cast, django_assert_num_queries):
    client = api_for(personas.NGO_B)
    refer(consented_case(cast), cast.ngo_a, "NGO B")
    with CaptureQueriesContext(connection) as one:
        first = client.get(REFERRALS).json()
    for codes in [("Shelter", "Medical"), ("Legal",), ("Psychological", "Education")]:
        refer(consented_case(cast), cast.ngo_a, "NGO B", *codes)
    referral_in_state(cast, "declined")
    with django_assert_num_queries(len(one.captured_queries)):
        five = client.get(REFERRALS).json()
    assert [(body["count"], len(body["results"])) for body in (first, five)] == [(1, 1), (5, 5)]


# --- Detail -----------------------------------------------------------------------------------
# A pending referral from NGO A to NGO B.
DETAIL_STATUS = {
    personas.NGO_A: 200,
    personas.NGO_A_SUPERVISOR: 200,
    personas.NGO_B: 200,
    personas.POLICE: 404,
    personas.HEALTH: 404,
    personas.AUTHORITY: 404,
    personas.COMMISSION: 403,
    personas.ADMIN: 403,
}


@pytest.mark.parametrize(("username", "status"), DETAIL_STATUS.items())
def test_detail_status_by_persona(api_for, cast, username, status):
    referral = referral_in_state(cast, "pending")
    response = api_for(username).get(referral_url(referral))
    assert response.status_code == status
    if status == 200:
        assert response.json()["id"] == str(referral.pk)
    else:
        assert list(response.json()) == ["detail"]


def test_a_foreign_referral_is_the_same_404_as_a_missing_one(api_for, cast):
    referral = referral_in_state(cast, "pending")
    client = api_for(personas.POLICE)
    foreign, missing = client.get(referral_url(referral)), client.get(referral_url(uuid.uuid4()))
    assert (foreign.status_code, foreign.json()) == (missing.status_code, missing.json())


@pytest.mark.parametrize("username", [personas.NGO_A, personas.NGO_B])
def test_the_reasons_follow_identity_access(api_for, cast, username):
    case = consented_case(cast)
    referral = refer(case, cast.ngo_a, "NGO B", reason="Needs a lawyer")
    client = api_for(username)
    sender = username == personas.NGO_A
    pending = client.get(referral_url(referral)).json()
    # The texts follow identity access now: the sender's; not the pending receiver's.
    assert (pending["reason"], pending["decline_reason"]) == (
        "Needs a lawyer" if sender else None,
        None,
    )
    decline_referral(referral, actor=cast.ngo_b, reason="No lawyer free")
    declined = client.get(referral_url(referral)).json()
    assert (declined["state"], declined["decline_reason"]) == (
        "declined",
        "No lawyer free" if sender else None,
    )
    assert declined["decided_at"] is not None


@pytest.mark.parametrize(
    "referral_id",
    [str(UNKNOWN_ID), "not-a-uuid", "123", "%00", "x" * 5000, "🙂"],
)
def test_unknown_or_malformed_referral_ids_are_404(api_for, referral_id):
    response = api_for(personas.NGO_A).get(f"{REFERRALS}{referral_id}/")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


@pytest.mark.parametrize("username", [personas.COMMISSION, personas.ADMIN])
@pytest.mark.parametrize(
    "path",
    [
        REFERRALS,
        f"{REFERRALS}{UNKNOWN_ID}/",
        f"{REFERRALS}nonsense/",
        f"{REFERRALS}{UNKNOWN_ID}/accept/",
        f"{REFERRALS}{UNKNOWN_ID}/decline/",
        f"{REFERRALS}{UNKNOWN_ID}/cancel/",
        f"{REFERRALS}{UNKNOWN_ID}/complete/",
    ],
)
def test_roles_without_case_access_get_403_on_every_referral_url(api_for, username, path):
    client = api_for(username)
    assert client.get(path).status_code == 403
    assert post_json(client, path, {"reason": "x"}).status_code == 403


def test_roles_without_case_access_get_403_on_a_real_referral(api_for, cast):
    referral = referral_in_state(cast, "pending")
    for username in (personas.COMMISSION, personas.ADMIN):
        client = api_for(username)
        assert client.get(referral_url(referral)).status_code == 403
        assert post_json(client, referral_url(referral, "accept"), {}).status_code == 403
    assert Referral.objects.get(pk=referral.pk).state == "pending"


@pytest.mark.parametrize("method", ["put", "patch", "delete", "post"])
def test_referral_detail_is_read_only(api_for, cast, method):
    referral = referral_in_state(cast, "pending")
    response = getattr(api_for(personas.NGO_B), method)(
        referral_url(referral), {"state": "accepted"}, content_type="application/json"
    )
    assert response.status_code == 405
    assert Referral.objects.get(pk=referral.pk).state == "pending"


def test_list_is_read_only(api_for):
    assert post_json(api_for(personas.NGO_A), REFERRALS, {}).status_code == 405
