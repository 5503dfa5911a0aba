"""POST /api/v1/cases/{id}/consents/ — recording and withdrawing consent."""

import uuid

import pytest

from cases.consent import record_consent
from cases.models import Case, Consent
from referral.models import Referral
from referral.transitions import accept_referral
from tests import personas
from tests.api.conftest import case_url, post_json, referral_url
from tests.factories import make_case
from tests.scenarios import case_led_by_ngo_a, refer, referral_in_state

GIVE_REFERRAL = {"scope": "referral", "given": True}
WITHDRAW_REFERRAL = {"scope": "referral", "given": False}


def consents(case) -> str:
    return case_url(case, "consents")


# --- Who may ----------------------------------------------------------------------------------
# A case registered (and led) by NGO A, without referrals.
STATUS_ON_OWN_CASE = {
    personas.NGO_A: 201,
    personas.NGO_A_SUPERVISOR: 201,
    personas.POLICE: 404,
    personas.HEALTH: 404,
    personas.NGO_B: 404,
    personas.AUTHORITY: 404,
    personas.COMMISSION: 403,
    personas.ADMIN: 403,
}


@pytest.mark.parametrize(("username", "status"), STATUS_ON_OWN_CASE.items())
def test_consent_status_by_persona(api_for, cast, username, status):
    case = make_case(cast.ngo_a)
    response = post_json(api_for(username), consents(case), GIVE_REFERRAL)
    assert response.status_code == status
    assert Consent.objects.filter(case=case).count() == (1 if status == 201 else 0)
    if status != 201:
        assert list(response.json()) == ["detail"]


@pytest.mark.parametrize(
    ("scenario", "username", "status"),
    [
        # A pending referral's receiver sees the case, but consent is not its to record.
        ("pending_referral", personas.NGO_B, 403),
        # An accepted referral's receiver works on the case, but is neither registering nor lead.
        ("assistance", personas.HEALTH, 403),
        ("assistance", personas.AUTHORITY, 403),
        ("assistance", personas.NGO_A, 201),
        # After a lead transfer the new lead organisation records consent, and so does the
        # registering one.
        ("lead_transferred", personas.NGO_B, 201),
        ("lead_transferred", personas.NGO_A, 201),
    ],
)
def test_consent_status_by_relation(api_for, cast, scenario, username, status):
    if scenario == "pending_referral":
        case = referral_in_state(cast, "pending").case
    elif scenario == "assistance":
        case = case_led_by_ngo_a(cast, stage="assistance")
    else:
        case = make_case(cast.ngo_a)
        record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
        accept_referral(
            refer(case, cast.ngo_a, "NGO B", "Shelter", transfers_lead=True), actor=cast.ngo_b
        )
    response = post_json(api_for(username), consents(case), {"scope": "statistics", "given": True})
    assert response.status_code == status


def test_missing_case_is_404(api_for):
    response = post_json(api_for(personas.NGO_A), consents(uuid.uuid4()), GIVE_REFERRAL)
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


# --- What it records --------------------------------------------------------------------------
def test_consent_is_recorded_and_returned(api_for, cast):
    case = make_case(cast.ngo_a)
    response = post_json(api_for(personas.NGO_A_SUPERVISOR), consents(case), GIVE_REFERRAL)
    consent = Consent.objects.get(case=case)
    body = response.json()
    assert response.status_code == 201
    assert body == {
        "id": consent.pk,
        "scope": "referral",
        "given": True,
        "given_by": "person",
        "recorded_at": body["recorded_at"],
        "organisation": cast.ngo_a.organisation_id,
    }
    assert consent.recorded_by == cast.ngo_a_supervisor
    assert Case.objects.get(pk=case.pk).referral_consent is True


@pytest.mark.parametrize(
    ("body", "referral", "statistics"),
    [
        ({"scope": "referral", "given": True}, True, False),
        ({"scope": "statistics", "given": True}, False, True),
        ({"scope": "statistics", "given": False}, False, False),
    ],
)
def test_case_detail_shows_the_consents_in_force(api_for, cast, body, referral, statistics):
    case = make_case(cast.ngo_a)
    client = api_for(personas.NGO_A)
    assert post_json(client, consents(case), body).status_code == 201
    detail = client.get(case_url(case)).json()
    assert (detail["referral_consent"], detail["statistics_consent"]) == (referral, statistics)


def test_the_latest_consent_of_a_scope_is_in_force(api_for, cast):
    case = make_case(cast.ngo_a)
    client = api_for(personas.NGO_A)
    post_json(client, consents(case), GIVE_REFERRAL)
    post_json(client, consents(case), WITHDRAW_REFERRAL)
    assert client.get(case_url(case)).json()["referral_consent"] is False
    post_json(client, consents(case), GIVE_REFERRAL)
    assert client.get(case_url(case)).json()["referral_consent"] is True


def test_guardian_consent_for_a_child(api_for, cast):
    case = make_case(cast.ngo_a, is_child=True)
    response = post_json(
        api_for(personas.NGO_A), consents(case), {**GIVE_REFERRAL, "given_by": "guardian"}
    )
    assert (response.status_code, response.json()["given_by"]) == (201, "guardian")


