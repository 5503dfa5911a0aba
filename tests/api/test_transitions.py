"""POST /api/v1/cases/{id}/transitions/{name}/ and what the case detail says about them."""

import uuid

import pytest
from django.test import Client

from api.tokens import issue_token
from audit.models import AuditEntry
from cases.models import Case, CaseTransition
from core.text import REASON_MAX
from tests import personas
from tests.api.conftest import case_url, post_json
from tests.concurrency import kinds, race
from tests.factories import UNKNOWN_ID, make_case
from tests.machines import CASE_ALLOWED
from tests.scenarios import case_led_by_ngo_a

CLOSE = {"reason": "Back with her family", "closure_reason": "goals_met"}
DECIDE = {"reason": "Evidence from the interview"}
# A body each transition accepts.
BODY = {
    "start_reintegration": {},
    "close": CLOSE,
    "reopen": {"reason": "She asked for help again"},
    "confirm_status": DECIDE,
    "reject_status": DECIDE,
    "reconsider_status": DECIDE,
}


SUPERVISOR = personas.NGO_A_SUPERVISOR


def transition(case, name: str) -> str:
    return case_url(case, "transitions", name)


# --- Who may ----------------------------------------------------------------------------------
# On a case led by NGO A in assistance: the health unit holds an accepted Medical referral and
# the prosecutor an accepted StatusDecision referral; NGO B and the police have nothing.
def status_table(name: str, allowed: set[str]):
    """200 for the allowed personas, 404 for those who do not see the case, 403 for the rest
    (including commission members and the administrator)."""
    hidden = {personas.POLICE, personas.NGO_B}
    return [
        (name, username, 200 if username in allowed else 404 if username in hidden else 403)
        for username in personas.ALL
    ]


WHO = [
    row
    for name in ("start_reintegration", "close", "confirm_status", "reject_status")
    for row in status_table(name, CASE_ALLOWED[name])
]


@pytest.mark.parametrize(("name", "username", "status"), WHO)
def test_transition_status_by_persona(api_for, cast, name, username, status):
    case = case_led_by_ngo_a(cast, stage="assistance")
    response = post_json(api_for(username), transition(case, name), BODY[name])
    assert response.status_code == status
    changed = CaseTransition.objects.filter(case=case, transition=name).exists()
    assert changed == (status == 200)
    if status != 200:
        assert list(response.json()) == ["detail"]


def test_reconsider_by_the_authority(api_for, cast):
    case = case_led_by_ngo_a(cast, stage="assistance", status="not_confirmed")
    response = post_json(api_for(personas.AUTHORITY), transition(case, "reconsider_status"), DECIDE)
    assert (response.status_code, response.json()["trafficking_status"]) == (200, "presumed")


def test_reopen_by_the_lead_caseworker(api_for, cast):
    case = case_led_by_ngo_a(cast, stage="closed")
    response = post_json(api_for(personas.NGO_A), transition(case, "reopen"), {})
    body = response.json()
    assert response.status_code == 200
    assert (body["stage"], body["closure_reason"]) == ("assistance", None)


# --- State ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("stage", "status", "name", "username", "code"),
    [
        ("identification", "presumed", "start_reintegration", personas.NGO_A, 409),
        ("identification", "presumed", "reopen", personas.NGO_A, 409),
        ("identification", "presumed", "close", personas.NGO_A_SUPERVISOR, 200),
        ("assistance", "presumed", "reopen", personas.NGO_A, 409),
        ("reintegration", "presumed", "start_reintegration", personas.NGO_A, 409),
        ("reintegration", "presumed", "close", personas.NGO_A_SUPERVISOR, 200),
        ("closed", "presumed", "close", personas.NGO_A_SUPERVISOR, 409),
        ("closed", "presumed", "start_reintegration", personas.NGO_A, 409),
        ("closed", "presumed", "reopen", personas.NGO_A_SUPERVISOR, 200),
        ("assistance", "presumed", "reconsider_status", personas.AUTHORITY, 409),
        ("assistance", "confirmed", "confirm_status", personas.AUTHORITY, 409),
        ("assistance", "confirmed", "reject_status", personas.AUTHORITY, 409),
        ("assistance", "not_confirmed", "reject_status", personas.AUTHORITY, 409),
        ("assistance", "not_confirmed", "reconsider_status", personas.AUTHORITY, 200),
    ],
)
def test_transition_by_state(api_for, cast, stage, status, name, username, code):
    case = case_led_by_ngo_a(cast, stage=stage, status=status)
    response = post_json(api_for(username), transition(case, name), BODY[name])
    assert response.status_code == code
    after = Case.objects.get(pk=case.pk)
    if code == 409:
        assert response.json()["code"] == "invalid_transition"
        assert set(response.json()) == {"code", "detail"}
        assert (after.stage, after.trafficking_status) == (stage, status)


