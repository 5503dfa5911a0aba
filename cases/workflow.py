"""Case work after registration: consent, stage and status transitions, notes, services.

Every function locks the case row (``select_for_update`` inside ``transaction.atomic``), checks
the rule and the state, changes the rows, re-derives access and writes the audit entries, all
in one transaction. Refused actions change nothing and write no entry.
"""

import datetime

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from cases import rules
from cases.access import sync_case_access
from cases.audit import record_event
from cases.errors import InvalidTransition
from cases.models import (
    PRIVATE_BY_DEFAULT,
    Case,
    ClosureReason,
    Consent,
    ConsentGivenBy,
    ConsentScope,
    Note,
    NoteKind,
    NoteVisibility,
    ServiceRecord,
    ServiceStatus,
    Stage,
    StageChange,
)

REASON_MAX = 5000
NOTE_MAX = 10000

_STATUS_TRANSITIONS = {"confirm_status", "reject_status", "reconsider_status"}


def lock_case(case_or_id) -> Case:
    """Re-read the case under a row lock (never refresh_from_db: see DESIGN.md's traps)."""
    case_id = getattr(case_or_id, "pk", case_or_id)
    return Case.objects.select_for_update().get(pk=case_id)


def _require(user, action: str, case: Case):
    if not rules.may(user, action, case):
        raise PermissionDenied(_("Your role or organisation cannot do this on this case."))


def _clean_reason(reason: str, *, required: bool, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({field: [_("Give a reason.")]})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {field: [_("Keep the reason under %(n)d characters.") % {"n": REASON_MAX}]}
        )
    return reason


def record_stage_change(case: Case, *, actor, name: str, field: str, source: str, reason: str = ""):
    """Store the transition with its protected reason and write its one audit entry."""
    change = StageChange.objects.create(
        case=case,
        transition=name,
        field=field,
        source=source,
        target=getattr(case, field),
        reason=reason,
        actor=actor,
        organisation=actor.organisation,
    )
    record_event(
        case,
        actor=actor,
        event=name,
        transition=name,
        field=field,
        source=source,
        target=change.target,
        reason_ref=f"cases.StageChange:{change.pk}" if reason else None,
    )
    return change


def start_assistance(case: Case, *, actor, today: datetime.date) -> None:
    """Move a locked case from identification to assistance and start the reflection period."""
    source = case.stage
    case.start_assistance()
    case.assistance_started_on = today
    case.reflection_period_ends_on = today + datetime.timedelta(
        days=settings.NRM_REFLECTION_PERIOD_DAYS
    )
    case.save()
    record_stage_change(case, actor=actor, name="start_assistance", field="stage", source=source)


def transition_case(
    case: Case, name: str, *, actor, reason: str = "", closure_reason: str = ""
) -> Case:
    """Apply a named case transition (see ``rules.CASE_TRANSITIONS``) for the actor.

    Raises PermissionDenied (not the actor's), ValidationError (missing reason or closure
    reason) or InvalidTransition (not from the current state, including the loser of a race).
    """
    if name not in rules.CASE_TRANSITIONS:
        raise InvalidTransition(_("There is no such action."))
    field = "trafficking_status" if name in _STATUS_TRANSITIONS else "stage"
    with transaction.atomic(), set_actor(actor):
        locked = lock_case(case)
        _require(actor, name, locked)
        reason = _clean_reason(reason, required=name in _STATUS_TRANSITIONS or name == "close")
        if name == "close" and closure_reason not in ClosureReason.values:
            raise ValidationError({"closure_reason": [_("Choose why the case is closed.")]})
        method = getattr(locked, name)
        if not can_proceed(method):
            raise InvalidTransition
        source = getattr(locked, field)
        method()
        today = timezone.localdate()
        if name == "close":
            locked.closure_reason, locked.closed_on = closure_reason, today
        elif name == "reopen":
            locked.closure_reason, locked.closed_on = "", None
        elif field == "trafficking_status":
            locked.status_decided_on = today
        locked.save()
        record_stage_change(
            locked, actor=actor, name=name, field=field, source=source, reason=reason
        )
    return locked


def available_transitions(user, case: Case, *, relations=None) -> list[str]:
    """The transitions the user may take on the case now (for the UI to offer)."""
    if not rules.can_access_cases(user):
        return []
    if relations is None:
        relations = rules.case_relations(user, case)
    return [
        name
        for name in rules.CASE_TRANSITIONS
        if rules.may(user, name, case, relations=relations) and can_proceed(getattr(case, name))
    ]


