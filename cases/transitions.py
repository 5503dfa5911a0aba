"""The named case transitions people take: one straight function each.

Every function runs in one transaction, in the same order: lock the case row, check the rule
(``cases.rules.require``), check the input, check the state machine, change the case, record
the transition (a ``CaseTransition`` row holding the protected reason and one audit entry that
references it), end the referrals the change ends and re-derive access. Refused calls change
nothing and write no entry. The name → function table the UI and the API dispatch through is
``cases.dispatch.CASE_TRANSITIONS``.

Errors, in this order: PermissionDenied (not the actor's), ValidationError (missing or bad
reason), InvalidTransition (not from the current state, including the loser of a race), then a
guard's own Conflict (RiskAssessmentRequired for reintegration).
"""

import datetime

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.events import Event
from cases import rules
from cases.access import sync_case_access
from cases.models import Case, ClosureReason
from cases.primitives import check_transition, lock_case, record_transition
from core.errors import RiskAssessmentRequired
from core.text import clean_text
from notices import events as notices
from plans.models import RiskAssessment
from referral.models import EndReason
from referral.primitives import complete_status_decisions, end_open_referrals, status_decisions


def start_reintegration(case: Case, *, actor, reason: str = "") -> Case:
    """Assistance → reintegration (a durable solution is under way), by the lead organisation,
    once the risk was assessed within NRM_RISK_ASSESSMENT_DAYS (else RiskAssessmentRequired).

    Side effects: the case's stage; a CaseTransition row with the optional reason; one
    "start_reintegration" audit entry. No access change, no mail.
    """
    with transaction.atomic(), set_actor(actor):
        locked = lock_case(case)
        rules.require(actor, "start_reintegration", locked)
        reason = clean_text(reason, field="reason", required=False)
        check_transition(locked.start_reintegration)
        if not _recently_assessed(locked):
            raise RiskAssessmentRequired(
                _(
                    "Reintegration starts only after a risk assessment made in the last "
                    "%(days)d days. Assess the risk first, then start reintegration."
                )
                % {"days": settings.NRM_RISK_ASSESSMENT_DAYS}
            )
        source = locked.stage
        locked.start_reintegration()
        locked.save()
        record_transition(
            locked,
            actor=actor,
            event=Event.START_REINTEGRATION,
            field="stage",
            source=source,
            reason=reason,
        )
    return locked


def _recently_assessed(case: Case) -> bool:
    since = timezone.localdate() - datetime.timedelta(days=settings.NRM_RISK_ASSESSMENT_DAYS)
    return RiskAssessment.objects.filter(case=case, assessed_on__gte=since).exists()


def close_case(case: Case, *, actor, reason: str, closure_reason: str) -> Case:
    """Close the case, by a supervisor of the lead organisation, with a reason and its code.

    Side effects: the case's stage, ``closure_reason`` and ``closed_on`` (today); a
    CaseTransition row holding the reason; one "close" audit entry; every partner's part ends
    (DESIGN.md rule 4): pending referrals are cancelled and accepted ones end, with the reason
    ``case_closed`` (an entry each), and only the registering and lead organisations keep
    access. Reopening restores nobody. Notices (``notices.events.case_closed``): each cancelled
    referral's receiver and sender, each ended referral's receiver; mail on commit to the
    members who chose it.
    """
    with transaction.atomic(), set_actor(actor):
        locked = lock_case(case)
        rules.require(actor, "close", locked)
        reason = clean_text(reason, field="reason", required=True)
        if closure_reason not in ClosureReason.values:
            raise ValidationError({"closure_reason": [_("Choose why the case is closed.")]})
        check_transition(locked.close)
        source = locked.stage
        locked.close()
        locked.closure_reason, locked.closed_on = closure_reason, timezone.localdate()
        locked.save()
        record_transition(
            locked, actor=actor, event=Event.CLOSE, field="stage", source=source, reason=reason
        )
        ended = end_open_referrals(locked, actor=actor, reason=EndReason.CASE_CLOSED)
        sync_case_access(locked)
        notices.case_closed(locked, ended)
    return locked