def test_closing_returns_the_case_with_its_closure_reason(api_for, cast):
    case = case_led_by_ngo_a(cast, stage="reintegration")
    response = post_json(api_for(personas.NGO_A_SUPERVISOR), transition(case, "close"), CLOSE)
    body = response.json()
    assert response.status_code == 200
    assert (body["id"], body["stage"], body["closure_reason"]) == (
        str(case.pk),
        "closed",
        "goals_met",
    )
    assert body["available_transitions"] == ["reopen"]
    assert body["person"]["given_name"] == case.person.given_name
    change = CaseTransition.objects.get(case=case, transition="close")
    assert change.reason == "Back with her family"


def test_the_reason_stays_out_of_the_audit_entry(api_for, cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    post_json(api_for(personas.AUTHORITY), transition(case, "confirm_status"), DECIDE)
    entry = AuditEntry.objects.get(object_pk=str(case.pk), additional_data__event="confirm_status")
    assert "Evidence" not in str(entry.additional_data)


def test_the_response_is_a_case_read_and_writes_an_access_entry(api_for, cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    reads = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, object_pk=str(case.pk))
    before = reads.count()
    post_json(api_for(personas.NGO_A), transition(case, "start_reintegration"), {})
    assert reads.count() == before + 1
    assert reads.latest("timestamp").additional_data["channel"] == "api"


# --- Bad input --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "username", "body", "fields"),
    [
        ("close", SUPERVISOR, {}, {"reason"}),
        ("close", SUPERVISOR, {"closure_reason": "goals_met"}, {"reason"}),
        ("close", SUPERVISOR, {"reason": "   ", "closure_reason": "goals_met"}, {"reason"}),
        ("close", SUPERVISOR, {"reason": "done"}, {"closure_reason"}),
        ("close", SUPERVISOR, {"reason": "done", "closure_reason": ""}, {"closure_reason"}),
        ("close", SUPERVISOR, {**CLOSE, "closure_reason": "bored"}, {"closure_reason"}),
        ("close", SUPERVISOR, {**CLOSE, "closure_reason": 1}, {"closure_reason"}),
        ("close", SUPERVISOR, {**CLOSE, "reason": 5}, {"reason"}),
        ("close", SUPERVISOR, {**CLOSE, "reason": None}, {"reason"}),
        ("close", SUPERVISOR, {**CLOSE, "reason": "x" * (REASON_MAX + 1)}, {"reason"}),
        ("close", SUPERVISOR, {**CLOSE, "reason": "x" * 1_000_000}, {"reason"}),
        ("confirm_status", personas.AUTHORITY, {}, {"reason"}),
        ("reject_status", personas.AUTHORITY, {"reason": ""}, {"reason"}),
        ("start_reintegration", personas.NGO_A, {"reason": ["a"]}, {"reason"}),
    ],
)
def test_bad_bodies_are_400_and_change_nothing(api_for, cast, name, username, body, fields):
    case = case_led_by_ngo_a(cast, stage="assistance")
    response = post_json(api_for(username), transition(case, name), body)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == fields
    after = Case.objects.get(pk=case.pk)
    assert (after.stage, after.trafficking_status) == ("assistance", "presumed")


def test_a_missing_reason_in_the_wrong_state_is_400_not_409(api_for, cast):
    case = case_led_by_ngo_a(cast, stage="closed")
    response = post_json(api_for(personas.NGO_A_SUPERVISOR), transition(case, "close"), {})
    assert response.status_code == 400


def test_the_wrong_role_with_a_bad_body_is_403_not_400(api_for, cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    response = post_json(api_for(personas.NGO_A), transition(case, "close"), [1])
    assert response.status_code == 403


def test_a_reason_where_none_is_needed_is_kept(api_for, cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    response = post_json(
        api_for(personas.NGO_A), transition(case, "start_reintegration"), {"reason": "Job found"}
    )
    assert response.status_code == 200
    change = CaseTransition.objects.get(case=case, transition="start_reintegration")
    assert change.reason == "Job found"


# --- Unknown names and cases ------------------------------------------------------------------
@pytest.mark.parametrize(
    "name", ["start_assistance", "accept", "delete", "CLOSE", "x" * 3000, "close%00", "🙂"]
)
def test_unknown_transition_names_are_404(api_for, cast, name):
    case = case_led_by_ngo_a(cast, stage="assistance")
    response = post_json(api_for(personas.NGO_A_SUPERVISOR), transition(case, name), CLOSE)
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})
    assert Case.objects.get(pk=case.pk).stage == "assistance"


@pytest.mark.parametrize("username", [personas.COMMISSION, personas.ADMIN])
@pytest.mark.parametrize("name", ["close", "nonsense"])
def test_roles_without_case_access_get_403_even_for_unknown_names(api_for, username, name):
    response = post_json(api_for(username), transition(uuid.uuid4(), name), CLOSE)
    assert response.status_code == 403


