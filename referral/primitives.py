"""Steps the referral transitions and the case actions that end referrals are built from.

Lock order is always the case row first, then the referral row, so a referral transition and
a consent withdrawal on the same case cannot deadlock; both rows are re-read under the lock.
"""

from django.utils import timezone

from audit.entries import record_event
from audit.events import Event
from cases.primitives import lock_case
from reference.models import STATUS_DECISION_SERVICE
from referral.models import EndReason, Referral, ReferralState
from tasks import system as tasks


def lock_referral(referral) -> tuple:
    """Lock the referral's case, then the referral; return both, re-read.

    The locked referral carries the locked case, so the rules and the audit entry that read
    ``referral.case`` use it rather than reading the case again (unlocked) from the database;
    its two organisations come with it (the notices name them), locked they are not.
    """
    # A referral's case never changes: the id the caller holds is the one to lock first.
    case = lock_case(referral.case_id)
    locked = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("from_organisation", "to_organisation")
        .get(pk=referral.pk)
    )
    locked.case = case
    return case, locked


def record_referral_event(
    referral: Referral, *, actor, event: Event, source: str, case, reason_field: str = "", **data
):
    """The referral transition's one audit entry: states and ids, the reason by reference."""
    return record_event(
        referral,
        actor=actor,
        event=event,
        transition=event.value,
        field="state",
        source=source,
        target=referral.state,
        case=str(case.pk),
        reason_ref=f"referral.Referral.{reason_field}:{referral.pk}" if reason_field else None,
        **data,
    )


def end_open_referrals(case, *, actor, reason: EndReason) -> list[tuple[Referral, str]]:
    """Cancel the case's pending referrals and end its accepted ones, for ``reason``; return
    each with the state it left (the caller's notices say "cancelled" or "ended").

    Called with the case row already locked, inside the caller's transaction; each referral
    row is locked too, keeps the coded ``end_reason`` and gets its own audit entry naming it
    ("cancel" or "end"); a cancelled referral's answer task is dropped (``tasks.system``).
    The caller re-derives access afterwards (``sync_case_access``).
    """
    open_referrals = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("from_organisation", "to_organisation")
        .filter(case=case, state__in=[ReferralState.PENDING, ReferralState.ACCEPTED])
        .order_by("created_at", "pk")
    )
    now = timezone.now()
    ended = []
    for referral in open_referrals:
        source = referral.state
        if source == ReferralState.PENDING:
            referral.cancel()
            tasks.settle_referral_answer(referral, actor=actor, answered=False)
            event = Event.CANCEL
        else:
            referral.end()
            referral.ended_at = now
            event = Event.END
        referral.end_reason = reason
        referral.save()
        record_referral_event(
            referral, actor=actor, event=event, source=source, case=case, cause=reason.value
        )
        ended.append((referral, source))
    return ended


def status_decisions(case, *, organisation_id):
    """The organisation's accepted StatusDecision referrals of the case (those that ask it
    for the decision it takes)."""
    return Referral.objects.filter(
        case=case,
        to_organisation_id=organisation_id,
        state=ReferralState.ACCEPTED,
        services__code=STATUS_DECISION_SERVICE,
    )


def complete_status_decisions(case, *, actor) -> list[int]:
    """Complete the actor's organisation's accepted StatusDecision referrals of the case: the
    decision is their work, so the status authority's access ends with it (rule 4). Return
    the ids of the organisations that asked for it.

    Called with the case row locked, inside the caller's transaction; one "complete" entry per
    referral. The caller re-derives access afterwards (``sync_case_access``).
    """
    decisions = status_decisions(case, organisation_id=actor.organisation_id).select_for_update()
    now = timezone.now()
    asked_by = []
    for referral in decisions:
        asked_by.append(referral.from_organisation_id)
        source = referral.state
        referral.complete()
        referral.completed_at = now
        referral.save()
        record_referral_event(referral, actor=actor, event=Event.COMPLETE, source=source, case=case)
    return asked_by
