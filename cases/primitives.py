"""The steps every case transition is built from: lock the row, check the state machine,
record the transition with its protected reason.

Actions (``cases.transitions``, ``cases.consent``, ``referral.transitions`` …) call these inside
their own ``transaction.atomic()``; none of them opens a transaction or checks a permission.
"""

import datetime

from django.conf import settings
from django_fsm import can_proceed

from audit.entries import record_event
from audit.events import Event
from cases.models import Case, CaseTransition
from core.errors import InvalidTransition


def lock_case(case_or_id) -> Case:
    """Re-read the case under a row lock (never refresh_from_db: see DESIGN.md's traps)."""
    case_id = getattr(case_or_id, "pk", case_or_id)
    return Case.objects.select_for_update().get(pk=case_id)


def check_transition(method) -> None:
    """InvalidTransition unless the bound FSM transition may run from the current state."""
    if not can_proceed(method):
        raise InvalidTransition


def record_transition(
    case: Case, *, actor, event: Event, field: str, source: str, reason: str = ""
) -> CaseTransition:
    """Store the transition with its protected reason and write its one audit entry.

    The entry names the transition, the field and both states, and references the reason's
    row; it never copies the reason (DESIGN.md rule 5).
    """
    change = CaseTransition.objects.create(
        case=case,
        transition=event.value,
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
        event=event,
        transition=event.value,
        field=field,
        source=source,
        target=change.target,
        reason_ref=f"cases.CaseTransition:{change.pk}" if reason else None,
    )
    return change


def begin_assistance(case: Case, *, today: datetime.date) -> str:
    """Move a locked case from identification to assistance and start the reflection period.

    Changes the instance only (the caller saves the case once and then records the
    transition); returns the stage it left.
    """
    source = case.stage
    case.start_assistance()
    case.assistance_started_on = today
    case.reflection_period_ends_on = today + datetime.timedelta(
        days=settings.NRM_REFLECTION_PERIOD_DAYS
    )
    return source
