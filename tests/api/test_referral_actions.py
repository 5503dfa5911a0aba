"""POST /api/v1/referrals/{id}/accept/ · decline/ · cancel/ · complete/ · end/."""

import threading

import pytest
from django.test import Client

from api.tokens import issue_token
from audit.models import AuditEntry
from cases.consent import record_consent
from cases.models import CaseGroupObjectPermission
from core.text import REASON_MAX
from referral.models import Referral
from tests import personas
from tests.api.conftest import case_url, post_json, referral_url
from tests.concurrency import Worker, kinds, race
from tests.factories import UNKNOWN_ID, make_case
from tests.machines import REFERRAL_MACHINE, REFERRAL_SIDE, REFERRAL_STATES
from tests.scenarios import org, refer, referral_in_state

STATES = REFERRAL_STATES
ACTIONS = list(REFERRAL_MACHINE)
SIDE = REFERRAL_SIDE
SOURCE = {name: next(iter(sources)) for name, (sources, _target) in REFERRAL_MACHINE.items()}
TARGET = {name: target for name, (_sources, target) in REFERRAL_MACHINE.items()}
# The referral goes from NGO A (sender, and lead of the case) to NGO B (receiver).
ROLE_OF = {
    personas.NGO_A: {"sender", "lead"},
    personas.NGO_A_SUPERVISOR: {"sender", "lead"},
    personas.NGO_B: {"receiver"},
    personas.POLICE: "unrelated",
    personas.HEALTH: "unrelated",
    personas.AUTHORITY: "unrelated",
    personas.COMMISSION: "no case access",
    personas.COORDINATOR: "no case access",
    personas.ADMIN: "no case access",
}


def body_for(action: str) -> dict:
    return {"reason": "No beds left"} if action == "decline" else {}


def expected_status(username: str, action: str, state: str) -> int:
    """API.md's order: 404 (not a side of it), 403 (not this side's action), 409 (state)."""
    role = ROLE_OF[username]
    if role == "no case access":
        return 403
    if role == "unrelated":
        return 404
    if SIDE[action] not in role:
        return 403
    return 200 if SOURCE[action] == state else 409


TABLE = [
    (username, action, state, expected_status(username, action, state))
    for username in [personas.NGO_A, personas.NGO_B, personas.POLICE, personas.COMMISSION]
    for action in ACTIONS
    for state in STATES
] + [
    (username, action, "pending", expected_status(username, action, "pending"))
    for username in [
        personas.NGO_A_SUPERVISOR,
        personas.HEALTH,
        personas.AUTHORITY,
        personas.ADMIN,
    ]
    for action in ACTIONS
]


@pytest.mark.parametrize(("username", "action", "state", "status"), TABLE)
def test_action_status(api_for, cast, username, action, state, status):
    referral = referral_in_state(cast, state)
    response = post_json(api_for(username), referral_url(referral, action), body_for(action))
    body = response.json()
    assert response.status_code == status
    after = Referral.objects.get(pk=referral.pk).state
    if status == 200:
        assert (body["id"], body["state"], after) == (
            str(referral.pk),
            TARGET[action],
            TARGET[action],
        )
    else:
        assert after == state
    if status == 409:
        assert body["code"] == "invalid_transition"
        assert set(body) == {"code", "detail"}
    if status in (403, 404):
        assert list(body) == ["detail"]


# --- Precedence (API.md: 404, 403, 400, 409) ---------------------------------------------------
def test_an_unrelated_organisation_accepting_is_404_not_403(api_for, cast):
    referral = referral_in_state(cast, "pending")
    assert (
        post_json(api_for(personas.POLICE), referral_url(referral, "accept"), {}).status_code == 404
    )


def test_the_sender_accepting_is_403(api_for, cast):
    referral = referral_in_state(cast, "pending")
    response = post_json(api_for(personas.NGO_A), referral_url(referral, "accept"), {})
    assert response.json() == {"detail": "This action on the referral is not yours to take."}
    assert response.status_code == 403


def test_accepting_an_accepted_referral_is_409(api_for, cast):
    referral = referral_in_state(cast, "accepted")
    response = post_json(api_for(personas.NGO_B), referral_url(referral, "accept"), {})
    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")