def reopen_case(case: Case, *, actor, reason: str = "") -> Case:
    """Closed → assistance, by the lead organisation; the closure reason and date are cleared.

    Side effects: the case's stage, ``closure_reason`` and ``closed_on``; a CaseTransition row
    with the optional reason; one "reopen" audit entry. No access change, no mail.
    """
    with transaction.atomic(), set_actor(actor):
        locked = lock_case(case)
        rules.require(actor, "reopen", locked)
        reason = clean_text(reason, field="reason", required=False)
        check_transition(locked.reopen)
        source = locked.stage
        locked.reopen()
        locked.closure_reason, locked.closed_on = "", None
        locked.save()
        record_transition(
            locked, actor=actor, event=Event.REOPEN, field="stage", source=source, reason=reason
        )
    return locked


def confirm_status(case: Case, *, actor, reason: str) -> Case:
    """Presumed → confirmed victim, by the status authority holding the accepted referral.

    Side effects: ``trafficking_status`` and ``status_decided_on`` (today); a CaseTransition
    row holding the reason; one "confirm_status" audit entry; the decision completes the
    authority's StatusDecision referral, so its access ends (a reconsideration needs a new
    referral from the lead organisation); a notice to the lead organisation and the one that
    asked (``notices.events.status_decided``), mail on commit to the members who chose it.
    """
    with transaction.atomic(), set_actor(actor):
        locked = lock_case(case)
        rules.require(actor, "confirm_status", locked)
        reason = clean_text(reason, field="reason", required=True)
        check_transition(locked.confirm_status)
        source = locked.trafficking_status
        locked.confirm_status()
        locked.status_decided_on = timezone.localdate()
        locked.save()
        record_transition(
            locked,
            actor=actor,
            event=Event.CONFIRM_STATUS,
            field="trafficking_status",
            source=source,
            reason=reason,
        )
        asked_by = complete_status_decisions(locked, actor=actor)
        sync_case_access(locked)
        notices.status_decided(locked, decider=actor.organisation, asked_by=asked_by)
    return locked


def reject_status(case: Case, *, actor, reason: str) -> Case:
    """Presumed → not confirmed, by the status authority holding the accepted referral.

    Side effects: ``trafficking_status`` and ``status_decided_on`` (today); a CaseTransition
    row holding the reason; one "reject_status" audit entry; the decision completes the
    authority's StatusDecision referral, so its access ends (a reconsideration needs a new
    referral from the lead organisation). Assistance goes on regardless (non-punishment
    principle); a notice to the lead organisation and the one that asked, mail on commit to
    the members who chose it.
    """
    with transaction.atomic(), set_actor(actor):
        locked = lock_case(case)
        rules.require(actor, "reject_status", locked)
        reason = clean_text(reason, field="reason", required=True)
        check_transition(locked.reject_status)
        source = locked.trafficking_status
        locked.reject_status()
        locked.status_decided_on = timezone.localdate()
        locked.save()
        record_transition(
            locked,
            actor=actor,
            event=Event.REJECT_STATUS,
            field="trafficking_status",
            source=source,
            reason=reason,
        )
        asked_by = complete_status_decisions(locked, actor=actor)
        sync_case_access(locked)
        notices.status_decided(locked, decider=actor.organisation, asked_by=asked_by)
    return locked


def reconsider_status(case: Case, *, actor, reason: str) -> Case:
    """Not confirmed → presumed again (reconsideration), by the status authority.

    Side effects: ``trafficking_status`` and ``status_decided_on`` (today); a CaseTransition
    row holding the reason; one "reconsider_status" audit entry; a notice to the lead
    organisation and the one that asked, mail on commit to the members who chose it. No access
    change.
    """
    with transaction.atomic(), set_actor(actor):
        locked = lock_case(case)
        rules.require(actor, "reconsider_status", locked)
        reason = clean_text(reason, field="reason", required=True)
        check_transition(locked.reconsider_status)
        source = locked.trafficking_status
        locked.reconsider_status()
        locked.status_decided_on = timezone.localdate()
        locked.save()
        record_transition(
            locked,
            actor=actor,
            event=Event.RECONSIDER_STATUS,
            field="trafficking_status",
            source=source,
            reason=reason,
        )
        asked_by = status_decisions(locked, organisation_id=actor.organisation_id).values_list(
            "from_organisation_id", flat=True
        )
        notices.status_decided(locked, decider=actor.organisation, asked_by=list(asked_by))
    return locked