def record_consent(
    case: Case, *, actor, scope: str, given: bool, given_by: str = ConsentGivenBy.PERSON
) -> Consent:
    """Record a consent or its withdrawal; the latest of a scope is in force.

    Withdrawing referral consent takes effect at once (DESIGN.md rule 4): pending referrals are
    cancelled, accepted ones end, and every organisation but the registering and lead ones
    loses access, in this transaction.
    """
    if scope not in ConsentScope.values:
        raise ValidationError({"scope": [_("Choose referral or statistics.")]})
    if given_by not in ConsentGivenBy.values:
        raise ValidationError({"given_by": [_("Choose the person or the guardian.")]})
    with transaction.atomic(), set_actor(actor):
        locked = lock_case(case)
        _require(actor, "record_consent", locked)
        if given_by == ConsentGivenBy.GUARDIAN and not locked.is_child:
            raise ValidationError(
                {"given_by": [_("A guardian's consent applies to a child's case only.")]}
            )
        consent = Consent.objects.create(
            case=locked,
            scope=scope,
            given=given,
            given_by=given_by,
            recorded_by=actor,
            organisation=actor.organisation,
        )
        if scope == ConsentScope.REFERRAL:
            locked.referral_consent = given
        else:
            locked.statistics_consent = given
        locked.save(update_fields=["referral_consent", "statistics_consent", "updated_at"])
        event = "consent_given" if given else "consent_withdrawn"
        record_event(
            locked, actor=actor, event=event, scope=scope, given_by=given_by, consent=consent.pk
        )
        if scope == ConsentScope.REFERRAL and not given:
            from referral.services import end_referrals_after_withdrawal

            end_referrals_after_withdrawal(locked, actor=actor)
            sync_case_access(locked)
    return consent


def add_note(
    case: Case, *, actor, body: str, kind: str = NoteKind.GENERAL, visibility=None
) -> Note:
    """Add a protected note; medical and psychological notes default to the own organisation."""
    body = (body or "").strip()
    errors = {}
    if not body:
        errors["body"] = [_("Write the note.")]
    elif len(body) > NOTE_MAX:
        errors["body"] = [_("Keep the note under %(n)d characters.") % {"n": NOTE_MAX}]
    if kind not in NoteKind.values:
        errors["kind"] = [_("Choose a kind of note.")]
    if visibility in (None, ""):
        visibility = NoteVisibility.OWN if kind in PRIVATE_BY_DEFAULT else NoteVisibility.SHARED
    if visibility not in NoteVisibility.values:
        errors["visibility"] = [_("Choose who may read the note.")]
    with transaction.atomic(), set_actor(actor):
        locked = lock_case(case)
        _require(actor, "add_note", locked)
        if errors:
            raise ValidationError(errors)
        return Note.objects.create(
            case=locked,
            kind=kind,
            visibility=visibility,
            body=body,
            author=actor,
            organisation=actor.organisation,
        )


def record_service(
    case: Case,
    *,
    actor,
    service_type,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
    status: str = ServiceStatus.ONGOING,
) -> ServiceRecord:
    """Record assistance the actor's organisation delivers to the person."""
    errors = {}
    today = timezone.localdate()
    if started_on > today:
        errors["started_on"] = [_("The start date cannot be in the future.")]
    if ended_on and ended_on < started_on:
        errors["ended_on"] = [_("The end date cannot be before the start date.")]
    if status not in ServiceStatus.values:
        errors["status"] = [_("Choose a status.")]
    if getattr(service_type, "code", None) == "StatusDecision":
        errors["service_type"] = [
            _("The status decision is recorded by the status authority, not as a service.")
        ]
    with transaction.atomic(), set_actor(actor):
        locked = lock_case(case)
        _require(actor, "record_service", locked)
        if locked.stage == Stage.CLOSED:
            raise InvalidTransition(_("The case is closed. Reopen it to record services."))
        if errors:
            raise ValidationError(errors)
        return ServiceRecord.objects.create(
            case=locked,
            service_type=service_type,
            provider=actor.organisation,
            status=status,
            started_on=started_on,
            ended_on=ended_on,
            recorded_by=actor,
        )