@pytest.mark.parametrize(
    ("username", "state", "status"),
    [
        (personas.POLICE, "pending", 404),  # not a side of it
        (personas.NGO_A, "pending", 403),  # the sender does not decline
        (personas.NGO_B, "declined", 400),  # no reason, already declined: 400 before 409
        (personas.NGO_B, "pending", 400),
    ],
)
def test_decline_without_reason_precedence(api_for, cast, username, state, status):
    referral = referral_in_state(cast, state)
    response = post_json(api_for(username), referral_url(referral, "decline"), {})
    assert response.status_code == status
    assert Referral.objects.get(pk=referral.pk).state == state


def test_a_malformed_body_from_the_wrong_side_is_403(api_for, cast):
    referral = referral_in_state(cast, "pending")
    response = api_for(personas.NGO_A).post(
        referral_url(referral, "decline"), "{not json", content_type="application/json"
    )
    assert response.status_code == 403


# --- Decline ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        {},
        {"reason": ""},
        {"reason": "   "},
        {"reason": None},
        {"reason": 42},
        {"reason": ["no"]},
        {"reason": "x" * (REASON_MAX + 1)},
        {"reason": "x" * 1_000_000},
        {"reason": "no\x00beds"},
    ],
)
def test_decline_needs_a_reason(api_for, cast, body):
    referral = referral_in_state(cast, "pending")
    response = post_json(api_for(personas.NGO_B), referral_url(referral, "decline"), body)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["reason"]
    assert Referral.objects.get(pk=referral.pk).state == "pending"


def test_decline_keeps_the_reason_protected_and_ends_the_profile_access(api_for, cast):
    referral = referral_in_state(cast, "pending")
    receiver = api_for(personas.NGO_B)
    assert receiver.get(case_url(referral.case_id)).status_code == 200
    response = post_json(
        receiver, referral_url(referral, "decline"), {"reason": "  No beds left  "}
    )
    body = response.json()
    # Declining ends the receiver's part: even its own words are no longer shown to it.
    assert (body["state"], body["decline_reason"]) == ("declined", None)
    assert body["decided_at"] is not None
    assert receiver.get(case_url(referral.case_id)).status_code == 404
    # The audit entry references the reason and never contains it.
    entry = AuditEntry.objects.get(object_pk=str(referral.pk), additional_data__event="decline")
    assert "No beds left" not in str(entry.additional_data)
    sender_view = api_for(personas.NGO_A).get(referral_url(referral)).json()
    assert sender_view["decline_reason"] == "No beds left"


# --- Accept, cancel, complete -----------------------------------------------------------------
def test_accept_gives_the_receiver_the_identity_and_starts_assistance(api_for, cast):
    referral = referral_in_state(cast, "pending")
    receiver = api_for(personas.NGO_B)
    assert receiver.get(case_url(referral.case_id)).json()["person"] is None
    body = post_json(receiver, referral_url(referral, "accept"), {}).json()
    assert (body["state"], body["completed_at"]) == ("accepted", None)
    assert body["decided_at"] is not None
    case = receiver.get(case_url(referral.case_id)).json()
    assert case["person"] is not None
    assert case["stage"] == "assistance"
    assert case["reflection_period_ends_on"] is not None


def test_cancel_ends_the_receivers_profile_access(api_for, cast):
    referral = referral_in_state(cast, "pending")
    response = post_json(api_for(personas.NGO_A_SUPERVISOR), referral_url(referral, "cancel"), {})
    assert response.json()["state"] == "cancelled"
    assert api_for(personas.NGO_B).get(case_url(referral.case_id)).status_code == 404


def test_complete_ends_the_receivers_access(api_for, cast):
    referral = referral_in_state(cast, "accepted")
    receiver = api_for(personas.NGO_B)
    body = post_json(receiver, referral_url(referral, "complete"), {}).json()
    assert body["state"] == "completed"
    assert body["completed_at"] is not None
    assert receiver.get(case_url(referral.case_id)).status_code == 404
    # ... but the referral itself stays readable by both sides.
    assert receiver.get(referral_url(referral)).json()["state"] == "completed"


@pytest.mark.parametrize("action", ["accept", "cancel"])
@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("", 200),  # no body
        ("{}", 200),
        ('{"ignored": [1, 2]}', 200),
        ("[]", 400),
        ("null", 400),
        ('"accept"', 400),
        ("42", 400),
        ("{not json", 400),
    ],
)
def test_actions_without_input_take_no_body_or_an_object(api_for, cast, action, raw, status):
    referral = referral_in_state(cast, "pending")
    username = personas.NGO_B if action == "accept" else personas.NGO_A
    response = api_for(username).post(
        referral_url(referral, action), raw, content_type="application/json"
    )
    assert response.status_code == status
    if status == 400:
        assert list(response.json()["errors"]) == ["non_field_errors"]
        assert Referral.objects.get(pk=referral.pk).state == "pending"


