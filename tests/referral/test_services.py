import datetime
import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from cases.casework import record_service
from cases.consent import record_consent
from cases.models import Case, ConsentOverride
from core.errors import ConsentRequired, InvalidTransition
from referral.models import Referral
from referral.selectors import referral_targets
from referral.transitions import (
    accept_referral,
    cancel_referral,
    complete_referral,
    decline_referral,
)
from tests import personas
from tests.factories import make_case
from tests.scenarios import (
    case_led_by_ngo_a,
    org,
    organisation_permissions,
    refer,
    referral_in_state,
    service,
)

# Expectations written from DESIGN.md's table: the receiver accepts, declines, completes;
# the sender cancels.
ALLOWED = {
    "accept": {personas.NGO_B},
    "decline": {personas.NGO_B},
    "complete": {personas.NGO_B},
    "cancel": {personas.NGO_A, personas.NGO_A_SUPERVISOR},
}
MACHINE = {
    "accept": ({"pending"}, "accepted"),
    "decline": ({"pending"}, "declined"),
    "cancel": ({"pending"}, "cancelled"),
    "complete": ({"accepted"}, "completed"),
}
STATES = ["pending", "accepted", "declined", "cancelled", "completed"]
CALL = {
    "accept": lambda r, actor: accept_referral(r, actor=actor),
    "decline": lambda r, actor: decline_referral(r, actor=actor, reason="no capacity 9c"),
    "cancel": lambda r, actor: cancel_referral(r, actor=actor),
    "complete": lambda r, actor: complete_referral(r, actor=actor),
}
# What NGO B holds on the case in each referral state.
NGO_B_ACCESS = {
    "pending": {"view_case"},
    "accepted": {"view_case", "view_identity"},
    "declined": set(),
    "cancelled": set(),
    "completed": set(),
}


def entries(referral, name):
    return list(
        AuditEntry.objects.filter(object_pk=str(referral.pk), additional_data__transition=name)
    )


@pytest.mark.parametrize(
    ("state", "name", "persona"),
    [(s, n, p) for n in MACHINE for s in STATES for p in personas.ALL],
)
def test_referral_transition_table(cast, state, name, persona):
    referral = referral_in_state(cast, state)
    before = len(entries(referral, name))
    sources, target = MACHINE[name]
    if persona not in ALLOWED[name]:
        expected = PermissionDenied
    elif state not in sources:
        expected = InvalidTransition
    else:
        expected = None
    if expected:
        with pytest.raises(expected):
            CALL[name](referral, cast[persona])
        assert Referral.objects.get(pk=referral.pk).state == state
        assert len(entries(referral, name)) == before
        return
    CALL[name](referral, cast[persona])
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.state == target
    new = entries(referral, name)[before:]
    assert [
        (e.actor_id, e.additional_data["source"], e.additional_data["target"]) for e in new
    ] == [(cast[persona].pk, state, target)]
    assert "no capacity 9c" not in json.dumps(new[0].additional_data)
    assert organisation_permissions(referral.case, org("NGO B")) == NGO_B_ACCESS[target]


def test_decline_needs_a_reason_and_keeps_it_protected(cast):
    referral = referral_in_state(cast, "pending")
    with pytest.raises(ValidationError) as error:
        decline_referral(referral, actor=cast.ngo_b, reason="  ")
    assert list(error.value.message_dict) == ["reason"]
    assert Referral.objects.get(pk=referral.pk).state == "pending"
    decline_referral(referral, actor=cast.ngo_b, reason="No beds tonight")
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.decline_reason == "No beds tonight"
    [entry] = entries(referral, "decline")
    assert entry.additional_data["reason_ref"] == f"referral.Referral.decline_reason:{referral.pk}"


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


def test_guardian_consent_is_refused_for_an_adult(cast):
    case = make_case(cast.ngo_a)
    with pytest.raises(ValidationError):
        record_consent(case, actor=cast.ngo_a, scope="referral", given=True, given_by="guardian")


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


def test_consent_withdrawal_cancels_ends_and_revokes_at_once(cast):
    case = make_case(cast.police)
    record_consent(case, actor=cast.police, scope="referral", given=True)
    accepted = refer(case, cast.police, "NGO A", "Shelter")
    accept_referral(accepted, actor=cast.ngo_a)
    pending = refer(case, cast.police, "NGO B", "Legal")
    onward = refer(case, cast.ngo_a, "Health unit — Casablanca", "Medical")
    accept_referral(onward, actor=cast.health)
    record_consent(case, actor=cast.police, scope="referral", given=False)
    states = {r.to_organisation.name: r.state for r in Referral.objects.filter(case=case)}
    assert states == {
        "NGO A": "completed",
        "NGO B": "cancelled",
        "Health unit — Casablanca": "completed",
    }
    for name in ("NGO A", "NGO B", "Health unit — Casablanca"):
        assert organisation_permissions(case, org(name)) == set()
    assert organisation_permissions(case, org("Police — Casablanca")) == {
        "view_case",
        "view_identity",
    }
    assert pending.pk in {r.pk for r in Referral.objects.filter(state="cancelled")}


