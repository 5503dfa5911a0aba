"""POST /api/v1/cases/{id}/referrals/: who may refer, with consent or a supervisor's override."""

import datetime
import uuid

import pytest

from accounts.models import Organisation
from audit.models import AuditEntry
from cases.models import ConsentOverride
from core.text import REASON_MAX
from referral.models import Referral
from tests import personas
from tests.api.conftest import case_url, post_json, referral_url
from tests.factories import make_case
from tests.scenarios import case_led_by_ngo_a, consented_case, org, referral_in_state

REFERRALS = "/api/v1/referrals/"

OVERRIDE_SECRET = "Override-secret: she is hiding at her cousin's, 12 rue X"


def referrals_of(case) -> str:
    return case_url(case, "referrals")


def to(name: str, *codes: str, **extra) -> dict:
    """A referral body to the named organisation."""
    return {"to_organisation": org(name).pk, "services": list(codes or ("Shelter",)), **extra}


# --- Create: who may --------------------------------------------------------------------------
# A consented case registered and led by NGO A, referred to NGO B.
CREATE_STATUS = {
    personas.NGO_A: 201,
    personas.NGO_A_SUPERVISOR: 201,
    personas.POLICE: 404,
    personas.HEALTH: 404,
    personas.NGO_B: 404,
    personas.AUTHORITY: 404,
    personas.COMMISSION: 403,
    personas.ADMIN: 403,
}


@pytest.mark.parametrize(("username", "status"), CREATE_STATUS.items())
def test_create_status_by_persona(api_for, cast, username, status):
    case = consented_case(cast)
    response = post_json(api_for(username), referrals_of(case), to("NGO B"))
    assert response.status_code == status
    assert Referral.objects.filter(case=case).count() == (1 if status == 201 else 0)


def test_an_accepted_referrals_receiver_may_refer_on(api_for, cast):
    case = case_led_by_ngo_a(cast, stage="assistance")  # the health unit accepted a referral
    response = post_json(api_for(personas.HEALTH), referrals_of(case), to("NGO B", "Shelter"))
    assert response.status_code == 201
    assert response.json()["from_organisation"] == cast.health.organisation_id


def test_a_pending_referrals_receiver_may_not_refer(api_for, cast):
    referral = referral_in_state(cast, "pending")
    response = post_json(
        api_for(personas.NGO_B), referrals_of(referral.case_id), to("Health unit — Casablanca")
    )
    assert response.status_code == 403
    assert Referral.objects.filter(case=referral.case_id).count() == 1


def test_missing_case_is_404(api_for):
    response = post_json(api_for(personas.NGO_A), referrals_of(uuid.uuid4()), to("NGO B"))
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


# --- Create: what it makes --------------------------------------------------------------------
def test_created_referral_is_pending_and_returned(api_for, cast):
    case = consented_case(cast)
    body = to("NGO B", "Shelter", "Medical", reason="Needs a bed tonight", urgency="urgent")
    response = post_json(api_for(personas.NGO_A), referrals_of(case), body)
    referral = Referral.objects.get(case=case)
    data = response.json()
    assert response.status_code == 201
    assert data == {
        "id": str(referral.pk),
        "case": str(case.pk),
        "case_reference": case.reference,
        "state": "pending",
        "from_organisation": cast.ngo_a.organisation_id,
        "to_organisation": cast.ngo_b.organisation_id,
        "services": ["Medical", "Shelter"],
        "urgency": "urgent",
        "transfers_lead": False,
        "consent_override": False,
        "created_at": data["created_at"],
        "decided_at": None,
        "completed_at": None,
        "end_reason": None,
        "ended_at": None,
        "due_at": data["due_at"],
        "overdue": False,
        "reason": "Needs a bed tonight",
        "decline_reason": None,
    }
    # Urgent: to be answered within 48 hours of being sent.
    sent, due = (datetime.datetime.fromisoformat(data[key]) for key in ("created_at", "due_at"))
    assert due - sent == datetime.timedelta(hours=48)
    assert referral.created_by == cast.ngo_a
    # The receiver now sees the case's profile, not the identity.
    seen = api_for(personas.NGO_B).get(case_url(case)).json()
    assert (seen["id"], seen["person"]) == (str(case.pk), None)


def test_defaults(api_for, cast):
    case = consented_case(cast)
    data = post_json(api_for(personas.NGO_A), referrals_of(case), to("NGO B")).json()
    assert (data["urgency"], data["transfers_lead"], data["reason"]) == ("routine", False, "")


def test_lead_transfer_on_acceptance(api_for, cast):
    case = consented_case(cast)
    created = post_json(
        api_for(personas.NGO_A), referrals_of(case), to("NGO B", transfers_lead=True)
    ).json()
    assert created["transfers_lead"] is True
    post_json(api_for(personas.NGO_B), referral_url(created["id"], "accept"), {})
    detail = api_for(personas.NGO_B).get(case_url(case)).json()
    assert detail["lead_organisation"] == cast.ngo_b.organisation_id