def test_a_post_without_content_type_or_body_is_accepted(api_for, cast):
    referral = referral_in_state(cast, "pending")
    # What ``curl -X POST`` sends: no Content-Type, no body.
    response = api_for(personas.NGO_B).generic(
        "POST", referral_url(referral, "accept"), content_type=None
    )
    assert (response.status_code, response.json()["state"]) == (200, "accepted")


def test_a_form_encoded_body_is_415(api_for, cast):
    referral = referral_in_state(cast, "pending")
    response = api_for(personas.NGO_B).post(referral_url(referral, "decline"), {"reason": "x"})
    assert (response.status_code, list(response.json())) == (415, ["detail"])
    assert Referral.objects.get(pk=referral.pk).state == "pending"


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("referral_id", [str(UNKNOWN_ID), "nope", "1", "x" * 3000])
def test_unknown_referral_ids_are_404(api_for, action, referral_id):
    response = post_json(
        api_for(personas.NGO_B), referral_url(referral_id, action), body_for(action)
    )
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_are_post_only(api_for, cast, action):
    referral = referral_in_state(cast, "pending")
    assert api_for(personas.NGO_B).get(referral_url(referral, action)).status_code == 405
    assert Referral.objects.get(pk=referral.pk).state == "pending"


# --- Two concurrent answers -------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_accepts_one_200_one_409(live_cast):
    # The first request is held inside its transaction, after reading the referral, until the
    # second has answered or waits for the lock (tests/concurrency.py): they truly overlap.
    case = make_case(live_cast.ngo_a)
    record_consent(case, actor=live_cast.ngo_a, scope="referral", given=True)
    referral = refer(case, live_cast.ngo_a, "NGO B")
    keys = [issue_token(user=live_cast.ngo_b)[1] for _ in range(2)]

    def accept(key):
        client = Client(headers={"Authorization": f"Token {key}"})
        response = post_json(client, referral_url(referral, "accept"), {})
        return response.status_code, response.json()

    first, second = race(lambda: accept(keys[0]), lambda: accept(keys[1]), hold=Referral)
    assert kinds(first, second) == ["ok", "ok"]
    (won, body), (lost, conflict) = first[1], second[1]
    assert (won, body["state"], lost, conflict["code"]) == (
        200,
        "accepted",
        409,
        "invalid_transition",
    )
    assert Referral.objects.get(pk=referral.pk).state == "accepted"
    assert (
        AuditEntry.objects.filter(
            object_pk=str(referral.pk), additional_data__transition="accept"
        ).count()
        == 1
    )


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_accepts_one_200_nineteen_409_one_grant(live_cast):
    # Twenty clients of the receiving organisation, each with its own token and connection,
    # released at once: the referral's row lock lets exactly one accept; the others see it
    # accepted and get 409, and the access and the audit entry are written once.
    clients = 20
    case = make_case(live_cast.ngo_a)
    record_consent(case, actor=live_cast.ngo_a, scope="referral", given=True)
    referral = refer(case, live_cast.ngo_a, "NGO B")
    keys = [issue_token(user=live_cast.ngo_b)[1] for _ in range(clients)]
    start = threading.Barrier(clients, timeout=30)

    def accept(key):
        client = Client(headers={"Authorization": f"Token {key}"})
        start.wait()
        response = post_json(client, referral_url(referral, "accept"), {})
        return response.status_code, response.json().get("code")

    workers = [Worker(lambda key=key: accept(key), f"accept-{n}") for n, key in enumerate(keys)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    outcomes = [worker.outcome for worker in workers]
    assert all(kind == "ok" for kind, _value in outcomes), outcomes
    answers = sorted(value for _kind, value in outcomes)
    assert answers == [(200, None)] + [(409, "invalid_transition")] * (clients - 1)
    assert Referral.objects.get(pk=referral.pk).state == "accepted"
    accepted = AuditEntry.objects.filter(
        object_pk=str(referral.pk), additional_data__transition="accept"
    )
    assert accepted.count() == 1
    granted = CaseGroupObjectPermission.objects.filter(
        content_object_id=case.pk, group=org("NGO B").group
    ).values_list("permission__codename", flat=True)
    assert len(list(granted)) == len(set(granted)) > 0
