"""referral.creation: a new referral needs consent (or a supervisor's override), valid data and an
open case; the receiver is mailed a link only."""

import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from cases.consent import record_consent
from cases.models import ConsentOverride
from core.errors import ConsentRequired, InvalidTransition
from referral.models import Referral
from referral.transitions import (
    accept_referral,
)
from tests import personas
from tests.factories import make_case
from tests.scenarios import (
    case_led_by_ngo_a,
    org,
    organisation_permissions,
    refer,
    referral_in_state,
)


def test_referral_without_consent_is_refused(cast):
    case = make_case(cast.ngo_a)
    with pytest.raises(ConsentRequired):
        refer(case, cast.ngo_a, "NGO B")
    assert Referral.objects.count() == 0
    assert organisation_permissions(case, org("NGO B")) == set()


def test_withdrawn_consent_refuses_new_referrals(cast):
    case = make_case(cast.ngo_a)
    record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
    record_consent(case, actor=cast.ngo_a, scope="referral", given=False)
    with pytest.raises(ConsentRequired):
        refer(case, cast.ngo_a, "NGO B")


def test_guardian_consent_allows_referral_of_a_child(cast):
    case = make_case(cast.ngo_a, is_child=True)
    record_consent(case, actor=cast.ngo_a, scope="referral", given=True, given_by="guardian")
    assert refer(case, cast.ngo_a, "NGO B").state == "pending"


def test_supervisor_of_the_lead_overrides_missing_consent_with_an_audited_reason(cast):
    case = make_case(cast.ngo_a)
    referral = refer(
        case, cast.ngo_a_supervisor, "NGO B", consent_override_reason="Immediate danger 4d"
    )
    override = ConsentOverride.objects.get(case=case)
    assert (referral.consent_override_id, override.reason) == (override.pk, "Immediate danger 4d")
    [entry] = AuditEntry.objects.filter(additional_data__event="consent_override")
    assert entry.actor_id == cast.ngo_a_supervisor.pk
    assert entry.additional_data["reason_ref"] == f"cases.ConsentOverride:{override.pk}"
    assert "Immediate danger" not in json.dumps(entry.additional_data)


@pytest.mark.parametrize("persona", [personas.NGO_A, personas.POLICE])
def test_override_is_refused_to_those_who_do_not_hold_it(cast, persona):
    case = make_case(cast.ngo_a) if persona == personas.NGO_A else make_case(cast.police)
    with pytest.raises(PermissionDenied):
        refer(case, cast[persona], "NGO B", consent_override_reason="urgent")
    assert ConsentOverride.objects.count() == 0


def test_override_by_a_supervisor_of_another_organisation_is_refused(cast):
    case = make_case(cast.police)
    with pytest.raises(PermissionDenied):
        refer(case, cast.ngo_a_supervisor, "NGO B", consent_override_reason="urgent")


@pytest.mark.parametrize(
    ("to", "codes", "extra", "field"),
    [
        ("NGO A", ("Shelter",), {}, "to_organisation"),
        ("National Commission", ("Shelter",), {}, "to_organisation"),
        ("Prosecutor's office", ("Shelter",), {}, "services"),
        ("NGO B", ("StatusDecision",), {}, "services"),
        ("NGO B", ("Shelter",), {"urgency": "whenever"}, "urgency"),
        ("NGO B", ("Shelter",), {"reason": "x" * 5001}, "reason"),
    ],
)
def test_bad_referrals_are_refused_and_save_nothing(cast, to, codes, extra, field):
    case = make_case(cast.ngo_a)
    record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
    with pytest.raises(ValidationError) as error:
        refer(case, cast.ngo_a, to, *codes, **extra)
    assert list(error.value.message_dict) == [field]
    assert Referral.objects.count() == 0


def test_a_second_open_referral_to_the_same_organisation_is_refused(cast):
    referral = referral_in_state(cast, "pending")
    with pytest.raises(ValidationError):
        refer(referral.case, cast.ngo_a, "NGO B", "Legal")


def test_only_the_lead_hands_over_the_lead(cast):
    case = make_case(cast.police)
    record_consent(case, actor=cast.police, scope="referral", given=True)
    accept_referral(refer(case, cast.police, "NGO A"), actor=cast.ngo_a)
    with pytest.raises(ValidationError) as error:
        refer(case, cast.ngo_a, "NGO B", transfers_lead=True)
    assert list(error.value.message_dict) == ["transfers_lead"]


def test_a_closed_case_cannot_be_referred(cast):

    case = case_led_by_ngo_a(cast, stage="closed")
    with pytest.raises(InvalidTransition):
        refer(case, cast.ngo_a, "NGO B")


def test_new_referral_mails_only_a_link(cast, settings, django_capture_on_commit_callbacks):
    settings.NRM_SITE_URL = "http://127.0.0.1:8000"
    cast.ngo_b.email = "ngo.b@example.org"
    cast.ngo_b.save()
    case = make_case(cast.ngo_a)
    record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
    with django_capture_on_commit_callbacks(execute=True):
        referral = refer(case, cast.ngo_a, "NGO B")
    [message] = mail.outbox
    assert message.to == ["ngo.b@example.org"]
    # The link is the notifications page (notices.mail), where the referral's notice waits.
    assert "http://127.0.0.1:8000/notices/\n" in message.body
    assert str(referral.pk) not in message.body
    person = case.person
    for value in (person.given_name, person.family_name, case.reference, case.summary):
        assert value not in message.body + message.subject


def test_no_mail_before_commit(cast, django_capture_on_commit_callbacks):
    cast.ngo_b.email = "ngo.b@example.org"
    cast.ngo_b.save()
    case = make_case(cast.ngo_a)
    record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        refer(case, cast.ngo_a, "NGO B")
    assert (len(callbacks), mail.outbox) == (1, [])