def test_status_decision_to_the_authority(api_for, cast):
    case = consented_case(cast)
    response = post_json(
        api_for(personas.NGO_A), referrals_of(case), to("Prosecutor's office", "StatusDecision")
    )
    assert (response.status_code, response.json()["services"]) == (201, ["StatusDecision"])


# --- Create: conflicts ------------------------------------------------------------------------
def test_without_consent_is_409_consent_required(api_for, cast):
    case = make_case(cast.ngo_a)
    response = post_json(api_for(personas.NGO_A), referrals_of(case), to("NGO B"))
    body = response.json()
    assert response.status_code == 409
    assert set(body) == {"code", "detail"}
    assert body["code"] == "consent_required"
    assert not Referral.objects.filter(case=case).exists()


def test_a_closed_case_is_409_invalid_transition(api_for, cast):
    case = case_led_by_ngo_a(cast, stage="closed")
    response = post_json(api_for(personas.NGO_A), referrals_of(case), to("NGO B"))
    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")


def test_guardian_consent_allows_a_childs_referral(api_for, cast):
    case = make_case(cast.ngo_a, is_child=True)
    client = api_for(personas.NGO_A)
    assert post_json(client, referrals_of(case), to("NGO B")).status_code == 409
    post_json(
        client,
        case_url(case, "consents"),
        {"scope": "referral", "given": True, "given_by": "guardian"},
    )
    assert post_json(client, referrals_of(case), to("NGO B")).status_code == 201


# --- Create: the supervisor's override --------------------------------------------------------
def test_supervisor_override_creates_the_referral_and_never_shows_the_reason(api_for, cast):
    case = make_case(cast.ngo_a)
    supervisor, sender, receiver = (
        api_for(personas.NGO_A_SUPERVISOR),
        api_for(personas.NGO_A),
        api_for(personas.NGO_B),
    )
    created = post_json(
        supervisor,
        referrals_of(case),
        to("NGO B", reason="Shelter needed", consent_override_reason=OVERRIDE_SECRET),
    )
    assert created.status_code == 201
    assert created.json()["consent_override"] is True
    assert ConsentOverride.objects.get(case=case).reason == OVERRIDE_SECRET
    referral_id = created.json()["id"]

    responses = [
        created,
        supervisor.get(referral_url(referral_id)),
        receiver.get(referral_url(referral_id)),
        sender.get(REFERRALS),
        receiver.get(REFERRALS, {"direction": "incoming"}),
        supervisor.get(case_url(case)),
        receiver.get(case_url(case)),
        post_json(receiver, referral_url(referral_id, "accept"), {}),
        receiver.get(case_url(case)),
        supervisor.get("/api/v1/cases/"),
    ]
    for response in responses:
        assert response.status_code in (200, 201)
        assert OVERRIDE_SECRET.encode() not in response.content
        assert b"Override-secret" not in response.content
    # Audited as its own event, which references the reason and never contains it.
    override_events = AuditEntry.objects.filter(
        object_pk=str(case.pk), additional_data__event="consent_override"
    )
    assert override_events.count() == 1
    for entry in AuditEntry.objects.all():
        assert "Override-secret" not in str(entry.additional_data)
        assert "Override-secret" not in str(entry.changes)


def test_override_is_ignored_when_consent_is_recorded(api_for, cast):
    case = consented_case(cast)
    response = post_json(
        api_for(personas.NGO_A_SUPERVISOR),
        referrals_of(case),
        to("NGO B", consent_override_reason="not needed"),
    )
    assert (response.status_code, response.json()["consent_override"]) == (201, False)
    assert not ConsentOverride.objects.filter(case=case).exists()


@pytest.mark.parametrize("username", [personas.NGO_A, personas.HEALTH])
def test_only_a_lead_supervisor_may_override(api_for, cast, username):
    # NGO A's caseworker leads the case but is no supervisor (and consent is missing); the
    # health unit may refer on (accepted referral) but does not lead.
    if username == personas.NGO_A:
        case = make_case(cast.ngo_a)
    else:
        case = case_led_by_ngo_a(cast, stage="assistance")
    before = Referral.objects.filter(case=case).count()
    response = post_json(
        api_for(username),
        referrals_of(case),
        to("NGO B", consent_override_reason=OVERRIDE_SECRET),
    )
    assert response.status_code == 403
    assert OVERRIDE_SECRET.encode() not in response.content
    assert Referral.objects.filter(case=case).count() == before
    assert not ConsentOverride.objects.filter(case=case).exists()