@pytest.mark.parametrize(("is_child", "given_by"), [(True, "guardian"), (False, "person")])
def test_given_by_left_out_is_the_guardian_for_a_child(api_for, cast, is_child, given_by):
    case = make_case(cast.ngo_a, is_child=is_child)
    response = post_json(api_for(personas.NGO_A), consents(case), GIVE_REFERRAL)
    assert (response.status_code, response.json()["given_by"]) == (201, given_by)


def test_consent_on_a_closed_case_is_409_and_saves_nothing(api_for, cast):
    case = case_led_by_ngo_a(cast, stage="closed")
    before = Consent.objects.filter(case=case).count()
    response = post_json(api_for(personas.NGO_A), consents(case), WITHDRAW_REFERRAL)
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert Consent.objects.filter(case=case).count() == before


def test_guardian_consent_for_an_adult_is_400(api_for, cast):
    case = make_case(cast.ngo_a)
    response = post_json(
        api_for(personas.NGO_A), consents(case), {**GIVE_REFERRAL, "given_by": "guardian"}
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["given_by"]
    assert not Consent.objects.filter(case=case).exists()


# --- Withdrawal -------------------------------------------------------------------------------
@pytest.mark.parametrize(("state", "after"), [("pending", "cancelled"), ("accepted", "ended")])
def test_withdrawal_ends_referrals_and_revokes_the_receivers_access(api_for, cast, state, after):
    referral = referral_in_state(cast, state)
    receiver, sender = api_for(personas.NGO_B), api_for(personas.NGO_A)
    assert receiver.get(case_url(referral.case_id)).status_code == 200

    response = post_json(sender, consents(referral.case_id), WITHDRAW_REFERRAL)

    assert response.status_code == 201
    assert receiver.get(case_url(referral.case_id)).status_code == 404
    assert referral.case_id not in {
        row["id"] for row in receiver.get("/api/v1/cases/").json()["results"]
    }
    # The receiver still sees its referral, now ended, but not the case.
    shown = receiver.get(referral_url(referral))
    assert (shown.status_code, shown.json()["state"]) == (200, after)
    assert Referral.objects.get(pk=referral.pk).state == after
    # The registering and lead organisation keeps the case.
    assert sender.get(case_url(referral.case_id)).status_code == 200


def test_withdrawal_blocks_further_referrals(api_for, cast):
    referral = referral_in_state(cast, "accepted")
    client = api_for(personas.NGO_A)
    post_json(client, consents(referral.case_id), WITHDRAW_REFERRAL)
    response = post_json(
        client,
        case_url(referral.case_id, "referrals"),
        {"to_organisation": cast.health.organisation_id, "services": ["Medical"]},
    )
    assert (response.status_code, response.json()["code"]) == (409, "consent_required")


def test_statistics_withdrawal_leaves_referrals_alone(api_for, cast):
    referral = referral_in_state(cast, "accepted")
    post_json(
        api_for(personas.NGO_A),
        consents(referral.case_id),
        {"scope": "statistics", "given": False},
    )
    assert Referral.objects.get(pk=referral.pk).state == "accepted"
    assert api_for(personas.NGO_B).get(case_url(referral.case_id)).status_code == 200


# --- Bad input --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"scope", "given"}),
        ({"scope": "referral"}, {"given"}),
        ({"given": True}, {"scope"}),
        ({"scope": "everything", "given": True}, {"scope"}),
        ({"scope": "REFERRAL", "given": True}, {"scope"}),
        ({"scope": 5, "given": True}, {"scope"}),
        ({"scope": ["referral"], "given": True}, {"scope"}),
        ({"scope": None, "given": True}, {"scope"}),
        ({"scope": "referral", "given": "true"}, {"given"}),
        ({"scope": "referral", "given": "false"}, {"given"}),
        ({"scope": "referral", "given": 1}, {"given"}),
        ({"scope": "referral", "given": 0}, {"given"}),
        ({"scope": "referral", "given": None}, {"given"}),
        ({"scope": "referral", "given": {}}, {"given"}),
        ({"scope": "referral", "given": True, "given_by": "mother"}, {"given_by"}),
        ({"scope": "referral", "given": True, "given_by": None}, {"given_by"}),
        ({"scope": "referral", "given": True, "given_by": "x" * 100_000}, {"given_by"}),
    ],
)
def test_bad_bodies_are_400_and_record_nothing(api_for, cast, body, fields):
    case = make_case(cast.ngo_a)
    response = post_json(api_for(personas.NGO_A), consents(case), body)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == fields
    assert not Consent.objects.filter(case=case).exists()


@pytest.mark.parametrize(
    ("username", "status"),
    [
        (personas.NGO_B, 404),  # not visible: 404 before anything about the body
        (personas.COMMISSION, 403),
        (personas.NGO_A, 400),
    ],
)
def test_precedence_with_a_bad_body(api_for, cast, username, status):
    case = make_case(cast.ngo_a)
    response = post_json(api_for(username), consents(case), {"scope": "nonsense"})
    assert response.status_code == status


def test_pending_receiver_with_a_bad_body_is_403_not_400(api_for, cast):
    referral = referral_in_state(cast, "pending")
    response = post_json(api_for(personas.NGO_B), consents(referral.case_id), [1, 2])
    assert response.status_code == 403


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_only_post(api_for, cast, method):
    case = make_case(cast.ngo_a)
    response = getattr(api_for(personas.NGO_A), method)(consents(case))
    assert response.status_code == 405
