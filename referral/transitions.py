"""Answering, withdrawing and ending a referral: accept, decline, cancel, complete, end.

Every function runs in one transaction, in the same order: lock the case row then the referral
row (``lock_referral``), check the rule (``referral.rules.require_on_referral``), check the input,
check the state machine, change the referral (and the case), re-derive access, write the one
audit entry. Of two concurrent answers exactly one wins; the other raises InvalidTransition
(HTTP 409) and access is granted once. The name → function table the UI and the API dispatch
through is ``referral.dispatch.REFERRAL_ACTIONS``.
"""

from auditlog.context import set_actor
from django.db import transaction
from django.utils import timezone

from audit.events import Event
from cases.access import sync_case_access
from cases.models import Stage
from cases.primitives import begin_assistance, check_transition, record_transition
from core.text import clean_text
from notices import events as notices
from reference.models import STATUS_DECISION_SERVICE
from referral.models import EndReason, Referral
from referral.primitives import lock_referral, record_referral_event
from referral.rules import require_on_referral
from tasks import system as tasks


def accept_referral(referral, *, actor) -> Referral:
    """The receiver takes the referral on.

    Side effects, in one transaction:
    - the referral: accepted, ``decided_at`` now;
    - the case, saved once: the receiver becomes the lead organisation when the referral
      transfers the lead; for a referral asking any service but the status decision,
      ``first_referral_accepted_on`` (the first time) and, from identification, the assistance
      stage with its reflection period (a CaseTransition row and a "start_assistance" entry);
    - access: the receiver sees the whole case (``sync_case_access``);
    - audit: one "accept" entry on the referral;
    - a notice to the sender (``notices.events.referral_accepted``), or for a lead handover to
      the old and the new lead; mail on commit to the members who chose it;
    - tasks (``tasks.system``): the receiver's answer task done; the lead's task for the
      reflection period's end made (or moved to a new lead).
    """
    with transaction.atomic(), set_actor(actor):
        case, locked = lock_referral(referral)
        require_on_referral(actor, "accept", locked)
        check_transition(locked.accept)
        source = locked.state
        locked.accept()
        locked.decided_at = timezone.now()
        locked.save()

        today = timezone.localdate()
        changed = locked.transfers_lead
        if locked.transfers_lead:
            case.lead_organisation_id = locked.to_organisation_id
            # The new lead assigns its own caseworker; the old one's ends with the lead.
            case.assigned_to = None
        assistance = locked.services.exclude(code=STATUS_DECISION_SERVICE).exists()
        if assistance and case.first_referral_accepted_on is None:
            case.first_referral_accepted_on = today
            changed = True
        stage_left = None
        if assistance and case.stage == Stage.IDENTIFICATION:
            stage_left = begin_assistance(case, today=today)
            changed = True
        if changed:
            case.save()
        if stage_left is not None:
            record_transition(
                case, actor=actor, event=Event.START_ASSISTANCE, field="stage", source=stage_left
            )

        record_referral_event(locked, actor=actor, event=Event.ACCEPT, source=source, case=case)
        sync_case_access(case)
        notices.referral_accepted(locked)
        tasks.referral_accepted(locked, case=case, actor=actor)
    return locked


def decline_referral(referral, *, actor, reason: str) -> Referral:
    """The receiver declines, with a reason the sender reads.

    Side effects: the referral declined, ``decided_at`` now, ``decline_reason`` (protected);
    the receiver's profile access ends; one "decline" audit entry referencing the reason; a
    notice to the sender (never the reason), mail on commit to the members who chose it;
    the receiver's answer task done (``tasks.system``).
    """
    with transaction.atomic(), set_actor(actor):
        case, locked = lock_referral(referral)
        require_on_referral(actor, "decline", locked)
        reason = clean_text(reason, field="reason", required=True)
        check_transition(locked.decline)
        source = locked.state
        locked.decline()
        locked.decided_at = timezone.now()
        locked.decline_reason = reason
        locked.save()
        record_referral_event(
            locked,
            actor=actor,
            event=Event.DECLINE,
            source=source,
            case=case,
            reason_field="decline_reason",
        )
        sync_case_access(case)
        notices.referral_declined(locked)
        tasks.settle_referral_answer(locked, actor=actor, answered=True)
    return locked


def cancel_referral(referral, *, actor) -> Referral:
    """The sender withdraws a pending referral.

    Side effects: the referral cancelled; the receiver's profile access ends; one "cancel"
    audit entry; a notice to the receiver, mail on commit to the members who chose it; the
    receiver's answer task dropped (``tasks.system``).
    """
    with transaction.atomic(), set_actor(actor):
        case, locked = lock_referral(referral)
        require_on_referral(actor, "cancel", locked)
        check_transition(locked.cancel)
        source = locked.state
        locked.cancel()
        locked.save()
        record_referral_event(locked, actor=actor, event=Event.CANCEL, source=source, case=case)
        sync_case_access(case)
        notices.referral_cancelled(locked)
        tasks.settle_referral_answer(locked, actor=actor, answered=False)
    return locked


def complete_referral(referral, *, actor) -> Referral:
    """The receiver's work is done.

    Side effects: the referral completed, ``completed_at`` now; the receiver's access ends
    unless it holds access another way (registering or lead organisation, another open
    referral); one "complete" audit entry.
    """
    with transaction.atomic(), set_actor(actor):
        case, locked = lock_referral(referral)
        require_on_referral(actor, "complete", locked)
        check_transition(locked.complete)
        source = locked.state
        locked.complete()
        locked.completed_at = timezone.now()
        locked.save()
        record_referral_event(locked, actor=actor, event=Event.COMPLETE, source=source, case=case)
        sync_case_access(case)
    return locked


def end_referral(referral, *, actor) -> Referral:
    """The lead organisation stops a partner's accepted referral (the work is no longer needed
    or no longer wanted).

    Side effects: the referral ended, ``end_reason`` ``ended_by_lead``, ``ended_at`` now; the
    receiver's access ends unless it holds access another way; one "end" audit entry naming
    the cause; a notice to the receiver, mail on commit to the members who chose it.
    """
    with transaction.atomic(), set_actor(actor):
        case, locked = lock_referral(referral)
        require_on_referral(actor, "end", locked)
        check_transition(locked.end)
        source = locked.state
        locked.end()
        locked.ended_at = timezone.now()
        locked.end_reason = EndReason.ENDED_BY_LEAD
        locked.save()
        record_referral_event(
            locked,
            actor=actor,
            event=Event.END,
            source=source,
            case=case,
            cause=EndReason.ENDED_BY_LEAD.value,
        )
        sync_case_access(case)
        notices.referral_ended(locked)
    return locked