def test_a_caseworkers_override_with_a_bad_body_is_403_not_400(api_for, cast):
    case = make_case(cast.ngo_a)
    response = post_json(
        api_for(personas.NGO_A),
        referrals_of(case),
        {"to_organisation": "nonsense", "consent_override_reason": "because"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_a_blank_override_is_no_override(api_for, cast, blank):
    case = make_case(cast.ngo_a)
    response = post_json(
        api_for(personas.NGO_A_SUPERVISOR),
        referrals_of(case),
        to("NGO B", consent_override_reason=blank),
    )
    assert (response.status_code, response.json()["code"]) == (409, "consent_required")


def test_an_overlong_override_is_400_without_echo(api_for, cast):
    case = make_case(cast.ngo_a)
    reason = "Override-secret " + "x" * REASON_MAX
    response = post_json(
        api_for(personas.NGO_A_SUPERVISOR),
        referrals_of(case),
        to("NGO B", consent_override_reason=reason),
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["consent_override_reason"]
    assert b"Override-secret" not in response.content
    assert not Referral.objects.filter(case=case).exists()


# --- Create: bad input ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"to_organisation": 999_999}, {"to_organisation"}),
        ({"to_organisation": 0}, {"to_organisation"}),
        ({"to_organisation": -1}, {"to_organisation"}),
        ({"to_organisation": 10**30}, {"to_organisation"}),
        ({"to_organisation": "1"}, {"to_organisation"}),
        ({"to_organisation": 1.0}, {"to_organisation"}),
        ({"to_organisation": True}, {"to_organisation"}),
        ({"to_organisation": None}, {"to_organisation"}),
        ({"to_organisation": [1]}, {"to_organisation"}),
        ({"services": ["Spa"]}, {"services"}),
        ({"services": []}, {"services"}),
        ({"services": "Shelter"}, {"services"}),
        ({"services": [1]}, {"services"}),
        ({"services": ["Shelter"] * 50}, {"services"}),
        ({"services": ["x" * 100_000]}, {"services"}),
        ({"urgency": "yesterday"}, {"urgency"}),
        ({"urgency": None}, {"urgency"}),
        ({"transfers_lead": "yes"}, {"transfers_lead"}),
        ({"transfers_lead": 1}, {"transfers_lead"}),
        ({"reason": 42}, {"reason"}),
        ({"reason": "x" * (REASON_MAX + 1)}, {"reason"}),
        ({"reason": "x" * 1_000_000}, {"reason"}),
        ({"reason": "\x00"}, {"reason"}),
    ],
)
def test_bad_bodies_are_400_and_create_nothing(api_for, cast, changes, fields):
    case = consented_case(cast)
    body = {**to("NGO B"), **changes}
    response = post_json(api_for(personas.NGO_A), referrals_of(case), body)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == fields
    assert not Referral.objects.filter(case=case).exists()


def test_missing_fields_are_400(api_for, cast):
    case = consented_case(cast)
    response = post_json(api_for(personas.NGO_A), referrals_of(case), {})
    assert response.json() == {
        "errors": {
            "to_organisation": ["This field is required."],
            "services": ["This field is required."],
        }
    }


@pytest.mark.parametrize(
    ("target", "codes", "field"),
    [
        ("NGO A", ("Shelter",), "to_organisation"),  # to itself
        ("National Commission", ("Shelter",), "to_organisation"),  # takes no referrals
        ("Prosecutor's office", ("Shelter",), "services"),  # status decisions only
        ("NGO B", ("StatusDecision",), "services"),  # status decisions go to the authority
    ],
)
def test_the_services_rules_come_back_as_400(api_for, cast, target, codes, field):
    case = consented_case(cast)
    response = post_json(api_for(personas.NGO_A), referrals_of(case), to(target, *codes))
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_an_inactive_organisation_is_400(api_for, cast):
    case = consented_case(cast)
    Organisation.objects.filter(name="NGO B").update(active=False)
    response = post_json(api_for(personas.NGO_A), referrals_of(case), to("NGO B"))
    assert (response.status_code, list(response.json()["errors"])) == (400, ["to_organisation"])


def test_a_second_open_referral_to_the_same_organisation_is_400(api_for, cast):
    case = consented_case(cast)
    client = api_for(personas.NGO_A)
    assert post_json(client, referrals_of(case), to("NGO B")).status_code == 201
    response = post_json(client, referrals_of(case), to("NGO B", "Legal"))
    assert (response.status_code, list(response.json()["errors"])) == (400, ["to_organisation"])


def test_only_the_lead_hands_over_the_lead(api_for, cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    response = post_json(
        api_for(personas.HEALTH), referrals_of(case), to("NGO B", transfers_lead=True)
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["transfers_lead"])


def test_bad_input_comes_before_the_missing_consent(api_for, cast):
    case = make_case(cast.ngo_a)
    response = post_json(api_for(personas.NGO_A), referrals_of(case), to("NGO B", "Spa"))
    assert response.status_code == 400