def test_withdrawal_keeps_the_lead_organisations_access(cast):
    case = make_case(cast.police)
    record_consent(case, actor=cast.police, scope="referral", given=True)
    referral = refer(case, cast.police, "NGO A", "Shelter", transfers_lead=True)
    accept_referral(referral, actor=cast.ngo_a)
    record_consent(case, actor=cast.ngo_a, scope="referral", given=False)
    assert Case.objects.get(pk=case.pk).lead_organisation == org("NGO A")
    assert organisation_permissions(case, org("NGO A")) == {"view_case", "view_identity"}


def test_first_accepted_assistance_referral_starts_assistance_and_the_reflection_period(
    cast, settings
):
    settings.NRM_REFLECTION_PERIOD_DAYS = 45
    case = make_case(cast.ngo_a)
    record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
    decision = refer(case, cast.ngo_a, "Prosecutor's office", "StatusDecision")
    accept_referral(decision, actor=cast.authority)
    assert Case.objects.get(pk=case.pk).stage == "identification"
    accept_referral(refer(case, cast.ngo_a, "NGO B", "Shelter"), actor=cast.ngo_b)
    case = Case.objects.get(pk=case.pk)
    assert case.stage == "assistance"
    assert (case.reflection_period_ends_on - case.assistance_started_on).days == 45
    assert (
        AuditEntry.objects.filter(
            object_pk=str(case.pk), additional_data__transition="start_assistance"
        ).count()
        == 1
    )


def test_transfers_lead_makes_the_receiver_lead_on_acceptance(cast):
    case = make_case(cast.police)
    record_consent(case, actor=cast.police, scope="referral", given=True)
    referral = refer(case, cast.police, "NGO A", "Shelter", transfers_lead=True)
    assert Case.objects.get(pk=case.pk).lead_organisation == org("Police — Casablanca")
    accept_referral(referral, actor=cast.ngo_a)
    assert Case.objects.get(pk=case.pk).lead_organisation == org("NGO A")


def test_completing_keeps_access_held_another_way(cast):
    case = make_case(cast.ngo_a)
    record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
    first = refer(case, cast.ngo_a, "NGO B", "Shelter")
    accept_referral(first, actor=cast.ngo_b)
    complete_referral(first, actor=cast.ngo_b)
    second = refer(case, cast.ngo_a, "NGO B", "Legal")
    accept_referral(second, actor=cast.ngo_b)
    third = refer(case, cast.ngo_a, "Health unit — Casablanca", "Medical", transfers_lead=True)
    accept_referral(third, actor=cast.health)
    # NGO A lost the lead but registered the case: it keeps access.
    assert organisation_permissions(case, org("NGO A")) == {"view_case", "view_identity"}
    complete_referral(second, actor=cast.ngo_b)
    assert organisation_permissions(case, org("NGO B")) == set()


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


def test_new_referral_mails_only_a_link(cast, django_capture_on_commit_callbacks):
    cast.ngo_b.email = "ngo.b@example.org"
    cast.ngo_b.save()
    case = make_case(cast.ngo_a)
    record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
    with django_capture_on_commit_callbacks(execute=True):
        referral = refer(case, cast.ngo_a, "NGO B")
    [message] = mail.outbox
    assert message.to == ["ngo.b@example.org"]
    assert f"/referrals/{referral.pk}/" in message.body
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


def test_referral_targets_are_organisations_that_take_referrals(cast):
    names = set(referral_targets(cast.ngo_a).values_list("name", flat=True))
    assert names == {
        "Police — Casablanca",
        "Health unit — Casablanca",
        "NGO B",
        "Prosecutor's office",
    }


def test_a_status_decision_is_not_recorded_as_a_service(cast):

    case = make_case(cast.ngo_a)
    with pytest.raises(ValidationError) as error:
        record_service(
            case,
            actor=cast.ngo_a,
            service_type=service("StatusDecision"),
            started_on=datetime.date(2026, 11, 1),
        )
    assert list(error.value.message_dict) == ["service_type"]
