"""Concurrent case work on one case: real transactions that overlap (see tests/concurrency.py).

DESIGN.md rule 2: of two concurrent transitions of the same object exactly one wins, the other
gets a clear conflict, nothing is done twice. Rule 4: withdrawing referral consent ends every
referral at once, so an accept racing it never leaves the receiver with the identity.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from audit.models import AuditEntry
from cases.casework import end_service, record_service, update_service
from cases.consent import record_consent
from cases.dispatch import take_transition
from cases.models import Case, CaseGroupObjectPermission, CaseTransition, Consent, ServiceRecord
from core.errors import InvalidTransition
from reference.models import ServiceType
from referral.models import Referral
from referral.transitions import accept_referral
from tests import personas
from tests.concurrency import kinds, race
from tests.factories import make_case
from tests.scenarios import case_led_by_ngo_a, org, refer

pytestmark = pytest.mark.django_db(transaction=True)

# transition → (who takes it, its input, the stage the case starts in, field, target)
TRANSITIONS = {
    "close": (
        personas.NGO_A_SUPERVISOR,
        {"reason": "goals met", "closure_reason": "goals_met"},
        "assistance",
        "stage",
        "closed",
    ),
    "start_reintegration": (personas.NGO_A, {}, "assistance", "stage", "reintegration"),
    "reopen": (personas.NGO_A, {}, "closed", "stage", "assistance"),
    "confirm_status": (
        personas.AUTHORITY,
        {"reason": "evidence"},
        "assistance",
        "trafficking_status",
        "confirmed",
    ),
}


@pytest.mark.parametrize("name", TRANSITIONS)
def test_two_concurrent_transitions_one_wins_the_other_conflicts(live_cast, name):
    persona, data, stage, field, target = TRANSITIONS[name]
    case = case_led_by_ngo_a(live_cast, stage=stage)
    entries_before = AuditEntry.objects.filter(additional_data__transition=name).count()

    def take():
        return take_transition(case, name, actor=live_cast[persona], **data)

    first, second = race(take, take, hold=Case)
    after = Case.objects.get(pk=case.pk)
    changes = CaseTransition.objects.filter(case=case, transition=name).count()
    entries = AuditEntry.objects.filter(object_pk=str(case.pk), additional_data__transition=name)
    # A status decision completes the authority's referral: the loser no longer holds the
    # relation, so it is refused by the rule rather than by the state machine.
    loser = PermissionDenied if name in ("confirm_status", "reject_status") else InvalidTransition
    assert (kinds(first, second), getattr(after, field), changes, entries.count()) == (
        ["ok", loser],
        target,
        1,
        1,
    )
    code = "invalid_transition" if loser is InvalidTransition else None
    assert (getattr(second[1], "code", None), entries_before) == (code, 0)


# --- A consent withdrawal racing an accept -----------------------------------------------------
def pending_first_referral(live_cast):
    """A consented case at identification, NGO A's, with a pending Shelter referral to NGO B."""
    case = make_case(live_cast.ngo_a)
    record_consent(case, actor=live_cast.ngo_a, scope="referral", given=True)
    return refer(case, live_cast.ngo_a, "NGO B", "Shelter")


def receiver_permissions(case_id) -> list[str]:
    return sorted(
        CaseGroupObjectPermission.objects.filter(
            content_object_id=case_id, group=org("NGO B").group
        ).values_list("permission__codename", flat=True)
    )


def test_a_withdrawal_racing_an_accept_ends_the_accepted_referral(live_cast):
    # The accept holds the case first; the withdrawal waits, then ends what was accepted.
    referral = pending_first_referral(live_cast)

    def accept():
        return accept_referral(referral, actor=live_cast.ngo_b)

    def withdraw():
        return record_consent(referral.case, actor=live_cast.ngo_a, scope="referral", given=False)

    first, second = race(accept, withdraw, hold=Referral)
    case = Case.objects.get(pk=referral.case_id)
    state = Referral.objects.get(pk=referral.pk).state
    assert (state, receiver_permissions(case.pk), case.referral_consent) == ("ended", [], False)
    ended = AuditEntry.objects.filter(
        object_pk=str(referral.pk), additional_data__cause="consent_withdrawn"
    )
    assert (kinds(first, second), case.stage, [e.additional_data["event"] for e in ended]) == (
        ["ok", "ok"],
        "assistance",
        ["end"],
    )


def test_an_accept_racing_a_withdrawal_is_refused(live_cast):
    # The withdrawal holds the case first; the accept waits, then finds the referral cancelled.
    referral = pending_first_referral(live_cast)

    def withdraw():
        return record_consent(referral.case, actor=live_cast.ngo_a, scope="referral", given=False)

    def accept():
        return accept_referral(referral, actor=live_cast.ngo_b)

    first, second = race(withdraw, accept, hold=Consent)
    case = Case.objects.get(pk=referral.case_id)
    state = Referral.objects.get(pk=referral.pk).state
    assert (state, receiver_permissions(case.pk), case.referral_consent) == ("cancelled", [], False)
    accepts = AuditEntry.objects.filter(
        object_pk=str(referral.pk), additional_data__transition="accept"
    )
    assert (kinds(first, second), case.stage, accepts.count()) == (
        ["ok", InvalidTransition],
        "identification",
        0,
    )
    assert second[1].code == "invalid_transition"


# --- Two ends of one service -------------------------------------------------------------------
def test_two_concurrent_ends_of_a_service_one_wins_the_other_conflicts(live_cast):
    case = make_case(live_cast.ngo_a)
    today = timezone.localdate()
    record = record_service(
        case,
        actor=live_cast.ngo_a,
        service_type=ServiceType.objects.get(code="Shelter"),
        started_on=today,
    )

    def complete():
        return end_service(record, actor=live_cast.ngo_a, outcome="completed", ended_on=today)

    def stop():
        changes = {"status": "cancelled", "ended_on": today}
        return update_service(record, actor=live_cast.ngo_a_supervisor, changes=changes)

    first, second = race(complete, stop, hold=ServiceRecord)
    stored = ServiceRecord.objects.get(pk=record.pk)
    events = AuditEntry.objects.filter(object_pk=str(record.pk), additional_data__field="status")
    assert (kinds(first, second), stored.status, stored.ended_by, events.count()) == (
        ["ok", InvalidTransition],
        "completed",
        live_cast.ngo_a,
        1,
    )