@pytest.mark.parametrize("case_id", [str(UNKNOWN_ID), "nope", "x" * 3000])
def test_unknown_cases_are_404(api_for, case_id):
    response = post_json(api_for(personas.NGO_A_SUPERVISOR), transition(case_id, "close"), CLOSE)
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_a_foreign_case_is_404_even_for_the_right_role(api_for, cast):
    case = make_case(cast.police)
    response = post_json(api_for(personas.NGO_A_SUPERVISOR), transition(case, "close"), CLOSE)
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).stage == "identification"


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_transitions_are_post_only(api_for, cast, method):
    case = case_led_by_ngo_a(cast, stage="assistance")
    response = getattr(api_for(personas.NGO_A_SUPERVISOR), method)(transition(case, "close"))
    assert response.status_code == 405


# --- The case detail's new fields -------------------------------------------------------------
@pytest.mark.parametrize(
    ("stage", "status", "username", "expected"),
    [
        ("assistance", "presumed", personas.NGO_A, ["start_reintegration"]),
        ("assistance", "presumed", personas.NGO_A_SUPERVISOR, ["start_reintegration", "close"]),
        ("assistance", "presumed", personas.AUTHORITY, ["confirm_status", "reject_status"]),
        ("assistance", "presumed", personas.HEALTH, []),
        ("identification", "presumed", personas.NGO_A_SUPERVISOR, ["close"]),
        ("closed", "presumed", personas.NGO_A, ["reopen"]),
        # After a decision the authority works on a new StatusDecision referral.
        ("assistance", "confirmed", personas.AUTHORITY, []),
        ("assistance", "not_confirmed", personas.AUTHORITY, ["reconsider_status"]),
    ],
)
def test_detail_lists_the_callers_available_transitions(
    api_for, cast, stage, status, username, expected
):
    case = case_led_by_ngo_a(cast, stage=stage, status=status)
    body = api_for(username).get(case_url(case)).json()
    assert body["available_transitions"] == expected
    # Each one offered is accepted.
    for name in expected[:1]:
        response = post_json(api_for(username), transition(case, name), BODY[name])
        assert response.status_code == 200


@pytest.mark.parametrize("username", [personas.AUTHORITY, personas.HEALTH])
def test_closing_ends_every_partners_access(api_for, cast, username):
    case = case_led_by_ngo_a(cast, stage="closed")
    assert api_for(username).get(case_url(case)).status_code == 404
    assert api_for(username).get(case_url(uuid.uuid4())).status_code == 404
    states = {(r.to_organisation.name, r.state, r.end_reason) for r in case.referrals.all()}
    assert states == {
        ("Prosecutor's office", "ended", "case_closed"),
        ("Health unit — Casablanca", "ended", "case_closed"),
    }
    assert api_for(personas.NGO_A).get(case_url(case)).status_code == 200


def test_a_status_decision_completes_the_authoritys_referral(api_for, cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    response = post_json(api_for(personas.AUTHORITY), transition(case, "confirm_status"), DECIDE)
    body = response.json()
    assert (response.status_code, body["trafficking_status"], body["person"]) == (
        200,
        "confirmed",
        None,
    )
    decision = case.referrals.get(services__code="StatusDecision")
    assert (decision.state, decision.end_reason) == ("completed", "")
    assert api_for(personas.AUTHORITY).get(case_url(case)).status_code == 404


def test_detail_shows_consents_dates_and_closure(api_for, cast):
    case = case_led_by_ngo_a(cast, stage="closed")
    body = api_for(personas.NGO_A).get(case_url(case)).json()
    assert body["referral_consent"] is True
    assert body["statistics_consent"] is False
    assert body["reflection_period_ends_on"] == case.reflection_period_ends_on.isoformat()
    assert body["closure_reason"] == "goals_met"


def test_a_pending_receiver_sees_no_transitions(api_for, cast):
    case = case_led_by_ngo_a(cast)  # the health unit's Medical referral is pending
    body = api_for(personas.HEALTH).get(case_url(case)).json()
    assert (body["person"], body["available_transitions"]) == (None, [])
    assert body["reflection_period_ends_on"] is None


# --- Two concurrent requests ------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_closes_one_200_one_409(live_cast):
    # The first request is held inside the service's transaction, after it read the case,
    # until the second has answered or waits for the lock (tests/concurrency.py).
    case = case_led_by_ngo_a(live_cast, stage="assistance")
    keys = [issue_token(user=live_cast.ngo_a_supervisor)[1] for _ in range(2)]

    def close(key):
        client = Client(headers={"Authorization": f"Token {key}"})
        response = post_json(client, transition(case, "close"), CLOSE)
        return response.status_code, response.json()

    first, second = race(lambda: close(keys[0]), lambda: close(keys[1]), hold=Case)
    assert kinds(first, second) == ["ok", "ok"]
    (won, body), (lost, conflict) = first[1], second[1]
    assert (won, body["stage"], lost, conflict["code"]) == (
        200,
        "closed",
        409,
        "invalid_transition",
    )
    closes = AuditEntry.objects.filter(object_pk=str(case.pk), additional_data__transition="close")
    assert (
        CaseTransition.objects.filter(case=case, transition="close").count(),
        closes.count(),
    ) == (
        1,
        1,
    )
