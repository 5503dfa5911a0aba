"""Tasks made and settled by people: add a follow-up to a case, mark it done, drop it, give
it to someone else.

Every function runs in one transaction, in the same order: lock the case row (then the
task's), set the actor, check the rule (``tasks.rules``), refuse a closed case and a settled
task, check the input, write; auditlog writes the row's entry, and each settlement or
reassignment adds one typed event entry (ids and states, never the title). Refused calls
change nothing. Errors, in this order: PermissionDenied, InvalidTransition, ValidationError.
"""

import datetime

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from audit.entries import record_event
from audit.events import Event
from cases.models import Case, Stage
from cases.primitives import lock_case
from cases.rules import case_relations
from core.errors import InvalidTransition
from notices import events as notices
from tasks import rules
from tasks.models import Task, TaskKind

TITLE_MAX = 500
# How far ahead a follow-up may be set (a typo such as 2206 for 2026 is refused).
MAX_DAYS_AHEAD = 3 * 366


def _check_assignment(actor, case, *, organisation, assignee, errors: dict) -> int | None:
    """The organisation id the task goes to (the actor's own when none is given), the
    assignee checked as one of its active members; errors collected in ``errors``."""
    organisation_id = getattr(organisation, "pk", organisation) or actor.organisation_id
    if not rules.assignable(
        actor, case, organisation_id, working=rules.working_organisations(case)
    ):
        errors["organisation"] = [rules.NOT_ASSIGNABLE]
        return None
    if assignee is not None and not (
        assignee.is_active and assignee.organisation_id == organisation_id
    ):
        errors["assignee"] = [rules.NOT_A_MEMBER]
    return organisation_id


def _refuse_when_closed(case: Case) -> None:
    if case.stage == Stage.CLOSED:
        raise InvalidTransition(_("The case is closed. Reopen it to work on its follow-ups."))


def create_task(
    case: Case,
    *,
    actor,
    title: str,
    due_on: datetime.date | None,
    organisation: Organisation | int | None = None,
    assignee: User | None = None,
) -> Task:
    """Add a follow-up to the case for ``organisation`` (the actor's own by default; the lead
    may give it to another organisation working on the case) and, optionally, one of its
    active members, due on ``due_on`` (today or later).

    Side effects: one Task row, its title protected (auditlog's entry masks it); a
    "task_assigned" notice to the assignee (else the organisation) when it is not the
    actor's own, with mail on commit to those who chose it. Raises PermissionDenied,
    InvalidTransition (closed case), then ValidationError.
    """
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = [_("Say what is to be done.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("Keep this under %(n)d characters.") % {"n": TITLE_MAX}]
    errors.update(_due_on_errors(due_on))
    with transaction.atomic(), set_actor(actor):
        locked = lock_case(case)
        rules.require_on_case(actor, "add_task", locked, relations=case_relations(actor, locked))
        _refuse_when_closed(locked)
        organisation_id = _check_assignment(
            actor, locked, organisation=organisation, assignee=assignee, errors=errors
        )
        if errors:
            raise ValidationError(errors)
        task = Task.objects.create(
            case=locked,
            kind=TaskKind.MANUAL,
            title=title,
            due_on=due_on,
            organisation_id=organisation_id,
            assignee=assignee,
            created_by=actor,
        )
        notices.task_assigned(task, actor=actor)
    return task


def _due_on_errors(due_on) -> dict:
    today = timezone.localdate()
    if due_on is None:
        return {"due_on": [_("Give the day it is due.")]}
    if due_on < today:
        return {"due_on": [_("The day it is due cannot be in the past.")]}
    if (due_on - today).days > MAX_DAYS_AHEAD:
        return {"due_on": [_("Choose a day within the next three years.")]}
    return {}


def _lock_task(task: Task) -> tuple[Case, Task]:
    """Lock the case row, then the task's (the order every case action takes)."""
    case = lock_case(task.case_id)
    locked = Task.objects.select_for_update().get(pk=task.pk)
    locked.case = case
    return case, locked


def _refuse_settled(task: Task) -> None:
    if not task.is_open:
        raise InvalidTransition(
            _("This follow-up is already settled (%(state)s).")
            % {"state": task.get_state_display()}
        )


def _settle(task: Task, *, actor, name: str, event: Event) -> Task:
    with transaction.atomic(), set_actor(actor):
        case, locked = _lock_task(task)
        rules.require(actor, name, locked)
        _refuse_when_closed(case)
        _refuse_settled(locked)
        source = locked.state
        locked.complete() if event == Event.TASK_DONE else locked.drop()
        locked.done_by = actor
        locked.done_at = timezone.now()
        locked.save()
        record_event(
            locked,
            actor=actor,
            event=event,
            field="state",
            source=source,
            target=locked.state,
            case=str(case.pk),
        )
    return locked


def complete_task(task: Task, *, actor) -> Task:
    """Mark an open task done, by a member of the organisation it is given to.

    Side effects: the task done, ``done_by`` the actor, ``done_at`` now; auditlog's entry and
    one "task_done" entry. Raises PermissionDenied, then InvalidTransition (a closed case, a
    task already done or dropped).
    """
    return _settle(task, actor=actor, name="complete_task", event=Event.TASK_DONE)


def drop_task(task: Task, *, actor) -> Task:
    """Drop an open task (no longer needed), by a member of the organisation it is given to.

    Side effects: the task dropped, ``done_by`` the actor, ``done_at`` now; auditlog's entry
    and one "task_dropped" entry. Raises PermissionDenied, then InvalidTransition.
    """
    return _settle(task, actor=actor, name="drop_task", event=Event.TASK_DROPPED)


def reassign_task(
    task: Task,
    *,
    actor,
    organisation: Organisation | int | None = None,
    assignee: User | None = None,
) -> Task:
    """Give an open task to another member of its organisation (or to nobody in particular),
    or, from the lead organisation, to another organisation working on the case.

    Side effects: the task's organisation and assignee; auditlog's entry and one
    "task_reassigned" entry naming the organisations' and members' ids; a "task_assigned"
    notice to the new assignee (else organisation) unless it is the actor or the actor's
    organisation, mail on commit. Raises PermissionDenied, InvalidTransition (a closed case,
    a settled task), then ValidationError.
    """
    with transaction.atomic(), set_actor(actor):
        case, locked = _lock_task(task)
        rules.require(actor, "reassign_task", locked)
        _refuse_when_closed(case)
        _refuse_settled(locked)
        errors = {}
        organisation_id = _check_assignment(
            actor,
            case,
            organisation=organisation or locked.organisation_id,
            assignee=assignee,
            errors=errors,
        )
        if errors:
            raise ValidationError(errors)
        before = (locked.organisation_id, locked.assignee_id)
        after = (organisation_id, getattr(assignee, "pk", None))
        if before == after:
            return locked
        locked.organisation_id, locked.assignee = organisation_id, assignee
        locked.save()
        record_event(
            locked,
            actor=actor,
            event=Event.TASK_REASSIGNED,
            case=str(case.pk),
            organisation_from=before[0],
            organisation_to=after[0],
            assignee_from=before[1],
            assignee_to=after[1],
        )
        notices.task_assigned(locked, actor=actor)
    return locked
